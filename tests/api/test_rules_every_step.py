"""The programme's rules hold at every step, each at its boundary, over the API."""

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditEvent
from tests.api.walk import APPS, Walk
from tests.books import set_fund, user_id
from tests.factories import ApplicationFactory, id_number


@pytest.fixture
def walk(client, keys, session, business_date):
    set_fund(session, 50_000_000)
    return Walk(client, keys, business_date)


def _rule(app: dict, rule_id: str) -> dict:
    return next(r for r in app["assessment"]["rules"] if r["id"] == rule_id)


def test_a_claimed_loan_fails_no_overdue_loan_until_fully_recovered(walk):
    hid = walk.household()
    walk.claimed(hid)  # owes ¥10,000 principal + ¥154.17 interest (185 days at 3%)
    walk.on("2026-08-01")
    again = walk.submit(hid, "5000.00").get_json()
    assert again["decision"] == "declined" and again["grade"] is not None
    assert _rule(again, "no_overdue_loan")["outcome"] == "fail"
    assert _rule(again, "no_overdue_loan")["value"] == 1
    recover = f"/api/v1/loans/{walk_loan(walk, hid)}/recoveries"
    short = walk.post(recover, walk.bank, {"amount": "10154.16", "recovered_on": "2026-08-01"},
                      idempotent=True)
    assert short.status_code == 201, short.get_json()
    one_fen = walk.submit(hid, "5000.00").get_json()  # 0.01 of principal still owed
    assert _rule(one_fen, "no_overdue_loan")["outcome"] == "fail"
    assert one_fen["assessment"]["input"]["programme_outstanding"] == "0.01"
    last = walk.post(recover, walk.bank, {"amount": "0.01", "recovered_on": "2026-08-01"},
                     idempotent=True)
    assert last.status_code == 201, last.get_json()
    cleared = walk.submit(hid, "5000.00").get_json()
    assert _rule(cleared, "no_overdue_loan")["outcome"] == "pass"
    assert cleared["assessment"]["input"]["programme_outstanding"] == "0.00"


def walk_loan(walk, household_id: str) -> str:
    """The id of the household's (only) loan."""
    loans = walk.client.get(f"/api/v1/loans?household_id={household_id}", headers=walk.manager)
    (loan,) = loans.get_json()
    return loan["id"]


def test_the_assessment_counts_a_claimed_loan_under_the_household_cap(walk):
    hid = walk.household()
    walk.claimed(hid)
    walk.on("2026-08-01")
    at_cap = walk.submit(hid, "40000.00").get_json()
    assert at_cap["assessment"]["input"]["programme_outstanding"] == "10000.00"
    assert _rule(at_cap, "household_cap")["outcome"] == "pass"  # 10,000 + 40,000 = the cap
    over = walk.submit(hid, "40000.01").get_json()
    assert _rule(over, "household_cap")["outcome"] == "fail" and over["decision"] == "declined"


def _referred(walk, amount="20000.00") -> dict:
    """A referred application: a shock in the monitoring record within the year."""
    walk.on("2026-03-02")
    hid = walk.household(monitoring_events=[{"kind": "disaster", "occurred_on": "2026-02-01"}])
    app = walk.submit(hid, amount).get_json()
    assert app["status"] == "referred", app
    return app


def _review(walk, app_id, amount=None):
    body = {"decision": "approve", "note": "visited; the damage is repaired"}
    if amount is not None:
        body["approved_amount"] = amount
    return walk.post(f"{APPS}/{app_id}/review", walk.manager, body)


def test_a_reviewer_names_an_amount_between_the_minimum_and_the_cap(walk):
    app = _referred(walk)
    cap = min(20000, int(float(app["assessment"]["limit"] or 50000)))
    missing = _review(walk, app["id"])
    assert (missing.status_code, missing.get_json()["code"]) == (422, "approved_amount_required")
    low = _review(walk, app["id"], "999.99")
    assert (low.status_code, low.get_json()["code"]) == (422, "amount_below_minimum")
    high = _review(walk, app["id"], f"{cap}.01")
    assert (high.status_code, high.get_json()["code"]) == (422, "amount_above_limit")
    at_cap = _review(walk, app["id"], f"{cap}.00")
    assert at_cap.status_code == 200 and at_cap.get_json()["approved_amount"] == f"{cap}.00"
    other = _referred(walk)
    at_min = _review(walk, other["id"], "1000.00")
    assert at_min.status_code == 200 and at_min.get_json()["approved_amount"] == "1000.00"


