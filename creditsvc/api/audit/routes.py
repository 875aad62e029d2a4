"""The audit trail: /api/v1/audit-events."""

from flask.views import MethodView
from flask_smorest import Blueprint

from creditsvc.api.audit.schemas import AuditEventSchema, AuditQuerySchema
from creditsvc.auth import roles
from creditsvc.extensions import db
from creditsvc.services import audit

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-events", description="Audit trail")


@blp.route("")
class AuditEvents(MethodView):
    @roles("admin", "fund_manager")
    @blp.arguments(AuditQuerySchema(), location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=200)
    def get(self, filters, pagination_parameters):
        """List audit events, newest first."""
        items, pagination_parameters.item_count = audit.list_events(
            db.session, offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size, **filters)
        return items
