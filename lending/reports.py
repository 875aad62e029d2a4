"""A bank's days-past-due report on a loan: when it is refused, and what it changes.

One definition for the row-by-row feed (creditsvc/services/loans/servicing.py) and the set-based
feed of a background job (creditsvc/services/feed/apply.py).
"""

from dataclasses import dataclass
from datetime import date

from lending.classification import classify, counted_dpd, is_non_performing


def is_stale(as_of: date, disbursed_on: date, last_as_of: date | None) -> bool:
    """A report older than the loan's disbursement or its last applied report is refused."""
    return as_of < disbursed_on or (last_as_of is not None and as_of < last_as_of)


@dataclass(frozen=True)
class ReportOutcome:
    """What one applied report makes of a loan."""

    counted_dpd: int
    classification: str
    enters_npl: bool
    leaves_npl: bool
    cancels_subsidy: bool


def outcome(reported_dpd: int, as_of: date, extension: tuple[date, date] | None,
            classification: str, subsidy_cancelled: bool) -> ReportOutcome:
    """Counted days (extension days excluded), the new class, NPL moves and the subsidy stop."""
    counted = counted_dpd(reported_dpd, as_of, extension)
    new_class = classify(counted)
    was, now = is_non_performing(classification), is_non_performing(new_class)
    # The subsidy stops for a loan that goes overdue (and does not come back).
    return ReportOutcome(counted, new_class, now and not was, was and not now,
                         counted > 0 and not subsidy_cancelled)