def test_an_unrated_application_has_no_limit_of_its_own(walk, keys, session):
    keys.key("officer")
    app = ApplicationFactory(submitted_by=user_id(session, "officer-x"), status="referred",
                             approved_amount_fen=2_000_000)
    app.grade, app.approved_amount_fen = None, None
    app.assessment = {**app.assessment, "limit": None, "grade": None}
    session.commit()
    walk.on("2026-03-02")
    over = _review(walk, app.id, "20000.01")  # more than was asked
    assert (over.status_code, over.get_json()["code"]) == (422, "amount_above_limit")
    # Not capped at the lowest grade's ¥10,000: what was asked, the maximum and the headroom.
    whole = _review(walk, app.id, "20000.00")
    assert whole.status_code == 200, whole.get_json()


def test_a_disbursement_is_at_least_the_minimum(walk):
    app_id = walk.accepted(walk.household(), amount="5000.00")
    low = walk.disburse(app_id, amount="999.99")
    assert (low.status_code, low.get_json()["code"]) == (422, "amount_below_minimum")
    assert walk.disburse(app_id, amount="1000.00").status_code == 201


def test_a_bad_credit_flag_recorded_after_acceptance_stops_the_disbursement(walk):
    hid = walk.household()
    app_id = walk.accepted(hid)
    url = f"/api/v1/households/{hid}"
    walk.client.patch(url, json={"bad_credit_flag": True}, headers=walk.officer)
    flagged = walk.disburse(app_id)
    assert (flagged.status_code, flagged.get_json()["code"]) == (409, "hard_rule_failed")
    assert list(flagged.get_json()["errors"]) == ["no_bad_credit"]
    walk.client.patch(url, json={"bad_credit_flag": False}, headers=walk.officer)
    assert walk.disburse(app_id).status_code == 201


def test_the_age_limit_holds_on_the_disbursement_date(walk):
    born = date(1961, 3, 10)  # 65 on the application date, 66 on 10 Mar 2027
    members = [{"relation": "head", "birth_date": born.isoformat(), "labour_capable": True},
               {"relation": "spouse", "birth_date": "1963-03-01", "labour_capable": True}]
    hid = walk.household(id_number=id_number(born), members=members)
    app_id = walk.accepted(hid, on="2027-03-01")
    walk.on("2027-03-10")
    birthday = walk.disburse(app_id, on="2027-03-10")
    assert (birthday.status_code, birthday.get_json()["code"]) == (409, "hard_rule_failed")
    assert list(birthday.get_json()["errors"]) == ["borrower_age"]
    assert walk.disburse(app_id, on="2027-03-09").status_code == 201


def test_another_loan_gone_overdue_stops_the_disbursement(walk):
    hid = walk.household()
    first = walk.loan(hid)
    app_id = walk.accepted(hid, on="2026-04-01")
    assert walk.report(first["id"], "2026-04-06", 1).status_code == 201  # a day late
    late = walk.disburse(app_id, on="2026-04-06")
    assert (late.status_code, late.get_json()["code"]) == (409, "hard_rule_failed")
    assert list(late.get_json()["errors"]) == ["no_overdue_loan"]
    assert walk.report(first["id"], "2026-04-07", 0).status_code == 201
    assert walk.disburse(app_id, on="2026-04-07").status_code == 201


def test_the_credit_line_runs_out_two_years_after_the_application(walk, session):
    app_id = walk.accepted(walk.household(), on="2026-01-05")
    walk.on("2028-01-06")
    late = walk.disburse(app_id, on="2028-01-06")
    assert (late.status_code, late.get_json()["code"]) == (409, "credit_line_expired")
    last_day = walk.disburse(app_id, on="2028-01-05")
    assert last_day.status_code == 201, last_day.get_json()
    actions = set(session.execute(select(AuditEvent.action)).scalars())
    assert "loan.disburse" in actions


def test_a_fresh_fund_refuses_lending_saying_it_has_no_capital(client, keys, session,
                                                                 business_date):
    walk = Walk(client, keys, business_date)
    app_id = walk.accepted(walk.household())
    refused = walk.disburse(app_id)
    assert (refused.status_code, refused.get_json()["code"]) == (409, "fund_not_initialised")
    view = client.get("/api/v1/fund", headers=walk.manager).get_json()
    assert view["suspension_reasons"] == ["fund_not_initialised"]
    assert (view["capital"], view["policy_capital"]) == ("0.00", "500000.00")


def test_a_disbursement_is_at_most_the_maximum_whatever_was_approved(walk, keys, session):
    keys.key("officer")
    # Approved under an older, looser policy (stored directly: today's review could not).
    app = ApplicationFactory(submitted_by=user_id(session, "officer-x"), status="accepted",
                             approved_amount_fen=6_000_000)
    walk.on("2026-01-05")
    over = walk.disburse(app.id, amount="50000.01")
    assert (over.status_code, over.get_json()["code"]) == (422, "amount_above_maximum")
    assert walk.disburse(app.id, amount="50000.00").status_code == 201
