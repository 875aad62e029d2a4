"""The scoring input built from a household file and the household's programme loans.

Only the columns scoring uses are read (never the encrypted personal data): the household's
file, its members (the head is the borrower), its monitoring events, and its loans with the
worst days past due each ever had and what was recovered on each, and its credit line (the
active one, else the latest granted: what a submission is capped by). What a loan still owes and
whether it counts as overdue are `lending.headroom`'s rules, the same ones review and
disbursement use: a claimed or written-off loan not fully recovered still owes its principal
and still counts as overdue.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import NotFound
from creditsvc.core.money import from_fen
from creditsvc.infra.json_rows import json_row, json_rows
from creditsvc.services.assessment import borrower
from creditsvc.services.fund.recoveries import RECOVERED_FEN
from creditsvc.services.programme import policy as programme
from lending import headroom
from models import CreditLine, Household, HouseholdMember, Loan, StatusReport
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


class LineRow(NamedTuple):
    """A household's credit line as a submission meets it (the columns of _LINE)."""

    id: str
    grade: str
    line_fen: int
    valid_from: date
    valid_until: date
    status: str


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
    head_name_masked: str | None = None  # what the application shows of its head borrower
    line: LineRow | None = None  # the household's active line, else its latest; None: never one

    def in_force(self, session: Session) -> tuple[Policy, Scorecard]:
        """The policy and champion scorecard in force when the view was read (cached per process)."""
        return programme.resolve(session, self.policy_version, self.champion_sha)

    @property
    def programme_outstanding(self) -> Decimal:
        """Programme principal still owed by the household (lending.headroom's definition)."""
        return from_fen(self.outstanding_fen)


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(fen)


# The read of every submission, built once at import with a bound household id: built per
# call, its construction and cache key cost about a quarter of the submission's throughput
# (docs/benchmarks.md). A plain select of the tables' columns: a select of the models'
# attributes runs SQLAlchemy's ORM compile step on every execution as well.
# The members, events and loans ride in the file's row as JSON columns (infra/json_rows), each
# row led by its sort key: one statement instead of four halves the view's CPU (0.3 ms
# against 0.6 ms, in process on PostgreSQL), as each statement costs more than its few rows.
_HOUSEHOLD = bindparam("household_id")
_h, _m, _e = Household.__table__, HouseholdMember.__table__, EventRow.__table__
_loans, _reports = Loan.__table__, StatusReport.__table__
_MEMBERS = (select(json_rows(_m.c.position, _m.c.relation, _m.c.birth_date, _m.c.labour_capable,
                             _m.c.chronic_illness, _m.c.disability, _m.c.in_school))
            .where(_m.c.household_id == _h.c.id, _m.c.relation != "head")
            .correlate(_h).scalar_subquery())
_EVENTS = (select(json_rows(_e.c.occurred_on, _e.c.id, _e.c.kind))
           .where(_e.c.household_id == _h.c.id).correlate(_h).scalar_subquery())
_WORST_DPD = (select(func.max(_reports.c.days_past_due))
              .where(_reports.c.loan_id == _loans.c.id, _reports.c.superseded_at.is_(None))
              .correlate(_loans).scalar_subquery())
_LOANS = (select(json_rows(_loans.c.disbursed_on, _loans.c.id, _loans.c.status,
                           _loans.c.principal_fen, _loans.c.outstanding_principal_fen,
                           _loans.c.accrued_interest_unpaid_fen, _loans.c.days_past_due,
                           _WORST_DPD, RECOVERED_FEN))
          .where(_loans.c.household_id == _h.c.id).correlate(_h).scalar_subquery())
# A household's lines, the active one first, else the latest granted (to say why it no longer holds).
LINE_ORDER = (case((CreditLine.status == "active", 0), else_=1), CreditLine.granted_on.desc(),
              CreditLine.created_at.desc())
_l = CreditLine.__table__
_LINE = (select(json_row(_l.c.id, _l.c.grade, _l.c.line_fen, _l.c.valid_from, _l.c.valid_until,
                         _l.c.status))
         .where(_l.c.household_id == _h.c.id).order_by(*LINE_ORDER).limit(1)
         .correlate(_h).scalar_subquery())
