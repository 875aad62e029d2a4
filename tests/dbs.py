"""Test databases: one migrated template per run, a fresh copy for every test."""

import os
import shutil
import uuid

import psycopg
import pytest
from flask_migrate import downgrade, upgrade

ADMIN_URL = os.environ.get("CREDITSVC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def engine_under_test() -> str:
    """'sqlite' (default) or 'postgresql', from CREDITSVC_TEST_DB."""
    return os.environ.get("CREDITSVC_TEST_DB", "sqlite")


def pg_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3, autocommit=True):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {ADMIN_URL} is not reachable ({type(exc).__name__})"


def require_pg() -> None:
    """Skip locally when PostgreSQL is missing; in CI a missing PostgreSQL is a failure."""
    why = pg_reachable()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; CI must run the PostgreSQL tests")
        pytest.skip(why)


def pg_url(name: str) -> str:
    """The SQLAlchemy URL of database NAME on the test server."""
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}"


def pg_admin(sql: str) -> None:
    """Run one statement on the maintenance database (CREATE/DROP DATABASE)."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def new_pg_database(template: str | None = None) -> str:
    """Create an empty (or templated) database and return its name."""
    name = f"creditsvc_test_{uuid.uuid4().hex[:12]}"
    pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name


def drop_pg_database(name: str) -> None:
    """Drop a test database, ending any connection left to it."""
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate_to_head(app) -> None:
    """Run every Alembic migration on the app's database."""
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        # Closing the pool checkpoints SQLite's WAL, so the file alone can be copied.
        app.extensions["sqlalchemy"].engine.dispose()


def migrate_again_from(app, revision: str) -> None:
    """Take the app's database (with the rows a test made) down to REVISION and up to head again:
    the later migrations run on those rows, as they would on a database in use."""
    from creditsvc.infra.extensions import db

    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision=revision)
    upgrade(directory=directory)


def copy_sqlite(template_path: str, target_path: str) -> None:
    """Copy a migrated SQLite file (cheaper than migrating again)."""
    shutil.copyfile(template_path, target_path)
