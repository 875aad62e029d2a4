"""The app factory and its configuration: no secret defaults, production fails fast."""

import stat
import time

import pytest

from creditsvc import create_app
from creditsvc.infra.extensions import db
from creditsvc.infra.settings import ConfigError, load_config, normalise_database_url
from tests.conftest import make_config


def test_factory_takes_config(database_url):
    app = create_app(make_config(database_url, LOG_LEVEL="WARNING"))
    assert app.config["TESTING"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url


@pytest.mark.parametrize("missing", ["SECRET_KEY", "PII_KEY", "SQLALCHEMY_DATABASE_URI"])
def test_factory_refuses_a_missing_secret(database_url, missing):
    config = make_config(database_url)
    del config[missing]
    with pytest.raises(ConfigError, match=missing):
        create_app(config)


def test_production_refuses_to_start_without_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("CREDITSVC_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@127.0.0.1/db")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CREDITSVC_PII_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    with pytest.raises(ConfigError, match="CREDITSVC_PII_KEY"):
        load_config(str(tmp_path))
    assert not list(tmp_path.iterdir()), "production must not generate keys"


def test_production_needs_a_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("CREDITSVC_ENV", "production")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_config(str(tmp_path))


def test_development_generates_private_keys_once(monkeypatch, tmp_path):
    for name in ("CREDITSVC_ENV", "SECRET_KEY", "CREDITSVC_PII_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    first = load_config(str(tmp_path))
    second = load_config(str(tmp_path))
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 40
    assert first["PII_KEY"] != first["SECRET_KEY"]
    assert stat.S_IMODE((tmp_path / "pii_key").stat().st_mode) == 0o600
    assert first["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    other = tmp_path / "other"
    assert load_config(str(other))["SECRET_KEY"] != first["SECRET_KEY"], "keys are random"


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_healthz_and_readyz_answer_when_the_database_does(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok"}


def test_readyz_reports_an_unreachable_database_and_healthz_stays_alive(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path}/missing/dir/x.sqlite3"))
    client = app.test_client()
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()["code"]) == (503, "database_unavailable")
    assert client.get("/healthz").status_code == 200, "the process is alive without its database"


def test_readyz_does_not_queue_behind_a_sqlite_writer(tmp_path):
    """A writer holding SQLite's lock does not make the probe wait its busy timeout."""
    app = create_app(make_config(f"sqlite:///{tmp_path}/busy.sqlite3"))
    with app.app_context():
        with db.engine.connect() as writer:
            writer.exec_driver_sql("CREATE TABLE held (x INTEGER)")
            writer.exec_driver_sql("INSERT INTO held VALUES (1)")  # BEGIN IMMEDIATE: lock held
            started = time.monotonic()
            assert app.test_client().get("/readyz").status_code == 200
            assert time.monotonic() - started < 2


def test_openapi_and_docs_are_public_and_offline(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/households" in spec.get_json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.get_data(as_text=True)
    assert "/api/v1/swagger-ui/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    asset = client.get("/api/v1/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()


def test_unknown_route_is_a_json_404(client, officer):
    response = client.get("/api/v1/nothing-here", headers=officer)
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_request_id_is_echoed(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert len(client.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]) == 32


def test_timing_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DB_IDLE_PING_SECONDS", "0.5")
    config = load_config(str(tmp_path))
    assert config["DB_IDLE_PING_SECONDS"] == 0.5
    monkeypatch.setenv("DB_IDLE_PING_SECONDS", "soon")
    with pytest.raises(ConfigError, match="DB_IDLE_PING_SECONDS"):
        load_config(str(tmp_path))


@pytest.mark.parametrize("hours, ok", [("48", 48.0), ("0.5", 0.5), ("0", None), ("721", None),
                                       ("a day", None)])
def test_held_hours_come_from_the_environment(monkeypatch, tmp_path, hours, ok):
    monkeypatch.setenv("JOBS_HELD_HOURS", hours)
    if ok is None:
        with pytest.raises(ConfigError, match="JOBS_HELD_HOURS"):
            load_config(str(tmp_path))
    else:
        assert load_config(str(tmp_path))["JOBS_HELD_HOURS"] == ok


@pytest.mark.parametrize("rows, ok", [("20000", 20000), ("1", 1), ("0", None), ("2.5", None),
                                      ("many", None)])
def test_the_export_job_threshold_comes_from_the_environment(monkeypatch, tmp_path, rows, ok):
    monkeypatch.setenv("EXPORT_JOB_ROWS", rows)
    if ok is None:
        with pytest.raises(ConfigError, match="EXPORT_JOB_ROWS"):
            load_config(str(tmp_path))
    else:
        assert load_config(str(tmp_path))["EXPORT_JOB_ROWS"] == ok


def test_no_cookie_session_is_opened_or_set_for_the_api(app, client):
    from flask import session

    assert "Set-Cookie" not in client.get("/healthz").headers
    assert "Set-Cookie" not in client.get("/api/v1/households").headers
    with app.test_request_context("/api/v1/households"), pytest.raises(RuntimeError):
        session["user"] = "x"  # a NullSession: nothing can be stored in a cookie
    # The pages keep the signed-in user in a signed, HttpOnly, SameSite cookie.
    cookie = client.get("/login").headers["Set-Cookie"]
    assert cookie.startswith("creditsvc_session=") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_readyz_reports_a_postgresql_that_does_not_answer():
    """Nothing listens on port 1: refused at once, 503, and the process still lives."""
    app = create_app(make_config("postgresql+psycopg://postgres@127.0.0.1:1/creditsvc"))
    client = app.test_client()
    started = time.monotonic()
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()["code"]) == (503, "database_unavailable")
    assert time.monotonic() - started < 6
    assert client.get("/healthz").status_code == 200
