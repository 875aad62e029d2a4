"""/metrics under gunicorn -w 2: whichever worker answers, the scrape sums both workers' counts."""

import json
import re

import pytest
import requests

from tests.integration.servers import gunicorn, pg_app, worker_pids
from tests.today import TODAY

REQUESTS = 60


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
            for _ in range(REQUESTS):  # a new connection each time: both workers take some
                answer = requests.get(f"{base}/readyz", timeout=30, headers={"Connection": "close"})
                assert answer.status_code == 200
            lines = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines()]
            served_by = {line["process"] for line in lines if line.get("route") == "/readyz"}
            scrapes = [_readyz_count(requests.get(f"{base}/metrics", timeout=30,
                                                  headers={"Connection": "close"}).text)
                       for _ in range(6)]
    assert all(total == before + REQUESTS for total in scrapes), (before, scrapes)
    assert len(served_by) == 2, "both workers answered requests"
