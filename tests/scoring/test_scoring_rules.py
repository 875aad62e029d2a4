"""Each hard and refer rule at and beyond its thresholds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from scoring_factories import APPLIED, clean_loan, make_household, make_input

from scoring.inputs import Member, MonitoringEvent
from scoring.rules import evaluate_rules
from scoring.vocab import ALLOWED_PURPOSES, BANNED_PURPOSES


def outcome(inp, policy, rule_id):
    return next(r for r in evaluate_rules(inp, policy) if r.id == rule_id)


@pytest.mark.parametrize(("amount", "expected"), [
    ("999.99", "fail"), ("1000", "pass"), ("1000.00", "pass"), ("50000", "pass"),
    ("50000.01", "fail"), ("0", "fail"),
])
def test_amount_bounds(policy, amount, expected):
    assert outcome(make_input(amount=amount), policy, "amount_bounds").outcome == expected


@pytest.mark.parametrize(("term", "expected"), [(0, "fail"), (1, "pass"), (36, "pass"), (37, "fail")])
def test_term_bounds(policy, term, expected):
    assert outcome(make_input(term_months=term), policy, "term_bounds").outcome == expected


def born_years_before(years: int, days: int = 0) -> dt.date:
    return APPLIED.replace(year=APPLIED.year - years) + dt.timedelta(days=days)


@pytest.mark.parametrize(("birth", "age", "expected"), [
    (born_years_before(17), 17, "fail"),
    (born_years_before(18, days=1), 17, "fail"),  # 18th birthday is tomorrow
    (born_years_before(18), 18, "pass"),           # 18th birthday today
    (born_years_before(65), 65, "pass"),
    (born_years_before(66, days=1), 65, "pass"),   # 66th birthday tomorrow
    (born_years_before(66), 66, "fail"),
])
def test_age_on_application_date(policy, birth, age, expected):
    result = outcome(make_input(make_household(borrower_birth_date=birth)), policy, "borrower_age")
    assert (result.value, result.outcome) == (age, expected)


def test_unknown_birth_date_refers(policy):
    inp = make_input(make_household(borrower_birth_date=None))
    assert outcome(inp, policy, "borrower_age").outcome == "refer"


@pytest.mark.parametrize(("status", "expected"), [
    ("registered_poor", "pass"), ("lifted", "pass"), ("monitored_edge", "pass"),
    ("not_poor", "fail"), (None, "refer"),
])
def test_household_status(policy, status, expected):
    inp = make_input(make_household(status=status))
    assert outcome(inp, policy, "household_status").outcome == expected


def test_labour_capacity(policy):
    ok = make_input()
    incapable = make_input(make_household(borrower_labour_capable=False))
    unknown = make_input(make_household(borrower_labour_capable=None,
                                        members=(Member("spouse", None, True),)))
    assert outcome(ok, policy, "labour_capacity").outcome == "pass"
    assert outcome(incapable, policy, "labour_capacity").outcome == "fail"
    assert outcome(unknown, policy, "labour_capacity").outcome == "refer"


def test_overdue_programme_loan_fails(policy):
    assert outcome(make_input(past_loans=[clean_loan()]), policy, "no_overdue_loan").outcome == "pass"
    overdue = make_input(past_loans=[clean_loan(), clean_loan(currently_overdue=True, worst_dpd=40)])
    result = outcome(overdue, policy, "no_overdue_loan")
    assert (result.value, result.outcome) == (1, "fail")


def test_bad_credit_flag_fails(policy):
    inp = make_input(make_household(bad_credit_flag=True))
    assert outcome(inp, policy, "no_bad_credit").outcome == "fail"


@pytest.mark.parametrize("purpose", ALLOWED_PURPOSES)
def test_allowed_purposes_pass(policy, purpose):
    assert outcome(make_input(purpose=purpose), policy, "purpose_allowed").outcome == "pass"


@pytest.mark.parametrize(("purpose", "words"), [
    ("house_building", "house building"), ("wedding_funeral", "weddings and funerals"),
    ("consumption", "consumption"), ("wealth_management", "wealth-management"),
    ("company_share", "company as a share"), ("relending", "relending"),
])
def test_each_banned_purpose_fails_with_its_reason(policy, purpose, words):
    assert purpose in BANNED_PURPOSES
    result = outcome(make_input(purpose=purpose), policy, "purpose_allowed")
    assert result.outcome == "fail"
    assert words in result.text_en and "不得用于" in result.text_zh


def test_unknown_purpose_fails(policy):
    assert outcome(make_input(purpose="gambling"), policy, "purpose_allowed").outcome == "fail"


@pytest.mark.parametrize(("outstanding", "amount", "expected"), [
    ("40000", "10000", "pass"), ("40000.01", "10000", "fail"), ("0", "50000", "pass"),
    ("49000", "1000", "pass"), ("49000", "1000.01", "fail"),
])
def test_household_cap(policy, outstanding, amount, expected):
    inp = make_input(outstanding=outstanding, amount=amount)
    assert outcome(inp, policy, "household_cap").outcome == expected


def test_incomplete_file_lists_missing_fields(policy):
    hh = make_household(per_capita_income=None, skills_training=None,
                        guarantees=dataclasses.replace(make_household().guarantees, medical=None))
    result = outcome(make_input(hh), policy, "file_complete")
    assert result.outcome == "refer"
    assert result.value == ["per_capita_income", "skills_training", "guarantees.medical"]
    assert outcome(make_input(), policy, "file_complete").outcome == "pass"


@pytest.mark.parametrize(("days_ago", "expected"), [(0, "refer"), (365, "refer"), (366, "pass")])
def test_recent_shock_lookback(policy, days_ago, expected):
    event = MonitoringEvent("disaster", APPLIED - dt.timedelta(days=days_ago))
    inp = make_input(make_household(monitoring_events=(event,)))
    assert outcome(inp, policy, "recent_shock").outcome == expected


def test_thresholds_come_from_the_policy(policy):
    strict = dataclasses.replace(policy, amount_max=Decimal(20000), household_cap=Decimal(20000),
                                 age_max=60)
    inp = make_input(make_household(borrower_birth_date=born_years_before(62)), amount="30000")
    assert outcome(inp, policy, "amount_bounds").outcome == "pass"
    assert outcome(inp, strict, "amount_bounds").outcome == "fail"
    assert outcome(inp, strict, "borrower_age").outcome == "fail"
    assert outcome(inp, strict, "amount_bounds").threshold == ["1000", "20000"]


def test_every_rule_result_is_jsonable(policy):
    import json
    for result in evaluate_rules(make_input(past_loans=[clean_loan()]), policy):
        assert result.outcome in ("pass", "fail", "refer")
        json.dumps(result.to_dict())
