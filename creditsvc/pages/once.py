"""A page form that acts at most once: its form token is the Idempotency-Key.

A form that moves money or creates something carries a fresh uuid (`form_token`). Posting it
runs the work through services/platform/idempotency inside one unit of work, scoped to the signed-in
user like an API key: the first post stores where it led (a redirect), and a double click, a
refresh or a re-post of the same form is answered with that same redirect; the same token with
another form is refused (422 `idempotency_key_reused`). A refusal is not remembered, so the
form can be fixed and posted again. The token is not the CSRF token: that one guards every form.
"""

import time
import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor
from creditsvc.services.platform import idempotency
from creditsvc.services.platform.uow import UnitOfWork

# A second post while the first still runs (PostgreSQL's advisory lock answers 409): the
# first ends within milliseconds, so wait for it and answer with its redirect.
IN_PROGRESS_TRIES = 10
IN_PROGRESS_WAIT = 0.2


def new_token() -> str:
    """A fresh form token for one rendering of a form."""
    return str(uuid.uuid4())


def valid_token(token: str | None) -> bool:
    """Whether TOKEN is a form token a page could have rendered (a uuid)."""
    try:
        return str(uuid.UUID(token or "")) == token
    except ValueError:
        return False


def respond_once(form: str, token: str | None, data: dict,
                 work: Callable[[Session], idempotency.StoredResponse],
                 ) -> tuple[idempotency.StoredResponse, bool]:
    """Run WORK once for TOKEN: (the response it stored, whether this post was a replay).

    FORM names the form (its path), so one token can never be replayed on another form.
    WORK returns what to remember (`redirect_to`: a 303, and a body when a page shows it
    later); an AppError it raises rolls everything back and leaves the token free.
    """
    if not valid_token(token):
        raise Invalid("form_token_invalid")
    req_hash = idempotency.request_hash({"form": form, "data": data})
    user_id, tries = actor().user_id, 0
    while True:
        try:
            return _once(user_id, token, req_hash, work)
        except Conflict as exc:
            tries += 1
            if exc.code != "idempotency_in_progress" or tries >= IN_PROGRESS_TRIES:
                raise
            time.sleep(IN_PROGRESS_WAIT)


def act_once(form: str, token: str | None, data: dict,
             work: Callable[[Session], str]) -> tuple[str, bool]:
    """Run WORK (which returns where to go next) once for TOKEN: (location, was it a replay)."""
    stored, replayed = respond_once(form, token, data,
                                    lambda session: redirect_to(work(session)))
    return stored.headers["Location"], replayed


def redirect_to(location: str, body: bytes = b"", kind: str | None = None
                ) -> idempotency.StoredResponse:
    """What a form remembers: a 303 to LOCATION (and BODY of type KIND, an outcome to show)."""
    headers = {"Location": location}
    if kind:
        headers["Content-Type"] = kind
    return idempotency.StoredResponse(303, body, headers)


def _once(user_id: str, token: str, req_hash: str, work) -> tuple[idempotency.StoredResponse, bool]:
    # The claim/run/remember sequence is services/platform/idempotency's, shared with the API.
    with UnitOfWork(db.session) as uow:
        done = idempotency.run_once(uow.session, user_id, token, req_hash,
                                    lambda: work(uow.session), lambda stored: stored)
        if done.remembered:
            uow.commit()
    if done.replayed is not None:
        return done.replayed, True
    return done.result, False
