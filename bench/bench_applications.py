"""Benchmark POST /api/v1/applications against a bare Flask endpoint, both under gunicorn -w 4.

The application path does validation, the hard and refer rules, scoring with the champion
model and persistence with its audit event and idempotency record on PostgreSQL. Both
targets get the same load in the same run: 16 concurrent clients, a bounded number of
requests, loopback only. Goal: >= 40% of the bare throughput, p99 <= 5x the bare p99.

Run: python bench/bench_applications.py [--requests 1600] [--clients 16] [--rounds 3]
"""

import argparse
import os
import secrets
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditsvc import create_app  # noqa: E402
from creditsvc.api.households.schemas import HouseholdInSchema  # noqa: E402
from creditsvc.core.pii import PiiCipher  # noqa: E402
from creditsvc.core.principal import Principal  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services import households, users  # noqa: E402
from tests import dbs  # noqa: E402
from tests.factories import HouseholdFactory  # noqa: E402
from tests.integration.servers import gunicorn  # noqa: E402

ADMIN = Principal(user_id=None, name="bench", role="admin")


def prepare(url: str, config: dict, n_households: int) -> tuple[str, list[str]]:
    app = create_app(config)
    dbs.migrate_to_head(app)
    with app.app_context():
        _, key = users.create_user(db.session, ADMIN, "bench-officer", "officer")
        cipher = PiiCipher(config["PII_KEY"])
        ids = [households.create_household(db.session, ADMIN, cipher,
                                             HouseholdInSchema().load(HouseholdFactory())).id
               for _ in range(n_households)]
        db.session.remove()
        db.engine.dispose()
    return key, ids


def load(url: str, bodies: list[dict], headers_of, clients: int) -> tuple[float, list[float], int]:
    """Fire every body with CLIENTS threads; return seconds, latencies and non-2xx count."""
    local = {}

    def session():
        import threading

        me = threading.get_ident()
        if me not in local:
            local[me] = requests.Session()
        return local[me]

    def one(i):
        start = time.perf_counter()
        r = session().post(url, json=bodies[i], headers=headers_of(i), timeout=60)
        return time.perf_counter() - start, r.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(len(bodies))))
    elapsed = time.perf_counter() - started
    for s in local.values():
        s.close()
    return elapsed, [r[0] for r in results], sum(not 200 <= r[1] < 300 for r in results)


class CpuMeter:
    """CPU seconds spent by the server's workers, PostgreSQL and this load generator.

    On 2 shared cores every millisecond of CPU counts, whoever spends it; the split says
    where a request's cost lies.
    """

    def __init__(self, master_pid: int):
        self.master = psutil.Process(master_pid)

    def _sample(self) -> dict[str, float]:
        groups = {"workers": self.master.children(),
                  "postgres": [p for p in psutil.process_iter(["name"])
                               if (p.info["name"] or "").startswith("postgres")]}
        out = {name: sum(_cpu(p) for p in procs) for name, procs in groups.items()}
        out["client"] = _cpu(psutil.Process())
        return out

    def measure(self, fn):
        """Run FN; return its result and the CPU ms each group spent."""
        before = self._sample()
        result = fn()
        after = self._sample()
        return result, {k: (after[k] - before[k]) * 1000 for k in before}


def _cpu(proc) -> float:
    try:
        times = proc.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return times.user + times.system


