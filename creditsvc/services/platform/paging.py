"""Paging of every list, API and pages alike: keyset pages around opaque cursors, and totals
counted up to one cap.

Every list is ordered by (created_at, id), with an index on it (migration 0008j), so the
page after a cursor is a short index range whatever the depth: `WHERE (created_at, id) >
(:c, :i) ORDER BY created_at, id LIMIT n`. A page of the web lists also goes back, so a page
carries two cursors: its last row's (`next_cursor`) and its first row's (`prev_cursor`). A
numbered page (`page`) still works, by OFFSET, and costs the rows it skips.

The total is counted up to COUNT_CAP rows: counting every row a filter matches would cost the
whole table on every page. Past the cap, every list still gives a number: PostgreSQL's planner
estimate, flagged `estimated` (SQLite, the small embedded engine, counts exactly), which the
API sends in X-Total-Estimated and the pages show as 约 N 条（估计数）.
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
    """One page of a list: its items, the total (None: not counted), the cursors around it.

    ESTIMATED: the total is the planner's estimate; OVER_CAP: more than COUNT_CAP rows match.
    """

    items: list
    total: int | None
    estimated: bool = False
    next_cursor: str | None = None
    prev_cursor: str | None = None
    over_cap: bool = False


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


def capped_count(session: Session, query: Select) -> tuple[int, bool]:
    """How many rows QUERY gives, counted up to COUNT_CAP: (count, whether there are more)."""
    counted = session.execute(select(func.count()).select_from(
        query.order_by(None).limit(COUNT_CAP + 1).subquery())).scalar_one()
    return min(counted, COUNT_CAP), counted > COUNT_CAP


def _estimate(session: Session, query: Select) -> tuple[int, bool]:
    """The rows QUERY gives past the cap: the planner's estimate (PostgreSQL), else counted."""
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(select(func.count()).select_from(query.subquery())).scalar_one(), False
    # render_postcompile: an IN list (a bank's visible statuses) becomes plain parameters.
    compiled = query.compile(dialect=session.get_bind().dialect,
                             compile_kwargs={"render_postcompile": True})
    plan = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}",
                                                compiled.params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return max(int(plan[0]["Plan"]["Plan Rows"]), COUNT_CAP + 1), True


def _cursor(row, model) -> str:
    entity = row if isinstance(row, model) else row[0]
    return encode_cursor(entity.created_at, entity.id)


def paginate(session: Session, query: Select, model, *, after: str | None = None,
             before: str | None = None, page: int = 1, page_size: int = 50, options: tuple = (),
             newest_first: bool = False, count: bool = True,
             count_query: Select | None = None) -> Page:
    """The page of QUERY after (or before) a cursor, or numbered, in MODEL's (created_at, id)
    order (or its reverse).

    QUERY selects MODEL first (alone, or with other columns); items come back as it gives
    them. COUNT_QUERY, when given, counts the same rows as QUERY, written for counting.
    Past the cap the total is PostgreSQL's planner estimate, flagged `estimated` (SQLite counts).
    """
    order = (model.created_at, model.id)
    descending = newest_first != bool(before)  # going back reads the reverse order
    rows = query.order_by(*(column.desc() for column in order) if descending else order)
    if cursor := before or after:
        place = tuple_(*decode_cursor(cursor))
        rows = rows.where(tuple_(*order) < place if descending else tuple_(*order) > place)
    elif page > 1:
        rows = rows.offset((page - 1) * page_size)
    result = session.execute(rows.options(*options).limit(page_size + 1))
    items = list(result.scalars() if len(query.column_descriptions) == 1 else result)
    more = len(items) > page_size
    items = items[:page_size]
    if before:
        items.reverse()
    total, estimated, over = None, False, False
    if count:
        counted = query if count_query is None else count_query
        total, over = capped_count(session, counted)
        if over:
            total, estimated = _estimate(session, counted)
    # Going forward there is a page before unless this is the first; going back, the reverse.
    has_next, has_prev = (True, more) if before else (more, bool(after) or page > 1)
    first, last = (_cursor(items[0], model), _cursor(items[-1], model)) if items else (None, None)
    return Page(items, total, estimated, last if has_next else None,
                first if has_prev else None, over)
