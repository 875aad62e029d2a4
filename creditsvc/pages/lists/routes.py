"""信用评级 and 应贷未贷: the officer's lists of granted lines and of households that have not borrowed.

Read with the API's own filter schemas, a page at a time by cursor, the total counted on the
first page; 应贷未贷's first page also shows its counts per town and village.
"""

from flask import Blueprint, render_template, request

from creditsvc.core.vocab import TOWNS
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.households.routes import first_page, kept, page_size
from creditsvc.pages.households.schemas import KeysetQuerySchema
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.schemas.lists import GRADES, CreditRatingQuerySchema, UnborrowedQuerySchema
from creditsvc.services.access.areas import areas_of
from creditsvc.services.campaign import lists
from creditsvc.services.campaign.lists import ListFilter

bp = Blueprint("campaign_lists", __name__, url_prefix="/lists")


class RatingListQuerySchema(CreditRatingQuerySchema, KeysetQuerySchema):
    """The 信用评级 page: the API's filters and the pager's place."""


class UnborrowedListQuerySchema(UnborrowedQuerySchema, KeysetQuerySchema):
    """The 应贷未贷 page: the API's filters and the pager's place."""


def _read(schema):
    """(the query's values or None, its errors, the raw args) of the list's address."""
    raw = form_to_data(request.args)
    query, errors = load_form(schema, raw)
    return query, errors, raw


def _filter(query: dict) -> ListFilter:
    return ListFilter(**{k: query.get(k) for k in ("town", "village", "grade", "state")})


def _context(raw: dict, errors: dict, query: dict | None) -> dict:
    return {"raw": raw, "kept": kept(raw, errors), "errors": errors,
            "number": (query or {}).get("n", 1), "areas": areas_of(db.session, actor().user_id),
            "towns": [(t, t) for t in TOWNS], "grades": [(g, g) for g in GRADES],
            "today": clock.today()}


@bp.get("/ratings")
@page_roles("officer")
def ratings():
    """信用评级: the lines granted in my area, each with its grade, line, dates and state."""
    query, errors, raw = _read(RatingListQuerySchema())
    page = None
    if query is not None:
        page = lists.credit_ratings(db.session, actor(), _filter(query), today=clock.today(),
                                    after=query.get("after"), before=query.get("before"),
                                    page_size=page_size(), count=first_page(query))
    return render_template("lists/ratings.html", page=page, states=choices("line_state"),
                           **_context(raw, errors, query)), 200 if not errors else 422


@bp.get("/unborrowed")
@page_roles("officer")
def unborrowed():
    """应贷未贷: households of my area with a line in force, willing, and no loan within it."""
    query, errors, raw = _read(UnborrowedListQuerySchema())
    page = counts = None
    if query is not None:
        f, today = _filter(query), clock.today()
        page = lists.unborrowed(db.session, actor(), f, today=today, after=query.get("after"),
                                before=query.get("before"), page_size=page_size(),
                                count=first_page(query))
        if first_page(query):  # the counts with the total, on the first page only
            counts = lists.unborrowed_counts(db.session, actor(), f, today=today)
    return render_template("lists/unborrowed.html", page=page, counts=counts,
                           **_context(raw, errors, query)), 200 if not errors else 422
