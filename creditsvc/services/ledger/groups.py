"""The 台账's figures of each (bank, town) of the book, in SQL: taken into a month's snapshot, or
read live for the month running.

Four groupings: each bank in each town, each bank, each town, and the whole book ('' stands
for "all"). Loans are summed with one GROUP BY a grouping; borrowing households (distinct)
with another, joined to their member counts and their credit line in force. The stocks are
the active loans as they stand (the rows every write keeps current, which `/fund/exposure`
totals); lending, cumulative and the month's, is by disbursement date.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from creditsvc.services.campaign.lists import in_force
from models import CreditLine, HouseholdMember, Loan, ScheduleItem

ALL = ""
GROUPINGS = (("bank_code", "town"), ("bank_code",), ("town",), ())


@dataclass(frozen=True)
class GroupFigures:
    """One group's figures (integers: fen, counts, and the rate's numerator)."""

    bank_code: str
    town: str
    loans: int = 0
    outstanding_fen: int = 0
    lent_fen: int = 0
    disbursed_fen: int = 0
    overdue_loans: int = 0
    overdue_fen: int = 0
    arrears_loans: int = 0
    arrears_fen: int = 0
    rate_weight: int = 0
    households: int = 0
    members: int = 0
    lined_households: int = 0
    line_fen: int = 0

    @property
    def key(self) -> tuple[str, str]:
        """(bank_code, town), '' for all."""
        return self.bank_code, self.town


def _keys(grouping: tuple[str, ...], table) -> list:
    return [getattr(table.c, name).label(name) if name in grouping else literal(ALL).label(name)
            for name in ("bank_code", "town")]


def _sum(condition, value):
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def interest_in_arrears(on: date):
    """Per loan: the interest fallen due by ON and not paid (欠息), and since when; a subquery."""
    owed = ScheduleItem.interest_fen - ScheduleItem.paid_interest_fen
    return (select(ScheduleItem.loan_id, func.sum(owed).label("fen"),
                   func.min(ScheduleItem.due_on).label("since"))
            .where(ScheduleItem.due_on <= on, owed > 0)
            .group_by(ScheduleItem.loan_id).subquery())


def _loan_sums(session: Session, grouping, bank: str | None, first: date, last: date) -> dict:
    """Active loans' stocks as they stand (interest in arrears by LAST); lending through LAST
    and within FIRST..LAST."""
    active = Loan.status == "active"
    owed = interest_in_arrears(last)
    overdue = and_(active, Loan.days_past_due > 0)
    arrears = and_(active, owed.c.loan_id.is_not(None))
    loans = Loan.__table__
    query = (select(*_keys(grouping, loans),
                    _sum(active, 1), _sum(active, Loan.outstanding_principal_fen),
                    _sum(Loan.disbursed_on <= last, Loan.principal_fen),
                    _sum(Loan.disbursed_on.between(first, last), Loan.principal_fen),
                    _sum(overdue, 1), _sum(overdue, Loan.outstanding_principal_fen),
                    _sum(arrears, 1), _sum(arrears, owed.c.fen),
                    _sum(active, Loan.rate_bp * Loan.outstanding_principal_fen))
             .select_from(Loan).outerjoin(owed, owed.c.loan_id == Loan.id)
             .group_by(*(getattr(loans.c, name) for name in grouping)))
    if bank is not None:
        query = query.where(Loan.bank_code == bank)
    # PostgreSQL sums bigints as numeric: int() each figure.
    return {(b, t): tuple(int(v) for v in rest) for b, t, *rest in session.execute(query)}


def _household_sums(session: Session, grouping, bank: str | None, on: date) -> dict:
    """Borrowing households (of active loans), their members, and their lines in force ON."""
    borrowing = (select(*(getattr(Loan, name) for name in grouping), Loan.household_id)
                 .where(Loan.status == "active").distinct())
    if bank is not None:
        borrowing = borrowing.where(Loan.bank_code == bank)
    borrowing = borrowing.subquery()
    members = (select(HouseholdMember.household_id, func.count().label("n"))
               .group_by(HouseholdMember.household_id).subquery())
    lines = (select(CreditLine.household_id, CreditLine.line_fen)
             .where(in_force(on)).subquery())
    query = (select(*_keys(grouping, borrowing), func.count(),
                    func.coalesce(func.sum(members.c.n), 0), func.count(lines.c.household_id),
                    func.coalesce(func.sum(lines.c.line_fen), 0))
             .select_from(borrowing)
             .outerjoin(members, members.c.household_id == borrowing.c.household_id)
             .outerjoin(lines, lines.c.household_id == borrowing.c.household_id)
             .group_by(*(getattr(borrowing.c, name) for name in grouping)))
    return {(b, t): tuple(int(v) for v in rest) for b, t, *rest in session.execute(query)}


def group_figures(session: Session, *, first: date, last: date,
                  bank: str | None = None) -> dict[tuple[str, str], GroupFigures]:
    """Every group's figures for the month FIRST..LAST: the book's stocks as they stand now,
    its lending through LAST and within the month; BANK: that bank's loans only.

    The whole book's group ('', '') is always there, zero for an empty book.
    """
    out = {(ALL, ALL): GroupFigures(ALL, ALL)}
    for grouping in GROUPINGS:
        loans = _loan_sums(session, grouping, bank, first, last)
        households = _household_sums(session, grouping, bank, last)
        for key in loans.keys() | households.keys():
            out[key] = GroupFigures(*key, *loans.get(key, (0,) * 9),
                                    *households.get(key, (0,) * 4))
    return out
