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


# The jobs' part of the role x route table (README, Roles): who may call each jobs route.
JOB_ROUTES = {
    ("GET", "/api/v1/jobs"): {"officer", "bank", "fund_manager"},
    ("GET", "/api/v1/jobs/<job_id>"): {"officer", "bank", "fund_manager"},
    ("GET", "/api/v1/jobs/<job_id>/result"): {"officer", "bank", "fund_manager"},
    ("POST", "/api/v1/fund/stress-jobs"): {"fund_manager"},
    ("POST", "/api/v1/assessments/batch-jobs"): {"officer"},
    ("POST", "/api/v1/loan-status-reports/jobs"): {"bank"},
    ("POST", "/api/v1/loan-status-reports/preview"): {"bank"},
    ("GET", "/api/v1/loan-status-reports/template"): {"officer", "bank", "fund_manager", "admin"},
    ("GET", "/api/v1/household-surveys/imports/<job_id>"): {"officer"},
    ("POST", "/api/v1/household-surveys/imports/<job_id>/confirm"): {"officer"},
    ("GET", "/api/v1/household-surveys/imports/<job_id>/marked-copy"): {"officer"},
}
# Which kinds of job each caller sees, with their result files; every other job is 404 to it.
SEES = {("officer", None): {"batch_scoring"}, ("fund_manager", None): {"stress", "monthly_snapshot"},
        ("bank", "PSBC"): {"status_feed"}, ("bank", "ABC"): set()}


def test_the_jobs_routes_admit_the_roles_of_the_table(app):
    declared = {(m, r): set(roles) for m, r, roles in api_routes(app)
                if (m, r) in JOB_ROUTES or "job" in r}
    assert declared == JOB_ROUTES


def finished_jobs(session) -> dict[str, str]:
    """A finished job of each kind, with its result file: kind -> id."""
    from creditsvc.core.principal import SYSTEM, Principal
    from creditsvc.services.platform import jobs

    owners = {"status_feed": Principal(None, "psbc-feed", "bank", "PSBC"),
              "batch_scoring": Principal(None, "officer-li", "officer"),
              "stress": Principal(None, "fund-office", "fund_manager"),
              "monthly_snapshot": SYSTEM}
    made = {}
    for kind, owner in owners.items():
        job = jobs.submit(session, owner, kind, {})
        jobs.add_file(session, job.id, "result", "result.csv", "text/csv", b"figures\n")
        job.status = "done"
        made[kind] = job.id
    session.commit()
    return made


def test_every_kind_of_job_names_who_may_see_it():
    from creditsvc.jobs.registry import KINDS
    from creditsvc.services.platform.jobs import READERS

    assert set(KINDS) == set(READERS)
    assert all("admin" not in roles for roles in READERS.values())


def test_a_job_and_its_file_are_seen_only_by_who_may_read_what_they_hold(client, keys, session):
    made = finished_jobs(session)
    wrong = {}
    for (role, bank), kinds in SEES.items():
        headers = keys.headers(role, bank)
        listed = {j["kind"] for j in client.get("/api/v1/jobs", headers=headers).get_json()}
        if listed != kinds:
            wrong[(role, bank, "list")] = listed
        for kind, job_id in made.items():
            for url in (f"/api/v1/jobs/{job_id}", f"/api/v1/jobs/{job_id}/result"):
                status = client.get(url, headers=headers).status_code
                if status != (200 if kind in kinds else 404):
                    wrong[(role, bank, kind, url.rsplit("/", 1)[-1])] = status
    admin = keys.headers("admin")
    for url in ("/api/v1/jobs", *(f"/api/v1/jobs/{i}" for i in made.values()),
                *(f"/api/v1/jobs/{i}/result" for i in made.values())):
        if client.get(url, headers=admin).status_code != 403:
            wrong[("admin", url)] = client.get(url, headers=admin).status_code
    assert wrong == {}
