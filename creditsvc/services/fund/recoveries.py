"""Recoveries on claimed loans: the fund's share of what the bank recovers flows back."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Conflict, Invalid
from creditsvc.core.principal import Principal
from creditsvc.services.fund import ledger
from creditsvc.services.platform import audit
from lending.claims import recovery_fund_share_fen
from lending.dates import in_future
from models import Claim, JournalEntry, Loan, Recovery

_recoveries = Recovery.__table__


def _recovered(loan_id) -> Select:
    """What the bank has recovered on LOAN_ID so far (fen; a value or a correlated column)."""
    return (select(func.coalesce(func.sum(_recoveries.c.amount_fen), 0))
            .where(_recoveries.c.loan_id == loan_id))


# The column for reads of many loans: select(loans.c.id, RECOVERED_FEN.label("recovered")).
# Of the tables' columns, so that a read of columns stays a Core read (no ORM compile step).
RECOVERED_FEN = _recovered(Loan.__table__.c.id).correlate(Loan.__table__).scalar_subquery()


def recovered_fen(session: Session, loan_id: str) -> int:
    """What the bank has recovered on one loan so far (fen)."""
    return int(session.execute(_recovered(loan_id)).scalar_one())  # PostgreSQL sums as numeric


def _paid_claim(session: Session, loan: Loan) -> Claim | None:
    return session.execute(select(Claim).where(Claim.loan_id == loan.id,
                                               Claim.status == "paid")).scalar_one_or_none()


def recovery_refusals(session: Session, loan: Loan | None, on: date | None, *,
                      today: date) -> list[AppError]:
    """Every reason a recovery would be refused, each about its field (None: not checked)."""
    refused: list[AppError] = []
    if on is not None and in_future(on, today):
        refused.append(Invalid("date_in_future", fields=("recovered_on",), today=today.isoformat()))
    if loan is None:
        return refused
    claim = _paid_claim(session, loan)
    if loan.status != "claimed" or claim is None:
        return [Conflict("loan_not_claimed", fields=("loan_id",)), *refused]
    paid_on = session.execute(select(JournalEntry.effective_on).where(
        JournalEntry.claim_id == claim.id, JournalEntry.kind == "claim_draw")).scalar()
    if on is not None and paid_on is not None and on < paid_on:
        refused.append(Invalid("before_claim_paid", fields=("recovered_on",),
                               paid_on=paid_on.isoformat()))
    return refused


def record_recovery(session: Session, actor: Principal, loan: Loan, amount_fen: int,
                    on: date, *, today: date) -> Recovery:
    """Record what a bank recovered on a claimed loan and return the fund's share to it.

    The share is the one the paid claim used, and the fund never gets back more than it
    paid on the loan. ON lies between the claim's payment and TODAY (the business date).
    """
    if refused := recovery_refusals(session, loan, on, today=today):
        raise refused[0]
    claim = _paid_claim(session, loan)
    share = Decimal(claim.computation["fund_loss_share"])
    returned = int(session.execute(select(func.coalesce(func.sum(Recovery.fund_share_fen), 0))
                               .where(Recovery.loan_id == loan.id)).scalar_one())  # PG: numeric
    fund_share = recovery_fund_share_fen(amount_fen, share, claim.amount_fen, returned)
    rec = Recovery(loan_id=loan.id, bank_code=loan.bank_code, amount_fen=amount_fen,
                   fund_share_fen=fund_share, recovered_on=on, recorded_by=actor.user_id)
    session.add(rec)
    session.flush()
    before = after = None
    if rec.fund_share_fen:
        entry = ledger.post(session, actor, "recovery",
                            [("fund_cash", rec.fund_share_fen), ("recoveries", -rec.fund_share_fen)],
                            effective_on=on, loan_id=loan.id, claim_id=claim.id,
                            memo=f"recovery {rec.id}")
        after = {"balance_fen": entry.balance_after_fen}
        before = {"balance_fen": entry.balance_after_fen - rec.fund_share_fen}
    audit.record(session, actor, "loan.recovery", target_type="loan", target_id=loan.id,
                 before=before, after=after,
                 detail={"amount_fen": amount_fen, "fund_share_fen": rec.fund_share_fen})
    return rec
