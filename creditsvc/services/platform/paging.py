"""Paging of the lists: keyset pages after an opaque cursor, and totals that may be estimated.

Every list is ordered by (created_at, id), with an index on it (migration 0008j), so the
page after a cursor is a short index range whatever the depth: `WHERE (created_at, id) >
(:c, :i) ORDER BY created_at, id LIMIT n`. A numbered page (`page`) still works, by OFFSET,
and costs the rows it skips. The total is exact up to COUNT_CAP rows; past that, counting
would cost the whole filtered table on every page, so PostgreSQL's planner estimate is
given instead and flagged (`estimated`). SQLite, the small embedded engine, always counts.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid

COUNT_CAP = 2_000


@dataclass(frozen=True)
class Page:
    """One page of a listing: its items, the total (maybe estimated), the next page's cursor."""

    items: list
    total: int
    estimated: bool = False
    next_cursor: str | None = None


def encode_cursor(created_at: datetime, row_id: str) -> str:
    """An opaque cursor naming a row's place in the (created_at, id) order."""
    raw = json.dumps([created_at.isoformat(), row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The (created_at, id) a cursor names; 422 `invalid_cursor` for anything else."""
    try:
        created, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(created), str(row_id)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise Invalid("invalid_cursor", fields=("after",)) from exc


def _total(session: Session, query: Select) -> tuple[int, bool]:
    counted = session.execute(select(func.count()).select_from(
        query.limit(COUNT_CAP + 1).subquery())).scalar_one()
    if counted <= COUNT_CAP or session.get_bind().dialect.name != "postgresql":
        if counted > COUNT_CAP:
            counted = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        return counted, False
    # render_postcompile: an IN list (a bank's visible statuses) becomes plain parameters.
    compiled = query.compile(dialect=session.get_bind().dialect,
                             compile_kwargs={"render_postcompile": True})
    plan = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}",
                                                compiled.params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return max(int(plan[0]["Plan"]["Plan Rows"]), counted), True


def paginate(session: Session, query: Select, model, *, after: str | None = None, page: int = 1,
             page_size: int = 50, options: tuple = (), newest_first: bool = False) -> Page:
    """A page of QUERY over MODEL in (created_at, id) order (or its reverse): after the cursor,
    or numbered."""
    order = (model.created_at, model.id)
    rows = query.order_by(*(column.desc() for column in order) if newest_first else order)
    if after:
        place = tuple_(*decode_cursor(after))
        rows = rows.where(tuple_(*order) < place if newest_first else tuple_(*order) > place)
    else:
        rows = rows.offset((page - 1) * page_size)
    items = list(session.execute(rows.options(*options).limit(page_size + 1)).scalars())
    more = len(items) > page_size
    items = items[:page_size]
    total, estimated = _total(session, query)
    cursor = encode_cursor(items[-1].created_at, items[-1].id) if more else None
    return Page(items, total, estimated, cursor)
