"""Every work list at 360 px: each row a card whose action, amount and status sit inside the
window, and no page wider than the phone. The loan schedule and the bank-quota table fit too."""

import pytest

from creditsvc.infra.extensions import db
from tests.factories import ApplicationFactory, HouseholdRowFactory, LoanFactory
from tests.pages.bank_books import ASSESSMENT, disbursed, funded
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e
WIDTH = 360


def outside_window(tab, selector: str) -> list[str]:
    """The visible elements matching SELECTOR whose box is not wholly within the window's width."""
    return tab.page.evaluate("""([selector, width]) => [...document.querySelectorAll(selector)]
        .filter(el => el.offsetParent !== null)
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, box]) => box.left < 0 || box.right > width || box.width === 0)
        .map(([el, box]) => el.textContent.trim() + ' @ ' + Math.round(box.left) + '-'
                            + Math.round(box.right))""", [selector, WIDTH])


def assert_cards(tab, path: str, rows: str, wanted: dict[str, str], shot: str):
    """PATH's rows (ROWS) each show every WANTED part (name: selector in the row) in the window."""
    tab.go(path)
    count = tab.page.locator(rows).count()
    assert count >= 2, (path, tab.page.locator("main").inner_text()[:600])
    for name, inside in wanted.items():
        assert tab.page.locator(f"{rows} {inside}").count() >= count, (path, name)
        assert outside_window(tab, f"{rows} {inside}") == [], (path, name)
    assert not tab.overflows(), path
    tab.shot(shot)


@pytest.fixture
def lists(app):
    """Two of each kind of row the work lists show, in the demo towns."""
    funded()
    paid_out = disbursed()  # before the overdue loans below suspend lending
    for n in range(2):
        ApplicationFactory(status="referred", decision="referred", approved_amount_fen=None,
                           amount_fen=4_000_000 + n, assessment=ASSESSMENT, grade="A")
        ApplicationFactory(bank_code="PSBC", assessment=ASSESSMENT)
        LoanFactory(bank_code="PSBC")
        LoanFactory(bank_code="PSBC", days_past_due=120)
        HouseholdRowFactory()
    db.session.commit()
    db.session.close()
    return paid_out


def test_the_review_queue_on_a_phone_shows_each_action(visit, lists):
    officer = make_person("officer-phone")
    tab = visit(phone=True)
    tab.sign_in(officer)
    tab.page.wait_for_url("**/desk")
    assert_cards(tab, "/reviews", "table.reviews tbody tr",
                 {"复核": "a.btn", "amount": "td.money", "grade": "td[data-label='评分 / 等级']"},
                 "reviews-phone")
    for button in tab.page.locator("table.reviews tbody tr a.btn").all():
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= WIDTH
        assert 0 <= box["y"] and box["y"] + box["height"] <= tab.page.viewport_size["height"]
    assert_cards(tab, "/applications", "table.applications tbody tr",
                 {"link": "a", "amount": "td.money", "status": ".badge"}, "applications-phone")
    assert_cards(tab, "/loans", "main table tbody tr",
                 {"link": "a", "amount": "td.money", "class": ".badge"}, "officer-loans-phone")
    assert_cards(tab, "/households", "table.households tbody tr",
                 {"link": "a", "status": "td[data-label='户类型']"}, "households-phone")


def test_the_banks_lists_on_a_phone_show_each_action(visit, lists):
    person = make_person("psbc-phone", "bank", "PSBC")
    tab = visit(phone=True)
    tab.sign_in(person)
    tab.page.wait_for_url("**/bank**")
    assert_cards(tab, "/bank/applications", "main table tbody tr",
                 {"查看": "a.btn", "amount": "td.money", "grade": "td[data-label='评级']"},
                 "bank-queue-phone")
    assert_cards(tab, "/bank/loans", "main table tbody tr",
                 {"查看": "a.btn", "amount": "td.money", "status": ".badge"}, "bank-loans-phone")
    assert_cards(tab, "/bank/claims", "tr.claimable-row",
                 {"申报代偿": "button", "amount": "td.money.fw-bold"}, "bank-claims-phone")
    tab.go(f"/bank/loans/{lists}")
    assert tab.page.locator("#schedule tbody tr").count() == 4
    assert outside_window(tab, "#schedule td") == [] and not tab.overflows()
    tab.shot("bank-loan-schedule-phone")


def test_the_funds_quota_table_fits_a_phone(visit, lists):
    person = make_person("fund-phone", "fund_manager")
    tab = visit(phone=True)
    tab.sign_in(person)
    tab.go("/fund")
    tab.page.wait_for_selector("#bank-quotas")
    assert outside_window(tab, "#bank-quotas td") == [] and not tab.overflows()
    tab.shot("fund-quotas-phone")
