"""Object-level authorization before the body is parsed.

A bank posting to another bank's object must get 404 whatever its body holds, not a
422 that would confirm the object exists. So this check runs above @blp.arguments.
"""

from functools import wraps

from creditsvc.auth import current_principal
from creditsvc.extensions import db


def visible(lookup, param: str):
    """Refuse with lookup's 404 before parsing when the caller may not see kwargs[param]."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            lookup(db.session, current_principal(), kwargs[param])
            db.session.rollback()
            return view(*args, **kwargs)

        return wrapper

    return decorate
