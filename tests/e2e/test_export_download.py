"""An officer filters the loans of their area, opens 导出 and downloads the xlsx; the file
holds the filtered loans, masked, and the due list is on the desk."""

import openpyxl
import pytest

from creditsvc.infra.extensions import db
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e


def test_an_officer_filters_loans_and_downloads_the_export(visit, app, tmp_path):
    fund_with(db.session, 50_000_000)
    watched = {LoanFactory(town="地都镇", village="南山村", days_past_due=40).number for _ in range(2)}
    normal = LoanFactory(town="地都镇", village="南山村").number
    elsewhere = LoanFactory(town="渔湖镇", village="东湖村", days_past_due=40).number
    db.session.close()
    officer = make_person("officer-export", area=("地都镇",))

    tab = visit()
    tab.sign_in(officer)
    tab.page.wait_for_url("**/desk")
    tab.go("/loans")
    tab.page.select_option("#f-class", "关注")
    tab.page.click("main form button[type=submit]")
    tab.page.wait_for_url("**/loans?**")
    listed = tab.page.locator("main table").inner_text()
    assert all(n in listed for n in watched) and normal not in listed and elsewhere not in listed
    tab.page.click("#export")
    tab.page.wait_for_url("**/exports/area_loans?**")
    assert tab.page.locator("#export-rows").inner_text() == "2"
    assert "五级分类：关注" in tab.page.locator("#export-filters").inner_text()
    assert tab.unlabelled_inputs() == []
    tab.shot("export-form")
    with tab.page.expect_download() as got:
        tab.page.click("#export-download")
    path = tmp_path / got.value.suggested_filename
    got.value.save_as(path)
    assert got.value.suggested_filename == "area_loans-2026-11-02.xlsx"
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == "贷款（我负责的区域）" and rows[3][0] == "个人信息已遮蔽"
    assert rows[4][:3] == ("贷款编号", "户主", "身份证号")
    assert {r[0] for r in rows[5:]} == watched
    assert all("*" in r[1] and "*" in r[2] for r in rows[5:])  # masked as the list shows


def test_the_officers_desk_leads_to_the_loans_coming_due(visit, app):
    from datetime import timedelta

    from models import ScheduleItem
    from tests.today import TODAY
    fund_with(db.session, 50_000_000)
    due = LoanFactory(town="地都镇", village="南山村")
    db.session.add(ScheduleItem(loan_id=due.id, seq=1, due_on=TODAY + timedelta(days=10),
                                principal_fen=0, interest_fen=7_500))
    db.session.commit()
    number = due.number
    db.session.close()
    officer = make_person("officer-due", area=("地都镇",))
    tab = visit()
    tab.sign_in(officer)
    tab.page.wait_for_url("**/desk")
    assert tab.page.locator("#stat-coming-due .count").inner_text() == "1"
    tab.page.click("#stat-coming-due")
    tab.page.wait_for_url("**/loans/due?which=coming")
    row = tab.page.locator("#due-loans tbody tr").inner_text()
    assert number in row and "75.00" in row
    assert not tab.overflows()
    tab.shot("loans-coming-due")
