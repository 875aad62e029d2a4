"""Engine settings that make both engines safe for money-moving writes."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_engine(engine: Engine) -> None:
    """On SQLite, take the write lock at BEGIN; on PostgreSQL nothing is needed."""
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
