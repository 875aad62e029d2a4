"""A survey file's rows checked one by one: each household and member, or its problems by cell.

Every problem names its sheet, row and column (the header as the file has it) and a catalogue
code; the Chinese is the catalogue's. Checks across rows: the same ID number twice in the
file, a member whose head is not in the file, a borrower who is not a member, and 家庭人口
against the members sheet. Checks against the files on record are the plan's (`plan`).
"""

from dataclasses import dataclass, field
from datetime import date

from creditsvc.core.idcard import IdNumberError, birth_date_of, normalise_id_number
from creditsvc.core.pii import normalise_mobile, validate_name
from creditsvc.core.refusals import ValueProblem
from creditsvc.core.vocab import TOWNS
from creditsvc.services.survey import columns as cols
from creditsvc.services.survey import values as v
from creditsvc.services.survey.sheet import Book, Sheet

MAX_AMOUNT_YUAN = 50_000
MAX_INCOME_YUAN = 10_000_000


@dataclass(frozen=True)
class Problem:
    """One cell's problem: sheet, row number, column header, catalogue code and parameters."""

    sheet: str
    row: int
    column: str
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class MemberRow:
    """A member as the members sheet gives it (the head too, when listed)."""

    row: int
    head_id: str
    name: str
    id_number: str
    relation: str
    labour_capable: bool | None
    chronic_illness: bool
    disability: bool
    in_school: bool

    @property
    def birth_date(self) -> date:
        return birth_date_of(self.id_number)


@dataclass
class HouseholdRow:
    """A household's survey row, normalised."""

    row: int
    town: str
    village: str
    head_name: str
    id_number: str
    phone: str | None
    size: int
    status: str
    lifted_year: int | None
    per_capita_income_fen: int | None
    survey: dict  # the HouseholdSurvey fields (borrower as an ID number: borrower_id)
    members: list[MemberRow] = field(default_factory=list)


@dataclass
class Checked:
    """The file's good rows and every problem found."""

    households: list[HouseholdRow]
    problems: list[Problem]
    member_rows: int = 0


class _Row:
    """Reads one row's cells by field, collecting each cell's problem."""

    def __init__(self, sheet: Sheet, number: int, record: dict, problems: list[Problem],
                 columns: tuple[cols.Column, ...]):
        self.sheet, self.number, self.record, self.problems = sheet, number, record, problems
        self.columns = {c.key: c for c in columns}
        self.bad = False

    def header(self, key: str) -> str:
        return self.columns[key].header

    def fail(self, key: str, code: str, **params) -> None:
        self.problems.append(Problem(self.sheet.name, self.number, self.header(key), code, params))
        self.bad = True

    def get(self, key: str, read, *args):
        raw = self.record.get(key)
        if raw is None or raw == "" or (isinstance(raw, str) and v.text(raw) == ""):
            if self.columns[key].required:
                self.fail(key, "field_required")
            return None
        try:
            return read(raw, *args)
        except ValueProblem as exc:
            self.fail(key, exc.code, **exc.params)
            return None


def _id(raw, today: date | None = None) -> str:
    return normalise_id_number(v.compact(raw), today)


def _name(raw) -> str:
    return validate_name(v.text(raw))


def _phone(raw) -> str:
    return normalise_mobile(v.compact(raw))


def _town(raw) -> str:
    town = v.text(raw)
    if town not in TOWNS:
        raise ValueProblem("survey_unknown_village", towns="、".join(TOWNS))
    return town


def _household(sheet: Sheet, number: int, cells: list, problems: list[Problem],
               today: date) -> HouseholdRow | None:
    r = _Row(sheet, number, sheet.record(cells), problems, cols.MAIN)
    town, village = r.get("town", _town), r.get("village", v.limited, 64)
    head_name, id_number = r.get("head_name", _name), r.get("id_number", _id, today)
    phone = r.get("phone", _phone)
    size = r.get("size", v.whole, 1, 30)
    status = r.get("status", v.choice, cols.STATUS_WORDS, cols.DROPDOWN["status"])
    lifted_year = r.get("lifted_year", v.whole, 2000, today.year)
    if status == "lifted" and lifted_year is None and not r.bad:
        r.fail("lifted_year", "lifted_year_required")
    income = r.get("per_capita_income", v.fen, MAX_INCOME_YUAN)
    survey = {
        "group_name": r.get("group_name", v.limited, 32),
        "labour_count": r.get("labour_count", v.whole, 0, 30),
        "main_industry": r.get("main_industry", v.limited, 64),
        "willing": r.get("willing", v.choice, cols.YES_WORDS, cols.DROPDOWN["yes_no"]),
        "intended_amount_fen": r.get("intended_amount", v.fen, MAX_AMOUNT_YUAN),
        "purpose": r.get("purpose", v.choice, cols.PURPOSE_WORDS, cols.DROPDOWN["purpose"]),
        "term_months": r.get("term_months", v.whole, 1, 36),
        "borrower_id": r.get("borrower_id", _id, today),
        "surveyor": r.get("surveyor", v.limited, 64),
        "surveyed_on": r.get("surveyed_on", v.day),
    }
    if survey["intended_amount_fen"] == 0:
        survey["intended_amount_fen"] = None
    if survey["surveyed_on"] is not None and survey["surveyed_on"] > today:
        r.fail("surveyed_on", "date_in_future", today=today.isoformat())
    if r.bad:
        return None
    return HouseholdRow(number, town, village, head_name, id_number, phone, size, status,
                        lifted_year, income, survey)


