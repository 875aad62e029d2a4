"""The web pages in Chinese: sign-in, the layout every page extends, and each area's pages.

Pages share the service layer with the API: a handler parses a form with the API's marshmallow
schema, calls a service inside a unit of work, and renders or redirects (post/redirect/get).
"""

from flask import request, session
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from creditsvc.pages.admin import bp as admin_bp
from creditsvc.pages.applications.routes import bp as applications_bp
from creditsvc.pages.auth.routes import bp as auth_bp
from creditsvc.pages.bank import bp as bank_bp
from creditsvc.pages.campaigns import bp as campaigns_bp
from creditsvc.pages.desk.routes import bp as desk_bp
from creditsvc.pages.errors import register_page_errors
from creditsvc.pages.exports.routes import bp as exports_bp
from creditsvc.pages.formatting import register_filters
from creditsvc.pages.fund import bp as fund_office_bp
from creditsvc.pages.home.routes import bp as home_bp
from creditsvc.pages.households import bp as households_bp
from creditsvc.pages.jobs import bp as jobs_bp
from creditsvc.pages.ledger import bp as ledger_bp
from creditsvc.pages.lists.routes import bp as lists_bp
from creditsvc.pages.loans.due import bp as coming_due_bp
from creditsvc.pages.loans.routes import bp as loans_bp
from creditsvc.pages.nav import register_nav
from creditsvc.pages.papers import bp as papers_bp
from creditsvc.pages.reviews.routes import bp as reviews_bp
from creditsvc.pages.sessions import init_sessions, is_page_request
from creditsvc.pages.subsidy.routes import bp as subsidy_bp

LANGUAGES = ("zh_CN", "en")
BLUEPRINTS = [auth_bp, home_bp, admin_bp, fund_office_bp, jobs_bp, applications_bp, reviews_bp,
              desk_bp, households_bp, loans_bp, bank_bp, campaigns_bp, lists_bp, papers_bp,
              subsidy_bp, exports_bp, coming_due_bp, ledger_bp]
csrf = CSRFProtect()
babel = Babel()
# Pages load only this server's files; ECharts' SVG and Bootstrap set inline styles.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def page_locale() -> str:
    """zh-CN unless the user chose English (kept in their session)."""
    chosen = session.get("lang") if is_page_request() else None
    return chosen if chosen in LANGUAGES else "zh_CN"


def protect_forms():
    """before_request: every page form post carries its CSRF token (the API uses bearer keys)."""
    if is_page_request():
        csrf.protect()


def page_headers(response):
    """after_request: no caching of pages (they show personal data); a strict CSP."""
    if is_page_request() and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
    return response


def register_pages(app) -> None:
    """Sessions, sign-in, CSRF, languages, filters, error pages and every page blueprint."""
    init_sessions(app)
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked on pages only, below
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the session's own life bounds it
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh_CN")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    csrf.init_app(app)
    babel.init_app(app, locale_selector=page_locale)
    app.before_request(protect_forms)
    app.after_request(page_headers)
    register_filters(app)
    register_nav(app)
    register_page_errors(app)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
