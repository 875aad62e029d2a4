"""放款: amount, date, rate (its LPR cap shown) and schedule; a preview of the schedule, then confirm.

The preview is an htmx post answered with a fragment (a full page without JavaScript). The
confirmation form inside the preview carries exactly the previewed terms, so what is paid out
is what was shown; the service checks every cap again when it disburses.
"""

from collections import OrderedDict
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.core.money import from_fen, to_fen
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.bank.blueprint import bp
from creditsvc.pages.bank.once import act_once, new_token, redirect_to
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors, refusals_errors
from creditsvc.schemas.applications import DisbursementInSchema
from creditsvc.services.loans import application_facts, applications, bank_desk, disbursement
from creditsvc.services.programme.policy import active_policy
from lending import schedule
from scoring.policy import PolicyError


def _cap(term_months: int, on) -> Decimal | None:
    """The rate cap in percent for the term on a date (None before the first LPR known)."""
    try:
        return active_policy(db.session).lpr_cap(term_months, on) * 100
    except PolicyError:
        return None


def by_year(items) -> list[dict]:
    """Principal, interest and their sum per calendar year of the due dates, and the total."""
    years: OrderedDict[int, list[int]] = OrderedDict()
    for item in items:
        row = years.setdefault(item.due_on.year, [0, 0])
        row[0] += item.principal_fen
        row[1] += item.interest_fen
    return [{"year": y, "principal_fen": p, "interest_fen": i, "total_fen": p + i}
            for y, (p, i) in years.items()]


def preview_of(app, data: dict) -> dict:
    """The schedule the terms make, its totals per year, or every reason they cannot be paid out."""
    cap = _cap(app.term_months, data["disbursed_on"])
    refused = disbursement.term_refusals(db.session, app, amount=data["amount"],
                                         disbursed_on=data["disbursed_on"],
                                         annual_rate=Decimal(data["annual_rate"]),
                                         today=clock.today())
    if refused:
        return {"errors": refusals_errors(refused), "cap": cap}
    amount_fen, bp_ = to_fen(data["amount"]), disbursement.rate_bp(Decimal(data["annual_rate"]))
    items = schedule.build(data["schedule"], amount_fen, bp_, data["disbursed_on"], app.term_months)
    years = by_year(items)
    return {"errors": {}, "cap": cap, "items": items, "years": years,
            "total": {k: sum(y[k] for y in years) for k in ("principal_fen", "interest_fen",
                                                            "total_fen")}}


def _page(app, form: dict, *, errors=None, preview=None, status=200):
    return render_template("bank/disburse.html", app=app, form=form, errors=errors or {},
                           preview=preview, cap=_cap(app.term_months, clock.today()),
                           schedules=choices("schedule"),
                           head=bank_desk.masked_heads(db.session, [app.household_id]).get(
                               app.household_id),
                           borrower=application_facts.borrower_of(db.session, app.household_id,
                                                                  app.borrower_member_id)), status


def _defaults(app) -> dict:
    cap = _cap(app.term_months, clock.today())
    return {"amount": f"{from_fen(app.approved_amount_fen):.2f}",
            "disbursed_on": clock.today().isoformat(),
            "annual_rate": f"{cap:.2f}" if cap is not None else "",
            "schedule": "interest_quarterly", "form_token": new_token()}


def _accepted(application_id):
    """The application if it waits for disbursement; else where the user should go instead."""
    app = applications.get(db.session, actor(), application_id)  # another bank's: 404
    if app.status == "accepted":
        return app, None
    if app.status == "disbursed":
        loan = bank_desk.loan_of_application(db.session, app.id)
        return app, redirect(url_for("bank.loan", loan_id=loan.id))
    flash(_("只有已受理的申请才能放款。"), "warning")
    return app, redirect(url_for("bank.application", application_id=app.id))


@bp.get("/applications/<string(maxlength=36):application_id>/disburse")
@page_roles("bank")
def disburse(application_id):
    """The disbursement form, filled with the approved amount, today and the rate cap."""
    app, elsewhere = _accepted(application_id)
    return elsewhere or _page(app, _defaults(app))


@bp.post("/applications/<string(maxlength=36):application_id>/disburse/preview")
@page_roles("bank")
def disburse_preview(application_id):
    """The repayment schedule of the terms typed, with totals per year (an htmx fragment)."""
    app, elsewhere = _accepted(application_id)
    if elsewhere:
        return elsewhere
    form = form_to_data(request.form)
    data, errors = load_form(DisbursementInSchema(), form)
    form["form_token"] = request.form.get("form_token") or new_token()
    preview = preview_of(app, data) if data is not None else {"errors": errors}
    status = 422 if preview["errors"] else 200
    if request.headers.get("HX-Request"):
        # The preview, and the form again (out of band) with each reason beside its field;
        # base.html's htmx-config swaps a 422 answer, which htmx 2 would otherwise drop.
        return render_template("bank/_disburse_answer.html", app=app, form=form,
                               preview=preview, errors=preview["errors"],
                               cap=_cap(app.term_months, clock.today()),
                               schedules=choices("schedule")), status
    return _page(app, form, errors=preview["errors"], preview=preview, status=status)


@bp.post("/applications/<string(maxlength=36):application_id>/disburse")
@page_roles("bank")
def disburse_confirm(application_id):
    """Pay out the previewed terms once (the form token); a cap refused is shown in Chinese."""
    app = applications.get(db.session, actor(), application_id)  # another bank's: 404
    form = form_to_data(request.form)
    data, errors = load_form(DisbursementInSchema(), form)
    form["form_token"] = request.form.get("form_token", "")
    if errors:
        return _page(app, form, errors=errors, status=422)
    refused = disbursement.term_refusals(db.session, app, amount=data["amount"],
                                         disbursed_on=data["disbursed_on"],
                                         annual_rate=Decimal(data["annual_rate"]),
                                         today=clock.today())
    if refused:  # every reason at once; the service checks them all again when it pays out
        return _page(app, form, errors=refusals_errors(refused), status=422)

    def work(session):
        locked = applications.get(session, actor(), application_id, lock=True)
        loan = disbursement.disburse(session, actor(), locked, amount=data["amount"],
                                     disbursed_on=data["disbursed_on"],
                                     annual_rate=Decimal(data["annual_rate"]),
                                     schedule_kind=data["schedule"], today=clock.today())
        return redirect_to(url_for("bank.loan", loan_id=loan.id))

    try:
        stored, replayed = act_once(data, work)
    except AppError as exc:
        app = applications.get(db.session, actor(), application_id)
        return _page(app, form, errors=refusal_errors(exc), status=exc.status)
    flash(_("此表单已提交过，未重复放款。") if replayed else _("已放款，贷款已生成。"),
          "info" if replayed else "success")
    return redirect(stored.headers["Location"], 303)
