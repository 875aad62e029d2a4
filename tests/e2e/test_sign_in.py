"""Sign-in in a real browser: a wrong password, the lockout, the idle timeout, the first password."""

import pytest

from creditsvc.infra.extensions import db
from models import User
from tests.pages.people import Person, make_person

pytestmark = pytest.mark.e2e


def test_wrong_password_then_right_one(visit, app):
    person = make_person("officer-e2e")
    tab = visit()
    tab.sign_in(person, "wrong-password-1")
    said = tab.page.locator(".alert-danger").inner_text()
    assert said == "用户名或密码不正确，或账户已暂时锁定。"
    tab.sign_in(Person("no-such-user", "officer", None, "wrong-password-1", ""))
    assert tab.page.locator(".alert-danger").inner_text() == said  # no name is told apart
    tab.shot("login-error")
    tab.sign_in(person)
    tab.page.wait_for_url(tab.base + "/**")
    assert "/login" not in tab.page.url
    assert person.name in tab.page.locator("nav.navbar").inner_text()


def test_five_failures_lock_the_account(visit, app):
    person = make_person("officer-locked")
    tab = visit()
    for _ in range(5):
        tab.sign_in(person, "wrong-password-1")
    said = tab.page.locator(".alert-danger").inner_text()
    tab.sign_in(person)  # the right password, but locked: the same answer as any failure
    assert tab.page.locator(".alert-danger").inner_text() == said
    assert "/login" in tab.page.url
    assert db.session.get(User, person.user_id).locked_until is not None
    tab.shot("login-locked")


def test_idle_session_ends(visit, app):
    person = make_person("officer-idle")
    app.config["PAGES_IDLE_MINUTES"] = 0.05  # three seconds
    tab = visit()
    tab.sign_in(person)
    tab.page.wait_for_url(lambda url: "/login" not in url)
    tab.page.wait_for_timeout(3500)
    tab.go("/")
    assert "/login" in tab.page.url
    assert "未操作" in tab.page.locator(".alert-warning").inner_text()


def test_first_password_must_be_changed(visit, app):
    person = make_person("officer-new", password="Initial-pass-1", must_change=True)
    tab = visit(phone=True)
    tab.sign_in(person)
    tab.page.wait_for_url("**/account/password")
    tab.shot("password-change-phone")
    tab.page.fill("#f-current_password", "Initial-pass-1")
    tab.page.fill("#f-new_password", "short")
    tab.page.fill("#f-confirm_password", "short")
    tab.page.click("main button[type=submit]")
    assert tab.page.locator("#new_password-error").inner_text() == "密码至少 10 位"
    tab.page.fill("#f-current_password", "Initial-pass-1")
    tab.page.fill("#f-new_password", "my-own-pass-2026")
    tab.page.fill("#f-confirm_password", "my-own-pass-2026")
    tab.page.click("main button[type=submit]")
    tab.page.wait_for_url(lambda url: "/account/password" not in url)
    assert "密码已修改" in tab.page.content()


def test_keyboard_alone_signs_in_and_moves_between_areas(visit, app):
    person = make_person("officer-keys")
    tab = visit()
    tab.go("/login")
    page = tab.page
    # The username field has the focus on arrival: type, Tab to the password, Enter.
    assert page.evaluate("document.activeElement.id") == "f-username"
    page.keyboard.type(person.name)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-password"
    page.keyboard.type(person.password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    # Every control on the page it lands on has a label, and it fits the window.
    assert tab.unlabelled_inputs() == []
    assert not tab.overflows()


def test_sign_in_page_at_phone_width_fits_and_is_labelled(visit, app):
    tab = visit(phone=True)
    tab.go("/login")
    assert tab.unlabelled_inputs() == []
    assert not tab.overflows()
    tab.shot("login-phone")
