"""Benchmark the papers (PDF): a one-page credit-line notice through its whole route against
WeasyPrint rendering the same HTML alone, and a 公示 list of 1,000 households.

One migrated SQLite database (or PostgreSQL with --pg): a household file with a granted line,
and a campaign in 公示 listing N households (Core inserts). Requests go through the app in
process as a signed-in officer (Flask test client): the route reads the figures, takes the
paper's number and records its audit event in one transaction, renders the template and makes
the PDF. The baseline renders the very HTML the route rendered (captured from the route) with
WeasyPrint alone, in the same process, with the same stylesheet and fonts already loaded
(`HTML(string=...).write_pdf(stylesheets=[css], font_config=fonts)`), alternating with the
route, REPEAT times each; medians and the ratio. Goal: the route at most 2x the baseline. The
list of N households is printed REPEAT_LIST times (median, its pages counted); goal: a few
seconds at 1,000.

Run: python bench/bench_papers.py [--households 1000] [--repeat 15] [--pg]
"""

import argparse
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_pages import sqlite_app  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.papers.render import renderer  # noqa: E402
from models import Campaign, CampaignEntry, CreditLine, Household, Rating  # noqa: E402
from tests.integration.servers import pg_app  # noqa: E402
from tests.pages.people import make_person, sign_in  # noqa: E402

TODAY = date(2026, 12, 1)
REPEAT_LIST = 3


def household(i: int, village: str = "东湖村") -> dict:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return {"id": str(uuid.uuid4()), "town": "渔湖镇", "village": village, "head_name_enc": "x",
            "head_name_masked": "陈*", "id_number_enc": "x", "id_number_hash": f"{i:064d}",
            "id_number_masked": "449900********0013", "head_birth_date": date(1980, 1, 1),
            "head_labour_capable": True, "status": "registered_poor",
            "income_sources": ["planting"], "created_at": start + timedelta(milliseconds=i),
            "updated_at": start}


def rating(household_id: str, officer_id: str, campaign_id: str | None) -> dict:
    return {"id": str(uuid.uuid4()), "household_id": household_id, "campaign_id": campaign_id,
            "requested_amount_fen": 2_000_000, "term_months": 24, "purpose": "planting",
            "decision": "approved", "grade": "AA", "score": 74.0, "pd": 0.03,
            "line_fen": 3_000_000, "policy_version": 1, "model_sha256": "0" * 64,
            "assessment": {}, "rated_by": officer_id, "rated_on": date(2026, 9, 2)}


def build(n: int, officer_id: str) -> tuple[str, str]:
    """A household with a granted line, and a campaign in 公示 of N households; their ids."""
    s = db.session
    lined = household(10_000_000, "西田村")
    r = rating(lined["id"], officer_id, None)
    s.execute(Household.__table__.insert(), [lined])
    s.execute(Rating.__table__.insert(), [r])
    s.execute(CreditLine.__table__.insert(), [{
        "id": str(uuid.uuid4()), "household_id": lined["id"], "rating_id": r["id"],
        "grade": "AA", "line_fen": 3_000_000, "valid_from": date(2026, 9, 13),
        "valid_until": date(2028, 9, 12), "status": "active", "policy_version": 1,
        "model_sha256": "0" * 64, "granted_by": officer_id, "granted_on": date(2026, 9, 13)}])
    campaign = {"id": str(uuid.uuid4()), "number": "PJ-2026-000001", "town": "渔湖镇",
                "village": "东湖村", "status": "notice", "opened_by": officer_id,
                "opened_on": date(2026, 11, 1), "rated_on": date(2026, 11, 2),
                "notice_from": date(2026, 11, 25), "notice_until": date(2026, 12, 2),
                "policy_version": 1, "model_sha256": "0" * 64}
    s.execute(Campaign.__table__.insert(), [campaign])
    homes = [household(i) for i in range(n)]
    ratings = [rating(h["id"], officer_id, campaign["id"]) for h in homes]
    s.execute(Household.__table__.insert(), homes)
    s.execute(Rating.__table__.insert(), ratings)
    s.execute(CampaignEntry.__table__.insert(), [
        {"id": str(uuid.uuid4()), "campaign_id": campaign["id"], "household_id": h["id"],
         "rating_id": r["id"], "committee_view": "agree", "proposed_line_fen": 3_000_000}
        for h, r in zip(homes, ratings, strict=True)])
    s.commit()
    return lined["id"], campaign["id"]


def pages_of(data: bytes) -> int:
    """The PDF's page count (poppler's pdfinfo)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else 0


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def run(opened, households: int, repeat: int) -> None:
    from weasyprint import HTML

    with opened() as (app, _):
        app.config["BUSINESS_DATE"] = TODAY
        with app.app_context():
            officer = make_person("bench-officer")
            lined, campaign_id = build(households, officer.user_id)
            db.session.close()
            client = app.test_client()
            sign_in(client, officer)
            paper = renderer(Path(app.static_folder))
            seen = []
            original = paper.pdf
            paper.pdf = lambda html: (seen.append(html), original(html))[1]

            def route(path):
                response = client.get(path)
                assert response.status_code == 200 and response.data.startswith(b"%PDF"), \
                    response.status_code
                return response

            notice = f"/papers/households/{lined}/credit-line-notice"
            route(notice)  # warm: fonts and stylesheet loaded, templates compiled
            html = seen[-1]

            def bare():
                return HTML(string=html, base_url=paper.static_root.as_uri() + "/",
                            url_fetcher=paper.fetcher).write_pdf(stylesheets=[paper.css],
                                                                  font_config=paper.fonts)

            bare()
            route_s, bare_s = [], []
            for _ in range(repeat):
                route_s.append(timed(lambda: route(notice)))
                bare_s.append(timed(bare))
            r, b = statistics.median(route_s), statistics.median(bare_s)
            print(f"one-page notice, median of {repeat}: route {r * 1000:.0f} ms, WeasyPrint "
                  f"alone {b * 1000:.0f} ms: {r / b:.2f}x (goal <= 2x)", flush=True)

            listing = f"/papers/campaigns/{campaign_id}/notice"
            times, pages = [], 0
            for _ in range(REPEAT_LIST):
                started = time.perf_counter()
                data = route(listing).data
                times.append(time.perf_counter() - started)
                pages = pages_of(data)
            list_html = seen[-1]
            bare_list = timed(lambda: HTML(string=list_html, base_url=paper.static_root.as_uri()
                                           + "/", url_fetcher=paper.fetcher).write_pdf(
                stylesheets=[paper.css], font_config=paper.fonts))
            print(f"公示 list of {households:,} households ({pages} pages), median of "
                  f"{REPEAT_LIST}: route {statistics.median(times):.2f} s, WeasyPrint alone "
                  f"{bare_list:.2f} s (goal: a few seconds)", flush=True)
            paper.pdf = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    run(pg_app if args.pg else sqlite_app, args.households, args.repeat)


if __name__ == "__main__":
    main()
