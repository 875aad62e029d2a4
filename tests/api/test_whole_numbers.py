"""No number a client sends is cut: every number a schema loads is a whole number that refuses 1.5.

Two walks, so that no schema escapes the rule: every marshmallow Schema class defined anywhere
in creditsvc (every module imported first), and every schema a route of the API parses its
arguments with, nested schemas included. A number that is only ever sent out is `dump_only`.
"""

import importlib
import pkgutil

import pytest
from marshmallow import Schema, ValidationError, fields

import creditsvc
from creditsvc.schemas.fields import WholeNumber
from tests.books import fund_with
from tests.factories import LoanFactory

METHODS = ("get", "post", "put", "patch", "delete")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def creditsvc_schema_classes() -> list[type[Schema]]:
    """Every Schema subclass defined in a creditsvc module (all of them imported)."""
    for info in pkgutil.walk_packages(creditsvc.__path__, "creditsvc."):
        importlib.import_module(info.name)
    return sorted({c for c in _subclasses(Schema) if c.__module__.startswith("creditsvc")},
                  key=lambda c: f"{c.__module__}.{c.__qualname__}")


def route_schemas(app) -> list[tuple[str, Schema]]:
    """(where, schema) for every argument schema of every API view method."""
    out = []
    for name, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        for method in METHODS if view_class else ():
            doc = getattr(getattr(view_class, method, None), "_apidoc", {})
            for parameter in doc.get("arguments", {}).get("parameters", []):
                out.append((f"{name} {method}", parameter["schema"]))
    return out


def loadable_fields(schema: Schema, where: str, seen: set | None = None):
    """(path, field) for every field SCHEMA would load, nested and list items included."""
    seen = set() if seen is None else seen
    if type(schema) in seen:
        return
    seen.add(type(schema))
    for name, field in schema.fields.items():
        yield from _loadable(field, f"{where}.{name}", seen)


def _loadable(field, path: str, seen: set):
    if field.dump_only:
        return
    if isinstance(field, fields.Nested):
        yield from loadable_fields(field.schema, path, seen)
    elif isinstance(field, fields.List):
        yield from _loadable(field.inner, f"{path}[]", seen)
    elif isinstance(field, fields.Tuple):
        for i, item in enumerate(field.tuple_fields):
            yield from _loadable(item, f"{path}[{i}]", seen)
    elif isinstance(field, fields.Dict):
        for part in (field.key_field, field.value_field):
            if part is not None:
                yield from _loadable(part, f"{path}{{}}", seen)
    else:
        yield path, field


def fraction_takers(where_schemas) -> list[str]:
    """The loadable number fields that are not WholeNumber, or that take 1.5 or true."""
    bad = []
    for where, schema in where_schemas:
        for path, field in loadable_fields(schema, where):
            if not isinstance(field, fields.Number):
                continue
            if not isinstance(field, WholeNumber):
                bad.append(f"{path}: {type(field).__name__} (use WholeNumber / QueryNumber, "
                           "or dump_only=True for an output)")
                continue
            for value in (1.5, True, "1.5"):
                try:
                    field.deserialize(value)
                except ValidationError:
                    continue
                bad.append(f"{path} takes {value!r}")
    return bad


def test_every_loadable_number_of_every_creditsvc_schema_is_whole():
    classes = creditsvc_schema_classes()
    assert len(classes) >= 60  # the walk found the schemas of api, pages and schemas/
    assert {"StressJobInSchema", "CorrectionInSchema", "LedgerQuerySchema"} <= {
        c.__name__ for c in classes}
    schemas = [(f"{c.__module__}.{c.__qualname__}", c()) for c in classes]
    assert fraction_takers(schemas) == []


def test_every_loadable_number_a_route_parses_is_whole(app):
    schemas = route_schemas(app)
    assert len(schemas) >= 25
    assert fraction_takers(schemas) == []


def test_the_walk_finds_a_plain_integer_or_float():
    class Careless(Schema):
        count = fields.Integer()
        share = fields.Float()
        rows = fields.List(fields.Nested(type("Row", (Schema,), {"n": fields.Integer()})))
        shown = fields.Integer(dump_only=True)

    found = fraction_takers([("Careless", Careless())])
    assert [line.split(":")[0] for line in found] == ["Careless.count", "Careless.share",
                                                     "Careless.rows[].n"]


def _refused(response, location: str, field: str) -> bool:
    body = response.get_json()
    return (response.status_code == 422 and body["code"] == "validation_error"
            and field in body["errors"][location])


@pytest.mark.parametrize("field", ["paths", "seed", "horizon"])
def test_a_stress_job_refuses_a_fraction(client, keys, field):
    answer = client.post("/api/v1/fund/stress-jobs", headers=keys.headers("fund_manager"),
                         json={field: 150.5 if field == "paths" else 1.5})
    assert _refused(answer, "json", field), answer.get_json()


def test_a_report_correction_refuses_a_fractional_days_past_due(client, keys, session):
    fund_with(session, 50_000_000)
    loan_id = LoanFactory(bank_code="PSBC").id
    url = f"/api/v1/loans/{loan_id}/status-reports/{'0' * 36}/correction"
    body = {"reason": "the bank keyed the wrong loan", "as_of": "2026-03-31"}
    bank = keys.headers("bank", "PSBC")
    answer = client.post(url, headers=bank, json={**body, "days_past_due": 1.5})
    assert _refused(answer, "json", "days_past_due"), answer.get_json()
    # The same body with a whole number passes the schema and meets the missing report.
    whole = client.post(url, headers=bank, json={**body, "days_past_due": 1})
    assert whole.status_code == 404, whole.get_json()


def test_the_job_listing_refuses_a_fractional_limit(client, keys):
    answer = client.get("/api/v1/jobs?limit=1.5", headers=keys.headers("fund_manager"))
    assert _refused(answer, "query", "limit"), answer.get_json()
