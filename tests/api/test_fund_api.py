"""The fund's API: contributions, the fund view, ledger, exposure, stress, claims, reconcile."""

from sqlalchemy import text

from creditsvc.infra.extensions import db
from tests.factories import LoanFactory
from tests.today import TODAY

TODAY_ISO = TODAY.isoformat()


def _contribute(client, fm, amount, key, path="/api/v1/fund/contributions"):
    return client.post(path, json={"amount": amount, "date": TODAY_ISO, "memo": "county budget"},
                       headers={**fm, "Idempotency-Key": key})


def test_contribution_is_idempotent_and_moves_capital_and_balance(client, keys):
    fm = keys.headers("fund_manager")
    first = _contribute(client, fm, "500000.00", "contrib-0001")
    assert first.status_code == 201
    assert sorted((p["account"], p["amount"]) for p in first.get_json()["postings"]) == [
        ("contributions", "-500000.00"), ("fund_cash", "500000.00")]
    again = _contribute(client, fm, "500000.00", "contrib-0001")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert _contribute(client, fm, "1.00", "contrib-0001").status_code == 422
    assert _contribute(client, fm, "0.00", "contrib-0002").status_code == 422
    assert _contribute(client, fm, "12.5", "contrib-0003").status_code == 201
    assert _contribute(client, fm, 12.5, "contrib-0004").status_code == 422
    interest = _contribute(client, fm, "100.00", "interest-01", "/api/v1/fund/interest")
    assert interest.status_code == 201
    view = client.get("/api/v1/fund", headers=fm).get_json()
    assert (view["capital"], view["balance"]) == ("500012.50", "500112.50")
    ledger = client.get("/api/v1/fund/ledger?page_size=2", headers=fm)
    assert len(ledger.get_json()) == 2
    assert '"total": 3' in ledger.headers["X-Pagination"]


def test_fund_view_numbers_and_suspension(client, keys, session):
    fm = keys.headers("fund_manager")
    _contribute(client, fm, "500000.00", "contrib-0001")
    LoanFactory(bank_code="PSBC", principal_fen=3_000_000_00)
    LoanFactory(bank_code="ABC", principal_fen=1_000_000_00, days_past_due=120)
    db.session.rollback()
    view = client.get("/api/v1/fund", headers=fm).get_json()
    assert view["leverage_cap"] == "5000000.00"
    assert view["guaranteed_outstanding"] == "4000000.00"
    assert view["available_capacity"] == "1000000.00"
    banks = {b["bank_code"]: b for b in view["banks"]}
    assert banks["PSBC"]["available"] == "0.00" and banks["ABC"]["available"] == "1000000.00"
    assert view["contingent_liability"] == "3200000.00"
    assert view["coverage_ratio"] == "0.1563"
    assert view["npl_ratio"] == "0.2500"
    assert view["lending_suspended"] is True
    assert view["suspension_reasons"] == ["npl_tolerance_reached"]


def test_a_bank_may_not_read_the_fund(client, keys):
    assert client.get("/api/v1/fund", headers=keys.headers("bank")).status_code == 403


