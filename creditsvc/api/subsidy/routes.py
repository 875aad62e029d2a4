"""The interest subsidy (财政贴息): /api/v1/subsidy-statements, compiled, reviewed, announced, paid."""

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint, documents_idempotency_key
from creditsvc.api.writes import idempotent, transactional
from creditsvc.core.money import to_fen
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.subsidy import (
    SubsidyCompileInSchema,
    SubsidyPaymentInSchema,
    SubsidyPaymentSchema,
    SubsidyReviewInSchema,
    SubsidyStatementDetailSchema,
    SubsidyStatementQuerySchema,
    SubsidyStatementSchema,
)
from creditsvc.services.subsidy import payments, statements

blp = Blueprint("subsidy", __name__, url_prefix="/api/v1",
                description="The interest subsidy (财政贴息): quarterly statements per bank and "
                            "the finance bureau's payments")


@blp.route("/subsidy-statements")
class Statements(MethodView):
    @roles("fund_manager", "bank")
    @blp.arguments(SubsidyStatementQuerySchema(), location="query")
    @blp.response(200, SubsidyStatementSchema(many=True))
    def get(self, query):
        """List statements, the latest quarter first (a bank: its own, once announced)."""
        return statements.list_statements(db.session, current_principal(), **query)

    @roles("fund_manager")
    @transactional
    @blp.arguments(SubsidyCompileInSchema())
    @blp.response(200, SubsidyStatementDetailSchema)
    @blp.alt_response(409, description="quarter_not_ended")
    def post(self, data):
        """Compile a bank's statement for an ended quarter: the same statement every time.

        Until it is reviewed it is compiled afresh from the books (a repayment reported late
        is taken in); once reviewed its figures stay as they were.
        """
        return statements.compile_statement(db.session, current_principal(), data["bank"],
                                            data["year"], data["quarter"], today=clock.today())


@blp.route("/subsidy-statements/<string(maxlength=36):statement_id>")
class StatementById(MethodView):
    @roles("fund_manager", "bank")
    @blp.response(200, SubsidyStatementDetailSchema)
    def get(self, statement_id):
        """Show a statement with a line per loan and the bureau's payment once confirmed."""
        return statements.get_statement(db.session, current_principal(), statement_id)


@blp.route("/subsidy-statements/<string(maxlength=36):statement_id>/review")
class StatementReview(MethodView):
    @roles("fund_manager")
    @transactional
    @blp.arguments(SubsidyReviewInSchema())
    @blp.response(200, SubsidyStatementDetailSchema)
    @blp.alt_response(409, description="subsidy_already_reviewed, subsidy_reviewer_is_compiler")
    def post(self, data, statement_id):
        """Review (审核) a compiled statement: its figures are frozen from now on.

        Never by the fund manager who compiled it (four eyes; the refusal is audited).
        """
        return statements.review(db.session, current_principal(), statement_id, note=data["note"])


@blp.route("/subsidy-statements/<string(maxlength=36):statement_id>/announcement")
class StatementAnnouncement(MethodView):
    @roles("fund_manager")
    @transactional
    @blp.response(200, SubsidyStatementDetailSchema)
    @blp.alt_response(409, description="subsidy_not_reviewed, subsidy_already_announced")
    def post(self, statement_id):
        """Announce (公告) a reviewed statement: its bank sees it and it may be paid."""
        return statements.announce(db.session, current_principal(), statement_id,
                                   today=clock.today())


@blp.route("/subsidy-statements/<string(maxlength=36):statement_id>/payment")
class StatementPayment(MethodView):
    @roles("fund_manager")
    @documents_idempotency_key
    @idempotent
    @blp.arguments(SubsidyPaymentInSchema())
    @blp.response(201, SubsidyPaymentSchema)
    @blp.alt_response(409, description="subsidy_not_announced, subsidy_already_paid, "
                                       "subsidy_payer_is_reviewer")
    def post(self, data, statement_id):
        """Confirm the finance bureau paid an announced statement, once (Idempotency-Key).

        The amount is the statement's total; the payment goes to the subsidy's own book,
        never the guarantee fund's ledger. Never by the fund manager who reviewed the
        statement (four eyes; the refusal is audited).
        """
        return payments.confirm_payment(db.session, current_principal(), statement_id,
                                        amount_fen=to_fen(data["amount"]),
                                        paid_on=data["paid_on"], reference=data["reference"],
                                        today=clock.today())
