"""The interactive API docs work offline: no request leaves the machine, and a person can
authorise with a key and run a call from the page."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_docs_render_offline_and_run_a_call(live_server, browser, keys):
    key = keys.key("officer")
    page = browser.new_page()
    outside = []

    def only_loopback(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.replace("\u200b", "") == "/api/v1/households" for p in paths)

    page.click("button.authorize")
    page.fill(".modal-ux input", key)
    page.click(".modal-ux button.authorize")
    page.click(".modal-ux button.btn-done")

    block = page.locator(".opblock-get", has=page.locator(".opblock-summary-path",
                                                          has_text=re.compile(r"^/api/v1/househ")))
    block.first.locator(".opblock-summary").click()
    block.first.locator("button.try-out__btn").click()
    block.first.locator("button.execute").click()
    status = block.first.locator(".live-responses-table tbody .response-col_status")
    status.first.wait_for(timeout=20_000)
    assert status.first.inner_text().strip() == "200"
    assert outside == [], f"the docs page tried to reach outside the machine: {outside}"
