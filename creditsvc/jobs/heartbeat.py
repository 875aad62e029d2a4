"""A running job's heartbeat: its row says the worker is alive, and how far it got.

A thread writes it every few seconds on its own connection, in short transactions of
its own, so the job's work can be one long transaction: the heartbeat never waits for it
on PostgreSQL (the work touches the job's row only when it finishes). On SQLite every
writer queues on one lock, so beats wait while the work writes; a beat that times out is
skipped, and a stale-looking job cannot be taken over meanwhile, since taking it over
needs the same lock.
"""

import logging
import threading

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from creditsvc.jobs.registry import Progress
from models import Job
from models.base import utcnow

log = logging.getLogger(__name__)


class Heartbeat:
    """Beat job JOB_ID's heartbeat (for attempt ATTEMPT) every INTERVAL seconds until stopped."""

    def __init__(self, engine: Engine, job_id: str, attempt: int, progress: Progress,
                 interval: float):
        self.engine, self.job_id, self.attempt = engine, job_id, attempt
        self.progress, self.interval = progress, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}",
                                        daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(self.interval + 35)

    def beat(self) -> bool:
        """Write the heartbeat and progress once; False when the job is no longer ours."""
        p = self.progress
        with self.engine.begin() as conn:
            return bool(conn.execute(
                update(Job).where(Job.id == self.job_id, Job.attempts == self.attempt,
                                  Job.status == "running")
                .values(heartbeat_at=utcnow(), done=p.done, total=p.total,
                        message=(p.message or "")[:500] or None)).rowcount)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if not self.beat():
                    return
            except DBAPIError as exc:  # SQLite busy past its timeout: try again next beat
                log.warning("job %s: heartbeat skipped (%s)", self.job_id, exc.orig)
