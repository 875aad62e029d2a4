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
from creditsvc.services.fund.recoveries import RECOVERED_FEN
from creditsvc.services.programme import policy as programme
from lending import headroom
from models import Household, HouseholdMember, Loan, StatusReport
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


# The four reads of every submission, each built once at import with a bound household id:
# built per call, their construction and cache keys cost about a quarter of the submission's
# throughput (docs/benchmarks.md). Plain selects of the tables' columns: a select of the
# models' attributes runs SQLAlchemy's ORM compile step on every execution as well.
_HOUSEHOLD = bindparam("household_id")
_h, _m, _e = Household.__table__, HouseholdMember.__table__, EventRow.__table__
_loans, _reports = Loan.__table__, StatusReport.__table__
_FILE = select(
    _h.c.id, _h.c.town, _h.c.village, _h.c.head_birth_date, _h.c.head_labour_capable, _h.c.status,
    _h.c.per_capita_income_fen, _h.c.income_sources, _h.c.productive_assets_fen,
    _h.c.outside_debt_fen, _h.c.food_secure, _h.c.clothing_secure, _h.c.education_secure,
    _h.c.medical_secure, _h.c.housing_secure, _h.c.skills_training, _h.c.cooperative_member,
    _h.c.bad_credit_flag,
    programme.ACTIVE_VERSION.label("policy_version"),
    programme.CHAMPION_SHA.label("champion_sha"),
).where(_h.c.id == _HOUSEHOLD)
_MEMBERS = (select(_m.c.relation, _m.c.birth_date, _m.c.labour_capable, _m.c.chronic_illness,
                   _m.c.disability, _m.c.in_school)
            .where(_m.c.household_id == _HOUSEHOLD, _m.c.relation != "head")
            .order_by(_m.c.position))
_EVENTS = (select(_e.c.kind, _e.c.occurred_on).where(_e.c.household_id == _HOUSEHOLD)
           .order_by(_e.c.occurred_on, _e.c.id))
_WORST_DPD = (select(func.max(_reports.c.days_past_due))
              .where(_reports.c.loan_id == _loans.c.id, _reports.c.superseded_at.is_(None))
              .correlate(_loans).scalar_subquery())
_LOANS = (select(_loans.c.status, _loans.c.principal_fen, _loans.c.outstanding_principal_fen,
                 _loans.c.accrued_interest_unpaid_fen, _loans.c.days_past_due,
                 _WORST_DPD.label("worst_dpd"), RECOVERED_FEN.label("recovered"))
          .where(_loans.c.household_id == _HOUSEHOLD)
          .order_by(_loans.c.disbursed_on, _loans.c.id))


def _members(session: Session, household_id: str) -> tuple[Member, ...]:
    """The members but the head (who is the borrower), in the file's order."""
    return tuple(Member(*r) for r in session.execute(_MEMBERS, {"household_id": household_id}))


def _events(session: Session, household_id: str) -> tuple[MonitoringEvent, ...]:
    """The monitoring record, oldest first."""
    rows = session.execute(_EVENTS, {"household_id": household_id})
    return tuple(MonitoringEvent(kind, on) for kind, on in rows)


def _past_loans(session: Session, household_id: str) -> tuple[tuple[PastLoan, ...], int]:
    """The household's loans as scoring sees them (oldest disbursement first), and the
    principal it still owes in all."""
    rows = session.execute(_LOANS, {"household_id": household_id})
    loans, balances = [], []
    for r in rows:
        # int(): PostgreSQL sums a bigint as numeric.
        balance = headroom.LoanBalance(r.status, r.outstanding_principal_fen,
                                       r.accrued_interest_unpaid_fen, int(r.recovered),
                                       r.days_past_due)
        balances.append(balance)
        loans.append(PastLoan(principal=from_fen(r.principal_fen),
                              outstanding=from_fen(headroom.principal_owed_fen(balance)),
                              worst_dpd=max(r.worst_dpd or 0, r.days_past_due),
                              currently_overdue=headroom.overdue(balance)))
    return tuple(loans), headroom.household_outstanding_fen(balances)


def household_outstanding_fen(session: Session, household_id: str) -> int:
    """The household's programme principal still owed (the rule: lending.headroom)."""
    return _past_loans(session, household_id)[1]


def scoring_view(session: Session, household_id: str) -> ScoringView:
    """The household's scoring view, or 404 when there is no such file."""
    h = session.execute(_FILE, {"household_id": household_id}).first()
    if h is None:
        raise NotFound("household_not_found")
    household = HouseholdFile(
        borrower_birth_date=h.head_birth_date,
        borrower_labour_capable=h.head_labour_capable,
        status=h.status,
        members=_members(session, household_id),
        per_capita_income=_yuan(h.per_capita_income_fen),
        income_sources=tuple(h.income_sources or ()),
        productive_assets=_yuan(h.productive_assets_fen),
        outside_debt=_yuan(h.outside_debt_fen),
        guarantees=Guarantees(h.food_secure, h.clothing_secure, h.education_secure,
                              h.medical_secure, h.housing_secure),
        skills_training=h.skills_training,
        cooperative_member=h.cooperative_member,
        monitoring_events=_events(session, household_id),
        bad_credit_flag=bool(h.bad_credit_flag),
    )
    past, outstanding = _past_loans(session, household_id)
    return ScoringView(h.id, h.town, h.village, household, past, outstanding, h.policy_version,
                       h.champion_sha)


def build_input(view: ScoringView, *, amount: Decimal, term_months: int, purpose: str,
                on: date) -> AssessmentInput:
    """Everything the assessment sees for this request."""
    return AssessmentInput(household=view.file,
                           request=LoanRequest(amount, term_months, purpose, on),
                           past_loans=view.past_loans,
                           programme_outstanding=view.programme_outstanding)
