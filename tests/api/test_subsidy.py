"""The interest subsidy booked, through the API: share x contract interest actually paid before
the subsidy stopped, a statement per bank per quarter, review → announcement → payment.

The book: three PSBC loans and one ABC loan, ¥10,000 at 3.00% from 5 Jan 2026, interest
quarterly (75.00 due 5 Apr, 75.83 due 5 Jul). One PSBC loan goes overdue from 6 Jul, one's
money is found diverted on 10 May. The business date is the suite's fixed 2 Nov 2026.
"""

from sqlalchemy import func, select

from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform.audit_chain import verify_chain
from models import AuditEvent, JournalEntry, Posting
from tests.api.test_loans import LOANS, accepted, disburse, post
from tests.books import fund_with

STATEMENTS = "/api/v1/subsidy-statements"


def repay(client, bank, loan_id, interest, paid_on, key, principal="0.00"):
    answer = post(client, f"{LOANS}/{loan_id}/repayments", bank,
                  {"principal": principal, "interest": interest, "paid_on": paid_on}, key)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def book(client, keys, session):
    """The book described above; returns the loans by name."""
    fund_with(session, 50_000_000)  # through the ledger, so that it reconciles
    psbc, abc = keys.headers("bank", "PSBC"), keys.headers("bank", "ABC")
    loans = {name: disburse(client, psbc, accepted(session), f"sub-{name}-0").get_json()["loan"]["id"]
             for name in ("good", "late", "diverted")}
    loans["abc"] = disburse(client, abc, accepted(session, bank="ABC"),
                            "sub-abc-0").get_json()["loan"]["id"]
    for name in ("good", "late", "diverted"):
        repay(client, psbc, loans[name], "75.00", "2026-04-05", f"sub-{name}-q2")
    repay(client, abc, loans["abc"], "75.00", "2026-04-05", "sub-abc-q2")
    found = post(client, f"{LOANS}/{loans['diverted']}/diversion", psbc,
                 {"found_on": "2026-05-10", "note": "village visit: the loan bought a motorbike"})
    assert found.status_code == 200
    repay(client, psbc, loans["good"], "75.83", "2026-07-05", "sub-good-q3")
    repay(client, psbc, loans["diverted"], "75.83", "2026-07-05", "sub-diverted-q3")
    late = post(client, f"{LOANS}/{loans['late']}/status-reports", psbc,
                {"as_of": "2026-07-20", "days_past_due": 15})
    assert late.get_json()["subsidy_cancelled_on"] == "2026-07-06"
    repay(client, psbc, loans["late"], "75.83", "2026-07-25", "sub-late-q3")  # paid late
    return loans


def compile_(client, manager, bank, year, quarter):
    return client.post(STATEMENTS, headers=manager, json={"bank": bank, "year": year,
                                                          "quarter": quarter})


def test_the_subsidy_is_the_share_of_interest_paid_before_it_stopped(client, keys, officer, session):
    loans = book(client, keys, session)
    manager = keys.headers("fund_manager")
    q2 = compile_(client, manager, "PSBC", 2026, 2)
    assert q2.status_code == 200, q2.get_json()
    body = q2.get_json()
    assert body["number"] == "TX-PSBC-2026Q2" and body["status"] == "compiled"
    lines = {line["loan_id"]: line for line in body["lines"]}
    assert set(lines) == {loans["good"], loans["late"], loans["diverted"]}  # no ABC loan
    # Paid on 5 Apr, before either stop: every loan's Q2 interest is subsidised in full.
    assert {k: v["subsidy"] for k, v in lines.items()} == dict.fromkeys(lines, "75.00")
    assert lines[loans["diverted"]]["cancelled_reason"] == "diverted"
    assert lines[loans["diverted"]]["cancelled_on"] == "2026-05-10"
    assert body["subsidy"] == "225.00" and body["share"] == "1.00"
    # The policy in force at compilation: a share of 80% for Q3.
    changed = client.put("/api/v1/policy", headers=manager,
                         json={"changes": {"interest_subsidy_share": "0.80"}, "note": "county budget"})
    assert changed.status_code == 200, changed.get_json()
    q3 = compile_(client, manager, "PSBC", 2026, 3).get_json()
    lines = {line["loan_id"]: line for line in q3["lines"]}
    assert lines[loans["good"]]["interest_paid"] == "75.83"
    assert lines[loans["good"]]["subsidy"] == "60.66"  # 0.80 x 75.83 = 60.664
    # Paid after the day each stopped: shown, with why, and nothing subsidised.
    for name, reason, day in (("late", "overdue", "2026-07-06"), ("diverted", "diverted", "2026-05-10")):
        line = lines[loans[name]]
        assert (line["interest_paid"], line["interest_counted"], line["subsidy"]) == (
            "75.83", "0.00", "0.00")
        assert (line["cancelled"], line["cancelled_reason"], line["cancelled_on"]) == (True, reason, day)
    assert q3["subsidy"] == "60.66" and q3["share"] == "0.80" and q3["interest_paid"] == "227.49"
    not_ended = compile_(client, manager, "PSBC", 2026, 4)
    assert not_ended.status_code == 409 and not_ended.get_json()["code"] == "quarter_not_ended"


