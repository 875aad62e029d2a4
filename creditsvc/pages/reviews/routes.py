"""待复核: referred cases waiting for a second officer, and the case page where one is decided."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.applications.assessment import assessment_view, text_of
from creditsvc.pages.applications.links import household_url, page_number
from creditsvc.pages.validation import all_errors, form_to_data, load_form, refusal_errors
from creditsvc.schemas.applications import ReviewInSchema
from creditsvc.services.access import areas, users
from creditsvc.services.households import files as households
from creditsvc.services.households.lookup import households_by_id
from creditsvc.services.loans import applications as svc
from creditsvc.services.platform.uow import UnitOfWork
from creditsvc.services.programme import policy as programme

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
PAGE_SIZE = 20


@bp.get("")
@page_roles("officer")
def index():
    """The queue: referred applications of my area submitted by someone else, oldest first."""
    number = page_number(request.args.get("page"))
    page = svc.list_applications(db.session, actor(), status="referred", page=number,
                                 page_size=PAGE_SIZE, not_submitted_by=actor().user_id,
                                 area_of=actor().user_id)
    homes = households_by_id(db.session, {a.household_id for a in page.items})
    names = users.names_of(db.session, {a.submitted_by for a in page.items})
    why = {a.id: [text_of(r) for r in a.assessment.get("decision_reasons", [])]
           for a in page.items}
    return render_template("reviews/index.html", page=page, homes=homes, names=names, why=why,
                           areas=areas.areas_of(db.session, actor().user_id),
                           number=number, page_size=PAGE_SIZE)


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
        household_link=household_url(household.id)), status


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
