"""Upgrading on PostgreSQL: a migration that waits for a lock gives up after MIGRATION_LOCK_TIMEOUT.

An ALTER TABLE needs the table to itself; behind a long transaction that has read the table, it
would wait, and every request after it would queue behind the ALTER. With the lock timeout it
fails in seconds, rolls back whole (Alembic's transaction), and succeeds when run again.
"""

import time

import psycopg
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from creditsvc import create_app
from creditsvc.infra.extensions import db
from tests import dbs
from tests.conftest import make_config


@pytest.mark.postgres
def test_a_migration_behind_a_long_transaction_fails_fast_and_runs_later(monkeypatch):
    dbs.require_pg()
    name = dbs.new_pg_database()
    try:
        app = create_app(make_config(dbs.pg_url(name)))
        directory = app.extensions["migrate"].directory
        with app.app_context():
            upgrade(directory=directory)
            downgrade(directory=directory, revision="0015")  # 0016 alters household_members
        monkeypatch.setenv("MIGRATION_LOCK_TIMEOUT", "1s")
        reader = psycopg.connect(dbs.pg_url(name).replace("+psycopg", ""))
        reader.execute("SELECT count(*) FROM household_members").fetchone()  # holds its lock
        started = time.monotonic()
        with app.app_context(), pytest.raises(Exception, match="lock timeout"):
            upgrade(directory=directory)
        assert time.monotonic() - started < 10
        reader.rollback()
        reader.close()
        with app.app_context():
            upgrade(directory=directory)
            assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() != "0015"
            db.session.remove()
            db.engine.dispose()
    finally:
        dbs.drop_pg_database(name)
