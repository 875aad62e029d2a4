"""Benchmark the household pages: the server time of the 户档案 list and its search with
2,000 and with 100,000 household files, in one run.

Each book is a fresh migrated database filled by Core inserts of prepared rows (the head's
personal data really encrypted and indexed, three members per file, 8% with a shock, 10%
with a loan and its application; 5% filed by the signed-in officer). Requests go through the
app in process, as a signed-in officer (Flask test client): first pages, plain and filtered;
late pages with filters, by the cursor a user paging there would hold; search by ID number,
phone and full name (a name only one file has; a name 60 files share in either book; and a
common one: the generator's names repeat, so more files share it in the larger book, and its
answer fills a page there: it is also set beside the small book's first page, a full page
too); the desk for reference. Both books are
built first, then each request is timed REPEAT times on each book in turn; medians, and the
ratio of the 100,000-file book's to the 2,000-file book's. Goal: 100k at most 2x the 2k.

Run: python bench/bench_pages.py [--small 2000] [--large 100000] [--pg]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from creditsvc import create_app  # noqa: E402
from creditsvc.core.pii import mask_id_number, mask_name, mask_phone  # noqa: E402
from creditsvc.core.vocab import TOWNS  # noqa: E402
from creditsvc.demo.households import GIVEN, SURNAMES, fake_id_number, villages_of  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.households.search import (  # noqa: E402
    HouseholdFilter,
    filtered,
    search_hash,
)
from creditsvc.services.platform.paging import encode_cursor  # noqa: E402
from lending.classification import classify  # noqa: E402
from models import Application, Household, HouseholdMember, Loan, MonitoringEvent  # noqa: E402
from tests import dbs  # noqa: E402
from tests.conftest import make_config  # noqa: E402
from tests.integration.servers import pg_app  # noqa: E402
from tests.pages.people import make_person, sign_in  # noqa: E402

REPEAT, CHUNK = 15, 5_000
NAMESAKES = 60  # files named 欧阳建国 in either book: a search whose answer does not grow
TODAY = date(2026, 12, 1)


def _household(rng, i, villages, cipher, officer_id, start) -> tuple[dict, str, str, str]:
    town = TOWNS[i % len(TOWNS)]
    birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365))
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
    number, phone = fake_id_number(birth, i), f"139{i:08d}"
    status = rng.choices(["registered_poor", "lifted", "monitored_edge"], [60, 28, 12])[0]
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "town": town,
        "village": villages[town][i // len(TOWNS) % len(villages[town])],
        "head_name_enc": cipher.encrypt(name), "head_name_masked": mask_name(name),
        "head_name_hash": cipher.blind_index("name", name),
        "id_number_enc": cipher.encrypt(number), "id_number_hash": cipher.blind_index("id", number),
        "id_number_masked": mask_id_number(number), "phone_enc": cipher.encrypt(phone),
        "phone_hash": cipher.blind_index("phone", phone), "phone_masked": mask_phone(phone),
        "head_birth_date": birth, "head_labour_capable": True, "status": status,
        "lifted_year": 2019 if status == "lifted" else None, "income_sources": ["planting"],
        "per_capita_income_fen": rng.randint(300_000, 1_500_000), "bad_credit_flag": False,
        "created_by": officer_id if i % 20 == 0 else None,
        "created_at": start + timedelta(milliseconds=i), "updated_at": start,
    }, name, number, phone


def build(n: int, officer_id: str, cipher) -> dict:
    """N household files with members, shocks and loans; what the searches look for."""
    rng = random.Random(2026)
    villages = villages_of(rng)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    s = db.session
    target = {}
    for first in range(0, n, CHUNK):
        homes, members, events, apps, loans = [], [], [], [], []
        for i in range(first, min(first + CHUNK, n)):
            row, name, number, phone = _household(rng, i, villages, cipher, officer_id, start)
            homes.append(row)
            if i == n // 2:  # a name no other file has (欧 is not among the surnames)
                name = "欧阳明远"
                row.update(head_name_enc=cipher.encrypt(name), head_name_masked=mask_name(name),
                           head_name_hash=cipher.blind_index("name", name))
                target.update(id=number, phone=phone, name=name)
            if i == n // 3:
                target["common"] = name
            if i % (n // NAMESAKES) == 7 and i // (n // NAMESAKES) < NAMESAKES:
                name = "欧阳建国"  # the same number of namesakes in either book
                row.update(head_name_enc=cipher.encrypt(name), head_name_masked=mask_name(name),
                           head_name_hash=cipher.blind_index("name", name))
                target["shared"] = name
            members += [{"id": str(uuid.uuid4()), "household_id": row["id"], "position": p,
                         "relation": rel, "birth_date": row["head_birth_date"],
                         "labour_capable": p < 2, "chronic_illness": False, "disability": False,
                         "in_school": p == 2} for p, rel in enumerate(("head", "spouse", "child"))]
            if rng.random() < 0.08:
                events.append({"id": str(uuid.uuid4()), "household_id": row["id"],
                               "kind": "serious_illness",
                               "occurred_on": TODAY - timedelta(days=rng.randint(0, 700))})
            if rng.random() < 0.10:
                app_id, dpd = str(uuid.uuid4()), rng.choice([0] * 9 + [rng.randint(1, 400)])
                apps.append({"id": app_id, "household_id": row["id"], "bank_code": "PSBC",
                             "submitted_by": officer_id, "submitted_on": TODAY,
                             "amount_fen": 1_000_000, "term_months": 12,
                             "purpose": "planting", "status": "disbursed", "decision": "approved",
                             "policy_version": 1, "model_sha256": "0" * 64, "assessment": {},
                             "town": row["town"], "village": row["village"],
                             "created_at": row["created_at"], "updated_at": start})
                loans.append({"id": str(uuid.uuid4()), "application_id": app_id,
                              "household_id": row["id"], "bank_code": "PSBC",
                              "principal_fen": 1_000_000, "outstanding_principal_fen": 1_000_000,
                              "rate_bp": 345, "term_months": 12,
                              "schedule_kind": "interest_quarterly",
                              "disbursed_on": date(2026, 1, 5), "maturity_on": date(2027, 1, 5),
                              "days_past_due": dpd, "classification": classify(dpd),
                              "policy_version": 1, "purpose": "planting", "town": row["town"],
                              "village": row["village"], "created_at": row["created_at"],
                              "updated_at": start})
        for table, rows in ((Household, homes), (HouseholdMember, members),
                            (MonitoringEvent, events), (Application, apps), (Loan, loans)):
            if rows:
                s.execute(table.__table__.insert(), rows)
        s.commit()
    return target


def late_cursor(f: HouseholdFilter, back: int = 60) -> str:
    """The cursor of the row BACK rows before the end of F's list (a late page)."""
    base = filtered(db.session, f, today=TODAY)
    count = db.session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    query = base.order_by(Household.created_at.desc(), Household.id.desc()).offset(
        min(back, count - 1)).limit(1)
    row = db.session.execute(query.with_only_columns(Household.created_at, Household.id)).one()
    db.session.rollback()
    return encode_cursor(row.created_at, row.id)


