"""贷款: the bank's loans, filtered; the loan page with its history and the forms its state allows."""

from flask import render_template, request

from creditsvc.core.vocab import TOWNS
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.bank.blueprint import bp
from creditsvc.pages.bank.once import new_token
from creditsvc.pages.bank.schemas import LoanListQuerySchema
from creditsvc.pages.bank.state import allowed_actions
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.services.fund import claims, recoveries
from creditsvc.services.fund.rules import rules_for
from creditsvc.services.loans import bank_desk
from creditsvc.services.loans import reading as loans
from creditsvc.services.subsidy.book import paid_totals_fen
from lending.classification import CLASSES

PAGE_SIZE = 50


@bp.get("/loans")
@page_roles("bank")
def loan_list():
    """The bank's loans: status, days past due, 五级分类, outstanding and the next due date."""
    args = form_to_data(request.args)
    data, errors = load_form(LoanListQuerySchema(), args)
    page, heads = None, {}
    if data is not None:
        after = data.pop("after", None)
        page = loans.list_loans(db.session, actor(), **data, after=after, page_size=PAGE_SIZE)
        heads = bank_desk.masked_heads(db.session, (loan.household_id for loan in page.items))
    filters = {k: v for k, v in args.items() if k != "after"}
    return render_template("bank/loans.html", page=page, heads=heads, filters=filters, errors=errors,
                           today=clock.today(), next_due=loans.next_due,
                           towns=[(t, t) for t in TOWNS],
                           classes=[(c, c) for c in CLASSES], statuses=choices("loan_status"),
                           first=not args.get("after")), 422 if errors else 200


def loan_page(loan_id: str, *, errors: dict | None = None, forms: dict | None = None,
              status: int = 200):
    """The loan page; ERRORS and FORMS are keyed by the form that failed (its values kept)."""
    detail = loans.loan_detail(db.session, actor(), loan_id)  # another bank's: 404
    loan, rules, today = detail["loan"], rules_for(db.session), clock.today()
    filed = bank_desk.claims_of_loan(db.session, loan.id)
    standing = bank_desk.standing_claim(filed)
    actions = allowed_actions(loan, standing, today, rules.claim_trigger_dpd)
    recovered = recoveries.recovered_fen(db.session, loan.id)
    breakdown = claims.claim_computation(loan, recovered, rules) if "claim" in actions else None
    return render_template(
        "bank/loan.html", loan=loan, repayments=detail["repayments"],
        reports=detail["status_reports"], claims=filed, actions=actions, breakdown=breakdown,
        recoveries=bank_desk.recoveries(db.session, actor(), loan_id=loan.id),
        recovered=recovered, due=loans.next_due(loan, today), today=today, rules=rules,
        subsidy_paid=paid_totals_fen(db.session, [loan.id])[loan.id],
        head=bank_desk.masked_heads(db.session, [loan.household_id]).get(loan.household_id),
        errors=errors or {}, forms=forms or {}, token=new_token()), status


@bp.get("/loans/<string(maxlength=36):loan_id>")
@page_roles("bank")
def loan(loan_id):
    """One loan: schedule, repayments, status reports, extension, diversion, claim, recoveries."""
    return loan_page(loan_id)
