"""The interest subsidy's rules: share x contract interest paid in the quarter before it stopped."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lending.classification import counted_dpd
from lending.subsidy import overdue_since, quarter_subsidy, stopped_on

CAP = 5_000_000  # ¥50,000 of principal
PAID = [(date(2026, 4, 5), 7500), (date(2026, 5, 20), 2000), (date(2026, 7, 5), 7583)]


def q2(paid=PAID, *, share="1.00", stopped=None, principal=1_000_000):
    return quarter_subsidy(paid, 2026, 2, share=Decimal(share), stopped=stopped,
                           principal_fen=principal, principal_cap_fen=CAP)


def test_share_of_the_interest_paid_in_the_quarter():
    assert q2() == (q2().__class__(9500, 9500, 9500))
    assert q2(share="0.80").subsidy_fen == 7600
    assert q2(share="0.333").subsidy_fen == 3164  # 3163.5 rounds half up, once per loan


def test_nothing_from_the_day_it_stopped():
    # Paid on the day before: counted; on the day itself and after: not.
    assert q2(stopped=date(2026, 5, 20)) == q2().__class__(9500, 7500, 7500)
    assert q2(stopped=date(2026, 5, 21)).subsidy_fen == 9500
    assert q2(stopped=date(2026, 4, 5)).subsidy_fen == 0
    assert q2(stopped=date.min).interest_paid_fen == 9500  # still shown, nothing subsidised


def test_principal_above_the_cap_is_subsidised_pro_rata():
    assert q2(principal=10_000_000).subsidy_fen == 4750  # half of ¥100,000 is covered


def test_the_first_overdue_day():
    # 15 days past due on 20 Jul: overdue on (5 Jul, 20 Jul], from 6 Jul.
    assert overdue_since(15, date(2026, 7, 20), None) == date(2026, 7, 6)
    assert overdue_since(1, date(2026, 7, 6), None) == date(2026, 7, 6)
    # Inside an extension window (5 Jan, 5 Jul]: the counted days begin after it.
    window = (date(2026, 1, 5), date(2026, 7, 5))
    assert overdue_since(190, date(2026, 7, 20), window) == date(2026, 7, 6)
    assert overdue_since(250, date(2026, 7, 20), window) == date(2025, 11, 13)


@given(st.integers(1, 400), st.integers(0, 200), st.integers(0, 300))
def test_the_first_overdue_day_agrees_with_the_counted_days(dpd, start_offset, length):
    as_of = date(2027, 6, 30)
    start = date.fromordinal(as_of.toordinal() - start_offset - length)
    window = (start, date.fromordinal(start.toordinal() + length))
    counted = counted_dpd(dpd, as_of, window)
    if counted > 0:
        first = overdue_since(dpd, as_of, window)
        # The counted days run from the first overdue day to as_of, less any window after it.
        assert first <= as_of and counted <= (as_of - first).days + 1


def test_the_earlier_cause_wins():
    assert stopped_on(None, date(2026, 5, 10)) == date(2026, 5, 10)
    assert stopped_on(date(2026, 4, 6), date(2026, 5, 10)) == date(2026, 4, 6)
    assert stopped_on(date(2026, 6, 1), date(2026, 5, 10)) == date(2026, 5, 10)


@given(st.lists(st.tuples(st.dates(date(2025, 12, 1), date(2026, 8, 1)), st.integers(0, 10_000)),
                max_size=8),
       st.decimals(0, 1, places=2), st.none() | st.dates(date(2026, 1, 1), date(2026, 9, 1)))
def test_never_more_than_the_share_of_what_was_paid(paid, share, stopped):
    out = q2(paid, share=str(share), stopped=stopped)
    assert 0 <= out.subsidy_fen <= out.interest_counted_fen <= out.interest_paid_fen
    assert out.interest_paid_fen == sum(f for d, f in paid if date(2026, 4, 1) <= d <= date(2026, 6, 30))
