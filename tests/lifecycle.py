"""Helpers of the lifecycle tests: fund set-up and rows inserted directly (no scoring)."""

import uuid
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Application, BankExposure, Fund, Household, Loan, User


def set_fund(session: Session, capital_fen: int, balance_fen: int | None = None) -> None:
    """Give the fund its capital (and balance, by default equal to it)."""
    session.execute(update(Fund).where(Fund.id == 1).values(
        capital_fen=capital_fen, balance_fen=capital_fen if balance_fen is None else balance_fen))
    session.commit()


def insert_household(session: Session, town: str = "渔湖镇") -> Household:
    """A minimal household row (personal data fields are placeholders)."""
    h = Household(town=town, village="东湖村", head_name_enc="x", head_name_masked="陈*",
                  id_number_enc="x", id_number_hash=uuid.uuid4().hex,
                  id_number_masked="440524********0014", head_birth_date=date(1980, 1, 1),
                  head_labour_capable=True, status="registered_poor", income_sources=["planting"])
    session.add(h)
    session.flush()
    return h


def user_id(session: Session, name: str) -> str:
    """The id of a user made by the `keys` fixture (named role-bank)."""
    return session.execute(select(User.id).where(User.name == name)).scalar_one()


# The day the stored applications were made and accepted: the tests disburse from then on.
APPLIED_ON = date(2026, 1, 5)


def insert_application(session: Session, submitted_by: str, *, bank: str = "PSBC",
                       approved_fen: int = 1_000_000, status: str = "approved",
                       household_id: str | None = None, term_months: int = 12,
                       applied_on: date = APPLIED_ON) -> Application:
    """An application already approved (or accepted) by assessment, stored directly.

    Made, approved and (when STATUS is accepted) accepted on APPLIED_ON.
    """
    h = session.get(Household, household_id) if household_id else insert_household(session)
    app = Application(household_id=h.id, bank_code=bank, submitted_by=submitted_by,
                      amount_fen=approved_fen, term_months=term_months, purpose="planting",
                      status=status, decision="approved", approved_amount_fen=approved_fen,
                      grade="AAA", score=85.0, pd=0.02, policy_version=1, model_sha256="0" * 64,
                      assessment={"rules": [], "limit": "50000.00", "input": {"request": {
                          "application_date": applied_on.isoformat()}}},
                      town=h.town, village=h.village,
                      accepted_on=applied_on if status == "accepted" else None)
    session.add(app)
    session.commit()
    return app


def exposure_consistent(session: Session) -> tuple[int, int, dict, dict]:
    """(maintained fund exposure, sum of outstanding, maintained per bank, summed per bank)."""
    fund = session.execute(select(Fund.guaranteed_outstanding_fen)).scalar_one()
    loans = session.execute(select(Loan.bank_code, Loan.outstanding_principal_fen)
                            .where(Loan.status == "active")).all()
    summed: dict[str, int] = {}
    for bank, fen in loans:
        summed[bank] = summed.get(bank, 0) + fen
    kept = {b: o for b, o in session.execute(select(BankExposure.bank_code,
                                                    BankExposure.outstanding_fen)) if o}
    return fund, sum(summed.values()), kept, summed
