"""五级分类 and the portfolio ratios: properties over any days past due and any book."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lending import classification as cls

DPD = st.integers(0, 5000)
BOOK = st.lists(st.builds(cls.LoanPosition, st.integers(0, 5_000_000), DPD), max_size=40)


@given(DPD, DPD)
def test_the_class_never_improves_as_days_past_due_rise(a, b):
    low, high = sorted((a, b))
    assert cls.CLASSES.index(cls.classify(low)) <= cls.CLASSES.index(cls.classify(high))


@given(DPD)
def test_non_performing_is_exactly_over_90_days(dpd):
    assert cls.is_non_performing(cls.classify(dpd)) == (dpd > 90)


@given(st.integers(0, 800), st.dates(date(2024, 1, 1), date(2030, 1, 1)),
       st.integers(0, 400), st.integers(1, 184))
def test_extension_days_only_ever_remove_days(dpd, as_of, since_start, length):
    start = as_of - timedelta(days=since_start)
    counted = cls.counted_dpd(dpd, as_of, (start, start + timedelta(days=length)))
    assert 0 <= counted <= dpd
    assert cls.counted_dpd(dpd, as_of, None) == dpd


@given(BOOK)
def test_portfolio_ratios_are_shares_of_outstanding_principal(book):
    p = cls.portfolio(book)
    assert p.outstanding_fen == sum(loan.outstanding_fen for loan in book)
    assert sum(p.by_class_fen.values()) == p.outstanding_fen
    assert Decimal(0) <= p.par90 <= p.par30 <= Decimal(1)
    assert p.npl_ratio == p.par90  # non-performing starts at 91 days, as PAR90 does
    if p.outstanding_fen:
        over_30 = sum(loan.outstanding_fen for loan in book if loan.days_past_due > 30)
        assert abs(p.par30 - Decimal(over_30) / p.outstanding_fen) <= Decimal("0.00005")


def test_at_risk_ratios_of_an_empty_book_are_unknown():
    assert cls.at_risk_ratios(0, 0, 0, 0) == (None, None, None)
    assert cls.at_risk_ratios(1000, 300, 100, 100) == (Decimal("0.3000"), Decimal("0.1000"),
                                                        Decimal("0.1000"))
    assert cls.non_performing_fen({"正常": 5, "关注": 7, "次级": 1, "可疑": 2, "损失": 4}) == 7
