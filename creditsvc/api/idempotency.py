"""Idempotency-Key on POSTs that move money or create applications.

Same key and body: the first response is replayed byte for byte. Same key, other
body: 422. Same key while the first is running: 409. Keys are scoped to the caller.

The business write and the stored response commit in ONE transaction: the view's
service runs inside an outer transaction (its own commit() only flushes) that this
module commits only after recording the response. A worker killed mid-request therefore leaves
nothing, and the key's lease lets a retry take over once it ends.
"""

import hashlib
import json
import re
from datetime import timedelta
from functools import wraps

from flask import Response, current_app, g, request
from sqlalchemy import ARRAY, Integer, LargeBinary, String, bindparam, select, text
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from creditsvc.auth import current_principal, principal_of_key
from creditsvc.db import single_statements
from creditsvc.errors import AppError, Conflict, Invalid, error_payload, handle_app_error
from creditsvc.extensions import db
from creditsvc.hotsql import HotStatement
from creditsvc.services import audit
from models.base import UTCDateTime, new_id, utcnow
from models.idempotency import IdempotencyRecord

KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
KEPT_HEADERS = ("Content-Type", "Location")


def _request_hash() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode(), ""):
        digest.update(part.encode() + b"\0")
    digest.update(request.get_data())
    return digest.hexdigest()


def _replay(rec) -> Response:
    """The stored first response of a done record (a row of idempotency_records)."""
    headers = json.loads(rec.response_headers or "{}")
    headers["Idempotent-Replayed"] = "true"
    return Response(rec.response_body, status=rec.response_status, headers=headers)


_RECORDS = IdempotencyRecord.__table__
# Built once, run on the request's connection: this wraps every money-moving POST. The
# claim is text because SQLAlchemy does not cache dialect INSERTs (it would compile this
# one on every call); ON CONFLICT ... DO NOTHING RETURNING is the same on both engines.
_INSERT = HotStatement(text(
    "INSERT INTO idempotency_records (id, user_id, key, request_hash, state, attempt, "
    "locked_until, created_at) VALUES (:id, :user_id, :key, :request_hash, 'in_progress', 1, "
    ":locked_until, :created_at) ON CONFLICT (user_id, key) DO NOTHING RETURNING id"
).bindparams(bindparam("locked_until", type_=UTCDateTime()),
             bindparam("created_at", type_=UTCDateTime())))
# PostgreSQL: the API key's principal and the claim in one statement (one round trip fewer on
# every idempotent POST). The claim is made only for a live key whose role may call the view:
# a refused request claims nothing. Autocommit, like the claim alone.
_PRINCIPAL_AND_CLAIM = HotStatement(text(
    "WITH principal AS (SELECT users.id, users.name, users.role, users.bank_code FROM users "
    "JOIN api_keys ON api_keys.user_id = users.id WHERE api_keys.key_hash = :key_hash AND "
    "api_keys.revoked_at IS NULL AND users.revoked_at IS NULL), "
    "claim AS (INSERT INTO idempotency_records (id, user_id, key, request_hash, state, attempt, "
    "locked_until, created_at) SELECT :id, principal.id, :key, :request_hash, 'in_progress', 1, "
    ":locked_until, :created_at FROM principal WHERE principal.role = ANY(:roles) "
    "ON CONFLICT (user_id, key) DO NOTHING RETURNING id) "
    "SELECT principal.id, principal.name, principal.role, principal.bank_code, "
    "(SELECT claim.id FROM claim) AS claimed FROM principal"
).bindparams(bindparam("locked_until", type_=UTCDateTime()),
             bindparam("created_at", type_=UTCDateTime()),
             bindparam("roles", type_=ARRAY(String))))
_FIND = select(_RECORDS).where(_RECORDS.c.user_id == bindparam("user_id"),
                               _RECORDS.c.key == bindparam("key"))
_HELD = (_RECORDS.c.id == bindparam("rec_id"), _RECORDS.c.attempt == bindparam("held_attempt"),
         _RECORDS.c.state == "in_progress")
