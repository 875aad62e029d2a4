"""The claim made with the key lookup (PostgreSQL, a request's fresh session in autocommit).

Most API tests share one session with the requests they make, so a request's key lookup runs
inside the test's transaction and the view's wrapper claims the key itself. Here every request
starts with no session, as in production, so on PostgreSQL the key lookup and the claim are one
statement; on SQLite the same behaviour comes from two.
"""

import json

import pytest
from sqlalchemy import text

from creditsvc.extensions import db
from creditsvc.hotsql import HotStatement
from tests.api.test_applications import household
from tests.api.test_idempotency_lifecycle import BODY, _in_progress
from tests.api.test_loans import TERMS, accepted
from tests.lifecycle import set_fund, user_id

URL = "/api/v1/applications"


def fresh_post(client, url, headers, body, key):
    """POST as production does: the request's session begins unused (no open transaction)."""
    db.session.remove()
    try:
        return client.post(url, data=json.dumps(body), content_type="application/json",
                           headers={**headers, "Idempotency-Key": key})
    finally:
        db.session.remove()


def records() -> list[tuple]:
    db.session.remove()
    return [tuple(r) for r in db.session.execute(text(
        "SELECT key, state, attempt, response_status FROM idempotency_records ORDER BY key"))]


@pytest.fixture
def statements(monkeypatch):
    """The first word of each hot statement run (creditsvc.hotsql)."""
    seen, run = [], HotStatement.execute

    def counted(self, conn, params=None):
        seen.append(str(self.statement).split()[0])
        return run(self, conn, params)

    monkeypatch.setattr(HotStatement, "execute", counted)
    return seen


def test_the_claim_rides_with_the_key_lookup(client, officer, statements):
    body = {**BODY, "household_id": household(client, officer)}
    statements.clear()
    first = fresh_post(client, URL, officer, body, "ride-00001")
    assert first.status_code == 201, first.get_json()
    pg = db.engine.dialect.name == "postgresql"
    # PostgreSQL: one statement looks the key up and claims; SQLite: a lookup, then the claim.
    assert statements[:2] == (["WITH", "SELECT"] if pg else ["SELECT", "INSERT"]), statements
    assert records() == [("ride-00001", "done", 1, 201)]
    again = fresh_post(client, URL, officer, body, "ride-00001")
    assert again.status_code == 201 and again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = fresh_post(client, URL, officer, {**body, "amount": "1000.00"}, "ride-00001")
    assert other.status_code == 422 and other.get_json()["code"] == "idempotency_key_reused"
    assert records() == [("ride-00001", "done", 1, 201)]
    assert db.session.execute(text("SELECT count(*) FROM applications")).scalar() == 1
    db.session.remove()
    assert db.engine.pool.checkedout() == 0  # the claim's connection went back with the request


def test_a_claim_whose_view_never_runs_hands_its_connection_back(app, client, officer):
    body = {**BODY, "household_id": household(client, officer)}
    db.session.remove()
    with app.test_request_context(URL, method="POST", data=json.dumps(body),
                                  content_type="application/json",
                                  headers={**officer, "Idempotency-Key": "ride-00007"}):
        app.preprocess_request()  # the key lookup (and on PostgreSQL the claim); no view
        held = 1 if db.engine.dialect.name == "postgresql" else 0
        assert (db.engine.pool.checkedout() - (1 if db.session().in_transaction() else 0)
                == held)
    db.session.remove()
    assert db.engine.pool.checkedout() == 0


def test_a_duplicate_of_a_running_request_is_409(app, client, officer, session):
    body = {**BODY, "household_id": household(client, officer)}
    _in_progress(app, session, user_id(session, "officer-x"), "ride-00002", body)
    response = fresh_post(client, URL, officer, body, "ride-00002")
    assert response.status_code == 409 and response.get_json()["code"] == "idempotency_in_progress"
    assert records() == [("ride-00002", "in_progress", 1, None)]
    assert db.session.execute(text("SELECT count(*) FROM applications")).scalar() == 0


def test_a_refused_caller_claims_nothing(client, officer, keys):
    body = {**BODY, "household_id": household(client, officer)}
    bank = fresh_post(client, URL, keys.headers("bank"), body, "ride-00003")
    assert bank.status_code == 403 and bank.get_json()["code"] == "role_forbidden"
    unknown = fresh_post(client, URL, {"Authorization": "Bearer csk_nope"}, body, "ride-00004")
    assert unknown.status_code == 401 and unknown.get_json()["code"] == "invalid_api_key"
    assert records() == []
    # The officer may then use the key the bank could not: it was never taken.
    assert fresh_post(client, URL, officer, body, "ride-00003").status_code == 201


def test_a_view_checked_before_its_wrapper_claims_after_the_check(client, officer, keys, session):
    """`visible` may refuse before the idempotent wrapper runs: then nothing is claimed."""
    set_fund(session, 50_000_000)
    app_id = accepted(session)
    psbc = keys.headers("bank", "PSBC")
    url = f"{URL}/{app_id}/disbursement"
    first = fresh_post(client, url, psbc, TERMS, "ride-00005")
    assert first.status_code == 201, first.get_json()
    assert records() == [("ride-00005", "done", 1, 201)]
    again = fresh_post(client, url, psbc, TERMS, "ride-00005")
    assert again.status_code == 201 and again.get_data() == first.get_data()
    # Another bank's key: 404 from the visibility check, and nothing claimed for it.
    abc = fresh_post(client, url, keys.headers("bank", "ABC"), TERMS, "ride-00006")
    assert abc.status_code == 404
    assert [r[0] for r in records()] == ["ride-00005"]


@pytest.mark.postgres
def test_a_request_whose_key_a_retry_took_over_leaves_nothing(client, officer, monkeypatch):
    """The stored response and the audit event go in one statement: if the retry took the key
    over meanwhile, neither is written, and nor is the application."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("CREDITSVC_TEST_DB=postgresql runs it: SQLite would serialise the retry")
    from creditsvc.services import applications

    body = {**BODY, "household_id": household(client, officer)}
    submit = applications.submit

    def taken_over_meanwhile(*args, **kwargs):
        with db.engine.begin() as other:  # a retry after the lease ran out
            other.execute(text("UPDATE idempotency_records SET attempt = 2"))
        return submit(*args, **kwargs)

    monkeypatch.setattr(applications, "submit", taken_over_meanwhile)
    events_before = db.session.execute(text("SELECT count(*) FROM audit_events")).scalar()
    response = fresh_post(client, URL, officer, body, "ride-00008")
    assert response.status_code == 409 and response.get_json()["code"] == "idempotency_in_progress"
    assert records() == [("ride-00008", "in_progress", 2, None)]
    assert db.session.execute(text("SELECT count(*) FROM applications")).scalar() == 0
    assert db.session.execute(text("SELECT count(*) FROM audit_events")).scalar() == events_before
