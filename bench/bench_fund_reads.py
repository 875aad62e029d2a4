"""GET /api/v1/fund, /api/v1/fund/exposure and the fund office's overview page (/fund) at 1,000
and at 100,000 loans on PostgreSQL.

Loans (with their households and applications) are bulk-inserted with COPY; the fund's
maintained rows are set to match. Each endpoint is timed in-process (Flask test client:
the app, its queries and PostgreSQL, no network), median of REPEAT calls after a warm-up.
Goal: the 100,000-loan read takes at most 2x the 1,000-loan read (the goal is the overview
page's; the API reads are the figures it is made of).

    /work/main/.venv/bin/python bench/bench_fund_reads.py
"""

import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402

from creditsvc import create_app  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.access import (
    accounts,  # noqa: E402
    users,
)
from lending.classification import classify  # noqa: E402
from models.base import utcnow  # noqa: E402
from tests import dbs  # noqa: E402
from tests.conftest import ACTOR, make_config  # noqa: E402
from tests.work import done  # noqa: E402

REPEAT = 30
PASSWORD = "bench-fund-2026"
PATHS = ("/api/v1/fund", "/api/v1/fund/exposure", "/fund")
TOWNS = ("地都镇", "砲台镇", "登岗镇", "渔湖镇")
VILLAGES = [f"村{i:02d}" for i in range(84)]
PURPOSES = ("planting", "husbandry", "processing", "business", "tourism", "other")
GRADES = ("AAA", "AA", "A")


def insert_loans(dsn: str, n: int, officer_id: str, rng: random.Random) -> None:
    """COPY N households, applications and active loans."""
    now = datetime(2026, 1, 1)
    hh, apps, loans = [], [], []
    for _ in range(n):
        hid, aid = str(uuid.uuid4()), str(uuid.uuid4())
        village = rng.choice(VILLAGES)
        town = TOWNS[VILLAGES.index(village) % 4]
        bank = "PSBC" if rng.random() < 0.6 else "ABC"
        principal = rng.randrange(1_000, 50_001) * 100
        dpd = rng.choice((0,) * 20 + (15, 45, 100, 300, 400))
        purpose, grade = rng.choice(PURPOSES), rng.choice(GRADES)
        hh.append((hid, town, village, "x", "陈*", "x", uuid.uuid4().hex, "4405**********0014",
                   date(1980, 1, 1), "registered_poor", "[]", False, now, now))
        apps.append((aid, hid, bank, officer_id, principal, 12, purpose, "disbursed", "approved",
                     1, "0" * 64, "{}", town, village, now, now))
        loans.append((str(uuid.uuid4()), aid, hid, bank, principal, principal, 0, 300, 12,
                       "interest_quarterly", date(2025, 6, 1), date(2026, 6, 1), "active", dpd,
                       classify(dpd), 0, False, 1, rng.uniform(0.01, 0.2), grade, purpose, town,
                       village, now, now))
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for table, cols, rows in (
            ("households", "id, town, village, head_name_enc, head_name_masked, id_number_enc, "
             "id_number_hash, id_number_masked, head_birth_date, status, income_sources, "
             "bad_credit_flag, created_at, updated_at", hh),
            ("applications", "id, household_id, bank_code, submitted_by, amount_fen, term_months, "
             "purpose, status, decision, policy_version, model_sha256, assessment, town, village, "
             "created_at, updated_at", apps),
            ("loans", "id, application_id, household_id, bank_code, principal_fen, "
             "outstanding_principal_fen, accrued_interest_unpaid_fen, rate_bp, term_months, "
             "schedule_kind, disbursed_on, maturity_on, status, days_past_due, classification, "
             "extension_months, subsidy_cancelled, policy_version, pd, grade, purpose, town, "
             "village, created_at, updated_at", loans),
        ):
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        # The maintained rows, as the writes would have kept them.
        cur.execute("UPDATE fund SET capital_fen = 100000000000, balance_fen = 0, "
                    "guaranteed_outstanding_fen = (SELECT sum(outstanding_principal_fen) FROM loans "
                    "WHERE status = 'active'), npl_outstanding_fen = (SELECT coalesce(sum("
                    "outstanding_principal_fen), 0) FROM loans WHERE status = 'active' AND "
                    "classification IN ('次级', '可疑', '损失'))")
        cur.execute("UPDATE bank_exposure b SET outstanding_fen = (SELECT coalesce(sum("
                    "outstanding_principal_fen), 0) FROM loans l WHERE l.bank_code = b.bank_code "
                    "AND l.status = 'active')")
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def signed_in(client) -> None:
    """Sign the test client in to the pages as the benchmark's fund manager."""
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"username": "bench-fm", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.status_code


def timed(client, path, headers) -> float:
    for _ in range(3):
        assert client.get(path, headers=headers).status_code == 200
    samples = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        r = client.get(path, headers=headers)
        samples.append(time.perf_counter() - t)
        assert r.status_code == 200
    return statistics.median(samples) * 1000


def main() -> None:
    dbs.require_pg = lambda: None
    name = dbs.new_pg_database()
    url = dbs.pg_url(name)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        app = create_app(make_config(url))
        dbs.migrate_to_head(app)
        rng = random.Random(1)
        with app.app_context():
            _, key = done(db.session, users.create_user, ACTOR, "bench-fm", "fund_manager", None)
            done(db.session, accounts.set_password, ACTOR, "bench-fm", PASSWORD,
                 must_change=False, now=utcnow())
            officer = done(db.session, users.create_user, ACTOR, "bench-officer", "officer", None)[0]
            officer_id = officer.id
            db.session.remove()
        headers = {"Authorization": f"Bearer {key}"}
        results = {}
        have = 0
        for target in (1_000, 100_000):
            insert_loans(dsn, target - have, officer_id, rng)
            have = target
            with app.app_context():
                client = app.test_client()
                signed_in(client)
                for path in PATHS:
                    results[(path, target)] = timed(client, path, headers)
                    print(f"{path:24s} {target:>7,} loans: median {results[(path, target)]:8.2f} ms")
                db.session.remove()
        for path in PATHS:
            ratio = results[(path, 100_000)] / results[(path, 1_000)]
            print(f"{path:24s} 100,000 / 1,000 = {ratio:.2f}x  goal <= 2x: "
                  f"{'met' if ratio <= 2 else 'NOT met'}")
        with app.app_context():
            db.engine.dispose()
    finally:
        dbs.drop_pg_database(name)


if __name__ == "__main__":
    main()
