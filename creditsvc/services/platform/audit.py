"""Record audited actions and append them to the hash-chained trail.

`record` keeps an event with the session; the unit of work appends the session's events at
commit (`append_pending`), in the same transaction as the writes they describe. Each event's
hash is the SHA-256 of its canonical JSON, which includes the previous event's hash: editing,
removing or reordering an event breaks every link after it (see `audit_chain.verify_chain`).
"""

import hashlib
import json
from collections.abc import Mapping

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, scoped_session

from creditsvc.core.principal import Principal
from models import AuditEvent, AuditHead
from models.base import utcnow

GENESIS = "0" * 64
PENDING = "creditsvc.audit.pending"
REFUSED = "creditsvc.audit.refused"

# What an event's hash covers: every column but the hash itself.
HASHED = ("seq", "occurred_at", "actor_id", "actor_name", "role", "action", "target_type",
          "target_id", "request_id", "outcome", "before", "after", "detail", "prev_hash")


def canonical(fields: dict) -> str:
    """The event's canonical JSON (sorted keys, no spaces): what its hash is the SHA-256 of."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(event) -> str:
    """The hash of EVENT (an AuditEvent, or a mapping of its columns)."""
    values = event if isinstance(event, Mapping) else {name: getattr(event, name) for name in HASHED}
    fields = {name: values[name] for name in HASHED}
    fields["occurred_at"] = fields["occurred_at"].isoformat()
    return hashlib.sha256(canonical(fields).encode()).hexdigest()


def _real(session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def record(session: Session, actor: Principal, action: str, *, target_type: str | None = None,
           target_id: str | None = None, outcome: str = "ok", before: dict | None = None,
           after: dict | None = None, detail: dict | None = None) -> None:
    """Keep one event with the session; the unit of work appends it when it commits."""
    _real(session).info.setdefault(PENDING, []).append(_event(
        actor, action, target_type, target_id, outcome, before, after, detail))


def _event(actor: Principal, action: str, target_type: str | None, target_id: str | None,
           outcome: str, before: dict | None, after: dict | None, detail: dict | None) -> dict:
    return dict(occurred_at=utcnow(), actor_id=actor.user_id, actor_name=actor.name,
                role=actor.role, action=action, target_type=target_type, target_id=target_id,
                request_id=actor.request_id, outcome=outcome, before=before, after=after,
                detail=detail)


def record_refusal(session: Session, actor: Principal, action: str, code: str, *,
                   target_type: str | None = None, target_id: str | None = None,
                   detail: dict | None = None) -> None:
    """Keep the event of a step refused with CODE (outcome refused): the refusal rolls the step
    back, not the record of it; the unit of work appends it after its rollback (or with its
    commit)."""
    _real(session).info.setdefault(REFUSED, []).append(_event(
        actor, action, target_type, target_id, "refused", None, None,
        {**(detail or {}), "code": code}))


def take_refusals(session: Session) -> list[dict]:
    """The refusals recorded in the session's transaction, forgotten there (for the caller to
    append in a transaction of their own)."""
    return list(_real(session).info.pop(REFUSED, ()))


def requeue(session: Session, events: list[dict]) -> None:
    """Record EVENTS (taken by `take_refusals`) again, to be appended at the next commit."""
    _real(session).info.setdefault(PENDING, []).extend(events)


def pending(session: Session) -> list[dict]:
    """The events recorded in the session's open transaction, not yet appended."""
    return list(_real(session).info.get(PENDING, ()))


def discard_pending(session: Session) -> None:
    """Forget the recorded events (their transaction is being rolled back)."""
    _real(session).info.pop(PENDING, None)


# Built once at import, of the tables' columns: every write appends, and a statement built per
# call costs more CPU than its round trip.
_head = AuditHead.__table__
_LOCK_HEAD = select(_head.c.last_seq, _head.c.last_hash).where(_head.c.id == 1).with_for_update()
_APPEND = insert(AuditEvent.__table__)


def append_pending(session: Session) -> None:
    """Append the recorded events to the chain, in the order recorded, in the caller's transaction.

    The head row is locked (FOR UPDATE on PostgreSQL; SQLite's writers are already serialised
    by BEGIN IMMEDIATE), so concurrent appends queue and the chain stays linear. A trigger on
    audit_events moves the head and refuses an event that does not extend it (migration 0005).
    """
    session = _real(session)
    events = session.info.pop(PENDING, []) + session.info.pop(REFUSED, [])
    if not events:
        return
    seq, prev = session.execute(_LOCK_HEAD).one()
    rows = []
    for fields in events:
        seq += 1
        row = {**fields, "seq": seq, "prev_hash": prev}
        row["hash"] = prev = digest(row)
        rows.append(row)
    session.execute(_APPEND, rows)
