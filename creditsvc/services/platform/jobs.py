"""Background jobs as the rest of the service sees them: submit, read, list, their files.

A job is submitted in the caller's unit of work (with its input file and an audit event),
and a worker (creditsvc/jobs/) runs it later. A job, with its files, is seen only by the roles
that may read what it holds (READERS), and a bank's job by its own bank only: any other
caller gets 404, as for every object it may not see.
"""

import gzip
import hashlib
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, NotFound
from creditsvc.core.principal import SYSTEM, Principal
from creditsvc.services.platform import audit
from creditsvc.services.platform.scope import may_see, scoped
from models import Job, JobFile
from models.base import utcnow

# How long a held job waits for its owner's confirmation (JOBS_HELD_HOURS overrides it).
HELD_HOURS = 24.0
# Who may see a job of each kind (creditsvc/jobs/kinds.py): the roles that may read what it
# holds (README, Roles). The feed's results are the bank's own rows; a batch's, households'
# assessments; the stress test and the snapshots, fund figures, which an admin never reads.
# A kind not named here is seen by no one.
READERS = {
    "status_feed": frozenset({"bank"}),
    "batch_scoring": frozenset({"officer"}),
    "campaign_rating": frozenset({"officer"}),
    "survey_import": frozenset({"officer"}),
    "stress": frozenset({"fund_manager"}),
    "monthly_snapshot": frozenset({"fund_manager"}),
    # An export holds what its owner's list showed them (perhaps revealed): its owner's alone.
    "export": frozenset({"officer", "bank", "fund_manager"}),
}
OWNER_ONLY = frozenset({"export"})
# The operator's own tools (the CLI, the worker) act as the system and see every job.
OPERATOR = SYSTEM.role


def submit(session: Session, actor: Principal, kind: str, args: dict, *,
           files: tuple[tuple[str, str, bytes], ...] = (), total: int | None = None,
           held: bool = False) -> Job:
    """Queue a job of KIND with JSON ARGS and input FILES (filename, content type, bytes).

    A HELD job waits for its owner's `confirm` before any worker may claim it.
    """
    status = "held" if held else "queued"
    job = Job(kind=kind, owner_id=actor.user_id, bank_code=actor.bank_code, status=status,
              args=args, total=total, done=0, attempts=0, request_id=actor.request_id,
              message=status)
    session.add(job)
    session.flush()
    for filename, content_type, data in files:
        add_file(session, job.id, "input", filename, content_type, data)
    audit.record(session, actor, "job.submit", target_type="job", target_id=job.id,
                 detail={"kind": kind, "args": args,
                         "files": [{"filename": f, "size": len(d),
                                    "sha256": hashlib.sha256(d).hexdigest()}
                                   for f, _, d in files]})
    return job


def add_file(session: Session, job_id: str, role: str, filename: str, content_type: str,
             data: bytes) -> JobFile:
    """Keep a file of a job (gzip-compressed; its size and SHA-256 are of the plain bytes)."""
    row = JobFile(job_id=job_id, role=role, filename=filename, content_type=content_type,
                  size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                  data_gz=gzip.compress(data, compresslevel=3))
    session.add(row)
    session.flush()
    return row


def _owned_held(session: Session, actor: Principal, job_id: str) -> Job:
    """The actor's own job (another user's is 404, as another bank's is)."""
    job = get_job(session, actor, job_id)
    if job.owner_id != actor.user_id:
        raise NotFound("job_not_found")
    return job


def _leave_held(session: Session, job_id: str, status: str, message: str) -> bool:
    """Move a held job to STATUS; False when it was no longer held (confirmed or cancelled)."""
    values = {"status": status, "message": message}
    if status == "cancelled":
        values["finished_at"] = utcnow()
    return bool(session.execute(update(Job).where(Job.id == job_id, Job.status == "held")
                                .values(**values)
                                .execution_options(synchronize_session=False)).rowcount)


def _not_held() -> Conflict:
    return Conflict("job_not_held")


