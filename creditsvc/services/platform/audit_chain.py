"""Verify the hash-chained audit trail, anchor its head outside the database, and list it."""

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.pii import derive_key
from creditsvc.services.platform.audit import GENESIS, HASHED, digest
from models import AuditEvent, AuditHead
from models.base import utcnow


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification: ok, events checked, and the first broken link."""

    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str | None = None


_COLUMNS = [getattr(AuditEvent, name) for name in (*HASHED, "hash")]


def verify_chain(session: Session, batch: int = 5000, *, since: "Anchor | None" = None) -> ChainReport:
    """Walk the chain in order; name the first event whose link or content is wrong.

    With SINCE (an anchor whose MAC has been checked), start at its event: that event must
    still hash to the anchored hash, and only the events after it are walked. What came
    before was walked when that anchor was verified; a full walk (no SINCE) checks it again.
    """
    prev_hash, last_seq = GENESIS, 0
    if since is not None and since.seq > 0:
        anchored = session.get(AuditEvent, since.seq)
        if anchored is None or anchored.hash != since.hash or digest(anchored) != anchored.hash:
            return ChainReport(False, 0, since.seq, "the anchored event differs from its anchor")
        prev_hash, last_seq = anchored.hash, anchored.seq
        session.expunge_all()
    checked = 0
    while True:
        # Plain rows, not ORM objects: the walk reads each event once and keeps none.
        events = session.execute(
            select(*_COLUMNS).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).mappings().all()
        if not events:
            break
        for ev in events:
            if ev["seq"] != last_seq + 1:
                return ChainReport(False, checked, last_seq + 1, f"event {last_seq + 1} is missing")
            if ev["prev_hash"] != prev_hash:
                return ChainReport(False, checked, ev["seq"], "link to the previous event is broken")
            if digest(ev) != ev["hash"]:
                return ChainReport(False, checked, ev["seq"], "content does not match its hash")
            prev_hash, checked, last_seq = ev["hash"], checked + 1, ev["seq"]
    head = session.get(AuditHead, 1)
    if head is None:
        return ChainReport(False, checked, None, "the chain head is missing")
    if head.last_seq != last_seq or head.last_hash != prev_hash:
        return ChainReport(False, checked, last_seq + 1,
                           f"the chain ends at {last_seq} but its head says {head.last_seq}: tail removed")
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
