"""Servicing a loan: what every servicing write shares, and repayments.

The other servicing writes have a module each: days-past-due reports (one or a bulk feed)
in `status_reports`, the extension (展期) in `extension`, diversion (挪用) in `diversion`.
Each has a `*_refusals` function that lists every reason the write would be refused, each
about its own field, so that a form shows them together; the write raises the first.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Conflict, Invalid
from creditsvc.core.money import from_fen, to_fen
from creditsvc.core.principal import Principal
from creditsvc.services.fund import exposure
from creditsvc.services.platform import audit
from lending import dates
from lending.classification import is_non_performing
from lending.schedule import allocate
from models import Loan, Repayment
from models.base import utcnow


def money_of(loan: Loan) -> dict:
    """What the loan owes, as an audit event's before or after."""
    return {"outstanding_principal_fen": loan.outstanding_principal_fen,
            "accrued_interest_unpaid_fen": loan.accrued_interest_unpaid_fen}


def not_active(loan) -> list[AppError]:
    """A servicing write is taken by an active loan only (LOAN: a Loan or the feed's state)."""
    return [] if loan.status == "active" else [Conflict("invalid_transition")]


def in_future(day: date | None, today: date, field: str) -> list[AppError]:
    """A date in the county's future is refused: what the bank reports has happened."""
    if day is not None and dates.in_future(day, today):
        return [Invalid("date_in_future", fields=(field,), today=today.isoformat())]
    return []


def before_disbursement(loan: Loan, day: date | None, field: str) -> list[AppError]:
    """A date before the loan was paid out is refused (the loan did not exist yet)."""
    if day is not None and day < loan.disbursed_on:
        return [Invalid("invalid_date", fields=(field,), disbursed_on=loan.disbursed_on.isoformat())]
    return []


def repayment_refusals(loan: Loan, principal: Decimal | None = None, interest: Decimal | None = None,
                       paid_on: date | None = None, *, today: date) -> list[AppError]:
    """Every refusal of a repayment, each about its own field (a value None: not checked)."""
    owed_interest = max(loan.accrued_interest_unpaid_fen, sum(
        item.interest_fen - item.paid_interest_fen for item in loan.schedule))
    refused = not_active(loan) + in_future(paid_on, today, "paid_on")
    p_fen = None if principal is None else to_fen(principal)
    i_fen = None if interest is None else to_fen(interest)
    if p_fen is not None and i_fen is not None and p_fen + i_fen <= 0:
        refused.append(Invalid("empty_repayment", fields=("principal", "interest")))
    if p_fen is not None and p_fen > loan.outstanding_principal_fen:
        refused.append(Invalid("overpayment", fields=("principal",),
                               most=f"{from_fen(loan.outstanding_principal_fen):.2f}"))
    if i_fen is not None and i_fen > owed_interest:
        refused.append(Invalid("overpayment", fields=("interest",), most=f"{from_fen(owed_interest):.2f}"))
    return refused + before_disbursement(loan, paid_on, "paid_on")


def repay(session: Session, actor: Principal, loan: Loan, *, principal: Decimal,
          interest: Decimal, paid_on: date, today: date) -> Repayment:
    """Record a repayment: outstanding and exposure fall; the loan closes when fully repaid."""
    if refused := repayment_refusals(loan, principal, interest, paid_on, today=today):
        raise refused[0]
    p_fen, i_fen = to_fen(principal), to_fen(interest)
    before = money_of(loan)
    loan.outstanding_principal_fen -= p_fen
    loan.accrued_interest_unpaid_fen = max(0, loan.accrued_interest_unpaid_fen - i_fen)
    contract_fen = allocate_paid(loan, p_fen, i_fen)
    exposure.release(session, loan.bank_code, p_fen, npl=is_non_performing(loan.classification))
    if loan.outstanding_principal_fen == 0:
        loan.status, loan.closed_at = "repaid", utcnow()
    rep = Repayment(loan_id=loan.id, paid_on=paid_on, principal_fen=p_fen, interest_fen=i_fen,
                    contract_interest_fen=contract_fen, recorded_by=actor.user_id)
    session.add(rep)
    session.flush()
    audit.record(session, actor, "loan.repayment", target_type="loan", target_id=loan.id,
                 before=before, after=money_of(loan),
                 detail={"principal_fen": p_fen, "interest_fen": i_fen,
                         "contract_interest_fen": contract_fen, "status": loan.status})
    return rep


def allocate_paid(loan: Loan, p_fen: int, i_fen: int, start_at: int = 0) -> int:
    """Mark schedule items paid, earliest first (from item START_AT on): the interest they took.

    What they took is the contract's interest; interest paid beyond it is interest accrued on
    overdue principal, which the subsidy never covers (lending/subsidy.py).
    """
    items = loan.schedule[start_at:]
    unpaid = [(i.principal_fen - i.paid_principal_fen, i.interest_fen - i.paid_interest_fen)
              for i in items]
    taken = 0
    for item, (principal, interest) in zip(items, allocate(unpaid, p_fen, i_fen), strict=True):
        item.paid_principal_fen += principal
        item.paid_interest_fen += interest
        taken += interest
    return taken
