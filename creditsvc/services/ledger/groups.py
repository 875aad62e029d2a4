"""The 台账's figures of each (bank, town) of the book, in SQL, taken into a month's snapshot
(snapshots.take; the 台账统计表 reads them from there, the month running's as well).

Four groupings: each bank in each town, each bank, each town, and the whole book ('' stands
for "all"). The loans are read once, summed by (bank, town) into a materialized CTE that the
other three groupings sum again (one statement, UNION ALL); the borrowing households once,
joined to their member counts and their credit line in force, then counted distinct in each
grouping. The stocks are
the active loans as they stand (the rows every write keeps current, which `/fund/exposure`
totals); lending, cumulative and the month's, is by disbursement date.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, literal, select, union_all
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


LOAN_FIGURES = ("loans", "outstanding_fen", "lent_fen", "disbursed_fen", "overdue_loans",
                "overdue_fen", "arrears_loans", "arrears_fen", "rate_weight")
HOUSEHOLD_FIGURES = ("households", "members", "lined_households", "line_fen")


def _sum(condition, value):
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def interest_in_arrears(on: date):
    """Per loan: the interest fallen due by ON and not paid (欠息), and since when; a subquery."""
    owed = ScheduleItem.interest_fen - ScheduleItem.paid_interest_fen
    return (select(ScheduleItem.loan_id, func.sum(owed).label("fen"),
                   func.min(ScheduleItem.due_on).label("since"))
            .where(ScheduleItem.due_on <= on, owed > 0)
            .group_by(ScheduleItem.loan_id).subquery())


def rolled_up(cells, figures: tuple[str, ...], total) -> list:
    """The four groupings of CELLS (a materialized CTE), one UNION ALL: each (bank, town) as
    it is, and each bank, each town and the whole summed over it with TOTAL(column)."""
    parts = []
    for grouping in GROUPINGS:
        keys = [cells.c[n] if n in grouping else literal(ALL) for n in ("bank_code", "town")]
        part = select(*(k.label(n) for k, n in zip(keys, ("bank_code", "town"), strict=True)),
                      *(total(cells.c[f]).label(f) for f in figures))
        parts.append(part.group_by(*(cells.c[n] for n in grouping)))
    return parts


def _loan_sums(session: Session, bank: str | None, first: date, last: date) -> dict:
    """Active loans' stocks as they stand (interest in arrears by LAST); lending through LAST
    and within FIRST..LAST. One scan of the loans by (bank, town); the rest sums those cells."""
    active = Loan.status == "active"
    owed = interest_in_arrears(last)
    overdue = and_(active, Loan.days_past_due > 0)
    arrears = and_(active, owed.c.loan_id.is_not(None))
    cells = (select(Loan.bank_code, Loan.town,
                    *(v.label(n) for n, v in zip(LOAN_FIGURES, (
                        _sum(active, 1), _sum(active, Loan.outstanding_principal_fen),
                        _sum(Loan.disbursed_on <= last, Loan.principal_fen),
                        _sum(Loan.disbursed_on.between(first, last), Loan.principal_fen),
                        _sum(overdue, 1), _sum(overdue, Loan.outstanding_principal_fen),
                        _sum(arrears, 1), _sum(arrears, owed.c.fen),
                        _sum(active, Loan.rate_bp * Loan.outstanding_principal_fen)), strict=True)))
             .select_from(Loan).outerjoin(owed, owed.c.loan_id == Loan.id)
             .group_by(Loan.bank_code, Loan.town))
    if bank is not None:
        cells = cells.where(Loan.bank_code == bank)
    cells = cells.cte("cells").prefix_with("MATERIALIZED")
    query = union_all(*rolled_up(cells, LOAN_FIGURES,
                                 lambda c: func.coalesce(func.sum(c), 0)))
    # PostgreSQL sums bigints as numeric: int() each figure.
    return {(b, t): tuple(int(v) for v in rest) for b, t, *rest in session.execute(query)}


def _household_sums(session: Session, bank: str | None, on: date) -> dict:
    """Borrowing households (of active loans), their members, and their lines in force ON.

    Households are counted once a group: each grouping reads the distinct households of its
    groups from one materialized list of (bank, town, household), not the cells' sums.
    """
    # On an expression, not the bare column: nine loans in ten are active, and SQLite would
    # otherwise read them one by one through the status index instead of scanning the table.
    borrowing = select(Loan.bank_code, Loan.town, Loan.household_id).where(
        Loan.status + "" == "active").distinct()
    if bank is not None:
        borrowing = borrowing.where(Loan.bank_code == bank)
    borrowing = borrowing.cte("borrowing_loans").prefix_with("MATERIALIZED")
    # Each household's members and line in force looked up by its key (correlated), once.
    members = (select(func.count()).where(HouseholdMember.household_id == borrowing.c.household_id)
               .scalar_subquery())
    line = (select(CreditLine.line_fen).where(CreditLine.household_id == borrowing.c.household_id,
                                              in_force(on)).limit(1).scalar_subquery())
    borrowing = (select(borrowing.c.bank_code, borrowing.c.town, borrowing.c.household_id,
                        members.label("members"), line.label("line_fen"))
                 .cte("borrowing").prefix_with("MATERIALIZED"))
    parts = []
    for grouping in GROUPINGS:
        keys = [n for n in ("bank_code", "town") if n in grouping]
        each = select(*(borrowing.c[n] for n in keys), borrowing.c.household_id,
                      borrowing.c.members, borrowing.c.line_fen).distinct().subquery()
        parts.append(select(*(each.c[n] if n in keys else literal(ALL).label(n)
                              for n in ("bank_code", "town")),
                            func.count(), func.coalesce(func.sum(each.c.members), 0),
                            func.count(each.c.line_fen),
                            func.coalesce(func.sum(each.c.line_fen), 0))
                     .group_by(*(each.c[n] for n in keys)))
    return {(b, t): tuple(int(v) for v in rest)
            for b, t, *rest in session.execute(union_all(*parts))}


def group_figures(session: Session, *, first: date, last: date,
                  bank: str | None = None) -> dict[tuple[str, str], GroupFigures]:
    """Every group's figures for the month FIRST..LAST: the book's stocks as they stand now,
    its lending through LAST and within the month; BANK: that bank's loans only.

    The whole book's group ('', '') is always there, zero for an empty book.
    """
    loans = _loan_sums(session, bank, first, last)
    households = _household_sums(session, bank, last)
    out = {(ALL, ALL): GroupFigures(ALL, ALL)}
    for key in loans.keys() | households.keys():
        out[key] = GroupFigures(*key, *loans.get(key, (0,) * len(LOAN_FIGURES)),
                                *households.get(key, (0,) * len(HOUSEHOLD_FIGURES)))
    return out
