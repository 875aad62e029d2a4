"""A campaign's batch decides as an application's assessment would, household by household."""

import random
from collections import Counter
from decimal import Decimal

from creditsvc.core.money import from_fen
from creditsvc.services.assessment import rating as ratings
from creditsvc.services.loans import applications
from models import Rating
from tests.services.test_ratings import ON, household, officer_p, survey  # noqa: F401
from tests.work import done


def _varied(rng: random.Random, k: int) -> tuple[dict, dict]:
    """A household file's overrides and its survey's, drawn so that every outcome occurs."""
    file = {"status": rng.choice(("registered_poor", "lifted", "monitored_edge")),
            "lifted_year": None,
            "per_capita_income": rng.choice(("0.00", "900.00", "2500.00", "6800.00", "25000.00")),
            "outside_debt": rng.choice(("0.00", "0.00", "8000.00", "60000.00")),
            "productive_assets": rng.choice(("0.00", "3000.00", "12000.00", "90000.00")),
            "skills_training": rng.random() < 0.5, "cooperative_member": rng.random() < 0.3,
            "bad_credit_flag": k % 17 == 3, "head_labour_capable": k % 13 != 5,
            "income_sources": rng.choice((["planting"], ["wages"], ["husbandry", "wages"]))}
    if file["status"] == "lifted":
        file["lifted_year"] = 2020
    if k % 11 == 4:  # a head too old to borrow
        file["members"] = [{"relation": "head", "birth_date": "1950-01-01", "labour_capable": True}]
    if k % 7 == 2:  # a recent shock: referred
        file["monitoring_events"] = [{"kind": "serious_illness", "occurred_on": "2026-09-01"}]
    wish = {"intended_amount_fen": rng.choice((300_000, 1_000_000, 2_000_000, 5_000_000, 9_000_000)),
            "purpose": rng.choice(("planting", "husbandry", "small_business", "consumption")),
            "term_months": rng.choice((12, 24, 36, 60))}
    return file, wish


def test_the_batch_decides_as_assess_over_varied_households(session, officer_p):  # noqa: F811
    rng = random.Random(7)
    made = []
    for k in range(120):
        file, wish = _varied(rng, k)
        h = household(session, **file)
        survey(session, h, **wish)
        made.append((h, wish))
    batch = done(session, ratings.rate_households, [h.id for h, _ in made], actor=officer_p,
                 on=ON, campaign_id=None)
    assert not batch.refused and len(batch.rated) == len(made)
    seen = Counter()
    for h, wish in made:
        stored = session.get(Rating, batch.rated[h.id])
        alone = applications.preview(
            session, household_id=h.id, amount=from_fen(wish["intended_amount_fen"]),
            term_months=wish["term_months"], purpose=wish["purpose"], on=ON)
        limit = alone["limit"]
        line = 0 if alone["decision"] == "declined" or limit is None else int(Decimal(limit) * 100)
        assert (stored.decision, stored.grade, stored.score, stored.pd, stored.line_fen) == (
            alone["decision"], alone["grade"], alone["score"], alone["pd"], line)
        # What is stored is what replays: the input and each rule's outcome, not the texts.
        assert stored.record["input"] == alone["input"]
        assert stored.record["rules"] == "".join(r["outcome"][0] for r in alone["rules"])
        assert "reasons" not in stored.record and "points" not in stored.record
        assert stored.assessment == alone
        seen[stored.decision] += 1
        seen["unrated" if stored.grade is None else "graded"] += 1
    assert {"approved", "referred", "declined", "unrated", "graded"} <= set(seen), seen


def test_a_batch_ratings_replay_checks_each_stored_outcome(session, officer_p):  # noqa: F811
    h = household(session)
    survey(session, h)
    batch = done(session, ratings.rate_households, [h.id], actor=officer_p, on=ON, campaign_id=None)
    stored = session.get(Rating, batch.rated[h.id])
    assert ratings.replay_rating(session, stored)["matches"] is True
    letters = stored.record["rules"]
    for change in ({"line_fen": stored.line_fen + 100}, {"pd": stored.pd / 2},
                   {"decision": "declined"},
                   {"record": {**stored.record, "rules": "f" + letters[1:]}}):
        session.expire_all()
        stored = session.get(Rating, batch.rated[h.id])
        for name, value in change.items():
            setattr(stored, name, value)
        assert ratings.replay_rating(session, stored)["matches"] is False, change


def test_a_rating_stored_whole_still_shows_and_replays(session, officer_p):  # noqa: F811
    h = household(session)
    survey(session, h)
    rating = done(session, ratings.rate_household, h.id, actor=officer_p, on=ON)
    whole = rating.assessment
    # A rating written when the whole assessment was stored in the column.
    session.execute(Rating.__table__.update().where(Rating.id == rating.id).values(assessment=whole))
    session.commit()
    session.expire_all()
    stored = session.get(Rating, rating.id)
    assert stored.record == whole and stored.assessment == whole
    assert ratings.replay_rating(session, stored)["matches"] is True
