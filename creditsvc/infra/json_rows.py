"""Rows of a related table as one JSON column: a file and its members, events and loans in one read.

`json_rows(a, b, c)` is an aggregate whose value is the group's rows, each a JSON array of
the given columns, on both engines (PostgreSQL's json_agg, SQLite's json_group_array). An
empty group is NULL on PostgreSQL and [] on SQLite. `json_row(a, b, c)` is one row's columns
as a JSON array (a correlated subquery's one row: a household's credit line). The values come
back as JSON gives them: dates as ISO text, and booleans as true/false on PostgreSQL but 1/0 on
SQLite.
"""

from sqlalchemy import JSON
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class json_rows(GenericFunction):  # noqa: N801 - an SQL function's name
    """The group's rows as a JSON array of arrays."""

    type = JSON()
    inherit_cache = True


@compiles(json_rows, "postgresql")
def _postgresql(element, compiler, **kw) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


@compiles(json_rows, "sqlite")
def _sqlite(element, compiler, **kw) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


class json_row(GenericFunction):  # noqa: N801 - an SQL function's name
    """One row's columns as a JSON array."""

    type = JSON()
    inherit_cache = True


@compiles(json_row, "postgresql")
def _postgresql_row(element, compiler, **kw) -> str:
    return f"json_build_array({compiler.process(element.clauses, **kw)})"


@compiles(json_row, "sqlite")
def _sqlite_row(element, compiler, **kw) -> str:
    return f"json_array({compiler.process(element.clauses, **kw)})"