def test_compiling_twice_gives_one_statement(client, keys, officer, session):
    book(client, keys, session)
    manager = keys.headers("fund_manager")
    first, second = (compile_(client, manager, "PSBC", 2026, 2).get_json() for _ in range(2))
    assert first == second
    listed = client.get(f"{STATEMENTS}?year=2026&quarter=2", headers=manager).get_json()
    assert [s["id"] for s in listed] == [first["id"]]
    events = session.execute(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "subsidy.compile")).scalar_one()
    assert events == 1
    # A Q2 repayment the bank reports late: taken in while the statement awaits review...
    psbc = keys.headers("bank", "PSBC")
    late = disburse(client, psbc, accepted(session), "sub-late-reported").get_json()["loan"]["id"]
    repay(client, psbc, late, "30.00", "2026-06-30", "sub-late-reported-q2")
    again = compile_(client, manager, "PSBC", 2026, 2).get_json()
    assert again["id"] == first["id"] and again["subsidy"] == "255.00" and len(again["lines"]) == 4
    # ... and frozen once reviewed (by another fund manager: four eyes).
    checker = keys.headers("fund_manager", name="fund-checker")
    assert client.post(f"{STATEMENTS}/{first['id']}/review", headers=checker, json={}).status_code == 200
    repay(client, psbc, late, "10.00", "2026-06-30", "sub-later-still-q2")
    frozen = compile_(client, manager, "PSBC", 2026, 2).get_json()
    assert frozen["subsidy"] == "255.00" and frozen["status"] == "reviewed"


def test_review_announce_and_payment_with_their_refusals(client, keys, officer, session):
    book(client, keys, session)
    manager, psbc, abc = (keys.headers("fund_manager"), keys.headers("bank", "PSBC"),
                          keys.headers("bank", "ABC"))
    checker = keys.headers("fund_manager", name="fund-checker")  # reviews what MANAGER compiled
    ledger_before = (session.execute(select(func.count()).select_from(JournalEntry)).scalar_one(),
                     session.execute(select(func.count()).select_from(Posting)).scalar_one())
    sid = compile_(client, manager, "PSBC", 2026, 2).get_json()["id"]
    abc_id = compile_(client, manager, "ABC", 2026, 2).get_json()["id"]
    url = f"{STATEMENTS}/{sid}"
    pay = {"amount": "225.00", "paid_on": "2026-10-20", "reference": "GK-2026-0420"}
    # Out of order: each step names its refusal.
    early = post(client, f"{url}/payment", manager, pay, "pay-early-01")
    assert early.status_code == 409 and early.get_json()["code"] == "subsidy_not_announced"
    unreviewed = client.post(f"{url}/announcement", headers=manager)
    assert unreviewed.status_code == 409 and unreviewed.get_json()["code"] == "subsidy_not_reviewed"
    # A bank sees no draft, not even its own.
    assert client.get(url, headers=psbc).status_code == 404
    assert client.get(STATEMENTS, headers=psbc).get_json() == []
    reviewed = client.post(f"{url}/review", headers=checker, json={"note": "checked with PSBC"})
    assert reviewed.status_code == 200 and reviewed.get_json()["status"] == "reviewed"
    again = client.post(f"{url}/review", headers=checker, json={})
    assert again.status_code == 409 and again.get_json()["code"] == "subsidy_already_reviewed"
    announced = client.post(f"{url}/announcement", headers=manager)
    assert announced.status_code == 200 and announced.get_json()["announced_on"] == "2026-11-02"
    twice = client.post(f"{url}/announcement", headers=manager)
    assert twice.status_code == 409 and twice.get_json()["code"] == "subsidy_already_announced"
    # The bank now sees its own statement, read-only, and never the other bank's.
    assert client.get(url, headers=psbc).get_json()["subsidy"] == "225.00"
    assert [s["id"] for s in client.get(STATEMENTS, headers=psbc).get_json()] == [sid]
    assert client.get(url, headers=abc).status_code == 404
    assert client.get(f"{STATEMENTS}/{abc_id}", headers=psbc).status_code == 404
    assert client.post(f"{url}/review", headers=psbc, json={}).status_code == 403
    wrong = post(client, f"{url}/payment", manager, {**pay, "amount": "224.99"}, "pay-wrong-01")
    assert wrong.status_code == 422 and wrong.get_json()["code"] == "subsidy_amount_mismatch"
    before = post(client, f"{url}/payment", manager, {**pay, "paid_on": "2026-11-01"}, "pay-early-02")
    assert before.status_code == 422 and before.get_json()["code"] == "before_announcement"
    pay["paid_on"] = "2026-11-02"
    paid = post(client, f"{url}/payment", manager, pay, "pay-0001")
    assert paid.status_code == 201, paid.get_json()
    assert paid.get_json()["amount"] == "225.00" and paid.get_json()["reference"] == "GK-2026-0420"
    replay = post(client, f"{url}/payment", manager, pay, "pay-0001")
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.get_data() == paid.get_data()
    second = post(client, f"{url}/payment", manager, pay, "pay-0002")
    assert second.status_code == 409 and second.get_json()["code"] == "subsidy_already_paid"
    shown = client.get(url, headers=psbc).get_json()
    assert shown["status"] == "paid" and shown["payment"]["reference"] == "GK-2026-0420"
    # The bureau's money: the guarantee fund's ledger did not move and still reconciles.
    assert (session.execute(select(func.count()).select_from(JournalEntry)).scalar_one(),
            session.execute(select(func.count()).select_from(Posting)).scalar_one()) == ledger_before
    assert reconcile(session) == []
    actions = session.execute(select(AuditEvent.action).where(
        AuditEvent.target_id == sid).order_by(AuditEvent.seq)).scalars().all()
    assert actions == ["subsidy.compile", "subsidy.review", "subsidy.announce", "subsidy.payment"]


