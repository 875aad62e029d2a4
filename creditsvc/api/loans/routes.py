"""Loans and their servicing: /api/v1/loans and the bulk feed /api/v1/loan-status-reports."""

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint, documents_idempotency_key
from creditsvc.api.body import BULK_FEED_LIMIT, body_limit
from creditsvc.api.paging import CursorQuerySchema, list_response
from creditsvc.api.visibility import visible
from creditsvc.api.writes import idempotent, transactional
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.loans import (
    BulkInSchema,
    BulkResultSchema,
    CorrectionInSchema,
    DiversionInSchema,
    ExtensionInSchema,
    LoanDetailSchema,
    LoanQuerySchema,
    LoanSchema,
    PortfolioQuerySchema,
    PortfolioSchema,
    RepaymentInSchema,
    RepaymentSchema,
    StatusReportInSchema,
)
from creditsvc.services.loans import corrections, diversion, extension, servicing, status_reports
from creditsvc.services.loans import reading as svc

blp = Blueprint("loans", __name__, url_prefix="/api/v1",
                description="Loans: schedule, repayments, days past due, extension, portfolio")


@blp.route("/loans")
class Loans(MethodView):
    @roles("officer", "fund_manager", "bank")
    @blp.arguments(LoanQuerySchema(), location="query")
    @blp.arguments(CursorQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, LoanSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, filters, pagination_parameters, after=None):
        """List loans (a bank: its own)."""
        page = svc.list_loans(db.session, current_principal(), **filters,
                              page=pagination_parameters.page,
                              page_size=pagination_parameters.page_size, after=after)
        return list_response(page, pagination_parameters)


@blp.route("/loans/portfolio")
class LoanPortfolio(MethodView):
    @roles("fund_manager", "bank")
    @blp.arguments(PortfolioQuerySchema(), location="query")
    @blp.response(200, PortfolioSchema)
    def get(self, query):
        """PAR30, PAR90, NPL ratio and class totals of the active book (a bank: its own)."""
        return svc.portfolio_of(db.session, current_principal(), query.get("bank"))


@blp.route("/loans/<string(maxlength=36):loan_id>")
class LoanById(MethodView):
    @roles("officer", "fund_manager", "bank")
    @blp.response(200, LoanDetailSchema)
    def get(self, loan_id):
        """Show a loan with its schedule, repayments and status reports."""
        return svc.loan_detail(db.session, current_principal(), loan_id)


@blp.route("/loans/<string(maxlength=36):loan_id>/repayments")
class LoanRepayments(MethodView):
    @roles("bank")
    @documents_idempotency_key
    @idempotent
    @visible(svc.get_loan, "loan_id")
    @blp.arguments(RepaymentInSchema())
    @blp.response(201, RepaymentSchema)
    @blp.alt_response(409, description="invalid_transition (the loan is not active)")
    def post(self, data, loan):
        """Record a repayment; the loan closes as repaid when nothing is outstanding."""
        return servicing.repay(db.session, current_principal(), loan, **data, today=clock.today())


@blp.route("/loans/<string(maxlength=36):loan_id>/status-reports")
class LoanStatusReports(MethodView):
    @roles("bank")
    @transactional
    @visible(svc.get_loan, "loan_id")
    @blp.arguments(StatusReportInSchema())
    @blp.response(201, LoanSchema)
    @blp.alt_response(409, description="invalid_transition, stale_status_report")
    @blp.alt_response(422, description="date_in_future, dpd_exceeds_age")
    def post(self, data, loan):
        """Report days past due: classification, NPL exposure and the subsidy follow.

        The report is dated by today (the business date), not before the loan's last report,
        and its days past due are at most the days since the first instalment fell due.
        """
        return status_reports.report_status(db.session, current_principal(), loan, **data,
                                       today=clock.today())


@blp.route("/loans/<loan_id>/status-reports/<report_id>/correction")
class LoanStatusReportCorrection(MethodView):
    @roles("bank")
    @transactional
    @visible(svc.get_loan, "loan_id")
    @blp.arguments(CorrectionInSchema())
    @blp.response(200, LoanSchema)
    @blp.alt_response(404, description="status_report_not_found")
    @blp.alt_response(409, description="report_already_superseded, invalid_transition, "
                      "stale_status_report")
    def post(self, data, loan, report_id):
        """Correct a wrong days-past-due report: superseded with a reason, the loan recomputed.

        The loan's days past due, class, accrued interest and the fund's NPL exposure go back
        to its latest report still standing; the true report, if given (`as_of` and
        `days_past_due`), is then applied under every rule of a report. Audited before/after.
        """
        return corrections.correct_report(db.session, current_principal(), loan, report_id,
                                          **data, today=clock.today())


@blp.route("/loans/<string(maxlength=36):loan_id>/extension")
class LoanExtension(MethodView):
    @roles("bank")
    @transactional
    @visible(svc.get_loan, "loan_id")
    @blp.arguments(ExtensionInSchema())
    @blp.response(200, LoanSchema)
    @blp.alt_response(409, description="already_extended, extension_after_maturity, "
                      "invalid_transition")
    def post(self, data, loan):
        """Extend a loan once (展期), up to the policy's maximum, with a reason.

        The schedule after the extension date is laid again to the new maturity, with the
        interest of the extra months; payments already made on it stay counted.
        """
        return extension.extend(db.session, current_principal(), loan, **data, today=clock.today())


@blp.route("/loans/<string(maxlength=36):loan_id>/diversion")
class LoanDiversion(MethodView):
    @roles("officer", "bank")
    @transactional
    @visible(svc.get_loan, "loan_id")
    @blp.arguments(DiversionInSchema())
    @blp.response(200, LoanSchema)
    @blp.alt_response(409, description="diversion_already_reported, invalid_transition")
    def post(self, data, loan):
        """Record that the loan's funds were diverted (挪用): its interest subsidy is cancelled.

        The loan officer (village follow-up) or the bank (post-loan check) reports it, with
        the day it was found and a note; the subsidy statement owes nothing for it from then on.
        """
        return diversion.report_diversion(db.session, current_principal(), loan, **data,
                                          today=clock.today())


@blp.route("/loan-status-reports")
class BulkStatusReports(MethodView):
    @roles("bank")
    @transactional
    @body_limit(BULK_FEED_LIMIT)
    @blp.arguments(BulkInSchema())
    @blp.response(200, BulkResultSchema)
    def post(self, data):
        """The bank's days-past-due feed: up to 10,000 rows, each applied or refused on its own.

        The body may be up to 4 MiB (every other body: 256 KiB); a larger one is 413.

        A row for an unknown loan or another bank's loan gets `loan_not_found`; a row for a
        closed loan `invalid_transition`; a row older than the loan's last report
        `stale_status_report`. The other rows are applied regardless.
        """
        results = status_reports.report_status_bulk(db.session, current_principal(), data["rows"],
                                               today=clock.today())
        ok = sum(r.ok for r in results)
        return {"accepted": ok, "rejected": len(results) - ok, "results": results}
