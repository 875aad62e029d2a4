"""Who may open a page: signed in, in one of the page's roles; the principal handed to services."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from creditsvc.core.principal import Principal


def page_roles(*names: str):
    """A page for signed-in users of these roles; anyone else gets the 403 page."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in names:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(names)
        return wrapper

    return decorate


def actor() -> Principal:
    """The signed-in user as the acting principal of a service call."""
    return current_user.principal
