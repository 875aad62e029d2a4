"""File uploads that start a job: an optional Idempotency-Key, and reading the uploaded file.

An upload makes a job, it moves no money, so the key is optional: without one the upload
runs in one unit of work like any write; with one, a retry of the same upload (the same
file and form fields, whatever multipart boundary the client draws) answers with the first
job (202, Idempotent-Replayed) instead of queueing a second.
"""

from copy import deepcopy
from functools import wraps

from flask import request, url_for
from flask_smorest.utils import deepupdate

from creditsvc.api.blueprint import IDEMPOTENT
from creditsvc.api.writes import idempotent, transactional
from creditsvc.core.errors import AppError, Invalid

OPTIONAL_KEY = deepcopy(IDEMPOTENT)
OPTIONAL_KEY["parameters"][0].update(
    required=False, description="optional: a retry of the same upload (same file and fields) "
    "under the same key answers with the first job (202, Idempotent-Replayed: true) instead "
    "of queueing another; " + IDEMPOTENT["parameters"][0]["description"])


def idempotent_if_keyed(view):
    """Idempotent under the Idempotency-Key when one is sent; one unit of work otherwise."""
    keyed, plain = idempotent(view), transactional(view)

    @wraps(view)
    def wrapper(*args, **kwargs):
        return (keyed if "Idempotency-Key" in request.headers else plain)(*args, **kwargs)

    doc = dict(getattr(wrapper, "_apidoc", {}))
    doc["manual_doc"] = deepupdate(deepcopy(doc.get("manual_doc", {})), OPTIONAL_KEY)
    wrapper._apidoc = doc
    wrapper.idempotent = True  # the OpenAPI test: the header is declared
    return wrapper


def read_upload(upload, extensions: tuple[str, ...], limit: int, *, default: str,
                code: str) -> tuple[str, bytes]:
    """The uploaded file's base name and bytes: one of EXTENSIONS, at most LIMIT bytes."""
    name = (upload.filename or default).rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(extensions):
        kinds = " 或 ".join(e.lstrip(".").upper() for e in extensions)
        raise Invalid(f"上传 {kinds} 文件 / send a {' or '.join(extensions)} file", code=code,
                      errors={"file": [f"a {' or '.join(extensions)} file"]})
    body = upload.read(limit + 1)
    if len(body) > limit:
        raise AppError(f"the file is larger than {limit // (1024 * 1024)} MiB",
                       code="payload_too_large", status=413)
    return name, body


def accepted(job):
    """202 Accepted with the job and a Location to poll."""
    return job, 202, {"Location": url_for("jobs.JobById", job_id=job.id)}
