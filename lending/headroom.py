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


def principal_owed_fen(loan: LoanBalance) -> int:
    """The principal the household still owes on one loan (0 once repaid or fully recovered)."""
    if loan.status not in OWING_STATUSES:
        return 0
    # Recoveries pay the interest first, then the principal (as the claim base nets them
    # off principal plus interest): the principal owed is what is owed, up to the principal.
    owed = loan.outstanding_principal_fen + loan.accrued_interest_unpaid_fen - loan.recovered_fen
    return max(0, min(loan.outstanding_principal_fen, owed))


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
    """The most a reviewer may approve: requested, grade limit, policy maximum, headroom."""
    # An unrated household (no grade) may be approved by a person up to the lowest grade's limit.
    limit = grade_limit if grade_limit is not None else policy.grade_bands[-1][2]
    return approval_cap(requested_fen, to_fen(limit), to_fen(policy.amount_max),
                        headroom_fen(policy, outstanding_fen))
