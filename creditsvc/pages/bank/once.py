"""A bank form that moves money acts at most once: its form token is the Idempotency-Key.

Each form carries a fresh uuid (`form_token`). The post runs through services/idempotency in
the handler's unit of work, scoped to the signed-in user like an API key: the first post
stores the redirect it answered with; a double click, a refresh or a re-post of the same
form replays that redirect and does nothing; the same token with another form is refused
(422 `idempotency_key_reused`). A refusal is not remembered, so the form can be corrected
and sent again under its token. The token is not the CSRF token: that one guards every form.

pages/once.py does the same for forms that only redirect; this one also keeps a body with
the redirect (a bulk acceptance's row-by-row outcome, shown on the page it leads to).
"""

__all__ = ["act_once", "form_token", "new_token", "redirect_to"]

import time
from collections.abc import Callable

from flask import request

from creditsvc.core.errors import Conflict, Invalid
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor
from creditsvc.pages.once import new_token, valid_token
from creditsvc.services import idempotency
from creditsvc.services.uow import UnitOfWork

# A second post while the first still runs (PostgreSQL's advisory lock answers 409): the
# first ends within moments, so wait for it and answer with its redirect.
IN_PROGRESS_TRIES = 10
IN_PROGRESS_WAIT = 0.2


def form_token() -> str:
    """The posted form's token; 422 `form_token_invalid` when it is not one a page rendered."""
    token = request.form.get("form_token", "")
    if valid_token(token):
        return token
    raise Invalid("the form has no valid form token", code="form_token_invalid")


def _attempt(token: str, req_hash: str, work: Callable) -> tuple[idempotency.StoredResponse, bool]:
    user_id = actor().user_id
    with UnitOfWork(db.session) as uow:
        stored = idempotency.held_response(uow.session, user_id, token, req_hash)
        if stored is not None:
            return stored, True
        response = work(uow.session)
        idempotency.remember(uow.session, user_id, token, req_hash, response)
        uow.commit()
    return response, False


def act_once(data: dict, work: Callable[..., idempotency.StoredResponse]
             ) -> tuple[idempotency.StoredResponse, bool]:
    """Run WORK(session) once under the form's token: (its stored response, whether replayed).

    WORK returns what to remember (a 303 with its Location, and a body when a page shows
    it later); an AppError it raises rolls everything back and leaves the token free.
    """
    token = form_token()
    req_hash = idempotency.request_hash({"form": request.path, "data": data})
    tries = 0
    while True:
        try:
            return _attempt(token, req_hash, work)
        except Conflict as exc:
            tries += 1
            if exc.code != "idempotency_in_progress" or tries >= IN_PROGRESS_TRIES:
                raise
            time.sleep(IN_PROGRESS_WAIT)


def redirect_to(location: str, body: bytes = b"", kind: str | None = None
                ) -> idempotency.StoredResponse:
    """What a form remembers: a 303 to LOCATION (and BODY of type KIND, an outcome to show)."""
    headers = {"Location": location}
    if kind:
        headers["Content-Type"] = kind
    return idempotency.StoredResponse(303, body, headers)
