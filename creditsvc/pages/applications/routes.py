"""贷款申请: the list, a new application with its 试算 (preview), and the application page."""

import re
from decimal import Decimal, InvalidOperation

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError, Invalid
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages import once
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.applications.assessment import assessment_view
from creditsvc.pages.applications.links import household_url, page_number
from creditsvc.pages.labels import label
from creditsvc.pages.validation import all_errors, form_to_data, load_form, refusal_errors, refusals_errors
from creditsvc.schemas.applications import ApplicationInSchema, ApplicationQuerySchema
from creditsvc.schemas.assessments import PreviewInSchema
from creditsvc.services.access import users
from creditsvc.services.assessment import borrower
from creditsvc.services.households import files as households
from creditsvc.services.households.lookup import find_by_id_number, households_by_id
from creditsvc.services.loans import application_facts, lines
from creditsvc.services.loans import applications as svc
from creditsvc.services.programme import policy as programme
from scoring.vocab import ALLOWED_PURPOSES, BANNED_PURPOSES

# "applications" is the API blueprint's name (flask-smorest, /api/v1/applications).
bp = Blueprint("application_pages", __name__, url_prefix="/applications")
PAGE_SIZE = 20
CENT = Decimal("0.01")


def _cipher():
    return current_app.extensions["creditsvc.core.pii"]


@bp.get("")
@page_roles("officer")
def index():
    """The applications, newest first: filtered by status and by "mine", paged on the server."""
    status = request.args.get("status", "")
    filters, errors = load_form(ApplicationQuerySchema(), {"status": status} if status else {})
    mine = request.args.get("mine") == "1"
    q = request.args.get("q", "").strip()[:40]  # an application number (SQ-2026-000045)
    number = page_number(request.args.get("page"))
    if filters is None:  # a hand-edited address: the filter form says what is wrong
        return render_template("applications/index.html", page=None, errors=errors,
                               status=status, mine=mine, q=q), 422
    page = svc.list_applications(db.session, actor(), **filters, page=number,
                                 page_size=PAGE_SIZE, newest_first=True, number=q or None,
                                 submitted_by=actor().user_id if mine else None)
    homes = households_by_id(db.session, {a.household_id for a in page.items})
    return render_template("applications/index.html", page=page, homes=homes, errors=errors,
                           status=status, mine=mine, q=q, number=number, page_size=PAGE_SIZE)


def purpose_options() -> list[tuple[str, str]]:
    """Productive purposes first; the banned ones are listed too, and declined with the reason."""
    return [(c, label("purpose", c)) for c in ALLOWED_PURPOSES] + [
        (c, _("%(purpose)s（不符合规定，将被拒绝）", purpose=label("purpose", c)))
        for c in BANNED_PURPOSES]


def _borrower_and_line(household) -> dict:
    """Whom the form offers as borrower (贷款人) and the household's credit line today."""
    if household is None:
        return {"borrowers": [], "credit_line": None}
    today = clock.today()
    offered = borrower.choices(db.session, household.id, programme.active_policy(db.session), today)
    return {"borrowers": [(c["member_id"], _("%(name)s（%(relation)s，%(age)s 岁）", name=c["name"] or "—",
                                             relation=label("relation", c["relation"]),
                                             age=c["age"] if c["age"] is not None else "—"))
                          for c in offered],
            "credit_line": lines.described(lines.line_check(db.session, household.id, today))}


def _new_page(household, form: dict, errors: dict, *, token: str | None = None, view=None,
              finder: dict | None = None, status: int = 200, template="applications/new.html"):
    return render_template(
        template, household=household, form=form, errors=errors, view=view,
        **_borrower_and_line(household),
        token=token or once.new_token(), finder=finder or {"values": {}, "errors": {}},
        purposes=purpose_options(), banks=[(c, label("bank", c)) for c in ("PSBC", "ABC")],
        household_link=household_url(household.id) if household else None), status


@bp.get("/new")
@page_roles("officer")
def new():
    """A new application: choose the household (from its file, or by ID number), then the loan."""
    chosen = request.args.get("household")
    household = households.get_household(db.session, chosen) if chosen else None
    return _new_page(household, {"term_months": "12"}, {})


@bp.post("/new/household")
@page_roles("officer")
def find_household():
    """Find the household by its head's exact ID number (keyed hash), then show the form."""
    typed = request.form.get("id_number", "").strip()
    errors = {}
    try:
        found = find_by_id_number(db.session, _cipher(), typed) if typed else None
    except Invalid as exc:
        found, errors = None, refusal_errors(exc)
    if found is not None:
        return redirect(url_for("application_pages.new", household=found.id), 303)
    if not errors:
        errors = {"id_number": [_("必填") if not typed else _("没有找到这个身份证号的户档案。")]}
    return _new_page(None, {}, {}, finder={"values": {"id_number": typed}, "errors": errors},
                     status=422)


