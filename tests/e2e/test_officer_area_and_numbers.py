"""An admin assigns an officer a town and the officer's desk and loans show it; a bank user
reads a loan number off a page and reports on it in a feed. Each at 1366 px and at 360 px."""

import pytest

from creditsvc.infra.extensions import db
from tests.books import fund_with
from tests.e2e.test_feed_job import start_worker  # noqa: F401 - the fixture, shared
from tests.factories import LoanFactory
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e
WIDTHS = pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])


@WIDTHS
def test_an_admin_assigns_a_town_and_the_officer_sees_its_loans(visit, app, phone):
    fund_with(db.session, 50_000_000)
    town_loans = {LoanFactory(town="地都镇", village=v, days_past_due=40).number
                  for v in ("南山村", "北岭村")}
    elsewhere = LoanFactory(town="渔湖镇", village="东湖村", days_past_due=40).number
    db.session.close()
    size = "phone" if phone else "desktop"
    officer = make_person(f"officer-area-{size}", area=())
    admin = make_person(f"admin-area-{size}", "admin")

    desk = visit(phone=phone)
    desk.sign_in(officer)
    desk.page.wait_for_url("**/desk")
    assert "请联系系统管理员" in desk.page.locator("#no-area").inner_text()

    tab = visit(phone=phone)
    tab.sign_in(admin)
    tab.page.wait_for_url("**/admin/users")
    assert "未分配区域" in tab.page.locator("tr", has_text=officer.name).inner_text()
    tab.page.click(f"text={officer.name}")
    tab.page.fill("#f-display_name", "陈静")
    tab.page.click("text=保存姓名")
    tab.page.wait_for_selector("text=姓名已保存。")
    tab.page.locator("#areas-card fieldset", has_text="地都镇").get_by_label("全镇").check()
    assert tab.unlabelled_inputs() == []
    tab.shot(f"admin-officer-area-{size}")
    tab.page.click("text=保存工作区域")
    tab.page.wait_for_selector("text=工作区域已保存。")
    assert not tab.overflows()

    desk.go("/desk")
    assert "陈静" in desk.page.locator("main").inner_text()
    assert "地都镇（全镇）" in desk.page.locator("#my-area").inner_text()
    assert desk.page.locator("#stat-class-1 .count").inner_text() == "2"  # 关注: the town's two
    desk.shot(f"officer-desk-area-{size}")
    desk.page.click("#stat-class-1")
    desk.page.wait_for_url("**/loans?**")
    listed = desk.page.locator("main table").inner_text()
    assert all(number in listed for number in town_loans) and elsewhere not in listed
    assert not desk.overflows()
    desk.shot(f"officer-loans-area-{size}")


@WIDTHS
def test_a_bank_user_reports_on_a_loan_by_the_number_on_its_page(visit, app, tmp_path, phone,
                                                                 start_worker):  # noqa: F811
    fund_with(db.session, 50_000_000)
    LoanFactory(bank_code="PSBC")
    db.session.close()
    size = "phone" if phone else "desktop"
    person = make_person(f"psbc-number-{size}", "bank", "PSBC")
    start_worker()
    tab = visit(phone=phone)
    tab.sign_in(person)
    tab.go("/bank/loans")
    tab.page.locator("main table a", has_text="查看").first.click()
    number = tab.page.locator("#loan-number").inner_text().strip()
    assert number.startswith("PSBC-")
    tab.shot(f"bank-loan-number-{size}")

    feed = tmp_path / "逾期报送.csv"
    feed.write_text(f"贷款编号,统计日期,逾期天数\n{number},2026-01-01,12\n", encoding="utf-8")
    tab.go("/jobs/feed")
    tab.page.set_input_files("#f-file", str(feed))
    tab.page.click("main button[type=submit]")
    tab.page.click("text=确认提交 1 行")
    tab.page.wait_for_selector("#job-status:has-text('已完成')", timeout=60_000)
    assert "已采用" in tab.page.locator("#job-summary").inner_text()
    tab.shot(f"bank-feed-by-number-{size}")

    tab.go(f"/bank/loans?number={number}")
    tab.page.locator("main table a", has_text="查看").first.click()
    assert tab.page.locator("#loan-dpd").inner_text().startswith("12")
