"""Benchmark the campaign's lists: the server time of 信用评级 and 应贷未贷 with 2,000 and with
100,000 household files, in one run.

Each book is bench_pages' book (household files with personal data really encrypted, members,
shocks, 10% with a loan) plus the campaign's rows made by Core inserts: 70% of the files
surveyed, 85% of those willing; each willing file rated and granted a line (AAA/AA/A), a
tenth of the lines expired on the business date and a twentieth replaced by a later line.
Requests go through the app in process, as a signed-in officer (Flask test client): the bench
officer of bench_pages (every town: the whole book is their area) and an officer of one
village. Both books are built first, then each request is timed REPEAT times on each book in
turn; medians, and the ratio of the 100,000-file book's to the 2,000-file book's. Goal: 100k
at most 2x the 2k.

Run: python bench/bench_lists.py [--small 2000] [--large 100000] [--pg]
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.bench_pages import CHUNK, TODAY, books_compared, build  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.access.areas import areas_of  # noqa: E402
from creditsvc.services.campaign.lists import ListFilter, _rated, _unborrowed  # noqa: E402
from creditsvc.services.platform.paging import encode_cursor  # noqa: E402
from models import CreditLine, Household, HouseholdSurvey, Rating  # noqa: E402
from tests import dbs  # noqa: E402
from tests.pages.people import make_person, sign_in  # noqa: E402

LINES = {"AAA": 5_000_000, "AA": 3_000_000, "A": 1_000_000}


def campaign(n_files: int, officer_id: str) -> None:
    """Surveys, ratings and credit lines for the book's files (see the module's docstring)."""
    rng = random.Random(2027)
    s = db.session
    files = s.execute(select(Household.id, Household.created_at, Household.town, Household.village)
                      .order_by(Household.created_at, Household.id)).all()
    granted = datetime(2026, 6, 1, tzinfo=UTC)
    for first in range(0, len(files), CHUNK):
        surveys, ratings, lines = [], [], []
        for i, (household_id, created_at, town, village) in enumerate(files[first:first + CHUNK],
                                                                      start=first):
            if rng.random() >= 0.70:
                continue
            willing = rng.random() < 0.85
            surveys.append({"id": str(uuid.uuid4()), "household_id": household_id,
                            "willing": willing, "intended_amount_fen": 2_000_000,
                            "purpose": "planting", "term_months": 12, "surveyor": "调查员",
                            "surveyed_on": TODAY - timedelta(days=200), "created_at": created_at,
                            "updated_at": created_at})
            if not willing:
                continue
            grade = rng.choices(["AAA", "AA", "A"], [30, 50, 20])[0]
            shape = rng.random()
            valid_from = (TODAY - timedelta(days=800)) if shape < 0.10 else TODAY - timedelta(
                days=rng.randint(10, 300))
            rating_id = str(uuid.uuid4())
            ratings.append({"id": rating_id, "household_id": household_id,
                            "requested_amount_fen": 2_000_000, "term_months": 12,
                            "purpose": "planting", "decision": "approved", "grade": grade,
                            "score": 75.0, "pd": 0.03, "line_fen": LINES[grade],
                            "policy_version": 1, "model_sha256": "0" * 64, "assessment": {},
                            "rated_by": officer_id, "rated_on": valid_from,
                            "created_at": created_at, "updated_at": created_at})
            line = {"household_id": household_id, "town": town, "village": village,
                    "rating_id": rating_id, "grade": grade,
                    "line_fen": LINES[grade], "valid_from": valid_from, "granted_on": valid_from,
                    "valid_until": valid_from.replace(year=valid_from.year + 2) - timedelta(days=1),
                    "policy_version": 1, "model_sha256": "0" * 64, "granted_by": officer_id}
            at = granted + timedelta(milliseconds=i)
            if 0.10 <= shape < 0.15:  # re-rated: the old line replaced, the new one active
                lines.append({**line, "id": str(uuid.uuid4()), "status": "replaced",
                              "created_at": at, "updated_at": at})
                at += timedelta(microseconds=500)
            lines.append({**line, "id": str(uuid.uuid4()), "status": "active", "created_at": at,
                          "updated_at": at})
        for table, rows in ((HouseholdSurvey, surveys), (Rating, ratings), (CreditLine, lines)):
            if rows:
                s.execute(table.__table__.insert(), rows)
        s.commit()


def late_cursor(base, back: int = 60) -> str:
    """The cursor of the line BACK lines before the end of the list BASE selects (a late page)."""
    query = base.order_by(CreditLine.created_at.desc(), CreditLine.id.desc()).offset(back).limit(1)
    row = db.session.execute(query.with_only_columns(CreditLine.created_at, CreditLine.id)).one()
    db.session.rollback()
    return encode_cursor(row.created_at, row.id)


def analyze(app) -> None:
    """PostgreSQL: VACUUM ANALYZE the bulk-loaded tables, as autovacuum soon would."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("households", "household_members", "monitoring_events", "applications",
                          "loans", "household_surveys", "ratings", "credit_lines", "officer_areas",
                          "waiting_line_counts", "waiting_line_totals"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")


