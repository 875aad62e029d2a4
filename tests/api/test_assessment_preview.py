"""POST /api/v1/assessments/preview: the whole assessment, saved nowhere."""

from sqlalchemy import text

from tests.api.test_applications import household

URL = "/api/v1/assessments/preview"


def count(session, table):
    return session.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_preview_explains_and_saves_nothing(client, officer, session):
    hid = household(client, officer)
    before = (count(session, "applications"), count(session, "audit_events"))
    response = client.post(URL, headers=officer, json={
        "household_id": hid, "amount": "8000.00", "term_months": 12, "purpose": "husbandry"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["decision"] == "approved"
    assert 0 <= body["score"] <= 100 and 0 < body["pd"] < 1
    points = body["assessment"]["points"]
    assert len(points) >= 10
    assert abs(sum(p["points"] for p in points) - body["score"]) < 0.01 + 1e-9
    reasons = body["assessment"]["reasons"]
    assert 1 <= len(reasons) <= 3 and all(r["text_zh"] and r["text_en"] for r in reasons)
    assert {r["id"] for r in body["assessment"]["rules"]} == {
        "amount_bounds", "term_bounds", "borrower_age", "household_status", "labour_capacity",
        "no_overdue_loan", "no_bad_credit", "purpose_allowed", "household_cap", "file_complete",
        "recent_shock"}
    assert (count(session, "applications"), count(session, "audit_events")) == before


def test_preview_declines_a_banned_purpose_with_its_reason(client, officer):
    hid = household(client, officer)
    body = client.post(URL, headers=officer, json={
        "household_id": hid, "amount": "8000.00", "term_months": 12,
        "purpose": "house_building"}).get_json()
    assert body["decision"] == "declined"
    failed = [r for r in body["assessment"]["rules"] if r["outcome"] == "fail"]
    assert [r["id"] for r in failed] == ["purpose_allowed"]


def test_preview_validates_and_needs_a_real_household(client, officer, keys):
    bad = client.post(URL, headers=officer, json={"household_id": "x", "amount": 8000,
                                                  "term_months": 0, "purpose": "yachts"})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]["json"]) >= {
        "amount", "term_months", "purpose"}
    missing = client.post(URL, headers=officer, json={
        "household_id": "nope", "amount": "8000.00", "term_months": 12, "purpose": "planting"})
    assert missing.status_code == 404
    assert client.post(URL, headers=keys.headers("bank"), json={}).status_code == 403
