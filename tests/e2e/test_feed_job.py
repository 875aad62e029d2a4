"""A PSBC user uploads a feed with one bad row, previews it, confirms, and watches it finish."""

import threading

import pytest

from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e


@pytest.fixture
def start_worker(app):
    """start_worker(): a job worker beside the live server, as `make run` starts one."""
    stop = threading.Event()
    threads = []

    def work():
        with app.app_context():
            worker.run(db.session, idle_seconds=0.2, beat_seconds=0.5, stop=stop)
            db.session.remove()

    def start():
        threads.append(threading.Thread(target=work, daemon=True))
        threads[-1].start()

    yield start
    stop.set()
    for thread in threads:
        thread.join(timeout=10)


def test_feed_with_a_bad_row_previewed_confirmed_and_followed(visit, app, tmp_path,
                                                             start_worker):
    fund_with(db.session, 50_000_000)
    loan_id = LoanFactory(bank_code="PSBC").id
    db.session.close()
    feed = tmp_path / "逾期报送.csv"
    feed.write_text(f"贷款编号,统计日期,逾期天数\n{loan_id},2026-01-01,12\n"
                    "no-such-loan,2026-01-01,5\n", encoding="utf-8")
    person = make_person("psbc-feed", "bank", "PSBC")
    start_worker()
    tab = visit()
    tab.sign_in(person)
    tab.go("/jobs/feed")
    assert tab.unlabelled_inputs() == []
    tab.shot("jobs-feed")
    tab.page.set_input_files("#f-file", str(feed))
    tab.page.click("main button[type=submit]")
    tab.page.wait_for_selector("#feed-problems")
    assert "no-such-loan" in tab.page.locator("#feed-problems").inner_text()
    # Giving the file up goes back to the upload form; the next upload is previewed afresh.
    tab.page.click("text=放弃，重新上传")
    tab.page.wait_for_selector("text=已放弃此文件，未做任何处理。")
    tab.page.set_input_files("#f-file", str(feed))
    tab.page.click("main button[type=submit]")
    tab.page.wait_for_selector("#feed-problems")
    tab.shot("jobs-feed-preview")
    tab.page.click("text=确认提交 1 行")
    tab.page.wait_for_selector("#job-status:has-text('已完成')", timeout=60_000)
    assert "已采用" in tab.page.locator("#job-summary").inner_text()
    tab.shot("jobs-feed-done")
    with tab.page.expect_download() as download:
        tab.page.click("text=下载逐行结果")
    assert download.value.suggested_filename.endswith(".csv")
