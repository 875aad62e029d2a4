"""The officer's desk (工作台): the counts of their work, each one aggregate query.

Every count is the size of a list the desk links to, with the same filter: my files, my
applications by status, referred cases waiting for me (never my own), overdue loans in my
villages by 五级分类 class, and my files with a shock in the past year (返贫风险).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.households.search import risk_since, shock_between
from creditsvc.services.loans.villages import in_my_villages, overdue
from lending.classification import CLASSES
from models import Application, Household, Loan
from models.application import APPLICATION_STATUSES


@dataclass(frozen=True)
class Desk:
    """The counts an officer's desk shows."""

    my_households: int
    applications: dict[str, int]
    referred_for_me: int
    overdue_by_class: dict[str, int]
    at_risk: int
    risk_since: date


def desk_counts(session: Session, actor: Principal, *, today: date) -> Desk:
    """The desk of ACTOR (an officer) on the business date TODAY."""
    mine = Household.created_by == actor.user_id
    my_households = session.execute(select(func.count()).select_from(Household).where(mine)).scalar_one()
    by_status = dict(session.execute(
        select(Application.status, func.count()).where(Application.submitted_by == actor.user_id)
        .group_by(Application.status)).all())
    referred = session.execute(select(func.count()).select_from(Application).where(
        Application.status == "referred", Application.submitted_by != actor.user_id)).scalar_one()
    by_class = dict(session.execute(
        select(Loan.classification, func.count()).where(overdue(), in_my_villages(actor))
        .group_by(Loan.classification)).all())
    since = risk_since(session, today)
    at_risk = session.execute(select(func.count()).select_from(Household).where(
        mine, shock_between(since, today))).scalar_one()
    return Desk(my_households, {s: by_status.get(s, 0) for s in APPLICATION_STATUSES}, referred,
                {c: by_class.get(c, 0) for c in CLASSES[1:]}, at_risk, since)
