"""Builders of valid scoring inputs for the tests; override any field."""

from __future__ import annotations

import dataclasses
import datetime as dt
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
