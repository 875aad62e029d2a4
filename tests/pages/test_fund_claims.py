"""代偿审批 pages: the breakdown as filed and as now, approve once, reject with a reason, reverse."""

import re

import pytest
from sqlalchemy import func, select

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.fund import claims
from models import Claim, Fund, JournalEntry
from scoring.policy import Policy
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import csrf_of
from tests.today import TODAY
from tests.work import done

PSBC = Principal(None, "psbc", "bank", "PSBC")


@pytest.fixture
def filed(app):
    fund_with(db.session, 50_000_000)
    loan = LoanFactory(principal_fen=1_000_000, accrued_interest_unpaid_fen=20_000, days_past_due=95)
    claim = done(db.session, claims.file_claim, PSBC, loan, Policy(), today=TODAY)
    claim_id = claim.id
    db.session.close()
    return claim_id


def form_of(page: str, action: str) -> dict:
    form = re.search(rf'<form method="post" action="[^"]*/{action}"(.*?)</form>', page, re.S).group(1)
    return dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', form))


def balance() -> int:
    db.session.expire_all()
    return db.session.execute(select(Fund.balance_fen)).scalar_one()


def test_the_queue_and_the_breakdown(as_user, filed):
    client = as_user("fund")
    queue = client.get("/fund/claims").get_data(as_text=True)
    assert f"/fund/claims/{filed}" in queue and "¥8,160.00" in queue
    page = client.get(f"/fund/claims/{filed}").get_data(as_text=True)
    for table in ("breakdown-filed", "breakdown-now"):
        body = re.search(rf'id="{table}">(.*?)</table>', page, re.S).group(1)
        assert "¥10,000.00" in body and "¥200.00" in body and "80%" in body and "¥8,160.00" in body


def test_approve_pays_once_even_when_posted_twice(as_user, filed):
    client = as_user("fund")
    before = balance()
    form = form_of(client.get(f"/fund/claims/{filed}").get_data(as_text=True), "approve")
    first = client.post(f"/fund/claims/{filed}/approve", data=form)
    again = client.post(f"/fund/claims/{filed}/approve", data=form)
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert before - balance() == 816_000
    assert db.session.execute(select(func.count()).select_from(JournalEntry).where(
        JournalEntry.kind == "claim_draw")).scalar_one() == 1
    # A fresh form on the decided claim is refused in words, not paid again.
    stale = client.post(f"/fund/claims/{filed}/approve",
                        data={**form, "form_token": "1f0c8b8e-0000-4000-8000-000000000000"})
    assert stale.status_code == 422 and "已处理过" in stale.get_data(as_text=True)
    assert before - balance() == 816_000


def test_reject_needs_a_reason(as_user, filed):
    client = as_user("fund")
    form = form_of(client.get(f"/fund/claims/{filed}").get_data(as_text=True), "reject")
    short = client.post(f"/fund/claims/{filed}/reject", data={**form, "reason": "no"})
    assert short.status_code == 422 and 'id="reason-error"' in short.get_data(as_text=True)
    done_ = client.post(f"/fund/claims/{filed}/reject",
                        data={**form, "reason": "loan documents missing from the file"})
    assert done_.status_code == 302
    assert db.session.get(Claim, filed, populate_existing=True).status == "rejected"


def test_a_paid_claim_is_reversed_with_a_reason(as_user, filed):
    client = as_user("fund")
    client.post(f"/fund/claims/{filed}/approve",
                data=form_of(client.get(f"/fund/claims/{filed}").get_data(as_text=True), "approve"))
    paid = balance()
    page = client.get(f"/fund/claims/{filed}").get_data(as_text=True)
    assert "breakdown-paid" in page
    form = form_of(page, "reverse")
    assert client.post(f"/fund/claims/{filed}/reverse", data={**form, "reason": "x"}).status_code == 422
    ok = client.post(f"/fund/claims/{filed}/reverse",
                     data={**form, "reason": "paid twice in error by the bank's file"})
    assert ok.status_code == 302
    assert balance() - paid == 816_000
    assert db.session.get(Claim, filed, populate_existing=True).status == "reversed"


def test_claims_pages_are_the_fund_managers(as_user, filed):
    for who in ("officer", "psbc", "admin"):
        assert as_user(who).get(f"/fund/claims/{filed}").status_code == 403
    client = as_user("fund")
    token = csrf_of(client.get("/fund/claims"))
    expired = client.post(f"/fund/claims/{filed}/approve", data={"csrf_token": token,
                                                                 "form_token": "not-a-uuid"})
    assert expired.status_code == 422 and "表单已失效" in expired.get_data(as_text=True)
