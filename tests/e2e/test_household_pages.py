"""The officer's pages in a real browser: the desk, household files, the form, loans."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import current_app

from creditsvc.infra.extensions import db
from creditsvc.services.households import files as households
from tests.books import set_fund
from tests.factories import ApplicationFactory, LoanFactory, id_number
from tests.pages.household_files import add_shock, open_file, principal
from tests.pages.people import make_person
from tests.today import TODAY
from tests.work import done

pytestmark = pytest.mark.e2e
TABS = ("basic", "members", "events", "applications", "loans", "history")


@pytest.fixture
def officer(app):
    return make_person("officer-e2e")


@pytest.fixture
def zone(app, officer, session):
    """A few files, shocks, applications and loans of the officer; the id of a full file."""
    today = TODAY
    names = ["陈建国", "林秀英", "黄志强", "郑桂英", "吴明华", "刘春梅"]
    ids = [open_file(officer, head_name=name, village=village, town=town,
                     id_number=id_number(date(1970 + i, 3, 1 + i)), phone=f"1380013{i:04d}")
           for i, (name, (town, village)) in enumerate(zip(names, [
               ("渔湖镇", "东湖村"), ("渔湖镇", "东湖村"), ("地都镇", "南山村"),
               ("登岗镇", "北溪村"), ("砲台镇", "青龙村"), ("渔湖镇", "东湖村")], strict=True))]
    add_shock(officer, ids[0], today - timedelta(days=20))
    add_shock(officer, ids[2], today - timedelta(days=90), kind="income_drop")
    done(db.session, households.update_household, principal(officer),
         current_app.extensions["creditsvc.core.pii"], ids[0],
         {"per_capita_income": Decimal("7200.50"), "village": "西湖村", "phone": "13900009999",
          "guarantees": {"housing": False}})
    db.session.close()
    for status in ("approved", "referred", "disbursed"):
        ApplicationFactory(submitted_by=officer.user_id, status=status, decision="approved")
    set_fund(session, 50_000_000)
    for dpd, village in ((0, "东湖村"), (45, "东湖村"), (150, "东湖村")):
        LoanFactory(town="渔湖镇", village=village, days_past_due=dpd)
    session.close()
    return ids[0]


def signed_in(visit, officer, phone=False):
    tab = visit(phone=phone)
    tab.sign_in(officer)
    tab.page.wait_for_url(lambda url: "/login" not in url)
    return tab


def no_overflow(tab, width: int = 360) -> None:
    scroll = tab.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{tab.page.url} is {scroll}px wide"


def test_create_a_household_with_an_error_then_fix_it(visit, officer):
    tab = signed_in(visit, officer)
    page = tab.page
    tab.go("/households/new")
    page.evaluate("window.notReloaded = true")
    good = id_number(date(1982, 7, 9))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    page.fill("#f-head_name", "郑桂英")
    page.fill("#f-id_number", bad)
    page.fill("#f-phone", "13700001234")
    page.select_option("#f-town", "登岗镇")
    page.fill("#f-village", "北溪村")
    page.select_option("#f-status", "registered_poor")
    page.fill("#f-members-0-birth_date", "1982-07-09")
    page.select_option("#f-members-0-labour_capable", "true")
    # Two rows added, the first of them removed: no page load in between.
    page.click("#add-member")
    page.wait_for_selector("#f-members-1-relation")
    page.click("#add-member")
    page.wait_for_selector("#f-members-2-relation")
    page.select_option("#f-members-1-relation", "spouse")
    page.select_option("#f-members-2-relation", "child")
    page.fill("#f-members-2-birth_date", "2013-09-01")
    page.check("#f-members-2-in_school")
    page.locator("[data-member-row]").nth(1).locator("[data-remove-row]").click()
    assert page.locator("[data-member-row]").count() == 2
    assert page.evaluate("window.notReloaded") is True
    page.fill("#f-per_capita_income", "5400")
    page.click("form.household-form button[type=submit]")
    page.wait_for_selector("#id_number-error")
    assert page.locator("#id_number-error").inner_text() == "身份证号校验位不正确，请核对"
    # Everything typed is still there, the child now in row 1.
    assert page.input_value("#f-head_name") == "郑桂英"
    assert page.input_value("#f-id_number") == bad
    assert page.input_value("#f-members-1-relation") == "child"
    assert page.input_value("#f-members-1-birth_date") == "2013-09-01"
    assert page.is_checked("#f-members-1-in_school")
    assert page.input_value("#f-per_capita_income") == "5400"
    tab.shot("household-form-error")
    page.fill("#f-id_number", good)
    page.click("form.household-form button[type=submit]")
    page.wait_for_url("**/households/*-*")
    assert "户档案已建立" in page.locator(".alert-success").inner_text()
    assert "郑**" in page.locator("h1").inner_text()
    page.click("text=家庭成员")
    page.wait_for_url("**tab=members")
    page.locator("main table tbody tr").nth(1).wait_for()  # the tab's page, loaded
    assert page.locator("main table tbody tr").count() == 2


def test_a_bank_user_on_an_officers_page(visit, app):
    banker = make_person("psbc-e2e", "bank", "PSBC")
    tab = visit()
    tab.sign_in(banker)
    tab.page.wait_for_url(lambda url: "/login" not in url)
    for path in ("/households", "/desk", "/loans", "/households/new"):
        response = tab.go(path)
        assert response.status == 403, path
        assert "您的角色无权打开此页面" in tab.page.content()
    assert "户档案" not in tab.page.locator("nav.navbar").inner_text()
    tab.shot("households-bank-403")


def test_screenshots_of_each_page(visit, officer, zone):
    tab = signed_in(visit, officer)
    tab.go("/desk")
    # The officer covers the four towns: the six files, and the file each factory-made
    # application (3) and loan (3) brings with it.
    assert tab.page.locator("#stat-mine .count").inner_text() == "12"
    tab.shot("desk")
    tab.go("/households")
    assert tab.page.locator("table.households tbody tr").count() >= 6
    tab.shot("households-list")
    tab.page.fill("#f-q", "林秀英")
    tab.page.click("form[role=search] button[type=submit]")
    tab.page.wait_for_url("**key=*")
    assert "林秀英" not in tab.page.url and "%E6%9E%97" not in tab.page.url
    assert tab.page.locator("table.households tbody tr").count() == 1
    tab.shot("households-search")
    for name in TABS:
        tab.go(f"/households/{zone}?tab={name}")
        tab.shot(f"household-file-{name}")
    tab.go(f"/households/{zone}")
    tab.page.fill("#f-reason", "核对贷款合同中的身份信息")
    tab.page.click("#reveal button[type=submit]")
    tab.page.wait_for_selector("#revealed-name")
    assert tab.page.locator("#revealed-name").inner_text() == "陈建国"
    tab.shot("household-file-revealed")
    tab.go(f"/households/{zone}/edit")
    tab.shot("household-form-edit")
    tab.go("/loans")
    tab.shot("loans")


def test_the_phone_width(visit, officer, zone):
    tab = signed_in(visit, officer, phone=True)
    for path, name in (("/desk", "desk-phone"), ("/households", "households-list-phone"),
                       (f"/households/{zone}", "household-file-phone"),
                       (f"/households/{zone}?tab=history", "household-file-history-phone"),
                       ("/households/new", "household-form-phone"), ("/loans", "loans-phone")):
        tab.go(path)
        no_overflow(tab)
        tab.shot(name)
