"""Credit lines (授信): whether a granted line holds on a day, and what is left of it.

A line holds from its first day through its last (`valid_until`, inclusive) while it is the
household's active line and the household is still eligible: its status one the policy
lends to, no flagged major bad credit record, no programme loan overdue (a household that
defaulted has no line). Otherwise it is no line, for the first of these reasons, and the
household is assessed as one without a line. What a valid line leaves is the line less the
principal the household still owes (`lending.headroom`).
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LineFacts:
    """What the rule needs of a line and of its household on the day."""

    status: str  # active | replaced | revoked
    valid_from: date
    valid_until: date
    household_status: str | None
    eligible_statuses: tuple[str, ...]
    bad_credit: bool
    overdue_loans: int


def why_no_line(f: LineFacts, on: date) -> tuple[str, dict] | None:
    """The refusal code and parameters saying why the line does not hold on ON; None if it does."""
    if f.status == "revoked":
        return "credit_line_revoked", {}
    if on < f.valid_from:
        return "credit_line_not_yet_valid", {"valid_from": f.valid_from.isoformat()}
    if on > f.valid_until or f.status != "active":
        return "credit_line_lapsed", {"expired_on": f.valid_until.isoformat()}
    if f.household_status not in f.eligible_statuses:
        return "credit_line_status_changed", {}
    if f.bad_credit:
        return "credit_line_bad_credit", {}
    if f.overdue_loans:
        return "credit_line_overdue", {}
    return None


def available_fen(line_fen: int, owed_fen: int) -> int:
    """What a valid line still allows: the line less the principal owed, never below zero."""
    return max(0, line_fen - owed_fen)
