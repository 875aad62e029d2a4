"""The 台账统计表 in a browser: a fund manager opens a month's table and downloads its xlsx."""

import openpyxl
import pytest

from tests.ledger_book import lay_book
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e


def test_fund_manager_opens_the_months_table_and_downloads_it(visit, app, tmp_path):
    lay_book()
    person = make_person("fund-ledger-e2e", "fund_manager")
    tab = visit()
    tab.sign_in(person)
    tab.page.wait_for_url("**/fund")
    tab.page.click("nav >> text=台账统计")
    tab.page.fill("#f-first", "2026-10")
    tab.page.fill("#f-last", "2026-10")
    tab.page.click("main button[type=submit]")
    tab.page.wait_for_url("**/ledger/stats?first=2026-10&last=2026-10")
    total = tab.page.locator("#stats-total td")
    # October 2026 from its snapshot: six loans lent in all, ¥103,000, all of it outstanding.
    assert total.nth(0).inner_text() == "¥103,000.00"  # 累计投放额 through October
    assert total.nth(3).inner_text() == "¥103,000.00"  # 贷款余额 as the snapshot held it
    assert "2026-09" in tab.page.locator("#missing-months").inner_text()
    assert tab.page.locator("#fund-balance").inner_text() == "¥500,000.00"
    assert tab.unlabelled_inputs() == [] and not tab.overflows()
    tab.shot("ledger-stats")
    with tab.page.expect_download() as download:
        tab.page.click("#stats-xlsx")
    assert download.value.suggested_filename == "ledger-stats-2026-10-2026-10.xlsx"
    path = tmp_path / "stats.xlsx"
    download.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == "扶贫小额信贷台账统计表"
    assert rows[-1][:2] == ("合计", "合计") and rows[-1][2] == 103000 and rows[-1][5] == 103000
    tab.go("/ledger")
    tab.page.wait_for_selector("#ledger")
    assert tab.page.locator(".ledger-row").count() == 7
    tab.shot("ledger-loans")


def test_fund_manager_takes_the_month_running_again_and_sees_it(visit, app):
    from creditsvc.infra.extensions import db
    from creditsvc.jobs import worker

    lay_book()
    person = make_person("fund-ledger-now", "fund_manager")
    tab = visit()
    tab.sign_in(person)
    tab.page.wait_for_url("**/fund")
    tab.go("/ledger/stats")
    assert "本月数字截至" in tab.page.locator("#current-month").inner_text()
    tab.shot("ledger-stats-month-running")
    tab.page.click("#stats-refresh")
    tab.page.wait_for_url("**/jobs/*")
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    tab.page.wait_for_selector("#snapshot-stats")
    tab.page.click("#snapshot-stats")
    tab.page.wait_for_url("**/ledger/stats?first=2026-11&last=2026-11")
    assert tab.page.locator("#stats-total td").nth(3).inner_text() == "¥107,000.00"
