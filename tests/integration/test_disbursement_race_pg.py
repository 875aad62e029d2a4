"""The disbursement race on PostgreSQL under gunicorn with 4 workers, fired over HTTP."""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from creditsvc import create_app
from tests import dbs
from tests.conftest import make_config
from tests.integration import race

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not become healthy")


@pytest.fixture
def pg_app():
    dbs.require_pg()
    name = dbs.new_pg_database()
    config = make_config(dbs.pg_url(name))
    app = create_app(config)
    dbs.migrate_to_head(app)
    yield app, config
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()
    dbs.drop_pg_database(name)


@pytest.fixture
def gunicorn(pg_app):
    app, config = pg_app
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": config["SECRET_KEY"], "CREDITSVC_PII_KEY": config["PII_KEY"]}
    proc = subprocess.Popen([str(GUNICORN), "-w", "4", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.postgres
def test_64_concurrent_disbursements_under_gunicorn(pg_app, gunicorn):
    app, _ = pg_app
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
