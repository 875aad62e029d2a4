"""Dates that cannot be true are refused, each at its boundary, over the API."""

import pytest
from sqlalchemy import select, text

from models import AuditEvent
from tests.api.walk import APPS, LOANS, Walk
from tests.books import set_fund


@pytest.fixture
def walk(client, keys, session, business_date):
    set_fund(session, 50_000_000)
    return Walk(client, keys, business_date)


def _code(response):
    return response.status_code, (response.get_json() or {}).get("code")


def test_nothing_is_dated_after_the_business_date(walk):
    loan = walk.loan()
    url = f"{LOANS}/{loan['id']}"
    walk.on("2026-06-30")
    tomorrow, today = "2026-07-01", "2026-06-30"
    assert _code(walk.post(f"{url}/repayments", walk.bank, {
        "principal": "0.00", "interest": "75.00", "paid_on": tomorrow}, idempotent=True)
    ) == (422, "date_in_future")
    assert walk.repay(loan["id"], today, "0.00", "75.00").status_code == 201
    # A report dated in the future would state a year of interest not yet accrued; refused,
    # so the true report of today is not then refused as stale.
    assert _code(walk.post(f"{url}/status-reports", walk.bank, {
        "as_of": tomorrow, "days_past_due": 0})) == (422, "date_in_future")
    now = walk.report(loan["id"], today, 0)
    assert now.status_code == 201 and now.get_json()["dpd_as_of"] == today
    assert _code(walk.post(f"{url}/extension", walk.bank, {
        "months": 3, "reason": "harvest late", "extended_on": tomorrow})) == (422, "date_in_future")
    assert _code(walk.post(f"{url}/diversion", walk.officer, {
        "found_on": tomorrow, "note": "village visit"})) == (422, "date_in_future")
    assert walk.post(f"{url}/diversion", walk.officer,
                     {"found_on": today, "note": "village visit"}).status_code == 200
    app_id = walk.accepted(walk.household(), on=today)
    assert _code(walk.disburse(app_id, on=tomorrow)) == (422, "date_in_future")
    assert walk.disburse(app_id, on=today).status_code == 201
    hid = walk.household()
    event = f"/api/v1/households/{hid}/monitoring-events"
    assert walk.post(event, walk.officer, {"kind": "disaster", "occurred_on": tomorrow}
                     ).status_code == 422
    assert walk.post(event, walk.officer, {"kind": "disaster", "occurred_on": today}
                     ).status_code == 201


def test_no_disbursement_before_the_bank_accepted(walk):
    app_id = walk.accepted(walk.household(), on="2026-03-02")
    assert _code(walk.disburse(app_id, on="2026-03-01")) == (422, "before_acceptance")
    made = walk.disburse(app_id, on="2026-03-02")
    assert made.status_code == 201 and made.get_json()["loan"]["disbursed_on"] == "2026-03-02"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_refused_not_500(walk, day):
    loan = walk.loan()
    url = f"{LOANS}/{loan['id']}"
    walk.on("2026-06-30")
    app_id = walk.accepted(walk.household(), on="2026-06-30")
    hid = walk.household()
    calls = [
        (f"{APPS}/{app_id}/disbursement", walk.bank, {
            "amount": "10000.00", "disbursed_on": day, "annual_rate": "3.00",
            "schedule": "interest_quarterly"}, True),
        (f"{url}/repayments", walk.bank, {"principal": "1.00", "interest": "0.00",
                                          "paid_on": day}, True),
        (f"{url}/status-reports", walk.bank, {"as_of": day, "days_past_due": 0}, False),
        (f"{url}/status-reports", walk.bank, {"as_of": day, "days_past_due": 10**6}, False),
        (f"{url}/extension", walk.bank, {"months": 3, "reason": "late", "extended_on": day},
         False),
        (f"{url}/diversion", walk.officer, {"found_on": day, "note": "village visit"}, False),
        (f"/api/v1/households/{hid}/monitoring-events", walk.officer,
         {"kind": "disaster", "occurred_on": day}, False),
    ]
    for path, headers, body, idempotent in calls:
        response = walk.post(path, headers, body, idempotent=idempotent)
        assert _code(response) == (422, "validation_error"), (path, body, response.get_json())
        (field,) = (name for name, value in body.items() if value == day)
        assert field in response.get_json()["errors"]["json"], (path, response.get_json())
    feed = walk.post("/api/v1/loan-status-reports", walk.bank,
                     {"rows": [{"loan_id": loan["id"], "as_of": day, "days_past_due": 0}]})
    assert _code(feed) == (422, "validation_error")
    assert "as_of" in feed.get_json()["errors"]["json"]["rows"]["0"]


def test_days_past_due_never_exceed_the_days_since_the_first_due_date(walk, session):
    loan = walk.loan()  # paid out 5 Jan 2026; the first interest falls due on 5 Apr
    same_day = walk.report(loan["id"], "2026-01-05", 95)
    assert _code(same_day) == (422, "dpd_exceeds_age")
    assert _code(walk.report(loan["id"], "2026-04-05", 1)) == (422, "dpd_exceeds_age")
    assert walk.report(loan["id"], "2026-04-05", 0).status_code == 201
    assert _code(walk.report(loan["id"], "2026-07-09", 96)) == (422, "dpd_exceeds_age")
    late = walk.report(loan["id"], "2026-07-09", 95)
    assert late.status_code == 201 and late.get_json()["classification"] == "次级"
    assert session.execute(text("SELECT count(*) FROM status_reports")).scalar() == 2


