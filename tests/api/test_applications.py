"""Applications through the API: assessment on submission, listing, visibility, replay, review."""

import json

from sqlalchemy import event, text

from creditsvc.infra.extensions import db
from tests.books import set_fund, user_id
from tests.factories import ApplicationFactory, HouseholdFactory

URL = "/api/v1/applications"


def household(client, officer, **overrides) -> str:
    response = client.post("/api/v1/households", json=HouseholdFactory(**overrides), headers=officer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def submit(client, headers, key, **overrides):
    body = {"amount": "20000.00", "term_months": 12, "purpose": "planting", "bank": "PSBC",
            **overrides}
    return client.post(URL, json=body, headers={**headers, "Idempotency-Key": key})


def test_submission_is_assessed_and_stored_whole(client, officer, session):
    hid = household(client, officer)
    response = submit(client, officer, "submit-0001", household_id=hid)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["decision"] == body["status"] == "referred"  # ¥20,000: above its grade's limit
    assert body["assessment"]["input"]["request"]["amount"] == "20000.00"
    assert body["assessment"]["rules"] and body["assessment"]["points"]
    assert body["policy_version"] == body["assessment"]["policy_version"]
    assert len(body["model_sha256"]) == 64
    got = client.get(f"{URL}/{body['id']}", headers=officer).get_json()
    assert got["assessment"] == body["assessment"]
    assert session.execute(text("SELECT count(*) FROM audit_events WHERE action='application.submit'")
                           ).scalar() == 1


def test_replay_matches_the_stored_assessment(client, officer, keys):
    hid = household(client, officer)
    app_id = submit(client, officer, "submit-0002", household_id=hid).get_json()["id"]
    for role in ("officer", "fund_manager"):
        replayed = client.get(f"{URL}/{app_id}/replay", headers=keys.headers(role))
        assert replayed.status_code == 200 and replayed.get_json()["matches"] is True
    assert client.get(f"{URL}/{app_id}/replay", headers=keys.headers("bank")).status_code == 403


def test_hard_rule_failure_declines_and_cannot_be_overridden(client, officer, keys):
    hid = household(client, officer)
    body = submit(client, officer, "submit-0003", household_id=hid, purpose="house_building"
                  ).get_json()
    assert body["decision"] == "declined"
    assert any(r["id"] == "purpose_allowed" and r["outcome"] == "fail"
               for r in body["assessment"]["rules"])
    response = client.post(f"{URL}/{body['id']}/review", headers=keys.headers("fund_manager"),
                           json={"decision": "approve", "note": "looks fine to me"})
    assert response.status_code == 409 and response.get_json()["code"] == "hard_rule_failed"


def test_referred_review_rules(client, officer, keys, session):
    hid = household(client, officer, monitoring_events=[
        {"kind": "serious_illness", "occurred_on": "2026-09-01"}])
    body = submit(client, officer, "submit-0004", household_id=hid).get_json()
    assert body["decision"] == "referred", body["assessment"]["decision_reasons"]
    url = f"{URL}/{body['id']}/review"
    own = client.post(url, headers=officer, json={"decision": "approve", "note": "ok by me"})
    assert own.status_code == 403 and own.get_json()["code"] == "reviewer_is_submitter"
    manager = keys.headers("fund_manager")
    no_note = client.post(url, headers=manager, json={"decision": "approve"})
    assert no_note.status_code == 422
    too_much = client.post(url, headers=manager, json={"decision": "approve", "note": "visited",
                                                       "approved_amount": "60000.00"})
    assert too_much.status_code == 422 and too_much.get_json()["code"] == "amount_above_limit"
    ok = client.post(url, headers=manager, json={"decision": "approve", "note": "visited, recovered",
                                                 "approved_amount": "5000.00"})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["status"] == "approved" and ok.get_json()["approved_amount"] == "5000.00"
    assert ok.get_json()["decision"] == "referred"  # the machine's decision is kept
    again = client.post(url, headers=manager, json={"decision": "decline", "note": "changed mind"})
    assert again.status_code == 409 and again.get_json()["code"] == "invalid_transition"


def test_validation_errors_write_nothing(client, officer, session):
    hid = household(client, officer)
    bad = submit(client, officer, "submit-0005", household_id=hid, amount=20000, bank="ICBC",
                 term_months=0)
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]["json"]) == {"amount", "bank", "term_months"}
    missing = submit(client, officer, "submit-0006", household_id="nope")
    assert missing.status_code == 404 and missing.get_json()["code"] == "household_not_found"
    assert session.execute(text("SELECT count(*) FROM applications")).scalar() == 0


def test_bank_sees_only_its_approved_onward(client, officer, keys, session):
    set_fund(session, 50_000_000)
    officer_id = user_id(session, "officer-x")
    mine = ApplicationFactory(submitted_by=officer_id, bank_code="PSBC")
    other = ApplicationFactory(submitted_by=officer_id, bank_code="ABC")
    referred = ApplicationFactory(submitted_by=officer_id, bank_code="PSBC", status="referred")
    psbc = keys.headers("bank", "PSBC")
    assert client.get(f"{URL}/{mine.id}", headers=psbc).status_code == 200
    for hidden in (other.id, referred.id, "no-such-id"):
        response = client.get(f"{URL}/{hidden}", headers=psbc)
        assert response.status_code == 404 and response.get_json()["code"] == "application_not_found"
    listed = client.get(f"{URL}?status=approved", headers=psbc)
    assert [a["id"] for a in listed.get_json()] == [mine.id]
    assert len(client.get(URL, headers=keys.headers("fund_manager")).get_json()) == 3
    abc = client.get(URL, headers=keys.headers("bank", "ABC")).get_json()
    assert [a["id"] for a in abc] == [other.id]


def test_list_filters_and_pages(client, officer, session):
    officer_id = user_id(session, "officer-x")
    for bank in ("PSBC", "PSBC", "ABC"):
        ApplicationFactory(submitted_by=officer_id, bank_code=bank)
    page = client.get(f"{URL}?bank=PSBC&page_size=1", headers=officer)
    assert len(page.get_json()) == 1 and json.loads(page.headers["X-Pagination"])["total"] == 2
    assert client.get(f"{URL}?town=渔湖镇&submitted_from=2000-01-01", headers=officer
                      ).headers["X-Pagination"]
    assert client.get(f"{URL}?submitted_to=2000-01-01", headers=officer).get_json() == []
    assert client.get(f"{URL}?page_size=201", headers=officer).status_code == 422




def test_a_submission_runs_in_one_transaction(app, client, officer):
    """The application, its stored response and its audit event commit together: one BEGIN."""
    hid = household(client, officer)
    assert submit(client, officer, "count-warm", household_id=hid).status_code == 201
    begun = []

    def began(conn):
        begun.append(conn)

    event.listen(db.engine, "begin", began)
    db.session.remove()  # as in production, the request's session starts unused
    try:
        assert submit(client, officer, "count-0001", household_id=hid).status_code == 201
    finally:
        event.remove(db.engine, "begin", began)
    assert len(begun) == 1
