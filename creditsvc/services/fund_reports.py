"""Exposure reports: breakdowns of the book, portfolio-at-risk, and the monthly history.

The breakdown is ONE aggregate scan: loans grouped by every reported dimension at once
(the number of groups is bounded by the programme's towns, villages, grades, purposes and
classes, not by the number of loans), then folded per dimension in Python. The history
reads the ledger (which grows with contributions, claims and recoveries, not with the
book) grouped by day.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from creditsvc.services import stress
from creditsvc.services.fund_rules import NPL_CLASSES, FundRules
from models import Fund, JournalEntry, Loan, Posting

DIMENSIONS = ("bank_code", "town", "village", "grade", "purpose", "classification")


def _ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if whole else None


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


def _cells(session: Session):
    bucket = case((Loan.days_past_due > 90, 90), (Loan.days_past_due > 30, 30), else_=0)
    cols = [getattr(Loan, d) for d in DIMENSIONS]
    return session.execute(
        select(Loan.status, *cols, bucket, func.count(), func.sum(Loan.outstanding_principal_fen),
               func.sum(Loan.principal_fen))
        .group_by(Loan.status, *cols, bucket)).all()


def exposure_report(session: Session) -> Exposure:
    """Breakdowns by bank, town, village, grade, purpose and class; PAR30/90, NPL, claims rate."""
    groups = {d: defaultdict(lambda: [0, 0]) for d in DIMENSIONS}
    total = count = par30 = par90 = npl = 0
    principal_all = principal_claimed = 0
    for status, *rest in _cells(session):
        keys, (bucket, n, out, principal) = rest[:len(DIMENSIONS)], rest[len(DIMENSIONS):]
        principal_all += principal
        if status == "claimed":
            principal_claimed += principal
        if status != "active":
            continue
        total, count = total + out, count + n
        par30 += out if bucket >= 30 else 0
        par90 += out if bucket >= 90 else 0
        for dim, key in zip(DIMENSIONS, keys, strict=True):
            cell = groups[dim][key]
            cell[0] += out
            cell[1] += n
        npl += out if keys[-1] in NPL_CLASSES else 0
    breakdown = {
        dim: [{"key": key, "outstanding_fen": out, "loans": n, "share": _ratio(out, total)}
              for key, (out, n) in sorted(cells.items(), key=lambda kv: (-kv[1][0], str(kv[0])))]
        for dim, cells in groups.items()}
    return Exposure(total, count, breakdown, _ratio(par30, total), _ratio(par90, total),
                    _ratio(npl, total), _ratio(principal_claimed, principal_all),
                    monthly_history(session))


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


def run_stress(session: Session, rules: FundRules, *, paths: int, seed: int,
               horizon: int = 12) -> stress.StressResult:
    """Stress the fund's current balance with every active loan's PD and outstanding."""
    rows = session.execute(select(Loan.pd, Loan.outstanding_principal_fen)
                           .where(Loan.status == "active", Loan.outstanding_principal_fen > 0)).all()
    balance = session.execute(select(Fund.balance_fen).where(Fund.id == 1)).scalar_one()
    # A loan without a stored PD (none should exist) is stressed at 100%: never optimistic.
    pd = np.fromiter((1.0 if r[0] is None else r[0] for r in rows), dtype=float, count=len(rows))
    exposure = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    return stress.run(pd, exposure, share=float(rules.fund_loss_share),
                      rho=float(rules.asset_correlation), balance_fen=balance, paths=paths,
                      seed=seed, horizon=horizon)
