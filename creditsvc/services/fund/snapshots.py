"""Monthly portfolio snapshots: the book at each month's end, and the trend the fund office charts.

The book's stocks (outstanding, NPL, the PAR numerators, loans, balance, capital) are read as
they stand, from the rows kept current with every write (exposure_totals, the Fund row): the
same figures `/fund` and `/fund/exposure` show. The loans' past states are not kept, so a
month is taken while it is open (the current business month, or the one just ended, which a
run in the first days of the next month closes); the month's flows (claims paid and
reversed, recoveries) come from the ledger and the recoveries by their business dates, exact
for any month. Taking a month again replaces its row: one row a month. With it go the 台账's
figures of each bank and town (SnapshotGroup, ledger.groups), replaced the same way: the
台账统计表 reads them, the month running's included, so a fund manager takes the month running
again (a job) to see its figures as they stand.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid
from creditsvc.core.principal import Principal
from creditsvc.services.fund.reports import book_totals
from creditsvc.services.ledger.groups import group_figures
from creditsvc.services.platform import audit
from lending.classification import at_risk_ratios
from models import Fund, JournalEntry, PortfolioSnapshot, Posting, Recovery, SnapshotGroup
from models.base import utcnow

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
FIGURES = ("loans", "outstanding_fen", "npl_outstanding_fen", "par30_fen", "par90_fen",
           "claims_paid", "claims_paid_fen", "claims_reversed_fen", "recoveries_fen",
           "fund_recoveries_fen", "balance_fen", "capital_fen")


def month_of(day: date) -> str:
    """'YYYY-MM' of DAY."""
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of MONTH ('YYYY-MM'); 422 snapshot_month_invalid otherwise."""
    found = MONTH.match(month or "")
    if not found:
        raise Invalid("snapshot_month_invalid", fields=("month",))
    first = date(int(found[1]), int(found[2]), 1)
    return first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


def open_months(today: date) -> tuple[str, str]:
    """The months a snapshot may be taken of on TODAY: the current one and the one before."""
    return month_of(today.replace(day=1) - timedelta(days=1)), month_of(today)


def _flows(session: Session, first: date, last: date) -> dict[str, int]:
    """The month's claims paid (count, fen), claims reversed, recoveries and the fund's share."""
    cash = dict.fromkeys(("claim_draw", "reversal:claim_draw", "recovery"), 0)
    paid = 0
    for kind, n, fen in session.execute(
            select(JournalEntry.kind, func.count(), func.coalesce(func.sum(Posting.amount_fen), 0))
            .join(Posting, Posting.entry_id == JournalEntry.id)
            .where(Posting.account == "fund_cash", JournalEntry.kind.in_(tuple(cash)),
                   JournalEntry.effective_on.between(first, last))
            .group_by(JournalEntry.kind)):
        cash[kind] = int(fen)  # PostgreSQL sums a bigint as numeric
        paid = n if kind == "claim_draw" else paid
    recovered = session.execute(select(func.coalesce(func.sum(Recovery.amount_fen), 0)).where(
        Recovery.recovered_on.between(first, last))).scalar_one()
    return {"claims_paid": paid, "claims_paid_fen": -cash["claim_draw"],
            "claims_reversed_fen": cash["reversal:claim_draw"],
            "recoveries_fen": int(recovered), "fund_recoveries_fen": cash["recovery"]}


def _upsert(session: Session, values: dict) -> None:
    """One row a month: insert, or replace the month's figures (two runs at once: the last wins)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(PortfolioSnapshot).values(**values)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[PortfolioSnapshot.month],
        set_={k: stmt.excluded[k] for k in values if k != "month"}))


def _take_groups(session: Session, month: str, first: date, last: date) -> None:
    """The month's 台账 figures per bank and town (ledger.groups), replacing any taken before."""
    session.execute(delete(SnapshotGroup).where(SnapshotGroup.month == month))
    session.execute(insert(SnapshotGroup), [
        {"month": month, **vars(g)} for g in group_figures(session, first=first, last=last).values()])


def take(session: Session, actor: Principal, month: str, *, today: date) -> PortfolioSnapshot:
    """Take (or take again) MONTH's snapshot on TODAY, the business date; audited."""
    first, last = month_bounds(month)
    if month not in open_months(today):
        raise Invalid("snapshot_month_closed", fields=("month",), month=month,
                      open=" / ".join(open_months(today)))
    book = book_totals(session)
    fund = session.execute(select(Fund).where(Fund.id == 1)
                           .execution_options(populate_existing=True)).scalar_one()
    values = {"month": month, "as_of": today, "loans": book.loans,
              "outstanding_fen": book.outstanding_fen, "npl_outstanding_fen": book.npl_fen,
              "par30_fen": book.par30_fen, "par90_fen": book.par90_fen,
              **_flows(session, first, last), "balance_fen": fund.balance_fen,
              "capital_fen": fund.capital_fen, "taken_at": utcnow(), "taken_by": actor.user_id}
    _upsert(session, values)
    # The month running: its lending and the interest in arrears through TODAY, not its end.
    _take_groups(session, month, first, min(last, today))
    audit.record(session, actor, "portfolio.snapshot", target_type="portfolio_snapshot",
                 target_id=month, detail={"as_of": today.isoformat(),
                                          **{k: values[k] for k in FIGURES}})
    session.flush()
    return session.get(PortfolioSnapshot, month, populate_existing=True)


def due_months(session: Session, today: date) -> list[str]:
    """The months whose snapshot the worker should take on TODAY, oldest first.

    The month just ended is due once, if it was snapshotted while it ran (its last row is
    older than its end): the first run after its end is its month-end figure. A month the
    service did not see running is left without a row rather than filled with a later book.
    The current month is due once a day (its row is older than TODAY, or there is none).
    """
    before, current = open_months(today)
    taken = dict(session.execute(select(PortfolioSnapshot.month, PortfolioSnapshot.as_of)
                                 .where(PortfolioSnapshot.month.in_((before, current)))).all())
    due = []
    if before in taken and taken[before] <= month_bounds(before)[1]:
        due.append(before)
    if taken.get(current) is None or taken[current] < today:
        due.append(current)
    return due


@dataclass(frozen=True)
class TrendPoint:
    """One month of the trend: its snapshot's figures and the ratios the charts plot."""

    snapshot: PortfolioSnapshot
    par30: Decimal | None
    par90: Decimal | None
    npl_ratio: Decimal | None
    net_claims_paid_fen: int


def trend(session: Session, *, months: int = 24) -> list[TrendPoint]:
    """The last MONTHS snapshots, oldest first, with PAR30, PAR90 and NPL (lending's ratios)."""
    rows = session.execute(select(PortfolioSnapshot).order_by(PortfolioSnapshot.month.desc())
                           .limit(months)).scalars().all()
    return [TrendPoint(r, *at_risk_ratios(r.outstanding_fen, r.par30_fen, r.par90_fen,
                                          r.npl_outstanding_fen),
                       r.claims_paid_fen - r.claims_reversed_fen) for r in reversed(rows)]
