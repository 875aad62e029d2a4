"""The policy numbers the fund's services use: those of the active policy version.

Services take a `scoring.policy.Policy` as an argument, so that a test can pass its own
version and a view passes the one in force.
"""

from decimal import Decimal

from sqlalchemy.orm import Session

from creditsvc.services.classification import NON_PERFORMING as NPL_CLASSES
from creditsvc.services.policy import active_policy
from scoring.policy import Policy

__all__ = ["NPL_CLASSES", "bank_share", "rules_for"]


def rules_for(session: Session) -> Policy:
    """The rules in force: the active policy version."""
    return active_policy(session)


def bank_share(rules: Policy, bank_code: str) -> Decimal:
    """A bank's share of the fund's capacity (0 for a bank without an allocation)."""
    return dict(rules.bank_shares).get(bank_code, Decimal(0))
