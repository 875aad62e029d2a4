"""Page tests: people who sign in, and test clients signed in as each."""

import pytest
from flask import g, request_started

from tests.pages.people import make_person, sign_in


@pytest.fixture(autouse=True)
def _fresh_request_globals(app):
    """Every test-client request starts with an empty `flask.g`, as it does on a server.

    The `app` fixture keeps one app context open for the whole test, and Flask reuses it for
    the test client's requests: `g` would otherwise carry Flask-Login's cached user and the
    CSRF token from one request (and one signed-in client) to the next.
    """

    def clear(_sender, **_extra):
        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)


@pytest.fixture
def people(app):
    """Two officers, a user of each bank, a fund manager and an admin, with passwords."""
    return {
        "officer": make_person("officer-li"),
        "officer2": make_person("officer-wang"),
        "psbc": make_person("psbc-zhao", "bank", "PSBC"),
        "abc": make_person("abc-sun", "bank", "ABC"),
        "fund": make_person("fund-qian", "fund_manager"),
        "admin": make_person("admin-zhou", "admin"),
    }


@pytest.fixture
def as_user(app, people):
    """as_user("officer"): a fresh test client signed in as that person."""

    def signed_in(who: str):
        client = app.test_client()
        response = sign_in(client, people[who])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return signed_in
