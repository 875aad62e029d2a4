"""The versioned programme policy: every number of docs/programme.md, as defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

from scoring import vocab
from scoring.codec import CodecError, from_jsonable, to_jsonable

D = Decimal


class PolicyError(ValueError):
    """A policy value is out of range or inconsistent."""


@dataclass(frozen=True)
class Policy:
    """Programme policy; rates and shares are fractions (0.0310 = 3.10%)."""

    version: int = 1
    effective_from: dt.date = dt.date(2025, 1, 1)
    amount_min: Decimal = Decimal(1000)
    amount_max: Decimal = Decimal(50000)
    term_min: int = 1
    term_max: int = 36
    household_cap: Decimal = Decimal(50000)
    age_min: int = 18
    age_max: int = 65
    eligible_statuses: tuple[str, ...] = vocab.HOUSEHOLD_STATUSES
    allowed_purposes: tuple[str, ...] = vocab.ALLOWED_PURPOSES
    banned_purposes: tuple[str, ...] = vocab.BANNED_PURPOSES
    # (grade, minimum score, credit limit), best grade first.
    grade_bands: tuple[tuple[str, int, Decimal], ...] = (
        ("AAA", 80, Decimal(50000)),
        ("AA", 70, Decimal(30000)),
        ("A", 60, Decimal(10000)),
    )
    # A PD in [grey_pd_low, grey_pd_high] goes to a person: the machine never
    # declines on the score alone (PIPL art. 24), so the band runs up to 1.
    grey_pd_low: Decimal = Decimal("0.15")
    grey_pd_high: Decimal = Decimal(1)
    shock_lookback_days: int = 365
    # (effective date, 1-year LPR, 5-year LPR), oldest first.
    lpr_table: tuple[tuple[dt.date, Decimal, Decimal], ...] = (
        (dt.date(2024, 10, 21), Decimal("0.0310"), Decimal("0.0360")),
        (dt.date(2025, 5, 20), Decimal("0.0300"), Decimal("0.0350")),
    )
    credit_line_years: int = 2
    # 公示: how many days a campaign's proposed list is posted before lines are granted.
    notice_days: int = 7
    interest_subsidy_share: Decimal = Decimal("1.00")
    fund_capital: Decimal = Decimal(500000)
    leverage: int = 10
    bank_shares: tuple[tuple[str, Decimal], ...] = (("PSBC", Decimal("0.60")), ("ABC", Decimal("0.40")))
    fund_loss_share: Decimal = Decimal("0.80")
    claim_trigger_dpd: int = 90
    npl_tolerance: Decimal = Decimal("0.05")
    balance_floor_share: Decimal = Decimal("0.20")
    max_extension_months: int = 6
    asset_correlation: Decimal = Decimal("0.15")

    def __post_init__(self) -> None:
        for problem in _problems(self):
            raise PolicyError(problem)

    def to_dict(self) -> dict[str, Any]:
        """Return the policy as a JSON-able dict (Decimals as strings, ISO dates)."""
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        """Read and validate a policy written by to_dict; raise PolicyError if bad."""
        try:
            return from_jsonable(cls, data)
        except CodecError as exc:
            raise PolicyError(str(exc)) from None

    def lpr_cap(self, term_months: int, on_date: dt.date) -> Decimal:
        """Return the rate cap: 1-year LPR for terms ≤ 12 months, else 5-year."""
        effective = [row for row in self.lpr_table if row[0] <= on_date]
        if not effective:
            raise PolicyError(f"no LPR effective on or before {on_date.isoformat()}")
        _, lpr_1y, lpr_5y = effective[-1]
        return lpr_1y if term_months <= 12 else lpr_5y

    def grade_for(self, score: float) -> tuple[str | None, Decimal | None]:
        """Return (grade, credit limit) for a score, or (None, None) if unrated."""
        for grade, min_score, limit in self.grade_bands:
            if score >= min_score:
                return grade, limit
        return None, None

    @property
    def bank_share_map(self) -> dict[str, Decimal]:
        """Return the banks' capacity shares as a dict (a fresh copy)."""
        return dict(self.bank_shares)


def _fraction(value: Decimal) -> bool:
    return D(0) <= value <= D(1)


