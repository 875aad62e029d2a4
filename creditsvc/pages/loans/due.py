"""即将到期 / 刚到期未还: the loans of my area (an officer) or my bank (a bank's staff) with an
instalment due in the next 30 days, or fallen due in the last 30 and unpaid; a page at a time."""

from flask import Blueprint, render_template, request
from marshmallow import fields, validate

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.households.routes import first_page, kept, page_size
from creditsvc.pages.households.schemas import KeysetQuerySchema
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.services.loans.coming_due import WHICH, coming_due, due_counts
from lending.schedule import COMING_DUE_DAYS, FALLEN_DUE_DAYS

bp = Blueprint("coming_due", __name__)


class DueQuerySchema(KeysetQuerySchema):
    """Which list (coming: due in the next days; fallen: fallen due unpaid), and its place."""

    which = fields.String(load_default="coming", validate=validate.OneOf(WHICH))


@bp.get("/loans/due")
@page_roles("officer", "bank")
def index():
    """The loans coming due, or just fallen due, with both counts."""
    raw = form_to_data(request.args)
    query, errors = load_form(DueQuerySchema(), raw)
    page, today = None, clock.today()
    which = (query or {}).get("which", "coming")
    if query is not None:
        page = coming_due(db.session, actor(), which, today=today, after=query.get("after"),
                          before=query.get("before"), page_size=page_size(),
                          count=first_page(query))
    return render_template("loans/due.html", page=page, which=which, raw=raw,
                           kept=kept(raw, errors), number=(query or {}).get("n", 1),
                           counts=due_counts(db.session, actor(), today=today), errors=errors,
                           today=today, ahead=COMING_DUE_DAYS, behind=FALLEN_DUE_DAYS,
                           export="coming_due" if which == "coming" else "fallen_due"), \
        200 if not errors else 422


