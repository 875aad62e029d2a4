"""五级分类, portfolio-at-risk and the interest subsidy: pure functions, no database."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from creditsvc.money import ratio, whole_fen

CLASSES = ("正常", "关注", "次级", "可疑", "损失")
NON_PERFORMING = frozenset({"次级", "可疑", "损失"})


def classify(days_past_due: int) -> str:
    """The 2023 five-class rule: 正常 0; 关注 1-90; 次级 91-270; 可疑 271-360; 损失 over 360."""
    if days_past_due < 0:
        raise ValueError("days past due cannot be negative")
    if days_past_due == 0:
        return "正常"
    if days_past_due <= 90:
        return "关注"
    if days_past_due <= 270:
        return "次级"
    if days_past_due <= 360:
        return "可疑"
    return "损失"


def is_non_performing(classification: str) -> bool:
    """次级, 可疑 and 损失 are non-performing."""
    return classification in NON_PERFORMING


def counted_dpd(reported_dpd: int, as_of: date, extension: tuple[date, date] | None) -> int:
    """Days past due that count: those inside an approved extension window do not.

    The loan is overdue on the days (as_of - reported, as_of]; the window is
    (original maturity, extended maturity].
    """
    if not extension or reported_dpd == 0:
        return reported_dpd
    start, end = extension
    overdue_from = as_of - timedelta(days=reported_dpd)
    overlap = (min(as_of, end) - max(overdue_from, start)).days
    return reported_dpd - max(overlap, 0)


@dataclass(frozen=True)
class LoanPosition:
    """What portfolio figures need of one loan."""

    outstanding_fen: int
    days_past_due: int


@dataclass(frozen=True)
class Portfolio:
    """Portfolio-at-risk ratios by outstanding principal, and the totals per class."""

    outstanding_fen: int
    par30: Decimal
    par90: Decimal
    npl_ratio: Decimal
    by_class_fen: dict[str, int]


def _ratio(part: int, whole: int) -> Decimal:
    return ratio(part, whole) or Decimal("0.0000")  # an empty book has no arrears


def portfolio(loans: Iterable[LoanPosition]) -> Portfolio:
    """PAR30/PAR90 (outstanding of loans over 30/90 days past due ÷ all outstanding), NPL."""
    total = par30 = par90 = 0
    by_class = dict.fromkeys(CLASSES, 0)
    for loan in loans:
        total += loan.outstanding_fen
        by_class[classify(loan.days_past_due)] += loan.outstanding_fen
        if loan.days_past_due > 30:
            par30 += loan.outstanding_fen
        if loan.days_past_due > 90:
            par90 += loan.outstanding_fen
    npl = sum(v for k, v in by_class.items() if k in NON_PERFORMING)
    return Portfolio(total, _ratio(par30, total), _ratio(par90, total), _ratio(npl, total), by_class)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter is 1 to 4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def subsidy_due_fen(interest_due: Iterable[tuple[date, int]], year: int, quarter: int, *,
                    share: Decimal, overdue: bool) -> int:
    """The 财政贴息 due for one loan in one quarter: share x interest falling due in it.

    None while the loan is overdue (or once its subsidy is cancelled): the rule cancels
    the subsidy for a loan that goes overdue.
    """
    if overdue:
        return 0
    start, end = quarter_bounds(year, quarter)
    interest = sum(fen for due_on, fen in interest_due if start <= due_on <= end)
    return whole_fen(Decimal(interest) * share)
