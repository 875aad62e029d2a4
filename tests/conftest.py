"""Fixtures: an app on a fresh migrated database per test, clients, keys and factories."""

import logging
import secrets
from datetime import date

import pytest

from creditsvc import create_app
from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.access import users
from creditsvc.services.platform.uow import UnitOfWork
from tests import dbs
from tests.today import TODAY

ACTOR = Principal(user_id=None, name="test", role="admin")


def make_config(url: str, **extra) -> dict:
    """A complete app config for tests: fresh random secrets, never defaults.

    The business date is the suite's fixed TODAY, so a test that sets none never reads the
    calendar (a test of the real clock passes BUSINESS_DATE=None).
    """
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": secrets.token_urlsafe(16), "PII_KEY": secrets.token_urlsafe(32),
            "BUSINESS_DATE": TODAY, **extra}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A database migrated once per run, to copy for each test."""
    if dbs.engine_under_test() == "postgresql":
        dbs.require_pg()
        name = dbs.new_pg_database()
        dbs.migrate_to_head(create_app(make_config(dbs.pg_url(name))))
        yield name
        dbs.drop_pg_database(name)
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        dbs.migrate_to_head(create_app(make_config(f"sqlite:///{path}")))
        yield str(path)


@pytest.fixture
def database_url(template_db, tmp_path):
    """The URL of this test's own database."""
    if dbs.engine_under_test() == "postgresql":
        name = dbs.new_pg_database(template=template_db)
        yield dbs.pg_url(name)
        dbs.drop_pg_database(name)
    else:
        target = tmp_path / "test.sqlite3"
        dbs.copy_sqlite(template_db, str(target))
        yield f"sqlite:///{target}"


@pytest.fixture
def app(database_url):
    """The app under test, on this test's database."""
    app = create_app(make_config(database_url))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def business_date(app):
    """Move the business date (what CREDITSVC_TODAY sets) from TODAY: business_date("2026-09-01").

    Tests that walk a loan through months of servicing live on these dates instead of
    back-dated history; the app's clock.today() and every date check follow.
    """
    def move(day):
        app.config["BUSINESS_DATE"] = date.fromisoformat(day) if isinstance(day, str) else day
        return app.config["BUSINESS_DATE"]

    yield move
    app.config["BUSINESS_DATE"] = TODAY


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """The app's database session."""
    return db.session


class Keys:
    """Makes users on demand and hands out their Authorization headers."""

    def __init__(self):
        self._made: dict[str, str] = {}

    def key(self, role: str, bank: str | None = None, name: str | None = None) -> str:
        name = name or f"{role}-{bank or 'x'}"
        if name not in self._made:
            with UnitOfWork(db.session) as uow:
                _, self._made[name] = users.create_user(uow.session, ACTOR, name, role, bank)
                uow.commit()
        return self._made[name]

    def headers(self, role: str, bank: str | None = None, name: str | None = None) -> dict:
        if role == "bank" and bank is None:
            bank = "PSBC"
        return {"Authorization": f"Bearer {self.key(role, bank, name)}"}


@pytest.fixture
def keys(app):
    """API keys per role (a bank key is PSBC's unless said otherwise)."""
    return Keys()


@pytest.fixture
def officer(keys):
    return keys.headers("officer")


@pytest.fixture(autouse=True)
def _capture_all_logs(caplog):
    caplog.set_level(logging.DEBUG)
