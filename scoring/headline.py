"""An assessment's headline without its explanation: rule outcomes, score, PD, grade, decision.

`decision.assess` builds every rule's texts, every feature's points and the top reasons: what
a page shows. A campaign rates thousands of households and keeps only what decides and what
replays (the inputs); the explanation is recomputed from those inputs when it is shown. Here
the same decision is reached cheaply and for many at once: each rule's outcome alone (no
texts), the features scored by `Scorecard.score_batch` over columns, the grade and the
decision by `assess`'s own steps. tests/scoring/test_headline.py holds it equal to `assess`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from scoring.caps import within_household_cap
from scoring.features import FEATURES, age_on
from scoring.inputs import AssessmentInput
from scoring.policy import Policy
from scoring.rules import HARD_RULES, REFER_RULES, missing_fields

# One letter per rule, in evaluate_rules' order (HARD_RULES then REFER_RULES).
LETTER = {"pass": "p", "fail": "f", "refer": "r"}
RULE_IDS = tuple(rule.__name__ for rule in HARD_RULES + REFER_RULES)
_NUMERIC = tuple(s.name for s in FEATURES if s.kind == "numeric")
_CATEGORICAL = tuple(s.name for s in FEATURES if s.kind == "categorical")


def outcome_letters(rules) -> str:
    """The outcomes of evaluate_rules' results as letters (p pass, f fail, r refer)."""
    return "".join(LETTER[r.outcome] for r in rules)


def _v(ok: bool | None) -> str:
    return "r" if ok is None else ("p" if ok else "f")


def rule_outcomes(inp: AssessmentInput, p: Policy) -> str:
    """Each rule's outcome as `scoring.rules.evaluate_rules` decides it, without its texts."""
    hh, req = inp.household, inp.request
    amount, on = req.amount, req.application_date
    age = age_on(hh.borrower_birth_date, on)
    capable = hh.borrower_labour_capable
    members = sum(m.labour_capable is True for m in hh.members) + (capable is True)
    since = on - dt.timedelta(days=p.shock_lookback_days)
    return "".join((
        _v(p.amount_min <= amount <= p.amount_max),
        _v(p.term_min <= req.term_months <= p.term_max),
        _v(None if age is None else p.age_min <= age <= p.age_max),
        _v(None if hh.status is None else hh.status in p.eligible_statuses),
        _v(None if capable is None else capable and members >= 1),
        _v(sum(loan.currently_overdue for loan in inp.past_loans) == 0),
        _v(not hh.bad_credit_flag),
        _v(req.purpose in p.allowed_purposes),
        _v(within_household_cap(p.household_cap, inp.programme_outstanding, amount)),
        "r" if missing_fields(inp) else "p",
        "r" if any(since <= e.occurred_on <= on for e in hh.monitoring_events) else "p",
    ))


def feature_columns(rows: list[dict]) -> dict:
    """Derived features (`derive_features` dicts) as `score_batch` columns: numbers as floats
    with NaN for missing, categories as they are (unknown and None go to the missing bin)."""
    nan = float("nan")
    cols: dict = {n: np.array([nan if r[n] is None else r[n] for r in rows], dtype=float)
                  for n in _NUMERIC}
    cols.update({n: [r[n] for r in rows] for n in _CATEGORICAL})
    return cols


def decide(letters: str, score: float, pd: float, amount: Decimal,
           policy: Policy) -> tuple[str | None, Decimal | None, str]:
    """Grade, limit and decision as `assess` reaches them from the rule outcomes, score and PD."""
    grade, limit = policy.grade_for(score)
    if "f" in letters:
        return grade, limit, "declined"
    refer = ("r" in letters or grade is None
             or policy.grey_pd_low <= Decimal(repr(pd)) <= policy.grey_pd_high
             or (limit is not None and amount > limit))
    return grade, limit, "referred" if refer else "approved"
