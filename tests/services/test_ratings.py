"""Ratings without an application: a surveyed household's wish, assessed and replayable."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from creditsvc.core.errors import AppError
from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.assessment import rating as ratings
from creditsvc.services.assessment.inputs import scoring_view
from creditsvc.services.assessment.views import scoring_views
from creditsvc.services.households import files as households
from creditsvc.services.loans import applications
from models import AuditEvent, HouseholdMember, HouseholdSurvey, Rating
from tests.books import fund_with, user_id
from tests.conftest import ACTOR
from tests.factories import HouseholdFactory, LoanFactory, MemberFactory
from tests.work import done

ON = date(2026, 11, 2)


@pytest.fixture
def officer_p(session, keys):
    keys.key("officer")
    return Principal(user_id(session, "officer-x"), "officer-x", "officer")


def household(session, **overrides):
    """A household file made the way the service makes it."""
    return done(session, households.create_household, ACTOR, PiiCipher("k" * 43),
                HouseholdInSchema().load(HouseholdFactory(**overrides)))


def survey(session, h, **overrides):
    """H's survey: willing, ¥20,000 for planting over 12 months, unless told otherwise."""
    row = HouseholdSurvey(household_id=h.id, willing=True, intended_amount_fen=2_000_000,
                          purpose="planting", term_months=12)
    for k, v in overrides.items():
        setattr(row, k, v)
    session.add(row)
    session.commit()
    return row


def _loan_of(session, h, loan):
    loan.household_id = h.id
    session.commit()
    return loan


def _events(session, action):
    return session.execute(select(func.count()).select_from(AuditEvent)
                           .where(AuditEvent.action == action)).scalar_one()


def test_a_rating_is_an_applications_assessment_of_the_surveys_wish(session, officer_p):
    h = household(session)
    survey(session, h)
    rating = done(session, ratings.rate_household, h.id, actor=officer_p, on=ON)
    same = applications.preview(session, household_id=h.id, amount=Decimal("20000.00"),
                                term_months=12, purpose="planting", on=ON)
    assert rating.assessment == same
    assert (rating.decision, rating.grade, rating.score, rating.pd) == (
        same["decision"], same["grade"], same["score"], same["pd"])
    limit = dict((g, lim) for g, _, lim in ratings.programme.active_policy(session).grade_bands)
    assert rating.grade is not None and rating.line_fen == int(limit[rating.grade] * 100)
    assert rating.requested_amount_fen == 2_000_000 and rating.rated_on == ON
    assert _events(session, "rating.create") == 1


def test_replaying_a_rating_gives_the_same_result(session, officer_p):
    h = household(session)
    survey(session, h, intended_amount_fen=4_500_000, purpose="husbandry", term_months=24)
    rating = done(session, ratings.rate_household, h.id, actor=officer_p, on=ON)
    session.expire_all()
    stored = session.get(Rating, rating.id)
    again = ratings.replay_rating(session, stored)
    assert again["matches"] is True
    assert again["replayed"] == again["stored"] == json.loads(json.dumps(stored.assessment))
    # A tampered stored result no longer matches its replay.
    stored.assessment = {**stored.assessment, "score": stored.assessment["score"] + 1}
    assert ratings.replay_rating(session, stored)["matches"] is False


@pytest.mark.parametrize(("overrides", "code"), [
    (None, "survey_missing"),
    ({"willing": False}, "survey_not_willing"),
    ({"intended_amount_fen": None}, "survey_amount_missing"),
    ({"purpose": None}, "survey_purpose_missing"),
    ({"term_months": None}, "survey_term_missing"),
])
def test_a_household_that_cannot_be_rated_is_refused_with_its_reason(session, officer_p,
                                                                       overrides, code):
    h = household(session)
    if overrides is not None:
        survey(session, h, **overrides)
    with pytest.raises(AppError) as refused:
        done(session, ratings.rate_household, h.id, actor=officer_p, on=ON)
    assert refused.value.code == code and refused.value.status == 409
    assert session.execute(select(func.count()).select_from(Rating)).scalar_one() == 0
    with pytest.raises(AppError) as missing:
        done(session, ratings.rate_household, "no-such-household", actor=officer_p, on=ON)
    assert missing.value.code == "household_not_found"


def test_a_declined_rating_allows_no_line(session, officer_p):
    h = household(session, bad_credit_flag=True)
    survey(session, h)
    rating = done(session, ratings.rate_household, h.id, actor=officer_p, on=ON)
    assert rating.decision == "declined" and rating.line_fen == 0


def test_the_batch_rates_each_household_as_it_would_be_rated_alone(session, officer_p):
    made = [household(session, per_capita_income=income, outside_debt=debt)
            for income, debt in (("6800.00", "0.00"), ("2500.00", "30000.00"), ("12000.00", "0.00"))]
    old = household(session, members=[
        {"relation": "head", "birth_date": "1950-01-01", "labour_capable": False},
        MemberFactory(relation="child", birth_date="1986-04-01"),
        MemberFactory(relation="other", birth_date="1988-04-01", chronic_illness=True)])
    son = session.execute(select(HouseholdMember.id).where(
        HouseholdMember.household_id == old.id, HouseholdMember.relation == "child")).scalar_one()
    fund_with(session, 50_000_000)
    _loan_of(session, made[1], LoanFactory(days_past_due=0))
    for h in made:
        survey(session, h)
    survey(session, old, borrower_member_id=son)
    unwilling = household(session)
    survey(session, unwilling, willing=False)
    stranger = household(session)  # its survey names another household's member
    survey(session, stranger, borrower_member_id=son)
    ids = [h.id for h in (*made, old, unwilling, stranger)] + ["no-such-household"]
    batch = done(session, ratings.rate_households, ids, actor=officer_p, on=ON, campaign_id=None)
    assert batch.refused == {unwilling.id: "survey_not_willing", stranger.id: "borrower_not_member",
                             "no-such-household": "household_not_found"}
    assert set(batch.rated) == {h.id for h in (*made, old)}
    for h in (*made, old):
        stored = session.get(Rating, batch.rated[h.id])
        alone = applications.preview(session, household_id=h.id, amount=Decimal("20000.00"),
                                     term_months=12, purpose="planting", on=ON,
                                     **({"borrower_member_id": son} if h is old else {}))
        assert stored.assessment == alone
        assert ratings.replay_rating(session, stored)["matches"] is True
    assert _events(session, "rating.batch") == 1


def test_the_set_based_views_equal_the_single_reads(session):
    h = household(session, monitoring_events=[{"kind": "serious_illness", "occurred_on": "2026-05-01"}])
    fund_with(session, 50_000_000)
    _loan_of(session, h, LoanFactory(days_past_due=40))
    other = household(session)
    views = scoring_views(session, [h.id, other.id])
    assert views[h.id] == scoring_view(session, h.id)
    assert views[other.id] == scoring_view(session, other.id)