_TAKE_OVER = _RECORDS.update().where(*_HELD).values(attempt=bindparam("new_attempt"),
                                                    locked_until=bindparam("until"))
_FINISH = HotStatement(_RECORDS.update().where(*_HELD).values(
    state="done", response_status=bindparam("status"), response_body=bindparam("body"),
    response_headers=bindparam("headers")))
# PostgreSQL: the stored response and the request's one audit event in one statement (the
# usual end of an idempotent POST); it returns whether this attempt still held the key.
_FINISH_AND_APPEND = audit.append_one_statement(
    "finished AS (UPDATE idempotency_records SET state = 'done', response_status = :status, "
    "response_body = :body, response_headers = :headers WHERE id = :rec_id AND "
    "attempt = :held_attempt AND state = 'in_progress' RETURNING id)",
    returning="(SELECT count(*) FROM finished) AS finished",
    binds=(bindparam("status", type_=Integer()), bindparam("body", type_=LargeBinary()),
           bindparam("headers", type_=String()), bindparam("rec_id", type_=String()),
           bindparam("held_attempt", type_=Integer())))
_RELEASE = _RECORDS.update().where(*_HELD).values(locked_until=bindparam("until"))


def _claim(user_id: str, key: str, req_hash: str) -> tuple[str, int] | Response:
    """Take the key for this request, or answer for it (replay, 409, 422)."""
    session = db.session
    conn = single_statements(session)
    now = utcnow()
    lease = _lease()
    # One round trip in the common case (autocommit on PostgreSQL): insert the key unless it
    # exists. A concurrent first attempt makes this wait for it to commit, then do nothing.
    rec_id = new_id()
    inserted = _INSERT.execute(conn, {
        "id": rec_id, "user_id": user_id, "key": key, "request_hash": req_hash,
        "locked_until": now + lease, "created_at": now}).first()
    if inserted is not None:
        session.commit()
        return rec_id, 1
    rec = conn.execute(_FIND, {"user_id": user_id, "key": key}).one()
    if rec.request_hash != req_hash:
        session.rollback()
        raise Invalid("this Idempotency-Key was used for a different request",
                      code="idempotency_key_reused")
    if rec.state == "done":
        session.rollback()
        return _replay(rec)
    if rec.locked_until > now:
        session.rollback()
        raise Conflict("a request with this Idempotency-Key is in progress",
                       code="idempotency_in_progress")
    # The first attempt's worker died (its lease ran out): this retry takes over.
    taken = conn.execute(_TAKE_OVER, {"rec_id": rec.id, "held_attempt": rec.attempt,
                                      "new_attempt": rec.attempt + 1,
                                      "until": now + lease}).rowcount
    session.commit()
    if not taken:
        raise Conflict("a request with this Idempotency-Key is in progress",
                       code="idempotency_in_progress")
    return rec.id, rec.attempt + 1


def principal_and_claim(target, key_hash: str, allowed_roles: frozenset):
    """Before an idempotent view (auth.py): the key's principal, and on PostgreSQL the claim too.

    Statement and claim run in autocommit on a connection of their own, so the claim is
    committed at once; once it is made, the view's wrapper runs the request's transaction on
    that same connection and does not claim again. When the key was taken already (a replay,
    a duplicate in progress, another body), the wrapper's own claim answers for it. SQLite,
    a request session already in a transaction (tests that share theirs), or a missing or
    malformed Idempotency-Key: the lookup alone, as for any idempotent view.
    """
    g.idempotency_claim = None
    key = request.headers.get("Idempotency-Key", "")
    # A request's session is made on first use; one made already may be in a transaction.
    used = db.session.registry.has() and db.session().in_transaction()
    if db.engine.dialect.name != "postgresql" or used or not KEY_RE.match(key):
        return principal_of_key(single_statements(db.session), key_hash)
    now, rec_id = utcnow(), new_id()
    conn = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        row = _PRINCIPAL_AND_CLAIM.execute(conn, {
            "key_hash": key_hash, "id": rec_id, "key": key, "request_hash": _request_hash(),
            "locked_until": now + _lease(), "created_at": now, "roles": sorted(allowed_roles),
        }).first()
    except BaseException:
        conn.close()
        raise
    if row is not None and row.claimed is not None:
        g.idempotency_claim = (rec_id, 1, conn)
    else:
        conn.close()
    return row


