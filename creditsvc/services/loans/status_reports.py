"""Days-past-due reports: one from a form or the API, or a bulk feed row by row."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from creditsvc.core.errors import AppError, Conflict, Invalid, NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.fund import exposure
from creditsvc.services.loans.extension import extension_window
from creditsvc.services.loans.numbers import by_id_or_number, normalise
from creditsvc.services.loans.servicing import in_future, money_of, not_active
from creditsvc.services.platform import audit
from creditsvc.services.platform.scope import scoped
from lending import dates, reports
from lending.schedule import accrued_unpaid_interest
from lending.subsidy import overdue_since
from models import Loan, Repayment, StatusReport


def _repayments(session: Session, loan_ids) -> dict[str, list[tuple[date, int, int]]]:
    """(paid_on, principal, interest) of every repayment of the given loans."""
    out: dict[str, list[tuple[date, int, int]]] = defaultdict(list)
    for loan_id, *paid in session.execute(
            select(Repayment.loan_id, Repayment.paid_on, Repayment.principal_fen,
                   Repayment.interest_fen).where(Repayment.loan_id.in_(loan_ids))):
        out[loan_id].append(tuple(paid))
    return out


def repayments_of(session: Session, loan_id: str) -> list[tuple[date, int, int]]:
    """(paid_on, principal, interest) of every repayment of one loan."""
    return _repayments(session, [loan_id])[loan_id]


def first_due_on(loan: Loan) -> date:
    """The first instalment's due date (a loan with no schedule: its disbursement)."""
    return min((item.due_on for item in loan.schedule), default=loan.disbursed_on)


def report_refusals(loan, as_of: date | None, dpd: int | None, today: date,
                    first_due_on: date) -> list[AppError]:
    """Every reason a report cannot be true, each about its field (a value None: not checked).

    A report is dated by today, after the loan's last one, and its days past due fit within
    the loan's age. LOAN is a Loan or the bulk feed's LoanState (the same attributes).
    """
    refused = not_active(loan) + in_future(as_of, today, "as_of")
    if as_of is not None and reports.is_stale(as_of, loan.disbursed_on, loan.dpd_as_of):
        refused.append(Conflict("stale_status_report", fields=("as_of",)))
    if as_of is not None and dpd is not None:
        most = dates.max_days_past_due(first_due_on, as_of)
        if dpd > most:
            refused.append(Invalid("dpd_exceeds_age", fields=("days_past_due",),
                                   as_of=as_of.isoformat(), most=most,
                                   first_due_on=first_due_on.isoformat()))
    return refused


def report_refusal(loan, as_of: date, dpd: int, today: date, first_due_on: date) -> AppError | None:
    """The reason a status report is refused (the first of `report_refusals`), or None.

    Every refusal comes before any write, so a refused row of a feed has nothing to undo.
    """
    refused = report_refusals(loan, as_of, dpd, today, first_due_on)
    return refused[0] if refused else None


def apply_report(session: Session, actor: Principal, loan: Loan, as_of: date, dpd: int,
                 today: date, repayments: list[tuple[date, int, int]] | None = None
                 ) -> StatusReport:
    """Record one report on LOAN: days past due, class, NPL exposure, accrual and subsidy follow."""
    if refusal := report_refusal(loan, as_of, dpd, today, first_due_on(loan)):
        raise refusal
    before = {**money_of(loan), "classification": loan.classification,
              "days_past_due": loan.days_past_due}
    window = extension_window(loan)
    out = reports.outcome(dpd, as_of, window, loan.classification, loan.subsidy_cancelled)
    if out.enters_npl or out.leaves_npl:
        exposure.move_npl(session, loan.outstanding_principal_fen * (-1 if out.leaves_npl else 1))
    loan.days_past_due, loan.dpd_as_of, loan.classification = (out.counted_dpd, as_of,
                                                               out.classification)
    # Kept as of each report, so that a claim states what the borrower owes in interest.
    if repayments is None:
        repayments = repayments_of(session, loan.id)
    loan.accrued_interest_unpaid_fen = accrued_unpaid_interest(
        repayments, loan.principal_fen, loan.rate_bp, loan.disbursed_on, as_of)
    if out.cancels_subsidy:
        loan.subsidy_cancelled, loan.subsidy_cancelled_reason = True, "overdue"
        loan.subsidy_cancelled_on = overdue_since(dpd, as_of, window)
    report = StatusReport(loan_id=loan.id, as_of=as_of, days_past_due=dpd,
                          classification=out.classification, recorded_by=actor.user_id)
    session.add(report)
    audit.record(session, actor, "loan.status_report", target_type="loan", target_id=loan.id,
                 before=before, after={**money_of(loan), "classification": out.classification,
                                       "days_past_due": out.counted_dpd},
                 detail={"as_of": as_of.isoformat(), "reported_dpd": dpd})
    return report


def report_status(session: Session, actor: Principal, loan: Loan, *, as_of: date,
                  days_past_due: int, today: date) -> Loan:
    """A bank's days-past-due report: classification, NPL exposure and subsidy follow."""
    apply_report(session, actor, loan, as_of, days_past_due, today)
    return loan


@dataclass(frozen=True)
class RowResult:
    """The outcome of one row of a bulk feed."""

    index: int
    loan_id: str
    ok: bool
    classification: str | None = None
    days_past_due: int | None = None
    code: str | None = None
    message: str | None = None


def report_status_bulk(session: Session, actor: Principal, rows: list[dict], *,
                       today: date) -> list[RowResult]:
    """Apply each row on its own: a refused row is reported and skips only itself."""
    results = []
    # Every loan of the feed locked in one query, in id order (two feeds touching the same
    # loans cannot deadlock), and their repayments read once: not two round trips a row.
    # A row names its loan by id or by number (PSBC-2026-000123, as the pages show it).
    ids = sorted({row["loan_id"] for row in rows})
    # Their schedules come in one more query: a report's dpd is bounded by the first due date.
    exposure.lock_books(session)  # the fund row before the loans
    query = scoped(select(Loan).where(by_id_or_number(Loan.id, Loan.number, ids))
                   .order_by(Loan.id).with_for_update()
                   .options(selectinload(Loan.schedule)), actor, Loan.bank_code)
    loans = {}
    for loan in session.execute(query).scalars():
        loans[loan.id] = loan
        if loan.number:
            loans[loan.number] = loan
    repayments = _repayments(session, list({loan.id for loan in loans.values()}))
    for index, row in enumerate(rows):
        try:
            loan = loans.get(row["loan_id"]) or loans.get(normalise(row["loan_id"]) or "")
            if loan is None:
                raise NotFound("loan_not_found")
            # No savepoint: every refusal of apply_report comes before its first write, so
            # a refused row has nothing to undo, and the rows' writes flush in batches.
            apply_report(session, actor, loan, row["as_of"], row["days_past_due"], today,
                         repayments[loan.id])
            results.append(RowResult(index, row["loan_id"], True, loan.classification,
                                     loan.days_past_due))
        except AppError as exc:
            results.append(RowResult(index, row["loan_id"], False, code=exc.code, message=exc.message))
    session.flush()
    return results