def test_claim_flow_over_the_api(client, keys, session):
    fm, psbc = keys.headers("fund_manager"), keys.headers("bank", "PSBC")
    _contribute(client, fm, "10000.00", "contrib-0001")
    loan_id = LoanFactory(principal_fen=1_250_000, accrued_interest_unpaid_fen=10_000, days_past_due=95).id
    healthy_id = LoanFactory(principal_fen=500_000).id
    db.session.rollback()
    refused = client.post(f"/api/v1/loans/{healthy_id}/claims", headers=psbc)
    assert (refused.status_code, refused.get_json()["code"]) == (409, "not_in_default")
    filed = client.post(f"/api/v1/loans/{loan_id}/claims", headers=psbc)
    assert filed.status_code == 201
    claim = filed.get_json()
    assert claim["amount"] == "10080.00" and claim["computation"]["claimable_base"] == "12600.00"
    dup = client.post(f"/api/v1/loans/{loan_id}/claims", headers=psbc)
    assert (dup.status_code, dup.get_json()["code"]) == (409, "claim_exists")
    assert client.get(f"/api/v1/claims/{claim['id']}",
                      headers=keys.headers("bank", "ABC")).status_code == 404
    assert len(client.get("/api/v1/claims", headers=keys.headers("bank", "ABC")).get_json()) == 0
    short = client.post(f"/api/v1/claims/{claim['id']}/approve",
                        headers={**fm, "Idempotency-Key": "approve-0001"})
    assert (short.status_code, short.get_json()["code"]) == (409, "fund_exhausted")
    view = client.get("/api/v1/fund", headers=fm).get_json()
    assert view["balance"] == "10000.00" and "balance_below_floor" not in view["suspension_reasons"]
    _contribute(client, fm, "100.00", "contrib-0002")
    paid = client.post(f"/api/v1/claims/{claim['id']}/approve",
                       headers={**fm, "Idempotency-Key": "approve-0002"})
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    view = client.get("/api/v1/fund", headers=fm).get_json()
    assert view["balance"] == "20.00" and view["suspension_reasons"] == ["balance_below_floor"]
    rec = client.post(f"/api/v1/loans/{loan_id}/recoveries",
                      json={"amount": "1000.00", "recovered_on": TODAY_ISO},
                      headers={**psbc, "Idempotency-Key": "recover-0001"})
    assert rec.status_code == 201 and rec.get_json()["fund_share"] == "800.00"
    history = client.get("/api/v1/fund/exposure", headers=fm).get_json()["history"]
    assert history[-1]["claims_paid"] == "10080.00" and history[-1]["closing_balance"] == "820.00"


def test_reject_needs_a_reason(client, keys, session):
    fm = keys.headers("fund_manager")
    _contribute(client, fm, "100000.00", "contrib-0001")
    loan_id = LoanFactory(days_past_due=120).id
    db.session.rollback()
    claim = client.post(f"/api/v1/loans/{loan_id}/claims", headers=keys.headers("bank")).get_json()
    assert client.post(f"/api/v1/claims/{claim['id']}/reject", json={}, headers=fm).status_code == 422
    done = client.post(f"/api/v1/claims/{claim['id']}/reject", json={"reason": "diverted funds"},
                       headers=fm)
    assert done.get_json()["status"] == "rejected"


def test_exposure_breakdown_and_ratios(client, keys, session):
    fm = keys.headers("fund_manager")
    _contribute(client, fm, "500000.00", "contrib-0001")
    LoanFactory(bank_code="PSBC", principal_fen=3_000_000, town="渔湖镇", grade="AAA")
    LoanFactory(bank_code="ABC", principal_fen=1_000_000, town="地都镇", days_past_due=45)
    db.session.rollback()
    body = client.get("/api/v1/fund/exposure", headers=fm).get_json()
    assert body["outstanding"] == "40000.00" and body["loans"] == 2
    by_town = {g["key"]: g for g in body["breakdown"]["town"]}
    assert by_town["渔湖镇"]["share"] == "0.7500" and by_town["地都镇"]["loans"] == 1
    assert {g["key"] for g in body["breakdown"]["classification"]} == {"正常", "关注"}
    assert (body["par30"], body["par90"], body["npl_ratio"]) == ("0.2500", "0.0000", "0.0000")


def test_stress_endpoint_is_seeded(client, keys, session):
    fm = keys.headers("fund_manager")
    _contribute(client, fm, "100000.00", "contrib-0001")
    for _ in range(5):
        LoanFactory(principal_fen=5_000_000, pd=0.2)
    db.session.rollback()
    url = "/api/v1/fund/stress?paths=2000&seed=7"
    first = client.get(url, headers=fm).get_json()
    assert first == client.get(url, headers=fm).get_json()
    assert first["loans"] == 5 and first["method"] == "exact"
    assert 0 < first["prob_exhausted"] < 1
    assert client.get("/api/v1/fund/stress?paths=5", headers=fm).status_code == 422


