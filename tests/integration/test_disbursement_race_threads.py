"""The disbursement race with Flask test clients in 64 threads: on a SQLite file, and on
PostgreSQL too in its pass (the gunicorn version is test_disbursement_race_pg)."""

from concurrent.futures import ThreadPoolExecutor

from tests.integration import race


def test_concurrent_disbursements_never_pass_the_leverage_cap(app):
    setup = race.prepare(app)
    headers = {"Authorization": f"Bearer {setup.psbc_key}"}

    def fire(i_and_id):
        i, app_id = i_and_id
        response = app.test_client().post(f"/api/v1/applications/{app_id}/disbursement",
                                          json=race.TERMS,
                                          headers={**headers, "Idempotency-Key": f"race-{i:04d}"})
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=race.RACERS) as pool:
        statuses = list(pool.map(fire, enumerate(setup.application_ids)))
    race.check_outcome(app, statuses)
