"""应贷未贷's kept counts checked against the lines: each break is named.

Triggers (migration 0019w) keep `credit_lines.waiting` and its counts per group; this reads
them again the long way, as `fund.reconcile` does for the exposure totals, so an operator's
`flask fund reconcile` finds a count the triggers ever got wrong.
"""

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from creditsvc.services.campaign.lists import borrowed_within_line
from models import CreditLine, HouseholdSurvey, WaitingLineCount, WaitingLineTotal


def _flag():
    """A line's waiting flag as lists.py defines 应贷未贷, whatever the date."""
    willing = exists().where(HouseholdSurvey.household_id == CreditLine.household_id,
                             HouseholdSurvey.willing.is_(True))
    return and_(CreditLine.status == "active", willing, ~borrowed_within_line())


def waiting_breaks(session: Session) -> list[str]:
    """Lines whose flag is not what their survey and loans say, and counts that are not the
    lines' own (groups at zero count as absent)."""
    wrong = session.execute(select(func.count()).select_from(CreditLine).where(
        CreditLine.waiting != _flag())).scalar_one()
    breaks = [f"{wrong} credit lines have a waiting flag their survey and loans do not give"
              ] if wrong else []
    for model in (WaitingLineCount, WaitingLineTotal):
        keys = [c.name for c in model.__table__.primary_key]  # the line's columns it counts by
        columns = [getattr(CreditLine, k) for k in keys]
        want = {tuple(r[:-1]): int(r[-1]) for r in session.execute(
            select(*columns, func.count()).where(CreditLine.status == "active",
                                                 CreditLine.waiting.is_(True))
            .group_by(*columns))}
        kept = {tuple(getattr(r, k) for k in keys): r.n
                for r in session.execute(select(model).where(model.n != 0)).scalars()}
        breaks += [f"{model.__tablename__} {'/'.join(map(str, key))} is {kept.get(key, 0)} but "
                   f"the lines say {want.get(key, 0)}"
                   for key in sorted(set(kept) | set(want), key=str)
                   if kept.get(key, 0) != want.get(key, 0)]
    return breaks
