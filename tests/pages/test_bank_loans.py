"""贷款: the list and its filters; the loan page's forms by state; repayment, report, 展期, 挪用, claim."""

import re

import pytest
from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from models import Claim, Loan, Repayment
from tests.factories import LoanFactory
from tests.pages.bank_books import disbursed, funded, loan, paid_claim, post, token_of

FORMS = ("form-repayment", "form-status_report", "form-extension", "form-diversion",
         "form-recovery", 'id="claim"')


@pytest.fixture(autouse=True)
def _funded():
    funded()


def forms_on(client, loan_id) -> set[str]:
    text = client.get(f"/bank/loans/{loan_id}").get_data(as_text=True)
    return {f for f in FORMS if f in text}


def send(client, loan_id, what, data):
    page = f"/bank/loans/{loan_id}"
    return post(client, f"{page}/{what}", {**data, "form_token": token_of(client.get(page))}, page)


def loaded(loan_id) -> Loan:
    db.session.expire_all()
    return db.session.get(Loan, loan_id)


def test_the_list_shows_my_loans_and_filters_them(as_user, business_date):
    business_date("2026-07-01")
    fresh = disbursed()
    late = loan(dpd=120)
    loan("ABC")
    client = as_user("psbc")
    text = client.get("/bank/loans").get_data(as_text=True)
    shown = set(re.findall(r'href="/bank/loans/([0-9a-f-]{36})"', text))
    assert shown == {fresh, late}
    row = text[text.index(f"/bank/loans/{fresh}") - 900:text.index(f"/bank/loans/{fresh}")]
    assert "2026年4月5日" in row and "¥10,000.00" in row  # the next due date and outstanding
    sub = client.get("/bank/loans?classification=次级").get_data(as_text=True)
    assert set(re.findall(r'href="/bank/loans/([0-9a-f-]{36})"', sub)) == {late}
    none = client.get("/bank/loans?status=repaid").get_data(as_text=True)
    assert "没有符合条件的贷款" in none
    assert client.get("/bank/loans?classification=坏").status_code == 422


def test_only_the_forms_the_state_allows(as_user, business_date):
    client = as_user("psbc")
    business_date("2026-07-01")
    fresh = disbursed()  # before the arrears below suspend lending
    business_date(None)
    matured = loan(dpd=120)
    assert forms_on(client, matured) == {"form-repayment", "form-status_report",
                                         "form-diversion", 'id="claim"'}
    repaid = LoanFactory(status="repaid", outstanding_principal_fen=0).id
    assert forms_on(client, repaid) == set()
    claimed = loan(dpd=200)
    paid_claim(claimed)
    assert forms_on(client, claimed) == {"form-recovery"}
    business_date("2026-07-01")
    assert forms_on(client, fresh) == {"form-repayment", "form-status_report", "form-extension",
                                       "form-diversion"}
    # the schedule to maturity
    text = client.get(f"/bank/loans/{fresh}").get_data(as_text=True)
    assert text.count('<tr><td data-label="期数">') >= 4 and "2027年1月5日" in text


def test_repayment_and_its_refusal(as_user, business_date):
    business_date("2026-07-01")
    loan_id = disbursed()
    client = as_user("psbc")
    done = send(client, loan_id, "repayments", {"principal": "1000.00", "interest": "75.00",
                                                "paid_on": "2026-04-05"})
    assert done.status_code == 303
    assert "已登记还款" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert loaded(loan_id).outstanding_principal_fen == 900_000
    too_much = send(client, loan_id, "repayments", {"principal": "9500.00", "interest": "0",
                                                    "paid_on": "2026-06-01"})
    text = too_much.get_data(as_text=True)
    assert too_much.status_code == 422 and "还款超过应还金额：最多" in text
    assert 'id="principal-error"' in text and 'value="9500.00"' in text
    empty = send(client, loan_id, "repayments", {"principal": "", "interest": "0",
                                                 "paid_on": "2026-06-01"})
    assert empty.status_code == 422 and "必填" in empty.get_data(as_text=True)


