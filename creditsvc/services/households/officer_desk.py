"""The officer's desk (工作台): the counts of their work, each one aggregate query.

Every count is the size of a list the desk links to, with the same filter: the files of my
area (the towns and villages an admin assigned me: access.areas), my applications by status,
referred cases of my area waiting for me (never my own), overdue loans of my area by 五级分类
class, and the files of my area with a shock in the past year (返贫风险).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.access.areas import Area, areas_of, in_area
from creditsvc.services.households.search import risk_since, shock_between
from creditsvc.services.loans.villages import in_my_villages, overdue
from lending.classification import CLASSES
from models import Application, Household, Loan
from models.application import APPLICATION_STATUSES


@dataclass(frozen=True)
class Desk:
    """The counts an officer's desk shows."""

    areas: list[Area]
    my_households: int
    applications: dict[str, int]
    referred_for_me: int
    overdue_by_class: dict[str, int]
    at_risk: int
    risk_since: date


def desk_counts(session: Session, actor: Principal, *, today: date) -> Desk:
    """The desk of ACTOR (an officer) on the business date TODAY."""
    mine = in_area(actor.user_id, Household.town, Household.village)
    my_households = session.execute(select(func.count()).select_from(Household).where(mine)).scalar_one()
    by_status = dict(session.execute(
        select(Application.status, func.count()).where(Application.submitted_by == actor.user_id)
        .group_by(Application.status)).all())
    referred = session.execute(select(func.count()).select_from(Application).where(
        Application.status == "referred", Application.submitted_by != actor.user_id,
        in_area(actor.user_id, Application.town, Application.village))).scalar_one()
    by_class = dict(session.execute(
        select(Loan.classification, func.count()).where(overdue(), in_my_villages(actor))
        .group_by(Loan.classification)).all())
    since = risk_since(session, today)
    at_risk = session.execute(select(func.count()).select_from(Household).where(
        mine, shock_between(since, today))).scalar_one()
    return Desk(areas_of(session, actor.user_id), my_households,
                {s: by_status.get(s, 0) for s in APPLICATION_STATUSES}, referred,
                {c: by_class.get(c, 0) for c in CLASSES[1:]}, at_risk, since)
