"""Business dates of the programme: months on a loan's own day, quarters, days between.

Nothing here reads a clock: the day a rule is applied on is always passed in, so that a
decision can be replayed on the date it was made.
"""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day MONTHS later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from EARLIER to LATER (due dates are add_months of one start)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def days_between(earlier: date, later: date) -> int:
    """Days from EARLIER to LATER: the count interest accrues for (negative if reversed)."""
    return (later - earlier).days


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter is 1 to 4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def maturity(disbursed_on: date, term_months: int) -> date:
    """The contract's maturity: the loan's own day TERM_MONTHS on."""
    return add_months(disbursed_on, term_months)


def extension_window(disbursed_on: date, term_months: int, extension_months: int,
                     maturity_on: date) -> tuple[date, date] | None:
    """(original maturity, extended maturity MATURITY_ON] of an approved extension, or None."""
    if not extension_months:
        return None
    return maturity(disbursed_on, term_months), maturity_on


def in_future(day: date, today: date) -> bool:
    """A date after the business date TODAY: something that has not happened yet."""
    return day > today


def max_days_past_due(first_due_on: date, as_of: date) -> int:
    """The most days a loan can be past due on AS_OF: the days since its first instalment fell due.

    Nothing is owed before the first due date, so a loan reported then is 0 days past due.
    """
    return max(0, days_between(first_due_on, as_of))


def credit_line_in_force(expires_on: date, on: date) -> bool:
    """A credit line (valid 2 years by default) still allows a disbursement on ON: through EXPIRES_ON."""
    return on <= expires_on