def prepare(app, n: int) -> tuple:
    """A book of N files with its campaign; ({who: signed-in client}, {request: (who, url)})."""
    app.config["BUSINESS_DATE"] = TODAY
    with app.app_context():
        county = make_person("bench-officer")
        cipher = app.extensions["creditsvc.core.pii"]
        started = time.perf_counter()
        build(n, county.user_id, cipher)
        campaign(n, county.user_id)
        built = time.perf_counter() - started
        # The village of the middle file: an officer who works in that one village.
        town, village = db.session.execute(select(Household.town, Household.village).order_by(
            Household.created_at).offset(n // 2).limit(1)).one()
        local = make_person("bench-village", area=(f"{town}/{village}",))
        whole = areas_of(db.session, county.user_id)
        late = late_cursor(_rated(whole, ListFilter(), TODAY, in_order=True))
        late_waiting = late_cursor(_unborrowed(whole, ListFilter(), TODAY, in_order=True))
        in_village = db.session.execute(select(func.count()).select_from(Household).where(
            Household.town == town, Household.village == village)).scalar_one()
        lines = db.session.execute(select(func.count()).select_from(CreditLine)).scalar_one()
        db.session.remove()
    analyze(app)
    urls = {
        "信用评级, first page": ("county", "/lists/ratings"),
        "信用评级, first page (town+grade)": ("county", "/lists/ratings?town=渔湖镇&grade=AA"),
        "信用评级, first page (expired)": ("county", "/lists/ratings?state=expired"),
        "信用评级, late page": ("county", f"/lists/ratings?after={late}"),
        "应贷未贷 + counts, whole area": ("county", "/lists/unborrowed"),
        "应贷未贷 + counts, one town": ("county", "/lists/unborrowed?town=渔湖镇"),
        "应贷未贷, late page": ("county", f"/lists/unborrowed?after={late_waiting}"),
        "village officer: 信用评级": ("village", "/lists/ratings"),
        "village officer: 应贷未贷 + counts": ("village", "/lists/unborrowed"),
        "desk (reference)": ("county", "/desk"),
    }
    clients = {}
    for who, person in (("county", county), ("village", local)):
        clients[who] = app.test_client()
        with app.app_context():
            assert sign_in(clients[who], person).status_code == 302
    for who, url in urls.values():  # warm the caches and the templates
        clients[who].get(url)
    print(f"  {n:,} files and {lines:,} lines built in {built:.1f} s; the village officer's "
          f"village {town} {village} has {in_village:,} files", flush=True)
    return clients, urls


def run(engine: str, small: int, large: int) -> None:
    books_compared(engine, prepare, small, large)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL too (tests' pg helpers)")
    parser.add_argument("--pg-only", action="store_true", help="PostgreSQL alone")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    if not args.pg_only:
        run("sqlite", args.small, args.large)
    if args.pg or args.pg_only:
        if why := dbs.pg_reachable():
            raise SystemExit(why)
        run("postgresql", args.small, args.large)


if __name__ == "__main__":
    main()
