"""The scoring input built from a household file and the household's programme loans.

Only the columns scoring uses are read (never the encrypted personal data): the household's
file, its members (the head is the borrower), its monitoring events, and its loans with the
worst days past due each ever had and what was recovered on each. What a loan still owes and
whether it counts as overdue are `lending.headroom`'s rules, the same ones review and
disbursement use: a claimed or written-off loan not fully recovered still owes its principal
and still counts as overdue.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import NotFound
from creditsvc.core.money import from_fen
from creditsvc.services.programme import policy as programme
from lending import headroom
from models import Household, HouseholdMember, Loan, Recovery, StatusReport
from models import MonitoringEvent as EventRow
from scoring.inputs import (
    AssessmentInput,
    Guarantees,
    HouseholdFile,
    LoanRequest,
    Member,
    MonitoringEvent,
    PastLoan,
)
from scoring.policy import Policy
from scoring.scorecard import Scorecard


@dataclass(frozen=True)
class ScoringView:
    """What an assessment sees of one household: its file and its programme loans."""

    household_id: str
    town: str
    village: str
    file: HouseholdFile
    past_loans: tuple[PastLoan, ...]
    outstanding_fen: int
    policy_version: int  # in force when the file was read
    champion_sha: str | None

    def in_force(self, session: Session) -> tuple[Policy, Scorecard]:
        """The policy and champion scorecard in force when the view was read (cached per process)."""
        return programme.resolve(session, self.policy_version, self.champion_sha)

    @property
    def programme_outstanding(self) -> Decimal:
        """Programme principal still owed by the household (lending.headroom's definition)."""
        return from_fen(self.outstanding_fen)


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(fen)


def _members(rows) -> tuple[Member, ...]:
    """The members but the head (who is the borrower), in the file's order."""
    others = sorted((r for r in rows if r.relation != "head"), key=lambda r: r.position)
    return tuple(Member(r.relation, r.birth_date, r.labour_capable, r.chronic_illness,
                        r.disability, r.in_school) for r in others)


# Built once at import: every submission reads it, and a statement built per call costs more
# CPU than its round trip (construction and a fresh cache key each time). Of the tables'
# columns, not the models': a Core read costs half an ORM load of the same file (README,
# Benchmark). Never the encrypted personal data.
_h, _m, _e = Household.__table__, HouseholdMember.__table__, EventRow.__table__
_loans, _reports, _recoveries = Loan.__table__, StatusReport.__table__, Recovery.__table__
_WORST_DPD = (select(func.max(_reports.c.days_past_due))
              .where(_reports.c.loan_id == _loans.c.id, _reports.c.superseded_at.is_(None))
              .correlate(_loans).scalar_subquery())
_RECOVERED = (select(func.coalesce(func.sum(_recoveries.c.amount_fen), 0))
              .where(_recoveries.c.loan_id == _loans.c.id).correlate(_loans).scalar_subquery())
# One read, so that every submission is assessed on one snapshot: the file, the policy version
# and champion in force (two scalar subqueries), and the file's members, events and loans
# (outer joins). There is a row per (member, event, loan); `scoring_view` takes each apart
# by its id. A household has a few of each, and one round trip costs more than the repeats;
# a file with dozens of members and events and several loans would make thousands of rows,
# and then this read should be split (members, events and loans each on their own).
_FILE = (select(_h.c.id, _h.c.town, _h.c.village, _h.c.head_birth_date, _h.c.head_labour_capable,
                _h.c.status, _h.c.per_capita_income_fen, _h.c.income_sources,
                _h.c.productive_assets_fen, _h.c.outside_debt_fen, _h.c.food_secure,
                _h.c.clothing_secure, _h.c.education_secure, _h.c.medical_secure,
                _h.c.housing_secure, _h.c.skills_training, _h.c.cooperative_member,
                _h.c.bad_credit_flag,
                programme.ACTIVE_VERSION.label("policy_version"),
                programme.CHAMPION_SHA.label("champion_sha"),
                _m.c.id.label("member_id"), _m.c.position, _m.c.relation, _m.c.birth_date,
                _m.c.labour_capable, _m.c.chronic_illness, _m.c.disability, _m.c.in_school,
                _e.c.id.label("event_id"), _e.c.kind, _e.c.occurred_on,
                _loans.c.id.label("loan_id"), _loans.c.status.label("loan_status"),
                _loans.c.disbursed_on, _loans.c.principal_fen, _loans.c.outstanding_principal_fen,
                _loans.c.accrued_interest_unpaid_fen, _loans.c.days_past_due,
                _WORST_DPD.label("worst_dpd"), _RECOVERED.label("recovered"))
         .select_from(_h.outerjoin(_m, _m.c.household_id == _h.c.id)
                      .outerjoin(_e, _e.c.household_id == _h.c.id)
                      .outerjoin(_loans, _loans.c.household_id == _h.c.id))
         .where(_h.c.id == bindparam("household_id")))


def _apart(rows, id_column: str) -> list:
    """One row for each distinct ID_COLUMN value (None: there was none to join)."""
    return list({getattr(r, id_column): r for r in rows
                 if getattr(r, id_column) is not None}.values())


def _past_loans(rows) -> tuple[tuple[PastLoan, ...], int]:
    """The household's loans as scoring sees them (oldest disbursement first), and the
    principal it still owes in all."""
    loans, balances = [], []
    for r in sorted(rows, key=lambda r: (r.disbursed_on, r.loan_id)):
        # int(): PostgreSQL sums a bigint as numeric.
        balance = headroom.LoanBalance(r.loan_status, r.outstanding_principal_fen,
                                       r.accrued_interest_unpaid_fen, int(r.recovered),
                                       r.days_past_due)
        balances.append(balance)
        loans.append(PastLoan(principal=from_fen(r.principal_fen),
                              outstanding=from_fen(headroom.principal_owed_fen(balance)),
                              worst_dpd=max(r.worst_dpd or 0, r.days_past_due),
                              currently_overdue=headroom.overdue(balance)))
    return tuple(loans), headroom.household_outstanding_fen(balances)


def scoring_view(session: Session, household_id: str) -> ScoringView:
    """The household's scoring view, or 404 when there is no such file."""
    rows = session.execute(_FILE, {"household_id": household_id}).all()
    if not rows:
        raise NotFound("household_not_found")
    h = rows[0]
    events = sorted(_apart(rows, "event_id"), key=lambda e: (e.occurred_on, e.event_id))
    household = HouseholdFile(
        borrower_birth_date=h.head_birth_date,
        borrower_labour_capable=h.head_labour_capable,
        status=h.status,
        members=_members(_apart(rows, "member_id")),
        per_capita_income=_yuan(h.per_capita_income_fen),
        income_sources=tuple(h.income_sources or ()),
        productive_assets=_yuan(h.productive_assets_fen),
        outside_debt=_yuan(h.outside_debt_fen),
        guarantees=Guarantees(h.food_secure, h.clothing_secure, h.education_secure,
                              h.medical_secure, h.housing_secure),
        skills_training=h.skills_training,
        cooperative_member=h.cooperative_member,
        monitoring_events=tuple(MonitoringEvent(e.kind, e.occurred_on) for e in events),
        bad_credit_flag=bool(h.bad_credit_flag),
    )
    past, outstanding = _past_loans(_apart(rows, "loan_id"))
    return ScoringView(h.id, h.town, h.village, household, past, outstanding, h.policy_version,
                       h.champion_sha)


def build_input(view: ScoringView, *, amount: Decimal, term_months: int, purpose: str,
                on: date) -> AssessmentInput:
    """Everything the assessment sees for this request."""
    return AssessmentInput(household=view.file,
                           request=LoanRequest(amount, term_months, purpose, on),
                           past_loans=view.past_loans,
                           programme_outstanding=view.programme_outstanding)
