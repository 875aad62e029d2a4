"""财政贴息 pages: a fund manager compiles, reviews, announces and confirms the payment; a bank
reads its own announced statement; the loan page shows the subsidy paid so far."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.loans import servicing
from models import AuditEvent, JournalEntry, ScheduleItem, SubsidyStatement
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import make_person, sign_in
from tests.today import TODAY
from tests.work import done


@pytest.fixture
def repaid(app):
    """A PSBC and an ABC loan, each with 300.00 of contract interest paid on 1 Sep 2026."""
    fund_with(db.session, 50_000_000)
    ids = {}
    for bank in ("PSBC", "ABC"):
        loan = LoanFactory(bank_code=bank, accrued_interest_unpaid_fen=30_000)
        loan.schedule.append(ScheduleItem(seq=1, due_on=loan.maturity_on,
                                          principal_fen=loan.principal_fen, interest_fen=30_000))
        db.session.commit()
        done(db.session, servicing.repay, Principal(None, "b", "bank", bank), loan,
             principal=Decimal(0), interest=Decimal("300.00"), paid_on=date(2026, 9, 1), today=TODAY)
        ids[bank] = loan.id
    db.session.close()
    return ids


def tokens(page: str, form_id: str) -> dict:
    form = re.search(rf'id="{form_id}"(.*?)</form>', page, re.S).group(1)
    return dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', form))


def second_fund_manager(app):
    """A second fund manager (吴静), signed in: a statement's steps take two people."""
    client = app.test_client()
    assert sign_in(client, make_person("fund-wu", "fund_manager")).status_code == 302
    return client


def test_the_fund_office_walks_a_statement_to_payment(app, as_user, repaid):
    fund, psbc, abc = as_user("fund"), as_user("psbc"), as_user("abc")
    checker = second_fund_manager(app)
    index = fund.get("/subsidy").get_data(as_text=True)
    assert "还没有贴息清单" in index
    form = {**tokens(index, "form-compile"), "bank": "PSBC", "year": "2026", "quarter": "4"}
    refused = fund.post("/subsidy/compile", data=form)
    assert refused.status_code == 422 and "季度结束后才能编制贴息清单" in refused.get_data(as_text=True)
    compiled = fund.post("/subsidy/compile", data={**form, "quarter": "3"})
    assert compiled.status_code == 303
    url = compiled.headers["Location"]
    page = fund.get(url).get_data(as_text=True)
    assert "TX-PSBC-2026Q3" in page and "待审核" in page and "¥300.00" in page
    assert psbc.get(url).status_code == 404  # a draft: not the bank's yet
    page = checker.get(url).get_data(as_text=True)
    review = {**tokens(page, "form-review"), "note": "已核对"}
    assert checker.post(url + "/review", data=review).status_code == 303
    page = fund.get(url).get_data(as_text=True)
    assert "已审核" in page
    assert fund.post(url + "/announce", data=tokens(page, "form-announce")).status_code == 303
    page = fund.get(url).get_data(as_text=True)
    ledger = db.session.execute(select(func.count()).select_from(JournalEntry)).scalar_one()
    pay = {**tokens(page, "form-payment"), "amount": "300.00", "paid_on": TODAY.isoformat(),
           "reference": "GK-2026-0001"}
    wrong = fund.post(url + "/payment", data={**pay, "amount": "299.00"})
    assert wrong.status_code == 422
    assert "拨付金额须等于清单的贴息合计 300.00 元" in wrong.get_data(as_text=True)
    assert fund.post(url + "/payment", data=pay).status_code == 303
    assert fund.post(url + "/payment", data=pay).status_code == 303  # a double click: the same answer
    page = fund.get(url).get_data(as_text=True)
    assert "已拨付" in page and "GK-2026-0001" in page and 'id="form-payment"' not in page
    assert db.session.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == ledger
    # The bank reads its own statement, without forms, and never the other bank's.
    shown = psbc.get(url)
    assert shown.status_code == 200 and "TX-PSBC-2026Q3" in shown.get_data(as_text=True)
    assert "<form" not in re.search(r"<main.*</main>", shown.get_data(as_text=True), re.S).group(0)
    assert abc.get(url).status_code == 404
    assert "TX-PSBC-2026Q3" not in abc.get("/subsidy").get_data(as_text=True)
    assert psbc.post(url + "/review", data={}).status_code in (403, 400)
    loan_page = psbc.get(f"/bank/loans/{repaid['PSBC']}").get_data(as_text=True)
    assert re.search(r'id="loan-subsidy-paid">¥300.00<', loan_page)
    statement = db.session.execute(select(SubsidyStatement)).scalar_one()
    assert statement.status == "paid"


def test_four_eyes_each_step_barred_to_its_checked_person_is_said_beside_it(app, as_user, repaid):
    compiler, reviewer = as_user("fund"), second_fund_manager(app)
    index = compiler.get("/subsidy").get_data(as_text=True)
    form = {**tokens(index, "form-compile"), "bank": "PSBC", "year": "2026", "quarter": "3"}
    url = compiler.post("/subsidy/compile", data=form).headers["Location"]
    # The compiler is told beside the review form, before trying, that another must review.
    own = "贴息清单 TX-PSBC-2026Q3 由您编制，编制人不能审核自己编制的清单，请由另一位基金管理人员审核"
    page = compiler.get(url).get_data(as_text=True)
    review_form = re.search(r'id="form-review".*?</form>', page, re.S).group(0)
    assert own in review_form and re.search(r'<button[^>]* disabled', review_form)
    refused = compiler.post(url + "/review", data={**tokens(page, "form-review"), "note": "自审"})
    assert refused.status_code == 422
    refused_page = refused.get_data(as_text=True)
    assert own in re.search(r'id="form-review".*?</form>', refused_page, re.S).group(0)
    assert "待审核" in refused_page
    # The other fund manager sees no such line, reviews and announces.
    page = reviewer.get(url).get_data(as_text=True)
    assert 'id="step-barred"' not in page
    assert reviewer.post(url + "/review", data=tokens(page, "form-review")).status_code == 303
    page = reviewer.get(url).get_data(as_text=True)
    assert reviewer.post(url + "/announce", data=tokens(page, "form-announce")).status_code == 303
    # The reviewer may not confirm the payment; the compiler may.
    paid = "贴息清单 TX-PSBC-2026Q3 由您审核，审核人不能确认同一清单的拨付，请由另一位基金管理人员确认"
    page = reviewer.get(url).get_data(as_text=True)
    assert paid in re.search(r'id="form-payment".*?</form>', page, re.S).group(0)
    pay = {**tokens(page, "form-payment"), "amount": "300.00", "paid_on": TODAY.isoformat(),
           "reference": "GK-2026-0002"}
    refused = reviewer.post(url + "/payment", data=pay)
    assert refused.status_code == 422 and paid in refused.get_data(as_text=True)
    page = compiler.get(url).get_data(as_text=True)
    assert 'id="step-barred"' not in page
    assert compiler.post(url + "/payment", data={**pay, **tokens(page, "form-payment")}
                         ).status_code == 303
    statement = db.session.execute(select(SubsidyStatement)).scalar_one()
    assert statement.status == "paid"
    refusals = db.session.execute(select(AuditEvent.action, AuditEvent.actor_name, AuditEvent.detail)
                                  .where(AuditEvent.outcome == "refused")
                                  .order_by(AuditEvent.seq)).all()
    assert [(a, who, d["code"]) for a, who, d in refusals] == [
        ("subsidy.review", "fund-qian", "subsidy_reviewer_is_compiler"),
        ("subsidy.payment", "fund-wu", "subsidy_payer_is_reviewer")]
