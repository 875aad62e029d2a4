"""Benchmark POST /api/v1/applications against a bare Flask endpoint, both under gunicorn -w 4.

The application path does validation, the hard and refer rules, scoring with the champion
model and persistence with its audit event and idempotency record on PostgreSQL. Both
targets get the same load in the same run: 16 concurrent clients, a bounded number of
requests, loopback only. Floor: >= 30% of the bare throughput, p99 <= 5x the bare p99.
`--baseline REV` also serves an older revision (a git worktree) in the same rounds: before
and after, measured together.

Run: python bench/bench_applications.py [--requests 1600] [--clients 16] [--rounds 3]
     [--baseline REV [--baseline main]]
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psutil
import requests
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditsvc import create_app  # noqa: E402
from creditsvc.core.pii import PiiCipher  # noqa: E402
from creditsvc.core.principal import Principal  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.schemas.households import HouseholdInSchema  # noqa: E402
from creditsvc.services.access import users
from creditsvc.services.households import files as households  # noqa: E402
from tests import dbs  # noqa: E402
from tests.factories import HouseholdFactory  # noqa: E402
from tests.integration.servers import gunicorn  # noqa: E402
from tests.work import done  # noqa: E402

ADMIN = Principal(user_id=None, name="bench", role="admin")


def prepare(url: str, config: dict, n_households: int) -> tuple[str, list[str]]:
    app = create_app(config)
    dbs.migrate_to_head(app)
    with app.app_context():
        _, key = done(db.session, users.create_user, ADMIN, "bench-officer", "officer")
        cipher = PiiCipher(config["PII_KEY"])
        ids = [done(db.session, households.create_household, ADMIN, cipher,
                    HouseholdInSchema().load(HouseholdFactory())).id for _ in range(n_households)]
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


def statements_per_submission(config: dict, key: str, household_id: str) -> int:
    """SQL statements one submission sends (counted in process, after a warm-up one)."""
    app = create_app(config)
    seen = []
    with app.app_context():
        client = app.test_client()

        def post(idem):
            return client.post("/api/v1/applications", headers={
                "Authorization": f"Bearer {key}", "Idempotency-Key": idem}, json={
                "household_id": household_id, "amount": "20000.00", "term_months": 12,
                "purpose": "planting", "bank": "PSBC"})

        post(f"count-warm-{uuid.uuid4().hex[:8]}")
        db.session.remove()

        def count(_conn, _cursor, statement, *_):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        post(f"count-{uuid.uuid4().hex[:8]}")
        event.remove(db.engine, "before_cursor_execute", count)
        db.engine.dispose()
    return len(seen)


@contextmanager
def baseline_server(rev: str, households_n: int):
    """REV's tree (a git worktree) served by gunicorn on a database migrated by its own code."""
    tree = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
                   check=True, capture_output=True)
    name = dbs.new_pg_database()
    env = {**os.environ, "DATABASE_URL": dbs.pg_url(name), "SECRET_KEY": secrets.token_urlsafe(16),
           "CREDITSVC_PII_KEY": secrets.token_urlsafe(32)}
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
    try:
        subprocess.run([*flask, "db", "upgrade"], cwd=tree, env=env, check=True, capture_output=True)
        made = subprocess.run([*flask, "users", "create", "bench-officer", "--role", "officer"],
                              cwd=tree, env=env, check=True, capture_output=True, text=True)
        key = made.stdout.rsplit(":", 1)[1].strip()
        with gunicorn(env["DATABASE_URL"], cwd=tree, SECRET_KEY=env["SECRET_KEY"],
                      CREDITSVC_PII_KEY=env["CREDITSVC_PII_KEY"]) as (base, master):
            auth = {"Authorization": f"Bearer {key}"}
            ids = [requests.post(f"{base}/api/v1/households", json=HouseholdFactory(),
                                 headers=auth, timeout=30).json()["id"] for _ in range(households_n)]
            yield base, master, key, ids
    finally:
        dbs.drop_pg_database(name)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                       capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--households", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", action="append", default=[],
                        help="a git revision to serve beside this tree in the same run "
                             "(before/after); repeat it to serve several")
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    name = dbs.new_pg_database()
    config = {"SQLALCHEMY_DATABASE_URI": dbs.pg_url(name), "SECRET_KEY": secrets.token_urlsafe(16),
              "PII_KEY": secrets.token_urlsafe(32)}
    try:
        key, ids = prepare(config["SQLALCHEMY_DATABASE_URI"], config, args.households)
        print(f"SQL statements per submission (this tree, in process): "
              f"{statements_per_submission(config, key, ids[0])}")
        keys = {"SECRET_KEY": config["SECRET_KEY"], "CREDITSVC_PII_KEY": config["PII_KEY"]}
        with ExitStack() as servers:
            app_base, app_master = servers.enter_context(
                gunicorn(config["SQLALCHEMY_DATABASE_URI"], **keys))
            bare_base, bare_master = servers.enter_context(
                gunicorn(config["SQLALCHEMY_DATABASE_URI"], target="bench.bare_app:app", **keys))
            targets = {"applications": (app_base, CpuMeter(app_master.pid), key, ids)}
            for rev in args.baseline:
                b_base, b_master, b_key, b_ids = servers.enter_context(
                    baseline_server(rev, args.households))
                targets[f"baseline {rev[:10]}"] = (b_base, CpuMeter(b_master.pid), b_key, b_ids)
            run_load(args, targets, (bare_base, CpuMeter(bare_master.pid)))
    finally:
        dbs.drop_pg_database(name)


