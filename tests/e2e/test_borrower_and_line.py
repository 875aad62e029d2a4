"""In a real browser: the officer names the son as borrower within the household's line."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from models import HouseholdMember
from tests.factories import id_number
from tests.pages.cases import household
from tests.pages.people import make_person
from tests.pages.test_borrower_and_line_pages import MEMBERS, _line

pytestmark = pytest.mark.e2e

SHOWN = re.compile(r"/applications/[0-9a-f-]{36}$")


def test_the_son_borrows_within_the_line(visit, app):
    officer = make_person("officer-li")
    hid, _ = household(members=MEMBERS, id_number=id_number(date(1956, 2, 1)),
                       per_capita_income="12000.00")
    _line(officer, hid, valid_until=clock.today() + timedelta(days=300))
    son = db.session.execute(select(HouseholdMember.id).where(
        HouseholdMember.household_id == hid, HouseholdMember.relation == "child")).scalar_one()
    db.session.close()
    tab = visit()
    tab.sign_in(officer)
    tab.go(f"/applications/new?household={hid}")
    assert "可用额度 15000.00 元" in tab.page.locator("#form-line").inner_text()
    tab.page.select_option("#f-borrower_member_id", son)
    tab.page.fill("#f-amount", "15000.00")
    tab.page.fill("#f-term_months", "12")
    tab.page.select_option("#f-purpose", "planting")
    tab.page.select_option("#f-bank", "PSBC")
    tab.page.click("#preview-button")
    tab.page.wait_for_selector("#preview .chart-gauge svg")
    assert tab.page.input_value("#f-borrower_member_id") == son  # kept through the 试算
    tab.shot("application-new-borrower-line")
    tab.page.click("#submit-button")
    tab.page.wait_for_url(SHOWN)
    assert "（子女）" in tab.page.locator("#app-borrower").inner_text()
    assert "15000.00" in tab.page.locator("#app-line").inner_text()
    tab.shot("application-page-borrower-line")
