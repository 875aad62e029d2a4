"""Background jobs: long work (the bank feed, batch scoring, stress, snapshots) run by a worker."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdMixin, UTCDateTime, utcnow

# held: uploaded and previewed, waiting for its owner to confirm (no worker claims it);
# cancelled: a held job its owner gave up, or the worker did once it went stale.
JOB_STATUSES = ("held", "queued", "running", "done", "failed", "cancelled")


class Job(IdMixin, Base):
    """One unit of long work: what, for whom, how far it got and what it produced.

    Arguments are JSON (never pickles). A worker claims a queued job, beats its heartbeat
    while it runs, and finishes it in the same transaction as the job's writes; a job whose
    heartbeat goes stale (its worker died) is queued again. `attempts` fences a worker that
    lost its claim: its finishing UPDATE names the attempt it ran, and finds nothing.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('held', 'queued', 'running', 'done', 'failed', "
                        "'cancelled')", name="status_known"),
        CheckConstraint("done >= 0", name="done_nonneg"),
        # The worker's claim: the oldest queued job first.
        Index("ix_jobs_status_created", "status", "created_at"),
    )

    kind: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The owner's bank, for scoping: another bank's job is 404.
    bank_code: Mapped[str | None] = mapped_column(ForeignKey("banks.code"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str | None] = mapped_column(String(500))
    result: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    request_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JobFile(IdMixin, Base):
    """A file a job reads (the uploaded feed) or writes (its per-row results), gzip-compressed.

    Kept in the database, not on a disk: app servers and workers are stateless and may run
    on different machines, and the file commits with the job's other writes.
    """

    __tablename__ = "job_files"
    __table_args__ = (CheckConstraint("role IN ('input', 'result')", name="role_known"),)

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    data_gz: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
