"""creditsvc: credit assessment and guarantee fund for a poverty-alleviation microcredit programme."""

import logging

from flask import Flask, g

from creditsvc.api import auth, register_api
from creditsvc.api.body import register_request_checks
from creditsvc.api.headers import register_headers
from creditsvc.cli import register_commands
from creditsvc.core.errors import register_error_handlers
from creditsvc.core.pii import PiiCipher
from creditsvc.infra import clock
from creditsvc.infra.db import CONNECT_TIMEOUT_SECONDS, IDLE_PING_SECONDS, configure_engine
from creditsvc.infra.extensions import api, db, migrate
from creditsvc.infra.jsoncodec import OrjsonProvider, column_dumps
from creditsvc.infra.logs import register_request_log
from creditsvc.infra.metrics import register_metrics
from creditsvc.infra.settings import load_config, validate_config
from creditsvc.pages import register_pages

API_SETTINGS = {
    "API_TITLE": "creditsvc",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/swagger-ui/",
    "API_SPEC_OPTIONS": {
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "info": {"description": "Poverty-alleviation microcredit: household files, credit "
                                "assessment, bank approvals and the guarantee fund."},
    },
}


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, API, pages, error handlers and commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = OrjsonProvider(app)
    app.config.update(API_SETTINGS)
    # Idle connections are pinged before use (configure_engine), not every checkout.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"json_serializer": column_dumps}
    app.config.update(config if config is not None else load_config(app.instance_path))
    validate_config(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # A database host that does not answer fails a connection in seconds, not minutes.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault(
            "connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config.get("DB_IDLE_PING_SECONDS", IDLE_PING_SECONDS))
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", _migrations_dir()),
                     render_as_batch=True, compare_type=True)
    api.init_app(app)
    register_api(app, api)
    register_error_handlers(app)
    register_pages(app)
    register_commands(app)
    app.extensions["creditsvc.core.pii"] = PiiCipher(app.config["PII_KEY"],
                                                     app.config.get("PII_OLD_KEYS", ()))
    app.before_request(auth.assign_request_id)
    register_request_log(app)
    register_metrics(app)
    app.before_request(auth.authenticate)
    register_request_checks(app)
    app.after_request(_request_id_header)
    register_headers(app)
    app.after_request(clock.override_header)
    logging.getLogger("creditsvc").setLevel(app.config.get("LOG_LEVEL", "INFO"))
    return app


def _request_id_header(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")
