"""An admin creates a user in the browser, who then signs in and sets their own password."""

import pytest

from tests.pages.people import make_person

pytestmark = pytest.mark.e2e


def test_admin_creates_a_user_who_then_signs_in(visit, app):
    admin = make_person("admin-e2e", "admin")
    tab = visit()
    tab.sign_in(admin)
    tab.page.wait_for_url("**/admin/users")
    tab.shot("admin-users")
    tab.page.click("text=新建用户")
    tab.page.fill("#f-name", "chen.jing")
    tab.page.select_option("#f-role", "officer")
    assert tab.unlabelled_inputs() == []
    tab.page.click("main button[type=submit]")
    tab.page.wait_for_selector("text=初始密码")
    password = tab.page.locator("dd code.fs-5").inner_text()
    tab.shot("admin-user-created")
    tab.page.click("text=我已记下，返回")
    tab.shot("admin-user")
    for path, name in (("/admin/banks", "admin-banks"), ("/admin/models", "admin-models")):
        tab.go(path)
        assert not tab.overflows()
        tab.shot(name)

    newcomer = visit(phone=True)
    newcomer.go("/login")
    newcomer.page.fill("#f-username", "chen.jing")
    newcomer.page.fill("#f-password", password)
    newcomer.page.click("main button[type=submit]")
    newcomer.page.wait_for_url("**/account/password")
    newcomer.page.fill("#f-current_password", password)
    newcomer.page.fill("#f-new_password", "chen.jing-own-1")
    newcomer.page.fill("#f-confirm_password", "chen.jing-own-1")
    newcomer.page.click("main button[type=submit]")
    assert "密码不能包含用户名" in newcomer.page.locator("#new_password-error").inner_text()
    newcomer.page.fill("#f-current_password", password)
    newcomer.page.fill("#f-new_password", "village-desk-2027")
    newcomer.page.fill("#f-confirm_password", "village-desk-2027")
    newcomer.page.click("main button[type=submit]")
    newcomer.page.wait_for_url(lambda url: "/account/password" not in url)
    assert "chen.jing" in newcomer.page.content() and "密码已修改" in newcomer.page.content()
    assert not newcomer.overflows()
