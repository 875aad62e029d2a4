"""Object-level authorization before the body is parsed, loading the object once.

A bank posting to another bank's object must get 404 whatever its body holds, not a 422 that
would confirm the object exists. So this check runs above @blp.arguments, inside the view's
unit of work: the object is loaded (and locked for the write) here, and passed to the view in
place of its id, so the service works on it without loading it again.
"""

from functools import wraps

from creditsvc.api.auth import current_principal
from creditsvc.infra.extensions import db


def visible(lookup, param: str):
    """Pass the view `kwargs[param]` loaded (locked) by LOOKUP as `param` less `_id`; else 404."""
    name = param.removesuffix("_id")

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            kwargs[name] = lookup(db.session, current_principal(), kwargs.pop(param), lock=True)
            return view(*args, **kwargs)

        return wrapper

    return decorate
