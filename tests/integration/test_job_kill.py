"""`flask jobs worker` SIGKILLed in the middle of a feed job leaves nothing half-written; the
next worker redoes the job once, and the fund's books reconcile.

No test hook in the app: the test holds the audit chain's head row locked, so the feed's
transaction stops after its loans and status reports are written but before it commits;
the worker is killed there.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from creditsvc.jobs.kinds import STATUS_FEED
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform import jobs
from models import AuditEvent, Job, Loan, StatusReport
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.integration.servers import ROOT, pg_app
from tests.services.feed_scenario import bank_actor
from tests.today import TODAY
from tests.work import done

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
FLASK = str(Path(sys.executable).parent / "flask")


def _worker(url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(16),
           "CREDITSVC_PII_KEY": secrets.token_urlsafe(32), "JOBS_STALE_SECONDS": "2",
           "JOBS_HEARTBEAT_SECONDS": "0.5", "CREDITSVC_TODAY": TODAY.isoformat()}
    return subprocess.Popen([FLASK, "--app", "wsgi", "jobs", "worker", "--idle", "0.2", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {predicate()}")


def _count(app, *what):
    with app.app_context():
        out = [db.session.execute(q).scalar_one() for q in what]
        db.session.remove()
    return out


def test_sigkill_mid_feed_job_then_the_next_worker_redoes_it_once():
    with pg_app() as (app, url):
        with app.app_context():
            s = db.session
            fund_with(s, 1_000_000_000)
            actor = bank_actor(s)
            ids = [LoanFactory(principal_fen=100_000).id for _ in range(200)]
            body = "贷款编号,统计日期,逾期天数\n" + "".join(
                f"{lid},2026-0{m}-28,{30 * m}\n" for m in (2, 3, 4, 5) for lid in ids)
            job_id = done(s, jobs.submit, actor, STATUS_FEED, {"filename": "f.csv"},
                          files=(("f.csv", "text/csv", body.encode()),)).id
            db.session.remove()
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        blocker = psycopg.connect(dsn)
        blocker.execute("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE")
        first = _worker(url)
        try:
            def feed_waits_on_the_audit_head():
                with psycopg.connect(dsn, autocommit=True) as c:
                    return c.execute("SELECT count(*) FROM pg_stat_activity WHERE "
                                     "wait_event_type = 'Lock' AND query ILIKE %s",
                                     ("%audit_head%",)).fetchone()[0] == 1

            _wait_for(feed_waits_on_the_audit_head)
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            first.stdout.close()
        finally:
            blocker.rollback()
            blocker.close()
        reports = select(func.count()).select_from(StatusReport)
        state = select(Job.status).where(Job.id == job_id)
        _wait_for(lambda: _count(app, reports, state) == [0, "running"])
        npl_loans = select(func.count()).select_from(Loan).where(Loan.classification == "次级")
        assert _count(app, npl_loans) == [0]
        time.sleep(2.5)  # the dead worker's heartbeat goes stale
        second = _worker(url, "--once")
        out, _ = second.communicate(timeout=120)
        assert second.returncode == 0, out.decode()
        with app.app_context():
            s = db.session
            job = s.get(Job, job_id)
            assert (job.status, job.attempts, job.result["accepted"]) == ("done", 2, 800), job.message
            assert s.execute(select(func.count()).select_from(StatusReport)).scalar_one() == 800
            assert s.execute(npl_loans).scalar_one() == 200
            feeds = s.execute(select(AuditEvent.action).where(AuditEvent.target_id == job_id)
                              .order_by(AuditEvent.seq)).scalars().all()
            assert feeds == ["job.submit", "job.requeue", "loan.status_feed"]
            assert reconcile(s) == []
            db.session.remove()
