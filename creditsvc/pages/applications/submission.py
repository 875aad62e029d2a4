"""Submitting the application form at most once: its form token is the Idempotency-Key.

The form carries a fresh uuid (`form_token`). Submitting runs through services/idempotency's
one claim/run/remember sequence, scoped to the signed-in user like an API key's: the first
post stores the redirect to the new application; a double click, a refresh or a re-post of the
same form replays that redirect; the same token with another form is refused (422
`idempotency_key_reused`). The token is not the CSRF token: that one protects every form.
"""

import time
import uuid

from flask import url_for

from creditsvc.core.errors import Conflict
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor
from creditsvc.services import applications as svc
from creditsvc.services import idempotency
from creditsvc.services.uow import UnitOfWork

# A second post while the first is still running (PostgreSQL's advisory lock said 409): the
# first ends within milliseconds, so wait for it and answer with its redirect.
IN_PROGRESS_TRIES = 10
IN_PROGRESS_WAIT = 0.2


def new_token() -> str:
    """A fresh form token for one application form."""
    return str(uuid.uuid4())


def valid_token(token: str | None) -> bool:
    """Whether TOKEN is a form token this page could have rendered (a uuid)."""
    try:
        return str(uuid.UUID(token or "")) == token
    except ValueError:
        return False


def _submit(session, data: dict, today) -> idempotency.StoredResponse:
    app = svc.submit(session, actor(), household_id=data["household_id"], amount=data["amount"],
                     term_months=data["term_months"], purpose=data["purpose"], bank=data["bank"],
                     on=today)
    location = url_for("application_pages.show", application_id=app.id)
    return idempotency.StoredResponse(303, b"", {"Location": location})


def _once(user_id: str, token: str, req_hash: str, data: dict, today) -> tuple[str, bool]:
    with UnitOfWork(db.session) as uow:
        once = idempotency.run_once(uow.session, user_id, token, req_hash,
                                    lambda: _submit(uow.session, data, today),
                                    lambda stored: stored)
        if once.remembered:
            uow.commit()
    stored = once.replayed or once.result
    return stored.headers["Location"], once.replayed is not None


def submit_once(token: str, data: dict, today) -> tuple[str, bool]:
    """Submit DATA under TOKEN: (where the application is, whether this was a replay)."""
    req_hash = idempotency.request_hash({"form": "/applications", "data": data})
    user_id, tries = actor().user_id, 0
    while True:
        try:
            return _once(user_id, token, req_hash, data, today)
        except Conflict as exc:
            tries += 1
            if exc.code != "idempotency_in_progress" or tries >= IN_PROGRESS_TRIES:
                raise
            time.sleep(IN_PROGRESS_WAIT)
