"""The audit trail: /api/v1/audit-events and its anchor."""

from flask import current_app
from flask.views import MethodView

from creditsvc.api.auth import roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.infra.extensions import db
from creditsvc.schemas.audit import AnchorSchema, AuditEventSchema, AuditQuerySchema
from creditsvc.services.platform import audit_chain

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-events", description="Audit trail")


@blp.route("")
class AuditEvents(MethodView):
    @roles("admin", "fund_manager")
    @blp.arguments(AuditQuerySchema(), location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=200)
    def get(self, filters, pagination_parameters):
        """List audit events, newest first."""
        items, pagination_parameters.item_count = audit_chain.list_events(
            db.session, offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size, **filters)
        return items


@blp.route("/anchor")
class AuditAnchor(MethodView):
    @roles("admin", "fund_manager")
    @blp.response(200, AnchorSchema)
    def get(self):
        """The chain's head, signed, for an outside system to keep (as `flask audit anchor`).

        Whoever holds full rights on the database can rewrite every event and the head so
        that the chain verifies; an anchor kept elsewhere still catches it.
        """
        anchor = audit_chain.take_anchor(db.session, current_app.config["SECRET_KEY"])
        return anchor
