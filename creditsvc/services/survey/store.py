"""Writing a survey plan set-based: new files, changed files and their change records.

Rows go in with one multi-row statement per table and chunk (SQLAlchemy's executemany), never
one ORM unit per household: 100,000 households are a few dozen statements per table. Personal
data is encrypted, indexed and masked as `households.files` does it (the same cipher and
masks); a changed file's change record is one `household.update` event with the before and
after of each changed field, its personal fields named only. Unchanged households are not
touched. Every survey sheet written carries the file's SHA-256 and its row.
"""

from datetime import date

from sqlalchemy import Table, bindparam, text, update
from sqlalchemy.orm import Session

from creditsvc.core.pii import PiiCipher, mask_id_number, mask_name, mask_phone
from creditsvc.core.principal import Principal
from creditsvc.services.households.search import name_prefix_hashes
from creditsvc.services.platform import audit
from creditsvc.services.survey import bulk
from creditsvc.services.survey.plan import HOUSEHOLD_FIELDS, SURVEY_FIELDS, Plan, Planned, member_values
from models import Household, HouseholdMember, HouseholdSurvey
from models.base import new_id, utcnow

CHUNK = 2_000
ANALYZE_AFTER = 10_000  # new files in one import
EMPTY_FILE = {"income_sources": [], "productive_assets_fen": None, "outside_debt_fen": None,
              "food_secure": None, "clothing_secure": None, "education_secure": None,
              "medical_secure": None, "housing_secure": None, "skills_training": None,
              "cooperative_member": None, "bad_credit_flag": False}


def _json(value):
    return value.isoformat() if isinstance(value, date) else value


class _Batch:
    """Rows waiting to be written, flushed a chunk at a time."""

    def __init__(self, session: Session):
        self.session = session
        self.rows: dict[str, list] = {}

    def add(self, name: str, row: dict) -> None:
        self.rows.setdefault(name, []).append(row)

    def flush(self, statements: dict) -> None:
        for name, statement in statements.items():  # in order: files before their members
            rows = self.rows.pop(name, None)
            if not rows:
                continue
            if isinstance(statement, Table):
                bulk.insert_rows(self.session, statement, rows)
            else:
                self.session.execute(statement, rows)


def _phone(cipher: PiiCipher, phone: str | None, token: str | None = None) -> dict:
    if not phone:
        return {"phone_enc": None, "phone_hash": None, "phone_masked": None}
    return {"phone_enc": token or cipher.encrypt(phone),
            "phone_hash": cipher.blind_index("phone", phone), "phone_masked": mask_phone(phone)}


def _person(name: str, name_hash: str, number: str, id_hash: str, name_enc: str,
            id_enc: str) -> dict:
    return {"name_enc": name_enc, "name_hash": name_hash, "name_masked": mask_name(name),
            "id_number_enc": id_enc, "id_number_hash": id_hash,
            "id_number_masked": mask_id_number(number)}


def _new(batch: _Batch, cipher: PiiCipher, p: Planned, actor: Principal, now) -> str | None:
    """Stage a new file, its members and its survey; returns the borrower member's id."""
    r, hid = p.row, new_id()
    p.household_id = hid
    prefix1, prefix2 = name_prefix_hashes(cipher, r.head_name)
    head = next((m for m in r.members if m.id_number == r.id_number), None)
    others = [m for m in r.members if m.id_number != r.id_number]
    # The household's personal data in one batch: the head, the phone, then each member.
    tokens = cipher.encrypt_many([r.head_name, r.id_number, r.phone or "",
                                  *(x for m in others for x in (m.name, m.id_number))])
    # The head's member row carries the same tokens as the file.
    person = _person(r.head_name, p.name_hash, r.id_number, p.id_hash, tokens[0], tokens[1])
    batch.add("households", {
        "id": hid, "town": r.town, "village": r.village,
        "head_name_enc": person["name_enc"], "head_name_masked": person["name_masked"],
        "head_name_hash": p.name_hash, "head_name_prefix1_hash": prefix1,
        "head_name_prefix2_hash": prefix2, "id_number_enc": person["id_number_enc"],
        "id_number_hash": p.id_hash, "id_number_masked": person["id_number_masked"],
        **_phone(cipher, r.phone, tokens[2]), "head_birth_date": _birth(r.id_number),
        "head_labour_capable": head.labour_capable if head else None, "status": r.status,
        "lifted_year": r.lifted_year, "per_capita_income_fen": r.per_capita_income_fen,
        **EMPTY_FILE, "created_by": actor.user_id, "created_at": now, "updated_at": now})
    ids = {}
    head_values = member_values(head, True) if head else {
        "relation": "head", "birth_date": _birth(r.id_number), "labour_capable": None,
        "chronic_illness": False, "disability": False, "in_school": False}
    ids[r.id_number] = new_id()
    batch.add("members", {"id": ids[r.id_number], "household_id": hid, "position": 0, **person,
                          **head_values})
    for position, m in enumerate(others, start=1):
        at = 1 + 2 * position
        ids[m.id_number] = _member(batch, hid, position, _person(
            m.name, cipher.blind_index("name", m.name), m.id_number, p.member_hashes[m.id_number],
            tokens[at], tokens[at + 1]), member_values(m, False))
    borrower = r.survey["borrower_id"]
    return None if borrower in (None, r.id_number) else ids[borrower]


