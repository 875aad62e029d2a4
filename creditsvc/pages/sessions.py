"""Who is signed in to the pages: cookie sessions for pages only, Flask-Login, the idle timeout.

The JSON API authenticates every call by its bearer key and never opens a cookie session; the
pages keep the signed-in user in Flask's signed cookie. A session ends after IDLE minutes
without a request (configurable: PAGES_IDLE_MINUTES), and a user whose account is revoked,
or whose password changed since the session began, is signed out on their next request.
"""

from datetime import timedelta

from flask import flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, logout_user

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from models import User
from models.base import utcnow

IDLE_MINUTES = 30
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = None  # the sign-in page says why on its own


# The JSON API and the operators' probes: no page session, no cookie.
PROBES = ("/api/", "/healthz", "/readyz", "/metrics")


def is_page_request() -> bool:
    """Whether this request is for a page (not the JSON API, its docs or the health check)."""
    return not request.path.startswith(PROBES)


class PageSessions(SecureCookieSessionInterface):
    """Signed cookie sessions for the pages; none at all for the bearer-key API."""

    def open_session(self, app, request):
        if request.path.startswith((*PROBES, "/static/")):
            return None  # Flask's NullSession: nothing read, nothing sent
        return super().open_session(app, request)


class PageUser(UserMixin):
    """The signed-in user as the pages see them; `principal` is what services are given."""

    def __init__(self, user: User, session_stamp: str):
        self.id = f"{user.id}|{session_stamp}"
        self.user_id, self.name, self.role = user.id, user.name, user.role
        self.display_name = user.display_name
        self.bank_code = user.bank_code
        self.must_change_password = user.must_change_password

    @property
    def principal(self) -> Principal:
        return Principal(self.user_id, self.name, self.role, self.bank_code,
                         g.get("request_id"))


def session_stamp(user: User) -> str:
    """What a session must still match: the password it was opened with (changed: signed out)."""
    return (user.password_changed_at or user.created_at).isoformat()


@login_manager.user_loader
def load_user(session_id: str) -> PageUser | None:
    user_id, _sep, stamp = session_id.partition("|")
    user = db.session.get(User, user_id)
    if user is None or user.revoked_at is not None or session_stamp(user) != stamp:
        return None
    return PageUser(user, stamp)


def end_idle_sessions():
    """before_request: sign out a session idle longer than the configured minutes."""
    from flask import current_app

    if not is_page_request() or request.endpoint == "static":
        return None
    now = utcnow().timestamp()
    seen = session.get("seen")
    idle = current_app.config.get("PAGES_IDLE_MINUTES", IDLE_MINUTES) * 60
    if seen is not None and now - seen > idle and current_user.is_authenticated:
        logout_user()
        session.clear()
        flash(_("您已超过 %(minutes)s 分钟未操作，请重新登录。", minutes=round(idle / 60)),
              "warning")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET"
                                else None))
    if "_user_id" in session:
        session["seen"] = now
    return None


def require_new_password():
    """before_request: a user with an admin-set password changes it before anything else."""
    if (is_page_request() and current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in ("auth.change_password", "auth.logout", "static",
                                         "auth.language")):
        return redirect(url_for("auth.change_password"))
    return None


def init_sessions(app) -> None:
    """Cookie sessions for pages, Flask-Login, the idle timeout and the first-password rule."""
    app.session_interface = PageSessions()
    minutes = app.config.setdefault("PAGES_IDLE_MINUTES", IDLE_MINUTES)
    # Flask has defaults for these (a 31-day cookie named "session"): set ours outright.
    app.config.update(PERMANENT_SESSION_LIFETIME=timedelta(minutes=minutes),
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_NAME="creditsvc_session")
    login_manager.init_app(app)
    app.before_request(end_idle_sessions)
    app.before_request(require_new_password)
