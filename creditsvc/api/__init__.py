"""The JSON API under /api/v1 and the unauthenticated health and readiness checks."""

from flask import Blueprint, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from creditsvc.api.applications.routes import blp as applications_blp
from creditsvc.api.assessments.routes import blp as assessments_blp
from creditsvc.api.audit.routes import blp as audit_blp
from creditsvc.api.blueprint import Blueprint as ApiBlueprint
from creditsvc.api.campaigns.routes import blp as campaigns_blp
from creditsvc.api.claims.routes import blp as claims_blp
from creditsvc.api.exports.routes import blp as exports_blp
from creditsvc.api.fund.routes import blp as fund_blp
from creditsvc.api.households.routes import blp as households_blp
from creditsvc.api.jobs.routes import blp as jobs_blp
from creditsvc.api.lists.routes import blp as lists_blp
from creditsvc.api.loans.routes import blp as loans_blp
from creditsvc.api.models.routes import blp as models_blp
from creditsvc.api.policy.routes import blp as policy_blp
from creditsvc.api.ratings.routes import blp as ratings_blp
from creditsvc.api.subsidy.routes import blp as subsidy_blp
from creditsvc.api.surveys.routes import blp as surveys_blp
from creditsvc.infra.db import database_answers
from creditsvc.infra.extensions import db
from creditsvc.infra.metrics import exposition
from creditsvc.services.platform.metrics import book_figures

BLUEPRINTS = [households_blp, audit_blp, policy_blp, models_blp, applications_blp, assessments_blp,
              loans_blp, fund_blp, claims_blp, jobs_blp, ratings_blp, campaigns_blp, lists_blp,
              surveys_blp, subsidy_blp, exports_blp]

# Health and the docs' static files sit outside the authenticated API.
site = Blueprint("site", __name__)


@site.get("/healthz")
def healthz():
    """The process is alive and answering (the database is not touched: see /readyz)."""
    return {"status": "ok"}


@site.get("/readyz")
def readyz():
    """Ready to serve: the database answers a trivial query within a short time, else 503."""
    if database_answers(db.engine):
        return {"status": "ok", "database": "ok"}
    return {"status": "unavailable", "database": "unreachable", "code": "database_unavailable"}, 503


@site.get("/metrics")
def metrics():
    """Prometheus's text format: requests by route, and the books' figures (docs/operations.md)."""
    return exposition(book_figures(db.session))


@site.get("/api/v1/swagger-ui/<path:filename>")
def swagger_ui_asset(filename):
    """Swagger UI's files, served locally: government intranets have no CDN."""
    return send_from_directory(swagger_ui_path, filename, max_age=86400)


def answer_head_as_get(app) -> None:
    """HEAD works wherever GET does: the role check finds GET's roles on `head`."""
    for view in app.view_functions.values():
        view_class = getattr(view, "view_class", None)
        if view_class is not None and hasattr(view_class, "get") and not hasattr(view_class, "head"):
            view_class.head = view_class.get


def register_api(app, api) -> None:
    """Register every API blueprint and the site routes."""
    app.register_blueprint(site)
    for blp in BLUEPRINTS:
        if not isinstance(blp, ApiBlueprint):  # its arguments would skip the project's parser
            raise TypeError(f"API blueprint {blp.name!r} is not creditsvc.api.blueprint.Blueprint")
        api.register_blueprint(blp)
    answer_head_as_get(app)
