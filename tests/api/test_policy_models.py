"""The versioned policy and the scorecard registry through the API."""

from sqlalchemy import text


def test_every_role_reads_the_policy(client, keys):
    for role in ("officer", "bank", "fund_manager", "admin"):
        body = client.get("/api/v1/policy", headers=keys.headers(role)).get_json()
        assert body["version"] == 1
        assert body["body"]["leverage"] == 10 and body["body"]["fund_loss_share"] == "0.80"


def test_a_change_makes_a_new_version_and_keeps_the_old(client, keys, session):
    fm = keys.headers("fund_manager")
    response = client.put("/api/v1/policy", headers=fm, json={
        "changes": {"npl_tolerance": "0.04", "bank_shares": [["PSBC", "0.55"], ["ABC", "0.45"]]},
        "note": "tighter after the 2026 review"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == 2
    assert client.get("/api/v1/policy", headers=fm).get_json()["body"]["npl_tolerance"] == "0.04"
    old = client.get("/api/v1/policy/1", headers=fm).get_json()
    assert old["body"]["npl_tolerance"] == "0.05"
    assert session.execute(text("SELECT capacity_share_bp FROM banks WHERE code='PSBC'")).scalar() == 5500
    changes = "SELECT count(*) FROM audit_events WHERE action = 'policy.change'"
    assert session.execute(text(changes)).scalar() == 1


def test_invalid_policy_changes_are_422_and_write_nothing(client, keys, session):
    fm = keys.headers("fund_manager")
    for changes, code in (({"bank_shares": [["PSBC", "0.70"], ["ABC", "0.40"]]}, "invalid_policy"),
                          ({"leverage": -1}, "invalid_policy"), ({"no_such_rule": 1}, "validation_error"),
                          ({"grade_bands": [["AAA", 60, "50000"], ["AA", 70, "30000"]]}, "invalid_policy")):
        response = client.put("/api/v1/policy", headers=fm, json={"changes": changes})
        assert response.status_code == 422, (changes, response.get_json())
        assert response.get_json()["code"] == code, (changes, response.get_json())
    assert session.execute(text("SELECT count(*) FROM policy_versions")).scalar() == 1


def test_only_fund_managers_change_policy(client, keys):
    response = client.put("/api/v1/policy", headers=keys.headers("officer"),
                          json={"changes": {"npl_tolerance": "0.04"}})
    assert response.status_code == 403


def test_unknown_policy_version_is_404(client, keys):
    assert client.get("/api/v1/policy/99", headers=keys.headers("admin")).status_code == 404


def test_models_list_and_current_points_table(client, keys):
    admin = keys.headers("admin")
    listing = client.get("/api/v1/models", headers=admin).get_json()
    assert len(listing) == 1 and listing[0]["is_champion"] and listing[0]["source"] == "bootstrap"
    current = client.get("/api/v1/models/current", headers=admin).get_json()
    assert current["sha256"] == listing[0]["sha256"]
    features = current["artifact"]["features"]
    assert len(features) >= 10 and all("bins" in f or "groups" in f or "points" in str(f) for f in features)
    assert "BOOTSTRAP" in current["artifact"]["description"]
