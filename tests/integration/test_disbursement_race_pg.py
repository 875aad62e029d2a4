"""The disbursement race on PostgreSQL under gunicorn with 4 workers, fired over HTTP."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.integration import race
from tests.integration.servers import gunicorn, pg_app


@pytest.fixture
def served():
    """A migrated PostgreSQL database and gunicorn -w 4 serving it."""
    with pg_app() as (app, url), gunicorn(url, workers=4) as (base, _):
        yield app, base


@pytest.mark.postgres
def test_64_concurrent_disbursements_under_gunicorn(served):
    app, gunicorn = served
    setup = race.prepare(app)
    headers = {"Authorization": f"Bearer {setup.psbc_key}"}
    http = requests.Session()
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=race.RACERS))

    def fire(i_and_id):
        i, app_id = i_and_id
        response = http.post(f"{gunicorn}/api/v1/applications/{app_id}/disbursement",
                             json=race.TERMS, timeout=30,
                             headers={**headers, "Idempotency-Key": f"race-{i:04d}"})
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=race.RACERS) as pool:
        statuses = list(pool.map(fire, enumerate(setup.application_ids)))
    race.check_outcome(app, statuses)

    # The same key fired 8 times at once: one acts, the others replay it or are told it runs.
    dup = [(f"{gunicorn}/api/v1/applications/{setup.application_ids[0]}/disbursement")] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda url: http.post(
            url, json=race.TERMS, timeout=30, headers={**headers, "Idempotency-Key": "dup-key-01"}), dup))
    codes = {(r.status_code, r.json().get("code")) for r in answers}
    http.close()
    assert codes <= {(409, "idempotency_in_progress"), (409, "invalid_transition"),
                     (409, "leverage_cap_reached")}, codes
