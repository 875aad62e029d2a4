"""HotStatement gives what Connection.execute gives: same values, same types, same errors."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from creditsvc import hotsql
from creditsvc.db import configure_engine
from creditsvc.hotsql import HotStatement
from models.base import UTCDateTime
from tests import dbs

PROBE = Table("hot_probe", MetaData(),
              Column("id", Integer, primary_key=True), Column("name", String(20)),
              Column("at", UTCDateTime()), Column("day", Date), Column("flag", Boolean),
              Column("doc", JSON), Column("big", BigInteger))
ROWS = [
    {"id": 1, "name": "林晓明", "at": datetime(2026, 1, 1, 7, 30, tzinfo=UTC), "day": date(2026, 1, 1),
     "flag": True, "doc": {"a": [1, "二"], "b": None}, "big": 2**40},
    {"id": 2, "name": None, "at": None, "day": None, "flag": False, "doc": None, "big": None},
]
BY_ID = select(PROBE).where(PROBE.c.id == bindparam("id"))
ALL = select(PROBE.c.id, PROBE.c.day, PROBE.c.flag).order_by(PROBE.c.id)


@pytest.fixture
def engine(tmp_path):
    """An engine of the engine under test (CREDITSVC_TEST_DB), with the app's settings."""
    if dbs.engine_under_test() == "postgresql":
        dbs.require_pg()
        name = dbs.new_pg_database()
        engine = create_engine(dbs.pg_url(name), pool_size=1)
    else:
        name, engine = None, create_engine(f"sqlite:///{tmp_path / 'hot.sqlite3'}")
    configure_engine(engine)
    PROBE.metadata.create_all(engine)
    yield engine
    engine.dispose()
    if name:
        dbs.drop_pg_database(name)


def test_reads_give_the_values_and_types_of_connection_execute(engine):
    with engine.begin() as conn:
        conn.execute(PROBE.insert(), ROWS)
    with engine.connect() as conn:
        for row in ROWS:
            expected = conn.execute(BY_ID, {"id": row["id"]}).one()
            got = HotStatement(BY_ID).execute(conn, {"id": row["id"]}).one()
            assert tuple(got) == tuple(expected) == tuple(row.values())
            assert [type(v) for v in got] == [type(v) for v in expected]
            assert got.at == row["at"] and got._fields == tuple(row)
        got = HotStatement(ALL).execute(conn).rows
        assert [tuple(r) for r in got] == [tuple(r) for r in conn.execute(ALL)]
        assert [type(r.flag) for r in got] == [bool, bool]  # not SQLite's 0/1
        assert HotStatement(BY_ID).execute(conn, {"id": 99}).first() is None


def test_writes_store_what_connection_execute_stores(engine):
    insert, hot_insert = PROBE.insert(), HotStatement(PROBE.insert())
    with engine.begin() as conn:
        conn.execute(insert, ROWS[0])
        assert hot_insert.execute(conn, {**ROWS[0], "id": 3}).rowcount == 1
        conn.execute(insert, ROWS[1] | {"id": 2})
        hot_insert.execute(conn, {**ROWS[1], "id": 4})
    with engine.connect() as conn:
        stored = {r.id: tuple(r)[1:] for r in conn.execute(select(PROBE))}
        # the JSON null of a None document included, as SQLAlchemy writes it
        raw = dict(conn.execute(text("SELECT id, CAST(doc AS VARCHAR(200)) FROM hot_probe")).all())
    assert stored[3] == stored[1] and stored[4] == stored[2]
    assert raw[3] == raw[1] and raw[4] == raw[2]


def test_updates_count_their_rows_and_text_takes_typed_parameters(engine):
    with engine.begin() as conn:
        conn.execute(PROBE.insert(), ROWS)
        moved = HotStatement(PROBE.update().where(PROBE.c.flag == bindparam("was"))
                             .values(at=bindparam("now")))
        now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        assert moved.execute(conn, {"was": True, "now": now}).rowcount == 1
        returning = HotStatement(text(
            "INSERT INTO hot_probe (id, at) VALUES (:id, :at) RETURNING id"
        ).bindparams(bindparam("at", type_=UTCDateTime())))
        assert returning.execute(conn, {"id": 7, "at": now}).one().id == 7
    with engine.connect() as conn:
        assert conn.execute(select(PROBE.c.at).where(PROBE.c.id.in_([1, 7]))).scalars().all() == [
            now, now]


def test_driver_errors_are_sqlalchemys_and_leave_nothing(engine):
    hot_insert = HotStatement(PROBE.insert())
    with engine.connect() as conn:
        conn.begin()
        hot_insert.execute(conn, ROWS[0])
        with pytest.raises(IntegrityError):
            hot_insert.execute(conn, ROWS[0])
        conn.rollback()
    with engine.connect() as conn:
        assert conn.execute(select(PROBE)).all() == []


@pytest.mark.postgres
def test_a_lost_connection_is_invalidated_and_replaced(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("CREDITSVC_TEST_DB=postgresql runs it: a server connection to lose is PostgreSQL's")
    with engine.connect() as conn:
        HotStatement(ALL).execute(conn)
        kept = conn.connection.info[hotsql._CURSOR]  # the connection's own cursor, reused
        HotStatement(ALL).execute(conn)
        assert conn.connection.info[hotsql._CURSOR] is kept
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        dbs.pg_admin(f"SELECT pg_terminate_backend({pid})")
        with pytest.raises(OperationalError) as lost:
            HotStatement(ALL).execute(conn)
        assert lost.value.connection_invalidated and conn.invalidated
    with engine.connect() as conn:  # the pool's one connection is a new one, with a new cursor
        assert HotStatement(ALL).execute(conn).rows == []
        assert conn.connection.info[hotsql._CURSOR][1] is not kept[1]
