"""The guarantee fund's caps and the conditions that suspend lending.

Capacity: guaranteed outstanding principal <= capital x leverage (10x), allocated between
the partner banks by share. Suspension: the non-performing ratio at the tolerance (5%),
or the balance under its floor share of capital (20%). The conditional UPDATEs that
enforce the caps under concurrency stay in SQL (creditsvc.services.fund.exposure); this is
the arithmetic they and the fund's view agree on.
"""

from dataclasses import dataclass
from decimal import Decimal

from lending.money import share_of_fen
from scoring.policy import Policy

NPL_TOLERANCE_REACHED = "npl_tolerance_reached"
BALANCE_BELOW_FLOOR = "balance_below_floor"
NOT_INITIALISED = "fund_not_initialised"


@dataclass(frozen=True)
class FundPosition:
    """The fund's figures the suspension rule reads, in fen."""

    capital_fen: int
    balance_fen: int
    guaranteed_outstanding_fen: int
    npl_outstanding_fen: int


def suspension_reasons(fund: FundPosition, policy: Policy) -> list[str]:
    """Why lending is suspended now: no capital yet, NPL ratio at tolerance, balance below the floor."""
    # A fresh database's fund has no capital until `flask fund init` (or a first contribution):
    # its leverage cap is 0, so say why instead of refusing every loan as over the cap.
    reasons = [NOT_INITIALISED] if fund.capital_fen <= 0 else []
    # Compared unrounded: a ratio rounded to four places could reach the tolerance early.
    if fund.guaranteed_outstanding_fen and (
            Decimal(fund.npl_outstanding_fen) / fund.guaranteed_outstanding_fen
            >= policy.npl_tolerance):
        reasons.append(NPL_TOLERANCE_REACHED)
    if fund.balance_fen < fund.capital_fen * policy.balance_floor_share:
        reasons.append(BALANCE_BELOW_FLOOR)
    return reasons


def leverage_cap_fen(capital_fen: int, leverage: int) -> int:
    """The most guaranteed outstanding principal the fund may carry: capital x leverage."""
    return capital_fen * leverage


def bank_share(policy: Policy, bank_code: str) -> Decimal:
    """A bank's share of the fund's capacity (0 for a bank without an allocation)."""
    return policy.bank_share_map.get(bank_code, Decimal(0))


def bank_share_bp(policy: Policy, bank_code: str) -> int:
    """A bank's share in basis points, as the SQL cap check takes it (6000 = 60%)."""
    return int(bank_share(policy, bank_code) * 10000)


def bank_cap_fen(cap_fen: int, share: Decimal) -> int:
    """A bank's allocation of the leverage cap, half up to the fen."""
    return share_of_fen(cap_fen, share)


def available_fen(cap_fen: int, outstanding_fen: int) -> int:
    """Capacity left under a cap, never negative."""
    return max(0, cap_fen - outstanding_fen)


def bank_available_fen(bank_cap: int, bank_outstanding_fen: int, cap_fen: int,
                       fund_outstanding_fen: int) -> int:
    """What a bank may still lend: its allocation's room, but never past the fund's own."""
    return max(0, min(bank_cap - bank_outstanding_fen, cap_fen - fund_outstanding_fen))


def contingent_liability_fen(guaranteed_outstanding_fen: int, fund_loss_share: Decimal) -> int:
    """What the fund would pay if every guaranteed loan defaulted: its loss share of them."""
    return share_of_fen(guaranteed_outstanding_fen, fund_loss_share)
