"""财政贴息, the interest subsidy: the finance bureau pays the policy's share of the interest a
bank actually collected in a quarter, never penalty interest, and nothing from the day a loan
goes overdue or its money is found diverted. Pure functions, no database.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from lending.dates import quarter_bounds
from lending.money import whole_fen


def overdue_since(reported_dpd: int, as_of: date, extension: tuple[date, date] | None) -> date:
    """The first day a loan counts as overdue, from a report of REPORTED_DPD days on AS_OF.

    The loan is overdue on the days (as_of - reported, as_of]; days inside an approved
    extension window (original maturity, extended maturity] do not count (see
    `lending.classification.counted_dpd`), so the first counted day may follow the window.
    """
    first = as_of - timedelta(days=reported_dpd - 1)
    if extension and extension[0] < first <= extension[1]:
        return extension[1] + timedelta(days=1)
    return first


def stopped_on(current: date | None, new: date) -> date:
    """The day the subsidy stops once another cause is found: the earlier of the two."""
    return new if current is None else min(current, new)


@dataclass(frozen=True)
class QuarterSubsidy:
    """One loan's subsidy for one quarter, in fen."""

    interest_paid_fen: int      # contract interest the bank collected in the quarter
    interest_counted_fen: int   # of it, paid before the subsidy stopped
    subsidy_fen: int


def quarter_subsidy(paid: Iterable[tuple[date, int]], year: int, quarter: int, *,
                    share: Decimal, stopped: date | None, principal_fen: int,
                    principal_cap_fen: int) -> QuarterSubsidy:
    """SHARE of the contract interest paid in the quarter before STOPPED (None: not stopped).

    PAID is (paid_on, contract interest in fen) of each repayment: the interest servicing
    allocated to the schedule's instalments, so interest on overdue principal (罚息) is not
    in it. The subsidy covers at most PRINCIPAL_CAP_FEN of principal: a larger loan's interest
    is subsidised pro rata. Rounded half up to the fen once, on the loan's quarter.
    """
    start, end = quarter_bounds(year, quarter)
    in_quarter = [(day, fen) for day, fen in paid if start <= day <= end]
    interest = sum(fen for _, fen in in_quarter)
    counted = sum(fen for day, fen in in_quarter if stopped is None or day < stopped)
    covered = min(Decimal(1), Decimal(principal_cap_fen) / principal_fen) if principal_fen else 0
    return QuarterSubsidy(interest, counted, whole_fen(Decimal(counted) * share * covered))
