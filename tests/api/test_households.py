"""Household files through the API: validation, masking, encryption at rest, paging."""

import json
import logging

from sqlalchemy import text

from tests.factories import HouseholdFactory, id_number


def create(client, headers, **overrides):
    return client.post("/api/v1/households", json=HouseholdFactory(**overrides), headers=headers)


def test_create_returns_the_file_masked(client, officer):
    payload = HouseholdFactory(id_number="440524188001010014", head_name="陈建国")
    response = client.post("/api/v1/households", json=payload, headers=officer)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id_number"] == "440524********0014"
    assert body["phone"] == "138****1234"
    assert body["head_name"] == "陈**"
    assert body["per_capita_income"] == "6800.00"
    assert body["guarantees"]["housing"] is True
    assert [m["relation"] for m in body["members"]] == ["head", "spouse", "child"]
    assert body["head_birth_date"] == "1880-01-01"


def test_get_and_patch(client, officer):
    created = create(client, officer).get_json()
    url = f"/api/v1/households/{created['id']}"
    assert client.get(url, headers=officer).get_json()["village"] == "东湖村"
    patched = client.patch(url, json={"per_capita_income": "7200.50", "members": [
        {"relation": "head", "birth_date": "1980-05-17", "labour_capable": True}]}, headers=officer)
    assert patched.status_code == 200, patched.get_json()
    body = patched.get_json()
    assert body["per_capita_income"] == "7200.50" and len(body["members"]) == 1
    assert body["id_number"] == created["id_number"]


def test_lower_case_x_is_stored_upper_case_and_duplicates_conflict(client, officer):
    assert create(client, officer, id_number="11010519491231002x").status_code == 201
    again = create(client, officer, id_number="11010519491231002X")
    assert again.status_code == 409 and again.get_json()["code"] == "duplicate_household"


def test_patching_onto_another_files_id_number_conflicts(client, officer):
    create(client, officer, id_number="11010519491231002X")
    other = create(client, officer).get_json()
    response = client.patch(f"/api/v1/households/{other['id']}",
                            json={"id_number": "11010519491231002X"}, headers=officer)
    assert response.status_code == 409


def test_invalid_fields_are_422_with_field_errors(client, officer):
    response = create(client, officer, id_number="110105194912310021", phone="12345",
                      per_capita_income=6800.5, status="rich", town="北京")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert set(body["errors"]["json"]) >= {"id_number", "phone", "per_capita_income", "status", "town"}


def test_lifted_needs_a_year_and_nothing_is_written(client, officer, session):
    response = create(client, officer, status="lifted", lifted_year=None)
    assert response.status_code == 422 and response.get_json()["code"] == "lifted_year_required"
    assert session.execute(text("SELECT count(*) FROM households")).scalar() == 0
    assert session.execute(text("SELECT count(*) FROM audit_events WHERE action = 'household.create'")
                           ).scalar() == 0


def test_unknown_household_is_404(client, officer):
    response = client.get("/api/v1/households/does-not-exist", headers=officer)
    assert response.status_code == 404 and response.get_json()["code"] == "household_not_found"


def test_list_filters_and_pages(client, officer):
    for town in ["渔湖镇", "渔湖镇", "登岗镇"]:
        assert create(client, officer, town=town).status_code == 201
    create(client, officer, town="渔湖镇", status="monitored_edge")
    response = client.get("/api/v1/households?town=渔湖镇&page_size=2", headers=officer)
    assert response.status_code == 200
    assert len(response.get_json()) == 2
    assert json.loads(response.headers["X-Pagination"])["total"] == 3
    page2 = client.get("/api/v1/households?town=渔湖镇&page_size=2&page=2", headers=officer)
    assert len(page2.get_json()) == 1
    edge = client.get("/api/v1/households?status=monitored_edge", headers=officer).get_json()
    assert len(edge) == 1
    too_big = client.get("/api/v1/households?page_size=201", headers=officer)
    assert too_big.status_code == 422


def test_reveal_shows_clear_values_and_is_audited(client, officer, session):
    created = create(client, officer, id_number="440524188001010014").get_json()
    url = f"/api/v1/households/{created['id']}/reveal"
    assert client.post(url, json={}, headers=officer).status_code == 422
    response = client.post(url, json={"reason": "bank due diligence call"}, headers=officer)
    assert response.get_json()["id_number"] == "440524188001010014"
    assert response.get_json()["phone"] == "13800001234"
    row = session.execute(text("SELECT detail, role FROM audit_events WHERE action='household.reveal'")
                          ).one()
    assert "bank due diligence" in str(row.detail) and row.role == "officer"


def test_monitoring_events_are_appended(client, officer):
    created = create(client, officer).get_json()
    url = f"/api/v1/households/{created['id']}/monitoring-events"
    response = client.post(url, json={"kind": "disaster", "occurred_on": "2026-07-01"}, headers=officer)
    assert response.status_code == 201
    assert client.post(url, json={"kind": "lottery", "occurred_on": "2026-07-01"},
                       headers=officer).status_code == 422
    events = client.get(f"/api/v1/households/{created['id']}", headers=officer).get_json()
    assert [e["kind"] for e in events["monitoring_events"]] == ["disaster"]


def test_raw_rows_and_logs_hold_no_clear_personal_data(client, officer, session, caplog):
    caplog.set_level(logging.DEBUG)
    number, phone, name = id_number(), "13912345678", "林晓明"
    create(client, officer, id_number=number, phone=phone, head_name=name)
    client.post("/api/v1/households", json=HouseholdFactory(id_number=number[:-1] + "0"),
                headers=officer)
    dump = " ".join(str(tuple(r)) for table in ("households", "audit_events", "household_members")
                    for r in session.execute(text(f"SELECT * FROM {table}")))
    assert number not in dump and phone not in dump and name not in dump
    assert number not in caplog.text and phone not in caplog.text and name not in caplog.text


def test_money_must_be_a_decimal_string(client, officer):
    for bad in ["12.345", "abc", "-1.00", "1e3x"]:
        response = create(client, officer, outside_debt=bad)
        assert response.status_code == 422, bad
