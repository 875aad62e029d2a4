"""A bank form that moves money acts at most once (pages/once.py): its form token is the key.

The bank's forms remember a body with their redirect where a page shows it later (a bulk
acceptance's row-by-row outcome), so they use `respond_once` with `redirect_to`.
"""

from collections.abc import Callable

from flask import request

from creditsvc.pages.once import new_token, redirect_to, respond_once
from creditsvc.services.platform import idempotency

__all__ = ["act_once", "new_token", "redirect_to"]


def act_once(data: dict, work: Callable[..., idempotency.StoredResponse]
             ) -> tuple[idempotency.StoredResponse, bool]:
    """Run WORK(session) once under the posted form's token: (its stored response, replayed?)."""
    return respond_once(request.path, request.form.get("form_token"), data, work)