_FILE = select(
    _h.c.id, _h.c.town, _h.c.village, _h.c.head_birth_date, _h.c.head_labour_capable, _h.c.status,
    _h.c.per_capita_income_fen, _h.c.income_sources, _h.c.productive_assets_fen,
    _h.c.outside_debt_fen, _h.c.food_secure, _h.c.clothing_secure, _h.c.education_secure,
    _h.c.medical_secure, _h.c.housing_secure, _h.c.skills_training, _h.c.cooperative_member,
    _h.c.bad_credit_flag, _h.c.head_name_masked,
    programme.ACTIVE_VERSION.label("policy_version"),
    programme.CHAMPION_SHA.label("champion_sha"),
    _MEMBERS.label("members"), _EVENTS.label("events"), _LOANS.label("loans"), _LINE.label("line"),
).where(_h.c.id == _HOUSEHOLD)
# The same loan columns as rows, for the set-based views (services/assessment/views.py).
LOAN_COLUMNS = (_loans.c.status, _loans.c.principal_fen, _loans.c.outstanding_principal_fen,
                _loans.c.accrued_interest_unpaid_fen, _loans.c.days_past_due,
                _WORST_DPD.label("worst_dpd"), RECOVERED_FEN.label("recovered"))
_HOUSEHOLD_LOANS = select(_LOANS.label("loans")).where(_h.c.id == _HOUSEHOLD)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _flag(value) -> bool | None:
    return None if value is None else bool(value)  # SQLite's JSON has 1/0


def _first(row: list):
    return row[0]


def _first_two(row: list) -> tuple:
    return (row[0] or "", row[1])  # a date (ISO text; a loan's may be missing) and an id


def _members(rows) -> tuple[Member, ...]:
    """The members but the head (who is the borrower), in the file's order."""
    return tuple(Member(relation, _day(born), _flag(able), _flag(ill), _flag(disabled), _flag(school))
                 for _, relation, born, able, ill, disabled, school in sorted(rows or (), key=_first))


def _events(rows) -> tuple[MonitoringEvent, ...]:
    """The monitoring record, oldest first."""
    return tuple(MonitoringEvent(kind, _day(on)) for on, _, kind in sorted(rows or (), key=_first_two))


class LoanRow(NamedTuple):
    """A loan as scoring reads it (the columns of LOAN_COLUMNS)."""

    status: str
    principal_fen: int
    outstanding_principal_fen: int
    accrued_interest_unpaid_fen: int
    days_past_due: int
    worst_dpd: int | None
    recovered: int


def _line(row: list | None) -> LineRow | None:
    if row is None:
        return None
    line_id, grade, line_fen, valid_from, valid_until, status = row
    return LineRow(line_id, grade, line_fen, date.fromisoformat(valid_from),
                   date.fromisoformat(valid_until), status)


def _past_loans(rows) -> tuple[tuple[PastLoan, ...], int]:
    """The loans of a household's JSON column (oldest disbursement first), as scoring sees them."""
    return past_loans_of(LoanRow(*r[2:]) for r in sorted(rows or (), key=_first_two))


def past_loans_of(rows) -> tuple[tuple[PastLoan, ...], int]:
    """Loan rows (LoanRow, or rows of LOAN_COLUMNS; oldest disbursement first) as scoring sees
    them, and the principal the household still owes in all."""
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
    loans = session.execute(_HOUSEHOLD_LOANS, {"household_id": household_id}).scalar()
    return _past_loans(loans)[1]


def scoring_view(session: Session, household_id: str,
                 borrower_member_id: str | None = None) -> ScoringView:
    """The household's scoring view, or 404 when there is no such file.

    BORROWER_MEMBER_ID names a member who borrows instead of the head (assessment.borrower)."""
    h = session.execute(_FILE, {"household_id": household_id}).first()
    if h is None:
        raise NotFound("household_not_found")
    household = household_file(h, _members(h.members), _events(h.events))
    if borrower_member_id is not None:
        household = borrower.as_borrower(household, h, borrower.member_rows(session, household_id),
                                         borrower_member_id)
    past, outstanding = _past_loans(h.loans)
    return ScoringView(h.id, h.town, h.village, household, past, outstanding, h.policy_version,
                       h.champion_sha, h.head_name_masked, _line(h.line))


def household_file(h, members: tuple[Member, ...],
                   events: tuple[MonitoringEvent, ...]) -> HouseholdFile:
    """The file scoring sees of a household row H (the columns of _FILE), the head borrowing."""
    return HouseholdFile(
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


def build_input(view: ScoringView, *, amount: Decimal, term_months: int, purpose: str,
                on: date) -> AssessmentInput:
    """Everything the assessment sees for this request."""
    return AssessmentInput(household=view.file,
                           request=LoanRequest(amount, term_months, purpose, on),
                           past_loans=view.past_loans,
                           programme_outstanding=view.programme_outstanding)
