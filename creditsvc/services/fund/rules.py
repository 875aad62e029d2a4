"""The policy numbers the fund's services use: those of the active policy version.

Services take a `scoring.policy.Policy` as an argument, so that a test can pass its own
version and a view passes the one in force. The rules that read them (a bank's share,
the non-performing classes, suspension) are in `lending`.
"""

from sqlalchemy.orm import Session

from creditsvc.services.programme.policy import active_policy
from scoring.policy import Policy

__all__ = ["rules_for"]


def rules_for(session: Session) -> Policy:
    """The rules in force: the active policy version."""
    return active_policy(session)
