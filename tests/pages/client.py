"""A test client whose every request runs in its own app context, as on a real server.

The `app` fixture keeps one app context pushed for the whole test, and Flask reuses a pushed
context for a request: `g` would then outlive the request. Flask-WTF keeps the CSRF token in
`g` (a token made before sign-in, which clears the session, would never be stored again) and
Flask-Login the signed-in user (a second client would see the first one's user). Pushing a
fresh context per request gives each request its own `g` and its own database session.
"""

from flask.testing import FlaskClient


class PageClient(FlaskClient):
    """A FlaskClient that opens each request in a fresh app context."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)
