"""The worker: claim a queued job, run it in one unit of work, finish it; requeue the dead.

A claim is one short transaction: stale jobs (heartbeat older than STALE seconds: their
worker died) are queued again or, past their attempts, failed; held jobs nobody confirmed
within HELD hours are cancelled and their files dropped; then the oldest queued job
is taken, `FOR UPDATE SKIP LOCKED` on PostgreSQL (two workers never wait on each other or
take the same job) and under SQLite's `BEGIN IMMEDIATE` (creditsvc/infra/db.py).

A job's work, its result, the idempotency record under the job's id and the job's `done`
commit in one transaction. A worker killed midway leaves nothing half-written: its
transaction rolls back, its heartbeat goes stale, and the job is redone by the next claim.
The finishing UPDATE names the attempt, so a worker that lost its claim commits nothing.
"""

import functools
import json
import logging
import os
import socket
import time
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError
from creditsvc.core.principal import SYSTEM, Principal
from creditsvc.infra import clock
from creditsvc.jobs import kinds  # noqa: F401 - registers the kinds
from creditsvc.jobs.heartbeat import Heartbeat
from creditsvc.jobs.registry import KINDS, JobContext
from creditsvc.services.fund import snapshots
from creditsvc.services.platform import audit, idempotency, jobs
from creditsvc.services.platform.uow import UnitOfWork
from models import Job, User
from models.base import utcnow

log = logging.getLogger(__name__)


