"""The permission matrix, generated from the app's route table.

Every /api/v1 route x {no key, revoked key, each role, another bank's key} -> the expected
status. A route added tomorrow is in the matrix the day it is added; a route that forgets
to declare its roles fails here (the API is closed by default).
"""

import re

import pytest

from creditsvc.api.auth import PUBLIC_PREFIXES, allowed_roles_of
from creditsvc.services.access import users
from models.user import ROLES
from tests.conftest import ACTOR

PARAM = re.compile(r"<(?:([a-z_]+)(?:\([^)]*\))?:)?([a-z_]+)>")
PLACEHOLDER = {"int": "1", None: "00000000-0000-0000-0000-000000000000",
               "string": "00000000-0000-0000-0000-000000000000"}


def api_routes(app):
    """(method, rule, allowed roles) for every authenticated API route."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule.startswith(PUBLIC_PREFIXES):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, rule.rule, allowed_roles_of(app.view_functions[rule.endpoint], method)))
    return out


def concrete(rule: str, ids: dict | None = None) -> str:
    return PARAM.sub(lambda m: (ids or {}).get(m.group(2), PLACEHOLDER.get(m.group(1))), rule)


def call(client, method, path, headers):
    return client.open(path, method=method, headers={**headers, "Idempotency-Key": "perm-matrix-1"},
                       json={})


def test_every_route_declares_its_roles(app):
    routes = api_routes(app)
    assert len(routes) >= 5
    undeclared = [(m, r) for m, r, roles in routes if not roles]
    assert undeclared == [], f"routes without @roles (closed to everyone): {undeclared}"
    for _, _, roles in routes:
        assert roles <= set(ROLES)


def test_no_key_and_bad_keys_are_401(app, client):
    for method, rule, _ in api_routes(app):
        path = concrete(rule)
        for headers, code in (({}, "missing_api_key"), ({"Authorization": "Basic abc"}, "missing_api_key"),
                              ({"Authorization": "Bearer csk_not-a-key"}, "invalid_api_key")):
            response = call(client, method, path, headers)
            assert response.status_code == 401, (method, rule, headers)
            assert response.get_json()["code"] == code, (method, rule, headers)


def test_revoked_keys_are_401(app, client, keys, session):
    headers = {role: keys.headers(role) for role in ROLES}
    for role in ROLES:
        users.revoke_user(session, ACTOR, f"{role}-{'PSBC' if role == 'bank' else 'x'}")
    for method, rule, _ in api_routes(app):
        for role in ROLES:
            assert call(client, method, concrete(rule), headers[role]).status_code == 401, (method, rule)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_or_passes_the_gate(app, client, keys, role):
    headers = keys.headers(role)
    for method, rule, allowed in api_routes(app):
        response = call(client, method, concrete(rule), headers)
        if role in allowed:
            assert response.status_code not in (401, 403), (role, method, rule, response.get_json())
        else:
            assert response.status_code == 403, (role, method, rule)
            assert response.get_json()["code"] == "role_forbidden"


def test_another_banks_objects_are_404(app, client, keys):
    """Every bank-readable route with an id: PSBC's object, ABC's key -> 404."""
    from tests.api import object_makers

    abc = keys.headers("bank", "ABC")
    psbc = keys.headers("bank", "PSBC")
    for method, rule, allowed in api_routes(app):
        params = [name for _, name in PARAM.findall(rule) if name not in object_makers.SHARED]
        if "bank" not in allowed or not params:
            continue
        missing = [p for p in params if p not in object_makers.MAKERS]
        assert not missing, f"add a maker for {missing} in tests/api/object_makers.py ({rule})"
        ids = object_makers.make_ids(client, keys, params, bank="PSBC")
        response = call(client, method, concrete(rule, ids), abc)
        assert response.status_code == 404, (method, rule, response.get_json())
        if method == "GET":
            assert call(client, method, concrete(rule, ids), psbc).status_code == 200, (method, rule)
