"""The bank feed applied set-based: the same rules as the row-by-row feed, at province scale.

`status_reports.report_status_bulk` applies a request's rows one by one through the ORM. Here
the rows are staged and the loans they name read in one locked join (feed_sql); each
loan's rows are judged in feed order by the same rules (`status_reports.report_refusal`,
`lending.reports.outcome`, `lending.schedule.accrued_unpaid_interest`); then the loans'
new states, one status report per applied row and the NPL total are written with one
statement each. The exposure totals follow by their triggers (migration 0003b).

Auditing: one event for the whole feed (counts and the SHA-256 of the per-row results
file, which the job keeps), where the row path records one per row; each applied row still
leaves its status report.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter

from sqlalchemy.orm import Session

from creditsvc.core.errors import NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.feed.statements import Stage, offset
from creditsvc.services.fund import exposure
from creditsvc.services.loans import status_reports
from creditsvc.services.loans.extension import extension_window
from lending import reports
from lending.classification import is_non_performing
from lending.schedule import accrued_unpaid_interest
from lending.subsidy import overdue_since
from models.base import utcnow

Progress = Callable[[int, int, str], None]


class LoanState:
    """A loan as its reports see it while a feed is judged (what servicing's rules read)."""

    __slots__ = ("id", "status", "disbursed_on", "dpd_as_of", "term_months", "extension_months",
                 "maturity_on", "classification", "subsidy_cancelled", "subsidy_cancelled_reason",
                 "subsidy_cancelled_on", "outstanding_principal_fen", "principal_fen", "rate_bp",
                 "days_past_due")

    def __init__(self, row):
        for name, value in zip(self.__slots__[:-1], row, strict=False):
            setattr(self, name, value)
        self.days_past_due = None


@dataclass
class FeedResults:
    """Per-row outcomes, column by column (a million RowResult objects would not fit well)."""

    ok: list[bool]
    classification: list[str | None]
    days_past_due: list[int | None]
    code: list[str | None]
    message: list[str | None]
    params: list[dict | None]
    loans_updated: int = 0
    npl_delta_fen: int = 0

    @classmethod
    def refused(cls, n: int) -> "FeedResults":
        refusal = NotFound("loan_not_found")
        return cls([False] * n, [None] * n, [None] * n, [refusal.code] * n, [refusal.message] * n,
                   [refusal.params] * n)

    def row(self, i: int, loan_id: str) -> status_reports.RowResult:
        """Row I as the row-by-row feed reports it."""
        return status_reports.RowResult(i, loan_id, self.ok[i], self.classification[i],
                                   self.days_past_due[i], self.code[i], self.message[i])

    @property
    def accepted(self) -> int:
        return sum(self.ok)


def _judge(state: LoanState, group, results: FeedResults, stage: Stage | None, now,
           today: date, first_due_on: date) -> bool:
    """Apply one loan's rows in feed order to STATE; stage its reports. True if any applied."""
    window = extension_window(state)
    applied = False
    for *_, pos, as_of, dpd in group:
        refusal = status_reports.report_refusal(state, as_of, dpd, today, first_due_on)
        if refusal is not None:
            results.code[pos], results.message[pos] = refusal.code, refusal.message
            results.params[pos] = refusal.params
            continue
        out = reports.outcome(dpd, as_of, window, state.classification, state.subsidy_cancelled)
        state.classification, state.days_past_due, state.dpd_as_of = (out.classification,
                                                                       out.counted_dpd, as_of)
        if out.cancels_subsidy:
            state.subsidy_cancelled, state.subsidy_cancelled_reason = True, "overdue"
            state.subsidy_cancelled_on = overdue_since(dpd, as_of, window)
        results.ok[pos], results.code[pos], results.message[pos] = True, None, None
        results.params[pos] = None
        results.classification[pos], results.days_past_due[pos] = (out.classification,
                                                                    out.counted_dpd)
        if stage is not None:
            stage.add_report(state.id, as_of, dpd, out.classification, offset(now, pos))
        applied = True
    return applied


def apply_feed(session: Session, actor: Principal, rows: list[tuple[str, date, int]], *,
               today: date, progress: Progress | None = None, write: bool = True) -> FeedResults:
    """Apply ROWS (loan_id, as_of, days_past_due) in the session's transaction, set-based.

    A row's loan_id is the loan's id or its number (PSBC-2026-000123, as the pages show it).

    Results are in the order of ROWS, each as `report_status_bulk` would give it. With
    WRITE false nothing is locked or written: the results say what applying would do (the
    preview); the staging tables are dropped again.
    """
    n, now = len(rows), utcnow()
    results = FeedResults.refused(n)
    stage = Stage(session)
    stage.load_rows(rows)
    stage.resolve_numbers()
    repayments = stage.repayments()
    first_due = stage.first_due_dates()
    seen = 0
    for _, group in groupby(stage.locked_rows(actor, lock=write), key=itemgetter(0)):
        group = list(group)
        state = LoanState(group[0])
        was_npl = is_non_performing(state.classification)
        seen += len(group)
        if progress and seen // 50_000 != (seen - len(group)) // 50_000:
            progress(seen, n, "judging the rows")
        if not _judge(state, group, results, stage if write else None, now, today,
                      first_due.get(state.id, state.disbursed_on)) or not write:
            continue
        accrued = accrued_unpaid_interest(repayments.get(state.id, []), state.principal_fen,
                                          state.rate_bp, state.disbursed_on, state.dpd_as_of)
        stage.add_update(state.id, state.days_past_due, state.dpd_as_of, state.classification,
                         accrued, state.subsidy_cancelled, state.subsidy_cancelled_reason,
                         state.subsidy_cancelled_on)
        results.npl_delta_fen += state.outstanding_principal_fen * (
            is_non_performing(state.classification) - was_npl)
    if write:
        if progress:
            progress(n, n, "writing the loans and status reports")
        results.loans_updated, _ = stage.apply(actor.user_id, now)
        exposure.move_npl(session, results.npl_delta_fen)
    stage.close()
    return results
