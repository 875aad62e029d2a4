"""orjson encodes responses and JSON columns; values keep Flask's formats."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from creditsvc.infra.jsoncodec import OrjsonProvider, column_dumps


@dataclass
class Point:
    x: int


VALUE = {"b": [1, 2.5, None, True], "a": {"z": "¥500,000 担保基金", "y": Decimal("12.30")},
         "when": date(2026, 11, 28), "at": datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
         "id": uuid.UUID(int=7), "point": Point(3)}


def test_responses_mean_what_flask_would_have_written(app):
    flask_way = json.loads(DefaultJSONProvider(Flask("x")).dumps(VALUE))
    assert isinstance(app.json, OrjsonProvider)
    assert json.loads(app.json.dumps(VALUE)) == flask_way
    with app.test_request_context():
        response = app.json.response(VALUE)
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data()) == flask_way
    text = response.get_data(as_text=True)
    assert text.index('"a"') < text.index('"at"') < text.index('"b"')  # keys sorted
    assert "担保基金" in text  # UTF-8, not \u escapes


def test_debug_output_is_indented_by_flask(app):
    app.debug = True
    with app.test_request_context():
        assert "\n  " in app.json.response({"a": 1}).get_data(as_text=True)


def test_columns_take_json_native_values_only():
    assert json.loads(column_dumps({"a": [1, 0.1], 2: None})) == {"a": [1, 0.1], "2": None}
    try:
        column_dumps({"a": Decimal("1")})
    except TypeError:
        pass
    else:
        raise AssertionError("a Decimal must not be stored silently")
