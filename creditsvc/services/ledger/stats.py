"""The 台账统计表: a range of months by bank and by town, and the whole book.

Stocks at the range's end (balance, loans, rate, households, overdue and arrears counts,
cumulative lending) come from the end month's snapshot (SnapshotGroup), the month running's
as well: the worker takes it once a business day and a fund manager takes it again on demand
(a job), so the table reads a month's few rows whatever the size of the book, and says when
its figures were taken. 新增投放额 adds up the months' lending; 净增额, 较年初 and 较去年同期
compare the end's balance with the snapshots of the month before the range, of December last
year and of the same month last year. A figure whose month has no snapshot is None, and the
month is named in `missing`: never read from another month. 代偿 and 回收 are the period's
flows (ledger.flows) through the end's snapshot, exact for any range. A bank sees its own book
(its bank, its towns) and no fund figures.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid
from creditsvc.core.principal import Principal
from creditsvc.services.fund.snapshots import month_bounds, month_of
from creditsvc.services.ledger.flows import Flows, period_flows
from creditsvc.services.ledger.groups import ALL, GroupFigures
from lending.money import ratio, whole_fen
from models import PortfolioSnapshot, SnapshotGroup

MOST_MONTHS = 36


@dataclass(frozen=True)
class StatRow:
    """One row of the table (a bank, a town, or the total); None: its month has no snapshot."""

    bank_code: str
    town: str
    lent_fen: int | None  # 累计投放额
    new_fen: int | None  # 新增投放额 in the range
    net_fen: int | None  # 净增额: the balance's change over the range
    outstanding_fen: int | None  # 贷款余额
    ytd_fen: int | None  # 较年初
    ytd: Decimal | None
    yoy_fen: int | None  # 较去年同期
    yoy: Decimal | None
    loans: int | None  # 贷款笔数
    rate: Decimal | None  # 贷款加权平均利率 (a fraction: 0.0345)
    members: int | None  # 支持带动贫困人口数
    line_avg_fen: int | None  # 户均授信额度
    balance_avg_fen: int | None  # 户均贷款余额
    overdue_loans: int | None  # 逾期笔数
    arrears_loans: int | None  # 欠息笔数
    claims_fen: int  # 代偿 (net) in the range
    recoveries_fen: int  # 回收 in the range


@dataclass(frozen=True)
class FundEnd:
    """The fund at the range's end: balance, capital, guaranteed balance, leverage used."""

    balance_fen: int
    capital_fen: int
    outstanding_fen: int
    leverage: Decimal | None  # outstanding / capital (放大倍数)
    fund_recoveries_fen: int  # the fund's share of the range's recoveries


@dataclass(frozen=True)
class StatTable:
    """The table of a range: its rows, the months it lacked, the fund (fund manager only)."""

    first: str
    last: str
    start: date
    end: date  # the range's last day; in the month running, the day its snapshot was taken
    current: bool  # the range ends in the month running
    taken_at: datetime | None  # when the end month's snapshot was taken (None: not taken)
    missing: list[str]
    banks: list[StatRow]
    towns: list[StatRow]
    total: StatRow
    fund: FundEnd | None


def months_between(first: str, last: str) -> list[str]:
    """FIRST..LAST ('YYYY-MM'), inclusive."""
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def shift(month: str, months: int) -> str:
    """MONTH moved by MONTHS (negative: back)."""
    n = int(month[:4]) * 12 + int(month[5:]) - 1 + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def check_range(first: str, last: str, today: date) -> None:
    """The range is two months in order, not past the month running, at most MOST_MONTHS."""
    month_bounds(first), month_bounds(last)
    if first > last:
        raise Invalid("ledger_range_reversed", fields=("first",))
    if last > month_of(today):
        raise Invalid("ledger_month_ahead", fields=("last",), current=month_of(today))
    if len(months_between(first, last)) > MOST_MONTHS:
        raise Invalid("ledger_range_too_long", fields=("first",), most=MOST_MONTHS)


def _snapshots(session: Session, months: set[str], bank: str | None) -> dict:
    """Month -> {(bank, town): GroupFigures} for the months with their 台账 figures taken."""
    query = select(SnapshotGroup).where(SnapshotGroup.month.in_(months))
    if bank is not None:
        query = query.where(SnapshotGroup.bank_code == bank)
    out: dict[str, dict] = {}
    for g in session.execute(query).scalars():
        out.setdefault(g.month, {})[(g.bank_code, g.town)] = GroupFigures(
            g.bank_code, g.town, *(getattr(g, n) for n in GroupFigures.__dataclass_fields__
                                   if n not in ("bank_code", "town")))
    return out


