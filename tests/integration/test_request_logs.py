"""The served app's log lines: JSON, one per request with its id, and no personal data at all.

gunicorn serves the app as in production (gunicorn.conf.py, wsgi.py's logging); a household's
name, ID number and phone go in through the API (created, searched for, refused, revealed) and
a page user signs in; then every line the server wrote is read.
"""

import json

import pytest
import requests

from creditsvc.infra.extensions import db
from creditsvc.services.access import users
from tests.conftest import ACTOR
from tests.factories import HouseholdFactory
from tests.integration.servers import gunicorn, pg_app
from tests.today import TODAY
from tests.work import done

HOUSEHOLDS = "/api/v1/households"


@pytest.mark.postgres
def test_each_request_gives_one_json_line_and_no_personal_data(tmp_path):
    log_path = tmp_path / "server.log"
    with pg_app() as (app, url):
        with app.app_context():
            user, key = done(db.session, users.create_user, ACTOR, "log-officer", "officer")
            user_id = user.id
            db.session.remove()
        with gunicorn(url, workers=2, log_to=log_path, CREDITSVC_PII_KEY=app.config["PII_KEY"],
                      CREDITSVC_TODAY=TODAY.isoformat()) as (base, _):
            secrets_sent = _send_personal_data(base, key)
    lines = log_path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    requests_logged = [r for r in records if r["logger"] == "creditsvc.request"]
    traced = [r for r in records if r.get("request_id") == "trace-me-1"]
    assert len(traced) == 1, "one line per request"
    created = traced[0]
    assert (created["method"], created["status"]) == ("POST", 201)
    assert created["route"] == HOUSEHOLDS
    assert created["request_id"] == "trace-me-1"
    assert created["user_id"] == user_id and created["role"] == "officer"
    assert created["duration_ms"] >= 0 and created["time"] and created["level"] == "INFO"
    reveal = f"{HOUSEHOLDS}/<string(maxlength=36):household_id>/reveal"
    assert {r["route"] for r in requests_logged} >= {reveal, "/readyz"}
    assert any(r["logger"].startswith("gunicorn") for r in records), "gunicorn's own lines too"
    text = log_path.read_text(encoding="utf-8")
    for secret in secrets_sent:
        assert secret not in text, "personal data reached a log line"


def _send_personal_data(base: str, key: str) -> list[str]:
    """Create, search, refuse and reveal one household's data; the values to look for."""
    body = HouseholdFactory()
    auth = {"Authorization": f"Bearer {key}"}
    created = requests.post(f"{base}{HOUSEHOLDS}", json=body, timeout=30,
                            headers={**auth, "X-Request-ID": "trace-me-1"})
    assert created.status_code == 201, created.text
    household = created.json()["id"]
    for query in ({"id_number": body["id_number"]}, {"phone": body["phone"]},
                  {"name": body["head_name"]}):
        requests.get(f"{base}{HOUSEHOLDS}", params=query, headers=auth, timeout=30)
    # Refused: the same ID number again, and a phone that is not one (echoed back in errors?).
    requests.post(f"{base}{HOUSEHOLDS}", json=body, headers=auth, timeout=30)
    requests.post(f"{base}{HOUSEHOLDS}", json={**body, "phone": "13x" + body["phone"][3:]},
                  headers=auth, timeout=30)
    reveal = requests.post(f"{base}{HOUSEHOLDS}/{household}/reveal", headers=auth, timeout=30,
                           json={"reason": "home visit to sign the contract"})
    assert reveal.status_code == 200
    requests.post(f"{base}/login", data={"username": "log-officer", "password": "not-it-" + key},
                  timeout=30)
    return [body["head_name"], body["id_number"], body["phone"], key]
