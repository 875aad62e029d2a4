"""Claims on the fund and recoveries: /api/v1/claims, /api/v1/loans/{id}/claims|recoveries."""

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint, documents_idempotency_key
from creditsvc.api.visibility import visible
from creditsvc.api.writes import idempotent, transactional
from creditsvc.core.errors import Invalid
from creditsvc.core.money import to_fen
from creditsvc.core.refusals import said
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.claims import (
    ClaimQuerySchema,
    ClaimSchema,
    RecoveryInSchema,
    RecoverySchema,
    RejectInSchema,
    ReverseInSchema,
)
from creditsvc.services.fund import claim_reversal, recoveries
from creditsvc.services.fund import claims as svc
from creditsvc.services.fund.rules import rules_for
from creditsvc.services.loans import reading as loans

blp = Blueprint("claims", __name__, url_prefix="/api/v1", description="Claims on the fund")


@blp.route("/loans/<string(maxlength=36):loan_id>/claims")
class LoanClaims(MethodView):
    @roles("bank")
    @transactional
    @visible(loans.get_loan, "loan_id")
    @blp.response(201, ClaimSchema)
    @blp.alt_response(409, description="not_in_default or claim_exists")
    def post(self, loan):
        """File the bank's claim on a loan past the claim trigger (one per loan)."""
        return svc.file_claim(db.session, current_principal(), loan, rules_for(db.session),
                              today=clock.today())


@blp.route("/loans/<string(maxlength=36):loan_id>/recoveries")
class LoanRecoveries(MethodView):
    @roles("bank")
    @documents_idempotency_key
    @idempotent
    @visible(loans.get_loan, "loan_id")
    @blp.arguments(RecoveryInSchema())
    @blp.response(201, RecoverySchema)
    def post(self, data, loan):
        """Report a recovery on a claimed loan; the fund's share flows back (Idempotency-Key)."""
        if data["amount"] <= 0:
            raise Invalid(errors={"amount": [said("field_positive")]})
        return recoveries.record_recovery(db.session, current_principal(), loan,
                                          to_fen(data["amount"]), data["recovered_on"],
                                          today=clock.today())


@blp.route("/claims")
class Claims(MethodView):
    @roles("fund_manager", "bank")
    @blp.arguments(ClaimQuerySchema(), location="query")
    @blp.response(200, ClaimSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, query, pagination_parameters):
        """List claims, newest first (a bank sees its own)."""
        page = svc.list_claims(db.session, current_principal(), **query,
                               offset=pagination_parameters.first_item,
                               limit=pagination_parameters.page_size)
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/claims/<string(maxlength=36):claim_id>")
class ClaimById(MethodView):
    @roles("fund_manager", "bank")
    @blp.response(200, ClaimSchema)
    def get(self, claim_id):
        """Show one claim and its computation (a bank sees its own)."""
        return svc.get_claim(db.session, current_principal(), claim_id)


@blp.route("/claims/<string(maxlength=36):claim_id>/approve")
class ClaimApprove(MethodView):
    @roles("fund_manager")
    @documents_idempotency_key
    @idempotent
    @blp.response(200, ClaimSchema)
    @blp.alt_response(409, description="fund_exhausted, claim_not_filed, not_in_default, "
                      "nothing_to_claim")
    def post(self, claim_id):
        """Approve a filed claim: paid at once as a draw on the fund (Idempotency-Key).

        The amount is computed again on the loan as it stands (shown as `amount_at_approval`
        beside `amount_filed`); a loan repaid or cured below 90 days past due is refused
        with not_in_default.
        """
        return svc.approve_claim(db.session, current_principal(), claim_id, rules_for(db.session),
                                 on=clock.today())


@blp.route("/claims/<string(maxlength=36):claim_id>/reject")
class ClaimReject(MethodView):
    @roles("fund_manager")
    @transactional
    @blp.arguments(RejectInSchema())
    @blp.response(200, ClaimSchema)
    def post(self, data, claim_id):
        """Reject a filed claim with a reason."""
        return svc.reject_claim(db.session, current_principal(), claim_id, data["reason"])


@blp.route("/claims/<string(maxlength=36):claim_id>/reverse")
class ClaimReverse(MethodView):
    @roles("fund_manager")
    @documents_idempotency_key
    @idempotent
    @blp.arguments(ReverseInSchema())
    @blp.response(200, ClaimSchema)
    @blp.alt_response(409, description="claim_not_paid, claim_already_reversed, "
                      "claim_has_recoveries")
    def post(self, data, claim_id):
        """Reverse a claim paid in error, with a reason (Idempotency-Key).

        In one transaction: the claim becomes reversed, its draw's ledger entry is reversed
        (the cash returns to the fund), the loan is active again, and its outstanding principal
        returns to the guaranteed exposure (never refused by the leverage cap: it existed before
        the error). A loan with recoveries recorded after the claim is refused until they are
        corrected.
        """
        return claim_reversal.reverse_claim(db.session, current_principal(), claim_id,
                                            reason=data["reason"], on=clock.today())
