"""Error pages for the pages (403, 404, 500 and the rest); the API keeps its JSON errors.

The app's error handlers are registered once for both: a page request gets an HTML page in
the user's language, anything under /api/ the JSON payload it always had.
"""

import logging

from flask import render_template
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from creditsvc.core import errors as api_errors
from creditsvc.core import refusals
from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import api, db
from creditsvc.pages.sessions import is_page_request
from creditsvc.services.platform.uow import UnitOfWork

log = logging.getLogger(__name__)


def render_error(status: int, code: str | None = None, params: dict | None = None):
    """The error page for STATUS (a 4xx the user can act on, or 500), with the refusal's words."""
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/error.html"
    message = refusals.text(code, params) if code in refusals.CATALOGUE else None
    try:
        return render_template(template, status=status, code=code, message=message), status
    except Exception:  # noqa: BLE001 - the error page itself failed: answer in plain words
        log.exception("error page %s failed", status)
        return f"{status}: 出错了 / error", status, {"Content-Type": "text/plain; charset=utf-8"}


def _on_app_error(error: AppError):
    if not is_page_request():
        return api_errors.handle_app_error(error)
    return render_error(error.status, error.code, getattr(error, "params", None))


def _on_http_error(error: HTTPException):
    if not is_page_request():
        return api.handle_http_exception(error)
    return render_error(error.code or 500, api_errors.HTTP_CODES.get(error.code or 500))


def _on_operational_error(error: OperationalError):
    if not is_page_request():
        return api_errors.handle_operational_error(error)
    UnitOfWork(db.session).rollback()
    log.error("database unavailable: %s", type(error.orig).__name__)
    return render_error(503, "database_unavailable")


def _on_integrity_error(error: IntegrityError):
    if not is_page_request():
        return api_errors.handle_integrity_error(error)
    UnitOfWork(db.session).rollback()
    log.warning("integrity error: %s", type(error.orig).__name__)
    return render_error(409, "conflict")


def _on_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _on_http_error(error)
    if not is_page_request():
        return api_errors.handle_unexpected(error)
    UnitOfWork(db.session).rollback()
    log.exception("unhandled %s", type(error).__name__)
    return render_error(500, "internal_error")


def register_page_errors(app) -> None:
    """Answer errors with a page on page requests (replacing the API-only handlers)."""
    app.register_error_handler(AppError, _on_app_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(OperationalError, _on_operational_error)
    app.register_error_handler(IntegrityError, _on_integrity_error)
    app.register_error_handler(Exception, _on_unexpected)
