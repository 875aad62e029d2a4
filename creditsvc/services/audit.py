"""Append to and verify the hash-chained audit trail."""

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass

from sqlalchemy import Text, bindparam, event, func, select, text
from sqlalchemy.orm import Session, scoped_session

from creditsvc.hotsql import HotStatement
from creditsvc.pii import derive_key
from creditsvc.principal import Principal
from models import AuditEvent, AuditHead
from models.base import utcnow

GENESIS = "0" * 64


def _canonical(fields: dict) -> str:
    """The event's canonical JSON (sorted keys, no spaces): what its hash is the SHA-256 of."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _digest(fields: dict) -> str:
    """SHA-256 of the event's canonical JSON."""
    return hashlib.sha256(_canonical(fields).encode()).hexdigest()


# What an event's hash covers: every column but the hash itself.
HASHED = ("seq", "occurred_at", "actor_id", "actor_name", "role", "action", "target_type",
          "target_id", "request_id", "outcome", "before", "after", "detail", "prev_hash")


def _hashed_fields(values: dict) -> dict:
    return {name: (values[name].isoformat() if name == "occurred_at" else values[name])
            for name in HASHED}


def _event_values(ev: AuditEvent) -> dict:
    return {name: getattr(ev, name) for name in HASHED}


def record(session: Session, actor: Principal, action: str, *, target_type: str | None = None,
           target_id: str | None = None, outcome: str = "ok", before: dict | None = None,
           after: dict | None = None, detail: dict | None = None) -> None:
    """Append one event in the caller's transaction (it commits or rolls back with the write).

    Inside a transaction that defers appends (see `defer_appends`), the event waits until
    `append_deferred`, so that the chain's head row is locked only for the final moments.
    """
    fields = dict(occurred_at=utcnow(), actor_id=actor.user_id, actor_name=actor.name,
                  role=actor.role, action=action, target_type=target_type, target_id=target_id,
                  request_id=actor.request_id, outcome=outcome, before=before, after=after,
                  detail=detail)
    session = _real(session)
    pending = session.info.get(PENDING)
    if pending is None:
        _append(session, fields)
    else:
        pending.append((session.get_nested_transaction() or session.get_transaction(), fields))


def _append(session: Session, fields: dict) -> None:
    _append_many(session, [fields])


_HEAD, _EVENTS = AuditHead.__table__, AuditEvent.__table__
# Built once: every write request appends, so statement construction is kept off its path.
_LOCK_HEAD = HotStatement(
    select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == 1).with_for_update())
_INSERT_EVENT = _EVENTS.insert()
_INSERT_ONE_EVENT = HotStatement(_INSERT_EVENT)


# PostgreSQL, one event (a request's usual append): lock the head and insert the event that
# extends it in one statement. Only seq and prev_hash come from the head, so the canonical JSON
# is written here around them and the server fills them in and hashes it: the same text, so
# the same hash, as `_digest` (the chain verifies the same way).
_EVENT_COLUMNS = tuple(c for c in HASHED if c not in ("seq", "prev_hash"))  # the event's own
_APPEND_BINDS = (*(bindparam(c, type_=_EVENTS.c[c].type) for c in _EVENT_COLUMNS),
                 *(bindparam(c, type_=Text()) for c in ("to_prev", "to_seq", "rest")))


def append_one_statement(*ctes: str, returning: str | None = None, binds=()) -> HotStatement:
    """PostgreSQL: a statement that appends one event on the head it locks.

    CTES are the caller's own common table expressions, run in the same statement (say, a
    write that must commit with the event); RETURNING what the statement returns. Its bind
    parameters: the event's, from `take_one_deferred`, and BINDS (those of the CTES).
    """
    returned = f" RETURNING {returning}" if returning else ""
    return HotStatement(text(
        "WITH " + ", ".join((*ctes, "head AS (SELECT last_seq, last_hash FROM audit_head "
                                    "WHERE id = 1 FOR UPDATE)")) + " "
        f"INSERT INTO audit_events (seq, {', '.join(_EVENT_COLUMNS)}, prev_hash, hash) "
        f"SELECT head.last_seq + 1, {', '.join(':' + c for c in _EVENT_COLUMNS)}, "
        "head.last_hash, encode(sha256(convert_to(:to_prev || head.last_hash || :to_seq || "
        f"CAST(head.last_seq + 1 AS TEXT) || :rest, 'UTF8')), 'hex') FROM head{returned}"
    ).bindparams(*_APPEND_BINDS, *binds))