def _problems(p: Policy) -> list[str]:
    out = []
    if p.version < 1:
        out.append("version must be a positive integer")
    if not (D(0) < p.amount_min <= p.amount_max):
        out.append("amount bounds must satisfy 0 < amount_min <= amount_max")
    if p.household_cap < p.amount_min:
        out.append("household_cap must be at least amount_min")
    if not (1 <= p.term_min <= p.term_max):
        out.append("term bounds must satisfy 1 <= term_min <= term_max")
    if not (0 <= p.age_min <= p.age_max):
        out.append("age bounds must satisfy 0 <= age_min <= age_max")
    if not p.eligible_statuses:
        out.append("eligible_statuses may not be empty")
    if set(p.allowed_purposes) & set(p.banned_purposes):
        out.append("a purpose cannot be both allowed and banned")
    out.extend(_grade_problems(p))
    out.extend(_range_problems(p))
    if not (D(0) <= p.grey_pd_low <= p.grey_pd_high <= D(1)):
        out.append("grey band must satisfy 0 <= grey_pd_low <= grey_pd_high <= 1")
    if (p.shock_lookback_days < 0 or p.max_extension_months < 0 or p.credit_line_years < 1
            or p.notice_days < 1):
        out.append("lookback, extension and credit-line periods must be non-negative")
    dates = [row[0] for row in p.lpr_table]
    if not dates or dates != sorted(set(dates)):
        out.append("lpr_table must be non-empty with strictly ascending dates")
    if any(not (D(0) < r < D(1)) for row in p.lpr_table for r in row[1:]):
        out.append("LPR rates must be fractions between 0 and 1 (0.0310 = 3.10%)")
    codes = [code for code, _ in p.bank_shares]
    if not codes or len(set(codes)) != len(codes):
        out.append("bank_shares must name each bank once")
    if any(share <= 0 for _, share in p.bank_shares):
        out.append("bank shares must be positive")
    if sum((share for _, share in p.bank_shares), D(0)) != D(1):
        out.append("bank shares must sum to 1")
    if p.fund_capital <= 0 or p.leverage <= 0 or p.claim_trigger_dpd <= 0:
        out.append("fund_capital, leverage and claim_trigger_dpd must be positive")
    for name in ("interest_subsidy_share", "fund_loss_share", "npl_tolerance",
                 "balance_floor_share", "asset_correlation"):
        if not _fraction(getattr(p, name)):
            out.append(f"{name} must be between 0 and 1")
    return out


# The outer bounds of a sensible programme: a change past them is a typo ("1e30" as the
# household cap), not a policy. Money in yuan; the API refuses any loan amount above MAX_LOAN.
MAX_LOAN = D(1_000_000)
MAX_FUND_CAPITAL = D(10_000_000_000)
INT_BOUNDS = {"term_max": 120, "age_max": 120, "leverage": 100, "claim_trigger_dpd": 3650,
              "shock_lookback_days": 3650, "max_extension_months": 60, "credit_line_years": 30,
              "notice_days": 60}


def _range_problems(p: Policy) -> list[str]:
    out = [f"{name} must be at most {MAX_LOAN}" for name in ("amount_max", "household_cap")
           if getattr(p, name) > MAX_LOAN]
    if p.fund_capital > MAX_FUND_CAPITAL:
        out.append(f"fund_capital must be at most {MAX_FUND_CAPITAL}")
    if any(limit > MAX_LOAN for _, _, limit in p.grade_bands):
        out.append(f"grade limits must be at most {MAX_LOAN}")
    out.extend(f"{name} must be at most {high}" for name, high in INT_BOUNDS.items()
               if getattr(p, name) > high)
    return out


def _grade_problems(p: Policy) -> list[str]:
    bands = p.grade_bands
    if not bands:
        return ["grade_bands may not be empty"]
    scores = [b[1] for b in bands]
    limits = [b[2] for b in bands]
    out = []
    if any(a <= b for a, b in pairwise(scores)):
        out.append("grade bands must have strictly descending minimum scores")
    if any(a < b for a, b in pairwise(limits)):
        out.append("grade limits must not increase as the grade falls")
    if any(not (0 <= s <= 100) for s in scores) or any(lim <= 0 for lim in limits):
        out.append("grade scores must lie in 0..100 and limits be positive")
    if len({b[0] for b in bands}) != len(bands):
        out.append("grade names must be unique")
    return out


DEFAULT_POLICY = Policy()
