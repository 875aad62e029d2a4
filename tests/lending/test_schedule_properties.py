"""Schedules, accrual and allocation: properties over any loan the programme can make."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lending import schedule
from lending.dates import add_months

PRINCIPAL = st.integers(100_000, 5_000_000)  # ¥1,000 to ¥50,000 in fen
RATE = st.integers(1, 600)  # basis points
TERM = st.integers(1, 36)
START = st.dates(date(2024, 1, 1), date(2030, 12, 31))
KIND = st.sampled_from(schedule.SCHEDULES)


@given(KIND, PRINCIPAL, RATE, START, TERM)
def test_principal_parts_add_up_exactly_to_the_principal(kind, principal, rate, start, term):
    items = schedule.build(kind, principal, rate, start, term)
    assert sum(i.principal_fen for i in items) == principal
    assert all(i.principal_fen >= 0 and i.interest_fen >= 0 for i in items)
    assert items[-1].due_on == add_months(start, term)
    assert [i.due_on for i in items] == sorted({i.due_on for i in items})


@given(PRINCIPAL, RATE, START, TERM, st.integers(0, 2000))
def test_accrued_interest_grows_with_time_and_is_never_negative(principal, rate, start, term, days):
    later = add_months(start, term)
    first = schedule.accrued_unpaid_interest([], principal, rate, start, later)
    second = schedule.accrued_unpaid_interest([], principal, rate, start,
                                              date.fromordinal(later.toordinal() + days))
    assert 0 <= first <= second


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), max_size=12),
       st.integers(0, 200_000), st.integers(0, 200_000))
def test_allocation_takes_earliest_first_and_never_more_than_owed(unpaid, principal, interest):
    taken = schedule.allocate(unpaid, principal, interest)
    assert len(taken) == len(unpaid)
    assert all(0 <= p <= op and 0 <= i <= oi for (p, i), (op, oi) in zip(taken, unpaid, strict=True))
    assert sum(p for p, _ in taken) == min(principal, sum(op for op, _ in unpaid))
    assert sum(i for _, i in taken) == min(interest, sum(oi for _, oi in unpaid))
    # Earliest first: a due date is left partly unpaid only once the payment is used up.
    for n, ((p, _), (op, _)) in enumerate(zip(taken, unpaid, strict=True)):
        if p < op:
            assert all(q == 0 for q, _ in taken[n + 1:])
