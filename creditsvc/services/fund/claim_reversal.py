"""Reversing a claim paid in error: the claim, its draw, the loan and its exposure, together.

One unit of work undoes what `claims.approve_claim` did: the claim moves paid -> reversed
(kept, with who, when and why), the draw's journal entry is reversed (the cash goes back
into the fund), the loan is active again, and its outstanding principal goes back into the
guaranteed exposure, fund-wide, for its bank and, when non-performing, in the NPL total.
"""

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from creditsvc.core.errors import Conflict
from creditsvc.core.principal import Principal
from creditsvc.services.fund import exposure, ledger
from creditsvc.services.fund.claims import get_claim
from creditsvc.services.platform import audit
from lending.classification import is_non_performing
from models import Claim, JournalEntry, Loan, Recovery
from models.base import utcnow


def _refuse_unless_paid(claim: Claim) -> None:
    if claim.status == "reversed":
        raise Conflict("claim_already_reversed")
    if claim.status != "paid":
        raise Conflict("claim_not_paid")


def _draw(session: Session, claim: Claim) -> JournalEntry:
    """The claim's draw on the fund (the entry approval posted), with its postings."""
    return session.execute(
        select(JournalEntry).options(selectinload(JournalEntry.postings))
        .where(JournalEntry.claim_id == claim.id, JournalEntry.kind == "claim_draw",
               JournalEntry.reverses_id.is_(None))).scalar_one()


def reverse_claim(session: Session, actor: Principal, claim_id: str, *, reason: str,
                  on: date) -> Claim:
    """Reverse a claim the fund paid in error, dated ON (the business date), with REASON.

    Refused (409) when the claim is not paid (claim_not_paid), already reversed
    (claim_already_reversed), or its loan has recoveries recorded since the payment
    (claim_has_recoveries): the fund's share of those came back on this claim, so they are
    corrected first. The restored exposure is not checked against the leverage cap.
    """
    claim = get_claim(session, actor, claim_id)
    # The fund row, then the loan, as approval locks them: no repayment, report or recovery
    # meanwhile (exposure.lock_books).
    exposure.lock_books(session)
    loan = session.execute(select(Loan).where(Loan.id == claim.loan_id).with_for_update()
                           .execution_options(populate_existing=True)).scalar_one()
    session.refresh(claim)  # read again after the lock: a concurrent reversal may have won
    _refuse_unless_paid(claim)
    # Recoveries are recorded only on a loan whose standing claim is paid: any there are
    # came after this claim's payment.
    recovered = session.execute(select(func.count()).select_from(Recovery)
                                .where(Recovery.loan_id == loan.id)).scalar_one()
    if recovered:
        raise Conflict("claim_has_recoveries", count=recovered)
    moved = session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.status == "paid")
        .values(status="reversed", reversed_by=actor.user_id, reversed_at=utcnow(),
                reversal_reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    if not moved:  # the last line: exactly one reversal moves the claim
        session.refresh(claim)
        _refuse_unless_paid(claim)
    draw = _draw(session, claim)
    mirror = ledger.reverse(session, actor, draw, effective_on=on,
                            memo=f"claim {claim.id} reversed: {reason}"[:500])
    back = session.execute(
        update(Loan).where(Loan.id == loan.id, Loan.status == "claimed")
        .values(status="active", closed_at=None)
        .execution_options(synchronize_session=False)).rowcount
    if not back:
        raise Conflict("loan_not_claimed")
    npl = is_non_performing(loan.classification)
    exposure.restore(session, loan.bank_code, loan.outstanding_principal_fen, npl=npl)
    after = mirror.balance_after_fen
    audit.record(session, actor, "claim.reverse", target_type="claim", target_id=claim.id,
                 before={"balance_fen": after - claim.amount_fen, "claim_status": "paid",
                         "loan_status": "claimed"},
                 after={"balance_fen": after, "claim_status": "reversed",
                        "loan_status": "active"},
                 detail={"loan_id": loan.id, "amount_fen": claim.amount_fen, "reason": reason,
                         "reverses_entry": draw.id, "reversal_entry": mirror.id,
                         "restored_fen": loan.outstanding_principal_fen, "npl": npl})
    session.refresh(claim)
    session.refresh(loan)
    return claim
