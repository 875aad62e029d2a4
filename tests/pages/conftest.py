"""Page tests: people who sign in, and test clients signed in as each."""

import pytest
from flask import g
from flask.testing import FlaskClient

from tests.pages.people import make_person, sign_in


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The `app` fixture keeps one app context open for the whole test, and Flask runs test
    requests inside it, so `g` would carry one request's values (its CSRF token, its
    principal) into the next. A served request never sees another's `g`.
    """

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def _fresh_globals(app):
    app.test_client_class = FreshGlobalsClient
    yield
    app.test_client_class = None


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
