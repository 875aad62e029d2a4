"""信用评级 and 应贷未贷: the granted credit lines of an officer's area, and the households
among them that could borrow and have not.

信用评级 lists every credit line granted (授信) in the officer's area, with its state on the
business date: 有效 (active and in force through its valid_until, `lending.dates`), 已过期
(active but past its valid_until), 已替换 (a re-rating's line replaced it), 已撤销 (revoked).

应贷未贷 on the business date D lists the households that
- hold a line in force on D (status active, valid_from <= D <= valid_until),
- are willing to borrow by their survey sheet (HouseholdSurvey.willing), and
- owe nothing and have not borrowed within the line: no programme loan that is not repaid
  (active, claimed or written off), and no loan disbursed on or after the line's valid_from.

Both are read in the officer's area (access.areas), by the town and village each line was
granted in (as an application or a loan keeps its place), a page at a time through the one
paging module, in the order the lines were granted; an officer outside the area sees nothing.

应贷未贷's counts (per village, the desk's, the list's total) are kept on write, not counted
from the lines: database triggers (migration 0019w) keep `credit_lines.waiting` (the three
conditions but the dates: active, willing, nothing owed or borrowed since valid_from) and
count the waiting lines per (town, village, grade, valid_from, valid_until) and per (town,
village, grade) on every write of a line, a survey or a loan, by any path. The count on D is
the totals less the groups not in force on D (`_waiting`): a few rows a village, whatever
the number of households, and exact on both engines. The list's rows still apply the
definition itself (the join below), so a page and its counts agree by construction, which
tests/services/test_campaign_waiting_counts.py checks against the join over every write.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, and_, cast, exists, false, func, or_, select, tuple_, union_all
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.access.areas import Area, areas_of
from creditsvc.services.platform.paging import COUNT_CAP, Page, paginate
from lending.dates import credit_line_in_force
from models import (
    CreditLine,
    Household,
    HouseholdSurvey,
    Loan,
    WaitingLineCount,
    WaitingLineTotal,
)

LINE_STATES = ("valid", "expired", "replaced", "revoked")
# A loan the household still owes on (or defaulted on): it is not "could borrow".
OWING = ("active", "claimed", "written_off")


@dataclass(frozen=True)
class ListFilter:
    """What a list is narrowed to; None means "any"."""

    town: str | None = None
    village: str | None = None  # any part of the village's name
    grade: str | None = None
    state: str | None = None  # one of LINE_STATES (信用评级 only)


@dataclass(frozen=True)
class ListedLine:
    """A row of either list: the line, its household (masked name only) and what it shows."""

    line_id: str
    household_id: str
    head_name: str  # masked: 张*
    town: str
    village: str
    grade: str
    line_fen: int
    granted_on: date
    valid_from: date
    valid_until: date
    state: str
    intended_amount_fen: int | None = None  # 意向金额, from the survey (应贷未贷)


@dataclass(frozen=True)
class AreaCounts:
    """应贷未贷 counted per village and per town of the officer's area."""

    villages: list[tuple[str, str, int]]  # (town, village, count), by town then village
    towns: dict[str, int]
    total: int


def line_state(status: str, valid_until: date, today: date) -> str:
    """A line's state on TODAY: valid, expired, replaced or revoked."""
    if status != "active":
        return status
    return "valid" if credit_line_in_force(valid_until, today) else "expired"


def _state_clause(state: str, today: date):
    """The SQL of `line_state(...) == STATE` (the same rule, for a filter)."""
    if state == "valid":
        return and_(CreditLine.status == "active", CreditLine.valid_until >= today)
    if state == "expired":
        return and_(CreditLine.status == "active", CreditLine.valid_until < today)
    return CreditLine.status == state


def in_force(today: date):
    """The line is active and in force on TODAY."""
    return and_(CreditLine.status == "active", CreditLine.valid_from <= today,
                CreditLine.valid_until >= today)


def borrowed_within_line():
    """EXISTS a loan the household owes on, or one disbursed since the line's valid_from."""
    return exists().where(Loan.household_id == CreditLine.household_id,
                          or_(Loan.status.in_(OWING), Loan.disbursed_on >= CreditLine.valid_from))


