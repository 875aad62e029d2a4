"""API keys and roles: authentication of every /api/v1 call and the role check."""

import re
import uuid

from flask import current_app, g, request
from sqlalchemy import bindparam, select

from creditsvc.core.errors import Forbidden, Unauthorized
from creditsvc.core.keys import hash_api_key
from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from models import ApiKey, User

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Paths under /api/v1 anyone may read: the spec and the docs page with its assets.
PUBLIC_PREFIXES = ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/swagger-ui/")


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


# Built once at import: every API call runs it, and a statement built per call costs more CPU
# than its round trip (construction and a fresh cache key each time). Of the tables' columns,
# not the models': a Core read skips the ORM's result set-up (docs/benchmarks.md).
_users, _keys = User.__table__, ApiKey.__table__
_PRINCIPAL_OF_KEY = (
    select(_users.c.id, _users.c.name, _users.c.role, _users.c.bank_code)
    .join(_keys, _keys.c.user_id == _users.c.id)
    .where(_keys.c.key_hash == bindparam("key_hash"), _keys.c.revoked_at.is_(None),
           _users.c.revoked_at.is_(None)))


def principal_of_key(session, key_hash: str):
    """The live user holding the key with this hash (id, name, role, bank_code), or None."""
    return session.execute(_PRINCIPAL_OF_KEY, {"key_hash": key_hash}).first()


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
        raise Unauthorized("missing_api_key")
    allowed = allowed_roles_of(current_app.view_functions[request.endpoint], request.method)
    # The lookup opens the request's transaction; the view's unit of work goes on in it.
    row = principal_of_key(db.session, hash_api_key(key.strip()))
    if row is None:
        raise Unauthorized("invalid_api_key")
    g.principal = Principal(row.id, row.name, row.role, row.bank_code, g.request_id)
    if row.role not in (allowed or ()):
        raise Forbidden("role_forbidden", role=row.role, method=request.method,
                        route=str(request.url_rule))


def current_principal() -> Principal:
    """The principal of the current request (views only; services take it as an argument)."""
    return g.principal