def summary(name: str, n: int, elapsed: float, lat: list[float], errors: int) -> dict:
    q = statistics.quantiles(lat, n=100)
    figures = {"rps": n / elapsed, "p50": q[49] * 1000, "p99": q[98] * 1000}
    print(f"{name:>16}: {n} requests in {elapsed:.2f} s = {figures['rps']:.1f} req/s, "
          f"p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, non-2xx {errors}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--households", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    name = dbs.new_pg_database()
    config = {"SQLALCHEMY_DATABASE_URI": dbs.pg_url(name), "SECRET_KEY": secrets.token_urlsafe(16),
              "PII_KEY": secrets.token_urlsafe(32)}
    try:
        key, ids = prepare(config["SQLALCHEMY_DATABASE_URI"], config, args.households)
        keys = {"SECRET_KEY": config["SECRET_KEY"], "CREDITSVC_PII_KEY": config["PII_KEY"]}
        with ExitStack() as servers:
            app_base, app_master = servers.enter_context(
                gunicorn(config["SQLALCHEMY_DATABASE_URI"], **keys))
            bare_base, bare_master = servers.enter_context(
                gunicorn(config["SQLALCHEMY_DATABASE_URI"], target="bench.bare_app:app", **keys))
            run_load(args, key, ids, (app_base, CpuMeter(app_master.pid)),
                     (bare_base, CpuMeter(bare_master.pid)))
    finally:
        dbs.drop_pg_database(name)


def run_load(args, key: str, ids: list[str], app: tuple, bare: tuple) -> None:
    """Warm both servers, then load them in alternating rounds and print the figures.

    The machine is shared: its speed drifts by tens of percent within a minute. Each round
    runs the bare endpoint and then the application endpoint back to back, so both see the
    same conditions; the ratio of each round is reported and the median is the figure.
    """
    (app_base, app_cpu), (bare_base, bare_cpu) = app, bare
    n = args.requests
    bodies = [{"household_id": ids[i % len(ids)], "amount": "20000.00", "term_months": 12,
               "purpose": "planting", "bank": "PSBC"} for i in range(n)]
    auth = {"Authorization": f"Bearer {key}"}
    run = uuid.uuid4().hex[:8]

    def app_headers(prefix):
        return lambda i: {**auth, "Idempotency-Key": f"bench-{run}-{prefix}-{i:06d}"}

    warm = min(64, n)  # warm both: worker imports, model load, connection pools
    load(f"{bare_base}/bare", bodies[:warm], lambda i: {}, args.clients)
    load(f"{app_base}/api/v1/applications", bodies[:warm], app_headers("w"), args.clients)
    print(f"POST /api/v1/applications vs bare Flask; gunicorn -w 4 each; {args.clients} "
          f"clients; {n} requests each, {args.rounds} alternating rounds; PostgreSQL; "
          f"{os.cpu_count()} CPUs")
    tputs, p99s, cpu = [], [], {"bare": [], "applications": []}
    for r in range(args.rounds):
        timed, spent = bare_cpu.measure(
            lambda: load(f"{bare_base}/bare", bodies, lambda i: {}, args.clients))
        bare_figures = summary(f"{r + 1}: bare", n, *timed)
        cpu["bare"].append(spent)
        timed, spent = app_cpu.measure(lambda r=r: load(
            f"{app_base}/api/v1/applications", bodies, app_headers(f"r{r}"), args.clients))
        real = summary(f"{r + 1}: applications", n, *timed)
        cpu["applications"].append(spent)
        tputs.append(real["rps"] / bare_figures["rps"])
        p99s.append(real["p99"] / bare_figures["p99"])
        print(f"{'':>16}round {r + 1}: throughput ratio {tputs[-1]:.1%}, p99 ratio {p99s[-1]:.2f}x")
    for name, rounds in cpu.items():
        split = {k: statistics.median(s[k] for s in rounds) / n for k in rounds[0]}
        print(f"{name:>16}: CPU per request (median of rounds): workers {split['workers']:.2f} ms, "
              f"PostgreSQL {split['postgres']:.2f} ms, load generator {split['client']:.2f} ms")
    tput, p99 = statistics.median(tputs), statistics.median(p99s)
    print(f"throughput ratio, median of {args.rounds} rounds: {tput:.1%} (goal >= 40%): "
          f"{'met' if tput >= 0.40 else 'NOT met'}")
    print(f"p99 ratio, median of {args.rounds} rounds: {p99:.2f}x (goal <= 5x): "
          f"{'met' if p99 <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
