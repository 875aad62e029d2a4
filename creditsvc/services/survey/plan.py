"""What importing a checked survey file would do, judged against the files on record.

Read in chunks, one query per thousand ID numbers (never one per household): the files whose
head has a row's ID number (by keyed hash), their survey sheets and members, and members of
other files with a member's ID number. Each household is then new, changed (the fields that
differ, before and after) or unchanged; a row is a problem when its ID number is on file under
another head's name, the file is outside the officer's area, or a member belongs elsewhere.
Nothing is written or locked here: the preview and the job share this plan.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ARRAY, String, any_, bindparam, select
from sqlalchemy.orm import Session

from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.services.access.areas import Area, areas_of
from creditsvc.services.survey import columns as cols
from creditsvc.services.survey.rows import Checked, HouseholdRow, MemberRow, Problem
from models import Household, HouseholdMember, HouseholdSurvey

CHUNK = 1_000
HOUSEHOLD_FIELDS = ("town", "village", "status", "lifted_year", "per_capita_income_fen",
                    "head_labour_capable")
SURVEY_FIELDS = ("group_name", "labour_count", "main_industry", "willing", "intended_amount_fen",
                 "purpose", "term_months", "surveyor", "surveyed_on")
MEMBER_FIELDS = ("relation", "birth_date", "labour_capable", "chronic_illness", "disability",
                 "in_school")


@dataclass
class Planned:
    """One household of the file: its row, its keyed hashes and, when on file, what differs."""

    row: HouseholdRow
    id_hash: str
    name_hash: str
    household_id: str | None = None  # None: a new file
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    personal: list[str] = field(default_factory=list)
    members: dict[str, dict] = field(default_factory=dict)  # id hash -> member on file
    head_member: dict | None = None
    survey_id: str | None = None
    member_hashes: dict[str, str] = field(default_factory=dict)  # member ID number -> hash
    on_file: dict = field(default_factory=dict)  # the household's row as read

    @property
    def changed(self) -> bool:
        return bool(self.after or self.personal)


@dataclass
class Plan:
    """The file's households, sorted new / changed / unchanged, and the problems found."""

    sha256: str
    households: list[Planned]
    problems: list[Problem]

    def count(self, kind: str) -> int:
        return sum(1 for p in self.households if _kind(p) == kind)


def _kind(p: Planned) -> str:
    return "new" if p.household_id is None else "changed" if p.changed else "unchanged"


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


class _Among:
    """`column IN values`, a chunk at a time: on PostgreSQL one array parameter per 20,000
    values (`= ANY(:values)`; 1,000 expanded parameters cost more to send and parse than
    the look-up), on SQLite 1,000 parameters (its limit per statement is higher)."""

    def __init__(self, session: Session):
        self.pg = session.get_bind().dialect.name == "postgresql"
        self.size = 20_000 if self.pg else CHUNK

    def chunks(self, values: list):
        return _chunks(values, self.size)

    def clause(self, column, values: list):
        if self.pg:
            return column == any_(bindparam("among", values, type_=ARRAY(String)))
        return column.in_(values)


def _in_area(areas: list[Area], town: str, village: str) -> bool:
    return any(a.town == town and a.village in (None, village) for a in areas)


def _member_snapshot(m) -> dict:
    out = {name: m[name] for name in MEMBER_FIELDS}
    if out["birth_date"] is not None:
        out["birth_date"] = out["birth_date"].isoformat()
    return out


def _wanted(p: Planned) -> tuple[dict, dict]:
    """The file's values of the household's fields and its survey's fields (as on record)."""
    r = p.row
    head = next((m for m in r.members if m.id_number == r.id_number), None)
    values = {"town": r.town, "village": r.village, "status": r.status,
              "lifted_year": r.lifted_year, "per_capita_income_fen": r.per_capita_income_fen,
              "head_labour_capable": head.labour_capable if head else None}
    survey = {name: r.survey[name] for name in SURVEY_FIELDS}
    return values, survey


def member_values(m: MemberRow, is_head: bool) -> dict:
    """A member's non-personal fields as the record keeps them."""
    return {"relation": "head" if is_head else m.relation, "birth_date": m.birth_date,
            "labour_capable": m.labour_capable, "chronic_illness": m.chronic_illness,
            "disability": m.disability, "in_school": m.in_school}


def _diff(p: Planned, on_file: dict, survey_on_file: dict | None, cipher: PiiCipher) -> None:
    values, survey = _wanted(p)
    if not p.row.members:  # no members sheet rows: the head's labour capacity stays as it is
        values.pop("head_labour_capable")
    for name, new in values.items():
        if on_file[name] != new:
            p.before[name], p.after[name] = on_file[name], new
    old_survey = survey_on_file or {}
    for name, new in survey.items():
        old = old_survey.get(name)
        if old != new:
            p.before[name], p.after[name] = old, new
    old_b = (survey_on_file or {}).get("borrower_member_id")
    old_hash = next((k for k, x in p.members.items() if x["id"] == old_b), None) if old_b else None
    wanted_b = p.row.survey["borrower_id"]
    if old_hash != (None if wanted_b in (None, p.row.id_number) else p.member_hashes[wanted_b]):
        p.personal.append("borrower")
    phone = p.row.phone
    if (cipher.blind_index("phone", phone) if phone else None) != on_file["phone_hash"]:
        p.personal.append("phone")
    if p.row.members:
        before = [_member_snapshot(m) for m in sorted(p.members.values(), key=lambda m: m["position"])]
        after = [dict(b) for b in before]
        by_position = {m["position"]: i for i, m in enumerate(
            sorted(p.members.values(), key=lambda m: m["position"]))}
        for m in p.row.members:
            is_head = m.id_number == p.row.id_number
            found = p.members.get(p.member_hashes[m.id_number]) or (p.head_member if is_head else None)
            snap = _member_snapshot(member_values(m, is_head))
            if found is None:
                after.append(snap)
            else:
                after[by_position[found["position"]]] = snap
        if before != after:
            p.before["members"], p.after["members"] = before, after


