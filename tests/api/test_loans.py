"""The lifecycle through the API as each role: disbursement, servicing, transitions, authorization."""

import json

from sqlalchemy import select, text

from creditsvc.infra.extensions import db
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform.audit_chain import verify_chain
from models import AuditEvent, Household
from tests.api.test_applications import household, submit
from tests.books import exposure_consistent, set_fund, user_id
from tests.factories import ApplicationFactory, HouseholdRowFactory

APPS, LOANS = "/api/v1/applications", "/api/v1/loans"
TERMS = {"amount": "10000.00", "disbursed_on": "2026-01-05", "annual_rate": "3.00",
         "schedule": "interest_quarterly"}


def post(client, url, headers, body, key=None):
    return client.post(url, json=body, headers={**headers, **({"Idempotency-Key": key} if key else {})})


def accepted(session, bank="PSBC", approved_fen=1_000_000, **kw):
    app = ApplicationFactory(submitted_by=user_id(session, "officer-x"), bank_code=bank, status="accepted",
                             approved_amount_fen=approved_fen, **kw)
    return app.id


def disburse(client, bank_headers, app_id, key, **terms):
    return post(client, f"{APPS}/{app_id}/disbursement", bank_headers, {**TERMS, **terms}, key)


def test_whole_lifecycle_as_each_role(client, officer, keys, session, business_date):
    """The loan's life walked on its own business dates (CREDITSVC_TODAY), not back-dated."""
    set_fund(session, 50_000_000)
    psbc, manager = keys.headers("bank", "PSBC"), keys.headers("fund_manager")
    business_date("2026-01-05")
    hid = household(client, officer, monitoring_events=[
        {"kind": "disaster", "occurred_on": "2025-08-01"}])
    app = submit(client, officer, "life-0001", household_id=hid).get_json()
    assert app["status"] == "referred"
    assert client.get(f"{APPS}/{app['id']}", headers=psbc).status_code == 404  # not yet approved
    reviewed = post(client, f"{APPS}/{app['id']}/review", manager,
                    {"decision": "approve", "note": "recovered from the flood", "approved_amount": "8000.00"})
    assert reviewed.status_code == 200, reviewed.get_json()
    listed = client.get(f"{APPS}?status=approved", headers=psbc).get_json()
    assert [a["id"] for a in listed] == [app["id"]]
    ok = post(client, f"{APPS}/{app['id']}/acceptance", psbc, {"decision": "accept", "reason": "KYC done"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "accepted"
    too_much = disburse(client, psbc, app["id"], "life-0002", amount="9000.00")
    assert too_much.status_code == 422 and too_much.get_json()["code"] == "amount_above_approved"
    high_rate = disburse(client, psbc, app["id"], "life-0003", amount="8000.00", annual_rate="3.01")
    assert high_rate.status_code == 422 and high_rate.get_json()["code"] == "rate_above_cap"
    made = disburse(client, psbc, app["id"], "life-0004", amount="8000.00")
    assert made.status_code == 201, made.get_json()
    loan = made.get_json()["loan"]
    assert loan["outstanding_principal"] == "8000.00" and loan["classification"] == "正常"
    assert [s["principal"] for s in loan["schedule"]] == ["0.00", "0.00", "0.00", "8000.00"]
    assert exposure_consistent(session)[:2] == (800_000, 800_000)
    url = f"{LOANS}/{loan['id']}"
    business_date("2026-04-05")
    paid = post(client, f"{url}/repayments", psbc,
                {"principal": "3000.00", "interest": "60.00", "paid_on": "2026-04-05"}, "life-0005")
    assert paid.status_code == 201, paid.get_json()
    business_date("2026-09-15")
    late = post(client, f"{url}/status-reports", psbc, {"as_of": "2026-09-01", "days_past_due": 120})
    assert late.status_code == 201 and late.get_json()["classification"] == "次级"
    assert late.get_json()["subsidy_cancelled"] is True
    # Interest owed on 1 Sep: 90 days on ¥8,000 (60.00) + 149 days on ¥5,000 (62.08), less
    # the 60.00 paid on 5 Apr.
    assert late.get_json()["accrued_unpaid_interest"] == "62.08"
    assert session.execute(text("SELECT npl_outstanding_fen FROM fund")).scalar() == 500_000
    ext = post(client, f"{url}/extension", psbc, {"months": 6, "reason": "epidemic rules 2020",
                                                  "extended_on": "2026-09-15"})
    assert ext.status_code == 200 and ext.get_json()["maturity_on"] == "2027-07-05"
    # The quarters after 15 Sep are laid again to the new maturity on the ¥8,000 scheduled,
    # the ¥3,000 repaid in April still counted against the principal.
    schedule = client.get(url, headers=manager).get_json()["loan"]["schedule"]
    assert [s["due_on"] for s in schedule] == ["2026-04-05", "2026-07-05", "2026-10-05",
                                               "2027-01-05", "2027-04-05", "2027-07-05"]
    assert [s["principal"] for s in schedule] == ["0.00"] * 5 + ["8000.00"]
    assert schedule[-1]["paid_principal"] == "3000.00"
    assert schedule[4]["interest"] == "60.00"  # an extra quarter: 90 days on ¥8,000 at 3%/360
    business_date("2026-10-01")
    cured = post(client, f"{url}/status-reports", psbc, {"as_of": "2026-10-01", "days_past_due": 0})
    assert cured.get_json()["classification"] == "正常"
    assert session.execute(text("SELECT npl_outstanding_fen FROM fund")).scalar() == 0
    business_date("2027-03-05")
    inside = post(client, f"{url}/status-reports", psbc, {"as_of": "2027-03-05", "days_past_due": 30})
    assert inside.get_json()["days_past_due"] == 0  # overdue days inside the extension do not count
    business_date("2027-07-05")
    rest = post(client, f"{url}/repayments", psbc,
                {"principal": "5000.00", "interest": "75.00", "paid_on": "2027-07-05"}, "life-0006")
    assert rest.status_code == 201
    detail = client.get(url, headers=manager).get_json()
    assert detail["loan"]["status"] == "repaid" and len(detail["repayments"]) == 2
    assert len(detail["status_reports"]) == 3
    assert exposure_consistent(session)[:2] == (0, 0)
    portfolio = client.get(f"{LOANS}/portfolio", headers=manager)
    assert portfolio.status_code == 200 and portfolio.get_json()["outstanding"] == "0.00"
    actions = {r[0] for r in session.execute(text("SELECT action FROM audit_events"))}
    assert {"application.submit", "application.review", "application.bank_decision", "loan.disburse",
            "loan.repayment", "loan.status_report", "loan.extension"} <= actions


def test_disallowed_transitions_are_409_with_a_code(client, officer, keys, session):
    set_fund(session, 50_000_000)
    psbc, manager = keys.headers("bank", "PSBC"), keys.headers("fund_manager")
    officer_id = user_id(session, "officer-x")
    approved = ApplicationFactory(submitted_by=officer_id).id
    early = disburse(client, psbc, approved, "tr-00001")
    assert early.status_code == 409 and early.get_json()["code"] == "invalid_transition"
    review = post(client, f"{APPS}/{approved}/review", manager, {"decision": "approve", "note": "again"})
    assert review.status_code == 409 and review.get_json()["code"] == "invalid_transition"
    app_id = accepted(session)
    again = post(client, f"{APPS}/{app_id}/acceptance", psbc, {"decision": "reject", "reason": "no"})
    assert again.status_code == 409 and again.get_json()["code"] == "invalid_transition"
    loan = disburse(client, psbc, app_id, "tr-00002").get_json()["loan"]
    twice = disburse(client, psbc, app_id, "tr-00003")
    assert twice.status_code == 409 and twice.get_json()["code"] == "invalid_transition"
    url = f"{LOANS}/{loan['id']}"
    over = post(client, f"{url}/repayments", psbc,
                {"principal": "10000.01", "interest": "0.00", "paid_on": "2026-02-01"}, "tr-00004")
    assert over.status_code == 422 and over.get_json()["code"] == "overpayment"
    assert post(client, f"{url}/extension", psbc, {"months": 7, "reason": "too long"}
                ).get_json()["code"] == "extension_too_long"
    late_ext = post(client, f"{url}/extension", psbc, {"months": 3, "reason": "harvest late",
                                                       "extended_on": "2031-01-01"})
    assert late_ext.status_code == 409 and late_ext.get_json()["code"] == "extension_after_maturity"
    too_early = post(client, f"{url}/extension", psbc, {"months": 3, "reason": "harvest late",
                                                        "extended_on": "2025-12-01"})
    assert too_early.status_code == 422 and too_early.get_json()["code"] == "invalid_date"
    assert post(client, f"{url}/extension", psbc, {"months": 3, "reason": "harvest late",
                                                   "extended_on": "2026-03-01"}).status_code == 200
    second = post(client, f"{url}/extension", psbc, {"months": 1, "reason": "harvest late",
                                                     "extended_on": "2026-03-02"})
    assert second.status_code == 409 and second.get_json()["code"] == "already_extended"
    post(client, f"{url}/status-reports", psbc, {"as_of": "2026-05-01", "days_past_due": 0})
    stale = post(client, f"{url}/status-reports", psbc, {"as_of": "2026-04-01", "days_past_due": 0})
    assert stale.status_code == 409 and stale.get_json()["code"] == "stale_status_report"
    post(client, f"{url}/repayments", psbc,
         {"principal": "10000.00", "interest": "0.00", "paid_on": "2026-06-01"}, "tr-00005")
    for path, body, key in ((f"{url}/repayments", {"principal": "1.00", "interest": "0.00",
                                                   "paid_on": "2026-06-02"}, "tr-00006"),
                            (f"{url}/status-reports", {"as_of": "2026-07-01", "days_past_due": 0}, None)):
        closed = post(client, path, psbc, body, key)
        assert closed.status_code == 409 and closed.get_json()["code"] == "invalid_transition"


def test_disbursement_refusals_name_the_cap(client, officer, keys, session):
    psbc = keys.headers("bank", "PSBC")
    set_fund(session, 100_000)  # capital 1,000 yuan: cap 10,000, PSBC's share 6,000
    over_bank = disburse(client, psbc, accepted(session), "cap-00001", amount="7000.00")
    assert over_bank.get_json()["code"] == "bank_capacity_reached"
    set_fund(session, 50_000_000, balance_fen=9_000_000)  # balance under 20% of capital
    low = disburse(client, psbc, accepted(session), "cap-00002")
    assert low.status_code == 409 and low.get_json()["code"] == "lending_suspended_balance"
    set_fund(session, 50_000_000)
    officer_id = user_id(session, "officer-x")
    hid = HouseholdRowFactory().id
    big = ApplicationFactory(submitted_by=officer_id, status="accepted", approved_amount_fen=4_500_000,
                             household=session.get(Household, hid))
    assert disburse(client, psbc, big.id, "cap-00003", amount="45000.00").status_code == 201
    more = ApplicationFactory(submitted_by=officer_id, status="accepted",
                              household=session.get(Household, hid))
    capped = disburse(client, psbc, more.id, "cap-00004", amount="6000.00")
    assert capped.status_code == 409 and capped.get_json()["code"] == "household_cap_reached"
    session.execute(text("UPDATE fund SET npl_outstanding_fen = 300000"))
    session.commit()
    npl = disburse(client, psbc, accepted(session), "cap-00005")
    assert npl.status_code == 409 and npl.get_json()["code"] == "lending_suspended_npl"
    assert session.execute(text("SELECT count(*) FROM loans")).scalar() == 1
    assert session.execute(text("SELECT guaranteed_outstanding_fen FROM fund")).scalar() == 4_500_000


def test_bank_object_level_matrix(client, officer, keys, session):
    set_fund(session, 50_000_000)
    banks = {b: keys.headers("bank", b) for b in ("PSBC", "ABC")}
    loans = {}
    for b in banks:
        app_id = accepted(session, bank=b)
        loans[b] = disburse(client, banks[b], app_id, f"matrix-{b}").get_json()["loan"]["id"]
    for me, other in (("PSBC", "ABC"), ("ABC", "PSBC")):
        assert client.get(f"{LOANS}/{loans[me]}", headers=banks[me]).status_code == 200
        for path, body in ((f"{LOANS}/{loans[other]}", None),
                           (f"{LOANS}/{loans[other]}/status-reports", {"as_of": "2026-03-01",
                                                                       "days_past_due": 0}),
                           (f"{LOANS}/{loans[other]}/extension", {"months": 1, "reason": "xxxx"})):
            response = (client.get(path, headers=banks[me]) if body is None
                        else post(client, path, banks[me], body))
            assert response.status_code == 404 and response.get_json()["code"] == "loan_not_found"
        mine = client.get(LOANS, headers=banks[me]).get_json()
        assert [loan["id"] for loan in mine] == [loans[me]]
    assert len(client.get(LOANS, headers=keys.headers("fund_manager")).get_json()) == 2
    own = client.get(f"{LOANS}/portfolio", headers=banks["ABC"]).get_json()
    assert own["outstanding"] == "10000.00"


def test_bulk_feed_applies_rows_independently(client, officer, keys, session):
    set_fund(session, 50_000_000)
    psbc, abc = keys.headers("bank", "PSBC"), keys.headers("bank", "ABC")
    mine = disburse(client, psbc, accepted(session), "bulk-0001").get_json()["loan"]["id"]
    theirs = disburse(client, abc, accepted(session, bank="ABC"), "bulk-0002").get_json()["loan"]["id"]
    # The first instalment fell due on 5 Apr 2026: 45 days late on 20 May, 130 on 13 Aug.
    rows = [{"loan_id": mine, "as_of": "2026-05-20", "days_past_due": 45},
            {"loan_id": theirs, "as_of": "2026-05-20", "days_past_due": 40},
            {"loan_id": "nope", "as_of": "2026-05-20", "days_past_due": 1},
            {"loan_id": mine, "as_of": "2026-05-01", "days_past_due": 0},
            {"loan_id": mine, "as_of": "2026-08-13", "days_past_due": 131},
            {"loan_id": mine, "as_of": "2030-01-01", "days_past_due": 0},
            {"loan_id": mine, "as_of": "2026-08-13", "days_past_due": 130}]
    response = client.post("/api/v1/loan-status-reports", json={"rows": rows}, headers=psbc)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["accepted"], body["rejected"]) == (2, 5)
    assert [r["code"] for r in body["results"]] == [None, "loan_not_found", "loan_not_found",
                                                     "stale_status_report", "dpd_exceeds_age",
                                                     "date_in_future", None]
    assert body["results"][6]["classification"] == "次级"
    assert session.execute(text("SELECT count(*) FROM status_reports")).scalar() == 2
    assert session.execute(text("SELECT npl_outstanding_fen FROM fund")).scalar() == 1_000_000
    # One audit event per applied row (the refused rows' events go with their savepoints),
    # appended in one batch at the end, and the chain still verifies.
    reported = "SELECT count(*) FROM audit_events WHERE action = 'loan.status_report'"
    assert session.execute(text(reported)).scalar() == 2
    assert verify_chain(session).ok
    # (set_fund wrote the fund row without the ledger, so only the ledger checks differ)
    assert [b for b in reconcile(session) if "ledger" not in b] == [], "exposure totals drifted"
    too_many = client.post("/api/v1/loan-status-reports", headers=psbc,
                           json={"rows": [rows[0]] * 10_001})
    assert too_many.status_code == 422
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/loan-status-reports" in spec["paths"]


def test_idempotent_disbursement_replays_conflicts_and_is_scoped(client, officer, keys, session):
    set_fund(session, 50_000_000)
    psbc = keys.headers("bank", "PSBC")
    app_id = accepted(session)
    first = disburse(client, psbc, app_id, "idem-00001")
    again = disburse(client, psbc, app_id, "idem-00001")
    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data() and again.headers["Idempotent-Replayed"] == "true"
    other = disburse(client, psbc, app_id, "idem-00001", amount="5000.00")
    assert other.status_code == 422 and other.get_json()["code"] == "idempotency_key_reused"
    assert session.execute(text("SELECT count(*) FROM loans")).scalar() == 1
    missing = disburse(client, psbc, app_id, None)
    assert missing.status_code == 400 and missing.get_json()["code"] == "idempotency_key_required"
    # Keys are scoped per caller: another PSBC user's same key is a new request.
    colleague = keys.headers("bank", "PSBC", name="psbc-colleague")
    fresh = disburse(client, colleague, accepted(session), "idem-00001")
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert json.loads(fresh.get_data())["loan"]["id"] != first.get_json()["loan"]["id"]


def test_a_refusal_is_decided_again_on_retry_under_the_same_key(client, officer, keys, session):
    """A 409 is not remembered: after the top-up that lifts it, the same key disburses once."""
    psbc = keys.headers("bank", "PSBC")
    set_fund(session, 100_000)
    app_id = accepted(session)
    refused = disburse(client, psbc, app_id, "idem-00002")
    assert refused.status_code == 409 and refused.get_json()["code"] == "bank_capacity_reached"
    set_fund(session, 50_000_000)
    retried = disburse(client, psbc, app_id, "idem-00002")
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    again = disburse(client, psbc, app_id, "idem-00002")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_data() == retried.get_data()
    assert session.execute(db.text("SELECT count(*) FROM loans")).scalar() == 1


def test_diverted_funds_cancel_the_subsidy(client, officer, keys, session):
    set_fund(session, 50_000_000)
    psbc, abc = keys.headers("bank", "PSBC"), keys.headers("bank", "ABC")
    manager = keys.headers("fund_manager")
    loan = disburse(client, psbc, accepted(session), "div-0001").get_json()["loan"]
    late = disburse(client, psbc, accepted(session), "div-0002").get_json()["loan"]
    url = f"{LOANS}/{loan['id']}/diversion"
    finding = {"found_on": "2026-02-10", "note": "village visit: the loan bought a car"}
    assert post(client, url, abc, finding).status_code == 404  # not ABC's loan
    assert post(client, url, psbc, {"found_on": "2026-02-10"}).status_code == 422  # a note is required
    early = post(client, url, psbc, {**finding, "found_on": "2025-12-31"})
    assert early.status_code == 422 and early.get_json()["code"] == "invalid_date"
    reported = post(client, url, officer, finding)
    assert reported.status_code == 200, reported.get_json()
    assert reported.get_json()["subsidy_cancelled"] is True
    assert reported.get_json()["subsidy_cancelled_reason"] == "diverted"
    again = post(client, url, psbc, finding)
    assert again.status_code == 409 and again.get_json()["code"] == "diversion_already_reported"
    post(client, f"{LOANS}/{late['id']}/status-reports", psbc, {"as_of": "2026-04-15", "days_past_due": 10})
    assert client.get(f"{LOANS}/{late['id']}", headers=manager).get_json()["loan"][
        "subsidy_cancelled_reason"] == "overdue"
    # The subsidy stops from the day each cause began (tests/api/test_subsidy.py: the amounts).
    assert reported.get_json()["subsidy_cancelled_on"] == "2026-02-10"
    assert client.get(f"{LOANS}/{late['id']}", headers=manager).get_json()["loan"][
        "subsidy_cancelled_on"] == "2026-04-06"
    detail = session.execute(select(AuditEvent.detail).where(AuditEvent.action == "loan.diversion"))
    assert detail.scalar_one()["note"] == finding["note"]
