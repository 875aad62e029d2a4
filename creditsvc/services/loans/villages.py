"""Loans in an officer's area: the towns and villages an admin assigned them (access.areas).

A loan carries its household's town and village (copied at disbursement), so the rule is
one clause on the loan's row.
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.access.areas import in_area
from creditsvc.services.loans.numbers import normalise
from creditsvc.services.platform.paging import Page, paginate
from models import Household, Loan


def in_my_villages(actor: Principal):
    """The loan's (town, village) is in the actor's area."""
    return in_area(actor.user_id, Loan.town, Loan.village)


def overdue():
    """An outstanding loan with days past due reported (五级分类 关注 or worse)."""
    return (Loan.status == "active") & (Loan.days_past_due > 0)


def village_loans_query(actor: Principal, *, classification: str | None = None,
                        only_overdue: bool = False, status: str | None = None,
                        number: str | None = None) -> Select:
    """The SELECT of the loans in the actor's area as filtered: (loan, head's masked name).

    NUMBER (a loan number as typed, PSBC-2026-123 too) narrows the list to that loan. The list
    pages it; its export reads it whole.
    """
    query = (select(Loan, Household.head_name_masked)
             .join(Household, Household.id == Loan.household_id)
             .where(in_my_villages(actor)))
    if classification is not None:
        query = query.where(Loan.classification == classification)
    if only_overdue:
        query = query.where(overdue())
    if status is not None:
        query = query.where(Loan.status == status)
    if number is not None:
        query = query.where(Loan.number == (normalise(number) or number.strip()))
    return query


def village_loans(session: Session, actor: Principal, *, classification: str | None = None,
                  only_overdue: bool = False, status: str | None = None,
                  number: str | None = None,
                  after: str | None = None, before: str | None = None,
                  page_size: int = 50, count: bool = True) -> Page:
    """A page of the loans in the actor's area; rows are (loan, head's masked name)."""
    query = village_loans_query(actor, classification=classification, only_overdue=only_overdue,
                                status=status, number=number)
    return paginate(session, query, Loan, after=after, before=before, page_size=page_size,
                    count=count)
