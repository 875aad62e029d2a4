"""Browser tests: Debian's Chromium driven by Playwright against the app on a real socket."""

import os
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = "/usr/bin/chromium"
# Debian's fonts-noto-cjk: without a CJK font the Chinese pages render as boxes.
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class ClosingHandler(WSGIRequestHandler):
    """Werkzeug's request handler, closing the response when the browser drops the connection.

    When a tab navigates away mid-download, Werkzeug's server can raise while it drains the
    request (a reset in its `finally`) before it closes the response, leaving a static file
    open; under `filterwarnings = error` that surfaces later as a ResourceWarning in whatever
    test runs next. Closing a response twice is harmless.
    """

    def connection_dropped(self, error, environ=None):
        response = (environ or {}).get("e2e.response")
        if response is not None and hasattr(response, "close"):
            response.close()


def remembering_response(app):
    """The app, keeping each response in its environ so ClosingHandler can close it."""
    def serve(environ, start_response):
        environ["e2e.response"] = response = app(environ, start_response)
        return response
    return serve


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, remembering_response(app), threaded=True,
                         request_handler=ClosingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser():
    """Debian's Chromium; never a downloaded browser. Missing: skip locally, fail in CI."""
    for path, package in ((CHROMIUM, "chromium"), (CJK_FONT, "fonts-noto-cjk")):
        if not os.path.exists(path):
            if os.environ.get("CI"):
                pytest.fail(f"{path} is missing; CI must run the browser tests")
            pytest.skip(f"{path} is missing (install Debian's {package} package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


SCREENSHOTS = os.environ.get("SCREENSHOT_DIR") or os.path.join(os.path.dirname(__file__),
                                                                "screenshots")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}


class Visit:
    """A browser tab on the live server that records any request leaving it.

    Every request not addressed to the live server is aborted and kept in `outside`; the
    fixture asserts at the end that there was none (the county's intranet has no internet).
    """

    def __init__(self, browser, base: str, viewport: dict):
        self.base = base
        self.outside: list[str] = []
        self.context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                           viewport=viewport)
        self.page = self.context.new_page()
        self.page.route("**/*", self._only_loopback)
        self.page.set_default_timeout(30_000)

    def _only_loopback(self, route):
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def go(self, path: str):
        """Open PATH on the live server."""
        return self.page.goto(self.base + path)

    def sign_in(self, person, password: str | None = None):
        """Sign in through the sign-in page."""
        self.go("/login")
        self.page.fill("#f-username", person.name)
        self.page.fill("#f-password", password or person.password)
        self.page.click("button[type=submit]")

    def unlabelled_inputs(self) -> list[str]:
        """Visible form controls without a label (label[for], a wrapping label or aria-label)."""
        return self.page.evaluate("""() => [...document.querySelectorAll(
              'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')]
            .filter(el => el.offsetParent !== null)
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.name || el.id || el.outerHTML.slice(0, 80))""")

    def overflows(self) -> bool:
        """Whether the page is wider than the window (a sideways scroll on a phone)."""
        return self.page.evaluate(
            "() => document.documentElement.scrollWidth > window.innerWidth + 1")

    def shot(self, name: str) -> str:
        """Save a full-page screenshot as a test artefact; its path."""
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, f"{name}.png")
        self.page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def visit(browser, live_server):
    """visit() or visit(phone=True): a tab at 1366x768 (or 360 px wide) on the live server."""
    made: list[Visit] = []

    def open_tab(phone: bool = False) -> Visit:
        made.append(Visit(browser, live_server, PHONE if phone else DESKTOP))
        return made[-1]

    yield open_tab
    for tab in made:
        tab.context.close()
    assert [url for tab in made for url in tab.outside] == []
