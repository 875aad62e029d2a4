"""Loan applications: /api/v1/applications."""

from decimal import Decimal

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint, documents_idempotency_key
from creditsvc.api.paging import CursorQuerySchema, list_response
from creditsvc.api.visibility import visible
from creditsvc.api.writes import idempotent, transactional
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.applications import (
    AcceptanceInSchema,
    ApplicationInSchema,
    ApplicationQuerySchema,
    ApplicationSchema,
    DisbursementInSchema,
    ReplaySchema,
    ReviewInSchema,
)
from creditsvc.schemas.loans import LoanDetailSchema
from creditsvc.services.loans import application_facts, disbursement
from creditsvc.services.loans import applications as svc
from creditsvc.services.loans import reading as loans

blp = Blueprint("applications", __name__, url_prefix="/api/v1/applications",
                description="Loan applications: assessment, review, bank decision, disbursement")


@blp.route("")
class Applications(MethodView):
    @roles("officer", "fund_manager", "bank")
    @blp.arguments(ApplicationQuerySchema(), location="query")
    @blp.arguments(CursorQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, ApplicationSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, filters, pagination_parameters, after=None):
        """List applications (a bank: its own, from approved onward)."""
        page = svc.list_applications(db.session, current_principal(), **filters,
                                     tz=clock.programme_zone(),
                                     page=pagination_parameters.page,
                                     page_size=pagination_parameters.page_size, after=after)
        return list_response(page, pagination_parameters)

    @roles("officer")
    @documents_idempotency_key
    @idempotent
    @blp.arguments(ApplicationInSchema())
    @blp.response(201, ApplicationSchema)
    @blp.alt_response(404, description="no such household file")
    @blp.alt_response(409, description="line_used_up")
    @blp.alt_response(422, description="borrower_not_member, amount_above_line")
    def post(self, data):
        """Submit an application; it is assessed at once and stored with the whole assessment."""
        app = svc.submit(db.session, current_principal(), household_id=data["household_id"],
                         amount=data["amount"], term_months=data["term_months"],
                         purpose=data["purpose"], bank=data["bank"], on=clock.today(),
                         borrower_member_id=data["borrower_member_id"])
        return application_facts.shown(db.session, app)


@blp.route("/<string(maxlength=36):application_id>")
class ApplicationById(MethodView):
    @roles("officer", "fund_manager", "bank")
    @blp.response(200, ApplicationSchema)
    def get(self, application_id):
        """Show one application with its assessment, its borrower and its credit line."""
        return application_facts.shown(db.session, svc.get(db.session, current_principal(),
                                                           application_id))


@blp.route("/<string(maxlength=36):application_id>/replay")
class ApplicationReplay(MethodView):
    @roles("officer", "fund_manager")
    @blp.response(200, ReplaySchema)
    def get(self, application_id):
        """Recompute the stored assessment and show that it equals the stored one."""
        return svc.replay_assessment(db.session, current_principal(), application_id)


@blp.route("/<string(maxlength=36):application_id>/review")
class ApplicationReview(MethodView):
    @roles("officer", "fund_manager")
    @transactional
    @visible(svc.get, "application_id")
    @blp.arguments(ReviewInSchema())
    @blp.response(200, ApplicationSchema)
    @blp.alt_response(403, description="reviewer_is_submitter")
    @blp.alt_response(409, description="hard_rule_failed, invalid_transition, no_headroom")
    @blp.alt_response(422, description="approved_amount_required, amount_below_minimum, "
                      "amount_above_limit")
    def post(self, data, application):
        """Approve or decline a referred application, with a note (never by its submitter).

        An approval names `approved_amount`: at least the policy's minimum (¥1,000), at most
        the least of the amount asked, the grade's credit limit (an unrated application has
        none), the policy's maximum (¥50,000) and the household's headroom under its cap.
        """
        return svc.review(db.session, current_principal(), application,
                          approve=data["decision"] == "approve", note=data["note"],
                          approved_amount=data.get("approved_amount"))


@blp.route("/<string(maxlength=36):application_id>/acceptance")
class ApplicationAcceptance(MethodView):
    @roles("bank")
    @transactional
    @visible(svc.get, "application_id")
    @blp.arguments(AcceptanceInSchema())
    @blp.response(200, ApplicationSchema)
    @blp.alt_response(409, description="invalid_transition")
    def post(self, data, application):
        """Accept or reject an approved application routed to the caller's bank."""
        return svc.bank_decision(db.session, current_principal(), application,
                                 accept=data["decision"] == "accept", reason=data["reason"],
                                 today=clock.today())


@blp.route("/<string(maxlength=36):application_id>/disbursement")
class ApplicationDisbursement(MethodView):
    @roles("bank")
    @documents_idempotency_key
    @idempotent
    @visible(svc.get, "application_id")
    @blp.arguments(DisbursementInSchema())
    @blp.response(201, LoanDetailSchema)
    @blp.alt_response(409, description="invalid_transition, leverage_cap_reached, "
                      "bank_capacity_reached, household_cap_reached, lending_suspended_npl, "
                      "lending_suspended_balance, fund_not_initialised, credit_line_expired, "
                      "hard_rule_failed")
    @blp.alt_response(422, description="amount_below_minimum, amount_above_approved, "
                      "date_in_future, before_acceptance, rate_above_cap")
    def post(self, data, application):
        """Report a disbursement: the loan and its schedule, within every cap.

        Dated between the bank's acceptance and today, inside the 2-year credit line, at
        least the policy's minimum and at most the approved amount; the hard rules (bad
        credit, status, age, no overdue loan) hold against the household on that date.
        """
        principal = current_principal()
        loan = disbursement.disburse(db.session, principal, application, amount=data["amount"],
                                     disbursed_on=data["disbursed_on"],
                                     annual_rate=Decimal(data["annual_rate"]),
                                     schedule_kind=data["schedule"], today=clock.today())
        return loans.loan_detail(db.session, principal, loan.id)
