"""Decision combinations, approved amounts, replay."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from scoring_factories import APPLIED, clean_loan, make_household, make_input

from scoring.decision import ReplayError, assess, replay
from scoring.inputs import MonitoringEvent
from scoring.policy import Policy


class FixedCard:
    """A stand-in scorecard returning a chosen score and PD (the real one is tested apart)."""

    sha256 = "f" * 64
    version = "f" * 12

    def __init__(self, score, pd):
        from scoring.scorecard import ScoreResult
        self.result = ScoreResult(score, pd, (), ())

    def score(self, features):
        return self.result


def codes(a):
    return [r.code for r in a.reasons]


@pytest.mark.parametrize(("score", "grade", "limit"), [
    (85, "AAA", "50000"), (80, "AAA", "50000"), (79.99, "AA", "30000"), (70, "AA", "30000"),
    (60, "A", "10000"),
])
def test_approved_within_grade_limit(policy, score, grade, limit):
    a = assess(make_input(amount="10000"), policy, FixedCard(score, 0.02))
    assert (a.decision, a.grade, a.limit) == ("approved", grade, Decimal(limit))
    assert a.approved_amount == Decimal("10000.00")
    assert a.line_expires_on == dt.date(2027, 6, 15)


def test_amount_above_grade_limit_is_referred(policy):
    a = assess(make_input(amount="10000.01"), policy, FixedCard(65, 0.02))
    assert a.decision == "referred" and codes(a) == ["amount_above_limit"]
    assert a.approved_amount is None


def test_unrated_score_is_referred_not_declined(policy):
    a = assess(make_input(), policy, FixedCard(59.99, 0.05))
    assert a.decision == "referred" and codes(a) == ["unrated"] and a.grade is None


@pytest.mark.parametrize(("pd", "decision"), [(0.1499, "approved"), (0.15, "referred"),
                                               (0.9, "referred")])
def test_grey_band_pd_is_referred(policy, pd, decision):
    a = assess(make_input(), policy, FixedCard(90, pd))
    assert a.decision == decision
    assert ("pd_grey_band" in codes(a)) == (decision == "referred")


def test_hard_rule_failure_declines_even_with_top_score(policy):
    a = assess(make_input(purpose="wedding_funeral", amount="999.99"), policy, FixedCard(99, 0.01))
    assert a.decision == "declined"
    assert codes(a) == ["rule:amount_bounds", "rule:purpose_allowed"]
    assert a.approved_amount is None


def test_refer_rules_refer(policy):
    shock = MonitoringEvent("serious_illness", APPLIED - dt.timedelta(days=30))
    hh = make_household(monitoring_events=(shock,), productive_assets=None)
    a = assess(make_input(hh), policy, FixedCard(90, 0.01))
    assert a.decision == "referred"
    assert codes(a) == ["rule:file_complete", "rule:recent_shock"]


def test_decline_beats_refer(policy):
    hh = make_household(productive_assets=None, bad_credit_flag=True)
    a = assess(make_input(hh), policy, FixedCard(30, 0.5))
    assert a.decision == "declined" and codes(a) == ["rule:no_bad_credit"]


def test_approved_amount_capped_by_household_headroom(policy):
    # Grade limit 50,000 but the programme cap leaves 20,000 headroom: the rule
    # passes only for amounts within headroom, so the approved amount stays the request.
    a = assess(make_input(amount="20000", outstanding="30000"), policy, FixedCard(90, 0.01))
    assert a.decision == "approved" and a.approved_amount == Decimal("20000.00")
    b = assess(make_input(amount="20000.01", outstanding="30000"), policy, FixedCard(90, 0.01))
    assert b.decision == "declined" and codes(b) == ["rule:household_cap"]


def test_policy_changes_grades(policy):
    lenient = dataclasses.replace(policy, version=2, grade_bands=(
        ("AAA", 70, Decimal(50000)), ("AA", 50, Decimal(30000))))
    a = assess(make_input(amount="20000"), lenient, FixedCard(55, 0.02))
    assert (a.decision, a.grade, a.policy_version) == ("approved", "AA", 2)


def test_real_scorecard_assessment_is_jsonable_and_replays(policy, bootstrap_card):
    inp = make_input(past_loans=[clean_loan()], amount="8000")
    a = assess(inp, policy, bootstrap_card)
    data = json.loads(json.dumps(a.to_dict(), allow_nan=False))
    assert data["model_sha256"] == bootstrap_card.sha256 and data["policy_version"] == 1
    assert len(data["points"]) == len(bootstrap_card.features)
    assert data["rate_cap"] == "0.0300"
    again = replay(data, policy, bootstrap_card)
    assert again == a
    assert again.to_dict() == a.to_dict()


def test_replay_refuses_other_policy_or_model(policy, bootstrap_card):
    data = assess(make_input(), policy, bootstrap_card).to_dict()
    with pytest.raises(ReplayError, match="policy"):
        replay(data, Policy(version=2), bootstrap_card)
    with pytest.raises(ReplayError, match="model"):
        replay(data, policy, FixedCard(90, 0.01))


def _json_native(value) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and _json_native(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_native(v) for v in value)
    return type(value) in (str, int, float, bool) or value is None


def test_to_dict_is_stored_as_is_so_it_must_be_json_native(policy, bootstrap_card):
    """Submission stores to_dict() without a JSON round trip: it must already be one."""
    from scoring.synthetic import generate_inputs

    on = dt.date(2026, 6, 1)
    for inp, _ in generate_inputs(300, seed=7):
        inp = dataclasses.replace(inp, request=dataclasses.replace(inp.request,
                                                                   application_date=on))
        data = assess(inp, policy, bootstrap_card).to_dict()
        assert _json_native(data)
        assert json.loads(json.dumps(data, allow_nan=False)) == data
