"""Benchmark the campaign list page (评级授信): its server time with 2,000 and with 100,000
surveyed households, in one run.

Each book is a fresh migrated database filled by Core inserts of prepared rows: N household
files (masked personal data; the list never decrypts), a survey sheet each (nine in ten
willing), and one campaign per village of the zone listing its willing households, each
rated; three campaigns in four are granted (a credit line for each rated household with a
line), the rest in 公示. The campaigns are as many in both books (one per village), so the
larger book's are fifty times as large: the list counts each campaign's households, ratings,
views and lines, and this measures whether those counts grow with the campaigns' size.
Requests go through the app in process as a signed-in officer of every town (Flask test
client): the first page, the granted ones only, and the second page by its cursor; each
REPEAT times on each book in turn; medians, and the ratio 100k / 2k. Goal: at most 2x.

Run: python bench/bench_campaign_pages.py [--small 2000] [--large 100000] [--pg]
"""

import argparse
import random
import re
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_pages import books_compared  # noqa: E402
from creditsvc.core.vocab import TOWNS  # noqa: E402
from creditsvc.demo.households import villages_of  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from models import (  # noqa: E402
    Campaign,
    CampaignEntry,
    CreditLine,
    Household,
    HouseholdSurvey,
    Rating,
)
from tests import dbs  # noqa: E402
from tests.pages.people import make_person, sign_in  # noqa: E402

CHUNK = 5_000
TODAY = date(2026, 12, 1)
LINES = {"AAA": 5_000_000, "AA": 3_000_000, "A": 1_000_000, None: 0}


def _id(rng) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build(n: int, officer_id: str) -> int:
    """N surveyed households and a rated campaign per village; how many campaigns."""
    rng = random.Random(2026)
    villages = villages_of(rng)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    s = db.session
    campaigns, seq = {}, 0
    for town in TOWNS:
        for village in villages[town]:
            seq += 1
            granted = seq % 4 != 0
            campaigns[(town, village)] = {
                "id": _id(rng), "number": f"PJ-2026-{seq:06d}", "town": town, "village": village,
                "status": "granted" if granted else "notice", "opened_by": officer_id,
                "opened_on": date(2026, 9, 1), "rated_on": date(2026, 9, 2),
                "notice_from": date(2026, 9, 5), "notice_until": date(2026, 9, 12),
                "granted_on": date(2026, 9, 13) if granted else None,
                "granted_by": officer_id if granted else None, "policy_version": 1,
                "model_sha256": "0" * 64, "created_at": start + timedelta(seconds=seq),
                "updated_at": start}
    s.execute(Campaign.__table__.insert(), list(campaigns.values()))
    for first in range(0, n, CHUNK):
        homes, surveys, ratings, entries, lines = [], [], [], [], []
        for i in range(first, min(first + CHUNK, n)):
            town = TOWNS[i % len(TOWNS)]
            village = villages[town][i // len(TOWNS) % len(villages[town])]
            h = _id(rng)
            homes.append({"id": h, "town": town, "village": village, "head_name_enc": "x",
                          "head_name_masked": "陈*", "id_number_enc": "x",
                          "id_number_hash": f"{i:064d}", "id_number_masked": "449900********0013",
                          "head_birth_date": date(1980, 1, 1), "head_labour_capable": True,
                          "status": "registered_poor", "income_sources": ["planting"],
                          "created_at": start + timedelta(milliseconds=i), "updated_at": start})
            willing = rng.random() < 0.9
            surveys.append({"id": _id(rng), "household_id": h, "willing": willing,
                            "intended_amount_fen": 2_000_000 if willing else None,
                            "purpose": "planting" if willing else None,
                            "term_months": 24 if willing else None,
                            "created_at": start, "updated_at": start})
            if not willing:
                continue
            c = campaigns[(town, village)]
            grade = rng.choices(["AAA", "AA", "A", None], [2, 4, 3, 1])[0]
            r = _id(rng)
            ratings.append({"id": r, "household_id": h, "campaign_id": c["id"],
                            "requested_amount_fen": 2_000_000, "term_months": 24,
                            "purpose": "planting", "decision": "approved" if grade else "declined",
                            "grade": grade, "score": 70.0, "pd": 0.03, "line_fen": LINES[grade],
                            "policy_version": 1, "model_sha256": "0" * 64, "assessment": {},
                            "rated_by": officer_id, "rated_on": date(2026, 9, 2),
                            "created_at": start, "updated_at": start})
            entries.append({"id": _id(rng), "campaign_id": c["id"], "household_id": h,
                            "rating_id": r, "committee_view": "agree",
                            "proposed_line_fen": LINES[grade]})
            if c["status"] == "granted" and grade:
                lines.append({"id": _id(rng), "household_id": h, "rating_id": r,
                              "campaign_id": c["id"], "grade": grade, "line_fen": LINES[grade],
                              "valid_from": date(2026, 9, 13), "valid_until": date(2028, 9, 12),
                              "status": "active", "policy_version": 1, "model_sha256": "0" * 64,
                              "granted_by": officer_id, "granted_on": date(2026, 9, 13),
                              "created_at": start, "updated_at": start})
        for table, rows in ((Household, homes), (HouseholdSurvey, surveys), (Rating, ratings),
                            (CampaignEntry, entries), (CreditLine, lines)):
            if rows:
                s.execute(table.__table__.insert(), rows)
        s.commit()
    return len(campaigns)


def analyze(app) -> None:
    """PostgreSQL: VACUUM ANALYZE the bulk-loaded tables, as autovacuum soon would."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("households", "household_surveys", "ratings", "campaigns",
                          "campaign_entries", "credit_lines"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")


def prepare(app, n: int) -> tuple:
    """A book of N households; (signed-in client, {request: url})."""
    app.config["BUSINESS_DATE"] = TODAY
    with app.app_context():
        officer = make_person("bench-officer")
        started = time.perf_counter()
        count = build(n, officer.user_id)
        built = time.perf_counter() - started
        db.session.remove()
        analyze(app)
    client = app.test_client()
    with app.app_context():
        assert sign_in(client, officer).status_code == 302
    first = client.get("/campaigns").get_data(as_text=True)
    cursor = re.search(r'rel="next" href="/campaigns\?after=([^"&]+)', first).group(1)
    urls = {"campaign list, first page": "/campaigns",
            "campaign list, granted only": "/campaigns?status=granted",
            "campaign list, second page": f"/campaigns?after={cursor}&n=2"}
    for url in urls.values():  # warm the caches and the templates
        client.get(url)
    print(f"  {n:,} households, {count} campaigns built in {built:.1f} s", flush=True)
    return client, urls


def run(engine: str, small: int, large: int) -> None:
    books_compared(engine, prepare, small, large)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL too (tests' pg helpers)")
    args = parser.parse_args()
    run("sqlite", args.small, args.large)
    if args.pg:
        if why := dbs.pg_reachable():
            raise SystemExit(why)
        run("postgresql", args.small, args.large)


if __name__ == "__main__":
    main()
