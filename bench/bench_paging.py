"""Benchmark paging: any page of the household, application and loan lists with 100,000 rows
against the first page with 2,000, on PostgreSQL, in one run.

Two databases (2,000 and 100,000 of each: households, applications, loans; bench/bookgen.py).
Each list is read through the app in-process as its usual caller: households as an officer,
applications and loans as PSBC's staff. Pages of 50: the first page, and the last page by
its cursor (the `X-Next-Cursor` a client walking the list would hold), and for reference the
last page by number (OFFSET). Median of 21 requests each; prints each time and its ratio
to the first page of the 2,000-row book.

Run: python bench/bench_paging.py [--small 2000] [--large 100000]
"""

import argparse
import statistics
import sys
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.bookgen import make_book, vacuum  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.access import users  # noqa: E402
from creditsvc.services.platform.paging import encode_cursor  # noqa: E402
from tests import dbs  # noqa: E402
from tests.conftest import ACTOR  # noqa: E402
from tests.integration.servers import pg_app  # noqa: E402
from tests.work import done  # noqa: E402

LISTS = (("households", "officer"), ("applications", "bank"), ("loans", "bank"))
SIZE, REPEAT = 50, 21


def _median_ms(client, url, headers) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.get_json()
    return statistics.median(times) * 1000


def measure(n: int) -> dict:
    """{(list, page): ms} on a book of N rows of each."""
    with pg_app() as (app, _url), app.app_context():
        s = db.session
        make_book(s, n, n)
        keys = {role: done(s, users.create_user, ACTOR, f"bench-{role}", role,
                           "PSBC" if role == "bank" else None)[1]
                for role in ("officer", "bank")}
        vacuum(db.engine)
        client, out = app.test_client(), {}
        for table, role in LISTS:
            headers = {"Authorization": f"Bearer {keys[role]}"}
            url = f"/api/v1/{table}?page_size={SIZE}"
            created, row_id = s.execute(text(
                f"SELECT created_at, id FROM {table} ORDER BY created_at, id "
                f"OFFSET {n - SIZE - 1} LIMIT 1")).one()
            s.rollback()
            cursor = encode_cursor(created.replace(tzinfo=UTC), row_id)
            out[table, "first"] = _median_ms(client, url, headers)
            out[table, "last (cursor)"] = _median_ms(client, f"{url}&after={cursor}", headers)
            last = -(-n // SIZE)
            out[table, "last (page=N)"] = _median_ms(client, f"{url}&page={last}", headers)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    small, large = measure(args.small), measure(args.large)
    for table, _ in LISTS:
        base = small[table, "first"]
        print(f"{table}: first page with {args.small:,} rows {base:.2f} ms")
        for page in ("first", "last (cursor)", "last (page=N)"):
            ms = large[table, page]
            print(f"  {page:>14} page with {args.large:,} rows {ms:.2f} ms = {ms / base:.2f}x")


if __name__ == "__main__":
    main()
