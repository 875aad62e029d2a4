"""A list's total past the keyset pages' count cap: estimated rather than left out.

keyset.keyset_page counts up to its CAP and stops (the page's time then depends on the page,
not the table). People still want a total: past the cap, PostgreSQL's planner estimate is
given and flagged as one; SQLite, the small embedded engine, counts exactly.
"""

import json

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from creditsvc.services.platform import keyset
from creditsvc.services.platform.keyset import KeysetPage


def estimated_total(session: Session, query: Select) -> tuple[int, bool]:
    """QUERY's rows: (the planner's estimate, True) on PostgreSQL, else (exact count, False)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return session.execute(select(func.count()).select_from(
            query.order_by(None).subquery())).scalar_one(), False
    # render_postcompile: an IN list becomes plain parameters EXPLAIN can take.
    compiled = query.compile(dialect=bind.dialect, compile_kwargs={"render_postcompile": True})
    plan = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}",
                                                compiled.params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    # More than the cap were counted: an estimate below it would contradict the count.
    return max(int(plan[0]["Plan"]["Plan Rows"]), keyset.CAP + 1), True


def with_estimate(session: Session, page: KeysetPage, query: Select) -> KeysetPage:
    """PAGE with its total past the cap filled in (`over_cap` then means "estimated")."""
    if not page.over_cap:
        return page
    total, estimated = estimated_total(session, query)
    return KeysetPage(page.rows, total, estimated, page.after, page.before)
