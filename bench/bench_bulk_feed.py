"""Benchmark the banks' bulk feed: one POST /api/v1/loan-status-reports of 10,000 rows.

2,000 active loans on PostgreSQL, five monthly days-past-due reports each, sent as one
request (the documented maximum) through the app in-process; prints the time, the
per-row results and whether the fund's books still reconcile afterwards.

Run: python bench/bench_bulk_feed.py [--loans 2000] [--reports 5]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditsvc import create_app  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.access import users  # noqa: E402
from creditsvc.services.fund.reconcile import reconcile  # noqa: E402
from tests import dbs  # noqa: E402
from tests.books import fund_with  # noqa: E402
from tests.conftest import ACTOR, make_config  # noqa: E402
from tests.factories import LoanFactory  # noqa: E402
from tests.work import done  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=2000)
    parser.add_argument("--reports", type=int, default=5)
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    name = dbs.new_pg_database()
    app = create_app(make_config(dbs.pg_url(name)))
    try:
        dbs.migrate_to_head(app)
        with app.app_context():
            fund_with(db.session, 10_000_000_000)
            _, key = done(db.session, users.create_user, ACTOR, "bench-psbc", "bank", "PSBC")
            ids = [LoanFactory(bank_code="PSBC", principal_fen=100_000).id
                   for _ in range(args.loans)]
        rows = [{"loan_id": ids[i % args.loans], "as_of": f"2026-{2 + i // args.loans:02d}-01",
                 "days_past_due": (i // args.loans) * 30} for i in range(args.loans * args.reports)]
        started = time.perf_counter()
        response = app.test_client().post("/api/v1/loan-status-reports", json={"rows": rows},
                                          headers={"Authorization": f"Bearer {key}"})
        elapsed = time.perf_counter() - started
        body = response.get_json()
        with app.app_context():
            breaks = reconcile(db.session)
            db.session.remove()
            db.engine.dispose()
        print(f"bulk feed: {len(rows):,} rows over {args.loans:,} loans in one request on "
              f"PostgreSQL: HTTP {response.status_code}, {elapsed:.2f} s "
              f"({elapsed / len(rows) * 1000:.2f} ms/row), accepted {body['accepted']:,}, "
              f"rejected {body['rejected']:,}; books reconcile: {'yes' if not breaks else breaks}")
    finally:
        dbs.drop_pg_database(name)


if __name__ == "__main__":
    main()
