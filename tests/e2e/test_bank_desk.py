"""The bank desk in a real browser: accept, preview the schedule, disburse; another bank's loan is 404.

Every bank page is photographed at desktop and phone width, checked for unlabelled controls
and for a sideways scroll on a phone.
"""

import pytest

from tests.pages.bank_books import approved, funded, loan, paid_claim
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e


def test_psbc_accepts_previews_and_disburses(visit, app):
    psbc = make_person("psbc-e2e", "bank", "PSBC")
    funded()
    app_id = approved(approved_amount_fen=2_000_000, term_months=24)
    approved(approved_amount_fen=500_000, grade="A", score=63.5)
    tab = visit()
    tab.page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    tab.sign_in(psbc)
    tab.page.wait_for_url("**/bank")
    tab.shot("bank-desk")
    tab.page.click("nav >> text=待受理")
    tab.page.wait_for_url("**/bank/applications")
    assert tab.unlabelled_inputs() == []
    tab.shot("bank-queue")
    tab.go(f"/bank/applications/{app_id}")
    assert "评估结果（只读）" in tab.page.content()
    tab.shot("bank-application-decision")
    tab.page.click("#accept-reason ~ button, form:has(#accept-reason) button[type=submit]")
    tab.page.wait_for_url(f"**/bank/applications/{app_id}/disburse")
    assert "已受理，请办理放款。" in tab.page.content()
    assert tab.unlabelled_inputs() == []
    assert tab.page.locator("#rate-cap").inner_text().startswith("3.50%")  # 24 months: 5-year LPR
    tab.page.fill("#f-amount", "18000.00")
    tab.page.click("text=预览还款计划")
    tab.page.wait_for_selector("#year-totals")
    assert "¥18,000.00" in tab.page.locator("#year-totals").inner_text()
    assert "<html" not in tab.page.locator("#preview").inner_html()  # a fragment was swapped in
    tab.shot("bank-disburse-preview")
    tab.page.click("#confirm-form button[type=submit]")
    tab.page.wait_for_url("**/bank/loans/*")
    assert "已放款，贷款已生成。" in tab.page.content()
    assert tab.page.locator("#loan-outstanding").inner_text() == "¥18,000.00"
    assert tab.unlabelled_inputs() == []
    tab.shot("bank-loan")


def test_every_bank_page_at_desktop_and_phone_width(visit, app):
    psbc = make_person("psbc-pages", "bank", "PSBC")
    funded()
    app_id, waiting = approved(), approved()
    approved(grade="A", score=61.0, approved_amount_fen=600_000)
    loan()
    loan(dpd=40)
    loan(dpd=120, accrued_interest_unpaid_fen=30_000)
    claimed = loan(dpd=200)
    paid_claim(claimed)
    desk = visit()
    desk.page.on("dialog", lambda dialog: dialog.accept())
    desk.sign_in(psbc)
    desk.page.wait_for_url("**/bank")
    desk.go("/bank/applications")
    desk.page.check(f"#pick-{app_id}")
    desk.page.click("text=批量受理所选")
    desk.page.wait_for_url("**/bank/applications/bulk/*")
    assert "已受理 1 笔" in desk.page.content()
    desk.shot("bank-bulk-result")
    phone = visit(phone=True)
    phone.sign_in(psbc)
    phone.page.wait_for_url("**/bank")
    pages = {"desk": "/bank", "queue": "/bank/applications", "loans": "/bank/loans",
             "claims": "/bank/claims", "claimed-loan": f"/bank/loans/{claimed}",
             "application": f"/bank/applications/{waiting}",
             "disburse": f"/bank/applications/{app_id}/disburse"}
    for name, path in pages.items():
        for tab, suffix in ((desk, ""), (phone, "-phone")):
            assert tab.go(path).status == 200, path
            assert tab.unlabelled_inputs() == [], (name, suffix)
            if suffix:
                assert not tab.overflows(), name
            tab.shot(f"bank-{name}{suffix}")
    # The loan in arrears: its claim's breakdown before filing.
    desk.go("/bank/loans?classification=次级")
    desk.page.click("text=查看")
    desk.page.wait_for_selector("#claim")
    assert "¥8,240.00" in desk.page.locator("#claim").inner_text()  # (10,000 + 300) x 80%
    desk.shot("bank-loan-claim")


def test_psbc_opening_an_abc_loan_gets_404(visit, app):
    psbc = make_person("psbc-nosy", "bank", "PSBC")
    funded()
    abc_loan = loan("ABC")
    abc_app = approved("ABC")
    tab = visit(phone=True)
    tab.sign_in(psbc)
    tab.page.wait_for_url("**/bank")
    for path in (f"/bank/loans/{abc_loan}", f"/bank/applications/{abc_app}"):
        response = tab.go(path)
        assert response.status == 404
        assert "找不到这个页面或记录" in tab.page.content()
        assert not tab.overflows()
    tab.shot("bank-404-phone")
