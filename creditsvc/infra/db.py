"""Engine settings that make both engines safe for money-moving writes, and connection checks."""

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

# A pooled connection idle for longer than this is pinged before it is handed out.
IDLE_PING_SECONDS = 10.0
# A PostgreSQL host that does not answer fails a new connection after this many seconds.
CONNECT_TIMEOUT_SECONDS = 5


def configure_engine(engine: Engine, idle_ping_seconds: float = IDLE_PING_SECONDS) -> None:
    """Ping connections that sat idle in the pool; on SQLite, take the write lock at BEGIN."""
    _ping_idle_connections(engine, idle_ping_seconds)
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Python's sqlite3 does not BEGIN before a SELECT, so a read-then-write could
        # act on a stale read. Take transaction control away from the driver ...
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # ... and begin every transaction IMMEDIATE: writers queue on the lock instead
        # of failing with "database is locked" when a deferred read upgrades to a write.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Pessimistic disconnect handling that costs nothing on a busy server.

    SQLAlchemy's pool_pre_ping pings on every checkout: a round trip on every request, and
    two on a request that checks a connection out twice. A connection that was in use a
    moment ago is alive; one that sat idle (a database restart, a firewall's idle timeout)
    may not be, so only those are pinged. A failed ping makes the pool discard the
    connection and hand out a new one.
    """

    @event.listens_for(engine.pool, "checkin")
    def _idle_from(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # just connected, or used a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("an idle pooled connection failed its ping") from exc
        if not alive:
            raise DisconnectionError("an idle pooled connection failed its ping")


# How long /readyz waits for the database: a load balancer's probe must not hang.
READY_TIMEOUT_SECONDS = 2


def database_answers(engine: Engine, timeout: float = READY_TIMEOUT_SECONDS) -> bool:
    """Whether the database answers `SELECT 1` within `timeout` seconds.

    On the driver's own connection, outside any transaction: on SQLite every transaction
    begins IMMEDIATE and would queue behind a writer for the busy timeout.
    """
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            if engine.dialect.name == "postgresql":
                # The driver's implicit transaction, rolled back by the pool when the
                # connection goes back: the timeout ends with it.
                with raw.cursor() as cur:
                    cur.execute(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
                    cur.execute("SELECT 1")
            else:
                raw.execute("SELECT 1").fetchall()
    except Exception:  # noqa: BLE001 - any failure to answer means not ready
        return False
    return True
