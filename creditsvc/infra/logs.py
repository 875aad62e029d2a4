"""Logs an operator reads: one JSON object per line, on standard error.

The service's own lines, gunicorn's and SQLAlchemy's all go through the root logger with one
formatter (python-json-logger's, with orjson: 40% less time a line than its json module). Each
request gives one line (`creditsvc.request`): the request id, user, role, method, route
pattern, status and duration. The route is the pattern
(`/api/v1/households/<household_id>`), never the path or query string, so a search term
(a name, an ID number) never reaches a log. Nothing in the service logs a request's body.
"""

import logging
import time

from flask import Flask, g, request
from pythonjsonlogger.orjson import OrjsonFormatter

REQUEST_LOG = logging.getLogger("creditsvc.request")
FIELDS = ("asctime", "levelname", "name", "process", "message")
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


class ServiceJsonFormatter(OrjsonFormatter):
    """The one format: time (ISO 8601, UTC), level, logger, process id, message, extra fields.

    Takes and ignores a logging config's format arguments, so that a `fileConfig` (Alembic's
    `migrations/alembic.ini`) can name it as its formatter class.
    """

    converter = time.gmtime

    def __init__(self, *_args, **_kwargs):
        super().__init__(" ".join(f"%({field})s" for field in FIELDS), rename_fields=RENAMED,
                         datefmt="%Y-%m-%dT%H:%M:%S%z")


def json_formatter() -> logging.Formatter:
    """A formatter of the one format (gunicorn's logconfig_dict makes its own through this)."""
    return ServiceJsonFormatter()


def configure_logging(level: str = "INFO") -> None:
    """Send every logger's lines to standard error as JSON (idempotent)."""
    root = logging.getLogger()
    # Under gunicorn its logconfig_dict (gunicorn_logconfig) has set the root's handler already.
    if not any(isinstance(h.formatter, ServiceJsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(json_formatter())
        root.addHandler(handler)
    root.setLevel(level)
    # SQLAlchemy's engine logs statements (and their parameters) at INFO: keep it at WARNING
    # whatever the level, so no bound value (an encrypted name, a hash) is ever written.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


def gunicorn_logconfig(level: str = "INFO") -> dict:
    """gunicorn's `logconfig_dict`: its error and access lines in the same JSON format."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "creditsvc.infra.logs.json_formatter"}},
        "handlers": {"stderr": handler},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            # The service writes its own request line; gunicorn's access line would repeat it.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
            "sqlalchemy.engine": {"level": "WARNING"},
        },
    }


def register_request_log(app: Flask) -> None:
    """Time each request and write its one line when the response is ready."""
    app.before_request(_start_clock)
    app.after_request(_log_request)


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    user_id, role = _caller()
    REQUEST_LOG.info("request", extra={
        "request_id": g.get("request_id"),
        "user_id": user_id,
        "role": role,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
    })
    return response


def _caller() -> tuple[str | None, str | None]:
    """(user id, role) of an API key's holder or a signed-in page user; (None, None) if anonymous."""
    principal = g.get("principal")
    if principal is not None:
        return principal.user_id, principal.role
    user = g.get("_login_user")  # Flask-Login's user of this request, once loaded
    if user is not None and getattr(user, "is_authenticated", False):
        return user.principal.user_id, user.principal.role
    return None, None
