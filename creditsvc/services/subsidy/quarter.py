"""A bank's quarter read from the books: per loan, the contract interest paid and its subsidy."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lending.dates import quarter_bounds
from lending.money import to_fen
from lending.subsidy import QuarterSubsidy, quarter_subsidy
from models import Loan, Repayment
from scoring.policy import Policy


@dataclass(frozen=True)
class LoanQuarter:
    """One loan's line of a quarter: who, the amounts, and whether and why its subsidy stopped."""

    loan_id: str
    loan_number: str | None
    principal_fen: int
    amounts: QuarterSubsidy
    cancelled: bool
    cancelled_reason: str | None
    cancelled_on: date | None


def stopped_day(loan_cancelled: bool, cancelled_on: date | None) -> date | None:
    """The day the loan's subsidy stopped; a cancellation on record without one: from the start."""
    if not loan_cancelled:
        return None
    return cancelled_on or date.min


def quarter_lines(session: Session, bank_code: str, year: int, quarter: int,
                  policy: Policy) -> list[LoanQuarter]:
    """Every loan of BANK_CODE whose borrower paid contract interest in the quarter, by number.

    The share is the policy's; the principal covered is at most its household cap (¥50,000).
    """
    start, end = quarter_bounds(year, quarter)
    paid: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for loan_id, paid_on, fen in session.execute(
            select(Repayment.loan_id, Repayment.paid_on, Repayment.contract_interest_fen)
            .join(Loan, Loan.id == Repayment.loan_id)
            .where(Loan.bank_code == bank_code, Repayment.paid_on >= start,
                   Repayment.paid_on <= end, Repayment.contract_interest_fen > 0)):
        paid[loan_id].append((paid_on, fen))
    if not paid:
        return []
    share, cap = Decimal(policy.interest_subsidy_share), to_fen(policy.household_cap)
    lines = []
    for loan in session.execute(select(Loan.id, Loan.number, Loan.principal_fen,
                                       Loan.subsidy_cancelled, Loan.subsidy_cancelled_reason,
                                       Loan.subsidy_cancelled_on)
                                .where(Loan.id.in_(list(paid)))):
        amounts = quarter_subsidy(paid[loan.id], year, quarter, share=share,
                                  stopped=stopped_day(loan.subsidy_cancelled,
                                                      loan.subsidy_cancelled_on),
                                  principal_fen=loan.principal_fen, principal_cap_fen=cap)
        lines.append(LoanQuarter(loan.id, loan.number, loan.principal_fen, amounts,
                                 loan.subsidy_cancelled, loan.subsidy_cancelled_reason,
                                 loan.subsidy_cancelled_on))
    return sorted(lines, key=lambda line: (line.loan_number or "", line.loan_id))
