"""Ratings (信用评级) without an application: /api/v1/ratings."""

from flask.views import MethodView

from creditsvc.api.auth import roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.infra.extensions import db
from creditsvc.schemas.ratings import RatingReplaySchema, RatingSchema
from creditsvc.services.assessment import rating as svc

blp = Blueprint("ratings", __name__, url_prefix="/api/v1/ratings",
                description="Credit ratings of surveyed households, without an application")


@blp.route("/<string(maxlength=36):rating_id>")
class RatingById(MethodView):
    @roles("officer", "fund_manager")
    @blp.response(200, RatingSchema)
    @blp.alt_response(404, description="rating_not_found")
    def get(self, rating_id):
        """Show one rating with its whole assessment (recomputed from its stored input)."""
        return svc.get_rating(db.session, rating_id)


@blp.route("/<string(maxlength=36):rating_id>/replay")
class RatingReplay(MethodView):
    @roles("officer", "fund_manager")
    @blp.response(200, RatingReplaySchema)
    @blp.alt_response(404, description="rating_not_found")
    @blp.alt_response(409, description="replay_unavailable")
    def get(self, rating_id):
        """Recompute the rating with its own policy and model; say whether it decides as stored."""
        return svc.replay_rating(db.session, svc.get_rating(db.session, rating_id))
