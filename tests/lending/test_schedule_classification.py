"""Schedules, 五级分类 and PAR: pure functions."""

from datetime import date
from decimal import Decimal

import pytest

from lending import classification as cls
from lending import schedule
from lending.dates import add_months, months_between, quarter_bounds


@pytest.mark.parametrize("dpd,expected", [(0, "正常"), (1, "关注"), (90, "关注"), (91, "次级"),
                                          (270, "次级"), (271, "可疑"), (360, "可疑"), (361, "损失")])
def test_five_classes_at_their_edges(dpd, expected):
    assert cls.classify(dpd) == expected
    assert cls.is_non_performing(expected) == (dpd > 90)


def test_negative_dpd_is_refused():
    with pytest.raises(ValueError):
        cls.classify(-1)


@pytest.mark.parametrize("kind", schedule.SCHEDULES)
@pytest.mark.parametrize("principal,term", [(5_000_000, 36), (100_001, 1), (3_333_333, 7), (100_000, 12)])
def test_principal_parts_sum_exactly(kind, principal, term):
    items = schedule.build(kind, principal, 345, date(2026, 1, 31), term)
    assert sum(i.principal_fen for i in items) == principal
    assert all(i.principal_fen >= 0 and i.interest_fen >= 0 for i in items)
    assert items[-1].due_on == add_months(date(2026, 1, 31), term)
    assert [i.seq for i in items] == list(range(1, len(items) + 1))


def test_interest_quarterly_pays_principal_at_maturity():
    items = schedule.interest_quarterly(1_000_000, 360, date(2026, 1, 1), 12)
    assert [i.due_on for i in items] == [date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1),
                                        date(2027, 1, 1)]
    assert [i.principal_fen for i in items] == [0, 0, 0, 1_000_000]
    assert items[0].interest_fen == 9000  # 10,000 yuan x 3.6% x 90/360 = 90.00


def test_equal_instalments_are_level():
    items = schedule.equal_instalments(1_200_000, 360, date(2026, 1, 15), 12)
    totals = {i.principal_fen + i.interest_fen for i in items[:-1]}
    assert max(totals) - min(totals) <= 1
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_extension_days_do_not_count():
    window = (date(2026, 6, 30), date(2026, 12, 30))
    assert cls.counted_dpd(40, date(2026, 8, 9), window) == 0
    assert cls.counted_dpd(10, date(2027, 1, 9), window) == 10
    assert cls.counted_dpd(200, date(2027, 1, 9), window) == 200 - 183
    assert cls.counted_dpd(40, date(2026, 8, 9), None) == 40


def test_par_by_outstanding_principal_not_count():
    book = [cls.LoanPosition(9_000_000, 0), cls.LoanPosition(500_000, 31),
            cls.LoanPosition(500_000, 120)]
    p = cls.portfolio(book)
    assert p.par30 == Decimal("0.1000") and p.par90 == Decimal("0.0500")
    assert p.npl_ratio == Decimal("0.0500")
    assert p.by_class_fen["关注"] == 500_000 and p.by_class_fen["次级"] == 500_000
    assert cls.portfolio([]).par30 == Decimal("0.0000")


def test_quarter_bounds():
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))


def test_accrued_unpaid_interest_follows_the_principal_actually_outstanding():
    from lending.schedule import accrued_unpaid_interest

    start, sep1 = date(2026, 1, 5), date(2026, 9, 1)
    # Nothing paid: 239 days on ¥10,000 at 3.00%/360 = 199.1667 -> 19,917 fen.
    assert accrued_unpaid_interest([], 1_000_000, 300, start, sep1) == 19_917
    # The first quarter's interest paid on 5 Apr: 19,917 - 7,500.
    assert accrued_unpaid_interest([(date(2026, 4, 5), 0, 7_500)], 1_000_000, 300, start, sep1) == 12_417
    # ¥3,000 prepaid on 5 Apr: 90 days on ¥10,000 (7,500) + 149 days on ¥7,000 (8,691.67).
    assert accrued_unpaid_interest([(date(2026, 4, 5), 300_000, 7_500)], 1_000_000, 300, start,
                                   sep1) == 8_692
    # A repayment after AS_OF is not counted yet; 30 days before the first due date = 2,500.
    assert accrued_unpaid_interest([(date(2026, 4, 5), 0, 7_500)], 1_000_000, 300, start,
                                   date(2026, 2, 4)) == 2_500
    assert accrued_unpaid_interest([(date(2026, 1, 20), 0, 9_999)], 1_000_000, 300, start,
                                   date(2026, 2, 4)) == 0


@pytest.mark.parametrize("kind", schedule.SCHEDULES)
@pytest.mark.parametrize("disbursed", [date(2026, 1, 31), date(2026, 3, 15)])
def test_an_extension_lays_the_tail_again_to_the_new_maturity(kind, disbursed):
    items = schedule.build(kind, 1_000_000, 300, disbursed, 12)
    kept = [i for i in items if i.due_on <= add_months(disbursed, 7)]
    tail_principal = sum(i.principal_fen for i in items[len(kept):])
    new = schedule.extended_tail(kind, 300, disbursed, 12, 6, kept[-1].due_on, tail_principal,
                                 len(kept) + 1)
    whole = kept + new
    assert sum(i.principal_fen for i in whole) == 1_000_000  # not a fen lost or made
    assert [i.seq for i in whole] == list(range(1, len(whole) + 1))
    assert whole[-1].due_on == add_months(disbursed, 18)  # on the loan's own day
    assert all(i.due_on == add_months(disbursed, months_between(disbursed,
                                                                                  i.due_on))
               for i in new)
    # The extra months carry interest: more is scheduled than the original tail had.
    assert sum(i.interest_fen for i in new) > sum(i.interest_fen for i in items[len(kept):])
    if kind == "interest_quarterly":
        assert [i.principal_fen for i in new] == [0] * (len(new) - 1) + [1_000_000]
    else:
        assert len(new) == 12 + 6 - len(kept)
