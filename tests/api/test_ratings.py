"""/api/v1/ratings: a rating and its replay, for officers and the fund office only."""

from datetime import date

from sqlalchemy import select

from creditsvc.core.principal import Principal
from creditsvc.services.assessment import rating as ratings
from models import User
from tests.services.test_ratings import household, survey
from tests.work import done

ON = date(2026, 11, 2)


def _rated(session, keys):
    keys.key("officer")
    officer = session.execute(select(User).where(User.name == "officer-x")).scalar_one()
    h = household(session)
    survey(session, h)
    return done(session, ratings.rate_household, h.id,
                actor=Principal(officer.id, officer.name, "officer"), on=ON)


def test_a_rating_shows_its_line_and_replays_to_the_same_result(client, session, keys):
    rating = _rated(session, keys)
    got = client.get(f"/api/v1/ratings/{rating.id}", headers=keys.headers("officer"))
    assert got.status_code == 200, got.json
    body = got.json
    assert (body["grade"], body["decision"], body["requested_amount"]) == (
        rating.grade, rating.decision, "20000.00")
    assert body["line"] == f"{rating.line_fen / 100:.2f}" and body["borrower_member_id"] is None
    assert body["assessment"]["input"]["request"]["amount"] == "20000.00"
    again = client.get(f"/api/v1/ratings/{rating.id}/replay", headers=keys.headers("fund_manager"))
    assert again.status_code == 200
    assert again.json["matches"] is True and again.json["replayed"] == body["assessment"]


def test_a_bank_may_not_read_ratings_and_a_missing_one_is_404(client, session, keys):
    rating = _rated(session, keys)
    assert client.get(f"/api/v1/ratings/{rating.id}",
                      headers=keys.headers("bank", "PSBC")).status_code == 403
    missing = client.get("/api/v1/ratings/no-such-rating", headers=keys.headers("officer"))
    assert missing.status_code == 404 and missing.json["code"] == "rating_not_found"
