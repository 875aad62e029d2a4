"""The household form: errors in Chinese beside each field, nothing typed lost, then fixed."""

import re
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from creditsvc.infra.extensions import db
from models import Household
from tests.factories import id_number
from tests.pages.household_files import open_file
from tests.pages.people import csrf_of
from tests.today import TODAY

GOOD_ID = id_number(date(1981, 2, 3))
NEXT_MONTH = (TODAY + timedelta(days=31)).isoformat()


def form(token: str, **changes) -> dict:
    """A complete new-file form as the browser posts it (member rows 0 and 2: 1 was removed)."""
    data = {"csrf_token": token, "head_name": "郑桂英", "id_number": GOOD_ID,
            "phone": "13700001234", "town": "登岗镇", "village": "北溪村",
            "status": "registered_poor", "lifted_year": "", "head_labour_capable": "true",
            "per_capita_income": "5400.00", "productive_assets": "8000", "outside_debt": "",
            "income_sources": ["husbandry", "wages"], "guarantees.food": "true",
            "guarantees.clothing": "true", "guarantees.education": "false",
            "guarantees.medical": "", "guarantees.housing": "true", "skills_training": "",
            "cooperative_member": "false", "member_next": "3",
            "members-0-relation": "head", "members-0-birth_date": "1981-02-03",
            "members-0-labour_capable": "true",
            "members-2-relation": "child", "members-2-birth_date": "2014-09-01",
            "members-2-labour_capable": "false", "members-2-in_school": "true"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def files(session) -> list[Household]:
    session.rollback()
    rows = list(session.execute(select(Household)).scalars())
    session.expunge_all()
    session.rollback()
    return rows


def test_new_form_starts_with_the_head_row(as_user):
    body = as_user("officer").get("/households/new").get_data(as_text=True)
    assert 'name="members-0-relation"' in body and 'value="head" selected' in body
    assert 'id="member-next" name="member_next" value="1"' in body
    assert 'hx-get="/households/member-row"' in body and "/static/js/households.js" in body
    # Every input has a label.
    for found in re.finditer(r'<(?:input|select)[^>]*\bid="([^"]+)"', body):
        if 'type="hidden"' not in found.group(0):
            assert f'for="{found.group(1)}"' in body, found.group(1)


def test_the_member_row_fragment(as_user):
    response = as_user("officer").get("/households/member-row?member_next=4")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'name="members-4-relation"' in body and 'for="f-members-4-relation"' in body
    assert 'id="member-next" name="member_next" value="5" hx-swap-oob="true"' in body
    assert 'name="members-0-relation"' in as_user("officer").get(
        "/households/member-row?member_next=x").get_data(as_text=True)


def test_an_error_keeps_everything_typed_then_the_fix_saves(as_user, session):
    client = as_user("officer")
    token = csrf_of(client.get("/households/new"))
    bad_id = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
    response = client.post("/households/new", data=form(
        token, id_number=bad_id, per_capita_income="5,400", **{"members-2-birth_date": NEXT_MONTH}))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "身份证号校验位不正确，请核对" in body and 'id="id_number-error"' in body
    assert 'id="per_capita_income-error"' in body and "金额以元为单位" in body
    # The child's row was posted as row 2 (row 1 removed); it comes back as row 1, its error beside it.
    assert 'id="members-1-birth_date-error"' in body and "日期不能晚于今天" in body
    for kept in ('value="郑桂英"', f'value="{bad_id}"', 'value="13700001234"', 'value="北溪村"',
                 'value="5,400"', 'value="8000"', f'value="{NEXT_MONTH}"', 'value="1981-02-03"'):
        assert kept in body, kept
    assert re.search(r'name="members-1-relation".*?value="child" selected', body, re.S)
    assert re.search(r'id="f-members-1-in_school" name="members-1-in_school" value="true"\s+checked',
                     body)
    assert 'value="husbandry" checked' in body and 'value="wages" checked' in body
    assert re.search(r'name="guarantees.education".*?value="false" selected', body, re.S)
    assert 'id="member-next" name="member_next" value="2"' in body
    assert files(session) == []

    response = client.post("/households/new", data=form(token))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [saved] = files(session)
    assert response.headers["Location"] == f"/households/{saved.id}"
    assert saved.village == "北溪村" and saved.per_capita_income_fen == 540_000
    assert saved.education_secure is False and saved.medical_secure is None
    cipher = current_app.extensions["creditsvc.core.pii"]
    assert cipher.decrypt(saved.head_name_enc) == "郑桂英"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "户档案已建立" in page


def test_required_fields_and_a_member_without_relation(as_user, session):
    client = as_user("officer")
    token = csrf_of(client.get("/households/new"))
    response = client.post("/households/new", data=form(
        token, head_name="", village="", town="", **{"members-2-relation": ""}))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for name in ("head_name", "village", "town", "members-1-relation"):
        assert f'id="{name}-error">必填<' in body, name
    assert files(session) == []


def test_a_duplicate_id_number_is_shown_beside_it(as_user, people, session):
    open_file(people["officer2"], id_number=GOOD_ID)
    client = as_user("officer")
    token = csrf_of(client.get("/households/new"))
    response = client.post("/households/new", data=form(token))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="id_number-error">已有此身份证号的户档案<', body)
    assert 'value="郑桂英"' in body
    assert len(files(session)) == 1


def test_the_schema_and_the_service_errors_show_together(as_user, people, session):
    open_file(people["officer2"], id_number=GOOD_ID)
    client = as_user("officer")
    token = csrf_of(client.get("/households/new"))
    response = client.post("/households/new", data=form(token, head_name="", status="lifted"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="head_name-error">必填<' in body
    assert re.search(r'id="id_number-error">已有此身份证号的户档案<', body)
    assert 'id="lifted_year-error">已脱贫户须填写脱贫年份<' in body
    assert len(files(session)) == 1


def test_a_lifted_household_needs_its_year(as_user, session):
    client = as_user("officer")
    token = csrf_of(client.get("/households/new"))
    response = client.post("/households/new", data=form(token, status="lifted"))
    assert response.status_code == 422
    assert 'id="lifted_year-error">已脱贫户须填写脱贫年份<' in response.get_data(as_text=True)
    response = client.post("/households/new", data=form(token, status="lifted", lifted_year="2019"))
    assert response.status_code == 302
    assert files(session)[0].lifted_year == 2019


def test_a_form_without_its_csrf_token_is_refused(as_user, session):
    client = as_user("officer")
    response = client.post("/households/new", data=form(""))
    assert response.status_code == 400
    assert files(session) == []


def test_edit_shows_the_file_and_keeps_personal_data_unless_typed(as_user, people, session):
    household = open_file(people["officer"], head_name="陈建国", village="东湖村",
                          per_capita_income="6800.00", phone="13812345678")
    before = files(session)[0]
    client = as_user("officer")
    page = client.get(f"/households/{household}/edit")
    body = page.get_data(as_text=True)
    assert 'value="东湖村"' in body and 'value="6800.00"' in body
    assert "陈建国" not in body and "13812345678" not in body and "现为 陈**" in body
    response = client.post(f"/households/{household}/edit", data=form(
        csrf_of(page), head_name="", id_number="", phone="", village="东湖村",
        per_capita_income="", outside_debt=""))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [after] = files(session)
    assert after.head_name_hash == before.head_name_hash
    assert after.id_number_hash == before.id_number_hash and after.phone_hash == before.phone_hash
    assert after.per_capita_income_fen is None  # a blank clears it
    assert after.town == "登岗镇" and [m.relation for m in db.session.get(
        Household, household).members] == ["head", "child"]


def test_edit_errors_come_back_beside_the_fields(as_user, people, session):
    household = open_file(people["officer"])
    client = as_user("officer")
    page = client.get(f"/households/{household}/edit")
    response = client.post(f"/households/{household}/edit", data=form(
        csrf_of(page), head_name="", id_number="", village="", phone="12345"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="village-error">必填<' in body and 'id="phone-error"' in body
    assert "手机号须为 11 位" in body and 'value="12345"' in body


def test_edit_changes_the_same_members_it_shows(as_user, people, session):
    household = open_file(people["officer"])
    members = {m.relation: m.id for m in db.session.get(Household, household).members}
    db.session.close()
    client = as_user("officer")
    page = client.get(f"/households/{household}/edit")
    body = page.get_data(as_text=True)
    shown = re.findall(r'name="(members-\d+-id)" value="([0-9a-f-]{36})"', body)
    assert sorted(v for _, v in shown) == sorted(members.values())
    # The head's row sent back with its id, one new row without: the head is the same member.
    head_field = next(name for name, value in shown if value == members["head"])
    index = head_field.split("-")[1]
    response = client.post(f"/households/{household}/edit", data=form(
        csrf_of(page), head_name="", id_number="", phone="", **{
            "members-0-relation": None, "members-0-birth_date": None,
            "members-0-labour_capable": None, f"members-{index}-id": members["head"],
            f"members-{index}-relation": "head", f"members-{index}-birth_date": "1981-02-03",
            f"members-{index}-labour_capable": "false"}))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    after = db.session.get(Household, household).members
    head = next(m for m in after if m.relation == "head")
    assert head.id == members["head"] and head.labour_capable is False
    # The rows in the form's order: the head's row and the form's new child row (index 2).
    assert [m.relation for m in after] == [r for _, r in sorted([(int(index), "head"), (2, "child")])]