def worker_name() -> str:
    """host:pid, as it appears in a job's claimed_by."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def requeue_stale(session: Session, stale_seconds: float) -> int:
    """Queue again the running jobs whose heartbeat is older than STALE_SECONDS (or fail them)."""
    now = utcnow()
    cutoff = now - timedelta(seconds=stale_seconds)
    dead = session.execute(select(Job.id, Job.attempts, Job.max_attempts, Job.claimed_by)
                           .where(Job.status == "running", Job.heartbeat_at < cutoff)
                           .with_for_update(skip_locked=True)).all()
    for job_id, attempts, most, who in dead:
        gave_up = attempts >= most
        session.execute(update(Job).where(Job.id == job_id).values(
            status="failed" if gave_up else "queued", claimed_by=None,
            finished_at=now if gave_up else None,
            message=(f"gave up after {attempts} attempts" if gave_up
                     else f"queued again: worker {who} stopped beating")))
        audit.record(session, SYSTEM, "job.failed" if gave_up else "job.requeue",
                     target_type="job", target_id=job_id,
                     detail={"attempts": attempts, "worker": who})
    return len(dead)


def claim(session: Session, worker: str, stale_seconds: float,
          held_hours: float = jobs.HELD_HOURS) -> tuple[str, int] | None:
    """Take the oldest queued job for WORKER, in one committed unit of work: (id, attempt)."""
    with UnitOfWork(session) as uow:
        requeue_stale(session, stale_seconds)
        jobs.cancel_stale_held(session, timedelta(hours=held_hours))
        job_id = session.execute(select(Job.id).where(Job.status == "queued")
                                 .order_by(Job.created_at, Job.id).limit(1)
                                 .with_for_update(skip_locked=True)).scalar()
        if job_id is not None:
            now = utcnow()
            session.execute(update(Job).where(Job.id == job_id).values(
                status="running", attempts=Job.attempts + 1, claimed_by=worker,
                heartbeat_at=now, started_at=now, message="started"))
            attempt = session.execute(select(Job.attempts).where(Job.id == job_id)).scalar_one()
        uow.commit()
    return None if job_id is None else (job_id, attempt)


def _owner(session: Session, job: Job) -> Principal:
    user = session.get(User, job.owner_id) if job.owner_id else None
    if user is None:
        return Principal(user_id=None, name="system", role="system", request_id=job.request_id)
    return Principal(user_id=user.id, name=user.name, role=user.role, bank_code=user.bank_code,
                     request_id=job.request_id)


def _finish(session: Session, job_id: str, attempt: int, status: str, message: str,
            result: dict | None, done: int | None = None) -> bool:
    """Mark the job finished if it is still this attempt's; False when the claim was lost.

    DONE is the job's whole count: done and total both (a job quicker than its first
    heartbeat has written neither).
    """
    values = {"status": status, "finished_at": utcnow(), "message": message[:500],
              "result": result, "heartbeat_at": utcnow()}
    if done is not None:
        values.update(done=done, total=done)
    return bool(session.execute(update(Job).where(
        Job.id == job_id, Job.attempts == attempt, Job.status == "running").values(**values))
        .rowcount)


def _result_of(result: dict) -> idempotency.StoredResponse:
    return idempotency.StoredResponse(200, json.dumps(result, ensure_ascii=False).encode())


def _work(session: Session, job: Job, attempt: int, ctx: JobContext) -> bool:
    """The job's work and its finish in one unit of work; idempotent under the job's id."""
    work = functools.partial(KINDS[job.kind].run, ctx)
    with UnitOfWork(session) as uow:
        if job.owner_id:
            digest = idempotency.request_hash({"job": job.id, "kind": job.kind, "args": job.args})
            once = idempotency.run_once(session, job.owner_id, f"job:{job.id}", digest, work,
                                        _result_of)
            result = json.loads(once.replayed.body) if once.replayed else once.result
        else:
            result = work()
        if not _finish(session, job.id, attempt, "done", "done", result, done=ctx.progress.total):
            log.warning("job %s: attempt %s lost its claim; its work is rolled back", job.id,
                        attempt)
            return False
        uow.commit()
    return True


def run_job(session: Session, job_id: str, attempt: int, *, beat_seconds: float = 5.0) -> str:
    """Run a claimed job to its end; returns its final status (or 'lost')."""
    job = session.get(Job, job_id)
    ctx = JobContext(job.id, dict(job.args or {}), _owner(session, job), session, clock.today())
    UnitOfWork(session).rollback()  # the job's unit of work starts afresh below
    try:
        if job.kind not in KINDS:
            raise AppError("job_kind_unknown", kind=job.kind)
        with Heartbeat(session.get_bind(), job_id, attempt, ctx.progress, beat_seconds):
            return "done" if _work(session, job, attempt, ctx) else "lost"
    except AppError as exc:
        failure = (exc.message, {"code": exc.code, "message": exc.message, "errors": exc.errors,
                                 "params": exc.params})
    except Exception as exc:  # noqa: BLE001 - any crash fails the job, with its type
        log.exception("job %s failed", job_id)
        failure = (f"internal error ({type(exc).__name__})", {"code": "internal_error"})
    with UnitOfWork(session) as uow:
        if not _finish(session, job_id, attempt, "failed", failure[0], failure[1]):
            return "lost"
        audit.record(session, ctx.actor, "job.failed", target_type="job", target_id=job_id,
                     outcome="failed", detail=failure[1])
        uow.commit()
    return "failed"


def keep_snapshots(session: Session) -> list[str]:
    """Take the monthly snapshots that are due today (snapshots.due_months); the months taken."""
    today = clock.today()
    with UnitOfWork(session) as uow:
        due = snapshots.due_months(session, today)
        for month in due:
            snapshots.take(session, SYSTEM, month, today=today)
        uow.commit()
    return due


def run(session: Session, *, once: bool = False, idle_seconds: float = 1.0,
        stale_seconds: float = 60.0, beat_seconds: float = 5.0, held_hours: float = jobs.HELD_HOURS,
        snapshot_every: float | None = None, stop=None) -> int:
    """Claim and run jobs until stopped (ONCE: until no job is queued); returns jobs run.

    With SNAPSHOT_EVERY seconds, an idle worker looks that often for a monthly snapshot due
    (the current month once a day, the month just ended once after its end), so the fund
    office's trend grows without a cron entry.
    """
    worker, ran = worker_name(), 0
    next_snapshot = time.monotonic()
    while stop is None or not stop.is_set():
        try:
            claimed = claim(session, worker, stale_seconds, held_hours)
        except OperationalError as exc:  # SQLite: another worker's long job holds the lock
            log.warning("claim skipped: %s", exc.orig)
            UnitOfWork(session).rollback()
            time.sleep(idle_seconds)
            continue
        if claimed is None:
            if once:
                break
            if snapshot_every is not None and time.monotonic() >= next_snapshot:
                next_snapshot = time.monotonic() + snapshot_every
                try:
                    if taken := keep_snapshots(session):
                        log.info("monthly snapshots taken: %s", ", ".join(taken))
                except OperationalError as exc:  # SQLite busy: the next look takes them
                    log.warning("snapshots skipped: %s", exc.orig)
                    UnitOfWork(session).rollback()
            time.sleep(idle_seconds)
            continue
        started = time.perf_counter()
        status = run_job(session, *claimed, beat_seconds=beat_seconds)
        log.info("job %s: %s", claimed[0], status, extra={
            "job_id": claimed[0], "attempt": claimed[1], "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2)})
        ran += 1
    return ran
