"""The change record of a household file (变更记录): each edit's before and after, from the trail.

`update_household` records the before and after of every non-personal field an edit changed
(money in fen, as the trail keeps money). A change of the head's name, ID number or phone is
told by its keyed hash and recorded by name only: its value never enters the trail.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Household

# The head's personal data and the keyed hash that tells whether it changed.
PERSONAL = {"head_name": "head_name_hash", "id_number": "id_number_hash", "phone": "phone_hash"}
SCALARS = ("town", "village", "status", "lifted_year", "head_labour_capable",
           "per_capita_income_fen", "productive_assets_fen", "outside_debt_fen",
           "food_secure", "clothing_secure", "education_secure", "medical_secure",
           "housing_secure", "skills_training", "cooperative_member", "bad_credit_flag")
MEMBER_FIELDS = ("relation", "birth_date", "labour_capable", "chronic_illness", "disability",
                 "in_school")
# The order fields are shown in: the form's order.
ORDER = {name: i for i, name in enumerate(SCALARS[:5] + ("members",) + SCALARS[5:6]
                                          + ("income_sources",) + SCALARS[6:])}


def _member(m) -> dict:
    values = {name: getattr(m, name) for name in MEMBER_FIELDS}
    if values["birth_date"] is not None:
        values["birth_date"] = values["birth_date"].isoformat()
    return values


def snapshot(h: Household) -> dict:
    """The file's non-personal fields as JSON values (money in fen)."""
    values = {name: getattr(h, name) for name in SCALARS}
    values["income_sources"] = list(h.income_sources or [])
    values["members"] = [_member(m) for m in h.members]
    return values


def personal_marks(h: Household) -> dict:
    """The keyed hashes of the head's personal data, to compare after an edit."""
    return {name: getattr(h, column) for name, column in PERSONAL.items()}


def personal_changed(marks: dict, h: Household) -> list[str]:
    """Which of the head's name, ID number and phone an edit changed (names only)."""
    return [name for name, column in PERSONAL.items() if getattr(h, column) != marks[name]]


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """The fields whose value differs: ({field: old}, {field: new})."""
    changed = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in changed}, {name: after[name] for name in changed}


@dataclass(frozen=True)
class Change:
    """One entry of the change record: who did what when, and the fields it changed."""

    seq: int
    occurred_at: datetime
    actor_name: str | None
    action: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)
    personal: list[str] = field(default_factory=list)
    detail: dict = field(default_factory=dict)


def _entry(event: AuditEvent) -> Change:
    detail = dict(event.detail or {})
    fields, personal = [], []
    if event.action == "household.update":
        before, after = event.before or {}, event.after or {}
        names = sorted(set(before) | set(after), key=lambda n: (ORDER.get(n, 99), n))
        fields = [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]
        # Events from before the diff was recorded name the personal fields in "fields".
        personal = detail.get("personal") or [f for f in detail.get("fields", []) if f in PERSONAL]
    return Change(event.seq, event.occurred_at, event.actor_name, event.action, fields, personal,
                  detail)


def change_record(session: Session, household_id: str, limit: int = 200) -> list[Change]:
    """The file's audited actions, newest first: creation, edits, shocks recorded, reveals."""
    events = session.execute(
        select(AuditEvent).where(AuditEvent.target_type == "household",
                                 AuditEvent.target_id == household_id)
        .order_by(AuditEvent.seq.desc()).limit(limit)).scalars()
    return [_entry(e) for e in events]
