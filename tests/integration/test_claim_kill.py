"""A gunicorn worker SIGKILLed in the middle of a claim approval leaves all or nothing,
and a retry with the same Idempotency-Key converges to exactly one payment.

No test hook in the app: the test holds the audit chain's head row locked, so the
approval stops after its draw, claim and loan updates but before it can commit; the
worker is killed there.
"""

import os
import signal
import threading
import time

import psycopg
import pytest
import requests
from sqlalchemy import select

from creditsvc.infra.extensions import db
from creditsvc.services.fund.reconcile import reconcile
from models import Claim, Fund, JournalEntry, Loan
from tests.integration.fund_setup import seed
from tests.integration.servers import gunicorn, pg_app, wait_healthy, worker_pids
from tests.today import TODAY

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _state(app, claim_id):
    with app.app_context():
        s = db.session
        claim = s.get(Claim, claim_id)
        out = (claim.status, s.get(Loan, claim.loan_id).status,
               s.execute(select(Fund.balance_fen)).scalar_one(),
               len(s.execute(select(JournalEntry.id).where(JournalEntry.claim_id == claim_id)).all()),
               reconcile(s))
        db.session.remove()
    return out


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def test_sigkill_mid_approval_leaves_nothing_and_the_retry_pays_once():
    with pg_app() as (app, url):
        (claim_id,), key = seed(app, fund_fen=10_000_000, claims_n=1, claim_fen=1_000_000)
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        dbname = dsn.rsplit("/", 1)[1]
        headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "kill-approve-1"}
        with gunicorn(url, workers=1, CREDITSVC_TODAY=TODAY.isoformat()) as (base, master):
            approve = f"{base}/api/v1/claims/{claim_id}/approve"
            blocker = psycopg.connect(dsn)
            blocker.execute("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE")
            errors = []
            t = threading.Thread(target=lambda: _post(approve, headers, errors), daemon=True)
            t.start()

            def approval_waits_on_the_lock():
                with psycopg.connect(dsn, autocommit=True) as c:
                    return c.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                        "wait_event_type = 'Lock' AND query ILIKE %s",
                        (dbname, "%audit_head%")).fetchone()[0] == 1

            _wait_for(approval_waits_on_the_lock)
            (worker,) = worker_pids(master.pid)
            os.kill(worker, signal.SIGKILL)
            t.join(30)
            assert errors and isinstance(errors[0], requests.ConnectionError)
            blocker.rollback()  # the orphaned backend now runs on, fails to answer, and aborts
            blocker.close()

            def orphan_gone():
                with psycopg.connect(dsn, autocommit=True) as c:
                    return c.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                                     "AND pid <> pg_backend_pid() AND state <> 'idle'",
                                     (dbname,)).fetchone()[0] == 0

            _wait_for(orphan_gone)
            # Nothing of the approval survived: claim filed, loan active, balance whole.
            assert _state(app, claim_id) == ("filed", "active", 10_000_000, 0, [])

            wait_healthy(base)
            # The dead attempt's transaction, and with it its hold on the key, is gone: the
            # retry runs at once (no lease to wait out).
            first = requests.post(approve, headers=headers, timeout=30)
            assert first.status_code == 200, first.text
            assert first.json()["status"] == "paid"
            again = requests.post(approve, headers=headers, timeout=30)
            assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
            assert again.content == first.content
        assert _state(app, claim_id) == ("paid", "claimed", 9_000_000, 1, [])


def _post(url, headers, errors):
    try:
        requests.post(url, headers=headers, timeout=30)
    except requests.RequestException as exc:
        errors.append(exc)
