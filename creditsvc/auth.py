"""API keys and roles: authentication of every /api/v1 call and the role check."""

import hashlib
import re
import secrets
import uuid

from flask import current_app, g, request
from sqlalchemy import bindparam, select

from creditsvc.db import single_statements
from creditsvc.errors import Forbidden, Unauthorized
from creditsvc.extensions import db
from creditsvc.hotsql import HotStatement
from creditsvc.principal import Principal
from models import ApiKey, User

KEY_PREFIX = "csk_"
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Paths under /api/v1 anyone may read: the spec and the docs page with its assets.
PUBLIC_PREFIXES = ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/swagger-ui/")


def new_api_key() -> str:
    """A new random API key (shown once, never stored)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """The stored form of a key. Keys have 256 random bits, so a plain SHA-256 suffices."""
    return hashlib.sha256(key.encode()).hexdigest()


def roles(*names: str):
    """Declare which roles may call a view method; a method without it is closed to all."""

    def mark(fn):
        fn.allowed_roles = frozenset(names)
        return fn

    return mark


def view_method(view_func, method: str):
    """The function that serves METHOD: the MethodView's method, or the view itself."""
    view_class = getattr(view_func, "view_class", None)
    return getattr(view_class, method.lower(), None) if view_class else view_func


def allowed_roles_of(view_func, method: str) -> frozenset | None:
    """The roles declared on the view method that serves METHOD, or None."""
    return getattr(view_method(view_func, method), "allowed_roles", None)


def assign_request_id() -> None:
    """Take the caller's X-Request-ID if it is sane, else make one."""
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex


_USERS, _KEYS = User.__table__, ApiKey.__table__
# Columns, not entities, in a statement built once and run on the driver's cursor
# (creditsvc.hotsql): one round trip on every call.
_PRINCIPAL_OF_KEY = HotStatement(
    select(_USERS.c.id, _USERS.c.name, _USERS.c.role, _USERS.c.bank_code)
    .join(_KEYS, _KEYS.c.user_id == _USERS.c.id)
    .where(_KEYS.c.key_hash == bindparam("key_hash"), _KEYS.c.revoked_at.is_(None),
           _USERS.c.revoked_at.is_(None)))


def authenticate() -> None:
    """Before every /api/v1 request: resolve the key to a principal and check its role."""
    path = request.path
    if not path.startswith("/api/v1") or path.startswith(PUBLIC_PREFIXES):
        return
    if request.method == "OPTIONS" or request.endpoint is None:
        return  # Flask answers these itself (404/405), no data is exposed
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("send Authorization: Bearer <api key>", code="missing_api_key")
    target = view_method(current_app.view_functions[request.endpoint], request.method)
    allowed = getattr(target, "allowed_roles", None) or frozenset()
    row = _key_lookup(target)(target, hash_api_key(key.strip()), allowed)
    if row is None:
        raise Unauthorized("the API key is unknown or revoked", code="invalid_api_key")
    g.principal = Principal(row.id, row.name, row.role, row.bank_code, g.request_id)
    if row.role not in allowed:
        raise Forbidden(f"role {row.role} may not {request.method} {request.url_rule}",
                        code="role_forbidden")


def principal_of_key(conn, key_hash: str):
    """The live user holding the key with this hash (id, name, role, bank_code), or None."""
    return _PRINCIPAL_OF_KEY.execute(conn, {"key_hash": key_hash}).first()


def _plain_lookup(target, key_hash: str, _allowed_roles: frozenset):
    return principal_of_key(_request_connection(target), key_hash)


def _key_lookup(target):
    """How to look the key up before TARGET: the plain lookup, or an idempotent view's own.

    An idempotent view claims its Idempotency-Key with the lookup (creditsvc.api.idempotency),
    but only when its wrapper is the view method itself: a check that runs between this one
    and the wrapper (such as `visible`) may refuse the request, which must then claim nothing.
    """
    owner, lookup = getattr(target, "key_lookup", (None, None))
    return lookup if owner is not None and owner is target else _plain_lookup


def _request_connection(target):
    """The request session's connection, on which the key is looked up.

    Its transaction stays open: the view's own work ends it, which saves a BEGIN/ROLLBACK
    round trip on every call. Before an idempotent POST the lookup and the claim that
    follows it are single statements instead (see `single_statements`).
    """
    if getattr(target, "idempotent", False):
        return single_statements(db.session)
    return db.session.connection()


def current_principal() -> Principal:
    """The principal of the current request (views only; services take it as an argument)."""
    return g.principal