def run_load(args, targets: dict, bare: tuple) -> None:
    """Warm every server, then load them in alternating rounds and print the figures.

    The machine is shared: its speed drifts by tens of percent within a minute. Each round
    runs the bare endpoint and then each application server back to back, so all see the
    same conditions; the ratio of each round is reported and the median is the figure.
    """
    bare_base, bare_cpu = bare
    n = args.requests
    run = uuid.uuid4().hex[:8]

    def bodies_of(ids):
        return [{"household_id": ids[i % len(ids)], "amount": "20000.00", "term_months": 12,
                 "purpose": "planting", "bank": "PSBC"} for i in range(n)]

    def headers_of(key, prefix):
        return lambda i: {"Authorization": f"Bearer {key}",
                          "Idempotency-Key": f"bench-{run}-{prefix}-{i:06d}"}

    warm = min(64, n)  # warm all: worker imports, model load, connection pools
    plain = bodies_of(next(iter(targets.values()))[3])
    load(f"{bare_base}/bare", plain[:warm], lambda i: {}, args.clients)
    for label, (base, _cpu, key, ids) in targets.items():
        load(f"{base}/api/v1/applications", bodies_of(ids)[:warm], headers_of(key, f"w{label[:4]}"),
             args.clients)
    print(f"POST /api/v1/applications vs bare Flask; gunicorn -w 4 each; {args.clients} "
          f"clients; {n} requests each, {args.rounds} alternating rounds; PostgreSQL; "
          f"{os.cpu_count()} CPUs")
    ratios = {label: ([], []) for label in targets}
    cpu = {"bare": [], **{label: [] for label in targets}}
    for r in range(args.rounds):
        timed, spent = bare_cpu.measure(
            lambda: load(f"{bare_base}/bare", plain, lambda i: {}, args.clients))
        bare_figures = summary(f"{r + 1}: bare", n, *timed)
        cpu["bare"].append(spent)
        for t, (label, (base, meter, key, ids)) in enumerate(targets.items()):
            timed, spent = meter.measure(lambda r=r, t=t, base=base, key=key, ids=ids: load(
                f"{base}/api/v1/applications", bodies_of(ids), headers_of(key, f"r{r}t{t}"),
                args.clients))
            real = summary(f"{r + 1}: {label}", n, *timed)
            cpu[label].append(spent)
            ratios[label][0].append(real["rps"] / bare_figures["rps"])
            ratios[label][1].append(real["p99"] / bare_figures["p99"])
            print(f"{'':>16}round {r + 1}, {label}: throughput ratio {ratios[label][0][-1]:.1%}, "
                  f"p99 ratio {ratios[label][1][-1]:.2f}x")
    for name, rounds in cpu.items():
        split = {k: statistics.median(s[k] for s in rounds) / n for k in rounds[0]}
        print(f"{name:>16}: CPU per request (median of rounds): workers {split['workers']:.2f} ms, "
              f"PostgreSQL {split['postgres']:.2f} ms, load generator {split['client']:.2f} ms")
    for label, (tputs, p99s) in ratios.items():
        tput, p99 = statistics.median(tputs), statistics.median(p99s)
        print(f"{label}: throughput ratio, median of {args.rounds} rounds: {tput:.1%} (floor >= 30%): "
              f"{'met' if tput >= 0.30 else 'NOT met'}; p99 ratio {p99:.2f}x (goal <= 5x): "
              f"{'met' if p99 <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
