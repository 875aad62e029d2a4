"""Exposure reports: breakdowns of the book, portfolio-at-risk, and the monthly history.

Neither read grows with the book: the breakdown reads exposure_totals (kept by triggers
on loans), the history reads the ledger, which grows with contributions, claims and
recoveries, grouped by day.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.money import ratio
from lending import stress
from lending.classification import at_risk_ratios, non_performing_fen
from models import ExposureTotal, Fund, JournalEntry, Loan, Posting
from scoring.policy import Policy

DIMENSIONS = ("bank", "town", "village", "grade", "purpose", "classification")


@dataclass(frozen=True)
class Exposure:
    """Outstanding, count and share per dimension value, and the book's risk ratios."""

    outstanding_fen: int
    loans: int
    breakdown: dict[str, list[dict]]
    par30: Decimal | None
    par90: Decimal | None
    npl_ratio: Decimal | None
    claims_rate: Decimal | None
    history: list[dict]


@dataclass(frozen=True)
class BookTotals:
    """The active book's outstanding and loans, and the numerators of PAR30, PAR90 and NPL."""

    outstanding_fen: int
    loans: int
    par30_fen: int
    par90_fen: int
    npl_fen: int


def _totals(by_dim: dict[str, dict[str, ExposureTotal]]) -> BookTotals:
    active = by_dim["status"].get("active")
    buckets = {k: r.outstanding_fen for k, r in by_dim["dpd_bucket"].items()}
    par90 = buckets.get("over_90", 0)
    return BookTotals(
        active.outstanding_fen if active else 0, active.loans if active else 0,
        buckets.get("31_90", 0) + par90, par90,
        non_performing_fen({k: r.outstanding_fen for k, r in by_dim["classification"].items()}))


def _by_dimension(session: Session) -> dict[str, dict[str, ExposureTotal]]:
    rows = session.execute(select(ExposureTotal).where(ExposureTotal.loans > 0)).scalars().all()
    by_dim: dict[str, dict[str, ExposureTotal]] = defaultdict(dict)
    for row in rows:
        by_dim[row.dimension][row.key] = row
    return by_dim


def book_totals(session: Session) -> BookTotals:
    """The figures of the book's risk ratios now, from exposure_totals (O(1) in the book)."""
    return _totals(_by_dimension(session))


def exposure_report(session: Session) -> Exposure:
    """Breakdowns by bank, town, village, grade, purpose and class; PAR30/90, NPL, claims rate.

    Reads the exposure_totals rows the loans' triggers keep (about a hundred, whatever
    the size of the book). Claims rate = principal of claimed loans / all principal lent.
    """
    by_dim = _by_dimension(session)
    book = _totals(by_dim)
    total = book.outstanding_fen
    breakdown = {
        dim: [{"key": r.key, "outstanding_fen": r.outstanding_fen, "loans": r.loans,
               "share": ratio(r.outstanding_fen, total)}
              for r in sorted(by_dim[dim].values(), key=lambda r: (-r.outstanding_fen, r.key))]
        for dim in DIMENSIONS}
    lent = sum(r.principal_fen for r in by_dim["status"].values())
    claimed = by_dim["status"].get("claimed")
    return Exposure(total, book.loans, breakdown,
                    *at_risk_ratios(total, book.par30_fen, book.par90_fen, book.npl_fen),
                    ratio(claimed.principal_fen if claimed else 0, lent), monthly_history(session))


def monthly_history(session: Session) -> list[dict]:
    """Per month: contributions, interest, claims paid, recoveries, net flow, closing balance."""
    rows = session.execute(
        select(JournalEntry.effective_on, JournalEntry.kind, func.count(),
               func.sum(Posting.amount_fen))
        .join(Posting, Posting.entry_id == JournalEntry.id)
        .where(Posting.account == "fund_cash")
        .group_by(JournalEntry.effective_on, JournalEntry.kind)
        .order_by(JournalEntry.effective_on)).all()
    months: dict[str, dict] = {}
    for day, kind, n, cash in rows:
        m = months.setdefault(day.strftime("%Y-%m"), {
            "month": day.strftime("%Y-%m"), "contributions_fen": 0, "interest_fen": 0,
            "claims_paid_fen": 0, "claims_paid": 0, "recoveries_fen": 0, "reversals_fen": 0})
        field = {"contribution": "contributions_fen", "deposit_interest": "interest_fen",
                 "claim_draw": "claims_paid_fen", "recovery": "recoveries_fen"}.get(kind, "reversals_fen")
        m[field] += -cash if kind == "claim_draw" else cash
        if kind == "claim_draw":
            m["claims_paid"] += n
    balance = 0
    for m in months.values():
        m["net_fen"] = (m["contributions_fen"] + m["interest_fen"] + m["recoveries_fen"]
                        + m["reversals_fen"] - m["claims_paid_fen"])
        balance += m["net_fen"]
        m["closing_balance_fen"] = balance
    return list(months.values())


def run_stress(session: Session, rules: Policy, *, paths: int, seed: int,
               horizon: int = 12) -> stress.StressResult:
    """Stress the fund's current balance with every active loan's PD and outstanding."""
    rows = session.execute(select(Loan.pd, Loan.outstanding_principal_fen)
                           .where(Loan.status == "active", Loan.outstanding_principal_fen > 0)).all()
    balance = session.execute(select(Fund.balance_fen).where(Fund.id == 1)).scalar_one()
    return stress.run_book([tuple(r) for r in rows], fund_loss_share=rules.fund_loss_share,
                           asset_correlation=rules.asset_correlation, balance_fen=balance,
                           paths=paths, seed=seed, horizon=horizon)
