"""Synthetic loan book for the bootstrap scorecard (documented assumptions).

The programme has no outcomes yet, so the first model is trained on a made-up
book. Every assumption, stated here so a reviewer can challenge it:

* One row per approved loan of an eligible household: borrower aged 22-62,
  status registered_poor 45% / lifted 40% / monitored_edge 15%, no loan overdue,
  no bad-credit flag, an allowed purpose, application dates 2021-2023.
* Household: 0-5 other members (Poisson 2.2, capped), each labour-capable with
  probability 0.55, chronically ill 0.12, disabled 0.06, in school 0.5 if a child.
* Per-capita income log-normal, median ¥7,000, sigma 0.45; productive assets
  log-normal median ¥15,000; outside debt zero for 60%, else median ¥8,000.
  1-4 income sources. Each of these, and the survey flags (skills training 40%,
  cooperative 30%, each guarantee met 93%), is missing (None) in 2-5% of files.
* Requests: ¥5,000-50,000 (weights favour 10,000-30,000), terms 12/24/36
  months, purposes husbandry 35%, planting 30%, small business 15%, others.
* Monitoring shocks: Poisson 0.15 per household over the two years before the
  application. Past programme loans: 0-3, worst DPD mostly 0, some 1-60.
* Outcome: bad = 90+ days past due within 12 months, drawn from a logistic
  model with base bad rate about 7%. Risk rises with loan-to-income, outside
  debt, dependants, illness/disability, recent shocks, past delinquency, longer
  terms and monitored-edge status; it falls with income, assets, labour,
  income diversity, training, cooperative membership, guarantees met and age.
  Husbandry and rural tourism carry extra risk (disease, seasonality).
These effects are assumptions for a sensible starting model, not estimates.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np

from scoring import vocab
from scoring.features import derive_features
from scoring.inputs import (
    AssessmentInput,
    Guarantees,
    HouseholdFile,
    LoanRequest,
    Member,
    MonitoringEvent,
    PastLoan,
)

SEED = 20250101
ROWS = 8000
TARGET = "bad"
_START = dt.date(2021, 1, 1)
_PURPOSE_RISK = {"planting": 0.0, "husbandry": 0.25, "processing": 0.05, "small_business": 0.1,
                 "rural_tourism": 0.35, "other_production": 0.1}


def _maybe(rng, value, p_missing: float):
    return None if rng.random() < p_missing else value


def _money(x: float) -> Decimal:
    return Decimal(int(round(x, -1)))


def _household(rng, on: dt.date) -> HouseholdFile:
    age = int(rng.integers(22, 63))
    birth = on - dt.timedelta(days=int(age * 365.25 + rng.integers(0, 365)))
    members = []
    for _ in range(min(int(rng.poisson(2.2)), 5)):
        relation = str(rng.choice(vocab.MEMBER_RELATIONS[1:], p=[.3, .35, .15, .08, .06, .06]))
        capable = relation in ("spouse", "sibling", "other", "parent") and rng.random() < 0.8
        members.append(Member(relation, None, _maybe(rng, bool(capable), 0.02),
                              chronic_illness=bool(rng.random() < 0.12),
                              disability=bool(rng.random() < 0.06),
                              in_school=relation in ("child", "grandchild") and rng.random() < 0.5))
    sources = tuple(rng.choice(vocab.INCOME_SOURCES, size=int(rng.integers(1, 5)), replace=False))
    debt = 0.0 if rng.random() < 0.6 else rng.lognormal(math.log(8000), 0.7)
    shocks = tuple(MonitoringEvent(str(rng.choice(vocab.MONITORING_EVENT_KINDS)),
                                   on - dt.timedelta(days=int(rng.integers(1, 730))))
                   for _ in range(int(rng.poisson(0.15))))
    return HouseholdFile(
        borrower_birth_date=birth, borrower_labour_capable=True,
        status=str(rng.choice(vocab.HOUSEHOLD_STATUSES, p=[.45, .40, .15])),
        members=tuple(members),
        per_capita_income=_maybe(rng, _money(rng.lognormal(math.log(7000), 0.45)), 0.03),
        income_sources=tuple(str(s) for s in sources) if rng.random() > 0.02 else (),
        productive_assets=_maybe(rng, _money(rng.lognormal(math.log(15000), 0.8)), 0.05),
        outside_debt=_maybe(rng, _money(debt), 0.03),
        guarantees=Guarantees(*(_maybe(rng, bool(rng.random() < 0.93), 0.02) for _ in range(5))),
        skills_training=_maybe(rng, bool(rng.random() < 0.4), 0.05),
        cooperative_member=_maybe(rng, bool(rng.random() < 0.3), 0.05),
        monitoring_events=shocks,
    )


def _request(rng, on: dt.date) -> LoanRequest:
    amount = rng.choice([5000, 10000, 20000, 30000, 50000], p=[.15, .3, .3, .15, .1])
    purpose = str(rng.choice(list(_PURPOSE_RISK), p=[.30, .35, .08, .15, .05, .07]))
    return LoanRequest(Decimal(int(amount)), int(rng.choice([12, 24, 36], p=[.5, .3, .2])),
                       purpose, on)


def _past_loans(rng) -> tuple[PastLoan, ...]:
    loans = []
    for _ in range(int(rng.choice(4, p=[.5, .3, .15, .05]))):
        dpd = 0 if rng.random() < 0.85 else int(rng.integers(1, 61))
        loans.append(PastLoan(Decimal(10000), Decimal(0), dpd, False))
    return tuple(loans)


def _true_logit(f: dict, rng) -> float:
    def v(name, default):
        value = f[name]
        return default if value is None else value
    z = -2.6
    z -= 0.55 * math.log(max(v("per_capita_income", 7000), 500) / 7000)
    z += 0.30 * math.log(max(v("loan_to_income", 1.0), 0.05))
    z += 0.25 * math.log1p(v("outside_debt", 3000) / 10000)
    z -= 0.15 * math.log1p(v("productive_assets", 15000) / 10000)
    z += 0.8 * v("dependants_ratio", 0.3) + 1.0 * v("health_burden", 0.1)
    z -= 0.12 * min(v("labour_members", 1), 4) + 0.12 * v("income_sources_count", 2)
    z += 0.45 * v("recent_shocks", 0) + 0.02 * v("past_worst_dpd", 0)
    z -= 0.08 * v("past_loans_count", 0) + 0.35 * v("skills_training", 0.4)
    z -= 0.3 * v("cooperative_member", 0.3) + 0.15 * (v("guarantees_met", 4.6) - 4)
    z += 0.012 * (f["term_months"] - 12) - 0.012 * (v("borrower_age", 40) - 40)
    z += _PURPOSE_RISK[f["purpose"]] + (0.3 if f["status"] == "monitored_edge" else 0.0)
    return z + rng.normal(0, 0.3)  # unobserved heterogeneity


def generate_inputs(n: int = ROWS, seed: int = SEED) -> list[tuple[AssessmentInput, int]]:
    """Return n synthetic (assessment input, bad 0/1) pairs; same seed, same book."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        on = _START + dt.timedelta(days=int(rng.integers(0, 3 * 365)))
        inp = AssessmentInput(_household(rng, on), _request(rng, on), _past_loans(rng), Decimal(0))
        z = _true_logit(derive_features(inp), rng)
        out.append((inp, int(rng.random() < 1 / (1 + math.exp(-z)))))
    return out


def generate_book(n: int = ROWS, seed: int = SEED) -> list[dict]:
    """Return n rows of derive_features output plus the `bad` target."""
    return [{**derive_features(inp), TARGET: bad} for inp, bad in generate_inputs(n, seed)]
