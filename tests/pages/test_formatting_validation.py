"""Money, dates and validation messages as the pages show them."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from creditsvc.pages.formatting import bp, day, fen, moment, pct, score, yuan
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.schemas.households import HouseholdInSchema


@pytest.fixture
def page_context(app):
    with app.test_request_context("/households"):
        yield


@pytest.mark.parametrize("value, shown", [
    (Decimal("50000"), "¥50,000.00"), (Decimal("1234.5"), "¥1,234.50"), (Decimal("0"), "¥0.00"),
    (Decimal("-12.3"), "-¥12.30"), (None, "—")])
def test_yuan(value, shown):
    assert yuan(value) == shown


def test_fen_and_dates_in_the_countys_format(page_context):
    assert fen(123456789) == "¥1,234,567.89"
    assert day(date(2026, 3, 1)) == "2026年3月1日"
    # 23:30 UTC is already the next morning in Asia/Shanghai.
    assert moment(datetime(2026, 12, 2, 23, 30, tzinfo=UTC)) == "2026年12月3日 07:30"


def test_a_flat_form_becomes_the_schemas_nested_data():
    form = MultiDict([("town", "渔湖镇"), ("members-1-relation", "child"),
                      ("members-0-relation", "spouse"), ("members-0-labour_capable", "true"),
                      ("guarantees.food", "false"), ("income_sources", "wages"),
                      ("income_sources", "planting"), ("phone", " "), ("csrf_token", "t")])
    data = form_to_data(form, booleans=("labour_capable", "food"), lists=("income_sources",))
    assert data == {"town": "渔湖镇", "members": [{"relation": "spouse", "labour_capable": True},
                                                  {"relation": "child"}],
                    "guarantees": {"food": False}, "income_sources": ["wages", "planting"]}


def test_nested_errors_are_named_like_the_forms_inputs(page_context):
    _, flat = load_form(HouseholdInSchema(), {"members": [{"relation": "cousin"}],
                                              "guarantees": {"food": "maybe"}})
    assert flat["members-0-relation"] == ["请从列表中选择"]
    assert flat["guarantees.food"] == ["请选择是或否"]


def test_every_message_a_household_form_can_get_is_in_chinese(page_context):
    bad = {"head_name": "1", "id_number": "44052419900101001", "phone": "12345",
           "town": "nowhere", "village": "", "status": "rich", "lifted_year": "1999",
           "per_capita_income": "12.345", "productive_assets": "99999999999",
           "members": [{"relation": "cousin", "birth_date": "2999-01-01"},
                       {"relation": "child", "birth_date": "01/02/2003"}],
           "guarantees": {"food": "maybe"}}
    data, errors = load_form(HouseholdInSchema(), bad)
    assert data is None
    shown = [m for messages in errors.values() for m in messages]
    assert len(errors) >= 10
    assert not [m for m in shown if re.search("[A-Za-z]{4}", m)], shown
    _, missing = load_form(HouseholdInSchema(), {})
    assert missing["head_name"] == ["必填"] and missing["id_number"] == ["必填"]


def test_english_pages_show_the_catalogues_english(app):
    with app.test_request_context("/households"):
        from flask import session

        session["lang"] = "en"
        _, errors = load_form(HouseholdInSchema(), {"per_capita_income": "99999999999",
                                                    "lifted_year": "1.5"})
        assert errors["per_capita_income"][0].startswith("money is a decimal string in yuan")
        assert errors["head_name"] == ["Required"]


def test_rates_shares_and_scores_have_one_format():
    assert pct(Decimal("0.0523")) == pct(0.0523) == pct("0.0523") == "5.23%"
    assert bp(6000) == "60.00%" and bp(300) == "3.00%" and bp(None) == "—"
    assert score(85) == "85.00" and score(None) == "—"
