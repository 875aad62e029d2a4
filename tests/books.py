"""The fund's state for tests: capital, a contribution, a status report's effects, and checks."""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.fund import account as fund
from creditsvc.services.fund import exposure
from lending.classification import classify, is_non_performing
from models import BankExposure, Fund, Loan, User
from tests.today import TODAY
from tests.work import done

SYSTEM = Principal(user_id=None, name="factory", role="admin")


def set_fund(session: Session, capital_fen: int, balance_fen: int | None = None) -> None:
    """Give the fund its capital (and balance, by default equal to it), committed."""
    session.execute(update(Fund).where(Fund.id == 1).values(
        capital_fen=capital_fen, balance_fen=capital_fen if balance_fen is None else balance_fen))
    session.commit()


def fund_with(session: Session, amount_fen: int, on: date | None = None) -> None:
    """Contribute AMOUNT to the fund (capital and balance) through the service."""
    done(session, fund.contribute, SYSTEM, amount_fen, on or TODAY, "test capital")


def set_days_past_due(session: Session, loan: Loan, dpd: int) -> Loan:
    """A bank's status report in effect: days past due, class and the NPL total (committed)."""
    was_npl = is_non_performing(loan.classification)
    loan.days_past_due, loan.classification, loan.dpd_as_of = dpd, classify(dpd), TODAY
    now_npl = is_non_performing(loan.classification)
    if loan.status == "active" and was_npl != now_npl:
        exposure.move_npl(session, loan.outstanding_principal_fen * (1 if now_npl else -1))
    session.commit()
    return loan


def user_id(session: Session, name: str) -> str:
    """The id of a user made by the `keys` fixture (named role-bank)."""
    return session.execute(select(User.id).where(User.name == name)).scalar_one()


def exposure_consistent(session: Session) -> tuple[int, int, dict, dict]:
    """(maintained fund exposure, sum of outstanding, maintained per bank, summed per bank)."""
    kept_fund = session.execute(select(Fund.guaranteed_outstanding_fen)).scalar_one()
    loans = session.execute(select(Loan.bank_code, Loan.outstanding_principal_fen)
                            .where(Loan.status == "active")).all()
    summed: dict[str, int] = {}
    for bank, fen in loans:
        summed[bank] = summed.get(bank, 0) + fen
    kept = {b: o for b, o in session.execute(select(BankExposure.bank_code,
                                                    BankExposure.outstanding_fen)) if o}
    return kept_fund, sum(summed.values()), kept, summed
