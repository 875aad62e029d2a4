"""Household files: /api/v1/households."""

from flask import current_app
from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.paging import CursorQuerySchema, list_response
from creditsvc.api.writes import transactional
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import (
    HouseholdInSchema,
    HouseholdPatchSchema,
    HouseholdQuerySchema,
    HouseholdSchema,
    MonitoringEventSchema,
    RevealInSchema,
    RevealSchema,
)
from creditsvc.services.households import files as svc

blp = Blueprint("households", __name__, url_prefix="/api/v1/households",
                description="Household files (一户一档)")


def _cipher():
    return current_app.extensions["creditsvc.core.pii"]


@blp.route("")
class Households(MethodView):
    @roles("officer", "fund_manager")
    @blp.arguments(HouseholdQuerySchema(), location="query")
    @blp.arguments(CursorQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, HouseholdSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, filters, pagination_parameters, after=None):
        """List household files, filtered by town, village and status."""
        page = svc.list_households(db.session, **filters, page=pagination_parameters.page,
                                   page_size=pagination_parameters.page_size, after=after)
        return list_response(page, pagination_parameters)

    @roles("officer")
    @transactional
    @blp.arguments(HouseholdInSchema())
    @blp.response(201, HouseholdSchema)
    @blp.alt_response(409, description="a file with this ID number exists")
    def post(self, data):
        """Open a household file."""
        return svc.create_household(db.session, current_principal(), _cipher(), data)


@blp.route("/<string(maxlength=36):household_id>")
class HouseholdById(MethodView):
    @roles("officer", "fund_manager")
    @blp.response(200, HouseholdSchema)
    def get(self, household_id):
        """Show one household file (personal data masked)."""
        return svc.get_household(db.session, household_id)

    @roles("officer")
    @transactional
    @blp.arguments(HouseholdPatchSchema(partial=True))
    @blp.response(200, HouseholdSchema)
    def patch(self, data, household_id):
        """Change fields of a household file; members, when given, become the list.

        A member sent with its id is that member changed; one without is new; a borrower may
        not be left out (409 member_in_use)."""
        return svc.update_household(db.session, current_principal(), _cipher(), household_id, data)


@blp.route("/<string(maxlength=36):household_id>/reveal")
class HouseholdReveal(MethodView):
    @roles("officer")
    @transactional
    @blp.arguments(RevealInSchema())
    @blp.response(200, RevealSchema)
    def post(self, data, household_id):
        """Show the head's name, ID number and phone in clear (audited, with a reason)."""
        return svc.reveal_household(db.session, current_principal(), _cipher(), household_id,
                                    data["reason"])


@blp.route("/<string(maxlength=36):household_id>/monitoring-events")
class HouseholdEvents(MethodView):
    @roles("officer")
    @transactional
    @blp.arguments(MonitoringEventSchema())
    @blp.response(201, MonitoringEventSchema)
    def post(self, data, household_id):
        """Record a dated shock in the household's monitoring record."""
        return svc.add_monitoring_event(db.session, current_principal(), household_id,
                                        data["kind"], data["occurred_on"], data.get("note"),
                                        today=clock.today())
