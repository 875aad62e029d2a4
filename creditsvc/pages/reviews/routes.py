"""待复核: referred cases waiting for a second officer, and the case page where one is decided."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.applications.assessment import assessment_view, explained
from creditsvc.pages.applications.links import household_url, page_number
from creditsvc.pages.households.blueprint import cipher
from creditsvc.pages.validation import all_errors, form_to_data, load_form, refusal_errors
from creditsvc.schemas.applications import ReviewInSchema
from creditsvc.services.access import areas, users
from creditsvc.services.households import files as households
from creditsvc.services.households.lookup import households_by_id
from creditsvc.services.households.search import SEARCH_COLUMNS, SEARCH_KEY, matching, search_hash
from creditsvc.services.loans import application_facts
from creditsvc.services.loans import applications as svc
from creditsvc.services.loans.numbers import normalise
from creditsvc.services.platform.uow import UnitOfWork
from creditsvc.services.programme import policy as programme
from models import Household

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
PAGE_SIZE = 20
SORTS = ("newest", "oldest")


class QueueQuerySchema(Schema):
    """The queue's search: an application number, part of a village's name, a head of
    household (by the keyed hash the search post redirected with), and the order."""

    number = fields.String(validate=validate.Length(max=40))
    village = fields.String(validate=validate.Length(max=64))
    by = fields.String(validate=validate.OneOf(tuple(SEARCH_COLUMNS)))
    key = fields.String(validate=validate.Regexp(SEARCH_KEY))
    sort = fields.String(validate=validate.OneOf(SORTS))


@bp.get("")
@page_roles("officer")
def index():
    """The queue: referred applications of my area submitted by someone else, newest first."""
    number = page_number(request.args.get("page"))
    raw = {k: v for k, v in form_to_data(request.args).items() if k in QueueQuerySchema().fields}
    query, errors = load_form(QueueQuerySchema(), raw)
    query = query or {}
    heads = None
    if query.get("by") and query.get("key"):
        heads = select(Household.id).where(matching(query["by"], query["key"]))
    page = svc.list_applications(db.session, actor(), status="referred", page=number,
                                 page_size=PAGE_SIZE, not_submitted_by=actor().user_id,
                                 area_of=actor().user_id, number=query.get("number") or None,
                                 village=query.get("village") or None, household_in=heads,
                                 newest_first=query.get("sort", "newest") == "newest")
    homes = households_by_id(db.session, {a.household_id for a in page.items})
    names = users.names_of(db.session, {a.submitted_by for a in page.items})
    why = {a.id: [r["text"] + (f"（{'、'.join(r['details'])}）" if r["details"] else "")
                  for r in explained(a.assessment)["decision_reasons"]] for a in page.items}
    kept = {k: v for k, v in raw.items() if v and k not in errors}
    return render_template("reviews/index.html", page=page, homes=homes, names=names, why=why,
                           areas=areas.areas_of(db.session, actor().user_id), raw=raw,
                           kept=kept, errors=errors, number=number, page_size=PAGE_SIZE), \
        422 if errors else 200


# Search text that is neither a number nor a person: a hash no file has, so nothing is found.
NOTHING = "0" * 64


@bp.post("/search")
@page_roles("officer")
def search():
    """The search box's post: a number stays a number; a name (or ID number, phone) becomes
    its keyed hash, so no personal data travels in the address (PRG)."""
    form = form_to_data(request.form)
    text = form.get("q", "").strip()
    args = {k: form[k] for k in ("village", "sort") if form.get(k)}
    if text and normalise(text):
        args["number"] = text
    elif text:
        found = search_hash(cipher(), text) if len(text) <= 40 else None
        args["by"], args["key"] = found or ("name", NOTHING)
    return redirect(url_for("reviews.index", **args), 303)


def _case_page(application_id: str, form: dict, errors: dict, status: int = 200):
    app = svc.get(db.session, actor(), application_id)
    household = households.get_household(db.session, app.household_id)
    policy = programme.policy_version(db.session, app.policy_version)
    reviewable = app.status == "referred"
    return render_template(
        "reviews/show.html", app=app, household=household, form=form, errors=errors,
        view=assessment_view(app.assessment, policy), reviewable=reviewable,
        own=app.submitted_by == actor().user_id,
        cap=svc.review_cap(db.session, app) if reviewable else None,
        names=users.names_of(db.session, {app.submitted_by, app.reviewed_by} - {None}),
        household_link=household_url(household.id), **application_facts.facts(db.session, app)), status


def _amount_errors(application_id: str, form: dict) -> dict[str, list[str]]:
    """An approval's amount refused by the service, found together with the schema's errors."""
    if form.get("decision") != "approve":
        return {}
    typed = {k: v for k, v in form.items() if k == "approved_amount"}
    amount, _errors = load_form(ReviewInSchema(only=("approved_amount",)), typed)
    if amount is None:  # the schema has said what is wrong with it
        return {}
    app = svc.get(db.session, actor(), application_id)
    refusal = svc.approved_amount_refusal(db.session, app, amount.get("approved_amount"))
    return refusal_errors(refusal) if refusal is not None else {}


@bp.get("/<string(maxlength=36):application_id>")
@page_roles("officer")
def show(application_id):
    """A referred case with its whole assessment, and the reviewer's decision form."""
    return _case_page(application_id, {}, {})


@bp.post("/<string(maxlength=36):application_id>")
@page_roles("officer")
def decide(application_id):
    """Approve (an amount within the grade's limit) or decline, with a note; never one's own case."""
    form = form_to_data(request.form)
    data, errors = load_form(ReviewInSchema(), form)
    if data is None:
        return _case_page(application_id, form, all_errors(errors, _amount_errors(
            application_id, form)), 422)
    try:
        with UnitOfWork(db.session) as uow:
            app = svc.get(uow.session, actor(), application_id, lock=True)
            svc.review(uow.session, actor(), app, approve=data["decision"] == "approve",
                       note=data["note"], approved_amount=data.get("approved_amount"))
            uow.commit()
    except AppError as exc:
        if exc.status == 404:
            raise
        return _case_page(application_id, form, refusal_errors(exc), exc.status)
    flash(_("已核准该申请。") if data["decision"] == "approve" else _("已拒绝该申请。"), "success")
    return redirect(url_for("reviews.index"), 303)