def in_areas(areas: list[Area], town, village):
    """The row's (TOWN, VILLAGE) is in AREAS, as values: the planner sees which towns and
    villages (access.areas.in_area reads them in a subquery, whose size PostgreSQL guesses:
    for one village's officer it read every line of the county to count 1,210 of them)."""
    towns = [a.town for a in areas if a.village is None]
    pairs = [(a.town, a.village) for a in areas if a.village is not None]
    terms = ([town.in_(towns)] if towns else []) + (
        [tuple_(town, village).in_(pairs)] if pairs else [])
    return or_(*terms) if terms else false()


def _narrowed(query, areas: list[Area], f: ListFilter, in_order: bool):
    """QUERY (of lines) in AREAS (an officer's), narrowed by F, by the lines' own town, village
    (where each was granted) and grade.

    IN_ORDER: a page on SQLite, read in the lines' granted order. Its terms are on
    expressions, not the bare columns, so that the lines are read in their (created_at, id)
    index's order, a page's worth: on the columns SQLite drove a page from the area's index and
    sorted every line of the area for each page (630 ms for the first page of a county-wide
    officer at 100,000 files, 0.7 ms in order). PostgreSQL's planner weighs the columns'
    statistics itself (on expressions it guessed them rare and read the households whole:
    4x at 100,000). A count is read from the area's index (ix_credit_lines_area) alone.
    """
    return _narrow(query, areas, f, CreditLine, in_order)


def _narrow(query, areas: list[Area], f: ListFilter, table, as_expressions: bool):
    """QUERY narrowed to AREAS and F by TABLE's town, village and grade (AS_EXPRESSIONS: by
    expressions of them, which no index of theirs serves)."""
    town, village, grade = ((table.town + "", table.village + "", table.grade + "")
                            if as_expressions else (table.town, table.village, table.grade))
    query = query.where(in_areas(areas, town, village))
    if f.town is not None:
        query = query.where(town == f.town)
    if f.village:  # part of the name: 西田 finds 西田村 and 下西田村
        query = query.where(village.contains(f.village.strip(), autoescape=True))
    if f.grade is not None:
        query = query.where(grade == f.grade)
    return query


COLUMNS = (CreditLine, Household.head_name_masked)
# What a count selects: a column of the area's index, so that the lines are counted from it.
COUNTED = (CreditLine.grade,)


def _rated(areas: list[Area], f: ListFilter, today: date, *columns, in_order: bool = False,
           counting: bool = False):
    """信用评级's lines: a page's rows (with the household's masked name), or COLUMNS of them
    (COUNTING: of the lines alone, without their households)."""
    query = select(*(columns or COLUMNS)).select_from(CreditLine)
    if not counting:
        query = query.join(Household, Household.id == CreditLine.household_id)
    query = _narrowed(query, areas, f, in_order)
    return query if f.state is None else query.where(_state_clause(f.state, today))


def _unborrowed(areas: list[Area], f: ListFilter, today: date, *columns,
                in_order: bool = False):
    """应贷未贷's lines: a page's rows (with the name and the survey's 意向金额), or COLUMNS."""
    query = (select(*(columns or (*COLUMNS, HouseholdSurvey.intended_amount_fen)))
             .select_from(CreditLine).join(Household, Household.id == CreditLine.household_id)
             .join(HouseholdSurvey, HouseholdSurvey.household_id == CreditLine.household_id)
             .where(in_force(today), HouseholdSurvey.willing.is_(True), ~borrowed_within_line()))
    return _narrowed(query, areas, f, in_order)


def _waiting(areas: list[Area], f: ListFilter, today: date):
    """应贷未贷 counted from the counts the triggers keep (migration 0019w): per (town,
    village), the waiting lines of every date (WaitingLineTotal) less the groups not in force
    on TODAY (WaitingLineCount granted after it or expired before it), as signed rows.

    The groups are read by their dates' indexes (the area on expressions, which those indexes
    do not serve): the groups not in force are few (a village's expired grants), while a
    village's groups in force grow with every grant date (873 a village in bench_lists).
    """
    groups = [_narrow(select(WaitingLineTotal.town, WaitingLineTotal.village,
                             WaitingLineTotal.n), areas, f, WaitingLineTotal, False)]
    for not_in_force in (WaitingLineCount.valid_from > today, WaitingLineCount.valid_until < today):
        groups.append(_narrow(select(WaitingLineCount.town, WaitingLineCount.village,
                                     -WaitingLineCount.n).where(not_in_force),
                              areas, f, WaitingLineCount, True))
    return union_all(*groups).subquery()


