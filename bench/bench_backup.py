"""Benchmark `backup create` and `backup restore` on a PostgreSQL book of 100,000 households and
50,000 loans: time and size, against a bare `pg_dump` / `pg_restore` of the same database in
the same run (the manifest's counts on the dump's snapshot, the verification and the count
check are what the service adds).

The book is bench/bookgen.py's (cloned rows, the fund's totals matching). Restores go into new,
empty databases. Prints seconds, the copy's size and the ratios to the bare tools.

Run: python bench/bench_backup.py [--households 100000] [--loans 50000]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402

from bench.bookgen import make_book, vacuum  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.platform import backup  # noqa: E402
from tests import dbs  # noqa: E402
from tests.integration.servers import pg_app  # noqa: E402


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--loans", type=int, default=50_000)
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    with pg_app() as (app, url), app.app_context(), tempfile.TemporaryDirectory() as tmp:
        make_book(db.session, args.loans, args.households)
        db.session.remove()
        vacuum(db.engine)
        folder, bare = Path(tmp) / "copy", Path(tmp) / "bare.dump"
        made = _timed(lambda: backup.create(db.engine, folder))
        dumped = _timed(lambda: subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(bare), _libpq(url)],
            check=True))
        size = (folder / backup.FILES["postgresql"]).stat().st_size
        bare_size = bare.stat().st_size
        verified = _timed(lambda: backup.verify(folder))
        targets = [dbs.new_pg_database(), dbs.new_pg_database()]
        try:
            engine = create_engine(dbs.pg_url(targets[0]))
            restored = _timed(lambda: backup.restore(engine, folder))
            engine.dispose()
            bare_restored = _timed(lambda: subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname",
                 _libpq(dbs.pg_url(targets[1])), str(bare)], check=True))
        finally:
            for name in targets:
                dbs.drop_pg_database(name)
    print(f"book: {args.households:,} households, {args.loans:,} loans (PostgreSQL)")
    print(f"backup create   {made:7.2f} s   bare pg_dump    {dumped:7.2f} s   ratio {made / dumped:.2f}x")
    print(f"backup verify   {verified:7.2f} s")
    print(f"backup restore  {restored:7.2f} s   bare pg_restore {bare_restored:7.2f} s   "
          f"ratio {restored / bare_restored:.2f}x")
    print(f"copy size       {size / 1e6:7.1f} MB  (bare dump {bare_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
