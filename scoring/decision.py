"""The assessment: rules, score, grade and limit combined into a decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from scoring.caps import approval_cap, household_headroom
from scoring.codec import to_jsonable
from scoring.features import derive_features
from scoring.inputs import AssessmentInput
from scoring.policy import Policy
from scoring.rules import RuleResult, evaluate_rules
from scoring.scorecard import Scorecard, ScoreResult

Decision = Literal["approved", "referred", "declined"]
CENT = Decimal("0.01")


class ReplayError(ValueError):
    """A stored assessment cannot be replayed with the given policy or model."""


@dataclass(frozen=True)
class DecisionReason:
    """Why the decision went the way it did (a failed rule, a refer cause, …)."""

    code: str
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class Assessment:
    """Every input and output of one assessment, enough to show and replay it."""

    input: AssessmentInput
    features: tuple[tuple[str, Any], ...]
    rules: tuple[RuleResult, ...]
    result: ScoreResult
    grade: str | None
    limit: Decimal | None
    decision: Decision
    approved_amount: Decimal | None
    reasons: tuple[DecisionReason, ...]
    rate_cap: Decimal
    line_expires_on: dt.date | None
    policy_version: int
    model_sha256: str

    @property
    def score(self) -> float:
        """The 0-100 score."""
        return self.result.score

    @property
    def pd(self) -> float:
        """The probability of default."""
        return self.result.pd

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict with inputs, features, rules, points and decision."""
        return {
            "input": self.input.to_dict(), "features": dict(self.features),
            "rules": [r.to_dict() for r in self.rules], **self.result.to_dict(),
            "grade": self.grade, "limit": to_jsonable(self.limit), "decision": self.decision,
            "approved_amount": to_jsonable(self.approved_amount),
            "decision_reasons": [to_jsonable(r) for r in self.reasons],
            "rate_cap": str(self.rate_cap), "line_expires_on": to_jsonable(self.line_expires_on),
            "policy_version": self.policy_version, "model_sha256": self.model_sha256,
        }


def assess(inp: AssessmentInput, policy: Policy, scorecard: Scorecard) -> Assessment:
    """Assess a loan request: hard rules, refer rules, score, grade and limit."""
    rules = evaluate_rules(inp, policy)
    features = derive_features(inp, lookback_days=policy.shock_lookback_days)
    result = scorecard.score(features)
    grade, limit = policy.grade_for(result.score)
    req = inp.request
    failed = [r for r in rules if r.outcome == "fail"]
    reasons = [DecisionReason(f"rule:{r.id}", r.text_zh, r.text_en) for r in failed]
    approved_amount = None
    if failed:
        decision: Decision = "declined"
    else:
        reasons = _refer_reasons(rules, result, grade, limit, req.amount, policy)
        decision = "referred" if reasons else "approved"
    if decision == "approved":
        headroom = household_headroom(policy.household_cap, inp.programme_outstanding)
        approved_amount = approval_cap(req.amount, limit, policy.amount_max, headroom).quantize(CENT)
        reasons = [DecisionReason("approved", f"评级{grade}，授信额度{limit}元",
                                  f"grade {grade}, credit limit ¥{limit}")]
    return Assessment(
        input=inp, features=tuple(features.items()), rules=rules, result=result, grade=grade,
        limit=limit, decision=decision, approved_amount=approved_amount, reasons=tuple(reasons),
        rate_cap=policy.lpr_cap(req.term_months, req.application_date),
        line_expires_on=(credit_line_expires_on(req.application_date, policy.credit_line_years)
                         if decision == "approved" else None),
        policy_version=policy.version, model_sha256=scorecard.sha256,
    )


def _refer_reasons(rules, result, grade, limit, amount, policy) -> list[DecisionReason]:
    # A person decides these: the machine never declines on the score alone (PIPL art. 24).
    reasons = [DecisionReason(f"rule:{r.id}", r.text_zh, r.text_en)
               for r in rules if r.outcome == "refer"]
    if grade is None:
        lowest = policy.grade_bands[-1][1]
        reasons.append(DecisionReason("unrated", f"评分{result.score}低于{lowest}分，未评级",
                                      f"score {result.score} is below {lowest}: unrated"))
    if policy.grey_pd_low <= Decimal(repr(result.pd)) <= policy.grey_pd_high:
        reasons.append(DecisionReason(
            "pd_grey_band", f"违约概率{result.pd:.2%}处于人工复核区间",
            f"probability of default {result.pd:.2%} is in the grey band for review"))
    if limit is not None and amount > limit:
        reasons.append(DecisionReason("amount_above_limit", f"申请金额超过{grade}级授信额度{limit}元",
                                      f"amount is above the {grade} credit limit of ¥{limit}"))
    return reasons


def credit_line_expires_on(application_date: dt.date, years: int) -> dt.date:
    """The last day of a credit line granted on APPLICATION_DATE for YEARS (valid through it)."""
    return _add_years(application_date, years)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def replay(assessment: dict[str, Any], policy: Policy, scorecard: Scorecard) -> Assessment:
    """Recompute a stored assessment with its policy and model; check they match."""
    if assessment.get("policy_version") != policy.version:
        raise ReplayError(f"assessment used policy v{assessment.get('policy_version')}, "
                          f"given v{policy.version}")
    if assessment.get("model_sha256") != scorecard.sha256:
        raise ReplayError(f"assessment used model {str(assessment.get('model_sha256'))[:12]}, "
                          f"given {scorecard.version}")
    return assess(AssessmentInput.from_dict(assessment["input"]), policy, scorecard)
