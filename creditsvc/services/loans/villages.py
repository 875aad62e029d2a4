"""Loans in an officer's villages: those of the villages where the officer keeps files.

An officer's villages are the (town, village) pairs of the household files they created;
village names repeat across towns, so the pair is the key. A loan carries its household's
town and village (copied at disbursement), so the rule is one IN on the loan's row.
"""

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.platform.paging import Page, paginate
from models import Household, Loan


def in_my_villages(actor: Principal):
    """The loan's (town, village) is one where the actor created a file."""
    # Not correlated: the officer's villages are read once per query, not once per loan.
    mine = select(Household.town, Household.village).where(
        Household.created_by == actor.user_id).distinct()
    return tuple_(Loan.town, Loan.village).in_(mine)


def overdue():
    """An outstanding loan with days past due reported (五级分类 关注 or worse)."""
    return (Loan.status == "active") & (Loan.days_past_due > 0)


def village_loans(session: Session, actor: Principal, *, classification: str | None = None,
                  only_overdue: bool = False, status: str | None = None,
                  after: str | None = None, before: str | None = None,
                  page_size: int = 50, count: bool = True) -> Page:
    """A page of the loans in the actor's villages; rows are (loan, head's masked name)."""
    query = (select(Loan, Household.head_name_masked)
             .join(Household, Household.id == Loan.household_id)
             .where(in_my_villages(actor)))
    if classification is not None:
        query = query.where(Loan.classification == classification)
    if only_overdue:
        query = query.where(overdue())
    if status is not None:
        query = query.where(Loan.status == status)
    return paginate(session, query, Loan, after=after, before=before, page_size=page_size,
                    count=count, estimate=False)
