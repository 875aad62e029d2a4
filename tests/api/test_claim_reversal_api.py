"""POST /api/v1/claims/{id}/reverse: a fund manager reverses a claim paid in error."""

from datetime import date

import pytest
from sqlalchemy import func, select

from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform.audit_chain import verify_chain
from models import JournalEntry
from tests.api.walk import LOANS, Walk
from tests.books import fund_with

WHY = {"reason": "paid on the wrong loan number"}


@pytest.fixture
def walk(client, keys, session, business_date):
    fund_with(session, 50_000_000, date(2026, 1, 2))
    return Walk(client, keys, business_date)


def _paid_claim(walk) -> tuple[dict, dict]:
    loan = walk.claimed()
    claims = walk.client.get("/api/v1/claims?status=paid", headers=walk.manager).get_json()
    return loan, claims[0]


def _reverse(walk, claim_id, headers=None, key="reverse-0001", body=WHY):
    return walk.client.post(f"/api/v1/claims/{claim_id}/reverse", json=body,
                            headers={**(headers or walk.manager), "Idempotency-Key": key})


def _code(response):
    return response.status_code, (response.get_json() or {}).get("code")


def test_reversal_over_the_api_restores_the_fund_and_the_loan(walk, session):
    fund_before = walk.client.get("/api/v1/fund", headers=walk.manager).get_json()
    loan, claim = _paid_claim(walk)
    done = _reverse(walk, claim["id"])
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert (body["status"], body["reversal_reason"]) == ("reversed", WHY["reason"])
    assert body["reversed_at"]
    fund = walk.client.get("/api/v1/fund", headers=walk.manager).get_json()
    assert fund["balance"] == fund_before["balance"] == "500000.00"
    assert fund["claims_paid"] == "0.00"
    assert fund["guaranteed_outstanding"] == "10000.00"
    again = walk.client.get(f"{LOANS}/{loan['id']}", headers=walk.manager).get_json()["loan"]
    assert again["status"] == "active"
    assert reconcile(session) == []
    assert verify_chain(session).ok


def test_a_retry_with_the_same_key_replays_and_reverses_once(walk, session):
    _, claim = _paid_claim(walk)
    first = _reverse(walk, claim["id"])
    again = _reverse(walk, claim["id"])
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    mirrors = session.execute(select(func.count()).select_from(JournalEntry)
                              .where(JournalEntry.reverses_id.is_not(None))).scalar_one()
    assert mirrors == 1
    assert _code(_reverse(walk, claim["id"], body={"reason": "another reason entirely"})) == (
        422, "idempotency_key_reused")
    assert reconcile(session) == []


def test_a_second_reversal_under_a_new_key_is_refused(walk):
    _, claim = _paid_claim(walk)
    assert _reverse(walk, claim["id"]).status_code == 200
    assert _code(_reverse(walk, claim["id"], key="reverse-0002")) == (
        409, "claim_already_reversed")


def test_a_filed_claim_is_not_reversed(walk):
    loan = walk.defaulted()
    claim = walk.claim(loan["id"])
    assert _code(_reverse(walk, claim["id"])) == (409, "claim_not_paid")


def test_recoveries_after_the_claim_must_be_corrected_first(walk, session):
    loan, claim = _paid_claim(walk)
    walk.on("2026-08-01")
    recovered = walk.post(f"{LOANS}/{loan['id']}/recoveries", walk.bank,
                          {"amount": "1000.00", "recovered_on": "2026-08-01"}, idempotent=True)
    assert recovered.status_code == 201, recovered.get_json()
    refused = _reverse(walk, claim["id"])
    assert _code(refused) == (409, "claim_has_recoveries")
    assert "correct the recoveries first" in refused.get_json()["message"]
    assert reconcile(session) == []


@pytest.mark.parametrize("role", ["bank", "officer", "admin"])
def test_only_a_fund_manager_reverses(walk, keys, role):
    _, claim = _paid_claim(walk)
    assert _reverse(walk, claim["id"], headers=keys.headers(role)).status_code == 403


def test_a_reason_of_some_words_and_a_key_are_required(walk):
    _, claim = _paid_claim(walk)
    assert _code(_reverse(walk, claim["id"], body={"reason": "oops"}))[0] == 422
    assert _reverse(walk, claim["id"], body={}).status_code == 422
    bare = walk.client.post(f"/api/v1/claims/{claim['id']}/reverse", json=WHY,
                            headers=walk.manager)
    assert _code(bare) == (400, "idempotency_key_required")


def test_the_route_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/claims/{claim_id}/reverse"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert {"200", "409", "422"} <= set(post["responses"])
