"""What the OpenAPI says beyond the views' own decorators: the error format and every error.

Each operation declares the errors it can answer with, each with the one error schema
({status, code, message, errors}), so that a client (or schemathesis) can rely on them.
"""

from http import HTTPStatus

import marshmallow as ma
from apispec import BasePlugin

# On every operation: a malformed request, a missing or bad key, a role without the right,
# invalid fields or query values, and a database that is down.
ALWAYS = (400, 401, 403, 422, 503)
# On an operation with an id in its path, and on every write.
WITH_ID = (404,)
WRITES = (404, 409, 413, 415)

class ErrorSchema(ma.Schema):
    """Every error of the API: an HTTP status, a machine-readable code, a message, field errors."""

    status = ma.fields.Integer(dump_only=True, required=True, metadata={"description": "the HTTP status"})
    code = ma.fields.String(required=True, metadata={"description": "machine-readable, e.g. "
                                                                     "validation_error"})
    message = ma.fields.String(required=True)
    errors = ma.fields.Dict(metadata={"description": "field errors, by location and field"})
    limit = ma.fields.Integer(dump_only=True,
                              metadata={"description": "413: the largest body allowed, bytes"})


class ErrorResponses(BasePlugin):
    """apispec plugin: add the error responses to every operation."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Declare the errors each operation may answer with."""
        has_id = "{" in (path or "")
        for method, operation in (operations or {}).items():
            codes = set(ALWAYS) | (set(WITH_ID) if has_id else set())
            if method.upper() in ("POST", "PUT", "PATCH"):
                codes |= set(WRITES)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code), HTTPStatus(code).name)
