"""Benchmark the bank feed as a background job at province scale, beside this machine's limit.

A book of 1,000,000 active loans on PostgreSQL (bench/bookgen.py). For a feed of 10,000 rows
and one of 1,000,000 (one row per loan, days past due spread over every class), it measures
in the same run:

- the limit: `COPY` of the same rows into a temporary table plus one
  `UPDATE loans ... FROM` it (rolled back, then VACUUM);
- the job: the CSV stored as the job's input, then `run_job` as `flask jobs worker` runs it:
  read and check the file, stage (COPY), judge each loan's rows by the programme's rules,
  write loans and status reports, the NPL total, the results file and the audit event,
  commit.

Prints rows/s of each and the job's share of the limit; then whether the books reconcile.

Run: python bench/bench_feed_scale.py [--loans 1000000] [--small 10000]
"""

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.bookgen import make_book, vacuum  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.jobs import worker  # noqa: E402
from creditsvc.jobs.kinds import STATUS_FEED  # noqa: E402
from creditsvc.services.fund.reconcile import reconcile  # noqa: E402
from creditsvc.services.platform import jobs  # noqa: E402
from tests import dbs  # noqa: E402
from tests.integration.servers import pg_app  # noqa: E402
from tests.services.feed_scenario import bank_actor  # noqa: E402
from tests.work import done  # noqa: E402


def _rows(session, n: int, as_of: str) -> list[tuple[str, str, int]]:
    ids = session.execute(text("SELECT id FROM loans ORDER BY created_at LIMIT :n"),
                          {"n": n}).scalars().all()
    return [(lid, as_of, (i * 7) % 400) for i, lid in enumerate(ids)]


def limit(session, rows) -> float:
    """Seconds for COPY of ROWS into a temp table plus one UPDATE ... FROM (rolled back)."""
    raw = session.connection().connection.driver_connection
    started = time.perf_counter()
    with raw.cursor() as cur:
        cur.execute("CREATE TEMP TABLE limit_rows (loan_id varchar(36), as_of date, dpd integer)"
                    " ON COMMIT DROP")
        with cur.copy("COPY limit_rows (loan_id, as_of, dpd) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute("ANALYZE limit_rows")
        cur.execute("UPDATE loans SET days_past_due = r.dpd, dpd_as_of = r.as_of "
                    "FROM limit_rows r WHERE loans.id = r.loan_id")
    elapsed = time.perf_counter() - started
    session.rollback()
    return elapsed


def job(session, actor, rows) -> tuple[float, dict]:
    """Seconds for the feed job on ROWS, from its stored CSV to its commit."""
    body = io.StringIO()
    body.write("贷款编号,统计日期,逾期天数\n")
    body.writelines(f"{lid},{as_of},{dpd}\n" for lid, as_of, dpd in rows)
    job_id = done(session, jobs.submit, actor, STATUS_FEED, {"filename": "feed.csv"},
                  files=(("feed.csv", "text/csv", body.getvalue().encode()),)).id
    claimed = worker.claim(session, "bench", 600)
    started = time.perf_counter()
    status = worker.run_job(session, *claimed)
    elapsed = time.perf_counter() - started
    result = jobs.get_job(session, actor, job_id).result
    assert status == "done", status
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    with pg_app() as (app, _url):
        with app.app_context():
            s = db.session
            t0 = time.perf_counter()
            make_book(s, args.loans, max(args.loans // 10, 1))
            actor = bank_actor(s)
            vacuum(db.engine)
            print(f"book: {args.loans:,} loans made in {time.perf_counter() - t0:.1f} s")
            for n, as_of in ((args.small, "2026-03-31"), (args.loans, "2026-04-30")):
                rows = _rows(s, n, as_of)
                lim = limit(s, rows)
                vacuum(db.engine)
                took, result = job(s, actor, rows)
                vacuum(db.engine)
                print(f"feed of {n:,} rows: job {took:.2f} s = {n / took:,.0f} rows/s "
                      f"(accepted {result['accepted']:,}); limit COPY + UPDATE ... FROM "
                      f"{lim:.2f} s = {n / lim:,.0f} rows/s; job at {lim / took:.1%} of the limit")
            breaks = reconcile(s)
            print(f"books reconcile: {'yes' if not breaks else breaks[:5]}")


if __name__ == "__main__":
    main()
