"""Benchmark the 台账统计表 (and the per-loan 台账's first page): its server time with 2,000 and
with 100,000 loans, in one run.

Each book is a fresh migrated database filled by Core inserts of prepared rows: one household
per loan (three members each, half of them with a credit line and its rating), loans of PSBC
and ABC over the four towns disbursed through two years (90% active, 8% repaid, 2% claimed;
one in twenty days past due), four quarterly schedule items each (a tenth of the interest
fallen due unpaid). The fund's rows are set to the book. The monthly snapshots of the twelve
months before the business date are then taken by the snapshot service, as the worker takes
them at each month's end, and the month running's on the business date, as the worker takes it
once a business day (and a fund manager's 刷新 as a job): that take's time is printed.

Requests go through the app in process, as a signed-in fund manager (Flask test client): the
table over past months and of the month running (both read from the snapshots), and the
台账's first page. Both books are built first, then each request is timed
REPEAT times on each book in turn; medians, and the ratio of the 100,000-loan book's to the
2,000-loan book's. Goal: the table at 100,000 loans within 2x of its time at 2,000.

Run: python bench/bench_ledger.py [--small 2000] [--large 100000] [--pg]
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, update  # noqa: E402

from bench.bench_pages import books_compared  # noqa: E402
from creditsvc.core.principal import Principal  # noqa: E402
from creditsvc.core.vocab import TOWNS  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.fund import snapshots  # noqa: E402
from creditsvc.services.ledger.stats import months_between, shift  # noqa: E402
from lending.classification import classify  # noqa: E402
from models import (  # noqa: E402
    Application,
    BankExposure,
    CreditLine,
    Fund,
    Household,
    HouseholdMember,
    Loan,
    Rating,
    ScheduleItem,
)
from tests import dbs  # noqa: E402
from tests.pages.people import make_person, sign_in  # noqa: E402
from tests.work import done  # noqa: E402

CHUNK = 5_000
TODAY = date(2026, 11, 16)
FIRST_LENT = date(2024, 11, 1)
MANAGER = Principal(user_id=None, name="bench", role="fund_manager")


def _rows(rng, i: int, officer_id: str, start: datetime) -> dict[type, list[dict]]:
    """The household, members, line, application, loan and schedule of loan I."""
    at = start + timedelta(milliseconds=i)
    town = TOWNS[i % len(TOWNS)]
    village = f"{town[:2]}{i // 4 % 23}村"
    home = str(uuid.uuid4())
    out: dict[type, list[dict]] = {Household: [{
        "id": home, "town": town, "village": village, "head_name_enc": "x",
        "head_name_masked": "陈*", "id_number_enc": "x", "id_number_hash": uuid.uuid4().hex,
        "id_number_masked": "449901********0014", "head_birth_date": date(1980, 1, 1),
        "head_labour_capable": True, "status": "registered_poor", "income_sources": [],
        "bad_credit_flag": False, "created_at": at, "updated_at": at}]}
    out[HouseholdMember] = [{"id": str(uuid.uuid4()), "household_id": home, "position": p,
                             "relation": rel, "chronic_illness": False, "disability": False,
                             "in_school": False} for p, rel in enumerate(("head", "spouse", "child"))]
    lent = FIRST_LENT + timedelta(days=i * 7 % 720)
    if i % 2 == 0:
        rating = str(uuid.uuid4())
        out[Rating] = [{"id": rating, "household_id": home, "requested_amount_fen": 3_000_000,
                        "term_months": 12, "purpose": "planting", "decision": "approved",
                        "grade": "AA", "score": 75.0, "pd": 0.03, "line_fen": 3_000_000,
                        "policy_version": 1, "model_sha256": "0" * 64, "assessment": {},
                        "rated_by": officer_id, "rated_on": lent, "created_at": at,
                        "updated_at": at}]
        out[CreditLine] = [{"id": str(uuid.uuid4()), "household_id": home, "town": town,
                            "village": village, "rating_id": rating,
                            "grade": "AA", "line_fen": 3_000_000, "valid_from": lent,
                            "valid_until": lent + timedelta(days=729), "status": "active",
                            "policy_version": 1, "model_sha256": "0" * 64,
                            "granted_by": officer_id, "granted_on": lent, "created_at": at,
                            "updated_at": at}]
    bank = "PSBC" if i % 5 < 3 else "ABC"
    app_id, loan_id = str(uuid.uuid4()), str(uuid.uuid4())
    status = "repaid" if i % 50 < 4 else "claimed" if i % 50 == 4 else "active"
    dpd = 0 if i % 20 else rng.randint(1, 200)
    principal = 1_000_000 + 1_000_00 * (i % 40)
    out[Application] = [{"id": app_id, "household_id": home, "bank_code": bank,
                         "submitted_by": officer_id, "submitted_on": lent,
                         "amount_fen": principal, "term_months": 12,
                         "purpose": "planting", "status": "disbursed", "decision": "approved",
                         "policy_version": 1, "model_sha256": "0" * 64, "assessment": {},
                         "town": town, "village": village, "created_at": at, "updated_at": at}]
    out[Loan] = [{"id": loan_id, "application_id": app_id, "household_id": home,
                  "bank_code": bank, "number": f"{bank}-B-{i:07d}", "principal_fen": principal,
                  "outstanding_principal_fen": 0 if status == "repaid" else principal,
                  "accrued_interest_unpaid_fen": 0, "rate_bp": 345 if i % 3 else 300,
                  "term_months": 12, "schedule_kind": "interest_quarterly",
                  "disbursed_on": lent, "maturity_on": lent + timedelta(days=365),
                  "status": status, "days_past_due": dpd, "classification": classify(dpd),
                  "policy_version": 1, "purpose": "planting", "town": town, "village": village,
                  "created_at": at, "updated_at": at}]
    interest = principal * 345 // 40_000
    out[ScheduleItem] = [{
        "id": str(uuid.uuid4()), "loan_id": loan_id, "seq": q,
        "due_on": lent + timedelta(days=91 * q), "principal_fen": principal if q == 4 else 0,
        "interest_fen": interest, "paid_principal_fen": 0,
        "paid_interest_fen": interest if lent + timedelta(days=91 * q) <= TODAY
        and rng.random() >= 0.1 else 0} for q in range(1, 5)]
    return out


def build(n: int, officer_id: str) -> None:
    """N loans (see the module's docstring), then the fund's rows set to the book."""
    rng = random.Random(2026)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    s = db.session
    order = (Household, HouseholdMember, Rating, CreditLine, Application, Loan, ScheduleItem)
    for first in range(0, n, CHUNK):
        rows: dict[type, list[dict]] = {t: [] for t in order}
        for i in range(first, min(first + CHUNK, n)):
            for table, made in _rows(rng, i, officer_id, start).items():
                rows[table] += made
        for table in order:
            if rows[table]:
                s.execute(table.__table__.insert(), rows[table])
        s.commit()
    active = select(Loan.bank_code, func.sum(Loan.outstanding_principal_fen)).where(
        Loan.status == "active").group_by(Loan.bank_code)
    per_bank = {b: int(v) for b, v in s.execute(active)}
    s.execute(update(Fund).where(Fund.id == 1).values(
        capital_fen=10_000_000_000, balance_fen=10_000_000_000,
        guaranteed_outstanding_fen=sum(per_bank.values())))
    for bank, fen in per_bank.items():
        s.execute(update(BankExposure).where(BankExposure.bank_code == bank)
                  .values(outstanding_fen=fen))
    s.commit()


def take_snapshots() -> tuple[float, float]:
    """The twelve months before TODAY's, each taken on its last day, then the month running on
    TODAY; (seconds per past month's snapshot, seconds to take the month running)."""
    months = months_between(shift(snapshots.month_of(TODAY), -12),
                            shift(snapshots.month_of(TODAY), -1))
    started = time.perf_counter()
    for month in months:
        done(db.session, snapshots.take, MANAGER, month, today=snapshots.month_bounds(month)[1])
    per_month = (time.perf_counter() - started) / len(months)
    started = time.perf_counter()
    done(db.session, snapshots.take, MANAGER, snapshots.month_of(TODAY), today=TODAY)
    return per_month, time.perf_counter() - started


def analyze(app) -> None:
    """PostgreSQL: VACUUM ANALYZE the bulk-loaded tables, as autovacuum soon would."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("households", "household_members", "ratings", "credit_lines",
                          "applications", "loans", "schedule_items", "snapshot_groups"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")


def prepare(app, n: int) -> tuple:
    """A book of N loans with its snapshots; (signed-in client, {request: url})."""
    app.config["BUSINESS_DATE"] = TODAY
    with app.app_context():
        manager = make_person("bench-fund", "fund_manager")
        started = time.perf_counter()
        build(n, manager.user_id)
        built = time.perf_counter() - started
        analyze(app)
        per_snapshot, running = take_snapshots()
        db.session.remove()
    analyze(app)
    now = snapshots.month_of(TODAY)
    urls = {
        "统计表, past month (snapshot)": f"/ledger/stats?first={shift(now, -1)}&last={shift(now, -1)}",
        "统计表, past year (snapshots)": f"/ledger/stats?first={shift(now, -12)}&last={shift(now, -1)}",
        "统计表 xlsx, past year": f"/ledger/stats.xlsx?first={shift(now, -12)}&last={shift(now, -1)}",
        "统计表, this month (its snapshot)": f"/ledger/stats?first={now}&last={now}",
        "台账, first page": "/ledger",
    }
    client = app.test_client()
    with app.app_context():
        assert sign_in(client, manager).status_code == 302
    for url in urls.values():  # warm the caches and the templates
        client.get(url)
    print(f"  {n:,} loans built in {built:.1f} s; a past month's snapshot (with its bank and "
          f"town figures) took {per_snapshot * 1000:.0f} ms, the month running's (the worker's "
          f"daily take, or 刷新) {running * 1000:.0f} ms", flush=True)
    return client, urls


def run(engine: str, small: int, large: int) -> None:
    books_compared(engine, prepare, small, large)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL too (tests' pg helpers)")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    run("sqlite", args.small, args.large)
    if args.pg:
        if why := dbs.pg_reachable():
            raise SystemExit(why)
        run("postgresql", args.small, args.large)


if __name__ == "__main__":
    main()
