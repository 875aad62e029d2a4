"""Hypothesis: arbitrary JSON and strings to every write route: no 5xx, no half-written rows.

Each write route is called as a role that may call it, on seeded objects, with bodies that
are arbitrary JSON, objects whose keys are the route's own field names (so that values reach
the fields' own validation), and arbitrary text sent as JSON. A refused request (4xx) must
leave every table of the programme as it was; only the idempotency record of a refused
idempotent POST (its stored answer) may remain.
"""

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from creditsvc.api.auth import allowed_roles_of, view_method
from creditsvc.infra.extensions import db
from tests.api import schemathesis_run
from tests.api.test_permissions import PARAM, concrete

TABLES = ("households", "household_members", "monitoring_events", "applications", "loans",
          "schedule_items", "repayments", "status_reports", "claims", "recoveries",
          "journal_entries", "postings", "policy_versions", "audit_events", "fund",
          "bank_exposure")
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text(max_size=40) | st.sampled_from(["1e30", "1" * 30, "\u0000", "\ud800x",
                                                     "9999-12-31", "0001-01-01", "１２", "-0.00"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
_keys = itertools.count(1)


def write_routes(app):
    """(method, rule, role, field names) of every authenticated write route."""
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            view = app.view_functions[rule.endpoint]
            roles = allowed_roles_of(view, method)
            if not rule.rule.startswith("/api/v1") or not roles:
                continue
            doc = getattr(view_method(view, method), "_apidoc", {}).get("arguments", {})
            names = [name for p in doc.get("parameters", []) if p.get("location", "json") == "json"
                     for name in p["schema"].fields]
            out.append((method, rule.rule, sorted(roles)[0], names))
    return out


def snapshot() -> dict:
    """A row count and a digest of every programme table."""
    out = {}
    for table in TABLES:
        rows = db.session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608 - fixed names
        out[table] = sorted(json.dumps([str(v) for v in row]) for row in rows)
    db.session.rollback()
    return out


def bodies(names):
    """Arbitrary JSON, objects with the route's own keys, and text that may not be JSON."""
    fields = st.dictionaries(st.sampled_from(names), JSON, max_size=len(names)) if names else JSON
    return st.one_of(JSON.map(json.dumps), fields.map(json.dumps), st.text(max_size=60))


def test_arbitrary_bodies_get_no_5xx_and_write_nothing_when_refused(app, client, keys):
    ids = schemathesis_run.seed_objects(client, keys)
    routes = write_routes(app)
    assert len(routes) >= 20
    for method, rule, role, names in routes:
        headers = keys.headers(role, "PSBC" if role == "bank" else None)
        path = concrete(rule, {name: str(ids[name]) for _, name in PARAM.findall(rule)})
        db.session.rollback()
        check_route(client, method, path, headers, names)


def check_route(client, method: str, path: str, headers: dict, names: list[str]) -> None:
    """Run the Hypothesis check on one route."""

    refused = []

    @settings(max_examples=40, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=bodies(names))
    def refused_requests_write_nothing(body):
        before = snapshot()
        response = client.open(path, method=method, data=body, content_type="application/json",
                               headers={**headers, "Idempotency-Key": f"fuzz-{next(_keys):06d}"})
        db.session.rollback()
        assert response.status_code < 500, (method, path, body, response.get_data())
        if response.status_code >= 400:
            refused.append(response.status_code)
            assert response.get_json()["code"]
            assert snapshot() == before, (method, path, body, response.get_json())

    refused_requests_write_nothing()
    assert refused, (method, path)  # the property was checked on refusals, not vacuously
