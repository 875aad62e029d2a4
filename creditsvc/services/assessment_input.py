"""The scoring input built from a household file and the household's programme loans.

Every submission reads these, so the reads are Core statements built once, selecting only
the columns scoring uses (never the encrypted personal data): four short queries on the
caller's connection and no ORM identity map to fill.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

import models
from creditsvc.errors import NotFound
from creditsvc.money import from_fen
from scoring.inputs import (
    AssessmentInput,
    Guarantees,
    HouseholdFile,
    LoanRequest,
    Member,
    MonitoringEvent,
    PastLoan,
)

_H, _M = models.Household.__table__.c, models.HouseholdMember.__table__.c
_E, _L = models.MonitoringEvent.__table__.c, models.Loan.__table__.c
_S = models.StatusReport.__table__.c

_HOUSEHOLD = select(
    _H.id, _H.town, _H.village, _H.head_birth_date, _H.head_labour_capable, _H.status,
    _H.per_capita_income_fen, _H.income_sources, _H.productive_assets_fen, _H.outside_debt_fen,
    _H.food_secure, _H.clothing_secure, _H.education_secure, _H.medical_secure, _H.housing_secure,
    _H.skills_training, _H.cooperative_member, _H.bad_credit_flag,
).where(_H.id == bindparam("household_id"))
_MEMBERS = (select(_M.relation, _M.birth_date, _M.labour_capable, _M.chronic_illness,
                   _M.disability, _M.in_school)
            .where(_M.household_id == bindparam("household_id"), _M.relation != "head")
            .order_by(_M.position))
_EVENTS = (select(_E.kind, _E.occurred_on).where(_E.household_id == bindparam("household_id"))
           .order_by(_E.occurred_on, _E.id))
_WORST_DPD = (select(_S.loan_id, func.max(_S.days_past_due).label("dpd"))
              .group_by(_S.loan_id).subquery())
_PAST_LOANS = (select(_L.principal_fen, _L.outstanding_principal_fen, _L.days_past_due, _L.status,
                      _WORST_DPD.c.dpd)
               .outerjoin(_WORST_DPD, _WORST_DPD.c.loan_id == _L.id)
               .where(_L.household_id == bindparam("household_id"))
               .order_by(_L.disbursed_on, _L.id))


@dataclass(frozen=True)
class ScoringView:
    """What an assessment sees of one household: its file and its programme loans."""

    household_id: str
    town: str
    village: str
    file: HouseholdFile
    past_loans: tuple[PastLoan, ...]

    @property
    def programme_outstanding(self) -> Decimal:
        """Programme principal still owed by the household."""
        return sum((p.outstanding for p in self.past_loans), Decimal("0.00"))


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(fen)


def scoring_view(session: Session, household_id: str) -> ScoringView:
    """The household's scoring view, or 404 when there is no such file."""
    conn = session.connection()
    params = {"household_id": household_id}
    h = conn.execute(_HOUSEHOLD, params).first()
    if h is None:
        raise NotFound("no such household file", code="household_not_found")
    members = tuple(Member(*row) for row in conn.execute(_MEMBERS, params))
    events = tuple(MonitoringEvent(*row) for row in conn.execute(_EVENTS, params))
    household = HouseholdFile(
        borrower_birth_date=h.head_birth_date,
        borrower_labour_capable=h.head_labour_capable,
        status=h.status,
        members=members,
        per_capita_income=_yuan(h.per_capita_income_fen),
        income_sources=tuple(h.income_sources or ()),
        productive_assets=_yuan(h.productive_assets_fen),
        outside_debt=_yuan(h.outside_debt_fen),
        guarantees=Guarantees(h.food_secure, h.clothing_secure, h.education_secure,
                              h.medical_secure, h.housing_secure),
        skills_training=h.skills_training,
        cooperative_member=h.cooperative_member,
        monitoring_events=events,
        bad_credit_flag=bool(h.bad_credit_flag),
    )
    loans = tuple(PastLoan(principal=from_fen(row.principal_fen),
                           outstanding=from_fen(row.outstanding_principal_fen),
                           worst_dpd=max(row.dpd or 0, row.days_past_due),
                           currently_overdue=row.status == "active" and row.days_past_due > 0)
                  for row in conn.execute(_PAST_LOANS, params))
    return ScoringView(h.id, h.town, h.village, household, loans)


def build_input(view: ScoringView, *, amount: Decimal, term_months: int, purpose: str,
                on: date) -> AssessmentInput:
    """Everything the assessment sees for this request."""
    return AssessmentInput(household=view.file,
                           request=LoanRequest(amount, term_months, purpose, on),
                           past_loans=view.past_loans,
                           programme_outstanding=view.programme_outstanding)
