"""The scoring input built from a household file and the household's programme loans.

Every submission reads these, so the reads are Core statements built once, selecting only
the columns scoring uses (never the encrypted personal data), on the caller's connection
with no ORM identity map to fill. One round trip: the household with the policy and model in
force, its members, its monitoring events and its loans come back as one UNION ALL.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

import models
from creditsvc.errors import NotFound
from creditsvc.hotsql import HotStatement
from creditsvc.money import from_fen
from creditsvc.services import policy as programme
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

_H, _M = models.Household.__table__.c, models.HouseholdMember.__table__.c
_E, _L = models.MonitoringEvent.__table__.c, models.Loan.__table__.c
_S = models.StatusReport.__table__.c

# The household, its members, events and loans as one result: each part fills its own slots
# and leaves the others NULL (typed, so that both engines agree on each column's type). The
# household's part comes first: its columns give the result's types.
_SLOTS = {"part": Integer, "o_int": Integer, "o_date": Date, "o_id": String,
          "text": String, "day": Date, "s1": String, "s2": String, "s3": String, "j1": JSON,
          **{f"b{i}": Boolean for i in range(1, 10)}, **{f"n{i}": BigInteger for i in range(1, 5)}}
HOUSEHOLD, MEMBERS, EVENTS, LOANS = -1, 0, 1, 2


def _part(part: int, where, **slots):
    columns = [literal_column(str(part), Integer).label("part")]
    columns += [slots[name].label(name) if name in slots else cast(null(), type_).label(name)
                for name, type_ in list(_SLOTS.items())[1:]]
    return select(*columns).where(where)


_WORST_DPD = (select(func.max(_S.days_past_due)).where(_S.loan_id == _L.id)
              .correlate(models.Loan.__table__).scalar_subquery())
_PARTS = union_all(
    _part(HOUSEHOLD, _H.id == bindparam("household_id"),
          text=_H.status, day=_H.head_birth_date, s1=_H.town, s2=_H.village,
          s3=programme.CHAMPION_SHA, j1=_H.income_sources,
          b1=_H.head_labour_capable, b2=_H.food_secure, b3=_H.clothing_secure,
          b4=_H.education_secure, b5=_H.medical_secure, b6=_H.housing_secure,
          b7=_H.skills_training, b8=_H.cooperative_member, b9=_H.bad_credit_flag,
          n1=_H.per_capita_income_fen, n2=_H.productive_assets_fen, n3=_H.outside_debt_fen,
          n4=programme.ACTIVE_VERSION),
    _part(MEMBERS, (_M.household_id == bindparam("household_id")) & (_M.relation != "head"),
          o_int=_M.position, text=_M.relation, day=_M.birth_date, b1=_M.labour_capable,
          b2=_M.chronic_illness, b3=_M.disability, b4=_M.in_school),
    _part(EVENTS, _E.household_id == bindparam("household_id"),
          o_date=_E.occurred_on, o_id=_E.id, text=_E.kind, day=_E.occurred_on),
    _part(LOANS, _L.household_id == bindparam("household_id"),
          o_date=_L.disbursed_on, o_id=_L.id, text=_L.status, n1=_L.principal_fen,
          n2=_L.outstanding_principal_fen, n3=_L.days_past_due, n4=_WORST_DPD),
)
_PARTS = HotStatement(_PARTS.order_by(*(_PARTS.selected_columns[name]
                                        for name in ("part", "o_int", "o_date", "o_id"))))


@dataclass(frozen=True)
class ScoringView:
    """What an assessment sees of one household: its file and its programme loans."""

    household_id: str
    town: str
    village: str
    file: HouseholdFile
    past_loans: tuple[PastLoan, ...]
    policy_version: int  # in force when the file was read
    champion_sha: str | None

    def in_force(self, session: Session) -> tuple[Policy, Scorecard]:
        """The policy and champion scorecard in force when the view was read."""
        return programme.resolve(session, self.policy_version, self.champion_sha)

    @property
    def programme_outstanding(self) -> Decimal:
        """Programme principal still owed by the household."""
        return sum((p.outstanding for p in self.past_loans), Decimal("0.00"))


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(fen)


def scoring_view(session: Session, household_id: str) -> ScoringView:
    """The household's scoring view, or 404 when there is no such file."""
    rows = _PARTS.execute(session.connection(), {"household_id": household_id}).rows
    if not rows or rows[0].part != HOUSEHOLD:
        raise NotFound("no such household file", code="household_not_found")
    h = rows[0]
    members, events, loans = [], [], []
    for row in rows[1:]:
        if row.part == MEMBERS:
            members.append(Member(row.text, row.day, row.b1, row.b2, row.b3, row.b4))
        elif row.part == EVENTS:
            events.append(MonitoringEvent(row.text, row.day))
        else:
            principal, outstanding, dpd, worst = row.n1, row.n2, row.n3, row.n4
            loans.append(PastLoan(principal=from_fen(principal), outstanding=from_fen(outstanding),
                                  worst_dpd=max(worst or 0, dpd),
                                  currently_overdue=row.text == "active" and dpd > 0))
    household = HouseholdFile(
        borrower_birth_date=h.day,
        borrower_labour_capable=h.b1,
        status=h.text,
        members=tuple(members),
        per_capita_income=_yuan(h.n1),
        income_sources=tuple(h.j1 or ()),
        productive_assets=_yuan(h.n2),
        outside_debt=_yuan(h.n3),
        guarantees=Guarantees(h.b2, h.b3, h.b4, h.b5, h.b6),
        skills_training=h.b7,
        cooperative_member=h.b8,
        monitoring_events=tuple(events),
        bad_credit_flag=bool(h.b9),
    )
    return ScoringView(household_id, h.s1, h.s2, household, tuple(loans), h.n4, h.s3)


def build_input(view: ScoringView, *, amount: Decimal, term_months: int, purpose: str,
                on: date) -> AssessmentInput:
    """Everything the assessment sees for this request."""
    return AssessmentInput(household=view.file,
                           request=LoanRequest(amount, term_months, purpose, on),
                           past_loans=view.past_loans,
                           programme_outstanding=view.programme_outstanding)
