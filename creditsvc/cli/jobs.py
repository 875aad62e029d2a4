"""flask jobs worker [--once], flask jobs list."""

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from creditsvc.services.platform import jobs
from models.job import JOB_STATUSES

jobs_cli = AppGroup("jobs", help="Background jobs: the worker and the queue.")
# The operator on the machine sees every job (services/platform/jobs.py: OPERATOR).
OPERATOR = Principal(user_id=None, name="cli", role=jobs.OPERATOR)


@jobs_cli.command("worker")
@click.option("--once", is_flag=True, help="Run the queued jobs, then exit.")
@click.option("--idle", default=1.0, show_default=True, help="Seconds between polls when idle.")
@click.option("--snapshots/--no-snapshots", default=True, show_default=True,
              help="Take the monthly portfolio snapshots when due (looked for every 10 minutes).")
def worker_command(once: bool, idle: float, snapshots: bool):
    """Claim and run jobs until stopped (SIGTERM or Ctrl-C finish the job in hand first)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    config = current_app.config
    ran = worker.run(db.session, once=once, idle_seconds=idle, stop=stop,
                     stale_seconds=float(config.get("JOBS_STALE_SECONDS", 60)),
                     beat_seconds=float(config.get("JOBS_HEARTBEAT_SECONDS", 5)),
                     held_hours=float(config.get("JOBS_HELD_HOURS", jobs.HELD_HOURS)),
                     snapshot_every=600.0 if snapshots else None)
    click.echo(f"worker {worker.worker_name()} stopped after {ran} job(s)")


@jobs_cli.command("list")
@click.option("--status", type=click.Choice(JOB_STATUSES))
@click.option("--limit", default=20, show_default=True)
def list_command(status: str | None, limit: int):
    """The latest jobs: id, kind, status, progress, message."""
    for job in jobs.list_jobs(db.session, OPERATOR, status=status, limit=limit):
        progress = f"{job.done}/{job.total}" if job.total is not None else str(job.done)
        click.echo(f"{job.id}  {job.kind:<12} {job.status:<8} {progress:>17}  "
                   f"attempts={job.attempts}  {job.message or ''}")
