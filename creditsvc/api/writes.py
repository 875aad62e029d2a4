"""Every API write runs in one unit of work; money-moving POSTs are idempotent as well.

`transactional` commits the view's work once when it answers with a success and rolls it back
otherwise. `idempotent` adds the Idempotency-Key contract (services/platform/idempotency.py): the same
key and request replays the first response; the same key with another request is 422; the
same key while the first runs is 409; a refusal is not remembered, so a retry is decided again.
"""

import hashlib
import re
from functools import wraps

from flask import Response, current_app, request

from creditsvc.api.auth import current_principal
from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import db
from creditsvc.services.platform import idempotency
from creditsvc.services.platform.uow import UnitOfWork

KEY_PATTERN = r"^[A-Za-z0-9._:-]{8,128}$"
KEPT_HEADERS = ("Content-Type", "Location")


def transactional(view):
    """Run VIEW in a unit of work that commits when it answers 2xx (or 3xx)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with UnitOfWork(db.session) as uow:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code < 400:
                uow.commit()
            return response

    return wrapper


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.stream.read(1 << 20), b""):
        digest.update(chunk)
    upload.stream.seek(0)  # the view reads the file next
    return digest.hexdigest()


def request_parts() -> dict:
    """What identifies an API request for its key: method, path, query and body as JSON.

    A multipart upload is its form fields and each file's field, name and SHA-256, not its raw
    bytes: a client's retry draws a new boundary, and the same file must match itself.
    """
    if request.mimetype == "multipart/form-data":
        body = {"form": sorted(request.form.items(multi=True)),
                "files": sorted((field, upload.filename or "", _sha256(upload))
                                for field, upload in request.files.items(multi=True))}
    else:
        body = request.get_json(silent=True) if request.get_data() else None
        if body is None and request.get_data():
            body = {"raw": request.get_data().decode("utf-8", "replace")}
    return {"method": request.method, "path": request.path,
            "query": sorted(request.args.items(multi=True)), "body": body}


def _kept(response: Response) -> idempotency.StoredResponse | None:
    """A success as it is stored under its key; a refusal (4xx) is not kept."""
    if response.status_code >= 400:
        return None
    kept = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
    return idempotency.StoredResponse(response.status_code, response.get_data(), kept)


def idempotent(view):
    """Make a POST view idempotent under the caller's Idempotency-Key (required)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key", "")
        if not re.match(KEY_PATTERN, key):
            raise AppError("idempotency_key_required")
        user_id, req_hash = current_principal().user_id, idempotency.request_hash(request_parts())
        with UnitOfWork(db.session) as uow:
            once = idempotency.run_once(
                uow.session, user_id, key, req_hash,
                lambda: current_app.make_response(view(*args, **kwargs)), _kept)
            if once.replayed is not None:
                stored = once.replayed
                return Response(stored.body, status=stored.status,
                                headers={**stored.headers, "Idempotent-Replayed": "true"})
            if once.remembered:
                uow.commit()
            return once.result

    wrapper.idempotent = True  # found by the OpenAPI test: each declares the header
    return wrapper
