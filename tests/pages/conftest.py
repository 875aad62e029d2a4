"""Page tests: people who sign in, and test clients signed in as each."""

import pytest

from tests.pages.client import PageClient
from tests.pages.people import make_person, sign_in


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
        client = PageClient(app, app.response_class, use_cookies=True)
        response = sign_in(client, people[who])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return signed_in
