"""gunicorn's settings for creditsvc (`gunicorn -c gunicorn.conf.py wsgi:app`).

Workers, bind address and timeout are given on the command line (Makefile, docs/operations.md).
This file makes gunicorn's own log lines the same JSON as the service's, and gives the workers
one folder for their metrics so that a scrape of /metrics sums them all (prometheus_client's
multiprocess mode, which must be chosen before prometheus_client is first imported).
"""

import os
import shutil
import tempfile
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
if not os.environ.get(MULTIPROC_ENV):
    os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="creditsvc-metrics-")

from creditsvc.infra.logs import gunicorn_logconfig  # noqa: E402 - after the folder is chosen

logconfig_dict = gunicorn_logconfig(os.environ.get("CREDITSVC_LOG_LEVEL", "INFO"))


def on_starting(_server):
    """Start from an empty metrics folder: files of an earlier run would be summed in."""
    folder = Path(os.environ[MULTIPROC_ENV])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def child_exit(_server, worker):
    """A worker gone: its live gauges are dropped, its counters kept in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
