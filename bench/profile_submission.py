"""Profile POST /api/v1/applications in process: CPU per submission, its statements, a profile.

The gunicorn benchmark (bench_applications.py) says how fast; this says where the time goes.
It serves the submission with Flask's test client on a fresh database (PostgreSQL, or SQLite
with --sqlite), warms it up, then prints the statements one submission sends, the CPU
(process time) per submission in each of five rounds, and with --profile the functions that
spend it (cProfile on process time, so waiting on the database is not counted).

Run: python bench/profile_submission.py [--sqlite] [--requests 300] [--profile [--dump FILE]]
"""

import argparse
import cProfile
import pstats
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_applications import prepare  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from tests import dbs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", help="with --profile, also write the profile to this file (pstats)")
    args = parser.parse_args()
    name = None
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/profile.db"
    else:
        if why := dbs.pg_reachable():
            raise SystemExit(why)
        name = dbs.new_pg_database()
        url = dbs.pg_url(name)
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_urlsafe(16),
              "PII_KEY": secrets.token_urlsafe(32)}
    try:
        run(config, args)
    finally:
        if name:
            dbs.drop_pg_database(name)


def run(config: dict, args) -> None:
    from creditsvc import create_app

    key, ids = prepare(config["SQLALCHEMY_DATABASE_URI"], config, 32)
    app = create_app(config)
    client, tag = app.test_client(), uuid.uuid4().hex[:8]

    def post(i: int) -> None:
        response = client.post("/api/v1/applications", headers={
            "Authorization": f"Bearer {key}", "Idempotency-Key": f"profile-{tag}-{i:07d}"}, json={
            "household_id": ids[i % len(ids)], "amount": "20000.00", "term_months": 12,
            "purpose": "planting", "bank": "PSBC"})
        assert response.status_code == 201, response.get_data(as_text=True)

    for i in range(50):  # imports, the model, the compiled cache, prepared statements
        post(i)
    with app.app_context():
        engine = db.engine
    seen = []

    def count(_conn, _cursor, statement, *_):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    post(50)
    event.remove(engine, "before_cursor_execute", count)
    print(f"{engine.dialect.name}: {len(seen)} statements per submission")
    for statement in seen:
        print(f"  {statement[:110]}")
    n, start = args.requests, 1000
    rounds = []
    for _ in range(5):
        cpu = time.process_time()
        for i in range(start, start + n):
            post(i)
        rounds.append((time.process_time() - cpu) / n * 1000)
        start += n
    print(f"CPU per submission (test client included), ms: "
          f"{', '.join(f'{r:.2f}' for r in rounds)}; median {sorted(rounds)[2]:.2f}")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(lambda: [post(i) for i in range(start, start + n)])
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"creditsvc|scoring|lending", 40)
        if args.dump:
            stats.dump_stats(args.dump)


if __name__ == "__main__":
    main()