def test_reconcile_command_names_the_break(runner, client, keys, session):
    _contribute(client, keys.headers("fund_manager"), "1000.00", "contrib-0001")
    ok = runner.invoke(args=["fund", "reconcile"])
    assert ok.exit_code == 0, ok.output
    session.execute(text("UPDATE fund SET balance_fen = balance_fen + 1"))
    session.commit()
    broken = runner.invoke(args=["fund", "reconcile"])
    assert broken.exit_code == 1
    assert "fund.balance_fen is 100001 but the ledger's fund_cash says 100000" in broken.output


def test_a_mistaken_contribution_is_reversed_never_edited(client, keys, session):
    from creditsvc.services.fund.reconcile import reconcile

    fm = keys.headers("fund_manager")
    right = _contribute(client, fm, "500000.00", "contrib-0001").get_json()
    wrong = _contribute(client, fm, "50000.00", "contrib-0002").get_json()  # typed a zero too many

    def reverse(entry_id, key, **body):
        return client.post(f"/api/v1/fund/ledger/{entry_id}/reversal", headers={**fm, "Idempotency-Key": key},
                           json={"reason": "keyed twice", "effective_on": TODAY_ISO, **body})

    assert reverse(wrong["id"], "rev-0001", reason="").status_code == 422
    done = reverse(wrong["id"], "rev-0002")
    assert done.status_code == 201, done.get_json()
    assert sorted((p["account"], p["amount"]) for p in done.get_json()["postings"]) == [
        ("contributions", "50000.00"), ("fund_cash", "-50000.00")]
    view = client.get("/api/v1/fund", headers=fm).get_json()
    assert (view["capital"], view["balance"]) == ("500000.00", "500000.00")
    again = reverse(wrong["id"], "rev-0003")
    assert (again.status_code, again.get_json()["code"]) == (409, "already_reversed")
    of_reversal = reverse(done.get_json()["id"], "rev-0004")
    assert (of_reversal.status_code, of_reversal.get_json()["code"]) == (409, "not_reversible")
    assert reverse("no-such-entry", "rev-0005").status_code == 404
    # Both entries stay in the ledger; the books still reconcile.
    assert len(client.get("/api/v1/fund/ledger", headers=fm).get_json()) == 3
    assert reconcile(session) == [] and right["id"]
    assert client.post(f"/api/v1/fund/ledger/{right['id']}/reversal",
                       headers={**keys.headers("admin"), "Idempotency-Key": "rev-0006"},
                       json={"reason": "nope", "effective_on": TODAY_ISO}).status_code == 403


def test_a_reversal_cannot_take_the_balance_below_zero(client, keys, session):
    fm, psbc = keys.headers("fund_manager"), keys.headers("bank", "PSBC")
    entry = _contribute(client, fm, "10000.00", "contrib-0001").get_json()
    loan_id = LoanFactory(principal_fen=1_000_000, days_past_due=95).id
    db.session.rollback()
    claim = client.post(f"/api/v1/loans/{loan_id}/claims", headers=psbc).get_json()
    paid = client.post(f"/api/v1/claims/{claim['id']}/approve",
                       headers={**fm, "Idempotency-Key": "approve-0001"})
    assert paid.status_code == 200, paid.get_json()
    refused = client.post(f"/api/v1/fund/ledger/{entry['id']}/reversal",
                          headers={**fm, "Idempotency-Key": "rev-0001"},
                          json={"reason": "test the floor", "effective_on": TODAY_ISO})
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["code"] == "fund_exhausted"
    assert client.get("/api/v1/fund", headers=fm).get_json()["balance"] == "2000.00"
