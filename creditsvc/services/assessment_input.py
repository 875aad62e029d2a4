"""The scoring input built from a household file and the household's programme loans."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.money import from_fen
from models import Household, Loan, StatusReport
from scoring.inputs import (
    AssessmentInput,
    Guarantees,
    HouseholdFile,
    LoanRequest,
    Member,
    MonitoringEvent,
    PastLoan,
)


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(fen)


def household_file(h: Household) -> HouseholdFile:
    """The scoring view of a household file; the head is the borrower."""
    return HouseholdFile(
        borrower_birth_date=h.head_birth_date,
        borrower_labour_capable=h.head_labour_capable,
        status=h.status,
        members=tuple(Member(m.relation, m.birth_date, m.labour_capable, m.chronic_illness,
                             m.disability, m.in_school)
                      for m in h.members if m.relation != "head"),
        per_capita_income=_yuan(h.per_capita_income_fen),
        income_sources=tuple(h.income_sources or ()),
        productive_assets=_yuan(h.productive_assets_fen),
        outside_debt=_yuan(h.outside_debt_fen),
        guarantees=Guarantees(h.food_secure, h.clothing_secure, h.education_secure,
                              h.medical_secure, h.housing_secure),
        skills_training=h.skills_training,
        cooperative_member=h.cooperative_member,
        monitoring_events=tuple(MonitoringEvent(e.kind, e.occurred_on) for e in h.events),
        bad_credit_flag=bool(h.bad_credit_flag),
    )


def past_loans(session: Session, household_id: str) -> tuple[PastLoan, ...]:
    """The household's programme loans, oldest first, with the worst days past due reported."""
    worst = (select(StatusReport.loan_id, func.max(StatusReport.days_past_due).label("dpd"))
             .group_by(StatusReport.loan_id).subquery())
    rows = session.execute(
        select(Loan, worst.c.dpd).outerjoin(worst, worst.c.loan_id == Loan.id)
        .where(Loan.household_id == household_id).order_by(Loan.disbursed_on, Loan.id)).all()
    return tuple(PastLoan(principal=from_fen(loan.principal_fen),
                          outstanding=from_fen(loan.outstanding_principal_fen),
                          worst_dpd=max(dpd or 0, loan.days_past_due),
                          currently_overdue=loan.status == "active" and loan.days_past_due > 0)
                 for loan, dpd in rows)


def build_input(session: Session, h: Household, *, amount: Decimal, term_months: int,
                purpose: str, on: date) -> AssessmentInput:
    """Everything the assessment sees for this request."""
    loans = past_loans(session, h.id)
    outstanding = sum((p.outstanding for p in loans), Decimal("0.00"))
    return AssessmentInput(household=household_file(h),
                           request=LoanRequest(amount, term_months, purpose, on),
                           past_loans=loans, programme_outstanding=outstanding)
