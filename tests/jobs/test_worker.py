"""The worker's claim, stale requeue and fencing: a job completes once, whoever runs it."""

from datetime import timedelta

from sqlalchemy import select, update

from creditsvc.core.principal import Principal
from creditsvc.jobs import worker
from creditsvc.jobs.kinds import STATUS_FEED
from creditsvc.services.access import users
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform import jobs
from models import AuditEvent, Job, StatusReport
from models.base import utcnow
from tests.books import fund_with
from tests.conftest import ACTOR
from tests.factories import LoanFactory
from tests.services.feed_scenario import bank_actor
from tests.work import done


def _feed_job(session, rows: int = 3):
    fund_with(session, 100_000_000)
    actor = bank_actor(session)
    ids = [LoanFactory().id for _ in range(rows)]
    body = ("贷款编号,统计日期,逾期天数\n" + "".join(f"{i},2026-03-31,100\n" for i in ids)).encode()
    return done(session, jobs.submit, actor, STATUS_FEED, {"filename": "f.csv"},
                files=(("f.csv", "text/csv", body),)).id


def test_a_stale_job_is_requeued_and_the_lost_attempt_commits_nothing(session):
    job_id = _feed_job(session)
    assert worker.claim(session, "w1", 60) == (job_id, 1)
    assert worker.claim(session, "w2", 60) is None  # running and beating: not taken
    session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(seconds=120)))
    session.commit()
    assert worker.claim(session, "w2", 60) == (job_id, 2)
    assert worker.run_job(session, job_id, 1, beat_seconds=0.2) == "lost"
    assert session.execute(select(StatusReport.id)).first() is None
    assert worker.run_job(session, job_id, 2, beat_seconds=0.2) == "done"
    job = session.get(Job, job_id)
    assert (job.status, job.attempts, job.result["accepted"]) == ("done", 2, 3)
    assert len(session.execute(select(StatusReport.id)).all()) == 3
    actions = session.execute(select(AuditEvent.action).where(AuditEvent.target_id == job_id)
                              .order_by(AuditEvent.seq)).scalars().all()
    assert actions == ["job.submit", "job.requeue", "loan.status_feed"]
    assert reconcile(session) == []


def test_a_job_past_its_attempts_fails(session):
    job_id = _feed_job(session, rows=1)
    session.execute(update(Job).values(status="running", attempts=3, heartbeat_at=utcnow()
                                       - timedelta(seconds=120)))
    session.commit()
    assert worker.claim(session, "w", 60) is None
    job = session.get(Job, job_id)
    assert (job.status, job.message) == ("failed", "gave up after 3 attempts")


def test_run_once_drains_the_queue_in_order(session):
    first = _feed_job(session, rows=1)
    user, _ = users.create_user(session, ACTOR, "fm-jobs", "fund_manager")
    session.commit()
    manager = Principal(user_id=user.id, name=user.name, role="fund_manager")
    second = done(session, jobs.submit, manager, "stress", {"paths": 200, "seed": 3, "horizon": 6}).id
    assert worker.run(session, once=True, beat_seconds=0.2) == 2
    statuses = {j.id: j.status for j in session.execute(select(Job)).scalars()}
    assert statuses == {first: "done", second: "done"}
    assert session.get(Job, second).result["paths"] == 200
