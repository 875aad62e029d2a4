"""One error format for the whole API: {status, code, message, errors}.

The API's `message` is the catalogue's English whatever the request's locale: API clients act
on `code`, and one language keeps the message stable for them and for the logs.
"""

import logging

from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from creditsvc.core import refusals

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
    """A refusal the client can act on: a catalogue code, its parameters, the fields it concerns.

    The HTTP status is the class's. The text is the catalogue's (core/refusals): `message` is
    the English the API returns, `text()` the page's language. FIELDS are the inputs the
    refusal is about (the page marks them, the API lists them under `errors`); ERRORS are
    per-field messages of their own (a `Said`, or a rule's text), kept as they are.
    """

    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, /, *, fields: tuple[str, ...] = (),
                 errors: dict | None = None, extra: dict | None = None, **params):
        self.code = code or type(self).code
        self.params, self.fields, self.details = params, tuple(fields), errors
        self.extra = extra or {}
        super().__init__(self.code)

    @property
    def message(self) -> str:
        """The refusal in English: the API's `message`."""
        return refusals.english(self.code, self.params)

    def text(self) -> str:
        """The refusal in the current locale: what a page shows."""
        return refusals.text(self.code, self.params)

    @property
    def errors(self) -> dict | None:
        """The API's field errors: each field concerned with the message, then the details."""
        if not self.fields and not self.details:
            return None
        return {**{name: [self.message] for name in self.fields}, **(self.details or {})}

    def __str__(self) -> str:
        return self.message


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


class TooLarge(AppError):
    """A body or a file over its limit."""

    status = 413
    code = "payload_too_large"


class UnsupportedMedia(AppError):
    """A body in a format the route does not read."""

    status = 415
    code = "unsupported_media_type"


class Unavailable(AppError):
    """Something the service needs is not there yet (a champion model)."""

    status = 503
    code = "unavailable"


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
    return {"status": 503, "code": "database_unavailable",
            "message": refusals.english("database_unavailable")}, 503


def handle_integrity_error(error: IntegrityError):
    """A constraint the checks before it missed (usually a race): a conflict, not a crash.

    The unit of work that ran the write has rolled it back already.
    """
    log.warning("integrity error: %s", type(error.orig).__name__)
    return {"status": 409, "code": "conflict", "message": refusals.english("conflict")}, 409


def handle_unexpected(error: Exception):
    """Anything else is a bug: log the type only (messages may carry personal data)."""
    if isinstance(error, HTTPException):
        return error_payload(error)
    log.exception("unhandled %s", type(error).__name__)
    return {"status": 500, "code": "internal_error", "message": refusals.english("internal_error")}, 500


def register_error_handlers(app) -> None:
    """Attach the handlers to the app."""
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(OperationalError, handle_operational_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(Exception, handle_unexpected)
