"""五级分类 (the 2023 five-class rule), non-performing loans and portfolio-at-risk ratios."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from lending.money import ratio

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


def non_performing_fen(by_class_fen: Mapping[str, int]) -> int:
    """The outstanding of the non-performing classes (次级+可疑+损失) in a per-class total."""
    return sum(fen for name, fen in by_class_fen.items() if name in NON_PERFORMING)


def at_risk_ratios(outstanding_fen: int, over_30_fen: int, over_90_fen: int,
                   npl_fen: int) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """PAR30, PAR90 and the NPL ratio as shares of outstanding principal (None: empty book).

    Ratios of principal, not of counts: one large loan in arrears weighs what it risks.
    """
    return (ratio(over_30_fen, outstanding_fen), ratio(over_90_fen, outstanding_fen),
            ratio(npl_fen, outstanding_fen))


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
    # An empty book has no arrears: its ratios are zero here, not unknown.
    ratios = (r or Decimal("0.0000") for r in at_risk_ratios(total, par30, par90,
                                                               non_performing_fen(by_class)))
    return Portfolio(total, *ratios, by_class)