def plan(session: Session, actor: Principal, cipher: PiiCipher, checked: Checked,
         sha256: str, progress=None) -> Plan:
    """Judge CHECKED against the files on record; writes nothing."""
    problems = list(checked.problems)
    areas = areas_of(session, actor.user_id)
    planned = []
    main = cols.MAIN_SHEET
    for r in checked.households:
        if not _in_area(areas, r.town, r.village):
            problems.append(Problem(main, r.row, cols.header_of(cols.MAIN, "village"),
                                    "survey_outside_area", {"town": r.town, "village": r.village}))
            continue
        p = Planned(r, cipher.blind_index("id", r.id_number), cipher.blind_index("name", r.head_name))
        p.member_hashes = {m.id_number: cipher.blind_index("id", m.id_number) for m in r.members}
        planned.append(p)
    by_hash = {p.id_hash: p for p in planned}
    h = Household.__table__.c
    columns = (h.id, h.id_number_hash, h.head_name_hash, h.phone_hash, *(h[f] for f in HOUSEHOLD_FIELDS))
    among = _Among(session)
    for n, part in enumerate(among.chunks(list(by_hash))):
        if progress:
            progress(n * among.size, len(by_hash), "reading the files on record")
        for row in session.execute(select(*columns).where(
                among.clause(h.id_number_hash, part))).mappings():
            by_hash[row["id_number_hash"]].household_id = row["id"]
            by_hash[row["id_number_hash"]].before = dict(row)
    existing = {p.household_id: p for p in planned if p.household_id}
    rejected: set[str] = set()
    for p in existing.values():
        on_file = p.before
        if on_file["head_name_hash"] != p.name_hash:
            problems.append(Problem(main, p.row.row, cols.header_of(cols.MAIN, "head_name"),
                                    "survey_name_mismatch"))
            rejected.add(p.household_id)
        elif not _in_area(areas, on_file["town"], on_file["village"]):
            problems.append(Problem(main, p.row.row, cols.header_of(cols.MAIN, "id_number"),
                                    "survey_household_outside_area",
                                    {"town": on_file["town"], "village": on_file["village"]}))
            rejected.add(p.household_id)
    surveys, members = {}, defaultdict(dict)
    s, m = HouseholdSurvey.__table__.c, HouseholdMember.__table__.c
    for part in among.chunks(list(existing)):
        for row in session.execute(select(s.id, s.household_id, s.borrower_member_id,
                                          *(s[f] for f in SURVEY_FIELDS))
                                   .where(among.clause(s.household_id, part))).mappings():
            surveys[row["household_id"]] = dict(row)
        for row in session.execute(select(m.id, m.household_id, m.position, m.id_number_hash,
                                          m.name_hash, *(m[f] for f in MEMBER_FIELDS))
                                   .where(among.clause(m.household_id, part))).mappings():
            members[row["household_id"]][row["id_number_hash"] or f"#{row['id']}"] = dict(row)
    # A member's ID number already a member of another file.
    member_owner = {}
    wanted = [hsh for p in planned for num, hsh in p.member_hashes.items() if num != p.row.id_number]
    for part in among.chunks(wanted):
        for hsh, owner in session.execute(select(m.id_number_hash, m.household_id)
                                          .where(among.clause(m.id_number_hash, part))):
            member_owner[hsh] = owner
    for p in planned:
        own = p.household_id
        for mrow in p.row.members:
            hsh = p.member_hashes[mrow.id_number]
            if mrow.id_number != p.row.id_number and member_owner.get(hsh) not in (None, own):
                problems.append(Problem(cols.MEMBERS_SHEET, mrow.row,
                                        cols.header_of(cols.MEMBERS, "id_number"),
                                        "survey_member_other_household"))
                rejected.add(own or p.id_hash)
    for p in existing.values():
        if p.household_id in rejected:
            continue
        p.members = members.get(p.household_id, {})
        p.head_member = next((x for x in p.members.values() if x["relation"] == "head"), None)
        survey = surveys.get(p.household_id)
        p.survey_id = survey["id"] if survey else None
        on_file = p.on_file = p.before
        p.before = {}
        _diff(p, on_file, survey, cipher)
        # By keyed hash, as the head's name, not by decrypting each member's.
        name_mismatch = [x for x in p.row.members if p.member_hashes[x.id_number] in p.members
                         and p.members[p.member_hashes[x.id_number]]["name_hash"] is not None
                         and p.members[p.member_hashes[x.id_number]]["name_hash"]
                         != cipher.blind_index("name", x.name)]
        for x in name_mismatch:
            problems.append(Problem(cols.MEMBERS_SHEET, x.row, cols.header_of(cols.MEMBERS, "name"),
                                    "survey_member_name_mismatch"))
            rejected.add(p.household_id)
    kept = [p for p in planned if (p.household_id or p.id_hash) not in rejected]
    problems.sort(key=lambda x: (x.sheet != main, x.row))
    return Plan(sha256, kept, problems)
