"""Business dates are dates in the county's time zone, whatever the server's own clock says."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.infra.settings import ConfigError, load_config
from models import Application
from tests.api.test_applications import household, submit

# 07:30 on New Year's Day in the county is still 23:30 on New Year's Eve in UTC.
COUNTY_MORNING = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)


@pytest.fixture
def county_morning(app, monkeypatch):
    """The real clock, not the suite's business date, stopped at COUNTY_MORNING."""
    monkeypatch.setitem(app.config, "BUSINESS_DATE", None)
    monkeypatch.setattr(clock, "utcnow", lambda: COUNTY_MORNING)


def test_today_is_the_countys_date(app, county_morning):
    assert clock.today() == date(2026, 1, 1)
    assert clock.start_of(date(2026, 1, 1)) == datetime(2025, 12, 31, 16, 0, tzinfo=UTC)
    app.config["TIMEZONE"] = "UTC"
    assert clock.today() == date(2025, 12, 31)


def test_a_date_that_is_today_in_the_county_is_not_in_the_future(client, officer, county_morning):
    hid = household(client, officer)
    url = f"/api/v1/households/{hid}/monitoring-events"
    ok = client.post(url, json={"kind": "disaster", "occurred_on": "2026-01-01"}, headers=officer)
    assert ok.status_code == 201, ok.get_json()
    late = client.post(url, json={"kind": "disaster", "occurred_on": "2026-01-02"}, headers=officer)
    assert late.status_code == 422
    assert late.get_json()["errors"]["json"]["occurred_on"] == ["date is in the future"]


def test_applications_are_dated_and_listed_by_the_countys_day(client, officer, county_morning):
    hid = household(client, officer)
    created = submit(client, officer, "submit-newyear", household_id=hid)
    assert created.status_code == 201, created.get_json()
    request = created.get_json()["assessment"]["input"]["request"]
    assert request["application_date"] == "2026-01-01"
    # Stamped, as the server's clock would have it, at 23:30 UTC on New Year's Eve.
    db.session.execute(update(Application).where(Application.id == created.get_json()["id"])
                       .values(created_at=COUNTY_MORNING))
    db.session.commit()

    def listed(**query):
        got = client.get("/api/v1/applications", query_string=query, headers=officer)
        return [a["id"] for a in got.get_json()]

    assert listed(submitted_from="2026-01-01", submitted_to="2026-01-01") == [created.get_json()["id"]]
    assert listed(submitted_to="2025-12-31") == []


def test_an_unknown_time_zone_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("CREDITSVC_TIMEZONE", "Asia/Atlantis")
    with pytest.raises(ConfigError, match="CREDITSVC_TIMEZONE: unknown time zone 'Asia/Atlantis'"):
        load_config(str(tmp_path))
    monkeypatch.setenv("CREDITSVC_TIMEZONE", "Asia/Urumqi")
    assert load_config(str(tmp_path))["TIMEZONE"] == "Asia/Urumqi"


def test_a_business_date_override_moves_today_and_says_so(app, client, monkeypatch, tmp_path,
                                                           county_morning):
    monkeypatch.setenv("CREDITSVC_TODAY", "2027-03-01")
    assert load_config(str(tmp_path))["BUSINESS_DATE"] == "2027-03-01"
    assert clock.today() == date(2026, 1, 1)
    assert "X-Business-Date-Override" not in client.get("/healthz").headers
    app.config["BUSINESS_DATE"] = "2027-03-01"
    assert clock.today() == date(2027, 3, 1)
    assert client.get("/healthz").headers["X-Business-Date-Override"] == "2027-03-01"
    app.config["BUSINESS_DATE"] = None
    assert clock.today() == date(2026, 1, 1)


@pytest.mark.parametrize("value", ["2027-02-30", "tomorrow", "1899-12-31", "9999-12-31"])
def test_a_business_date_that_is_not_a_date_stops_the_start(monkeypatch, tmp_path, value):
    monkeypatch.setenv("CREDITSVC_TODAY", value)
    with pytest.raises(ConfigError, match="CREDITSVC_TODAY"):
        load_config(str(tmp_path))


def test_production_refuses_a_business_date_override(monkeypatch, tmp_path, database_url):
    from creditsvc import create_app
    from tests.conftest import make_config

    monkeypatch.setenv("CREDITSVC_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("CREDITSVC_PII_KEY", "p" * 43)
    monkeypatch.setenv("CREDITSVC_TODAY", "2027-03-01")
    with pytest.raises(ConfigError, match="refused when CREDITSVC_ENV=production"):
        load_config(str(tmp_path))
    with pytest.raises(ConfigError, match="refused when CREDITSVC_ENV=production"):
        create_app(make_config(database_url, ENV="production", BUSINESS_DATE="2027-03-01"))
