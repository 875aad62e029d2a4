"""代偿审批, claims: the amount's breakdown as filed and as now; approve, reject, reverse.

Approval pays at once (a draw on the fund) and asks the browser for confirmation first; a
rejection and a reversal need a reason. Each decision goes through the same services as the
API, once per form token (pages/once.py): a double click never decides twice.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.fund.overview import bp
from creditsvc.pages.once import act_once, new_token
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.claims import RejectInSchema, ReverseInSchema
from creditsvc.services.fund import claim_reversal, claims
from creditsvc.services.fund.rules import rules_for
from models import Claim, Loan

STATUSES = ("filed", "paid", "rejected", "reversed")
PAGE_SIZE = 50


def breakdown_now(session, claim: Claim) -> dict | None:
    """The claim's amount on its loan as it stands today (None once the claim is decided)."""
    if claim.status != "filed":
        return None
    return claims.claim_now(session, session.get(Loan, claim.loan_id), rules_for(session))


@bp.get("/claims")
@page_roles("fund_manager")
def claims_list():
    """Claims by status (filed first: the ones waiting for a decision)."""
    status = request.args.get("status", "filed")
    status = status if status in STATUSES else "filed"
    page = claims.list_claims(db.session, actor(), status=status, limit=PAGE_SIZE)
    counts = dict(db.session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())
    loans = {loan.id: loan for loan in db.session.execute(select(Loan).where(
        Loan.id.in_([c.loan_id for c in page.items]))).scalars()}
    return render_template("fund/claims.html", claims=page.items, total=page.total, loans=loans,
                           status=status, statuses=STATUSES, counts=counts)


def _claim_page(claim_id: str, errors: dict | None = None, form: str | None = None):
    claim = claims.get_claim(db.session, actor(), claim_id)
    loan = db.session.get(Loan, claim.loan_id)
    return render_template("fund/claim.html", claim=claim, loan=loan, errors=errors or {},
                           failed_form=form, now=breakdown_now(db.session, claim),
                           token=new_token(), reason=request.form.get("reason", "")), \
        422 if errors else 200


@bp.get("/claims/<string(maxlength=36):claim_id>")
@page_roles("fund_manager")
def claim_page(claim_id):
    """One claim: the loan, the amount's breakdown as filed and as now, the decision forms."""
    return _claim_page(claim_id)


def _decide(claim_id: str, form: str, schema, decide, done_message: str):
    data, errors = ({}, {}) if schema is None else load_form(schema, form_to_data(request.form))
    if errors:
        return _claim_page(claim_id, errors, form)
    def work(session) -> str:
        decide(session, data)
        return url_for("fund_office.claim_page", claim_id=claim_id)

    try:
        act_once(request.path, request.form.get("form_token"), data, work)
    except AppError as exc:
        return _claim_page(claim_id, refusal_errors(exc), form)
    flash(done_message, "success")
    return redirect(url_for("fund_office.claim_page", claim_id=claim_id))


@bp.post("/claims/<string(maxlength=36):claim_id>/approve")
@page_roles("fund_manager")
def claim_approve(claim_id):
    """Approve: the claim is paid at once from the fund."""
    return _decide(claim_id, "approve", None, lambda s, d: claims.approve_claim(
        s, actor(), claim_id, rules_for(s), on=clock.today()), _("代偿已批准并支付。"))


@bp.post("/claims/<string(maxlength=36):claim_id>/reject")
@page_roles("fund_manager")
def claim_reject(claim_id):
    """Reject, with a reason."""
    return _decide(claim_id, "reject", RejectInSchema(), lambda s, d: claims.reject_claim(
        s, actor(), claim_id, d["reason"]), _("代偿申请已拒绝。"))


@bp.post("/claims/<string(maxlength=36):claim_id>/reverse")
@page_roles("fund_manager")
def claim_reverse(claim_id):
    """Reverse a claim paid in error: the cash returns, the loan and its exposure come back."""
    return _decide(claim_id, "reverse", ReverseInSchema(), lambda s, d: claim_reversal.reverse_claim(
        s, actor(), claim_id, reason=d["reason"], on=clock.today()), _("代偿已冲正。"))
