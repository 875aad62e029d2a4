"""The hard rules checked again on the day of disbursement."""

from datetime import date
from decimal import Decimal

from lending.eligibility import failed_at_disbursement
from scoring.inputs import AssessmentInput, Guarantees, HouseholdFile, LoanRequest, PastLoan
from scoring.policy import Policy

POLICY = Policy()


def _input(on=date(2026, 6, 1), birth=date(1961, 6, 2), status="registered_poor",
           flag=False, past=()):
    household = HouseholdFile(borrower_birth_date=birth, borrower_labour_capable=True,
                              status=status, members=(), per_capita_income=None,
                              income_sources=(), productive_assets=None, outside_debt=None,
                              guarantees=Guarantees(), skills_training=None,
                              cooperative_member=None, bad_credit_flag=flag)
    return AssessmentInput(household, LoanRequest(Decimal(10000), 12, "planting", on),
                           tuple(past), Decimal(0))


def _failed(inp):
    return [r.id for r in failed_at_disbursement(inp, POLICY)]


def test_a_household_that_still_qualifies_passes():
    assert _failed(_input()) == []  # an incomplete file refers at assessment, not here


def test_the_age_limit_holds_on_the_disbursement_date():
    assert _failed(_input(on=date(2026, 6, 1))) == []  # 64 the day before turning 65
    assert _failed(_input(on=date(2027, 6, 1))) == []  # 65 the day before turning 66
    assert _failed(_input(on=date(2027, 6, 2))) == ["borrower_age"]  # 66 that day


def test_a_flag_a_lost_status_or_an_overdue_loan_fails_with_its_rule():
    overdue = PastLoan(Decimal(5000), Decimal(5000), 120, True)
    assert _failed(_input(flag=True)) == ["no_bad_credit"]
    assert _failed(_input(status="not_poor")) == ["household_status"]
    assert _failed(_input(past=[overdue])) == ["no_overdue_loan"]
    assert _failed(_input(birth=None)) == ["borrower_age"]  # unknown on the day of payment
