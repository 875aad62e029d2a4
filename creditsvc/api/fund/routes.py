"""The guarantee fund: /api/v1/fund.

Only a fund manager reads the fund's books: a bank learns its capacity when a disbursement
is refused, and the admin role (users, keys, banks, models) has no need of them.
"""

from decimal import Decimal

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint, documents_idempotency_key
from creditsvc.api.writes import idempotent
from creditsvc.core.money import to_fen
from creditsvc.infra.extensions import db
from creditsvc.schemas.fund import (
    ExposureSchema,
    FundSchema,
    InflowInSchema,
    JournalEntrySchema,
    ReversalInSchema,
    StressQuerySchema,
    StressSchema,
    TrendPointSchema,
    TrendQuerySchema,
)
from creditsvc.services.fund import account as svc
from creditsvc.services.fund import reports as fund_reports
from creditsvc.services.fund import snapshots
from creditsvc.services.fund.rules import rules_for

blp = Blueprint("fund", __name__, url_prefix="/api/v1/fund", description="Guarantee fund (担保基金)")
POSITIVE = Decimal("0.01")


def _positive(data) -> int:
    from creditsvc.core.errors import Invalid
    from creditsvc.core.refusals import said

    if data["amount"] < POSITIVE:
        raise Invalid(errors={"amount": [said("field_positive")]})
    return to_fen(data["amount"])


@blp.route("")
class FundView(MethodView):
    @roles("fund_manager")
    @blp.response(200, FundSchema)
    def get(self):
        """Show capital, balance, caps, capacity per bank, liability, coverage and suspension."""
        return svc.fund_view(db.session, rules_for(db.session))


@blp.route("/ledger")
class Ledger(MethodView):
    @roles("fund_manager")
    @blp.response(200, JournalEntrySchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, pagination_parameters):
        """List the ledger's entries with their postings, newest first."""
        items, pagination_parameters.item_count = svc.list_ledger(
            db.session, offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size)
        return items


@blp.route("/ledger/<string(maxlength=36):entry_id>/reversal")
class Reversal(MethodView):
    @roles("fund_manager")
    @documents_idempotency_key
    @idempotent
    @blp.arguments(ReversalInSchema())
    @blp.response(201, JournalEntrySchema)
    def post(self, data, entry_id):
        """Reverse a mistaken contribution or interest entry with its mirror entry."""
        return svc.reverse_entry(db.session, current_principal(), entry_id, reason=data["reason"],
                                 on=data["effective_on"])


@blp.route("/contributions")
class Contributions(MethodView):
    @roles("fund_manager")
    @documents_idempotency_key
    @idempotent
    @blp.arguments(InflowInSchema())
    @blp.response(201, JournalEntrySchema)
    def post(self, data):
        """Record a contribution: raises capital and balance (Idempotency-Key required)."""
        return svc.contribute(db.session, current_principal(), _positive(data), data["date"],
                              data.get("memo"))


@blp.route("/interest")
class Interest(MethodView):
    @roles("fund_manager")
    @documents_idempotency_key
    @idempotent
    @blp.arguments(InflowInSchema())
    @blp.response(201, JournalEntrySchema)
    def post(self, data):
        """Record deposit interest: raises the balance only (Idempotency-Key required)."""
        return svc.add_interest(db.session, current_principal(), _positive(data), data["date"],
                                data.get("memo"))


@blp.route("/exposure")
class ExposureView(MethodView):
    @roles("fund_manager")
    @blp.response(200, ExposureSchema)
    def get(self):
        """Show the book by bank, town, village, grade, purpose and class; PAR, NPL, history."""
        return fund_reports.exposure_report(db.session)


@blp.route("/stress")
class Stress(MethodView):
    @roles("fund_manager")
    @blp.arguments(StressQuerySchema(), location="query")
    @blp.response(200, StressSchema)
    def get(self, query):
        """Run the Monte Carlo stress test of the next months (seeded, reproducible)."""
        return fund_reports.run_stress(db.session, rules_for(db.session), **query)


@blp.route("/trend")
class Trend(MethodView):
    @roles("fund_manager")
    @blp.arguments(TrendQuerySchema(), location="query")
    @blp.response(200, TrendPointSchema(many=True))
    def get(self, query):
        """Show the month-by-month trend from the monthly snapshots, oldest first."""
        return snapshots.trend(db.session, months=query["months"])
