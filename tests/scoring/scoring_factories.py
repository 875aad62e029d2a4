"""Builders of valid scoring inputs for the tests; override any field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

from scoring.inputs import (
    AssessmentInput,
    Guarantees,
    HouseholdFile,
    LoanRequest,
    Member,
    PastLoan,
)

APPLIED = dt.date(2025, 6, 15)
GERMAN = Path(__file__).resolve().parents[2] / "data" / "german_credit.csv"


def make_household(**changes) -> HouseholdFile:
    """A complete, eligible household file; override any field."""
    base = HouseholdFile(
        borrower_birth_date=dt.date(1980, 3, 1), borrower_labour_capable=True,
        status="registered_poor",
        members=(Member("spouse", dt.date(1982, 5, 5), True),
                 Member("child", dt.date(2012, 1, 1), False, in_school=True)),
        per_capita_income=Decimal(9000), income_sources=("planting", "wages"),
        productive_assets=Decimal(30000), outside_debt=Decimal(0),
        guarantees=Guarantees(True, True, True, True, True), skills_training=True,
        cooperative_member=True,
    )
    return dataclasses.replace(base, **changes)


def make_input(household=None, past_loans=(), outstanding="0", **request) -> AssessmentInput:
    """A valid assessment input; request fields (amount, term_months, …) overridable."""
    req = {"amount": Decimal(10000), "term_months": 12, "purpose": "planting",
           "application_date": APPLIED, **request}
    req["amount"] = Decimal(str(req["amount"]))
    return AssessmentInput(household or make_household(), LoanRequest(**req), tuple(past_loans),
                           Decimal(outstanding))


def clean_loan(**changes) -> PastLoan:
    return dataclasses.replace(PastLoan(Decimal(10000), Decimal(0), 0, False), **changes)


def assert_same_model(built: dict, kept: dict, rel: float = 1e-9, where: str = "$") -> None:
    """BUILT equals KEPT in every key, string and integer, and in every float up to rounding.

    Training is deterministic on one machine, but BLAS picks its kernels by CPU, so the last
    digits of a float (1e-15 relative) may differ on another; the SHA-256, which covers
    those digits, is left out.
    """
    if isinstance(kept, dict):
        assert isinstance(built, dict) and built.keys() == kept.keys(), where
        for key in kept:
            if key != "sha256":
                assert_same_model(built[key], kept[key], rel, f"{where}.{key}")
    elif isinstance(kept, list):
        assert isinstance(built, list) and len(built) == len(kept), where
        for i, (b, k) in enumerate(zip(built, kept, strict=True)):
            assert_same_model(b, k, rel, f"{where}[{i}]")
    elif isinstance(kept, float):
        assert isinstance(built, float) and math.isclose(built, kept, rel_tol=rel, abs_tol=1e-12), (
            where, built, kept)
    else:
        assert built == kept, where
