"""Idempotency keys for any entry point: an API header, a form token or a job's id.

A key is scoped to the user who sends it. Everything happens in the caller's unit of work:
`held_response` takes the key for this transaction and answers with the first response when
the key was used already; the work runs; `remember` stores its response; the unit of work
commits the work, the stored response and the audit events together. A worker that dies
mid-request leaves nothing (its transaction rolls back), so a retry simply runs again: the
lease on the key is the transaction itself.

Only a success (2xx) is remembered. A refusal (a 4xx such as 409 `leverage_cap_reached`)
rolls back with everything else and leaves the key free: a retry under the same key after the
cause is gone (a top-up of the fund) is decided afresh, not answered with yesterday's refusal.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid
from models import IdempotencyRecord

T = TypeVar("T")


@dataclass(frozen=True)
class StoredResponse:
    """A response to replay: status, body bytes and the headers that matter (JSON-able)."""

    status: int
    body: bytes
    headers: dict = field(default_factory=dict)


def request_hash(parts: dict) -> str:
    """The SHA-256 of a request's canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _lock_id(user_id: str, key: str) -> int:
    """A signed 64-bit number naming (user, key) for PostgreSQL's advisory locks."""
    raw = hashlib.sha256(f"{user_id}\0{key}".encode()).digest()[:8]
    return int.from_bytes(raw, "big", signed=True)


# Built once (every money-moving request runs them): a statement built per call costs more CPU
# than its round trip. The record is read and written as columns: nothing to track.
_records = IdempotencyRecord.__table__
_TRY_LOCK = select(func.pg_try_advisory_xact_lock(bindparam("lock_id")))
_HELD = (select(_records.c.request_hash, _records.c.response_status, _records.c.response_body,
                _records.c.response_headers)
         .where(_records.c.user_id == bindparam("user_id"), _records.c.key == bindparam("key")))
_REMEMBER = insert(_records)


def held_response(session: Session, user_id: str, key: str, req_hash: str) -> StoredResponse | None:
    """Take KEY for this transaction; the stored response if it was used for this request already.

    Raises 409 `idempotency_in_progress` while another transaction holds the key (PostgreSQL:
    a transaction-scoped advisory lock, released at its commit or rollback; SQLite serialises
    writers, so there a duplicate waits for the first and then gets its response), and 422
    `idempotency_key_reused` when the key was used for a different request.
    """
    if session.get_bind().dialect.name == "postgresql":
        if not session.execute(_TRY_LOCK, {"lock_id": _lock_id(user_id, key)}).scalar():
            raise Conflict("idempotency_in_progress")
    rec = session.execute(_HELD, {"user_id": user_id, "key": key}).first()
    if rec is None:
        return None
    if rec.request_hash != req_hash:
        raise Invalid("idempotency_key_reused")
    return StoredResponse(rec.response_status, rec.response_body, json.loads(rec.response_headers))


def remember(session: Session, user_id: str, key: str, req_hash: str,
             response: StoredResponse) -> None:
    """Store the response of a successful request under its key, in the caller's transaction."""
    session.execute(_REMEMBER, {"user_id": user_id, "key": key, "request_hash": req_hash,
                                "response_status": response.status,
                                "response_body": response.body,
                                "response_headers": json.dumps(response.headers)})


@dataclass(frozen=True)
class Once(Generic[T]):
    """What `run_once` did: replayed the first response, or ran the work (and kept it or not)."""

    replayed: StoredResponse | None = None
    result: T | None = None
    remembered: bool = False  # the caller's unit of work commits the work and its record


def run_once(session: Session, user_id: str, key: str, req_hash: str, work: Callable[[], T],
             keep: Callable[[T], StoredResponse | None]) -> Once[T]:
    """Claim KEY, then replay its first response or run WORK and remember what KEEP makes of it.

    The one claim/run/remember sequence of every entry point (the API's Idempotency-Key, a
    page's form token). KEEP returns None for a result not to remember (a refusal): the caller
    then leaves its unit of work without committing, and the key stays free for a retry.
    """
    stored = held_response(session, user_id, key, req_hash)
    if stored is not None:
        return Once(replayed=stored)
    result = work()
    response = keep(result)
    if response is None:
        return Once(result=result)
    remember(session, user_id, key, req_hash, response)
    return Once(result=result, remembered=True)
