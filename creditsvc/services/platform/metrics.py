"""The programme's figures for /metrics, read from the database when scraped.

Counts and sums come from the books themselves (applications by decision, principal lent and
repaid, claims, the fund row, the job queue), not from counters kept in each process: they are
right whichever worker answers the scrape, survive restarts, and never count work a rolled-back
transaction did not do. Each is one aggregate query over an indexed column or a one-row table.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.money import ratio
from creditsvc.services.fund.account import fund_view
from creditsvc.services.programme.policy import active_policy
from models import Application, Claim, Job, Loan, Repayment
from models.base import utcnow


@dataclass(frozen=True)
class Figure:
    """One sample: a metric's name, kind, help, labels and value."""

    name: str
    kind: str  # "gauge" | "counter"
    help: str
    value: float | int
    labels: tuple[tuple[str, str], ...] = ()


def _fen(fen: int | None) -> int:
    """Money as the books keep it, integer fen (no division: exact in Prometheus's float64
    to 2**53 fen); a dashboard divides by 100 to show yuan."""
    return int(fen or 0)


def book_figures(session: Session, now: datetime | None = None) -> Iterator[Figure]:
    """Every figure of the books, in a stable order."""
    fund = fund_view(session, active_policy(session))
    yield Figure("creditsvc_fund_balance_fen", "gauge", "The guarantee fund's balance.",
                 _fen(fund.balance_fen))
    yield Figure("creditsvc_fund_capital_fen", "gauge", "Capital contributed to the fund.",
                 _fen(fund.capital_fen))
    yield Figure("creditsvc_guaranteed_outstanding_fen", "gauge",
                 "Outstanding principal of guaranteed loans.", _fen(fund.guaranteed_outstanding_fen))
    use = ratio(fund.guaranteed_outstanding_fen, fund.leverage_cap_fen) or 0
    yield Figure("creditsvc_leverage_use_ratio", "gauge",
                 "Guaranteed outstanding over the leverage cap (capital x leverage).", float(use))
    yield Figure("creditsvc_npl_ratio", "gauge", "Non-performing outstanding over outstanding.",
                 float(fund.npl_ratio or 0))
    yield Figure("creditsvc_lending_suspended", "gauge", "1 while lending is suspended.",
                 1.0 if fund.lending_suspended else 0.0)
    for decision, count in session.execute(
            select(Application.decision, func.count()).group_by(Application.decision)):
        yield Figure("creditsvc_decisions_total", "counter", "Assessed applications by decision.",
                     count, (("decision", decision),))
    for bank, lent in session.execute(
            select(Loan.bank_code, func.sum(Loan.principal_fen)).group_by(Loan.bank_code)):
        yield Figure("creditsvc_disbursed_fen_total", "counter", "Principal disbursed, by bank.",
                     _fen(lent), (("bank", bank),))
    for bank, principal, interest in session.execute(
            select(Loan.bank_code, func.sum(Repayment.principal_fen), func.sum(Repayment.interest_fen))
            .join(Loan, Loan.id == Repayment.loan_id).group_by(Loan.bank_code)):
        yield Figure("creditsvc_repaid_fen_total", "counter", "Principal and interest repaid, by bank.",
                     _fen((principal or 0) + (interest or 0)), (("bank", bank),))
    for status, count, amount in session.execute(
            select(Claim.status, func.count(), func.sum(Claim.amount_fen)).group_by(Claim.status)):
        labels = (("status", status),)
        yield Figure("creditsvc_claims_total", "counter", "Claims on the fund, by status.", count, labels)
        yield Figure("creditsvc_claims_fen_total", "counter", "Claimed amounts, by status.",
                     _fen(amount), labels)
    yield from _job_figures(session, now or utcnow())


def _job_figures(session: Session, now: datetime) -> Iterator[Figure]:
    queued, oldest = session.execute(
        select(func.count(), func.min(Job.created_at)).where(Job.status == "queued")).one()
    yield Figure("creditsvc_jobs_queued", "gauge", "Jobs waiting for a worker.", queued)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=now.tzinfo)
    yield Figure("creditsvc_jobs_oldest_queued_seconds", "gauge",
                 "Age of the oldest queued job (0 when none).",
                 (now - oldest).total_seconds() if oldest else 0.0)
    for kind, rows in session.execute(
            select(Job.kind, func.sum(Job.done)).where(Job.status == "done").group_by(Job.kind)):
        yield Figure("creditsvc_job_rows_total", "counter",
                     "Rows (feed lines, imported households…) done by finished jobs, by kind.",
                     rows or 0, (("kind", kind),))