def test_every_reason_a_repayment_is_refused_is_shown_at_once(as_user, business_date):
    business_date("2026-07-01")
    loan_id = disbursed()
    client = as_user("psbc")
    refused = send(client, loan_id, "repayments", {"principal": "20000.00", "interest": "9000.00",
                                                   "paid_on": "2026-07-02"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="principal-error">还款超过应还金额：最多 10000.00 元', text)
    assert re.search(r'id="interest-error">还款超过应还金额：最多', text)
    assert re.search(r'id="paid_on-error">[^<]*日期不能晚于今天', text)
    nothing = send(client, loan_id, "repayments", {"principal": "0", "interest": "0",
                                                   "paid_on": "2026-06-01"})
    text = nothing.get_data(as_text=True)
    assert nothing.status_code == 422
    assert 'id="principal-error">还款本金和利息不能都为零' in text
    assert 'id="interest-error">还款本金和利息不能都为零' in text
    assert loaded(loan_id).outstanding_principal_fen == 1_000_000
    assert db.session.execute(select(func.count()).select_from(Repayment)).scalar_one() == 0


def test_a_double_submitted_repayment_is_recorded_once(as_user, business_date):
    business_date("2026-07-01")
    loan_id = disbursed()
    client = as_user("psbc")
    page = f"/bank/loans/{loan_id}"
    form = {"principal": "500.00", "interest": "0", "paid_on": "2026-05-01",
            "form_token": token_of(client.get(page))}
    assert post(client, f"{page}/repayments", form, page).status_code == 303
    assert post(client, f"{page}/repayments", form, page).status_code == 303
    count = db.session.execute(select(func.count()).select_from(Repayment).where(
        Repayment.loan_id == loan_id)).scalar_one()
    assert count == 1 and loaded(loan_id).outstanding_principal_fen == 950_000


def test_status_report_extension_and_diversion(as_user, business_date):
    business_date("2026-07-01")
    loan_id = disbursed()
    client = as_user("psbc")
    reported = send(client, loan_id, "status-reports", {"as_of": "2026-07-01",
                                                        "days_past_due": "20"})
    assert reported.status_code == 303, reported.get_data(as_text=True)
    assert loaded(loan_id).classification == "关注"
    impossible = send(client, loan_id, "status-reports", {"as_of": "2026-07-01",
                                                          "days_past_due": "200"})
    assert impossible.status_code == 422 and "该笔贷款最多逾期" in impossible.get_data(as_text=True)
    long = send(client, loan_id, "extension", {"months": "7", "reason": "受灾减产，申请展期"})
    assert long.status_code == 422 and "展期期限为 1 至 6 个月" in long.get_data(as_text=True)
    extended = send(client, loan_id, "extension", {"months": "3", "reason": "受灾减产，申请展期"})
    assert extended.status_code == 303
    assert str(loaded(loan_id).maturity_on) == "2027-04-05"
    assert "form-extension" not in forms_on(client, loan_id)
    diverted = send(client, loan_id, "diversion", {"found_on": "2026-06-30",
                                                   "note": "贷款资金用于购买家电"})
    assert diverted.status_code == 303 and loaded(loan_id).subsidy_cancelled_reason == "diverted"
    text = client.get(f"/bank/loans/{loan_id}").get_data(as_text=True)
    # Stopped from the overdue report's first overdue day (earlier than the diversion found on 30 Jun).
    assert "loan-subsidy\">2026年6月12日 起取消（挪用）" in text and "form-diversion" not in text


def test_the_claim_shows_its_breakdown_and_is_filed_once(as_user):
    loan_id = loan(dpd=120, accrued_interest_unpaid_fen=25_000)
    client = as_user("psbc")
    page = f"/bank/loans/{loan_id}"
    text = client.get(page).get_data(as_text=True)
    breakdown = re.sub(r"\s+", " ", text[text.index('id="claim"'):text.index("申报代偿</button>")])
    for part in ("贷款本金余额</dt><dd class=\"col-5 col-md-8\">¥10,000.00",
                 "应计未付利息</dt><dd class=\"col-5 col-md-8\">¥250.00",
                 "已追回金额</dt><dd class=\"col-5 col-md-8\">¥0.00",
                 "代偿基数</dt><dd class=\"col-5 col-md-8\">¥10,250.00", "80%", "¥8,200.00"):
        assert part in breakdown, part
    token = token_of(client.get(page))
    first = post(client, f"{page}/claim", {"form_token": token}, page)
    second = post(client, f"{page}/claim", {"form_token": token}, page)
    assert first.status_code == second.status_code == 303
    claims = db.session.execute(select(Claim).where(Claim.loan_id == loan_id)).scalars().all()
    assert len(claims) == 1 and claims[0].amount_fen == 820_000 and claims[0].status == "filed"
    after = client.get(page).get_data(as_text=True)
    assert 'id="claim"' not in after and "待审批" in after
    refused = post(client, f"{page}/claim", {"form_token": token_of(client.get(page))}, page)
    assert refused.status_code == 303
    assert "该笔贷款已申报代偿" in client.get(page).get_data(as_text=True)


def beside(text: str, field: str) -> str:
    """The messages shown beside FIELD (its error block), one after another."""
    return " ".join(re.findall(rf'id="{field}-error">([^<]*)<', text))


def test_every_reason_a_status_report_is_refused_is_shown_at_once(as_user, business_date):
    business_date("2026-07-01")
    loan_id = disbursed()  # paid out on 2026-01-05
    client = as_user("psbc")
    refused = send(client, loan_id, "status-reports", {"as_of": "2025-12-01", "days_past_due": "5"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "统计日期早于该笔贷款上一次报送或放款的日期" in beside(text, "as_of")
    assert "2025-12-01 该笔贷款最多逾期 0 天" in beside(text, "days_past_due")
    future = send(client, loan_id, "status-reports", {"as_of": "2026-07-02", "days_past_due": "x"})
    text = future.get_data(as_text=True)
    assert future.status_code == 422
    assert "日期不能晚于今天（2026-07-01）" in beside(text, "as_of")
    assert "须为 0 到 100000 之间的整数" in beside(text, "days_past_due")
    assert loaded(loan_id).dpd_as_of is None


def test_every_reason_an_extension_is_refused_is_shown_at_once(as_user, business_date):
    business_date("2026-07-01")
    loan_id = disbursed()
    client = as_user("psbc")
    refused = send(client, loan_id, "extension", {"months": "7", "reason": "",
                                                  "extended_on": "2026-07-02"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert beside(text, "months") == "展期期限为 1 至 6 个月"
    assert beside(text, "reason") == "必填"
    assert beside(text, "extended_on") == "日期不能晚于今天（2026-07-01）"
    early = send(client, loan_id, "extension", {"months": "0", "reason": "受灾",
                                                "extended_on": "2025-12-31"})
    text = early.get_data(as_text=True)
    assert early.status_code == 422
    assert beside(text, "months") == "须不小于 1 且不大于 120"
    assert beside(text, "reason") == "请写明原因，至少 4 个字，且须包含文字"
    assert beside(text, "extended_on") == "日期须在贷款存续期内（2026-01-05 放款）"
    assert loaded(loan_id).extension_months == 0


def test_every_reason_a_diversion_is_refused_is_shown_at_once(as_user, business_date):
    business_date("2026-07-01")
    loan_id = disbursed()
    client = as_user("psbc")
    refused = send(client, loan_id, "diversion", {"found_on": "2025-12-31", "note": "买"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert beside(text, "found_on") == "日期须在贷款存续期内（2026-01-05 放款）"
    assert beside(text, "note") == "请写明原因，至少 4 个字，且须包含文字"
    assert send(client, loan_id, "diversion", {"found_on": "2026-06-30",
                                               "note": "贷款资金用于购买家电"}).status_code == 303
    # Reported already (the page no longer offers the form): every reason at the top.
    again = send(client, loan_id, "diversion", {"found_on": "2026-07-02", "note": "再次发现挪用"})
    text = again.get_data(as_text=True)
    top = re.search(r'id="refused-diversion">(.*?)</div></div>', text, re.S).group(1)
    assert again.status_code == 422
    assert "该笔贷款已登记挪用" in top and "日期不能晚于今天（2026-07-01）" in top
