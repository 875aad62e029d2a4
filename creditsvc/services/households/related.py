"""What a household file page shows besides the file: its applications and its loans."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.platform.scope import scoped
from models import Application, Loan

# A household has a handful of applications and loans in its life: one short list each.
LIMIT = 100


def applications_of(session: Session, actor: Principal, household_id: str) -> list[Application]:
    """The household's applications, newest first."""
    query = scoped(select(Application).where(Application.household_id == household_id),
                   actor, Application.bank_code)
    return list(session.execute(query.order_by(Application.created_at.desc()).limit(LIMIT))
                .scalars())


def loans_of(session: Session, actor: Principal, household_id: str) -> list[Loan]:
    """The household's loans, newest first."""
    query = scoped(select(Loan).where(Loan.household_id == household_id), actor, Loan.bank_code)
    return list(session.execute(query.order_by(Loan.created_at.desc()).limit(LIMIT)).scalars())
