"""A claim is paid on the loan as it stands when it is approved, over the API."""

import pytest
from sqlalchemy import text

from tests.api.walk import LOANS, Walk
from tests.books import set_fund


@pytest.fixture
def walk(client, keys, session, business_date):
    set_fund(session, 50_000_000)
    return Walk(client, keys, business_date)


def _code(response):
    return response.status_code, (response.get_json() or {}).get("code")


def test_a_loan_repaid_down_since_the_filing_is_paid_on_what_is_left(walk, session):
    loan = walk.defaulted()
    claim = walk.claim(loan["id"])
    # 0.8 x (10,000.00 + 154.17 interest for 185 days) = 8,123.336
    assert (claim["amount"], claim["amount_filed"], claim["amount_at_approval"]) == (
        "8123.34", "8123.34", None)
    assert walk.repay(loan["id"], "2026-07-15", "5000.00").status_code == 201
    assert walk.report(loan["id"], "2026-07-20", 106).status_code == 201
    paid = walk.approve(claim["id"])
    assert paid.status_code == 200, paid.get_json()
    body = paid.get_json()
    # Interest to 20 Jul: 191 days on ¥10,000 and 5 on ¥5,000 = 161.25; 0.8 x 5,161.25.
    assert (body["amount_filed"], body["amount_at_approval"], body["amount"]) == (
        "8123.34", "4129.00", "4129.00")
    assert body["computation"]["outstanding_principal"] == "10000.00"
    assert body["computation_at_approval"]["outstanding_principal"] == "5000.00"
    assert session.execute(text("SELECT claims_paid_fen FROM fund")).scalar() == 412_900
    assert session.execute(text("SELECT balance_fen FROM fund")).scalar() == 50_000_000 - 412_900


def test_a_loan_cured_below_the_trigger_is_not_paid_until_back_at_it(walk):
    loan = walk.defaulted()
    claim = walk.claim(loan["id"])
    assert walk.report(loan["id"], "2026-07-20", 89).status_code == 201
    cured = walk.approve(claim["id"])
    assert _code(cured) == (409, "not_in_default")
    assert walk.client.get(f"/api/v1/claims/{claim['id']}", headers=walk.manager
                           ).get_json()["status"] == "filed"
    assert walk.report(loan["id"], "2026-07-21", 90).status_code == 201
    paid = walk.approve(claim["id"])
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"


def test_a_loan_repaid_in_full_since_the_filing_is_refused(walk):
    loan = walk.defaulted()
    claim = walk.claim(loan["id"])
    assert walk.repay(loan["id"], "2026-07-15", "10000.00", "154.17").status_code == 201
    assert _code(walk.approve(claim["id"])) == (409, "not_in_default")
    rejected = walk.post(f"/api/v1/claims/{claim['id']}/reject", walk.manager,
                         {"reason": "repaid in full after filing"})
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"


def test_a_recovery_is_dated_between_the_claims_payment_and_today(walk):
    loan = walk.claimed()  # the fund paid the claim on 20 Jul 2026
    url = f"{LOANS}/{loan['id']}/recoveries"
    before = walk.post(url, walk.bank, {"amount": "100.00", "recovered_on": "2026-07-19"},
                       idempotent=True)
    assert _code(before) == (422, "before_claim_paid")
    future = walk.post(url, walk.bank, {"amount": "100.00", "recovered_on": "2026-07-21"},
                       idempotent=True)
    assert future.status_code == 422
    on_the_day = walk.post(url, walk.bank, {"amount": "100.00", "recovered_on": "2026-07-20"},
                           idempotent=True)
    assert on_the_day.status_code == 201 and on_the_day.get_json()["fund_share"] == "80.00"
