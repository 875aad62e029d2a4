"""待受理: approved applications routed to the bank; one page each; accept, reject, bulk accept."""

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.core.refusals import text
from creditsvc.core.vocab import TOWNS
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.applications.assessment import explained
from creditsvc.pages.bank.blueprint import bp
from creditsvc.pages.bank.once import act_once, new_token, redirect_to
from creditsvc.pages.bank.schemas import GRADES, BulkAcceptSchema, QueueQuerySchema
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors, refusal_message
from creditsvc.schemas.applications import AcceptanceInSchema
from creditsvc.services.loans import application_facts, applications, bank_desk
from creditsvc.services.platform.scope import may_see

PAGE_SIZE = 50
# How a bulk acceptance's outcomes are stored under its form token (and told from other bodies).
BULK_OUTCOME = "application/vnd.creditsvc.bulk-acceptance+json"


@bp.get("/applications")
@page_roles("bank")
def queue():
    """Approved applications waiting for the bank's decision, filtered, a page at a time."""
    args = form_to_data(request.args)
    data, errors = load_form(QueueQuerySchema(), args)
    page, heads = None, {}
    if data is not None:
        after = data.pop("after", None)
        page = bank_desk.queue(db.session, actor(), bank_desk.QueueFilters(**data), after=after,
                               page_size=PAGE_SIZE, tz=clock.programme_zone())
        heads = bank_desk.masked_heads(db.session, (a.household_id for a in page.items))
    filters = {k: v for k, v in args.items() if k != "after"}
    return render_template("bank/queue.html", page=page, heads=heads, filters=filters,
                           errors=errors, towns=[(t, t) for t in TOWNS],
                           grades=[(g, g) for g in GRADES], token=new_token(),
                           first=not args.get("after")), 422 if errors else 200


def _application_page(app, *, errors=None, form=None, status=200):
    heads = bank_desk.masked_heads(db.session, [app.household_id])
    loan = bank_desk.loan_of_application(db.session, app.id) if app.status == "disbursed" else None
    return render_template("bank/application.html", app=app, head=heads.get(app.household_id),
                           loan=loan, errors=errors or {}, form=form or {},
                           words=explained(app.assessment or {}), token=new_token(),
                           **application_facts.facts(db.session, app)), status


@bp.get("/applications/<string(maxlength=36):application_id>")
@page_roles("bank")
def application(application_id):
    """One application: its assessment, read-only, and the bank's decision."""
    return _application_page(applications.get(db.session, actor(), application_id))


@bp.post("/applications/<string(maxlength=36):application_id>/decision")
@page_roles("bank")
def decide(application_id):
    """Accept (then disburse) or reject with a reason, once per form."""
    app = applications.get(db.session, actor(), application_id)  # another bank's: 404
    form = form_to_data(request.form)
    data, errors = load_form(AcceptanceInSchema(), form)
    if errors:
        return _application_page(app, errors=errors, form=form, status=422)
    accept = data["decision"] == "accept"

    def work(session):
        locked = applications.get(session, actor(), application_id, lock=True)
        applications.bank_decision(session, actor(), locked, accept=accept,
                                   reason=data["reason"], today=clock.today())
        where = "bank.disburse" if accept else "bank.application"
        return redirect_to(url_for(where, application_id=application_id))

    try:
        stored, replayed = act_once(data, work)
    except AppError as exc:
        return _application_page(applications.get(db.session, actor(), application_id),
                                 errors=refusal_errors(exc), form=form, status=exc.status)
    if replayed:
        flash(_("此表单已提交过，未重复执行。"), "info")
    else:
        flash(_("已受理，请办理放款。") if accept else _("已拒绝该申请。"), "success")
    return redirect(stored.headers["Location"], 303)


@bp.post("/applications/bulk-accept")
@page_roles("bank")
def bulk_accept():
    """Accept the ticked rows in one post; each row accepted or refused on its own, shown after."""
    data, errors = load_form(BulkAcceptSchema(), form_to_data(request.form, lists=("ids",)))
    if errors:
        flash(_("请勾选要受理的申请，并填写受理意见。") if "ids" in errors
              else "；".join(m for ms in errors.values() for m in ms), "danger")
        return redirect(url_for("bank.queue"), 303)
    token = request.form.get("form_token", "")

    def work(session):
        rows = []
        for app_id in dict.fromkeys(data["ids"]):  # a row ticked twice counts once
            try:
                app = applications.get(session, actor(), app_id, lock=True)
                applications.bank_decision(session, actor(), app, accept=True,
                                           reason=data["reason"], today=clock.today())
                rows.append({"id": app_id, "ok": True})
            except AppError as exc:  # refused before any write: the other rows go on
                # Kept as code and parameters: the outcome page says it in its own language.
                rows.append({"id": app_id, "ok": False, "code": exc.code, "params": exc.params})
        return redirect_to(url_for("bank.bulk_result", token=token),
                           json.dumps(rows).encode(), BULK_OUTCOME)

    try:
        stored, _replayed = act_once(data, work)
    except AppError as exc:
        flash(refusal_message(exc), "danger")
        return redirect(url_for("bank.queue"), 303)
    return redirect(stored.headers["Location"], 303)


@bp.get("/applications/bulk/<string(maxlength=36):token>")
@page_roles("bank")
def bulk_result(token):
    """What a bulk acceptance did, row by row: accepted, or refused and why."""
    body = bank_desk.stored_outcome(db.session, actor().user_id, token, BULK_OUTCOME)
    if body is None:
        abort(404)
    rows = json.loads(body)
    apps = {a.id: a for a in bank_desk.applications_by_id(db.session, [r["id"] for r in rows])
            if may_see(actor(), a.bank_code)}
    heads = bank_desk.masked_heads(db.session, (a.household_id for a in apps.values()))
    for row in rows:
        if not row["ok"]:
            row["why"] = text(row["code"], row.get("params"))
    return render_template("bank/bulk_result.html", rows=rows, apps=apps, heads=heads,
                           accepted=sum(r["ok"] for r in rows))