_APPEND_ONE = append_one_statement()


def _one_append_params(fields: dict) -> dict | None:
    """The parameters of `append_one_statement` for one event, or None when it cannot be cut."""
    cut = _around_head(fields)
    if cut is None:
        return None
    return {**{c: fields[c] for c in _EVENT_COLUMNS},
            "to_prev": cut[0], "to_seq": cut[1], "rest": cut[2]}


def take_one_deferred(session) -> dict | None:
    """PostgreSQL: the held event's `append_one_statement` parameters, taken off the list.

    None, and nothing taken, unless exactly one event is held (a request's usual append),
    the engine is PostgreSQL and the event can be cut (see `_around_head`).
    """
    session = _real(session)
    pending = session.info.get(PENDING)
    if not pending or len(pending) != 1 or session.get_bind().dialect.name != "postgresql":
        return None
    params = _one_append_params(pending[0][1])
    if params is not None:
        pending.clear()
    return params


def _around_head(fields: dict) -> tuple[str, str, str] | None:
    """The event's canonical JSON cut where prev_hash's value and seq go, or None.

    Rendered with a random marker in each place; None (the caller then hashes in Python) in
    the all but impossible case that a marker also appears in the event's own text.
    """
    marker = secrets.token_hex(16)
    canonical = _canonical(_hashed_fields({**fields, "prev_hash": marker + "p",
                                           "seq": marker + "s"}))
    to_prev, found_prev, rest = canonical.partition(marker + "p")
    to_seq, found_seq, rest = rest.partition(f'"{marker}s"')
    if not (found_prev and found_seq) or marker in to_prev + to_seq + rest:
        return None
    return to_prev, to_seq, rest


def _append_many(session: Session, many: list[dict]) -> None:
    # The head row lock makes appends one batch at a time: the chain stays linear. Core
    # statements on the session's connection: same transaction, no unit of work to run.
    # A trigger on audit_events moves the head (and refuses an event that does not extend
    # the chain; migration 0005), so the head is not written here.
    conn = session.connection()
    if len(many) == 1 and conn.dialect.name == "postgresql":
        params = _one_append_params(many[0])
        if params is not None:
            _APPEND_ONE.execute(conn, params)
            return
    seq, prev = _LOCK_HEAD.execute(conn).one()
    rows = []
    for fields in many:
        seq += 1
        row = {**fields, "seq": seq, "prev_hash": prev}
        row["hash"] = prev = _digest(_hashed_fields(row))
        rows.append(row)
    # One row (a request's usual event) on the driver's cursor; a batch is executemany.
    if len(rows) == 1:
        _INSERT_ONE_EVENT.execute(conn, rows[0])
    else:
        conn.execute(_INSERT_EVENT, rows)


PENDING = "creditsvc.audit.pending"


def _real(session) -> Session:
    """The request's own Session behind a scoped one: it carries the deferral list."""
    return session() if isinstance(session, scoped_session) else session


def defer_appends(session: Session) -> None:
    """Hold this session's events until append_deferred (a long request's transaction)."""
    _real(session).info[PENDING] = []


def discard_deferred(session: Session) -> None:
    """Forget held events (their transaction was rolled back)."""
    _real(session).info[PENDING] = []


