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


def accepted(job):
    """202 Accepted with the job and a Location to poll."""
    return job, 202, {"Location": url_for("jobs.JobById", job_id=job.id)}
