"""People's words in a real browser: a referral names what is missing; no page shows code or English."""

from datetime import date

import pytest

from tests.pages.cases import household
from tests.pages.people import make_person
from tests.pages.test_page_words import EXTRA, ROLES, book, faults, paths  # noqa: F401 - fixture

pytestmark = pytest.mark.e2e

# What a reader sees: the body's text without scripts, styles, templates, English marked so, and
# identifiers marked translate="no" (a key's prefix, a generated password: data, not words).
SEEN = """() => { const body = document.body.cloneNode(true);
  body.querySelectorAll('script, style, template, [lang=en], [translate=no]').forEach(el => el.remove());
  return body.textContent; }"""


@pytest.fixture
def people(app):
    """The roles of the walk, as tests/pages/conftest.py makes them."""
    return {"officer": make_person("officer-li"), "officer2": make_person("officer-wang"),
            "psbc": make_person("psbc-zhao", "bank", "PSBC"),
            "fund": make_person("fund-qian", "fund_manager"),
            "admin": make_person("admin-zhou", "admin")}


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_an_officers_referral_names_the_missing_field(visit, people, phone):
    hid, _ = household(members=[
        {"relation": "head", "birth_date": "1980-05-17", "labour_capable": True},
        {"relation": "spouse", "birth_date": "1982-01-09", "labour_capable": None}])
    tab = visit(phone=phone)
    tab.sign_in(people["officer"])
    tab.go(f"/applications/new?household={hid}")
    tab.page.fill("#f-amount", "20000.00")
    tab.page.fill("#f-term_months", "12")
    tab.page.select_option("#f-purpose", "planting")
    tab.page.select_option("#f-bank", "PSBC")
    tab.page.click("#preview-button")
    details = tab.page.locator("#preview .decision-reasons .reason-details").first
    details.wait_for()
    assert "成员 1（配偶，1982 年生）的劳动能力未填" in details.inner_text()
    assert details.is_visible()
    tab.shot(f"referral-missing-field-{'phone' if phone else 'desktop'}")


def test_every_page_reads_in_chinese_in_the_browser(app, visit, people, book, business_date):  # noqa: F811
    business_date(date(2026, 3, 2))
    problems, opened = {}, 0
    for who in ROLES:
        tab = visit()
        tab.sign_in(people[who])
        tab.page.wait_for_load_state()
        for path in paths(app, book, who) + EXTRA.get(who, []):
            response = tab.go(path)
            if response is None or response.status in (403, 404) or \
                    "text/html" not in response.headers.get("content-type", ""):
                continue
            opened += 1
            found = faults(tab.page.evaluate(SEEN))
            if found:
                problems[f"{who} {path}"] = sorted(set(found))
    assert not problems, problems
    assert opened >= 40
