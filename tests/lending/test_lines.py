"""lending.lines: when a credit line holds, and what it leaves."""

from dataclasses import replace
from datetime import date

import pytest

from lending.lines import LineFacts, available_fen, why_no_line

HOLDS = LineFacts("active", date(2026, 6, 1), date(2028, 5, 31), "lifted",
                  ("registered_poor", "lifted", "monitored_edge"), False, 0)


@pytest.mark.parametrize(("on", "why"), [
    (date(2026, 6, 1), None),
    (date(2028, 5, 31), None),  # the last day is inclusive
    (date(2028, 6, 1), ("credit_line_lapsed", {"expired_on": "2028-05-31"})),
    (date(2026, 5, 31), ("credit_line_not_yet_valid", {"valid_from": "2026-06-01"})),
])
def test_a_line_holds_from_its_first_day_through_its_last(on, why):
    assert why_no_line(HOLDS, on) == why


@pytest.mark.parametrize(("change", "code"), [
    ({"household_status": "not_poor"}, "credit_line_status_changed"),
    ({"household_status": None}, "credit_line_status_changed"),
    ({"bad_credit": True}, "credit_line_bad_credit"),
    ({"overdue_loans": 1}, "credit_line_overdue"),
    ({"status": "revoked"}, "credit_line_revoked"),
    ({"status": "replaced"}, "credit_line_lapsed"),
])
def test_a_household_no_longer_eligible_or_a_line_withdrawn_is_no_line(change, code):
    assert why_no_line(replace(HOLDS, **change), date(2027, 1, 1))[0] == code


def test_what_a_line_leaves_is_the_line_less_what_is_owed_never_below_zero():
    assert available_fen(3_000_000, 1_000_000) == 2_000_000
    assert available_fen(3_000_000, 3_500_000) == 0
