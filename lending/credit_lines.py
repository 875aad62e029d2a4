"""Credit lines (授信): the dates a granted line is valid, and whether it may be granted."""

from datetime import date, timedelta

from lending.dates import add_months


def valid_until(valid_from: date, years: int) -> date:
    """The last day (inclusive) of a line valid YEARS from VALID_FROM: 2026-11-10 → 2028-11-09."""
    return add_months(valid_from, 12 * years) - timedelta(days=1)


def grantable(view: str | None, grade: str | None, proposed_line_fen: int | None) -> bool:
    """A household on the list gets a line when the committee agreed (or lowered the line),
    the rating gave a grade, and a line above zero is still proposed after 公示."""
    return view in ("agree", "lower") and grade is not None and (proposed_line_fen or 0) > 0


def notice_ended(today: date, notice_until: date | None) -> bool:
    """公示 is over once the business date has passed its last day."""
    return notice_until is not None and today > notice_until