def analyze(app) -> None:
    """PostgreSQL: VACUUM ANALYZE the bulk-loaded tables, as autovacuum soon would."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("households", "household_members", "monitoring_events",
                          "applications", "loans"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")


def _ms(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000


def prepare(app, n: int) -> tuple:
    """A book of N household files; (signed-in client, {request: url})."""
    app.config["BUSINESS_DATE"] = TODAY
    with app.app_context():
        officer = make_person("bench-officer")
        cipher = app.extensions["creditsvc.core.pii"]
        started = time.perf_counter()
        target = build(n, officer.user_id, cipher)
        built = time.perf_counter() - started
        filters = HouseholdFilter(town="渔湖镇", status="registered_poor")
        risky = HouseholdFilter(risk=True, has_loan=False)
        urls = {
            "list, first page": "/households",
            "list, first page (town+status)": "/households?town=渔湖镇&status=registered_poor",
            "list, first page (risk+no loan)": "/households?risk=true&has_loan=false",
            "list, late page (town+status)": "/households?town=渔湖镇&status=registered_poor"
                                             f"&after={late_cursor(filters)}",
            "list, late page (risk+no loan)": "/households?risk=true&has_loan=false"
                                              f"&after={late_cursor(risky)}",
            # The search box posts the text; the list it redirects to carries the hash.
            **{f"search by {label}": "/households?by={}&key={}".format(
                *search_hash(cipher, target[kind]))
               for kind, label in (("id", "ID number"), ("phone", "phone"), ("name", "full name"))},
            "search by a shared full name": "/households?by=name&key={}".format(
                cipher.blind_index("name", target["shared"])),
            "search by a common full name": "/households?by=name&key={}".format(
                cipher.blind_index("name", target["common"])),
            "desk (reference)": "/desk",
        }
        namesakes = [db.session.execute(select(func.count()).where(
            Household.head_name_hash == cipher.blind_index("name", target[k]))).scalar_one()
            for k in ("shared", "common")]
        db.session.remove()
        analyze(app)
    client = app.test_client()  # each request in its own app context: a fresh `g`
    with app.app_context():
        assert sign_in(client, officer).status_code == 302
    for url in urls.values():  # warm the caches and the templates
        client.get(url)
    print(f"  {n:,} files built in {built:.1f} s; {namesakes[0]} files share the shared name, "
          f"{namesakes[1]} the common one", flush=True)
    return client, urls


def _timed(clients, target) -> float:
    """TARGET's time on a book: a URL asked by its one client, or (who, URL) by clients[who]."""
    if isinstance(target, tuple):
        who, url = target
        return _ms(clients[who], url)
    return _ms(clients, target)