def _lent_within(session: Session, months: list[str], bank: str | None) -> dict:
    """(bank, town) -> what the snapshots of MONTHS lent within them, summed in SQL."""
    query = (select(SnapshotGroup.bank_code, SnapshotGroup.town,
                    func.sum(SnapshotGroup.disbursed_fen))
             .where(SnapshotGroup.month.in_(months))
             .group_by(SnapshotGroup.bank_code, SnapshotGroup.town))
    if bank is not None:
        query = query.where(SnapshotGroup.bank_code == bank)
    return {(b, t): int(v) for b, t, v in session.execute(query)}


def _average(total_fen: int, count: int) -> int | None:
    return whole_fen(Decimal(total_fen) / count) if count else None


def _change(now: int | None, base: dict | None, key) -> tuple[int | None, Decimal | None]:
    if now is None or base is None:
        return None, None
    was = base[key].outstanding_fen if key in base else 0
    return now - was, ratio(now - was, was)


def _row(key, end: GroupFigures | None, new: int | None, before, year_start, year_ago,
         flows: Flows) -> StatRow:
    out = end.outstanding_fen if end else None
    net = None if before is None or out is None else out - (
        before[key].outstanding_fen if key in before else 0)

    def each(attr):
        return getattr(end, attr) if end else None

    return StatRow(
        *key, each("lent_fen"), new, net, out, *_change(out, year_start, key),
        *_change(out, year_ago, key), each("loans"),
        ratio(end.rate_weight, end.outstanding_fen * 10_000) if end else None,
        each("members"),
        _average(end.line_fen, end.lined_households) if end else None,
        _average(end.outstanding_fen, end.households) if end else None,
        each("overdue_loans"), each("arrears_loans"), flows.claims_fen, flows.recoveries_fen)


def stat_table(session: Session, actor: Principal, first: str, last: str, *,
               today: date) -> StatTable:
    """The 台账统计表 of FIRST..LAST on TODAY (the business date), as ACTOR may see it."""
    check_range(first, last, today)
    bank = actor.bank_code if actor.role == "bank" else None
    current = last == month_of(today)
    months = months_between(first, last)
    year_start, year_ago = f"{int(last[:4]) - 1:04d}-12", shift(last, -12)
    compared = {shift(first, -1), year_start, year_ago}
    taken = _snapshots(session, set(months) | compared, bank)
    snap = session.get(PortfolioSnapshot, last)
    start, end = month_bounds(first)[0], month_bounds(last)[1]
    if current:  # the figures are the book on the day they were taken
        end = snap.as_of if snap is not None else today
    missing = sorted(m for m in set(months) | compared if m not in taken)
    at_end = taken.get(last)
    flows = period_flows(session, start, end, bank)
    total = (bank or ALL, ALL)  # a bank's own book is its (PSBC, '') group
    keys = set(at_end or {}) | set(flows) | {total}
    lent = None if any(m in missing for m in months) else _lent_within(session, months, bank)
    rows = {key: _row(key, (at_end or {}).get(key) or (GroupFigures(*key) if at_end else None),
                      None if lent is None else lent.get(key, 0), taken.get(shift(first, -1)),
                      taken.get(year_start), taken.get(year_ago), flows.get(key, Flows()))
            for key in keys}
    return StatTable(
        first, last, start, end, current, snap.taken_at if snap is not None else None, missing,
        sorted((r for k, r in rows.items() if k[0] and not k[1]), key=lambda r: r.bank_code),
        sorted((r for k, r in rows.items() if k[1] and k[0] == total[0]), key=lambda r: r.town),
        rows[total], None if bank else _fund_end(snap, flows))


def _fund_end(snap: PortfolioSnapshot | None, flows: dict) -> FundEnd | None:
    """The fund at the end month's snapshot (None without one), and the range's recoveries."""
    if snap is None:
        return None
    return FundEnd(snap.balance_fen, snap.capital_fen, snap.outstanding_fen,
                   ratio(snap.outstanding_fen, snap.capital_fen),
                   flows.get((ALL, ALL), Flows()).fund_recoveries_fen)