def test_a_wrong_report_is_corrected_audited_and_the_true_one_applied(walk, session, keys):
    loan = walk.loan()
    url = f"{LOANS}/{loan['id']}"
    wrong = walk.report(loan["id"], "2026-07-09", 95).get_json()
    assert wrong["classification"] == "次级" and wrong["subsidy_cancelled"] is True
    assert wrong["subsidy_cancelled_on"] == "2026-04-06"  # 95 days past due on 9 Jul
    assert session.execute(text("SELECT npl_outstanding_fen FROM fund")).scalar() == 1_000_000
    reports = walk.client.get(url, headers=walk.manager).get_json()["status_reports"]
    report_id = reports[-1]["id"]
    # The true report, dated before the wrong one, is refused until the wrong one is corrected.
    assert _code(walk.report(loan["id"], "2026-07-01", 0)) == (409, "stale_status_report")
    fix = f"{url}/status-reports/{report_id}/correction"
    assert walk.post(fix, keys.headers("bank", "ABC"), {"reason": "wrong loan keyed"}
                     ).status_code == 404
    assert walk.post(fix, walk.bank, {}).status_code == 422  # a reason is required
    assert _code(walk.post(fix, walk.bank, {"reason": "wrong loan keyed", "as_of": "2026-07-01"})
                 ) == (422, "replacement_incomplete")
    assert _code(walk.post(f"{url}/status-reports/nope/correction", walk.bank,
                           {"reason": "wrong loan keyed"})) == (404, "status_report_not_found")
    fixed = walk.post(fix, walk.bank, {"reason": "wrong loan keyed", "as_of": "2026-07-01",
                                       "days_past_due": 0})
    assert fixed.status_code == 200, fixed.get_json()
    body = fixed.get_json()
    assert (body["days_past_due"], body["classification"], body["dpd_as_of"]) == (
        0, "正常", "2026-07-01")
    assert body["subsidy_cancelled"] is False  # stopped only by the wrong report
    assert body["subsidy_cancelled_on"] is None
    assert body["accrued_unpaid_interest"] == "147.50"  # 177 days on ¥10,000 at 3%/360
    assert session.execute(text("SELECT npl_outstanding_fen FROM fund")).scalar() == 0
    again = walk.post(fix, walk.bank, {"reason": "wrong loan keyed"})
    assert _code(again) == (409, "report_already_superseded")
    history = walk.client.get(url, headers=walk.manager).get_json()["status_reports"]
    superseded = [r for r in history if r["superseded_at"]]
    assert [(r["id"], r["superseded_reason"]) for r in superseded] == [
        (report_id, "wrong loan keyed")]
    assert len(history) == 2
    event = session.execute(select(AuditEvent).where(
        AuditEvent.action == "loan.status_report_correction")).scalar_one()
    assert (event.before["days_past_due"], event.after["days_past_due"]) == (95, 0)
    assert event.detail["report_id"] == report_id and event.detail["reason"] == "wrong loan keyed"
    claim = walk.post(f"{url}/claims", walk.bank)
    assert _code(claim) == (409, "not_in_default")


def test_a_correction_without_a_replacement_returns_the_loan_to_its_last_true_report(walk):
    loan = walk.loan()
    url = f"{LOANS}/{loan['id']}"
    assert walk.report(loan["id"], "2026-05-01", 26).status_code == 201
    walk.report(loan["id"], "2026-07-09", 95)
    reports = walk.client.get(url, headers=walk.manager).get_json()["status_reports"]
    fixed = walk.post(f"{url}/status-reports/{reports[-1]['id']}/correction", walk.bank,
                      {"reason": "the feed sent June's file twice"})
    assert fixed.status_code == 200, fixed.get_json()
    body = fixed.get_json()
    assert (body["days_past_due"], body["classification"], body["dpd_as_of"]) == (
        26, "关注", "2026-05-01")
    assert body["subsidy_cancelled"] is True  # the first report was overdue too
    assert body["subsidy_cancelled_on"] == "2026-04-06"


def test_superseding_the_first_overdue_report_moves_the_day_the_subsidy_stopped(walk):
    loan = walk.loan()
    url = f"{LOANS}/{loan['id']}"
    first = walk.report(loan["id"], "2026-05-01", 26).get_json()
    assert first["subsidy_cancelled_on"] == "2026-04-06"
    assert walk.report(loan["id"], "2026-07-09", 10).get_json()["subsidy_cancelled_on"] == "2026-04-06"
    reports = walk.client.get(url, headers=walk.manager).get_json()["status_reports"]
    fixed = walk.post(f"{url}/status-reports/{reports[0]['id']}/correction", walk.bank,
                      {"reason": "another loan's arrears keyed on this one"})
    assert fixed.status_code == 200, fixed.get_json()
    # The report still standing says overdue from 30 Jun: interest paid before then is subsidised.
    assert fixed.get_json()["subsidy_cancelled_on"] == "2026-06-30"
