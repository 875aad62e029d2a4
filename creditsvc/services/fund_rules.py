"""The policy numbers the fund's services use, as one frozen value passed in.

Services take a `FundRules` or a `scoring.policy.Policy` (same field names and types):
views pass the active policy, service tests pass a small FundRules.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from creditsvc.services.policy import active_policy

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
    """The rules in force: the active policy version (a Policy has every FundRules field)."""
    return active_policy(session)


def bank_share(rules: FundRules, bank_code: str) -> Decimal:
    """A bank's share of the fund's capacity (0 for a bank without an allocation)."""
    return dict(rules.bank_shares).get(bank_code, Decimal(0))
