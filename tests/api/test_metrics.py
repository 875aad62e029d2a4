"""/metrics: requests by route and the books' figures, for configured addresses or the token."""

import re

from sqlalchemy import text

from tests.api.test_applications import household, submit
from tests.factories import HouseholdFactory


def _sample(body: str, name: str, **labels) -> float | None:
    """The value of NAME with exactly LABELS in a Prometheus text exposition, or None."""
    for line in body.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if found == {k: str(v) for k, v in labels.items()}:
            return float(match.group(3))
    return None


def test_metrics_count_requests_by_route_and_read_the_books(client, officer, session):
    for _ in range(3):
        client.get("/healthz")
    created = client.post("/api/v1/households", json=HouseholdFactory(), headers=officer)
    assert created.status_code == 201
    session.execute(text("UPDATE fund SET capital_fen = 50000000, balance_fen = 12345678"))
    session.commit()
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert _sample(body, "creditsvc_http_requests_total", method="GET", route="/healthz",
                   status="200") >= 3
    assert _sample(body, "creditsvc_http_requests_total", method="POST",
                   route="/api/v1/households", status="201") >= 1
    assert _sample(body, "creditsvc_http_request_duration_seconds_count", method="POST",
                   route="/api/v1/households") >= 1
    assert _sample(body, "creditsvc_fund_balance_fen") == 12_345_678
    assert _sample(body, "creditsvc_jobs_queued") == 0
    assert _sample(body, "creditsvc_leverage_use_ratio") == 0
    assert "陈建国" not in body and created.get_json()["id"] not in body


def test_metrics_count_decisions_from_the_books(client, officer, session):
    answer = submit(client, officer, "metrics-1", household_id=household(client, officer))
    assert answer.status_code == 201, answer.get_json()
    decision = answer.get_json()["decision"]
    scraped = client.get("/metrics").get_data(as_text=True)
    assert _sample(scraped, "creditsvc_decisions_total", decision=decision) == 1


def test_metrics_refuse_other_addresses_unless_they_bring_the_token(client, app):
    elsewhere = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.get("/metrics", environ_base=elsewhere).status_code == 403
    app.config["METRICS_TOKEN"] = "s3cret-token-for-prometheus"
    assert client.get("/metrics", environ_base=elsewhere,
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", environ_base=elsewhere,
                      headers={"Authorization": "Bearer s3cret-token-for-prometheus"}).status_code == 200
    app.config["METRICS_ALLOW"] = ("10.0.0.0/8",)
    assert client.get("/metrics", environ_base=elsewhere).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.168.1.9"}).status_code == 403