def test_roles(client, keys, officer, session):
    assert client.get(STATEMENTS, headers=officer).status_code == 403
    assert client.get(STATEMENTS, headers=keys.headers("admin")).status_code == 403
    assert compile_(client, keys.headers("bank"), "PSBC", 2026, 2).status_code == 403
    bad = compile_(client, keys.headers("fund_manager"), "XYZ", 2026, 5)
    assert bad.status_code == 422 and set(bad.get_json()["errors"]["json"]) == {"bank", "quarter"}


def test_four_eyes_the_compiler_does_not_review_and_the_reviewer_does_not_confirm_payment(
        client, keys, officer, session):
    book(client, keys, session)
    compiler, reviewer = (keys.headers("fund_manager", name="fund-compiler"),
                          keys.headers("fund_manager", name="fund-reviewer"))
    sid = compile_(client, compiler, "PSBC", 2026, 2).get_json()["id"]
    url = f"{STATEMENTS}/{sid}"
    own = client.post(f"{url}/review", headers=compiler, json={"note": "my own figures"})
    assert own.status_code == 409 and own.get_json()["code"] == "subsidy_reviewer_is_compiler"
    assert "TX-PSBC-2026Q2" in own.get_json()["message"]
    assert client.get(url, headers=compiler).get_json()["status"] == "compiled"
    # Another fund manager's compilation that changes nothing leaves it the compiler's.
    assert compile_(client, reviewer, "PSBC", 2026, 2).status_code == 200
    assert client.post(f"{url}/review", headers=reviewer, json={}).status_code == 200
    assert client.post(f"{url}/announcement", headers=reviewer).status_code == 200
    pay = {"amount": "225.00", "paid_on": "2026-11-02", "reference": "GK-2026-0421"}
    mine = post(client, f"{url}/payment", reviewer, pay, "pay-four-eyes-1")
    assert mine.status_code == 409 and mine.get_json()["code"] == "subsidy_payer_is_reviewer"
    assert client.get(url, headers=compiler).get_json()["status"] == "announced"
    # The compiler confirms it: the amount is the total the other one reviewed.
    paid = post(client, f"{url}/payment", compiler, pay, "pay-four-eyes-2")
    assert paid.status_code == 201, paid.get_json()
    events = session.execute(select(AuditEvent).where(AuditEvent.target_id == sid)
                             .order_by(AuditEvent.seq)).scalars().all()
    assert [(e.action, e.outcome, e.actor_name, (e.detail or {}).get("code")) for e in events] == [
        ("subsidy.compile", "ok", "fund-compiler", None),
        ("subsidy.review", "refused", "fund-compiler", "subsidy_reviewer_is_compiler"),
        ("subsidy.review", "ok", "fund-reviewer", None),
        ("subsidy.announce", "ok", "fund-reviewer", None),
        ("subsidy.payment", "refused", "fund-reviewer", "subsidy_payer_is_reviewer"),
        ("subsidy.payment", "ok", "fund-compiler", None)]
    assert verify_chain(session).ok
