"""One error format for the whole API: {status, code, message, errors}."""

import logging

from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# Machine-readable codes for errors raised by Flask, Werkzeug or webargs themselves.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class AppError(Exception):
    """A refusal the client can act on: an HTTP status, a code and a message."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 errors: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.errors = errors
        self.extra = extra or {}


class NotFound(AppError):
    """The object does not exist, or the caller may not know it exists."""

    status = 404
    code = "not_found"


class Conflict(AppError):
    """The request clashes with the current state."""

    status = 409
    code = "conflict"


class Invalid(AppError):
    """The request is well-formed but its values break a rule."""

    status = 422
    code = "validation_error"


class Unauthorized(AppError):
    """No valid credentials."""

    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    """Valid credentials, wrong role."""

    status = 403
    code = "forbidden"


def error_payload(error: HTTPException):
    """The JSON body, status and headers of an HTTP error."""
    status = error.code or 500
    body = {"status": status, "code": HTTP_CODES.get(status, "error"),
            "message": error.description if status != 500 else "internal error"}
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if errors:
        # webargs nests field errors under the location ("json", "query"); keep that shape.
        body["errors"] = errors
        body["message"] = "the request has invalid fields"
    if data.get("message"):
        body["message"] = data["message"]
    headers = dict(data.get("headers") or {})
    if status == 401:
        headers.update(www_authenticate(body["code"]))
    elif status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return body, status, headers


def www_authenticate(code: str) -> dict:
    """The challenge of a 401 (RFC 6750): how to authenticate, and what was wrong."""
    challenge = 'Bearer realm="creditsvc"'
    if code == "invalid_api_key":
        challenge += ', error="invalid_token"'
    return {"WWW-Authenticate": challenge}


def handle_app_error(error: AppError):
    """Render an AppError."""
    body = {"status": error.status, "code": error.code, "message": error.message}
    if error.errors:
        body["errors"] = error.errors
    body.update(error.extra)
    if error.status == 401:
        return body, error.status, www_authenticate(error.code)
    return body, error.status


def handle_operational_error(error: OperationalError):
    """A database that is down or locked is a 503 for the client, not a crash."""
    log.error("database unavailable: %s", type(error.orig).__name__)
    return {"status": 503, "code": "database_unavailable", "message": "database unavailable"}, 503


def handle_integrity_error(error: IntegrityError):
    """A constraint the checks before it missed (usually a race): a conflict, not a crash.

    The unit of work that ran the write has rolled it back already.
    """
    log.warning("integrity error: %s", type(error.orig).__name__)
    return {"status": 409, "code": "conflict",
            "message": "the request conflicts with the current data; retry or check it"}, 409


def handle_unexpected(error: Exception):
    """Anything else is a bug: log the type only (messages may carry personal data)."""
    if isinstance(error, HTTPException):
        return error_payload(error)
    log.exception("unhandled %s", type(error).__name__)
    return {"status": 500, "code": "internal_error", "message": "internal error"}, 500


def register_error_handlers(app) -> None:
    """Attach the handlers to the app."""
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(OperationalError, handle_operational_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(Exception, handle_unexpected)
