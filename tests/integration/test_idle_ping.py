"""Pooled connections that sat idle are pinged before use, and a dead one is replaced."""

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from creditsvc.infra.db import configure_engine
from tests import dbs

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_database():
    dbs.require_pg()
    name = dbs.new_pg_database()
    yield name
    dbs.drop_pg_database(name)


def _engine(name: str, idle_ping_seconds: float):
    engine = create_engine(dbs.pg_url(name), pool_size=1)
    configure_engine(engine, idle_ping_seconds)
    return engine


def _kill_pooled_connection(engine) -> None:
    """End the server side of the pool's one connection, as a database restart would."""
    with engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    dbs.pg_admin(f"SELECT pg_terminate_backend({pid})")


def test_an_idle_connection_that_died_is_replaced(pg_database):
    engine = _engine(pg_database, idle_ping_seconds=0)
    _kill_pooled_connection(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT 1").scalar_one() == 1
    engine.dispose()


def test_without_the_ping_the_dead_connection_is_handed_out(pg_database):
    engine = _engine(pg_database, idle_ping_seconds=3600)
    _kill_pooled_connection(engine)
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_database, monkeypatch):
    engine = _engine(pg_database, idle_ping_seconds=60)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(1) or real_ping(c))
    for _ in range(3):
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    assert pings == []
    pool_record = engine.pool._pool.queue[0]
    pool_record.info["idle_since"] -= 61  # as if it had sat idle for a minute
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    assert pings == [1]
    engine.dispose()
