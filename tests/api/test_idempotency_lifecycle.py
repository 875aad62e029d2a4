"""The Idempotency-Key contract through the API: replay, 422, 409, refusals, crashes."""

import json

import pytest
from sqlalchemy import select, text

from creditsvc.infra.extensions import db
from creditsvc.services.loans import applications as applications_svc
from creditsvc.services.platform import idempotency
from models import Application, AuditEvent, IdempotencyRecord
from tests.api.test_applications import household
from tests.books import user_id

BODY = {"amount": "20000.00", "term_months": 12, "purpose": "planting", "bank": "PSBC"}


def _count(model) -> int:
    return db.session.execute(select(db.func.count()).select_from(model)).scalar()


def test_application_replay_and_reuse(client, officer, session):
    body = {**BODY, "household_id": household(client, officer)}
    headers = {**officer, "Idempotency-Key": "app-key-001"}
    first = client.post("/api/v1/applications", json=body, headers=headers)
    second = client.post("/api/v1/applications", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.get_data() == first.get_data() and second.headers["Idempotent-Replayed"] == "true"
    other = client.post("/api/v1/applications", json={**body, "amount": "1000.00"}, headers=headers)
    assert other.status_code == 422 and other.get_json()["code"] == "idempotency_key_reused"
    assert _count(Application) == 1


def test_the_request_is_hashed_as_canonical_json_not_bytes(client, officer, session):
    body = {**BODY, "household_id": household(client, officer)}
    headers = {**officer, "Idempotency-Key": "canon-0001", "Content-Type": "application/json"}
    first = client.post("/api/v1/applications", json=body, headers=headers)
    # The same JSON with other key order and spacing is the same request.
    spaced = json.dumps(dict(reversed(body.items())), indent=3)
    again = client.post("/api/v1/applications", data=spaced, headers=headers)
    assert first.status_code == 201 and again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and _count(Application) == 1


def test_a_refusal_is_not_remembered_so_a_retry_is_decided_again(client, officer, session, monkeypatch):
    body = {**BODY, "household_id": household(client, officer)}
    headers = {**officer, "Idempotency-Key": "refused-001"}
    real = applications_svc.submit

    def refusing(*args, **kwargs):
        from creditsvc.core.errors import Conflict
        raise Conflict("lending_suspended_npl")

    monkeypatch.setattr(applications_svc, "submit", refusing)
    refused = client.post("/api/v1/applications", json=body, headers=headers)
    assert refused.status_code == 409 and refused.get_json()["code"] == "lending_suspended_npl"
    assert _count(IdempotencyRecord) == 0
    monkeypatch.setattr(applications_svc, "submit", real)
    retried = client.post("/api/v1/applications", json=body, headers=headers)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert _count(Application) == 1


def test_a_crash_mid_request_leaves_nothing_and_the_retry_runs(client, officer, session, monkeypatch):
    body = {**BODY, "household_id": household(client, officer)}
    headers = {**officer, "Idempotency-Key": "crashed-001"}
    events_before = _count(AuditEvent)
    real = idempotency.remember

    def crash(*args, **kwargs):  # the application is flushed, then the worker fails
        raise RuntimeError("worker died")

    monkeypatch.setattr(idempotency, "remember", crash)
    assert client.post("/api/v1/applications", json=body, headers=headers).status_code == 500
    assert _count(Application) == 0 and _count(IdempotencyRecord) == 0
    assert _count(AuditEvent) == events_before
    monkeypatch.setattr(idempotency, "remember", real)
    retried = client.post("/api/v1/applications", json=body, headers=headers)
    assert retried.status_code == 201 and _count(Application) == 1


@pytest.mark.postgres
def test_a_duplicate_while_the_first_runs_is_409(app, client, officer, session):
    """PostgreSQL: the first request's transaction holds the key's advisory lock."""
    body = {**BODY, "household_id": household(client, officer)}
    lock = idempotency._lock_id(user_id(session, "officer-x"), "dup-00001")
    with db.engine.connect() as other:  # stands for the first request, still running
        other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
        response = client.post("/api/v1/applications", json=body,
                               headers={**officer, "Idempotency-Key": "dup-00001"})
        other.rollback()
    assert response.status_code == 409 and response.get_json()["code"] == "idempotency_in_progress"
    assert _count(Application) == 0
    after = client.post("/api/v1/applications", json=body,
                        headers={**officer, "Idempotency-Key": "dup-00001"})
    assert after.status_code == 201


def test_an_idempotent_refusal_is_rendered_like_every_other_error(app, client, officer):
    bad = {"household_id": "nope", "amount": "-1", "term_months": 12, "purpose": "planting",
           "bank": "PSBC"}
    refused = client.post("/api/v1/applications", json=bad,
                          headers={**officer, "Idempotency-Key": "render-0001"})
    plain = client.get("/api/v1/households?town=nowhere", headers=officer)
    assert refused.status_code == plain.status_code == 422
    for response in (refused, plain):  # the app's JSON provider wrote both
        assert response.get_data(as_text=True) == app.json.dumps(response.get_json()) + "\n"
