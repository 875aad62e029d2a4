"""Batch scoring's file: headers in either language, rows resolved and checked, results."""


import pytest
from flask import current_app

from creditsvc.core.errors import Invalid
from creditsvc.services.assessment import batch as batch_scoring
from creditsvc.services.households import files as households
from tests.conftest import ACTOR
from tests.factories import HouseholdFactory, id_number
from tests.today import TODAY
from tests.work import done


def _file(header: str, *lines: str) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


@pytest.fixture
def cipher(app):
    return current_app.extensions["creditsvc.core.pii"]


def _file_for(session, cipher, number: str) -> str:
    from creditsvc.schemas.households import HouseholdInSchema

    data = HouseholdInSchema().load(HouseholdFactory(id_number=number))
    return done(session, households.create_household, ACTOR, cipher, data).id


def test_english_headers_and_id_numbers_in_full_width_digits(session, cipher):
    number = id_number()
    hid = _file_for(session, cipher, number)
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    rows = batch_scoring.read_upload(
        session, _file("id_number,amount,term_months,purpose", f"{wide},8000.00,12,planting"),
        cipher, lambda row: {})
    assert [(r.line, r.household_id, r.problem) for r in rows] == [(2, hid, None)]
    assert number not in batch_scoring.encode(rows).decode()
    assert batch_scoring.decode(batch_scoring.encode(rows)) == rows


def test_the_check_decides_a_rows_problem_and_a_good_row_is_scored(session, cipher):
    hid = _file_for(session, cipher, id_number())
    seen = []

    def check(row):
        seen.append(row)
        return {"amount": ["too much"]} if row["amount"] == "9999999.00" else {}

    rows = batch_scoring.read_upload(session, _file(
        "户编号,申请金额,期限（月）,用途", f"{hid},8000.00,12,planting", f"{hid},9999999.00,12,planting",
        ",,,"), cipher, check)
    assert seen[0] == {"household_id": hid, "amount": "8000.00", "term_months": 12,
                       "purpose": "planting"}
    assert [r.problem for r in rows] == [None, "invalid_row"]  # the blank line is skipped
    assert rows[1].detail == "amount: too much"
    results = batch_scoring.score(session, rows, on=TODAY, progress=lambda *a: None)
    assert results[0]["decision"] == "approved" and results[1] is None
    body, counts = batch_scoring.results_csv(rows, results)
    assert counts == {results[0]["decision"]: 1, "invalid_row": 1}
    assert body.decode("utf-8-sig").splitlines()[0].startswith("行号,户编号,身份证号")


def test_a_file_without_the_columns_or_with_too_many_rows_is_refused(session, cipher, monkeypatch):
    with pytest.raises(Invalid) as exc:
        batch_scoring.read_upload(session, _file("amount,purpose"), cipher, lambda r: {})
    assert exc.value.code == "batch_header_invalid"
    monkeypatch.setattr(batch_scoring, "MAX_ROWS", 2)
    with pytest.raises(Invalid) as exc:
        batch_scoring.read_upload(session, _file("户编号,申请金额,期限,用途", *["h,1.00,1,planting"] * 3),
                                  cipher, lambda r: {})
    assert exc.value.code == "batch_too_large"
