"""A claim on the fund and the recoveries that flow back after it (Guangdong 2021 rule).

The fund bears its loss share (80% by default) of what the borrower still owes; the bank
bears the rest. Amounts are integer fen; a share is rounded half up to the fen.
"""

from dataclasses import dataclass
from decimal import Decimal

from lending.money import share_of_fen

ROUNDING = "half up to the fen"
FORMULA = "fund_loss_share x (outstanding_principal + accrued_unpaid_interest - recoveries_so_far)"


@dataclass(frozen=True)
class ClaimAmount:
    """The claim computed from the loan's figures, with every term shown."""

    outstanding_principal_fen: int
    accrued_unpaid_interest_fen: int
    recoveries_fen: int
    claimable_base_fen: int
    fund_loss_share: Decimal
    amount_fen: int


def in_default(days_past_due: int, trigger_dpd: int) -> bool:
    """A claim may be filed once the loan is TRIGGER_DPD (90) or more days past due."""
    return days_past_due >= trigger_dpd


def claim_amount(outstanding_principal_fen: int, accrued_unpaid_interest_fen: int,
                 recoveries_fen: int, fund_loss_share: Decimal) -> ClaimAmount:
    """share x (outstanding principal + accrued unpaid interest - recoveries), never below 0."""
    base = outstanding_principal_fen + accrued_unpaid_interest_fen - recoveries_fen
    # Recoveries beyond what is owed leave nothing to claim; they never make the fund owed.
    amount = max(0, share_of_fen(base, fund_loss_share))
    return ClaimAmount(outstanding_principal_fen, accrued_unpaid_interest_fen, recoveries_fen,
                       base, fund_loss_share, amount)


def recovery_fund_share_fen(recovered_fen: int, fund_loss_share: Decimal, claim_paid_fen: int,
                            returned_fen: int) -> int:
    """The fund's share of a recovery on a claimed loan, capped at what its claim paid out."""
    # Its loss share of the recovery, but never more than the claim less what earlier
    # recoveries already returned: the fund is made whole, not enriched.
    return max(0, min(share_of_fen(recovered_fen, fund_loss_share), claim_paid_fen - returned_fen))
