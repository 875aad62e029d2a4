"""The fund's guaranteed exposure, kept current in the same transaction as every write.

Each change is one conditional UPDATE, so that the cap is checked and the total moved
atomically on both engines: no read-then-write, no lost update, and reading exposure is
O(1) instead of a sum over the book.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict
from models import BankExposure, Fund

_LOCK_FUND = select(Fund.id).where(Fund.id == 1).with_for_update()


def lock_books(session: Session) -> None:
    """Take the fund row's lock before any loan's (PostgreSQL; SQLite's writers queue anyway).

    Every write that moves a loan's exposure touches the fund row, the loan and, through the
    loans' triggers, exposure_totals. A disbursement takes them in that order (the fund when it
    reserves, then the new loan); a repayment or a report that locked the loan first and the
    fund last would wait on it while holding what the disbursement waits for, and one of the
    two dies of a deadlock (bench/soak.py found it). So a write locks the fund row first.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK_FUND)


def reserve(session: Session, bank_code: str, amount_fen: int, *, leverage: int,
            bank_share_bp: int) -> None:
    """Add a new loan's principal to the exposure, refusing to pass the caps.

    Overall: guaranteed outstanding <= capital x leverage. Per bank: its outstanding <=
    capital x leverage x its share. A refusal raises 409 with a code saying which.
    """
    fund_ok = session.execute(
        update(Fund).where(Fund.id == 1,
                           Fund.guaranteed_outstanding_fen + amount_fen <= Fund.capital_fen * leverage)
        .values(guaranteed_outstanding_fen=Fund.guaranteed_outstanding_fen + amount_fen)
        .execution_options(synchronize_session=False)).rowcount
    if not fund_ok:
        raise Conflict("leverage_cap_reached")
    bank_cap = (select(Fund.capital_fen * leverage * bank_share_bp / 10000)
                .where(Fund.id == 1).scalar_subquery())
    bank_ok = session.execute(
        update(BankExposure).where(BankExposure.bank_code == bank_code,
                                   BankExposure.outstanding_fen + amount_fen <= bank_cap)
        .values(outstanding_fen=BankExposure.outstanding_fen + amount_fen)
        .execution_options(synchronize_session=False)).rowcount
    if not bank_ok:
        raise Conflict("bank_capacity_reached", bank=bank_code)


def _shift(session: Session, bank_code: str, delta_fen: int, npl: bool) -> None:
    """Move the fund's and the bank's exposure (and the NPL total) by DELTA_FEN, unchecked."""
    values = {"guaranteed_outstanding_fen": Fund.guaranteed_outstanding_fen + delta_fen}
    if npl:
        values["npl_outstanding_fen"] = Fund.npl_outstanding_fen + delta_fen
    session.execute(update(Fund).where(Fund.id == 1).values(**values)
                    .execution_options(synchronize_session=False))
    session.execute(update(BankExposure).where(BankExposure.bank_code == bank_code)
                    .values(outstanding_fen=BankExposure.outstanding_fen + delta_fen)
                    .execution_options(synchronize_session=False))


def release(session: Session, bank_code: str, amount_fen: int, *, npl: bool = False) -> None:
    """Take principal out of the exposure (repaid, claimed or written off)."""
    if amount_fen > 0:
        _shift(session, bank_code, -amount_fen, npl)


def move_npl(session: Session, delta_fen: int) -> None:
    """A loan entered (+) or left (-) the non-performing classes with this outstanding."""
    if delta_fen:
        session.execute(update(Fund).where(Fund.id == 1)
                        .values(npl_outstanding_fen=Fund.npl_outstanding_fen + delta_fen)
                        .execution_options(synchronize_session=False))


def restore(session: Session, bank_code: str, amount_fen: int, *, npl: bool = False) -> None:
    """Put back principal that left the exposure by mistake (a claim paid in error, reversed).

    Never refused by the caps: this exposure existed before the error, and the loan is owed
    whatever the fund's capacity is now. A fund over its cap after a restore lends no more
    until the outstanding falls or capital is added (`reserve` refuses new loans meanwhile).
    """
    if amount_fen > 0:
        _shift(session, bank_code, amount_fen, npl)