def close_unused_claim(_exc=None) -> None:
    """After a request: hand back the connection of a claim whose view never ran."""
    claimed = g.pop("idempotency_claim", None)
    if claimed is not None:
        claimed[2].close()


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("IDEMPOTENCY_LEASE_SECONDS", 60))


def _error_response(exc: Exception) -> Response:
    """The error as the app's error handlers render it (same JSON as any other error)."""
    rendered = handle_app_error(exc) if isinstance(exc, AppError) else error_payload(exc)
    return current_app.make_response(tuple(rendered))


def idempotent(view):
    """Make a POST view idempotent under the caller's Idempotency-Key (required)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key", "")
        if not KEY_RE.match(key):
            raise AppError("send an Idempotency-Key header (8-128 letters, digits, . _ : -)",
                           code="idempotency_key_required", status=400)
        claimed = g.pop("idempotency_claim", None)
        if claimed is not None:  # with the key lookup: go on on its connection, out of autocommit
            rec_id, attempt, conn = claimed
            conn.execution_options(isolation_level=conn.default_isolation_level)
        else:
            claimed = _claim(current_principal().user_id, key, _request_hash())
            if isinstance(claimed, Response):
                return claimed
            rec_id, attempt = claimed
            conn = db.engine.connect()
        outer = conn.begin()
        # The service's commit() only flushes into this outer transaction (its rollback()
        # rolls the outer one back); nothing expires, as nothing can go stale inside one
        # transaction. No savepoints: each would cost two round trips.
        session = Session(bind=conn, join_transaction_mode="rollback_only",
                          expire_on_commit=False)
        db.session.registry.set(session)
        # The audit chain's head is locked only at the end, just before COMMIT: holding it
        # while the view serialises its response would queue every writer behind it.
        audit.defer_appends(session)
        try:
            try:
                response = current_app.make_response(view(*args, **kwargs))
            except (AppError, HTTPException) as exc:
                if outer.is_active:  # the service may have rolled it back already
                    outer.rollback()
                audit.discard_deferred(session)
                outer = conn.begin()
                response = _error_response(exc)
            if response.status_code >= 500:
                raise RuntimeError("a view answered 5xx")
            headers = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
            session.flush()
            event = audit.take_one_deferred(session)
            finish = {"rec_id": rec_id, "held_attempt": attempt, "status": response.status_code,
                      "body": response.get_data(), "headers": json.dumps(headers)}
            if event is not None:  # PostgreSQL, one event: one statement stores both
                finished = _FINISH_AND_APPEND.execute(conn, {**event, **finish}).one().finished
            else:
                finished = _FINISH.execute(conn, finish).rowcount
            if not finished:
                outer.rollback()
                raise Conflict("this request's Idempotency-Key was taken over by a retry",
                               code="idempotency_in_progress")
            audit.append_deferred(session)  # the held events, if not appended above
            outer.commit()
            return response
        except Exception:
            if outer.is_active:
                outer.rollback()
            _release(rec_id, attempt)
            raise
        finally:
            session.close()
            conn.close()
            db.session.registry.clear()

    wrapper.idempotent = True  # the key lookup before it may run in autocommit (auth.py)
    wrapper.key_lookup = (wrapper, principal_and_claim)  # ... and claim the key with it
    return wrapper


def _release(rec_id: str, attempt: int) -> None:
    """After a crash in the view, free the key at once so that a retry may run."""
    with db.engine.begin() as conn:
        conn.execute(_RELEASE, {"rec_id": rec_id, "held_attempt": attempt, "until": utcnow()})