def _birth(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _member(batch: _Batch, hid: str, position: int, person: dict, values: dict) -> str:
    mid = new_id()
    batch.add("members", {"id": mid, "household_id": hid, "position": position, **person,
                          **values})
    return mid


def _changed(batch: _Batch, cipher: PiiCipher, p: Planned, now) -> str | None:
    """Stage a changed file's new values, its members' and its survey's; the borrower's id."""
    r = p.row
    values = {name: p.after.get(name, p.on_file[name]) for name in HOUSEHOLD_FIELDS}
    row = {"b_id": p.household_id, **values, "updated_at": now}
    if "phone" in p.personal:
        batch.add("households_phone", {**row, **_phone(cipher, r.phone)})
    else:
        batch.add("households_update", row)
    ids = {}
    last = max((m["position"] for m in p.members.values()), default=-1)
    for m in r.members:
        is_head = m.id_number == r.id_number
        hsh = p.member_hashes[m.id_number]
        found = p.members.get(hsh) or (p.head_member if is_head else None)
        person = _person(m.name, cipher.blind_index("name", m.name), m.id_number, hsh,
                         *cipher.encrypt_many([m.name, m.id_number]))
        if found is None:
            last += 1
            ids[m.id_number] = _member(batch, p.household_id, last, person,
                                       member_values(m, is_head))
        else:
            ids[m.id_number] = found["id"]
            batch.add("members_update", {"b_id": found["id"], **member_values(m, is_head),
                                         **person})
    borrower = r.survey["borrower_id"]
    return None if borrower in (None, r.id_number) else ids[borrower]


def _survey(batch: _Batch, p: Planned, borrower: str | None, plan: Plan, actor: Principal, now):
    values = {name: p.row.survey[name] for name in SURVEY_FIELDS}
    values.update(borrower_member_id=borrower, source_sha256=plan.sha256, source_row=p.row.row,
                  recorded_by=actor.user_id, updated_at=now)
    if p.survey_id is None:
        batch.add("surveys", {"id": new_id(), "household_id": p.household_id, "created_at": now,
                              **values})
    else:
        batch.add("surveys_update", {"b_id": p.survey_id, **values})


def _statements() -> dict:
    h, m, s = Household.__table__, HouseholdMember.__table__, HouseholdSurvey.__table__

    def by_id(table):
        return update(table).where(table.c.id == bindparam("b_id"))

    return {"households": h, "households_update": by_id(h),
            "households_phone": by_id(h), "members": m, "members_update": by_id(m),
            "surveys": s, "surveys_update": by_id(s)}


def write(session: Session, actor: Principal, cipher: PiiCipher, plan: Plan, progress=None) -> dict:
    """Write PLAN in the session's transaction; the counts of new, changed and unchanged files."""
    now, batch, statements = utcnow(), _Batch(session), _statements()
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    todo = plan.households
    for i, p in enumerate(todo, start=1):
        if p.household_id is None:
            counts["new"] += 1
            borrower = _new(batch, cipher, p, actor, now)
        elif p.changed:
            counts["changed"] += 1
            borrower = _changed(batch, cipher, p, now)
            audit.record(session, actor, "household.update", target_type="household",
                         target_id=p.household_id,
                         before={k: _json(v) for k, v in p.before.items()},
                         after={k: _json(v) for k, v in p.after.items()},
                         detail={"fields": sorted(p.after) + p.personal, "personal": p.personal,
                                 "source": "survey", "sha256": plan.sha256, "row": p.row.row})
        else:
            counts["unchanged"] += 1
            continue
        _survey(batch, p, borrower, plan, actor, now)
        if i % CHUNK == 0:
            batch.flush(statements)
            if progress:
                progress(i, len(todo), "writing the household files")
    batch.flush(statements)
    if counts["new"] >= ANALYZE_AFTER and session.get_bind().dialect.name == "postgresql":
        # Rows COPYed in bulk leave the planner's statistics stale until autovacuum: the
        # next import's look-ups by keyed hash then scanned whole tables (measured 3x slower).
        for table in ("households", "household_members", "household_surveys"):
            session.execute(text(f"ANALYZE {table}"))
    return counts
