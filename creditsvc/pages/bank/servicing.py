"""The loan page's forms: repayment, days-past-due report, extension (展期), diversion (挪用).

Each form is read with the API's own schema and checked by the service's refusals for what
the schema let through, so that every reason shows at once beside its field; then it acts once
under its form token and redirects back to the loan page. A refusal re-renders the page with
the form's values and the reasons.
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
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors, with_refusals
from creditsvc.schemas.loans import (
    DiversionInSchema,
    ExtensionInSchema,
    RepaymentInSchema,
    StatusReportInSchema,
)
from creditsvc.services.loans import diversion as diversions
from creditsvc.services.loans import extension as extensions
from creditsvc.services.loans import reading as loans
from creditsvc.services.loans import servicing, status_reports


def _repayment_refusals(loan, d: dict, today, refused: set):
    return servicing.repayment_refusals(loan, d.get("principal"), d.get("interest"),
                                        d.get("paid_on"), today=today)


def _report_refusals(loan, d: dict, today, refused: set):
    return status_reports.report_refusals(loan, d.get("as_of"), d.get("days_past_due"), today,
                                          status_reports.first_due_on(loan))


def _extension_refusals(loan, d: dict, today, refused: set):
    # 展期日期 left blank is today, as in the API; one the schema refused is not checked.
    on = d.get("extended_on", None if "extended_on" in refused else today)
    return extensions.extension_refusals(db.session, loan, d.get("months"), on, today=today)


def _diversion_refusals(loan, d: dict, today, refused: set):
    return diversions.diversion_refusals(loan, d.get("found_on"), today=today)


# form name -> (its schema, every refusal the service can give for what the schema let
# through, the service call, what the page says when it is done)
FORMS = {
    "repayment": (RepaymentInSchema, _repayment_refusals, lambda s, loan, d, today: servicing.repay(
        s, actor(), loan, **d, today=today), _l("已登记还款。")),
    "status_report": (StatusReportInSchema, _report_refusals,
                      lambda s, loan, d, today: status_reports.report_status(
                          s, actor(), loan, **d, today=today), _l("已报送逾期情况。")),
    "extension": (ExtensionInSchema, _extension_refusals, lambda s, loan, d, today: extensions.extend(
        s, actor(), loan, **d, today=today), _l("已办理展期，还款计划已更新。")),
    "diversion": (DiversionInSchema, _diversion_refusals,
                  lambda s, loan, d, today: diversions.report_diversion(
                      s, actor(), loan, **d, today=today), _l("已登记挪用，财政贴息已取消。")),
}


# Whole-number fields: the API's schema takes a JSON integer, a form sends digits as text.
WHOLE_NUMBERS = ("days_past_due", "months")


def whole_numbers(form: dict) -> dict:
    """FORM with its whole-number fields as ints when they are plain digits (else left to refuse)."""
    return {k: int(v) if k in WHOLE_NUMBERS and v.isascii() and v.isdigit() and len(v) <= 9 else v
            for k, v in form.items()}


def serve(loan_id: str, name: str):
    """Run the form NAME on the loan once; back to the loan page, or the page with every refusal."""
    loan = loans.get_loan(db.session, actor(), loan_id)  # another bank's loan: 404 whatever the form
    schema, refusals, call, done = FORMS[name]
    form = form_to_data(request.form)
    typed = whole_numbers(form)
    data, errors = load_form(schema(), typed)
    # Every reason at once: the schema's, and the service's about each value it let through.
    errors, status = with_refusals(schema, typed, errors, lambda parsed: refusals(
        loan, parsed, clock.today(), set(errors)))
    if errors:
        return loan_page(loan_id, errors={name: errors}, forms={name: form}, status=status)

    def work(session):
        call(session, loans.get_loan(session, actor(), loan_id, lock=True), data, clock.today())
        return redirect_to(url_for("bank.loan", loan_id=loan_id))

    try:
        stored, replayed = act_once(data, work)
    except AppError as exc:  # what changed since the checks above (another clerk, a feed)
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
