"""The scorecard registry: /api/v1/models."""

from flask.views import MethodView

from creditsvc.api.auth import roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.infra.extensions import db
from creditsvc.schemas.models import ModelDetailSchema, ModelSchema
from creditsvc.services.programme import policy as svc

blp = Blueprint("models", __name__, url_prefix="/api/v1/models", description="Scorecard models")
ALL_ROLES = ("officer", "bank", "fund_manager", "admin")


@blp.route("")
class Models(MethodView):
    @roles(*ALL_ROLES)
    @blp.response(200, ModelSchema(many=True))
    def get(self):
        """List registered scorecards, newest first."""
        return svc.list_models(db.session)


@blp.route("/current")
class CurrentModel(MethodView):
    @roles(*ALL_ROLES)
    @blp.response(200, ModelDetailSchema)
    def get(self):
        """Show the champion scorecard with its full points table."""
        return svc.find_model(db.session, svc.champion_scorecard(db.session).sha256)
