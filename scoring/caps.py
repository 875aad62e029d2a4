"""The household cap (家庭贷款余额上限), the one rule the assessment and lending share.

It lives here, below both, because `scoring` may not import `lending`: the assessment
(scoring.rules, scoring.decision) works in Decimal yuan, review and disbursement (through
`lending.headroom`) in integer fen, and each function takes either, never a float.
"""

from decimal import Decimal
from typing import TypeVar

Money = TypeVar("Money", int, Decimal)


def household_headroom(cap: Money, outstanding: Money) -> Money:
    """What the household may still borrow: its cap less what it owes, never below zero."""
    room = cap - outstanding
    # A household already over the cap (a cap lowered by a new policy) has no room, not less.
    return room if room > 0 else type(room)(0)


def within_household_cap(cap: Money, outstanding: Money, amount: Money) -> bool:
    """Whether what the household owes plus AMOUNT stays within the cap."""
    return outstanding + amount <= cap


def approval_cap(requested: Money, limit: Money, maximum: Money, headroom: Money) -> Money:
    """The most that may be approved: the least of asked, grade limit, policy maximum, headroom."""
    return min(requested, limit, maximum, headroom)
