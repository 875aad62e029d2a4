"""The policy numbers the fund's services use, as one frozen value passed in.

Field names and types match `scoring.policy.Policy`, so that once
`creditsvc.services.policy.active_policy(session)` is on main, `rules_for` returns it
and nothing else changes.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

NPL_CLASSES = ("次级", "可疑", "损失")


@dataclass(frozen=True)
class FundRules:
    """Loss share, claim trigger, NPL tolerance, balance floor, leverage, bank shares, correlation."""

    version: int = 1
    fund_loss_share: Decimal = Decimal("0.80")
    claim_trigger_dpd: int = 90
    npl_tolerance: Decimal = Decimal("0.05")
    balance_floor_share: Decimal = Decimal("0.20")
    leverage: int = 10
    bank_shares: tuple[tuple[str, Decimal], ...] = (("PSBC", Decimal("0.60")), ("ABC", Decimal("0.40")))
    asset_correlation: Decimal = Decimal("0.15")


def rules_for(session: Session) -> FundRules:
    """The rules in force (the defaults until the policy service lands on main)."""
    return FundRules()


def bank_share(rules: FundRules, bank_code: str) -> Decimal:
    """A bank's share of the fund's capacity (0 for a bank without an allocation)."""
    return dict(rules.bank_shares).get(bank_code, Decimal(0))
