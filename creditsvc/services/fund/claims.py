"""Claims on the fund: a bank files, a fund manager approves (paid at once: a draw) or rejects."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, NotFound
from creditsvc.core.money import fmt_yuan
from creditsvc.core.principal import Principal
from creditsvc.services.fund import exposure, ledger
from creditsvc.services.fund.recoveries import recovered_fen
from creditsvc.services.platform import audit
from creditsvc.services.platform.scope import may_see, scoped
from lending import claims as claim_rules
from lending.classification import is_non_performing
from models import Claim, Loan
from models.base import utcnow
from scoring.policy import Policy


@dataclass(frozen=True)
class ClaimPage:
    """One page of claims and the total that matched."""

    items: list[Claim]
    total: int


def claim_computation(loan: Loan, recovered_fen: int, rules: Policy) -> dict:
    """share x (outstanding principal + accrued unpaid interest - recoveries), to the fen, shown."""
    c = claim_rules.claim_amount(loan.outstanding_principal_fen, loan.accrued_interest_unpaid_fen,
                                 recovered_fen, rules.fund_loss_share)
    return {
        "outstanding_principal": fmt_yuan(c.outstanding_principal_fen),
        "accrued_unpaid_interest": fmt_yuan(c.accrued_unpaid_interest_fen),
        "recoveries_so_far": fmt_yuan(c.recoveries_fen),
        "claimable_base": fmt_yuan(c.claimable_base_fen),
        "fund_loss_share": str(c.fund_loss_share),
        "amount": fmt_yuan(c.amount_fen),
        "rounding": claim_rules.ROUNDING,
        "formula": claim_rules.FORMULA,
    }


def claim_now(session: Session, loan: Loan, rules: Policy) -> dict:
    """The claim's computation on LOAN as it stands, with what was recovered on it so far."""
    return claim_computation(loan, recovered_fen(session, loan.id), rules)


def _claimable(session: Session, loan: Loan, rules: Policy) -> tuple[dict, int]:
    """The claim on LOAN as it stands (its computation and fen), or why there is none."""
    if loan.status != "active" or not claim_rules.in_default(loan.days_past_due,
                                                             rules.claim_trigger_dpd):
        raise Conflict("not_in_default", trigger=rules.claim_trigger_dpd, dpd=loan.days_past_due)
    comp = claim_now(session, loan, rules)
    amount = int(Decimal(comp["amount"]) * 100)
    if amount <= 0:
        raise Conflict("nothing_to_claim")
    return comp, amount


def file_claim(session: Session, actor: Principal, loan: Loan, rules: Policy, *,
               today: date) -> Claim:
    """A bank files its claim on a loan at or past the claim trigger; one standing claim per loan.

    A reversed claim (paid in error, undone) does not stand: the loan may be claimed again.
    TODAY, the business date, is the day it is filed on (the 代偿申请表's 申报日期).
    """
    if session.execute(select(Claim.id).where(Claim.loan_id == loan.id,
                                              Claim.status != "reversed")).first():
        raise Conflict("claim_exists")
    comp, amount = _claimable(session, loan, rules)
    claim = Claim(loan_id=loan.id, bank_code=loan.bank_code, status="filed", amount_fen=amount,
                  filed_amount_fen=amount, computation=comp, days_past_due=loan.days_past_due,
                  policy_version=rules.version, filed_by=actor.user_id, filed_on=today)
    session.add(claim)
    try:
        session.flush()
        audit.record(session, actor, "claim.file", target_type="claim", target_id=claim.id,
                     after={"amount_fen": amount}, detail={"loan_id": loan.id})
        session.flush()
    except IntegrityError as exc:  # the same bank filing twice at once
        raise Conflict("claim_exists") from exc
    return claim


def get_claim(session: Session, actor: Principal, claim_id: str) -> Claim:
    """One claim; a bank sees only its own (else 404)."""
    claim = session.get(Claim, claim_id)
    if claim is None or not may_see(actor, claim.bank_code):
        raise NotFound("claim_not_found")
    return claim


