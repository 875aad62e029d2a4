"""The village campaign: /api/v1/campaigns, its steps, the committee's views, 公示 and grant.

Each step is a POST on the campaign; a step out of order is 409 with its code. Rating the
list is a job (202, poll /api/v1/jobs/{id}).
"""

from flask import current_app
from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.uploads import accepted
from creditsvc.api.writes import transactional
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.campaigns import (
    CampaignOpenSchema,
    CampaignQuerySchema,
    CampaignSchema,
    CreditLineSchema,
    EntrySchema,
    ObjectionInSchema,
    ObjectionSchema,
    ResolutionSchema,
    ViewsSchema,
)
from creditsvc.schemas.jobs import JobSchema
from creditsvc.services.campaign import campaigns, committee, grant, notice
from creditsvc.services.campaign import rate as rating_step
from creditsvc.services.campaign.committee import View
from creditsvc.services.households.files import get_household

blp = Blueprint("campaigns", __name__, url_prefix="/api/v1",
                description="The village campaign: survey → rating → committee → 公示 → credit lines")


def _campaign(campaign_id: str):
    return campaigns.get_campaign(db.session, current_principal(), campaign_id)


@blp.route("/campaigns")
class Campaigns(MethodView):
    @roles("officer")
    @blp.arguments(CampaignQuerySchema(), location="query")
    @blp.response(200, CampaignSchema(many=True))
    def get(self, query):
        """List the campaigns of the caller's area, oldest first (X-Next-Cursor pages on)."""
        query.pop("n", None)
        page = campaigns.list_campaigns(db.session, current_principal(), **query)
        return page.items, ({"X-Next-Cursor": page.next_cursor} if page.next_cursor else {})

    @roles("officer")
    @transactional
    @blp.arguments(CampaignOpenSchema())
    @blp.response(201, CampaignSchema)
    def post(self, data):
        """Open a campaign for a town or village of the caller's area (its willing households)."""
        return campaigns.open_campaign(db.session, current_principal(), today=clock.today(),
                                       **data)


@blp.route("/campaigns/<campaign_id>")
class CampaignById(MethodView):
    @roles("officer")
    @blp.response(200, CampaignSchema)
    def get(self, campaign_id):
        """Show a campaign and the state of its steps."""
        return _campaign(campaign_id)


@blp.route("/campaigns/<campaign_id>/entries")
class Entries(MethodView):
    @roles("officer")
    @blp.response(200, EntrySchema(many=True))
    def get(self, campaign_id):
        """The campaign's list: each household (masked), its rating and the committee's view."""
        c = _campaign(campaign_id)
        return [{"id": e.id, "household_id": h.id, "village": h.village,
                 "head_name": h.head_name_masked, "id_number": h.id_number_masked,
                 "rating_id": e.rating_id, "grade": r.grade if r else None,
                 "score": r.score if r else None, "rating_line": r.line_fen if r else None,
                 "committee_view": e.committee_view, "committee_line": e.committee_line_fen,
                 "committee_note": e.committee_note, "proposed_line": e.proposed_line_fen}
                for e, r, h in committee.entries(db.session, c.id)]


@blp.route("/campaigns/<campaign_id>/rating")
class Rating(MethodView):
    @roles("officer")
    @transactional
    @blp.response(202, JobSchema)
    def post(self, campaign_id):
        """Rate every household on the list (a job; poll its Location)."""
        return accepted(rating_step.submit_rating(db.session, current_principal(), campaign_id))


@blp.route("/campaigns/<campaign_id>/committee-views")
class CommitteeViews(MethodView):
    @roles("officer")
    @transactional
    @blp.arguments(ViewsSchema())
    @blp.response(200, CampaignSchema)
    def post(self, data, campaign_id):
        """Record the committee's views; all are saved, or none (errors by entry id)."""
        committee.record_views(db.session, current_principal(), campaign_id,
                               [View(v["entry_id"], v["view"], v["line"], v["note"])
                                for v in data["views"]], source="api")
        return _campaign(campaign_id)


@blp.route("/campaigns/<campaign_id>/notice")
class Notice(MethodView):
    @roles("officer")
    @transactional
    @blp.response(200, CampaignSchema)
    def post(self, campaign_id):
        """Start 公示 today, for the policy's notice days."""
        return notice.start_notice(db.session, current_principal(), campaign_id, clock.today())


@blp.route("/campaigns/<campaign_id>/objections")
class Objections(MethodView):
    @roles("officer")
    @blp.response(200, ObjectionSchema(many=True))
    def get(self, campaign_id):
        """The objections heard during 公示 (who masked, what, how resolved)."""
        return [o for o, _ in notice.objections(db.session, _campaign(campaign_id).id)]

    @roles("officer")
    @transactional
    @blp.arguments(ObjectionInSchema())
    @blp.response(201, ObjectionSchema)
    def post(self, data, campaign_id):
        """Record an objection during 公示."""
        return notice.raise_objection(db.session, current_principal(),
                                      current_app.extensions["creditsvc.core.pii"], campaign_id,
                                      today=clock.today(), **data)


@blp.route("/campaigns/<campaign_id>/objections/<objection_id>/resolution")
class Resolution(MethodView):
    @roles("officer")
    @transactional
    @blp.arguments(ResolutionSchema())
    @blp.response(200, ObjectionSchema)
    def post(self, data, campaign_id, objection_id):
        """Resolve an objection: dismissed, or upheld (the line adjusted or removed)."""
        return notice.resolve_objection(db.session, current_principal(), campaign_id,
                                        objection_id, **data)


@blp.route("/campaigns/<campaign_id>/grant")
class Grant(MethodView):
    @roles("officer")
    @transactional
    @blp.response(200, CampaignSchema)
    def post(self, campaign_id):
        """Grant the credit lines: 公示 ended, no objection open."""
        return grant.grant(db.session, current_principal(), campaign_id, clock.today())


@blp.route("/households/<household_id>/credit-lines")
class HouseholdLines(MethodView):
    @roles("officer")
    @blp.response(200, CreditLineSchema(many=True))
    def get(self, household_id):
        """A household's credit lines, newest first (the active one and those it replaced)."""
        get_household(db.session, household_id)
        return [line for line, _ in grant.line_history(db.session, household_id)]