def _member(sheet: Sheet, number: int, cells: list, problems: list[Problem],
            today: date) -> MemberRow | None:
    r = _Row(sheet, number, sheet.record(cells), problems, cols.MEMBERS)
    yes = (cols.YES_WORDS, cols.DROPDOWN["yes_no"])
    m = MemberRow(number, r.get("head_id", _id, today), r.get("name", _name),
                  r.get("id_number", _id, today),
                  r.get("relation", v.choice, cols.RELATION_WORDS, cols.DROPDOWN["relation"]),
                  r.get("labour_capable", v.choice, *yes),
                  bool(r.get("chronic_illness", v.choice, *yes)),
                  bool(r.get("disability", v.choice, *yes)), bool(r.get("in_school", v.choice, *yes)))
    return None if r.bad else m


def check(book: Book, today: date) -> Checked:
    """Every row of BOOK checked; the households with their members, and the problems."""
    problems: list[Problem] = []
    main, by_id, first_row = book.main, {}, {}
    id_header = cols.header_of(cols.MAIN, "id_number")
    for number, cells in main.rows:
        h = _household(main, number, cells, problems, today)
        if h is None:
            continue
        if h.id_number in first_row:
            problems.append(Problem(main.name, number, id_header, "survey_duplicate_person",
                                    {"other": first_row[h.id_number]}))
            by_id.pop(h.id_number, None)
            continue
        first_row[h.id_number] = number
        by_id[h.id_number] = h
    member_rows, seen = 0, {}
    bad_heads: set[str] = set()
    if book.members is not None:
        sheet = book.members
        for number, cells in sheet.rows:
            member_rows += 1
            m = _member(sheet, number, cells, problems, today)
            if m is None:
                continue
            head = by_id.get(m.head_id)
            at = (cols.header_of(cols.MEMBERS, "head_id"), cols.header_of(cols.MEMBERS, "id_number"))
            if head is None:
                if m.head_id not in first_row:
                    problems.append(Problem(sheet.name, number, at[0], "survey_head_not_in_file"))
                continue
            key = m.id_number
            if key in seen or (key in first_row and key != m.head_id):
                other = seen.get(key) or first_row[key]
                problems.append(Problem(sheet.name, number, at[1], "survey_duplicate_person",
                                        {"other": other}))
                bad_heads.add(m.head_id)
                continue
            seen[key] = number
            head.members.append(m)
    size_header = cols.header_of(cols.MAIN, "size")
    borrower_header = cols.header_of(cols.MAIN, "borrower_id")
    for h in list(by_id.values()):
        others = [m for m in h.members if m.id_number != h.id_number]
        count = len(others) + 1
        if h.members and h.size != count:
            problems.append(Problem(main.name, h.row, size_header, "survey_size_mismatch",
                                    {"size": h.size, "count": count}))
            bad_heads.add(h.id_number)
        borrower = h.survey["borrower_id"]
        if borrower not in (None, h.id_number) and borrower not in {m.id_number for m in others}:
            problems.append(Problem(main.name, h.row, borrower_header, "survey_borrower_not_member"))
            bad_heads.add(h.id_number)
    households = [h for h in by_id.values() if h.id_number not in bad_heads]
    problems.sort(key=lambda p: (p.sheet != main.name, p.row))
    return Checked(households, problems, member_rows)


def safe_id(raw) -> str | None:
    """A cell's ID number if it is one (for naming a row), else None."""
    try:
        return _id(raw)
    except IdNumberError:
        return None
