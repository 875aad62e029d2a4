"""/metrics under gunicorn -w 2: whichever worker answers, the scrape sums both workers' counts."""

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.integration.servers import gunicorn, pg_app, worker_pids
from tests.today import TODAY

BATCH, MOST = 20, 400  # requests sent 8 at a time until both workers have answered some


def _readyz_count(body: str) -> float:
    match = re.search(r'creditsvc_http_requests_total\{method="GET",route="/readyz",status="200"\} (\S+)',
                      body)
    return float(match.group(1)) if match else 0.0


@pytest.mark.postgres
def test_a_scrape_sums_every_worker(tmp_path):
    with pg_app() as (app, url):
        with gunicorn(url, workers=2, log_to=tmp_path / "server.log",
                      CREDITSVC_PII_KEY=app.config["PII_KEY"],
                      CREDITSVC_TODAY=TODAY.isoformat()) as (base, master):
            assert len(worker_pids(master.pid)) == 2
            before = _readyz_count(requests.get(f"{base}/metrics", timeout=30).text)

            def ready(_):  # a new connection each time, several at once: both workers take some
                return requests.get(f"{base}/readyz", timeout=30,
                                    headers={"Connection": "close"}).status_code

            sent, served_by = 0, set()
            with ThreadPoolExecutor(8) as pool:
                while len(served_by) < 2 and sent < MOST:
                    assert set(pool.map(ready, range(BATCH))) == {200}
                    sent += BATCH
                    lines = [json.loads(line) for line in
                             (tmp_path / "server.log").read_text().splitlines()]
                    served_by = {line["process"] for line in lines if line.get("route") == "/readyz"}
            scrapes = [_readyz_count(requests.get(f"{base}/metrics", timeout=30,
                                                  headers={"Connection": "close"}).text)
                       for _ in range(6)]
    assert all(total == before + sent for total in scrapes), (before, sent, scrapes)
    assert len(served_by) == 2, "both workers answered requests"
