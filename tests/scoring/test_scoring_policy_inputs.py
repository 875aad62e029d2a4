"""Policy round trip and validation; input to_dict/from_dict round trips."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_factories import make_input

from scoring.features import FEATURES, derive_features
from scoring.inputs import (
    AssessmentInput,
    Guarantees,
    HouseholdFile,
    InputError,
    LoanRequest,
    Member,
    MonitoringEvent,
    PastLoan,
)
from scoring.policy import DEFAULT_POLICY, Policy, PolicyError
from scoring.vocab import HOUSEHOLD_STATUSES, INCOME_SOURCES, MEMBER_RELATIONS, PURPOSES


def test_policy_round_trips_through_json():
    text = json.dumps(DEFAULT_POLICY.to_dict())
    again = Policy.from_dict(json.loads(text))
    assert again == DEFAULT_POLICY
    assert hash(again) == hash(DEFAULT_POLICY)
    assert DEFAULT_POLICY.to_dict()["household_cap"] == "50000"


@pytest.mark.parametrize(("change", "message"), [
    ({"bank_shares": [["PSBC", "0.60"], ["ABC", "0.30"]]}, "sum to 1"),
    ({"grade_bands": [["AAA", 70, "50000"], ["AA", 80, "30000"]]}, "descending"),
    ({"grade_bands": [["AAA", 80, "10000"], ["AA", 70, "30000"]]}, "limits"),
    ({"amount_min": "60000"}, "amount_min <= amount_max"),
    ({"term_min": 0}, "term"),
    ({"grey_pd_low": "0.5", "grey_pd_high": "0.2"}, "grey band"),
    ({"lpr_table": [["2025-05-20", "0.03", "0.035"], ["2024-10-21", "0.031", "0.036"]]},
     "ascending"),
    ({"fund_loss_share": "1.5"}, "fund_loss_share"),
    ({"amount_max": "lots"}, "not a decimal"),
    ({"leverage": "10"}, "expected an integer"),
    ({"surprise": 1}, "unknown field"),
])
def test_policy_validation_rejects_bad_values(change, message):
    data = {**DEFAULT_POLICY.to_dict(), **change}
    with pytest.raises(PolicyError, match=message):
        Policy.from_dict(data)


def test_lpr_cap_picks_term_and_effective_date():
    p = DEFAULT_POLICY
    assert p.lpr_cap(12, dt.date(2025, 5, 19)) == Decimal("0.0310")
    assert p.lpr_cap(12, dt.date(2025, 5, 20)) == Decimal("0.0300")
    assert p.lpr_cap(13, dt.date(2025, 5, 20)) == Decimal("0.0350")
    assert p.lpr_cap(36, dt.date(2024, 12, 1)) == Decimal("0.0360")
    with pytest.raises(PolicyError, match="no LPR"):
        p.lpr_cap(12, dt.date(2020, 1, 1))


@pytest.mark.parametrize(("score", "grade", "limit"), [
    (100, "AAA", "50000"), (80, "AAA", "50000"), (79.99, "AA", "30000"), (70, "AA", "30000"),
    (69.99, "A", "10000"), (60, "A", "10000"), (59.99, None, None), (0, None, None),
])
def test_grades_at_band_edges(score, grade, limit):
    assert DEFAULT_POLICY.grade_for(score) == (grade, None if limit is None else Decimal(limit))


def test_input_from_dict_rejects_malformed():
    data = make_input().to_dict()
    data["request"]["amount"] = 10000.5  # a float is not money
    with pytest.raises(InputError, match="amount"):
        AssessmentInput.from_dict(data)
    data = make_input().to_dict()
    del data["household"]["status"]
    with pytest.raises(InputError, match="status"):
        AssessmentInput.from_dict(data)


dates = st.dates(dt.date(1940, 1, 1), dt.date(2030, 12, 31))
money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)
maybe_bool = st.none() | st.booleans()
members = st.builds(Member, st.sampled_from(MEMBER_RELATIONS), st.none() | dates, maybe_bool,
                    st.booleans(), st.booleans(), st.booleans())
households = st.builds(
    HouseholdFile, st.none() | dates, maybe_bool, st.none() | st.sampled_from(HOUSEHOLD_STATUSES),
    st.lists(members, max_size=6).map(tuple), st.none() | money,
    st.lists(st.sampled_from(INCOME_SOURCES), max_size=4).map(tuple), st.none() | money,
    st.none() | money, st.builds(Guarantees, maybe_bool, maybe_bool, maybe_bool, maybe_bool,
                                 maybe_bool),
    maybe_bool, maybe_bool,
    st.lists(st.builds(MonitoringEvent, st.sampled_from(["disaster", "income_drop"]), dates),
             max_size=3).map(tuple),
    st.booleans())
inputs = st.builds(
    AssessmentInput, households,
    st.builds(LoanRequest, money, st.integers(0, 60), st.sampled_from(PURPOSES), dates),
    st.lists(st.builds(PastLoan, money, money, st.integers(0, 400), st.booleans()),
             max_size=3).map(tuple),
    money)


@settings(max_examples=150, deadline=None)
@given(inputs)
def test_input_round_trip_and_features_never_crash(inp):
    data = json.loads(json.dumps(inp.to_dict()))
    again = AssessmentInput.from_dict(data)
    assert again == inp
    assert again.to_dict() == inp.to_dict()
    features = derive_features(inp)
    assert set(features) == {f.name for f in FEATURES}
    json.dumps(features, allow_nan=False)


def test_decimal_places_survive_round_trip():
    inp = make_input(amount="12000.50")
    again = AssessmentInput.from_dict(inp.to_dict())
    assert str(again.request.amount) == "12000.50"
    assert dataclasses.asdict(again) == dataclasses.asdict(inp)
