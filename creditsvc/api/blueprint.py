"""The service's Blueprint: flask-smorest's, with the body parser and bounded pages."""

from copy import deepcopy
from functools import wraps

import flask_smorest
from flask_smorest.utils import deepupdate

from creditsvc.api.body import JsonBodyParser
from creditsvc.api.writes import KEY_PATTERN
from creditsvc.core.errors import Invalid
from creditsvc.core.refusals import said

# 200 items a page over 200,000 pages is more than the programme will ever hold; a larger
# page number would only overflow the database's OFFSET.
MAX_PAGE = 200_000
# The header every idempotent POST requires (see documents_idempotency_key).
IDEMPOTENT = {"parameters": [{
    "in": "header", "name": "Idempotency-Key", "required": True,
    "schema": {"type": "string", "pattern": KEY_PATTERN},
    "description": "same key and body: the first response again (Idempotent-Replayed: true); "
                   "same key, other body: 422 idempotency_key_reused; same key while the "
                   "first runs: 409 idempotency_in_progress; a refusal is not remembered, "
                   "so a retry is decided again"}]}


def documents_idempotency_key(fn):
    """Declare the Idempotency-Key header in the OpenAPI of FN, without wrapping it."""
    doc = dict(getattr(fn, "_apidoc", {}))
    doc["manual_doc"] = deepupdate(deepcopy(doc.get("manual_doc", {})), IDEMPOTENT)
    fn._apidoc = doc
    return fn


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest Blueprint whose bodies go through JsonBodyParser."""

    ARGUMENTS_PARSER = JsonBodyParser()

    def paginate(self, *args, **kwargs):
        """flask-smorest's paginate, refusing a page number past MAX_PAGE with a 422."""
        paginated = super().paginate(*args, **kwargs)

        def decorator(func):
            @wraps(func)
            def bounded(*a, pagination_parameters, **kw):
                if pagination_parameters.page > MAX_PAGE:
                    raise Invalid(errors={"query": {"page": [said("page_too_far", most=MAX_PAGE)]}})
                return func(*a, pagination_parameters=pagination_parameters, **kw)

            return paginated(bounded)

        return decorator
