"""Benchmark the request overhead of the JSON request log and the metrics, in one process.

The same app answers the same requests twice over, interleaved in rounds: as served (a JSON
line per request written to a file at INFO, prometheus_client in multiprocess mode writing its
mmap files, as under gunicorn), and with those two hooks taken off. Requests: the household
list read by an officer (a typical API call) and GET /healthz (the cheapest request there is,
so the overhead's largest share). Goal: at most 10% more time per request.

Run: python bench/bench_observability.py [--requests 2000] [--rounds 5]
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# As gunicorn.conf.py does: the metrics' multiprocess mode is chosen before the first import.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bench-metrics-")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditsvc import create_app  # noqa: E402
from creditsvc.infra import logs, metrics  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from tests import dbs  # noqa: E402
from tests.conftest import Keys, make_config  # noqa: E402
from tests.factories import HouseholdFactory  # noqa: E402

HOOKS = {logs.__name__, metrics.__name__}


def _without_hooks(app) -> None:
    """Take the request log's and the metrics' before/after functions off APP."""
    for table in (app.before_request_funcs, app.after_request_funcs):
        table[None] = [f for f in table.get(None, []) if f.__module__ not in HOOKS]


def _per_request_us(client, url, headers, n) -> float:
    started = time.perf_counter()
    for _ in range(n):
        assert client.get(url, headers=headers).status_code == 200
    return (time.perf_counter() - started) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-obs-"))
    path = folder / "bench.sqlite3"
    config = make_config(f"sqlite:///{path}")
    dbs.migrate_to_head(create_app(config))
    handler = logging.FileHandler(folder / "requests.log")
    handler.setFormatter(logs.json_formatter())
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    served, bare = create_app(config), create_app(config)
    _without_hooks(bare)
    with served.app_context():
        officer = Keys().headers("officer")
        client = served.test_client()
        for _ in range(50):
            client.post("/api/v1/households", json=HouseholdFactory(), headers=officer)
        db.session.remove()
    cases = (("households list", "/api/v1/households?page_size=20", officer),
             ("healthz", "/healthz", {}))
    results = {(name, kind): [] for name, _, _ in cases for kind in ("served", "bare")}
    for _ in range(args.rounds):
        for kind, app in (("served", served), ("bare", bare)):
            with app.app_context():
                client = app.test_client()
                for name, url, headers in cases:
                    results[name, kind].append(_per_request_us(client, url, headers, args.requests))
                db.session.remove()
    lines = (folder / "requests.log").read_text().count("\n")
    print(f"{args.rounds} rounds of {args.requests} requests each; {lines:,} log lines written")
    for name, _, _ in cases:
        s, b = statistics.median(results[name, "served"]), statistics.median(results[name, "bare"])
        print(f"{name:16s} served {s:8.1f} us   without log and metrics {b:8.1f} us   "
              f"overhead {100 * (s / b - 1):+.1f}%")


if __name__ == "__main__":
    main()
