"""Model features derived from an assessment input; None means missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from scoring.inputs import AssessmentInput

FeatureValue = float | str | None

# Income of zero would make the ratio infinite, which JSON cannot carry.
_MAX_LOAN_TO_INCOME = 100.0


@dataclass(frozen=True)
class FeatureSpec:
    """A model feature: kind, business direction of its points, and labels."""

    name: str
    kind: Literal["numeric", "categorical"]
    direction: Literal["asc", "desc"] | None  # asc: a higher value earns more points
    label_zh: str
    label_en: str


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("borrower_age", "numeric", "asc", "借款人年龄", "borrower's age"),
    FeatureSpec("labour_members", "numeric", "asc", "劳动力人数", "labour-capable members"),
    FeatureSpec("dependants_ratio", "numeric", "desc", "抚养比", "share of dependants"),
    FeatureSpec("per_capita_income", "numeric", "asc", "人均纯收入", "per-capita income"),
    FeatureSpec("income_sources_count", "numeric", "asc", "收入来源数", "number of income sources"),
    FeatureSpec("main_income_source", "categorical", None, "主要收入来源", "main income source"),
    FeatureSpec("productive_assets", "numeric", "asc", "生产性资产", "productive assets"),
    FeatureSpec("outside_debt", "numeric", "desc", "其他负债", "debts outside the programme"),
    FeatureSpec("loan_to_income", "numeric", "desc", "贷款额与家庭年收入之比",
                "loan amount to household income"),
    FeatureSpec("term_months", "numeric", "desc", "贷款期限", "loan term"),
    FeatureSpec("purpose", "categorical", None, "贷款用途", "loan purpose"),
    FeatureSpec("past_loans_count", "numeric", "asc", "以往扶贫贷款笔数", "past programme loans"),
    FeatureSpec("past_worst_dpd", "numeric", "desc", "以往最长逾期天数",
                "worst days past due on past loans"),
    FeatureSpec("skills_training", "numeric", "asc", "参加技能培训", "skills training"),
    FeatureSpec("cooperative_member", "numeric", "asc", "加入合作社", "cooperative membership"),
    FeatureSpec("health_burden", "numeric", "desc", "家庭病残负担", "illness and disability burden"),
    FeatureSpec("recent_shocks", "numeric", "desc", "近期返贫风险事件", "recent shocks"),
    FeatureSpec("guarantees_met", "numeric", "asc", "两不愁三保障达标项",
                "two no-worries, three guarantees met"),
    FeatureSpec("status", "categorical", None, "户类型", "household status"),
)

FEATURE_NAMES = tuple(spec.name for spec in FEATURES)


def age_on(birth_date: dt.date | None, on_date: dt.date) -> int | None:
    """Return full years of age on a date, or None if the birth date is unknown."""
    if birth_date is None:
        return None
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - before_birthday


def _flag(value: bool | None) -> float | None:
    return None if value is None else float(value)


def derive_features(inp: AssessmentInput, *, lookback_days: int = 365) -> dict[str, FeatureValue]:
    """Derive the scorecard's features from an assessment input."""
    hh, req = inp.household, inp.request
    size = 1 + len(hh.members)  # the borrower is not among the members
    capable = [hh.borrower_labour_capable] + [m.labour_capable for m in hh.members]
    known = [c for c in capable if c is not None]
    labour = float(sum(known)) if known else None
    in_school = sum(m.in_school for m in hh.members)
    dependants = float(sum(not c for c in known) + in_school) / size if known else None
    income = None if hh.per_capita_income is None else float(hh.per_capita_income)
    if income is None:
        loan_to_income = None
    elif income <= 0:
        loan_to_income = _MAX_LOAN_TO_INCOME
    else:
        loan_to_income = min(float(req.amount) / (income * size), _MAX_LOAN_TO_INCOME)
    since = req.application_date - dt.timedelta(days=lookback_days)
    shocks = sum(since <= e.occurred_on <= req.application_date for e in hh.monitoring_events)
    flags = [getattr(hh.guarantees, n) for n in ("food", "clothing", "education", "medical", "housing")]
    known_flags = [f for f in flags if f is not None]
    age = age_on(hh.borrower_birth_date, req.application_date)
    return {
        "borrower_age": None if age is None else float(age),
        "labour_members": labour,
        "dependants_ratio": None if dependants is None else min(dependants, 1.0),
        "per_capita_income": income,
        "income_sources_count": float(len(set(hh.income_sources))) if hh.income_sources else None,
        "main_income_source": hh.income_sources[0] if hh.income_sources else None,
        "productive_assets": _money(hh.productive_assets),
        "outside_debt": _money(hh.outside_debt),
        "loan_to_income": loan_to_income,
        "term_months": float(req.term_months),
        "purpose": req.purpose,
        "past_loans_count": float(len(inp.past_loans)),
        "past_worst_dpd": float(max(p.worst_dpd for p in inp.past_loans)) if inp.past_loans else None,
        "skills_training": _flag(hh.skills_training),
        "cooperative_member": _flag(hh.cooperative_member),
        "health_burden": sum(m.chronic_illness or m.disability for m in hh.members) / size,
        "recent_shocks": float(shocks),
        "guarantees_met": float(sum(known_flags)) if known_flags else None,
        "status": hh.status,
    }


def _money(value) -> float | None:
    # Model features are floats; money stays Decimal everywhere else.
    return None if value is None else float(value)
