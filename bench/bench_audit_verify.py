"""Benchmark `audit verify --since-anchor` against the full walk, at 1,000,000 events (PostgreSQL).

The chain is appended through the service's own path (audit.record, then the unit of work's
append at commit), in batches, with events shaped like a feed row's (a loan, its before and
after). An anchor is taken when all but the last DAY events are in: a daily run walks that
day's events only. Prints both times, events per second and the ratio, in one run.

Run: python bench/bench_audit_verify.py [--events 1000000] [--day 5000]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditsvc.core.principal import Principal  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.platform import audit, audit_chain  # noqa: E402
from creditsvc.services.platform.uow import UnitOfWork  # noqa: E402
from tests import dbs  # noqa: E402
from tests.integration.servers import pg_app  # noqa: E402

BANK = Principal(user_id=None, name="bench-bank", role="bank", bank_code="PSBC")
BATCH = 10_000


def append(session, start: int, count: int) -> None:
    """COUNT feed-row events, committed BATCH at a time."""
    for first in range(start, start + count, BATCH):
        with UnitOfWork(session) as uow:
            for i in range(first, min(first + BATCH, start + count)):
                audit.record(session, BANK, "loan.status_report", target_type="loan",
                             target_id=f"loan-{i % 50_000:06d}",
                             before={"days_past_due": i % 30, "outstanding_principal_fen": 2_000_000},
                             after={"days_past_due": i % 30 + 1, "outstanding_principal_fen": 1_990_000},
                             detail={"as_of": "2026-11-30", "row": i})
            uow.commit()
        session.expunge_all()


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--day", type=int, default=5_000, help="events after the anchor")
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    with pg_app() as (app, _url), app.app_context():
        session = db.session
        (_, made) = timed(lambda: append(session, 0, args.events - args.day))
        anchor = audit_chain.take_anchor(session, app.config["SECRET_KEY"])
        session.rollback()
        append(session, args.events - args.day, args.day)
        full, full_s = timed(lambda: audit_chain.verify_chain(session))
        session.rollback()
        daily, daily_s = timed(lambda: audit_chain.verify_chain(session, since=anchor))
        session.rollback()
    assert full.ok and full.checked == args.events, full
    assert daily.ok and daily.checked == args.day, daily
    print(f"{args.events:,} events appended in {made:.0f} s; anchor at event {anchor.seq:,}")
    print(f"full walk        {full_s:8.2f} s  ({args.events / full_s:,.0f} events/s)")
    print(f"since the anchor {daily_s:8.2f} s  ({args.day:,} events)")
    print(f"ratio            {daily_s / full_s:.4f} of the full walk ({full_s / daily_s:.0f}x faster)")


if __name__ == "__main__":
    main()