def append_deferred(session: Session) -> None:
    """Append the held events of work that was not rolled back, in the order recorded.

    In the caller's transaction, which the caller then commits (the events go with it).
    """
    session = _real(session)
    pending = session.info.pop(PENDING, None) or []
    if pending:
        _append_many(session, [fields for _, fields in pending])


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction) -> None:
    """A rolled-back savepoint or transaction takes its held events with it."""
    pending = session.info.get(PENDING)
    if not pending:
        return

    def inside(tx) -> bool:
        while tx is not None:
            if tx is previous_transaction:
                return True
            tx = tx.parent
        return False

    pending[:] = [(tx, fields) for tx, fields in pending if not inside(tx)]


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification: ok, events checked, and the first broken link."""

    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str | None = None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first event whose link or content is wrong."""
    head = session.get(AuditHead, 1)
    prev_hash, expected_seq, checked, last_seq = GENESIS, 1, 0, 0
    while True:
        events = session.execute(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).scalars().all()
        if not events:
            break
        for ev in events:
            if ev.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, f"event {expected_seq} is missing")
            if ev.prev_hash != prev_hash:
                return ChainReport(False, checked, ev.seq, "link to the previous event is broken")
            if _digest(_hashed_fields(_event_values(ev))) != ev.hash:
                return ChainReport(False, checked, ev.seq, "content does not match its hash")
            prev_hash, expected_seq, checked, last_seq = ev.hash, ev.seq + 1, checked + 1, ev.seq
        session.expunge_all()
    if head is None:
        return ChainReport(False, checked, None, "the chain head is missing")
    if head.last_seq != checked or head.last_hash != prev_hash:
        return ChainReport(False, checked, checked + 1,
                           f"the chain ends at {checked} but its head says {head.last_seq}: tail removed")
    return ChainReport(True, checked)


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment, to be kept outside the database.

    Someone with full rights on the database can rewrite every event and the head so that
    the chain verifies again; they cannot make event SEQ hash to an anchor kept elsewhere.
    The MAC (keyed from the service's secret) shows the anchor was taken by this service.
    """

    seq: int
    hash: str
    taken_at: str
    mac: str

    def to_json(self) -> str:
        """One line of JSON (anchor files are JSON Lines)."""
        return json.dumps(asdict(self), sort_keys=True)


def _anchor_mac(secret: str, seq: int, hash_: str, taken_at: str) -> str:
    key = derive_key(secret, b"creditsvc audit anchor")
    return hmac.new(key, f"{seq}:{hash_}:{taken_at}".encode(), hashlib.sha256).hexdigest()


def take_anchor(session: Session, secret: str) -> Anchor:
    """The current head of the chain, signed."""
    head = session.get(AuditHead, 1)
    taken_at = utcnow().isoformat()
    return Anchor(head.last_seq, head.last_hash, taken_at,
                  _anchor_mac(secret, head.last_seq, head.last_hash, taken_at))


class AnchorError(ValueError):
    """An anchor line that cannot be read."""


def read_anchor(line: str) -> Anchor:
    """An anchor from one line of an anchor file."""
    try:
        data = json.loads(line)
        return Anchor(int(data["seq"]), str(data["hash"]), str(data["taken_at"]), str(data["mac"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorError(f"not an audit anchor: {line.strip()[:80]!r}") from exc


def check_anchors(session: Session, anchors: list[Anchor], secret: str) -> str | None:
    """None when every anchored event still has its anchored hash, else what is wrong."""
    for anchor in sorted(anchors, key=lambda a: a.seq):
        expected = _anchor_mac(secret, anchor.seq, anchor.hash, anchor.taken_at)
        if not hmac.compare_digest(expected, anchor.mac):
            return f"the anchor of event {anchor.seq} was not taken by this service (wrong MAC)"
        if anchor.seq == 0:
            continue  # taken on an empty chain
        event = session.get(AuditEvent, anchor.seq)
        if event is None or event.hash != anchor.hash:
            return (f"event {anchor.seq} differs from its anchor taken at {anchor.taken_at}: "
                    "the chain was rewritten")
    return None


def count_events(session: Session) -> int:
    """How many events the trail holds."""
    return session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def list_events(session: Session, *, offset: int, limit: int, **filters) -> tuple[list[AuditEvent], int]:
    """A page of events, newest first, and how many match the filters."""
    query = select(AuditEvent).filter_by(**filters)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = session.execute(
        query.order_by(AuditEvent.seq.desc()).offset(offset).limit(limit)
    ).scalars().all()
    return list(items), total