def _waiting_total(session: Session, areas: list[Area], f: ListFilter, today: date) -> int:
    signed = _waiting(areas, f, today)
    return session.execute(select(cast(func.coalesce(func.sum(signed.c.n), 0), BigInteger))
                           ).scalar_one()


def ratings_query(session: Session, actor: Principal, f: ListFilter, *, today: date, columns=()):
    """The SELECT of 信用评级 in ACTOR's area as filtered (COLUMNS, or the list's own)."""
    return _rated(areas_of(session, actor.user_id), f, today, *columns)


def unborrowed_query(session: Session, actor: Principal, f: ListFilter, *, today: date,
                     columns=()):
    """The SELECT of 应贷未贷 in ACTOR's area as filtered (COLUMNS, or the list's own)."""
    return _unborrowed(areas_of(session, actor.user_id), f, today, *columns)


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _listed(row, today: date) -> ListedLine:
    line, name, *intended = row
    return ListedLine(line.id, line.household_id, name, line.town, line.village, line.grade,
                      line.line_fen, line.granted_on, line.valid_from, line.valid_until,
                      line_state(line.status, line.valid_until, today),
                      intended[0] if intended else None)


def credit_ratings(session: Session, actor: Principal, f: ListFilter, *, today: date,
                   after: str | None = None, before: str | None = None, page: int = 1,
                   page_size: int = 50, count: bool = True) -> Page:
    """信用评级: a page of the lines granted in ACTOR's area (rows are ListedLine)."""
    areas = areas_of(session, actor.user_id)
    got = paginate(session, _rated(areas, f, today, in_order=_sqlite(session)), CreditLine,
                   after=after, before=before, page=page, page_size=page_size, count=count,
                   count_query=_rated(areas, f, today, *COUNTED, counting=True))
    return dataclasses.replace(got, items=[_listed(row, today) for row in got.items])


def unborrowed(session: Session, actor: Principal, f: ListFilter, *, today: date,
               after: str | None = None, before: str | None = None, page: int = 1,
               page_size: int = 50, count: bool = True) -> Page:
    """应贷未贷: a page of the households of ACTOR's area that could borrow and have not.

    Its total is the counts' (exact on both engines, never an estimate)."""
    areas = areas_of(session, actor.user_id)
    got = paginate(session, _unborrowed(areas, f, today, in_order=_sqlite(session)), CreditLine,
                   after=after, before=before, page=page, page_size=page_size, count=False)
    if count:
        total = _waiting_total(session, areas, f, today)
        got = dataclasses.replace(got, total=total, over_cap=total > COUNT_CAP)
    return dataclasses.replace(got, items=[_listed(row, today) for row in got.items])


def unborrowed_counts(session: Session, actor: Principal, f: ListFilter, *,
                      today: date) -> AreaCounts:
    """应贷未贷 counted per village and per town of ACTOR's area (F narrows it as the list)."""
    signed = _waiting(areas_of(session, actor.user_id), f, today)
    query = (select(signed.c.town, signed.c.village, cast(func.sum(signed.c.n), BigInteger))
             .group_by(signed.c.town, signed.c.village).having(func.sum(signed.c.n) > 0)
             .order_by(signed.c.town, signed.c.village))
    villages = [(town, village, n) for town, village, n in session.execute(query)]
    towns: dict[str, int] = {}
    for town, _village, n in villages:
        towns[town] = towns.get(town, 0) + n
    return AreaCounts(villages, towns, sum(towns.values()))


def desk_counts(session: Session, actor: Principal, *, today: date) -> tuple[int, int]:
    """(lines in force, 应贷未贷 households) of ACTOR's area: the desk's two counts."""
    areas = areas_of(session, actor.user_id)
    rated = _rated(areas, ListFilter(state="valid"), today, func.count(), counting=True)
    return session.execute(rated).scalar_one(), _waiting_total(session, areas, ListFilter(), today)
