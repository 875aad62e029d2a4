"""The programme's own outcomes as training data: bad = 90+ days past due within 12 months."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid
from creditsvc.services.programme import policy as registry
from models import Application, Loan, StatusReport
from scoring import metrics

OBSERVATION_DAYS = 365
BAD_DPD = 90


def outcome_rows(session: Session, today: date) -> tuple[list[dict], list[int]]:
    """Features each loan was assessed on, and whether it went bad within its first year.

    A loan counts once its year is over, or earlier if it already went bad (its outcome
    can no longer change).
    """
    rows, labels = [], []
    query = (select(Loan.id, Loan.disbursed_on, Application.assessment)
             .join(Application, Application.id == Loan.application_id))
    # Worst days past due reported inside each loan's first year (date arithmetic in Python:
    # the two engines add days to dates differently).
    reports: dict[str, int] = {}
    for loan_id, as_of, dpd, disbursed in session.execute(
            select(StatusReport.loan_id, StatusReport.as_of, StatusReport.days_past_due,
                   Loan.disbursed_on).join(Loan, Loan.id == StatusReport.loan_id)):
        if as_of <= disbursed + timedelta(days=OBSERVATION_DAYS):
            reports[loan_id] = max(reports.get(loan_id, 0), dpd)
    for loan_id, disbursed, assessment in session.execute(query):
        bad = reports.get(loan_id, 0) >= BAD_DPD
        if not bad and disbursed + timedelta(days=OBSERVATION_DAYS) > today:
            continue  # still being observed
        rows.append(dict(assessment["features"]))
        labels.append(int(bad))
    return rows, labels


def holdout_auc(session: Session, shas: list[str], columns: dict | None = None,
                labels: list[int] | None = None, *, today: date) -> dict[str, float]:
    """Each model's AUC on one holdout: the columns given, else the programme's own outcomes.

    Raises 422 `holdout_missing` when the programme has no outcomes of both kinds yet.
    """
    if columns is None:
        rows, labels = outcome_rows(session, today)
        if len(set(labels)) < 2:
            raise Invalid("holdout_missing")
        columns = {k: [r.get(k) for r in rows] for k in {k for r in rows for k in r}}
    out = {}
    for sha in dict.fromkeys(shas):
        _, pds = registry.scorecard_by_sha(session, sha).score_batch(columns)
        out[sha] = metrics.auc(labels, pds)
    return out
