"""The campaign's lists: /api/v1/lists/credit-ratings (信用评级) and /api/v1/lists/unborrowed (应贷未贷)."""

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.paging import CursorQuerySchema, list_response
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.lists import (
    CreditRatingQuerySchema,
    ListedLineSchema,
    UnborrowedCountsSchema,
    UnborrowedQuerySchema,
    UnborrowedSchema,
)
from creditsvc.services.campaign import lists as svc
from creditsvc.services.campaign.lists import ListFilter

blp = Blueprint("lists", __name__, url_prefix="/api/v1/lists",
                description="The campaign's lists: 信用评级 and 应贷未贷, in the officer's area")


@blp.route("/credit-ratings")
class CreditRatings(MethodView):
    @roles("officer")
    @blp.arguments(CreditRatingQuerySchema(), location="query")
    @blp.arguments(CursorQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, ListedLineSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, filters, pagination_parameters, after=None):
        """List the credit lines granted in my area (信用评级), in the order they were granted.

        Each line with its household (name masked), grade, line, grant date, last valid day and
        its state on the business date. An officer sees the towns and villages assigned to them.
        """
        page = svc.credit_ratings(db.session, current_principal(), ListFilter(**filters),
                                  today=clock.today(), after=after,
                                  page=pagination_parameters.page,
                                  page_size=pagination_parameters.page_size)
        return list_response(page, pagination_parameters)


@blp.route("/unborrowed")
class Unborrowed(MethodView):
    @roles("officer")
    @blp.arguments(UnborrowedQuerySchema(), location="query")
    @blp.arguments(CursorQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, UnborrowedSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, filters, pagination_parameters, after=None):
        """List the households of my area that could borrow and have not (应贷未贷).

        A household is listed when its credit line is in force on the business date, its
        survey says it is willing to borrow, and it has no loan it still owes on and none
        disbursed since the line's valid_from.
        """
        page = svc.unborrowed(db.session, current_principal(), ListFilter(**filters),
                              today=clock.today(), after=after, page=pagination_parameters.page,
                              page_size=pagination_parameters.page_size)
        return list_response(page, pagination_parameters)


@blp.route("/unborrowed/counts")
class UnborrowedCounts(MethodView):
    @roles("officer")
    @blp.arguments(UnborrowedQuerySchema(), location="query")
    @blp.response(200, UnborrowedCountsSchema)
    def get(self, filters):
        """Count 应贷未贷 per town and per village of my area."""
        today = clock.today()
        counts = svc.unborrowed_counts(db.session, current_principal(), ListFilter(**filters),
                                       today=today)
        return {"as_of": today, "total": counts.total, "towns": [
            {"town": town, "count": n, "villages": [
                {"village": v, "count": c} for t, v, c in counts.villages if t == town]}
            for town, n in counts.towns.items()]}
