"""贷款: the loans in the officer's area, by 五级分类 class and overdue, or by number (read-only)."""

from flask import Blueprint, render_template, request

from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.households.routes import first_page, kept, page_size
from creditsvc.pages.households.schemas import LoanListQuerySchema
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.services.access.areas import areas_of
from creditsvc.services.loans.villages import village_loans
from lending.classification import CLASSES

bp = Blueprint("village_loans", __name__)


@bp.get("/loans")
@page_roles("officer")
def index():
    """The loans of the households in my area, a page at a time."""
    raw = form_to_data(request.args)
    query, errors = load_form(LoanListQuerySchema(), raw)
    page = None
    if query is not None:
        page = village_loans(db.session, actor(), classification=query.get("class_"),
                             only_overdue=bool(query.get("overdue")), status=query.get("status"),
                             number=query.get("q") or None,
                             after=query.get("after"), before=query.get("before"),
                             page_size=page_size(), count=first_page(query))
        if "overdue" in query:
            raw["overdue"] = "true" if query["overdue"] else "false"
    return render_template("loans/index.html", page=page, raw=raw, kept=kept(raw, errors),
                           number=(query or {}).get("n", 1), errors=errors,
                           areas=areas_of(db.session, actor().user_id),
                           classes=[(c, c) for c in CLASSES], statuses=choices("loan_status")), \
        (200 if not errors else 422)
