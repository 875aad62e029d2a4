"""Real servers for the integration tests: a migrated PostgreSQL database, gunicorn on it."""

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from creditsvc import create_app
from creditsvc.infra.extensions import db
from tests import dbs
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


@contextmanager
def pg_app():
    """An app on a new, migrated PostgreSQL database (dropped afterwards)."""
    dbs.require_pg()
    name = dbs.new_pg_database()
    url = dbs.pg_url(name)
    app = create_app(make_config(url))
    try:
        dbs.migrate_to_head(app)
        yield app, url
    finally:
        with app.app_context():  # close every pooled connection before the drop
            db.session.remove()
            db.engine.dispose()
        dbs.drop_pg_database(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, workers: int = 4, target: str = "wsgi:app", cwd=None, log_to=None, **env):
    """gunicorn serving TARGET on URL's database; yields (base url, master process).

    ENV adds to or overrides the environment (e.g. the keys of data made beforehand); CWD is
    the tree to serve (this one by default; a benchmark may serve an older checkout). The
    server's log lines go to the file LOG_TO (a path) at INFO, else nowhere at WARNING.
    """
    port = _free_port()
    environ = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(16),
               "CREDITSVC_PII_KEY": secrets.token_urlsafe(32),
               "CREDITSVC_LOG_LEVEL": "INFO" if log_to else "WARNING", **env}
    log = open(log_to, "ab") if log_to else subprocess.DEVNULL  # noqa: SIM115 - closed below
    conf = Path(cwd or ROOT) / "gunicorn.conf.py"  # an older tree served by a benchmark has none
    proc = subprocess.Popen([GUNICORN, *(["-c", str(conf)] if conf.exists() else []),
                             "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "60", target],
                            cwd=cwd or ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log_to:
            log.close()


def wait_healthy(base: str, timeout: float = 60) -> None:
    """Block until /readyz answers 200 (the process is up and its database answers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = requests.get(f"{base}/readyz", timeout=5).status_code
            if status == 404:  # an older tree served by a benchmark: its /healthz checked the database
                status = requests.get(f"{base}/healthz", timeout=5).status_code
            if status == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy")


def worker_pids(master_pid: int) -> list[int]:
    """The master's live worker processes."""
    path = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(p) for p in path.read_text().split()]
