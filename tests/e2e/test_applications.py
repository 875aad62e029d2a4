"""贷款申请 and 待复核 in a real browser: 试算 then submit, a double click, review, the phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.pages.cases import application, count_applications, household, referred_application
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e

SHOWN = re.compile(r"/applications/[0-9a-f-]{36}$")


@pytest.fixture
def officers(app):
    """The submitting officer and a second officer who reviews."""
    return make_person("officer-li"), make_person("officer-wang")


def _fill(tab, amount="20000.00", term="12", purpose="planting", bank="PSBC"):
    page = tab.page
    page.fill("#f-amount", amount)
    page.fill("#f-term_months", term)
    page.select_option("#f-purpose", purpose)
    page.select_option("#f-bank", bank)


def _preview(tab):
    tab.page.click("#preview-button")
    tab.page.wait_for_selector("#preview .chart-gauge svg")
    tab.page.wait_for_selector("#preview .chart-points svg")


def _charts_drawn(tab, where: str):
    """Both charts drew real shapes (not an empty SVG)."""
    for chart in ("chart-gauge", "chart-points"):
        shapes = tab.page.locator(f"{where} .{chart} svg path").count()
        assert shapes > 3, (chart, shapes)


def test_preview_then_submit(visit, officers):
    hid, _ = household()
    tab = visit()
    tab.sign_in(officers[0])
    tab.go(f"/applications/new?household={hid}")
    tab.page.click("#submit-button")  # nothing filled: errors beside the fields, in Chinese
    expect(tab.page.locator("#amount-error")).to_have_text("必填")
    _fill(tab, amount="20000.5x")
    tab.page.click("#preview-button")
    expect(tab.page.locator("#amount-error")).to_contain_text("金额以元为单位")
    assert tab.page.input_value("#f-amount") == "20000.5x"  # nothing typed is lost
    tab.page.fill("#f-amount", "20000.00")
    _preview(tab)
    _charts_drawn(tab, "#preview")
    panel = tab.page.locator("#preview").inner_text()
    assert "信用评分" in panel and "规则检查" in panel and "通过" in panel
    assert count_applications() == 0
    tab.shot("application-new-preview")
    tab.page.click("#submit-button")
    tab.page.wait_for_url(SHOWN)
    assert "申请已提交并完成评估" in tab.page.locator(".alert-success").inner_text()
    _charts_drawn(tab, "main")
    tab.shot("application-page")
    assert count_applications() == 1


def test_a_double_click_makes_one_application(visit, officers):
    hid, _ = household()
    tab = visit()
    tab.sign_in(officers[0])
    tab.go(f"/applications/new?household={hid}")
    _fill(tab)
    tab.page.dblclick("#submit-button")
    tab.page.wait_for_url(SHOWN)
    assert count_applications() == 1
    # Without the page's guard (data-once), two posts leave the browser: the form token
    # still makes them one application, and the second answer shows the same one.
    tab.go(f"/applications/new?household={hid}")
    _fill(tab, amount="8000.00")
    tab.page.eval_on_selector("#application-form", "f => f.removeAttribute('data-once')")
    tab.page.dblclick("#submit-button")
    tab.page.wait_for_url(SHOWN)
    tab.page.wait_for_load_state("networkidle")
    assert count_applications() == 2


def test_review_by_a_second_officer_and_refusal_of_the_submitter(visit, officers):
    submitter, reviewer = officers
    app_id = referred_application(submitter)
    referred_application(reviewer)  # the reviewer's own case: never in their queue
    own = visit()
    own.sign_in(submitter)
    own.go(f"/reviews/{app_id}")
    assert "您是本申请的提交人" in own.page.locator(".own-case").inner_text()
    assert own.page.locator("#f-note").count() == 0
    tab = visit()
    tab.sign_in(reviewer)
    tab.go("/reviews")
    assert tab.page.locator("table.reviews tbody tr").count() == 1
    tab.shot("review-queue")
    tab.page.click("table.reviews tbody tr a")
    tab.page.wait_for_url(f"**/reviews/{app_id}")
    _charts_drawn(tab, "main")
    tab.shot("review-case")
    tab.page.check("#f-decision-approve")
    tab.page.fill("#f-approved_amount", "8000.00")
    tab.page.fill("#f-note", "走访核实，病情稳定，养殖项目可行")
    tab.page.click("#review button[type=submit]")
    tab.page.wait_for_url("**/reviews")
    assert "已核准该申请" in tab.page.locator(".alert-success").inner_text()
    assert application(app_id).status == "approved"


def test_the_list_and_the_pages_fit_a_phone(visit, officers):
    hid, _ = household()
    app_id = referred_application(officers[0])
    desk = visit()
    desk.sign_in(officers[0])
    desk.go(f"/applications/new?household={hid}")
    _fill(desk)
    desk.page.click("#submit-button")
    desk.page.wait_for_url(SHOWN)
    desk.go("/applications?mine=1")
    assert desk.page.locator("table.applications tbody tr").count() == 2
    desk.shot("application-list")
    phone = visit(phone=True)
    phone.sign_in(officers[1])
    for path in ("/applications", f"/applications/{app_id}", "/reviews", f"/reviews/{app_id}",
                 f"/applications/new?household={hid}"):
        phone.go(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    _fill(phone)
    _preview(phone)
    _charts_drawn(phone, "#preview")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.shot("application-new-phone")
