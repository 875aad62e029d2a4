"""What every page and the API show beside an application: its borrower and its credit line."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.services.loans import lines
from models import Application, Household, HouseholdMember


def borrower_of(session: Session, household_id: str, member_id: str | None) -> dict:
    """The borrower (贷款人), masked: the head unless a member was named."""
    if member_id is None:
        name = session.execute(select(Household.head_name_masked)
                               .where(Household.id == household_id)).scalar_one_or_none()
        return {"member_id": None, "relation": "head", "name": name or ""}
    row = session.execute(select(HouseholdMember.relation, HouseholdMember.name_masked)
                          .where(HouseholdMember.id == member_id)).first()
    return {"member_id": member_id, "relation": row.relation if row else "other",
            "name": (row.name_masked if row else None) or ""}


def facts(session: Session, app: Application) -> dict:
    """APP's borrower and the line as it met it (`lines.on_application`; None: no line)."""
    return {"borrower": borrower_of(session, app.household_id, app.borrower_member_id),
            "credit_line": lines.on_application(session, app)}


def shown(session: Session, app: Application) -> Application:
    """APP with `borrower` and `credit_line` set for the API's schema to show (a submission
    sets them itself, from what it read)."""
    if "borrower" not in vars(app):
        app.borrower = borrower_of(session, app.household_id, app.borrower_member_id)
    if "credit_line" not in vars(app):
        app.credit_line = lines.on_application(session, app)
    return app
