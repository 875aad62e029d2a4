"""What a household owes the programme, and what it may still borrow under its cap.

One definition of the household's outstanding principal for assessment, review and
disbursement: every programme loan whose principal is still owed counts. An active loan
owes its outstanding principal; a claimed or written-off loan still owes it too (the
fund's claim shares the bank's loss, it does not forgive the borrower) until recoveries
cover it. A repaid loan owes nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from lending.money import to_fen
from scoring.caps import approval_cap, household_headroom, within_household_cap
from scoring.policy import Policy

# Statuses whose principal may still be owed (models.loan.LOAN_STATUSES less "repaid").
OWING_STATUSES = ("active", "claimed", "written_off")


@dataclass(frozen=True)
class LoanBalance:
    """What the household-cap rule needs of one programme loan, in fen."""

    status: str
    outstanding_principal_fen: int
    accrued_interest_unpaid_fen: int = 0
    recovered_fen: int = 0
    days_past_due: int = 0


def principal_owed_fen(loan: LoanBalance) -> int:
    """The principal the household still owes on one loan (0 once repaid or fully recovered)."""
    if loan.status not in OWING_STATUSES:
        return 0
    # Recoveries pay the interest first, then the principal (as the claim base nets them
    # off principal plus interest): the principal owed is what is owed, up to the principal.
    owed = loan.outstanding_principal_fen + loan.accrued_interest_unpaid_fen - loan.recovered_fen
    return max(0, min(loan.outstanding_principal_fen, owed))


def overdue(loan: LoanBalance) -> bool:
    """Whether the loan counts as overdue for the no_overdue_loan rule.

    An active loan while it is past due; a claimed or written-off loan until its recoveries
    cover what is owed: the fund paid the bank's loss, the borrower has not paid the loan.
    """
    if loan.status == "active":
        return loan.days_past_due > 0
    return loan.status in OWING_STATUSES and principal_owed_fen(loan) > 0


def household_outstanding_fen(loans: Iterable[LoanBalance]) -> int:
    """The household's programme principal still owed, over all its loans."""
    return sum(principal_owed_fen(loan) for loan in loans)


def headroom_fen(policy: Policy, outstanding_fen: int) -> int:
    """What the household may still borrow under the policy's cap, never negative."""
    return household_headroom(to_fen(policy.household_cap), outstanding_fen)


def fits_household_cap(policy: Policy, outstanding_fen: int, amount_fen: int) -> bool:
    """Whether a new loan of AMOUNT_FEN keeps the household within the policy's cap."""
    return within_household_cap(to_fen(policy.household_cap), outstanding_fen, amount_fen)


def review_cap_fen(policy: Policy, requested_fen: int, grade_limit: Decimal | None,
                   outstanding_fen: int) -> int:
    """The most a reviewer may approve: requested, grade limit, policy maximum, headroom.

    An unrated application has no credit limit of its own (DESIGN: "none"): it is bounded by
    what was asked, the policy's maximum and the household's headroom, never by a borrowed
    grade's limit.
    """
    maximum = to_fen(policy.amount_max)
    limit = to_fen(grade_limit) if grade_limit is not None else maximum
    return approval_cap(requested_fen, limit, maximum, headroom_fen(policy, outstanding_fen))


def below_minimum(policy: Policy, amount_fen: int) -> bool:
    """An amount under the policy's minimum loan (¥1,000): never approved nor disbursed."""
    return amount_fen < to_fen(policy.amount_min)


def above_maximum(policy: Policy, amount_fen: int) -> bool:
    """An amount over the policy's maximum loan (¥50,000): never disbursed, whatever was approved."""
    return amount_fen > to_fen(policy.amount_max)
