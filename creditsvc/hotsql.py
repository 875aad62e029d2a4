"""Hot-path statements run on the driver's cursor, compiled by SQLAlchemy once per dialect.

Timed per statement on the submission path, SQLAlchemy's execution and result machinery
(execution context, parameter and result set-up, Row objects) cost about 180 µs of CPU per
statement on top of the driver's own, a sixth of a worker's CPU per submission. Run this way
instead, the application benchmark went from 33.5% to 37.0% of the bare endpoint's
throughput (medians of 6 alternating rounds in one run; README, Benchmarks).

A `HotStatement` keeps what SQLAlchemy does that matters for these few statements: the SQL is
SQLAlchemy's own compilation for the connection's dialect (its paramstyle and casts), and
every parameter and result column goes through its type's bind and result processors, so
values are the same as Connection.execute would give (aware UTC datetimes, dates and booleans
on SQLite, JSON columns). It runs on the DBAPI connection behind a SQLAlchemy Connection,
inside that connection's transaction. A driver error is raised as SQLAlchemy's own exception
(IntegrityError, OperationalError, ...), and a lost connection is invalidated so that the
pool never hands it out again, as Connection.execute does. They do not pass through the
engine's events or its SQL log. Only for statements that run on every request: everything
else uses SQLAlchemy as usual.
"""

from collections import namedtuple
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True)
class _Compiled:
    sql: str
    compiled: object  # SQLCompiler
    positional: tuple[str, ...] | None  # parameter order for a positional paramstyle
    bind_processors: dict
    result_types: tuple | None  # per column, None when the statement has no typed columns


class HotResult:
    """What a HotStatement returned: its rows (as named tuples) and rowcount."""

    __slots__ = ("rows", "rowcount")

    def __init__(self, rows: list, rowcount: int):
        self.rows, self.rowcount = rows, rowcount

    def __iter__(self):
        return iter(self.rows)

    def first(self):
        """The first row, or None."""
        return self.rows[0] if self.rows else None

    def one(self):
        """The only row (LookupError unless there is exactly one)."""
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0]


class HotStatement:
    """A Core statement (select, insert, update, text) to run on the driver's cursor."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()
        self._shapes: WeakKeyDictionary[Dialect, _Shape] = WeakKeyDictionary()

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            binds = {}
            for name, bind in compiled.binds.items():
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    binds[compiled.bind_names.get(bind, name)] = processor
            columns = getattr(self.statement, "selected_columns", None)
            types = tuple(column.type.dialect_impl(dialect) for column in columns) if columns else None
            positional = tuple(compiled.positiontup) if compiled.positional else None
            found = self._compiled[dialect] = _Compiled(str(compiled), compiled, positional,
                                                         binds, types)
        return found

    def execute(self, conn: Connection, params: dict | None = None) -> HotResult:
        """Run on CONN's DBAPI connection, in its transaction.

        Like Connection.execute, it begins one when none is in progress (autobegin), unless
        the connection is in autocommit.
        """
        if not conn.in_transaction() and (
                conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT"):
            conn.begin()
        dialect = conn.dialect
        c = self._for(dialect)
        values = c.compiled.construct_params(params or {})
        for name, processor in c.bind_processors.items():
            values[name] = processor(values[name])
        args = values if c.positional is None else [values[name] for name in c.positional]
        pooled = conn.connection
        dbapi_conn = pooled.dbapi_connection
        shape = self._shapes.get(dialect)
        cursor = _cursor(pooled, dbapi_conn)
        try:
            cursor.execute(c.sql, args)
            if shape is None:  # the first run on this dialect reads the result's shape
                shape = self._shapes[dialect] = _shape(dialect, c, cursor.description)
            raw = cursor.fetchall() if shape.returns_rows else []
            rowcount = cursor.rowcount
        except dialect.loaded_dbapi.Error as exc:
            lost = dialect.is_disconnect(exc, dbapi_conn, cursor)
            if lost:
                conn.invalidate(exc)
            raise DBAPIError.instance(c.sql, args, exc, dialect.loaded_dbapi.Error,
                                      connection_invalidated=lost, dialect=dialect) from exc
        if not raw:
            return HotResult([], rowcount)
        row_type, processors = shape.row_type, shape.processors
        if processors is None:
            return HotResult([row_type._make(r) for r in raw], rowcount)
        return HotResult([row_type._make([v if p is None else p(v)
                                          for p, v in zip(processors, r, strict=True)])
                          for r in raw], rowcount)


_CURSOR = "creditsvc.hotsql.cursor"


def _cursor(pooled, dbapi_conn):
    """The DBAPI connection's own cursor, kept with it in the pool and used again.

    A new cursor costs about 25 µs on psycopg (its adapters are set up each time). A pooled
    connection serves one request at a time, and each run fetches all its rows, so one
    cursor serves every hot statement; a replaced (invalidated) connection gets a new one.
    """
    kept = pooled.info.get(_CURSOR)
    if kept is None or kept[0] is not dbapi_conn:
        kept = pooled.info[_CURSOR] = (dbapi_conn, dbapi_conn.cursor())
    return kept[1]


@dataclass(frozen=True)
class _Shape:
    """What a statement's results look like on one dialect (the same on every run)."""

    returns_rows: bool
    row_type: type | None
    processors: tuple | None  # each column's result processor; None when no column has one


def _shape(dialect: Dialect, c: _Compiled, description) -> _Shape:
    if description is None:
        return _Shape(False, None, None)
    row_type = namedtuple("Row", [d[0] for d in description], rename=True)
    processors = None
    if c.result_types is not None:
        # With the driver's type code of each column, as Connection.execute passes it.
        processors = tuple(t.result_processor(dialect, d[1])
                           for t, d in zip(c.result_types, description, strict=True))
        if not any(processors):
            processors = None
    return _Shape(True, row_type, processors)
