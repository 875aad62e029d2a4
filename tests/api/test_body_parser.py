"""One body parser for every API write: no route, new or old, is outside it.

Deep JSON is posted to every write route of the app's route table, as a role the route
admits: each answers 400 json_too_deep, never a RecursionError's 500 or a view's own answer.
"""

import importlib

import flask_smorest
import pytest
from flask import Flask

from creditsvc.api import register_api
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.body import MAX_DEPTH
from tests.api.test_permissions import api_routes, concrete

WRITES = {"POST", "PUT", "PATCH"}


def write_routes(app) -> list[tuple[str, str, frozenset]]:
    return [(m, rule, roles) for m, rule, roles in api_routes(app) if m in WRITES]


def headers_for(keys, roles: frozenset) -> dict:
    role = sorted(roles)[0]
    return {**keys.headers(role, "PSBC" if role == "bank" else None),
            "Idempotency-Key": "deep-json-0001"}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_json_is_400_on_every_write_route(app, client, keys, depth):
    routes = write_routes(app)
    assert len(routes) >= 25
    assert ("POST", "/api/v1/fund/stress-jobs") in {(m, r) for m, r, _ in routes}
    body = "[" * depth + "]" * depth
    answers = {}
    for method, rule, roles in routes:
        response = client.open(concrete(rule), method=method, data=body,
                               content_type="application/json", headers=headers_for(keys, roles))
        answers[(method, rule)] = (response.status_code, (response.get_json() or {}).get("code"))
    wrong = {route: answer for route, answer in answers.items()
             if answer != (400, "json_too_deep")}
    assert wrong == {}


def test_every_api_blueprint_is_the_projects(app):
    # "site" (health, docs' files) and flask-smorest's "api-docs" take no body.
    api_blueprints = [b for name, b in app.blueprints.items() if name not in ("site", "api-docs")
                      and any(r.endpoint.startswith(f"{name}.") and r.rule.startswith("/api/v1/")
                              for r in app.url_map.iter_rules())]
    assert len(api_blueprints) >= 10
    assert [b.name for b in api_blueprints if not isinstance(b, Blueprint)] == []


def test_a_blueprint_outside_the_parser_is_refused_at_start(monkeypatch):
    api_package = importlib.import_module("creditsvc.api")  # the package, not creditsvc's `api`
    stray = flask_smorest.Blueprint("stray", __name__, url_prefix="/api/v1/stray")
    monkeypatch.setattr(api_package, "BLUEPRINTS", [*api_package.BLUEPRINTS, stray])
    app = Flask(__name__)
    app.config.update({"API_TITLE": "t", "API_VERSION": "v1", "OPENAPI_VERSION": "3.0.3"})
    with pytest.raises(TypeError, match="stray"):
        register_api(app, flask_smorest.Api(app))
