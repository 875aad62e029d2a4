"""Request schemas are instances made once, not classes that webargs instantiates per call."""

from marshmallow import Schema

METHODS = ("get", "post", "put", "patch", "delete")


def test_every_argument_schema_is_an_instance(app):
    # webargs builds a new Schema from a class on every request, and building one deep-copies
    # every declared field: a measurable share of a cheap request's CPU.
    checked = 0
    for name, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        for method in METHODS if view_class else ():
            doc = getattr(getattr(view_class, method, None), "_apidoc", {})
            for parameter in doc.get("arguments", {}).get("parameters", []):
                assert isinstance(parameter["schema"], Schema), f"{name} {method}: pass an instance"
                checked += 1
    assert checked >= 25  # every documented body and query schema was looked at