def _application_form() -> dict:
    """The posted form as the API's schema takes it: the term a JSON integer when it is digits."""
    form = form_to_data(request.form)
    if re.fullmatch(r"[0-9]{1,6}", str(form.get("term_months", ""))):
        form["term_months"] = int(form["term_months"])
    return form


def _policy_errors(form: dict) -> dict[str, list[str]]:
    """The amount and term the policy refuses, read from the form as typed (else left to the schema)."""
    try:
        amount = Decimal(str(form.get("amount", "")).replace(",", ""))
        if amount != amount.quantize(CENT):
            amount = None  # not yuan and fen: the schema says so
    except InvalidOperation:  # not a number, or one too large to be money
        amount = None
    term = form.get("term_months")
    refused = svc.outside_policy(db.session, amount=amount,
                                 term_months=term if isinstance(term, int) else None)
    household = _household_of(form)
    if amount is not None and household is not None and not refused:  # the line's cap, at once
        above = lines.cap_refusal(lines.line_check(db.session, household.id, clock.today()), amount)
        refused += [above] if above is not None else []
    return refusals_errors(refused)


def _household_of(form: dict):
    try:
        return households.get_household(db.session, form.get("household_id", ""))
    except AppError:
        return None


@bp.post("/preview")
@page_roles("officer")
def preview():
    """试算 (htmx): the form again with the whole assessment beside it; nothing is saved."""
    form = _application_form()
    token = request.form.get("form_token") or None
    household = _household_of(form)
    data, errors = load_form(PreviewInSchema(), {k: v for k, v in form.items() if k != "bank"})
    limits = _policy_errors(form)
    errors, view = all_errors(errors, limits), None
    if data is not None and not limits:
        try:
            result = svc.preview(db.session, **data, on=clock.today())
        except AppError as exc:
            errors = refusal_errors(exc)
        else:
            policy = programme.policy_version(db.session, result["policy_version"])
            view = assessment_view(result, policy)
    # 200 even with errors: htmx swaps only a success, and the errors are shown in the fragment.
    return _new_page(household, form, errors, token=token, view=view,
                     template="applications/_area.html")


def _submit(session, data: dict) -> str:
    """Submit the application (assessed at once); where its page is."""
    app = svc.submit(session, actor(), household_id=data["household_id"], amount=data["amount"],
                     term_months=data["term_months"], purpose=data["purpose"], bank=data["bank"],
                     on=clock.today(), borrower_member_id=data.get("borrower_member_id"))
    return url_for("application_pages.show", application_id=app.id)


@bp.post("")
@page_roles("officer")
def create():
    """Submit once: the form token makes a double click or a re-post show the same application."""
    form = _application_form()
    token = request.form.get("form_token", "")
    household = _household_of(form)
    if not once.valid_token(token):
        return _new_page(household, form, {"_form": [_("表单已失效，请检查后重新提交。")]},
                         status=400)
    data, errors = load_form(ApplicationInSchema(), form)
    errors = all_errors(errors, _policy_errors(form))  # every error at once; nothing saved
    if errors:
        return _new_page(household, form, errors, token=token, status=422)
    try:
        location, replayed = once.act_once(url_for("application_pages.create"), token, data,
                                           lambda session: _submit(session, data))
    except AppError as exc:
        if exc.code == "idempotency_key_reused":
            message = _("这张表单已经提交过一份申请，内容后来又改过。为免重复，未再提交；"
                        "如确实要再提交一份新申请，请核对后再次点“提交申请”。")
            return _new_page(household, form, {"_form": [message]}, status=422)
        return _new_page(household, form, refusal_errors(exc), token=token, status=exc.status)
    if replayed:
        flash(_("这份申请已经提交过，下面就是它（没有重复提交）。"), "info")
    else:
        flash(_("申请已提交并完成评估。"), "success")
    return redirect(location, 303)


@bp.get("/<string(maxlength=36):application_id>")
@page_roles("officer")
def show(application_id):
    """One application: status, the household, and the whole stored assessment."""
    app = svc.get(db.session, actor(), application_id)
    household = households.get_household(db.session, app.household_id)
    policy = programme.policy_version(db.session, app.policy_version)
    names = users.names_of(db.session, {app.submitted_by, app.reviewed_by} - {None})
    return render_template("applications/show.html", app=app, household=household, names=names,
                           view=assessment_view(app.assessment, policy),
                           household_link=household_url(household.id),
                           **application_facts.facts(db.session, app))