def confirm(session: Session, actor: Principal, job_id: str) -> Job:
    """Release the owner's held job to the workers (once: a second confirm is 409)."""
    job = _owned_held(session, actor, job_id)
    if not _leave_held(session, job.id, "queued", "queued"):
        raise _not_held()
    audit.record(session, actor, "job.confirm", target_type="job", target_id=job.id,
                 detail={"kind": job.kind})
    session.flush()
    session.refresh(job)
    return job


def cancel(session: Session, actor: Principal, job_id: str) -> Job:
    """Give up the owner's held job: its uploaded file is dropped, the job stays as cancelled."""
    job = _owned_held(session, actor, job_id)
    if not _leave_held(session, job.id, "cancelled", "cancelled by its owner"):
        raise _not_held()
    _drop_files(session, [job.id])
    audit.record(session, actor, "job.cancel", target_type="job", target_id=job.id,
                 detail={"kind": job.kind})
    session.flush()
    session.refresh(job)
    return job


def cancel_stale_held(session: Session, older_than: timedelta) -> int:
    """Cancel the held jobs uploaded more than OLDER_THAN ago (the worker does, as it claims).

    A bank that previews a feed and never confirms would otherwise keep its file for ever.
    """
    cutoff = utcnow() - older_than
    stale = session.execute(select(Job.id, Job.kind).where(
        Job.status == "held", Job.created_at < cutoff).with_for_update(skip_locked=True)).all()
    gone = []
    for job_id, kind in stale:
        if _leave_held(session, job_id, "cancelled", "not confirmed in time"):
            gone.append(job_id)
            audit.record(session, SYSTEM, "job.expire", target_type="job", target_id=job_id,
                         detail={"kind": kind, "uploaded_before": cutoff.isoformat()})
    _drop_files(session, gone)
    return len(gone)


def _drop_files(session: Session, job_ids: list[str]) -> None:
    if job_ids:
        session.execute(delete(JobFile).where(JobFile.job_id.in_(job_ids))
                        .execution_options(synchronize_session=False))


def readable_kinds(actor: Principal) -> frozenset[str]:
    """The kinds of job the actor's role may see."""
    return frozenset(kind for kind, roles in READERS.items()
                     if actor.role in roles or actor.role == OPERATOR)


def get_job(session: Session, actor: Principal, job_id: str) -> Job:
    """One job, or 404 when it does not exist or the actor may not see it."""
    job = session.get(Job, job_id)
    if (job is None or job.kind not in readable_kinds(actor)
            or not may_see(actor, job.bank_code)
            or (job.kind in OWNER_ONLY and actor.role != OPERATOR
                and job.owner_id != actor.user_id)):
        raise NotFound("job_not_found")
    return job


def list_jobs(session: Session, actor: Principal, *, kind: str | None = None,
              status: str | None = None, limit: int = 50) -> list[Job]:
    """The latest jobs the actor may see, first (a bank: its own bank's)."""
    query = scoped(select(Job), actor, Job.bank_code).where(
        Job.kind.in_(sorted(readable_kinds(actor))))
    if actor.role != OPERATOR:
        query = query.where(or_(Job.kind.not_in(sorted(OWNER_ONLY)), Job.owner_id == actor.user_id))
    for column, value in ((Job.kind, kind), (Job.status, status)):
        if value is not None:
            query = query.where(column == value)
    return list(session.execute(query.order_by(Job.created_at.desc(), Job.id.desc())
                                .limit(limit)).scalars())


def file_of(session: Session, job_id: str, role: str) -> tuple[JobFile, bytes] | None:
    """A job's input or result file with its bytes, or None."""
    row = session.execute(select(JobFile).where(JobFile.job_id == job_id, JobFile.role == role)
                          .order_by(JobFile.created_at.desc())).scalars().first()
    return None if row is None else (row, gzip.decompress(row.data_gz))


def result_file(session: Session, actor: Principal, job_id: str) -> tuple[JobFile, bytes]:
    """The result file of a finished job the actor may see (409 while it runs, 404 if none)."""
    job = get_job(session, actor, job_id)
    if job.status != "done":
        raise Conflict("job_not_done")
    found = file_of(session, job.id, "result")
    if found is None:
        raise NotFound("job_result_not_found")
    return found
