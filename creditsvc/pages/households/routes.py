"""The household list, the file page with its tabs, reveal and monitoring events."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.core.vocab import TOWNS
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.households.blueprint import bp, cipher
from creditsvc.pages.households.schemas import HouseholdListQuerySchema
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.households import MonitoringEventSchema, RevealInSchema
from creditsvc.services.access.areas import areas_of
from creditsvc.services.campaign.grant import line_history
from creditsvc.services.households import files as households
from creditsvc.services.households import related as household_file
from creditsvc.services.households.changes import change_record
from creditsvc.services.households.search import (
    HouseholdFilter,
    find_households,
    risk_since,
    search_hash,
)
from creditsvc.services.platform.uow import UnitOfWork

TABS = ("basic", "members", "events", "applications", "loans", "lines", "history")


def page_size() -> int:
    """Rows per page of the officers' lists (PAGES_PAGE_SIZE, 50 by default)."""
    return int(current_app.config.get("PAGES_PAGE_SIZE", 50))


def first_page(query: dict) -> bool:
    """Whether this is a list's first page (the one that counts the total)."""
    return not (query.get("after") or query.get("before"))


def kept(raw: dict, errors: dict) -> dict:
    """The list's filters, to keep in the pager's links (not the page's own place)."""
    return {k: v for k, v in raw.items() if k not in ("after", "before", "n") and k not in errors}


def household_filter(query: dict) -> HouseholdFilter:
    """The list's filter from its loaded query: always my area; mine, when asked."""
    search = (query["by"], query["key"]) if "by" in query and "key" in query else None
    return HouseholdFilter(town=query.get("town"), village=query.get("village"),
                           status=query.get("status"), has_loan=query.get("has_loan"),
                           risk=query.get("risk"), search=search, area_of=actor().user_id,
                           created_by=actor().user_id if query.get("mine") else None)


@bp.get("")
@page_roles("officer")
def index():
    """户档案: the files, filtered and searched on the server, a page at a time."""
    raw = form_to_data(request.args)
    query, errors = load_form(HouseholdListQuerySchema(), raw)
    if query is None:  # a filter typed into the address bar: show why, list nothing
        query, page = {}, None
    else:
        page = find_households(db.session, household_filter(query), today=clock.today(),
                               after=query.get("after"), before=query.get("before"),
                               page_size=page_size(), count=first_page(query))
    for name in ("has_loan", "risk", "mine"):  # shown as the form's own words
        if name in query:
            raw[name] = "true" if query[name] else "false"
    filters = kept(raw, errors)
    unsearched = {k: v for k, v in filters.items() if k not in ("by", "key")}
    return render_template("households/index.html", page=page, raw=raw, kept=filters,
                           unsearched=unsearched, number=query.get("n", 1), errors=errors,
                           areas=areas_of(db.session, actor().user_id),
                           towns=[(t, t) for t in TOWNS], statuses=choices("status")), \
        (200 if not errors else 422)


# Search text that is no ID number, phone or name: a hash that no file has, so nothing found.
NOTHING = "0" * 64
MAX_SEARCH = 40


@bp.post("/search")
@page_roles("officer")
def search():
    """The search box's post: the typed text becomes its keyed hash, then the list (PRG).

    An ID number, phone or name must not travel in an address (access logs, browser
    history keep addresses); the list is opened with the hash instead.
    """
    raw = form_to_data(request.form)
    text = raw.pop("q", "")
    filters = {k: v for k, v in raw.items() if k in HouseholdListQuerySchema().fields
               and k not in ("after", "before", "n", "by", "key")}
    if text:
        found = search_hash(cipher(), text) if len(text) <= MAX_SEARCH else None
        filters["by"], filters["key"] = found or ("name", NOTHING)
    return redirect(url_for("household_files.index", **filters))


def _file_page(household_id: str, tab: str, *, status: int = 200, **extra):
    """The file page on TAB; only that tab's data is read."""
    h = households.get_household(db.session, household_id)
    today = clock.today()
    context = {"h": h, "tab": tab, "tabs": TABS, "today": today, "errors": {}, "values": {},
               "event_kinds": choices("event_kind")}
    if tab == "applications":
        context["applications"] = household_file.applications_of(db.session, actor(), h.id)
    elif tab == "loans":
        context["loans"] = household_file.loans_of(db.session, actor(), h.id)
    elif tab == "lines":
        context["lines"] = line_history(db.session, h.id)
    elif tab == "history":
        context["changes"] = change_record(db.session, h.id)
    elif tab == "events":
        context["since"] = risk_since(db.session, today)
    context.update(extra)
    return render_template("households/file.html", **context), status


@bp.get("/<string(maxlength=36):household_id>")
@page_roles("officer")
def file(household_id):
    """The household file (一户一档) in tabs."""
    tab = request.args.get("tab", "basic")
    return _file_page(household_id, tab if tab in TABS else "basic")


@bp.post("/<string(maxlength=36):household_id>/events")
@page_roles("officer")
def add_event(household_id):
    """Record a shock (serious illness, disaster, income drop) in the monitoring record."""
    raw = form_to_data(request.form)
    data, errors = load_form(MonitoringEventSchema(), raw)
    if data is not None:
        try:
            with UnitOfWork(db.session) as uow:
                households.add_monitoring_event(uow.session, actor(), household_id, data["kind"],
                                                data["occurred_on"], data.get("note"),
                                                today=clock.today())
                uow.commit()
        except AppError as exc:
            if exc.status == 404:
                raise
            errors = refusal_errors(exc)
        else:
            flash(_("监测事件已记录。"), "success")
            return redirect(url_for("household_files.file", household_id=household_id, tab="events"))
    return _file_page(household_id, "events", status=422, errors=errors, values=raw)


@bp.post("/<string(maxlength=36):household_id>/reveal")
@page_roles("officer")
def reveal(household_id):
    """The head's name, ID number and phone in clear, once, for a reason (audited).

    The clear values are in this response only: never in a redirect's cookie or address, and
    the page is not cached (no-store). From the file page htmx swaps the answer into place, so
    reloading the page shows the masked values again.
    """
    partial = request.headers.get("HX-Request") == "true"
    raw = form_to_data(request.form)
    data, errors = load_form(RevealInSchema(), raw)
    revealed = None
    if data is not None:
        with UnitOfWork(db.session) as uow:
            revealed = households.reveal_household(uow.session, actor(), cipher(), household_id,
                                                   data["reason"])
            uow.commit()
    if partial:
        households.get_household(db.session, household_id)  # another's id: the 404 page
        return render_template("households/_reveal.html", household_id=household_id,
                               revealed=revealed, errors=errors, values=raw)
    return _file_page(household_id, "basic", status=422 if errors else 200, revealed=revealed,
                      reveal_errors=errors, reveal_values=raw)
