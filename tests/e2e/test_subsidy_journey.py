"""财政贴息 in a browser: the fund office walks a bank's quarter to payment; the bank reads it."""

import pytest

from creditsvc.infra.extensions import db
from tests.api.object_makers import make_subsidy_statement
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_fund_office_confirms_the_payment_and_the_bank_reads_it(visit, app, phone):
    from tests.books import fund_with

    fund_with(db.session, 50_000_000)
    statement_id = make_subsidy_statement(None, None, "PSBC")  # announced, its loan diverted
    db.session.close()
    suffix = "-phone" if phone else ""
    fund, bank = (make_person("fund-sub" + suffix, "fund_manager"),
                  make_person("psbc-sub" + suffix, "bank", "PSBC"))
    tab = visit(phone=phone)
    tab.page.on("dialog", lambda dialog: dialog.accept())
    tab.sign_in(fund)
    tab.go("/subsidy")
    assert tab.unlabelled_inputs() == [] and not tab.overflows()
    tab.shot("subsidy-list" + suffix)
    tab.page.click("text=TX-PSBC-2026Q3")
    tab.page.wait_for_selector("#form-payment")
    assert "2026年9月15日 起取消（挪用）" in tab.page.locator("#statement-lines").inner_text()
    tab.page.fill("#payment-reference", "GK-2026-0001")
    assert tab.unlabelled_inputs() == [] and not tab.overflows()
    tab.shot("subsidy-statement" + suffix)
    tab.page.click("text=确认拨付")
    tab.page.wait_for_selector("text=财政局拨付已确认。")
    assert tab.page.locator("#statement-status").inner_text() == "已拨付"
    assert "GK-2026-0001" in tab.page.locator("#statement-payment").inner_text()
    other = visit(phone=phone)
    other.sign_in(bank)
    other.go(f"/subsidy/{statement_id}")
    assert other.page.locator("#statement-status").inner_text() == "已拨付"
    assert other.page.locator("main form").count() == 0
    other.shot("subsidy-statement-bank" + suffix)
