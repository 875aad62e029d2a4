"""Correcting a wrong days-past-due report: superseded, never deleted, and audited.

A bank that reported a loan wrongly (the wrong loan, a mistyped dpd, a wrong date) corrects
it: the report is marked superseded with the reason, the loan's days past due,
classification and accrued interest are recomputed from its latest report still standing
(or its state at disbursement when none is left), the fund's non-performing exposure moves
with the classification, a subsidy cancelled only because of wrong reports comes back, and,
if the bank gives one, the true report is then applied under every rule a report obeys.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid, NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.fund import exposure
from creditsvc.services.loans import status_reports
from creditsvc.services.loans.extension import extension_window
from creditsvc.services.platform import audit
from lending.classification import classify, counted_dpd, is_non_performing
from lending.schedule import accrued_unpaid_interest
from lending.subsidy import overdue_since
from models import Loan, StatusReport
from models.base import utcnow


def _state(loan: Loan) -> dict:
    return {"days_past_due": loan.days_past_due, "classification": loan.classification,
            "dpd_as_of": loan.dpd_as_of.isoformat() if loan.dpd_as_of else None,
            "accrued_interest_unpaid_fen": loan.accrued_interest_unpaid_fen,
            "subsidy_cancelled": loan.subsidy_cancelled,
            "subsidy_cancelled_reason": loan.subsidy_cancelled_reason,
            "subsidy_cancelled_on": (loan.subsidy_cancelled_on.isoformat()
                                     if loan.subsidy_cancelled_on else None)}


def _standing(session: Session, loan: Loan) -> list[StatusReport]:
    """The loan's reports that are not superseded, oldest first."""
    return list(session.execute(
        select(StatusReport).where(StatusReport.loan_id == loan.id,
                                   StatusReport.superseded_at.is_(None))
        .order_by(StatusReport.as_of, StatusReport.recorded_at)).scalars())


def recompute(session: Session, loan: Loan) -> None:
    """Days past due, class, accrued interest and the NPL exposure from the reports standing."""
    reports = _standing(session, loan)
    window = extension_window(loan)
    was_npl = is_non_performing(loan.classification)
    if reports:
        last = reports[-1]
        counted = counted_dpd(last.days_past_due, last.as_of, window)
        repayments = status_reports.repayments_of(session, loan.id)
        loan.days_past_due, loan.dpd_as_of = counted, last.as_of
        loan.accrued_interest_unpaid_fen = accrued_unpaid_interest(
            repayments, loan.principal_fen, loan.rate_bp, loan.disbursed_on, last.as_of)
    else:
        # As at disbursement: no report, nothing past due, no interest stated as accrued.
        loan.days_past_due, loan.dpd_as_of, loan.accrued_interest_unpaid_fen = 0, None, 0
    loan.classification = classify(loan.days_past_due)
    if was_npl != is_non_performing(loan.classification):
        exposure.move_npl(session, loan.outstanding_principal_fen * (-1 if was_npl else 1))
    overdue = [r for r in reports if counted_dpd(r.days_past_due, r.as_of, window) > 0]
    if loan.subsidy_cancelled_reason == "overdue" and not overdue:
        # The subsidy was stopped by reports that were wrong: it never should have been.
        loan.subsidy_cancelled, loan.subsidy_cancelled_reason = False, None
        loan.subsidy_cancelled_on = None
    elif loan.subsidy_cancelled_reason == "overdue":
        # It stopped on the first overdue day a standing report shows, not a superseded one's.
        loan.subsidy_cancelled_on = min(overdue_since(r.days_past_due, r.as_of, window)
                                        for r in overdue)


def correct_report(session: Session, actor: Principal, loan: Loan, report_id: str, *,
                   reason: str, today: date, as_of: date | None = None,
                   days_past_due: int | None = None) -> Loan:
    """Supersede a wrong report of LOAN (loaded locked), recompute, apply the true one if given."""
    if loan.status != "active":
        raise Conflict("invalid_transition")
    if (as_of is None) != (days_past_due is None):
        raise Invalid("replacement_incomplete",
                      fields=("as_of" if as_of is None else "days_past_due",))
    report = session.execute(select(StatusReport).where(
        StatusReport.id == report_id, StatusReport.loan_id == loan.id)).scalar_one_or_none()
    if report is None:
        raise NotFound("status_report_not_found")
    if report.superseded_at is not None:
        raise Conflict("report_already_superseded")
    before = _state(loan)
    report.superseded_at, report.superseded_by, report.superseded_reason = (
        utcnow(), actor.user_id, reason)
    session.flush()
    recompute(session, loan)
    replacement = None
    if as_of is not None:
        replacement = status_reports.apply_report(session, actor, loan, as_of, days_past_due, today)
        session.flush()
    audit.record(session, actor, "loan.status_report_correction", target_type="loan",
                 target_id=loan.id, before=before, after=_state(loan),
                 detail={"report_id": report.id, "reason": reason,
                         "superseded": {"as_of": report.as_of.isoformat(),
                                        "days_past_due": report.days_past_due},
                         "replacement_id": replacement.id if replacement else None})
    return loan