def claims_query(actor: Principal, *, status: str | None = None):
    """The SELECT of the claims as filtered (a bank: its own); the list and its export read it."""
    query = scoped(select(Claim), actor, Claim.bank_code)
    return query.where(Claim.status == status) if status else query


def list_claims(session: Session, actor: Principal, *, status: str | None = None,
                offset: int = 0, limit: int = 50) -> ClaimPage:
    """Claims, newest first; a bank sees only its own."""
    query = claims_query(actor, status=status)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = session.execute(query.order_by(Claim.filed_at.desc(), Claim.id)
                            .offset(offset).limit(limit)).scalars().all()
    return ClaimPage(list(items), total)


def _decide(session: Session, actor: Principal, claim_id: str, status: str, reason: str | None,
            **values) -> Claim:
    """Move a filed claim to STATUS in one conditional UPDATE, so it is decided exactly once."""
    claim = get_claim(session, actor, claim_id)
    moved = session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.status == "filed")
        .values(status=status, decided_by=actor.user_id, decided_at=utcnow(), reason=reason,
                **values)
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        raise Conflict("claim_not_filed")
    session.refresh(claim)
    return claim


def approve_claim(session: Session, actor: Principal, claim_id: str, rules: Policy,
                  on: date) -> Claim:
    """Pay a filed claim at once as a draw on the fund, all in one transaction.

    The amount is computed again on the loan as it stands today (outstanding principal,
    accrued unpaid interest as of its last report, recoveries): a loan repaid down since the
    filing is paid on what is left, and a loan no longer in default (repaid, or cured below
    the trigger) is refused with not_in_default. The claim moves filed -> paid, the balance
    falls by the amount (never below zero: 409 fund_exhausted), the ledger gets the entry,
    the loan becomes claimed and its outstanding leaves the guaranteed exposure.
    """
    filed = get_claim(session, actor, claim_id)
    # Locked: no repayment or report may change the loan between this computation and the draw
    # (the fund row first, as every loan write takes it: exposure.lock_books).
    exposure.lock_books(session)
    loan = session.execute(select(Loan).where(Loan.id == filed.loan_id).with_for_update()
                           ).scalar_one()
    # Read again after the lock: a concurrent approval that held it has decided the claim.
    session.refresh(filed)
    if filed.status != "filed":
        raise Conflict("claim_not_filed")
    comp, amount = _claimable(session, loan, rules)
    claim = _decide(session, actor, claim_id, "paid", None,
                    amount_fen=amount, approval_computation=comp)
    entry = ledger.post(session, actor, "claim_draw",
                        [("claims_paid", claim.amount_fen), ("fund_cash", -claim.amount_fen)],
                        effective_on=on, claim_id=claim.id,
                        loan_id=claim.loan_id, memo=f"claim {claim.id}")
    loan = session.execute(
        update(Loan).where(Loan.id == claim.loan_id, Loan.status == "active")
        .values(status="claimed", closed_at=utcnow())
        .returning(Loan.bank_code, Loan.outstanding_principal_fen, Loan.classification)
        .execution_options(synchronize_session=False)).first()
    if loan is None:
        raise Conflict("loan_not_active")
    exposure.release(session, loan.bank_code, loan.outstanding_principal_fen,
                     npl=is_non_performing(loan.classification))
    after = entry.balance_after_fen
    audit.record(session, actor, "claim.approve", target_type="claim", target_id=claim.id,
                 before={"balance_fen": after + claim.amount_fen}, after={"balance_fen": after},
                 detail={"loan_id": claim.loan_id, "amount_fen": claim.amount_fen,
                         "filed_amount_fen": claim.filed_amount_fen,
                         "released_fen": loan.outstanding_principal_fen})
    session.refresh(claim)
    return claim


def reject_claim(session: Session, actor: Principal, claim_id: str, reason: str) -> Claim:
    """Reject a filed claim with a reason; nothing is paid."""
    claim = _decide(session, actor, claim_id, "rejected", reason)
    audit.record(session, actor, "claim.reject", target_type="claim", target_id=claim.id,
                 detail={"loan_id": claim.loan_id, "reason": reason})
    session.flush()
    session.refresh(claim)
    return claim
