"""Keyset pages in both directions, with a total counted up to a cap: the pages' lists.

The API pages forward (services/platform/paging); a page of the web lists also goes back, so it keeps
two cursors: the first row's (`before`) and the last row's (`after`). Either page is a short
range of the (created_at, id) index whatever its depth. Counting every row a filter matches
would cost the whole table on each page, so the total is counted up to CAP and shown as
"more than CAP" past it: the page's time then depends on the page, not on the table.
"""

from dataclasses import dataclass

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from creditsvc.services.platform.paging import decode_cursor, encode_cursor

CAP = 2_000


@dataclass(frozen=True)
class KeysetPage:
    """Rows of one page; the total (at most CAP, `over_cap` past it; None: not counted); the
    cursors around it."""

    rows: list
    total: int | None
    over_cap: bool
    after: str | None
    before: str | None


def _cursor(row, model) -> str:
    entity = row if isinstance(row, model) else row[0]
    return encode_cursor(entity.created_at, entity.id)


def capped_count(session: Session, query: Select, cap: int | None = None) -> tuple[int, bool]:
    """How many rows QUERY gives, counted up to CAP: (count, whether there are more)."""
    cap = CAP if cap is None else cap
    counted = session.execute(select(func.count()).select_from(
        query.order_by(None).limit(cap + 1).subquery())).scalar_one()
    return min(counted, cap), counted > cap


def keyset_page(session: Session, query: Select, model, *, after: str | None = None,
                before: str | None = None, page_size: int = 50, count: bool = True,
                count_query: Select | None = None) -> KeysetPage:
    """The page of QUERY after (or before) a cursor, in MODEL's (created_at, id) order.

    QUERY selects MODEL first (alone, or with other columns); rows come back as it gives them.
    COUNT_QUERY, when given, counts the same rows as QUERY, written for counting.
    """
    order = tuple_(model.created_at, model.id)
    rows_query = query
    if before:
        rows_query = rows_query.where(order < tuple_(*decode_cursor(before)))
        rows_query = rows_query.order_by(model.created_at.desc(), model.id.desc())
    else:
        if after:
            rows_query = rows_query.where(order > tuple_(*decode_cursor(after)))
        rows_query = rows_query.order_by(model.created_at, model.id)
    result = session.execute(rows_query.limit(page_size + 1))
    rows = list(result.scalars() if len(query.column_descriptions) == 1 else result)
    more = len(rows) > page_size
    rows = rows[:page_size]
    if before:
        rows.reverse()
    counted = query if count_query is None else count_query
    total, over = capped_count(session, counted) if count else (None, False)
    # Going forward there is a page before unless this is the first; going back, the reverse.
    has_next = more if not before else True
    has_prev = bool(after) if not before else more
    first, last = (_cursor(rows[0], model), _cursor(rows[-1], model)) if rows else (None, None)
    return KeysetPage(rows, total, over, last if has_next and rows else None,
                      first if has_prev and rows else None)
