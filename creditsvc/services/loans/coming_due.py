"""Loans coming due: an unpaid instalment due in the next 30 days, or just fallen due unpaid.

On the officer's desk the loans of their area (access.areas, one clause on the loan's town
and village), on the bank's desk the bank's own (platform.scope). The windows are the
schedule rule's (`lending.schedule.coming_due_window`, `fallen_due_window`); the work is one
SQL statement: the unpaid instalments of the window, read by the index on their due date
(migration 0018x), grouped per loan, joined to the active loans.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid
from creditsvc.core.principal import Principal
from creditsvc.services.loans.villages import in_my_villages
from creditsvc.services.platform.paging import Page, paginate
from creditsvc.services.platform.scope import scoped
from lending.schedule import coming_due_window, fallen_due_window
from models import Household, Loan, ScheduleItem

WHICH = ("coming", "fallen")


@dataclass(frozen=True)
class DueCounts:
    """How many loans have an instalment coming due, and how many have just fallen due."""

    coming: int
    fallen: int


def _unpaid():
    """lending.schedule.instalment_unpaid as SQL: principal or interest not paid in full."""
    item = ScheduleItem
    return ((item.paid_principal_fen < item.principal_fen)
            | (item.paid_interest_fen < item.interest_fen))


def _window(which: str, today: date) -> tuple[date, date]:
    if which not in WHICH:
        raise Invalid("coming_due_unknown", fields=("which",))
    return coming_due_window(today) if which == "coming" else fallen_due_window(today)


def due_items(which: str, today: date):
    """Per loan, the first unpaid due date in WHICH window and what falls due in it (fen)."""
    first, last = _window(which, today)
    item = ScheduleItem
    owed = (item.principal_fen - item.paid_principal_fen) + (item.interest_fen - item.paid_interest_fen)
    return (select(item.loan_id.label("loan_id"), func.min(item.due_on).label("due_on"),
                   func.sum(owed).label("due_fen"))
            .where(item.due_on >= first, item.due_on <= last, _unpaid())
            .group_by(item.loan_id).subquery(f"due_{which}"))


def _narrowed(query: Select, actor: Principal) -> Select:
    """An officer's area, a bank's own loans; a fund manager sees the whole book."""
    if actor.role == "officer":
        return query.where(in_my_villages(actor))
    return scoped(query, actor, Loan.bank_code)


def coming_due_query(actor: Principal, which: str, today: date) -> Select:
    """The SELECT of the list: (loan, head's masked name, first due date, amount due in fen)."""
    due = due_items(which, today)
    query = (select(Loan, Household.head_name_masked, due.c.due_on, due.c.due_fen)
             .join(due, due.c.loan_id == Loan.id)
             .join(Household, Household.id == Loan.household_id)
             .where(Loan.status == "active"))
    return _narrowed(query, actor)


def coming_due(session: Session, actor: Principal, which: str, *, today: date,
               after: str | None = None, before: str | None = None, page_size: int = 50,
               count: bool = True) -> Page:
    """A page of the loans coming due (WHICH "coming") or just fallen due ("fallen")."""
    query = coming_due_query(actor, which, today)
    return paginate(session, query, Loan, after=after, before=before, page_size=page_size,
                    count=count)


def due_counts(session: Session, actor: Principal, *, today: date) -> DueCounts:
    """The desk's two counts: loans coming due in 30 days, loans fallen due in the last 30."""
    counts = []
    for which in WHICH:
        due = due_items(which, today)
        query = _narrowed(select(func.count()).select_from(Loan)
                          .join(due, due.c.loan_id == Loan.id)
                          .where(Loan.status == "active"), actor)
        counts.append(session.execute(query).scalar_one())
    return DueCounts(*counts)
