"""Scoring views of many households at once: the reads of `inputs.scoring_view`, set-based.

A campaign rates thousands of households. Reading each one's file, members, events and loans
with four queries apiece would cost a round trip per query per household; here each table is
read once per chunk of households (through Core: plain rows, no ORM loading), and every view
is built by the same functions as a single assessment's (`inputs.household_file`,
`inputs.past_loans_of`, `borrower.as_borrower`), so a household rated in a batch sees exactly
what it would alone.
"""

from collections import defaultdict

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError
from creditsvc.services.assessment import borrower
from creditsvc.services.assessment.inputs import (
    LOAN_COLUMNS,
    ScoringView,
    household_file,
    past_loans_of,
)
from creditsvc.services.programme import policy as programme
from models import Household, Loan
from models import MonitoringEvent as EventRow
from scoring.inputs import Member, MonitoringEvent

# Bounded IN lists: SQLite allows 32,766 parameters; PostgreSQL plans these quickly.
CHUNK = 2000

_FILE_COLUMNS = (
    Household.id, Household.town, Household.village, Household.head_birth_date,
    Household.head_labour_capable, Household.status, Household.per_capita_income_fen,
    Household.income_sources, Household.productive_assets_fen, Household.outside_debt_fen,
    Household.food_secure, Household.clothing_secure, Household.education_secure,
    Household.medical_secure, Household.housing_secure, Household.skills_training,
    Household.cooperative_member, Household.bad_credit_flag, Household.head_name_masked,
)
_LOAN_COLUMNS = (Loan.household_id, *LOAN_COLUMNS)

# Each read built once, its chunk of ids bound as one expanding parameter: built per chunk,
# the 2,000 ids of an IN list are coerced one by one and walked into the statement's cache key.
_IDS = bindparam("ids", expanding=True)
_FILES = select(*_FILE_COLUMNS).where(Household.id.in_(_IDS))
_MEMBERS = (select(*borrower.MEMBER_COLUMNS).where(borrower.MEMBER_COLUMNS[0].in_(_IDS))
            .order_by(borrower.MEMBER_COLUMNS[0], borrower.POSITION))
_EVENTS = (select(EventRow.household_id, EventRow.kind, EventRow.occurred_on)
           .where(EventRow.household_id.in_(_IDS))
           .order_by(EventRow.household_id, EventRow.occurred_on, EventRow.id))
_LOAN_ROWS = (select(*_LOAN_COLUMNS).where(Loan.household_id.in_(_IDS))
              .order_by(Loan.household_id, Loan.disbursed_on, Loan.id))


def in_force(session: Session) -> tuple[int, str | None]:
    """The active policy's version and the champion's SHA-256, read once for a batch."""
    row = session.execute(select(programme.ACTIVE_VERSION, programme.CHAMPION_SHA)).one()
    return row[0], row[1]


def scoring_views(session: Session, household_ids, borrowers: dict[str, str] | None = None,
                  force: tuple[int, str | None] | None = None,
                  refused: dict[str, str] | None = None) -> dict[str, ScoringView]:
    """The scoring view of each household on file among HOUSEHOLD_IDS (missing ones are left
    out); BORROWERS maps a household to the member who borrows instead of its head; FORCE is
    an `in_force` read to use (a batch reads it once). With REFUSED, a household whose named
    borrower is not its member is left out with the refusal's code there, instead of raising."""
    borrowers = borrowers or {}
    version, champion = force or in_force(session)
    ids = list(dict.fromkeys(household_ids))
    views: dict[str, ScoringView] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        members, events, loans = _members(session, chunk), _events(session, chunk), _loans(session, chunk)
        for h in session.connection().execute(_FILES, {"ids": chunk}).all():
            rows = members.get(h.id, [])
            others = tuple(Member(r.relation, r.birth_date, r.labour_capable, r.chronic_illness,
                                  r.disability, r.in_school) for r in rows if r.relation != "head")
            file = household_file(h, others, tuple(events.get(h.id, ())))
            if borrowers.get(h.id):
                try:
                    file = borrower.as_borrower(file, h, rows, borrowers[h.id])
                except AppError as exc:
                    if refused is None:
                        raise
                    refused[h.id] = exc.code
                    continue
            past, outstanding = past_loans_of(loans.get(h.id, ()))
            views[h.id] = ScoringView(h.id, h.town, h.village, file, past, outstanding, version,
                                      champion, h.head_name_masked)
    return views


def _members(session: Session, chunk: list[str]) -> dict[str, list]:
    out = defaultdict(list)
    for r in session.connection().execute(_MEMBERS, {"ids": chunk}).all():
        out[r.household_id].append(r)
    return out


def _events(session: Session, chunk: list[str]) -> dict[str, list[MonitoringEvent]]:
    out = defaultdict(list)
    for household_id, kind, on in session.connection().execute(_EVENTS, {"ids": chunk}).all():
        out[household_id].append(MonitoringEvent(kind, on))
    return out


def _loans(session: Session, chunk: list[str]) -> dict[str, list]:
    out = defaultdict(list)
    for r in session.connection().execute(_LOAN_ROWS, {"ids": chunk}).all():
        out[r.household_id].append(r)
    return out
