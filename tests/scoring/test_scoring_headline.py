"""The headline (scoring.headline) decides exactly as assess does, over varied inputs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from scoring_factories import APPLIED, clean_loan, make_household, make_input

from scoring.decision import assess
from scoring.features import derive_features
from scoring.headline import decide, feature_columns, outcome_letters, rule_outcomes
from scoring.inputs import Guarantees, Member, MonitoringEvent

STATUSES = ("registered_poor", "lifted", "monitored_edge", "not_poor", None)
PURPOSES = ("planting", "husbandry", "small_business", "house_building", "consumption", "unknown")


def _maybe(rng, value, none_share=0.1):
    return None if rng.random() < none_share else value


def varied_input(rng: random.Random):
    """A household file and request drawn from wide ranges, missing values included."""
    members = tuple(Member(rng.choice(("spouse", "child", "parent")),
                           _maybe(rng, dt.date(rng.randint(1940, 2020), 1 + rng.randint(0, 11), 1)),
                           _maybe(rng, rng.random() < 0.6), chronic_illness=rng.random() < 0.2,
                           disability=rng.random() < 0.1, in_school=rng.random() < 0.3)
                    for _ in range(rng.randint(0, 4)))
    events = tuple(MonitoringEvent(rng.choice(("serious_illness", "disaster")),
                                   APPLIED - dt.timedelta(days=rng.randint(0, 800)))
                   for _ in range(rng.choice((0, 0, 0, 1, 2))))
    household = make_household(
        borrower_birth_date=_maybe(rng, dt.date(rng.randint(1950, 2010), rng.randint(1, 12), 1)),
        borrower_labour_capable=_maybe(rng, rng.random() < 0.85),
        status=rng.choice(STATUSES), members=members,
        per_capita_income=_maybe(rng, Decimal(rng.choice((0, 800, 2500, 6000, 12000, 30000)))),
        income_sources=rng.choice(((), ("planting",), ("husbandry", "wages"), ("wages",))),
        productive_assets=_maybe(rng, Decimal(rng.randint(0, 80000))),
        outside_debt=_maybe(rng, Decimal(rng.choice((0, 0, 5000, 40000)))),
        guarantees=Guarantees(*(_maybe(rng, rng.random() < 0.9) for _ in range(5))),
        skills_training=_maybe(rng, rng.random() < 0.5),
        cooperative_member=_maybe(rng, rng.random() < 0.3),
        monitoring_events=events, bad_credit_flag=rng.random() < 0.05)
    loans = [clean_loan(worst_dpd=rng.choice((0, 0, 15, 45, 120)),
                        currently_overdue=rng.random() < 0.1,
                        outstanding=Decimal(rng.choice((0, 5000))))
             for _ in range(rng.choice((0, 0, 1, 2)))]
    return make_input(household, loans, outstanding=str(rng.choice((0, 0, 10000, 45000))),
                      amount=rng.choice((500, 5000, 10000, 20000, 30000, 50000, 60000)),
                      term_months=rng.choice((6, 12, 24, 36, 48)), purpose=rng.choice(PURPOSES))


def test_the_headline_equals_assess_over_varied_inputs(policy, bootstrap_card):
    rng = random.Random(20)
    inputs = [varied_input(rng) for _ in range(400)]
    # Some that score low (unrated) or sit on the edges of the bands.
    inputs += [make_input(dataclasses.replace(make_household(), per_capita_income=Decimal(income),
                                              productive_assets=Decimal(0), skills_training=False,
                                              cooperative_member=False, income_sources=("wages",)),
                          amount=amount, term_months=36)
               for income in (0, 500, 1500, 4000) for amount in (10000, 50000)]
    scores, pds = bootstrap_card.score_batch(feature_columns(
        [derive_features(i, lookback_days=policy.shock_lookback_days) for i in inputs]))
    seen = Counter()
    for inp, score, pd in zip(inputs, scores.tolist(), pds.tolist(), strict=True):
        want = assess(inp, policy, bootstrap_card)
        letters = rule_outcomes(inp, policy)
        assert letters == outcome_letters(want.rules), inp
        assert (score, pd) == (want.score, want.pd)
        grade, limit, decision = decide(letters, score, pd, inp.request.amount, policy)
        assert (grade, limit, decision) == (want.grade, want.limit, want.decision), inp
        seen[decision] += 1
        seen["unrated" if grade is None else "graded"] += 1
        seen.update(f"rule:{k}:{c}" for k, c in enumerate(letters))
    # The mix covers every decision, unrated households, and every rule both passing and not.
    assert {"approved", "referred", "declined", "unrated", "graded"} <= set(seen), seen
    for k in range(len(letters)):
        assert seen[f"rule:{k}:p"] and (seen[f"rule:{k}:f"] or seen[f"rule:{k}:r"]), (k, seen)
