"""The loan page's forms: repayment, days-past-due report, extension (展期), diversion (挪用).

Each form is read with the API's own schema, acts once under its form token, and redirects
back to the loan page; a refusal re-renders the page with the form's values and the reason.
"""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.bank.blueprint import bp
from creditsvc.pages.bank.loans import loan_page
from creditsvc.pages.bank.once import act_once, redirect_to
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors, refusals_errors
from creditsvc.schemas.loans import (
    DiversionInSchema,
    ExtensionInSchema,
    RepaymentInSchema,
    StatusReportInSchema,
)
from creditsvc.services.loans import reading as loans
from creditsvc.services.loans import servicing

# form name -> (its schema, the service call, what the page says when it is done)
FORMS = {
    "repayment": (RepaymentInSchema, lambda s, loan, d, today: servicing.repay(
        s, actor(), loan, **d, today=today), _l("已登记还款。")),
    "status_report": (StatusReportInSchema, lambda s, loan, d, today: servicing.report_status(
        s, actor(), loan, **d, today=today), _l("已报送逾期情况。")),
    "extension": (ExtensionInSchema, lambda s, loan, d, today: servicing.extend(
        s, actor(), loan, **d, today=today), _l("已办理展期，还款计划已更新。")),
    "diversion": (DiversionInSchema, lambda s, loan, d, today: servicing.report_diversion(
        s, actor(), loan, **d, today=today), _l("已登记挪用，财政贴息已取消。")),
}


# Whole-number fields: the API's schema takes a JSON integer, a form sends digits as text.
WHOLE_NUMBERS = ("days_past_due", "months")


def whole_numbers(form: dict) -> dict:
    """FORM with its whole-number fields as ints when they are plain digits (else left to refuse)."""
    return {k: int(v) if k in WHOLE_NUMBERS and v.isascii() and v.isdigit() and len(v) <= 9 else v
            for k, v in form.items()}


def serve(loan_id: str, name: str):
    """Run the form NAME on the loan once; back to the loan page, or the page with the refusal."""
    loans.get_loan(db.session, actor(), loan_id)  # another bank's loan: 404 whatever the form
    schema, call, done = FORMS[name]
    form = form_to_data(request.form)
    data, errors = load_form(schema(), whole_numbers(form))
    if errors:
        return loan_page(loan_id, errors={name: errors}, forms={name: form}, status=422)
    if name == "repayment":  # every reason at once, before the one the service would raise
        refused = servicing.repayment_refusals(loans.get_loan(db.session, actor(), loan_id),
                                               **data, today=clock.today())
        if refused:
            return loan_page(loan_id, errors={name: refusals_errors(refused)},
                             forms={name: form}, status=422)

    def work(session):
        call(session, loans.get_loan(session, actor(), loan_id, lock=True), data, clock.today())
        return redirect_to(url_for("bank.loan", loan_id=loan_id))

    try:
        stored, replayed = act_once(data, work)
    except AppError as exc:
        return loan_page(loan_id, errors={name: refusal_errors(exc)}, forms={name: form},
                         status=exc.status)
    flash(_("此表单已提交过，未重复执行。") if replayed else str(done),
          "info" if replayed else "success")
    return redirect(stored.headers["Location"], 303)


@bp.post("/loans/<string(maxlength=36):loan_id>/repayments")
@page_roles("bank")
def repayment(loan_id):
    """Record a repayment (principal and interest paid on a day)."""
    return serve(loan_id, "repayment")


@bp.post("/loans/<string(maxlength=36):loan_id>/status-reports")
@page_roles("bank")
def status_report(loan_id):
    """Report the loan's days past due as of a date (its 五级分类 follows)."""
    return serve(loan_id, "status_report")


@bp.post("/loans/<string(maxlength=36):loan_id>/extension")
@page_roles("bank")
def extension(loan_id):
    """Extend the loan once (展期) with a reason."""
    return serve(loan_id, "extension")


@bp.post("/loans/<string(maxlength=36):loan_id>/diversion")
@page_roles("bank")
def diversion(loan_id):
    """Record that the loan's funds were diverted (挪用)."""
    return serve(loan_id, "diversion")
