"""Household files (一户一档): create, read, list, update, reveal, monitoring events."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from creditsvc.core.errors import AppError, Conflict, Invalid, NotFound
from creditsvc.core.idcard import IdNumberError, birth_date_of, normalise_id_number
from creditsvc.core.money import to_fen
from creditsvc.core.pii import PiiCipher, mask_id_number, mask_name, mask_phone
from creditsvc.core.principal import Principal
from creditsvc.services.households import changes
from creditsvc.services.households.search import name_prefix_hashes
from creditsvc.services.platform import audit
from creditsvc.services.platform.paging import Page, paginate
from lending.dates import in_future
from models import (
    Application,
    CreditLine,
    Household,
    HouseholdMember,
    HouseholdSurvey,
    MonitoringEvent,
    Rating,
)

MONEY_FIELDS = ("per_capita_income", "productive_assets", "outside_debt")
GUARANTEES = ("food", "clothing", "education", "medical", "housing")
PLAIN_FIELDS = ("town", "village", "status", "lifted_year", "head_labour_capable",
                "income_sources", "skills_training", "cooperative_member", "bad_credit_flag")


def _money_snapshot(h: Household) -> dict:
    return {f"{name}_fen": getattr(h, f"{name}_fen") for name in MONEY_FIELDS}


def id_number_hash(cipher: PiiCipher, number: str) -> str:
    """The keyed hash a file is found by from its head's (normalised) ID number."""
    return cipher.blind_index("id", number)


def same_id_number(cipher: PiiCipher, number: str):
    """WHERE the file's ID number is NUMBER, under any key (a file not yet rotated included)."""
    return Household.id_number_hash.in_(cipher.blind_indexes("id", number))


def _set_personal(h: Household, cipher: PiiCipher, data: dict) -> None:
    """Encrypt, index and mask the head's name, ID number and phone."""
    if "head_name" in data:
        h.head_name_enc = cipher.encrypt(data["head_name"])
        h.head_name_masked = mask_name(data["head_name"])
        h.head_name_hash = cipher.blind_index("name", data["head_name"])
        h.head_name_prefix1_hash, h.head_name_prefix2_hash = name_prefix_hashes(
            cipher, data["head_name"])
    if "id_number" in data:
        try:
            number = normalise_id_number(data["id_number"])
        except IdNumberError as exc:
            raise Invalid("invalid_id_number", errors={"id_number": [exc.said]}) from exc
        h.id_number_enc = cipher.encrypt(number)
        h.id_number_hash = id_number_hash(cipher, number)
        h.id_number_masked = mask_id_number(number)
        h.head_birth_date = birth_date_of(number)
    if "phone" in data:
        phone = data["phone"]
        h.phone_enc = cipher.encrypt(phone) if phone else None
        h.phone_hash = cipher.blind_index("phone", phone) if phone else None
        h.phone_masked = mask_phone(phone) if phone else None


def _apply(h: Household, data: dict) -> None:
    """Copy the non-personal fields of a create or patch payload onto the file."""
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(h, name, data[name])
    for name in MONEY_FIELDS:
        if name in data:
            value: Decimal | None = data[name]
            setattr(h, f"{name}_fen", None if value is None else to_fen(value))
    for name, value in (data.get("guarantees") or {}).items():
        setattr(h, f"{name}_secure", value)
    if h.status == "lifted" and h.lifted_year is None:
        raise Invalid("lifted_year_required", fields=("lifted_year",))


def _new_household(session: Session, actor: Principal, cipher: PiiCipher, data: dict) -> Household:
    h = Household(created_by=actor.user_id)
    _set_personal(h, cipher, data)
    if session.execute(select(Household.id).where(
            same_id_number(cipher, normalise_id_number(data["id_number"])))).first():
        raise Conflict("duplicate_household", fields=("id_number",))
    _apply(h, data)
    h.members = [HouseholdMember(position=i, **_member_fields(m, i, {}))
                 for i, m in enumerate(data.get("members", []))]
    h.events = [MonitoringEvent(**e) for e in data.get("monitoring_events", [])]
    session.add(h)
    session.flush()
    audit.record(session, actor, "household.create", target_type="household", target_id=h.id,
                 after=_money_snapshot(h), detail={"town": h.town, "village": h.village})
    return h


def file_refusals(session: Session, cipher: PiiCipher, typed: dict,
                  household_id: str | None = None) -> list[AppError]:
    """What the service refuses of a household form, found while the schema refuses other fields.

    TYPED is the form as typed (not yet valid): an ID number already on another file, and a
    file marked lifted (已脱贫) without its year.
    """
    refused: list[AppError] = []
    try:
        number = normalise_id_number(str(typed.get("id_number") or ""))
    except IdNumberError:
        number = None  # the schema says what is wrong with it
    if number is not None:
        same = select(Household.id).where(same_id_number(cipher, number))
        if household_id is not None:
            same = same.where(Household.id != household_id)
        if session.execute(same).first():
            refused.append(Conflict("duplicate_household", fields=("id_number",)))
    if typed.get("status") == "lifted" and typed.get("lifted_year") in (None, ""):
        refused.append(Invalid("lifted_year_required", fields=("lifted_year",)))
    return refused


