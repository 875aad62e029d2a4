"""Business dates: months on a loan's own day, quarters, extension windows."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lending import dates

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


@pytest.mark.parametrize("day,months,expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)), (date(2026, 5, 15), 0, date(2026, 5, 15)),
    (date(2026, 3, 31), -1, date(2026, 2, 28))])
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert dates.add_months(day, months) == expected


@given(DAYS, st.integers(0, 240))
def test_add_months_moves_whole_months_and_never_past_the_day(day, months):
    later = dates.add_months(day, months)
    assert dates.months_between(day, later) == months
    assert later.day <= day.day
    assert dates.days_between(day, later) >= 0


@given(DAYS, DAYS)
def test_days_between_is_antisymmetric(a, b):
    assert dates.days_between(a, b) == -dates.days_between(b, a) == (b - a).days


@given(st.integers(2000, 2080))
def test_the_four_quarters_tile_the_year(year):
    bounds = [dates.quarter_bounds(year, q) for q in (1, 2, 3, 4)]
    assert bounds[0][0] == date(year, 1, 1) and bounds[-1][1] == date(year, 12, 31)
    for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
        assert start == end + timedelta(days=1)


def test_a_fifth_quarter_is_refused():
    with pytest.raises(ValueError):
        dates.quarter_bounds(2026, 5)


def test_extension_window_runs_from_the_original_to_the_extended_maturity():
    assert dates.extension_window(date(2026, 1, 31), 12, 0, date(2027, 1, 31)) is None
    assert dates.extension_window(date(2026, 1, 31), 12, 6, date(2027, 7, 31)) == (
        date(2027, 1, 31), date(2027, 7, 31))
    assert dates.maturity(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_a_date_is_in_the_future_only_after_the_business_date():
    today = date(2026, 12, 1)
    assert not dates.in_future(today, today) and dates.in_future(date(2026, 12, 2), today)


@given(DAYS, st.integers(-400, 400))
def test_days_past_due_are_bounded_by_the_days_since_the_first_due_date(first_due, offset):
    as_of = first_due + timedelta(days=offset)
    most = dates.max_days_past_due(first_due, as_of)
    assert most == max(0, offset)


def test_nothing_can_be_past_due_before_the_first_instalment_falls_due():
    assert dates.max_days_past_due(date(2026, 4, 5), date(2026, 4, 4)) == 0
    assert dates.max_days_past_due(date(2026, 4, 5), date(2026, 4, 5)) == 0
    assert dates.max_days_past_due(date(2026, 4, 5), date(2026, 7, 9)) == 95


def test_a_credit_line_runs_through_its_expiry_day():
    from scoring.decision import credit_line_expires_on

    expires = credit_line_expires_on(date(2026, 1, 5), 2)
    assert expires == date(2028, 1, 5)
    assert dates.credit_line_in_force(expires, date(2028, 1, 5))
    assert not dates.credit_line_in_force(expires, date(2028, 1, 6))
    assert credit_line_expires_on(date(2028, 2, 29), 2) == date(2030, 2, 28)
