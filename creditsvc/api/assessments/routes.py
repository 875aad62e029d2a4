"""Assessment preview: /api/v1/assessments/preview."""

from flask.views import MethodView

from creditsvc.api.assessments.schemas import PreviewInSchema, PreviewSchema
from creditsvc.api.auth import roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.services import applications as svc

blp = Blueprint("assessments", __name__, url_prefix="/api/v1/assessments",
                description="Credit assessment without an application")


@blp.route("/preview")
class Preview(MethodView):
    @roles("officer")
    @blp.arguments(PreviewInSchema())
    @blp.response(200, PreviewSchema)
    def post(self, data):
        """Assess a proposed application with the active policy and model; nothing is saved."""
        result = svc.preview(db.session, **data, on=clock.today())
        return {**{k: result[k] for k in ("decision", "grade", "score", "pd", "limit",
                                           "approved_amount", "policy_version", "model_sha256")},
                "assessment": result}
