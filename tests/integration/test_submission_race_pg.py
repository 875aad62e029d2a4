"""Submissions racing on PostgreSQL under gunicorn -w 4: one application per key, a linear chain.

Over HTTP every request is its own unit of work, as in production: the Idempotency-Key is held
by the request's transaction (an advisory lock), and the stored response and the audit events
commit with the application.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import text

from creditsvc.core.pii import PiiCipher
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.access import users
from creditsvc.services.households import files as households
from creditsvc.services.platform import audit_chain
from tests.conftest import ACTOR
from tests.factories import HouseholdFactory
from tests.integration.servers import gunicorn, pg_app
from tests.today import TODAY
from tests.work import done

DISTINCT, DUPLICATES = 32, 16


@pytest.fixture
def served():
    """A migrated PostgreSQL database with an officer and a household, and gunicorn -w 4."""
    with pg_app() as (app, url):
        pii_key = app.config["PII_KEY"]
        with app.app_context():
            _, key = done(db.session, users.create_user, ACTOR, "race-officer", "officer")
            household = done(db.session, households.create_household, ACTOR, PiiCipher(pii_key),
                             HouseholdInSchema().load(HouseholdFactory())).id
            db.session.remove()
        with gunicorn(url, workers=4, CREDITSVC_PII_KEY=pii_key,
                      CREDITSVC_TODAY=TODAY.isoformat()) as (base, _):
            yield app, base, key, household


@pytest.mark.postgres
def test_racing_submissions_keep_one_application_per_key_and_a_linear_chain(served):
    app, base, key, household = served
    body = {"household_id": household, "amount": "20000.00", "term_months": 12,
            "purpose": "planting", "bank": "PSBC"}
    http = requests.Session()
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=DISTINCT))

    def post(idem_key):
        r = http.post(f"{base}/api/v1/applications", json=body, timeout=30,
                      headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem_key})
        return r.status_code, r.headers.get("Idempotent-Replayed"), r.content

    with ThreadPoolExecutor(max_workers=DISTINCT) as pool:
        distinct = list(pool.map(post, [f"race-app-{i:04d}" for i in range(DISTINCT)]))
        duplicates = list(pool.map(post, ["race-app-dup"] * DUPLICATES))
    assert [status for status, _, _ in distinct] == [201] * DISTINCT
    # One of the duplicates acts; the others replay its response or are told it is running.
    assert {status for status, _, _ in duplicates} <= {201, 409}, duplicates
    created = {content for status, _, content in duplicates if status == 201}
    final = post("race-app-dup")
    http.close()
    assert final[:2] == (201, "true") and created <= {final[2]}
    with app.app_context():
        count = db.session.execute(text("SELECT count(*) FROM applications")).scalar()
        events = db.session.execute(text(
            "SELECT count(*) FROM audit_events WHERE action = 'application.submit'")).scalar()
        records = db.session.execute(text("SELECT count(*) FROM idempotency_records")).scalar()
        report = audit_chain.verify_chain(db.session)
        db.session.remove()
    assert count == events == DISTINCT + 1
    assert records == DISTINCT + 1
    assert report.ok, report  # appended concurrently, the chain stays linear