def compare(small: tuple, large: tuple) -> dict:
    """{request: (small ms, large ms)}: medians of requests taken in turn on the two books,
    so that a busy moment of the machine weighs on both alike. Each book is (its client, or
    {who: client}; {request: URL, or (who, URL)}), as a bench's `prepare` returns it."""
    out = {}
    for name in small[1]:
        times = ([], [])
        for _ in range(REPEAT):
            for side, (clients, urls) in enumerate((small, large)):
                times[side].append(_timed(clients, urls[name]))
        out[name] = tuple(statistics.median(t) for t in times)
    return out


def books_compared(engine: str, prepare, small: int, large: int) -> dict:
    """Two books of SMALL and LARGE on ENGINE made by PREPARE(app, n), their requests timed in
    turn (compare); the table of medians and ratios printed, and returned."""
    opened = sqlite_app if engine == "sqlite" else pg_app
    with opened() as (app_s, _), opened() as (app_l, _):
        results = compare(prepare(app_s, small), prepare(app_l, large))
    print(f"\n{engine}: median of {REPEAT} requests, ms (ratio {large:,} / {small:,}); "
          f"load average {os.getloadavg()[0]:.2f}")
    width = max(map(len, results))
    for name, (a, b) in results.items():
        print(f"  {name:{width}} {a:8.2f} {b:8.2f}  {b / a:5.2f}x", flush=True)
    return results


@contextmanager
def sqlite_app():
    """An app on a new, migrated SQLite file (removed afterwards)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(make_config(f"sqlite:///{tmp}/bench.sqlite3"))
        dbs.migrate_to_head(app)
        try:
            yield app, None
        finally:
            with app.app_context():
                db.engine.dispose()


def run(engine: str, small: int, large: int) -> None:
    results = books_compared(engine, prepare, small, large)
    # The common name's answer grows with the book (a full page of 50 at 100k, a few rows at
    # 2k): set it beside the small book's first page, which also shows a full page.
    full_page, common = results["list, first page"][0], results["search by a common full name"][1]
    print(f"  {'common name (large) / first page (small)':32} {full_page:8.2f} {common:8.2f}  "
          f"{common / full_page:5.2f}x", flush=True)


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
