"""代偿: the loans that may be claimed with each breakdown, filing, the bank's claims, recoveries."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from models import Claim, Fund, Recovery
from tests.pages.bank_books import funded, loan, paid_claim, post, token_of
from tests.today import TODAY


@pytest.fixture(autouse=True)
def _funded():
    funded()


def claimable_on(text) -> set[str]:
    section = text[text.index('id="claimable"'):text.index('id="claims"')]
    return set(re.findall(r'action="/bank/loans/([0-9a-f-]{36})/claim"', section))


def test_the_claimable_loans_with_their_breakdowns(as_user):
    due = loan(dpd=95, accrued_interest_unpaid_fen=12_345)
    loan(dpd=60)
    loan("ABC", dpd=150)
    claimed = loan(dpd=200)
    paid_claim(claimed)
    text = as_user("psbc").get("/bank/claims").get_data(as_text=True)
    assert claimable_on(text) == {due}
    row = re.sub(r"\s+", " ", text[text.index('class="claimable-row"'):text.index("申报代偿</button>")])
    for part in ("¥10,000.00", "¥123.45", "¥0.00", "80%", "¥8,098.76"):
        assert part in row, part
    claims_section = text[text.index('id="claims"'):text.index('id="recoveries"')]
    assert "已支付" in claims_section and "¥8,000.00" in claims_section


def test_filing_from_the_claims_page(as_user):
    due = loan(dpd=100)
    client = as_user("psbc")
    token = token_of(client.get("/bank/claims"))
    filed = post(client, f"/bank/loans/{due}/claim", {"form_token": token}, "/bank/claims")
    assert filed.status_code == 303
    assert "已申报代偿" in client.get(filed.headers["Location"]).get_data(as_text=True)
    text = client.get("/bank/claims").get_data(as_text=True)
    assert claimable_on(text) == set() and "待审批" in text
    not_due = loan(dpd=30)
    refused = post(client, f"/bank/loans/{not_due}/claim",
                   {"form_token": token_of(client.get(f"/bank/loans/{not_due}"))}, "/bank/claims")
    assert refused.status_code == 303
    assert "逾期达到 90 天才能代偿" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(Claim)).scalar_one() == 1


def test_recording_a_recovery_once_returns_the_funds_share(as_user):
    claimed = loan(dpd=200)
    paid_claim(claimed)
    client = as_user("psbc")
    balance = db.session.get(Fund, 1).balance_fen
    form = {"loan_id": claimed, "amount": "1000.00", "recovered_on": TODAY.isoformat(),
            "form_token": token_of(client.get("/bank/claims"))}
    first = post(client, "/bank/recoveries", form, "/bank/claims")
    second = post(client, "/bank/recoveries", form, "/bank/claims")
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == "/bank/claims#recoveries"
    rows = db.session.execute(select(Recovery).where(Recovery.loan_id == claimed)).scalars().all()
    assert len(rows) == 1 and rows[0].fund_share_fen == 80_000
    db.session.expire_all()
    assert db.session.get(Fund, 1).balance_fen == balance + 80_000
    text = client.get("/bank/claims").get_data(as_text=True)
    recoveries = text[text.index('id="recoveries"'):]
    assert "¥1,000.00" in recoveries and "¥800.00" in recoveries
    # From the loan page too, back to the loan page.
    page = f"/bank/loans/{claimed}"
    again = post(client, "/bank/recoveries", {**form, "amount": "200.00", "origin": "loan",
                                              "form_token": token_of(client.get(page))}, page)
    assert again.headers["Location"] == page and "追偿记录" in client.get(page).get_data(as_text=True)


def test_recovery_refusals(as_user):
    claimed, active, abc = loan(dpd=200), loan(dpd=100), loan("ABC", dpd=200)
    paid_claim(claimed)
    paid_claim(abc, "ABC")
    client = as_user("psbc")

    def record(**data):
        form = {"loan_id": claimed, "amount": "100.00", "recovered_on": TODAY.isoformat(),
                **data, "form_token": token_of(client.get("/bank/claims"))}
        return post(client, "/bank/recoveries", form, "/bank/claims")

    zero = record(amount="0.00")
    assert zero.status_code == 422 and 'id="amount-error"' in zero.get_data(as_text=True)
    future = record(recovered_on="2099-01-01")
    assert future.status_code == 422 and 'id="recovered_on-error"' in future.get_data(as_text=True)
    not_claimed = record(loan_id=active)
    assert not_claimed.status_code == 409
    assert "只有基金已代偿的贷款才能登记追偿" in not_claimed.get_data(as_text=True)
    assert record(loan_id=abc).status_code == 404
    from_loan = post(client, "/bank/recoveries", {
        "loan_id": claimed, "amount": "abc", "recovered_on": TODAY.isoformat(),
        "origin": "loan", "form_token": token_of(client.get("/bank/claims"))}, "/bank/claims")
    assert from_loan.status_code == 422 and 'id="recovery-amount"' in from_loan.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(Recovery)).scalar_one() == 0


def beside(text: str, field: str) -> str:
    """The messages shown beside FIELD (its error block), one after another."""
    return " ".join(re.findall(rf'id="{field}-error">([^<]*)<', text))


def test_every_reason_a_recovery_is_refused_is_shown_at_once(as_user):
    claimed, active = loan(dpd=200), loan(dpd=100)
    paid_claim(claimed)
    client = as_user("psbc")

    def record(**data):
        form = {**data, "form_token": token_of(client.get("/bank/claims"))}
        return post(client, "/bank/recoveries", form, "/bank/claims")

    early = record(loan_id=claimed, amount="0.00", recovered_on="2020-01-01")
    text = early.get_data(as_text=True)
    assert early.status_code == 422
    assert "不得少于 0.01" in beside(text, "amount")
    assert beside(text, "recovered_on") == f"追回日期不能早于代偿支付日期 {TODAY.isoformat()}"
    unclaimed = record(loan_id=active, amount="abc", recovered_on=(TODAY + timedelta(days=1)).isoformat())
    text = unclaimed.get_data(as_text=True)
    assert unclaimed.status_code == 422
    assert beside(text, "loan_id") == "只有基金已代偿的贷款才能登记追偿或冲正代偿"
    assert beside(text, "amount") and beside(text, "recovered_on") == "日期不能晚于今天"
    assert db.session.execute(select(func.count()).select_from(Recovery)).scalar_one() == 0
