"""Idempotency through the lifecycle endpoints: a duplicate while the first runs is 409."""

import json
from datetime import timedelta

from creditsvc.api.idempotency import _request_hash
from creditsvc.extensions import db
from models import IdempotencyRecord
from models.base import utcnow
from tests.api.test_applications import household
from tests.lifecycle import user_id

BODY = {"amount": "20000.00", "term_months": 12, "purpose": "planting", "bank": "PSBC"}


def _in_progress(app, session, user: str, key: str, body: dict) -> None:
    """The state a first request leaves while it runs: its key taken, its lease current."""
    with app.test_request_context("/api/v1/applications", method="POST", data=json.dumps(body),
                                  content_type="application/json"):
        req_hash = _request_hash()
    session.add(IdempotencyRecord(user_id=user, key=key, request_hash=req_hash, state="in_progress",
                                  attempt=1, locked_until=utcnow() + timedelta(seconds=60)))
    session.commit()


def test_duplicate_while_the_first_runs_is_409(app, client, officer, session):
    body = {**BODY, "household_id": household(client, officer)}
    _in_progress(app, session, user_id(session, "officer-x"), "dup-00001", body)
    response = client.post("/api/v1/applications", data=json.dumps(body),
                           content_type="application/json",
                           headers={**officer, "Idempotency-Key": "dup-00001"})
    assert response.status_code == 409 and response.get_json()["code"] == "idempotency_in_progress"
    assert db.session.execute(db.text("SELECT count(*) FROM applications")).scalar() == 0


def test_application_replay_and_reuse(client, officer, session):
    body = {**BODY, "household_id": household(client, officer)}
    headers = {**officer, "Idempotency-Key": "app-key-001"}
    first = client.post("/api/v1/applications", json=body, headers=headers)
    second = client.post("/api/v1/applications", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.get_data() == first.get_data() and second.headers["Idempotent-Replayed"] == "true"
    other = client.post("/api/v1/applications", json={**body, "amount": "1000.00"}, headers=headers)
    assert other.status_code == 422 and other.get_json()["code"] == "idempotency_key_reused"
    assert db.session.execute(db.text("SELECT count(*) FROM applications")).scalar() == 1


def test_an_idempotent_refusal_is_rendered_like_every_other_error(app, client, officer):
    bad = {"household_id": "nope", "amount": "-1", "term_months": 12, "purpose": "planting",
           "bank": "PSBC"}
    refused = client.post("/api/v1/applications", json=bad,
                          headers={**officer, "Idempotency-Key": "render-0001"})
    plain = client.get("/api/v1/households?town=nowhere", headers=officer)
    assert refused.status_code == plain.status_code == 422
    for response in (refused, plain):  # the app's JSON provider wrote both
        assert response.get_data(as_text=True) == app.json.dumps(response.get_json()) + "\n"