def create_household(session: Session, actor: Principal, cipher: PiiCipher, data: dict) -> Household:
    """Open a household file; a second file for the same ID number is a 409."""
    try:
        h = _new_household(session, actor, cipher, data)
    except IntegrityError as exc:  # two officers filing the same household at once
        raise Conflict("duplicate_household", fields=("id_number",)) from exc
    return h


def import_households(session: Session, actor: Principal, cipher: PiiCipher,
                      rows: list[dict]) -> int:
    """Open many files in one transaction: all or none (e.g. from a survey spreadsheet)."""
    for data in rows:
        _new_household(session, actor, cipher, data)
    return len(rows)


def get_household(session: Session, household_id: str) -> Household:
    """One file with its members and events, or 404."""
    # One query: a file has a handful of members and events, so joining both is cheap.
    h = session.get(Household, household_id, options=[joinedload(Household.members),
                                                      joinedload(Household.events)])
    if h is None:
        raise NotFound("household_not_found")
    return h


def list_households(session: Session, *, town: str | None = None, village: str | None = None,
                    status: str | None = None, page: int = 1, page_size: int = 50,
                    after: str | None = None) -> Page:
    """A filtered page of files, oldest first: numbered, or after a cursor (services/platform/paging)."""
    query = select(Household)
    for column, value in ((Household.town, town), (Household.village, village),
                          (Household.status, status)):
        if value is not None:
            query = query.where(column == value)
    return paginate(session, query, Household, after=after, page=page, page_size=page_size,
                    options=(selectinload(Household.members), selectinload(Household.events)))


def update_household(session: Session, actor: Principal, cipher: PiiCipher, household_id: str,
                     data: dict) -> Household:
    """Change the fields given; members, when given, replace the old list."""
    h = get_household(session, household_id)
    before, marks = changes.snapshot(h), changes.personal_marks(h)
    with session.no_autoflush:
        _set_personal(h, cipher, data)
        same = (same_id_number(cipher, normalise_id_number(data["id_number"])) if "id_number" in data
                else Household.id_number_hash == h.id_number_hash)
        if session.execute(select(Household.id).where(same, Household.id != h.id)).first():
            raise Conflict("duplicate_household", fields=("id_number",))
    _apply(h, data)
    if "members" in data:
        _replace_members(session, h, data["members"])
    # The trail keeps what really changed: old and new values of the non-personal fields, and
    # only the names of the personal ones (told apart by their keyed hashes).
    old, new = changes.diff(before, changes.snapshot(h))
    personal = changes.personal_changed(marks, h)
    audit.record(session, actor, "household.update", target_type="household", target_id=h.id,
                 before=old, after=new, detail={"fields": sorted(new) + personal,
                                                "personal": personal})
    session.flush()
    return h


def _member_fields(row: dict, position: int, current: dict) -> dict:
    """ROW's fields without its id, which must name one of CURRENT (the file's members by id)."""
    fields = {name: value for name, value in row.items() if name != "id"}
    if row.get("id") is not None and row["id"] not in current:
        raise Invalid("member_not_found", fields=(f"members.{position}.id",), position=position + 1)
    return fields


def _replace_members(session: Session, h: Household, rows: list[dict]) -> None:
    """The file's members become ROWS: one sent with its id is that member changed in place
    (its name and ID number, from a survey, kept; a borrower stays the same borrower), one
    without is new, and one left out is removed unless an application, survey, rating or
    credit line names it as the borrower (409 member_in_use)."""
    current = {m.id: m for m in h.members}
    kept = []
    for i, row in enumerate(rows):
        fields = _member_fields(row, i, current)
        member = current.pop(row["id"]) if row.get("id") is not None else HouseholdMember()
        for name, value in fields.items():
            setattr(member, name, value)
        member.position = i
        kept.append(member)
    if current:
        named = set()
        for model in (Application, HouseholdSurvey, Rating, CreditLine):
            named.update(session.execute(select(model.borrower_member_id).where(
                model.borrower_member_id.in_(list(current)))).scalars())
        if in_use := [m for m in current.values() if m.id in named]:
            raise Conflict("member_in_use", fields=("members",),
                           position=min(m.position for m in in_use) + 1)
    h.members = kept


def add_monitoring_event(session: Session, actor: Principal, household_id: str, kind: str,
                         occurred_on: date, note: str | None, *, today: date) -> MonitoringEvent:
    """Record a dated shock (serious illness, disaster, income drop) that has happened by TODAY."""
    h = get_household(session, household_id)
    if in_future(occurred_on, today):
        raise Invalid("date_in_future", fields=("occurred_on",), today=today.isoformat())
    event = MonitoringEvent(household_id=h.id, kind=kind, occurred_on=occurred_on, note=note)
    session.add(event)
    session.flush()
    audit.record(session, actor, "household.monitoring_event", target_type="household",
                 target_id=h.id, detail={"kind": kind, "occurred_on": occurred_on.isoformat()})
    return event


def reveal_household(session: Session, actor: Principal, cipher: PiiCipher, household_id: str,
                     reason: str) -> dict:
    """The head's name, ID number and phone in clear; every reveal is audited with its reason."""
    h = get_household(session, household_id)
    audit.record(session, actor, "household.reveal", target_type="household", target_id=h.id,
                 detail={"reason": reason})
    return {
        "id": h.id,
        "head_name": cipher.decrypt(h.head_name_enc),
        "id_number": cipher.decrypt(h.id_number_enc),
        "phone": cipher.decrypt(h.phone_enc) if h.phone_enc else None,
    }
