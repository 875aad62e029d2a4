"""贷款台账, the per-loan 扶贫小额信贷台账: a filtered page at a time, and the same rows as xlsx.

A fund manager sees every loan, a bank its own, an officer their area's (the service scopes
them). The filters are a GET, read with the schema the export reads, so the page's address
and its xlsx link name the same rows.
"""

from itertools import chain

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.core.vocab import BANK_CODES, TOWNS
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.households.routes import first_page, kept, page_size
from creditsvc.pages.households.schemas import KeysetQuerySchema
from creditsvc.pages.labels import choices, label
from creditsvc.pages.ledger import sheets
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.ledger import LedgerQuerySchema
from creditsvc.services.access.areas import areas_of
from creditsvc.services.ledger.loans import LedgerFilter, ledger_page, ledger_rows

bp = Blueprint("ledger_pages", __name__, url_prefix="/ledger")
ROLES = ("fund_manager", "bank", "officer")
FILTERS = ("bank", "town", "village", "status", "disbursed_from", "disbursed_to")


class LedgerPageQuerySchema(LedgerQuerySchema, KeysetQuerySchema):
    """The 台账 page: its filters and the pager's place."""


def _filter(query: dict) -> LedgerFilter:
    return LedgerFilter(**{k: query.get(k) for k in FILTERS})


def described(query: dict) -> str:
    """The filters in words, for the xlsx heading ("全部" when none)."""
    words = {"bank": _("贷款机构"), "town": _("乡镇"), "village": _("村"), "status": _("状态"),
             "disbursed_from": _("放款日期起"), "disbursed_to": _("放款日期止")}
    shown = {"bank": lambda v: label("bank", v), "status": lambda v: label("loan_status", v)}
    parts = [f"{words[k]}={shown.get(k, str)(query[k])}" for k in FILTERS if query.get(k)]
    return _("筛选：%(filters)s", filters="；".join(parts) if parts else _("全部"))


@bp.get("")
@page_roles(*ROLES)
def index():
    """贷款台账: one row per loan I may see, filtered, a page at a time."""
    raw = form_to_data(request.args)
    query, errors = load_form(LedgerPageQuerySchema(), raw)
    page = None
    if query is not None:
        try:
            page = ledger_page(db.session, actor(), _filter(query), today=clock.today(),
                               after=query.get("after"), before=query.get("before"),
                               page_size=page_size(), count=first_page(query))
        except AppError as exc:
            errors = refusal_errors(exc)
    who = actor()
    return render_template(
        "ledger/index.html", page=page, raw=raw, kept=kept(raw, errors), errors=errors,
        number=(query or {}).get("n", 1), today=clock.today(),
        banks=[(b, label("bank", b)) for b in BANK_CODES] if who.role != "bank" else None,
        towns=[(t, t) for t in TOWNS], statuses=choices("loan_status"),
        areas=areas_of(db.session, who.user_id) if who.role == "officer" else None,
        export_args={k: v for k, v in kept(raw, errors).items() if k in FILTERS},
    ), 200 if not errors else 422


@bp.get("/export.xlsx")
@page_roles(*ROLES)
def export():
    """The 台账's filtered rows as xlsx, under a heading: title, filters, who and when."""
    query, errors = load_form(LedgerQuerySchema(), form_to_data(request.args))
    if query is None:
        return index()
    who, today = actor(), clock.today()
    try:
        rows = ledger_rows(db.session, who, _filter(query), today=today)
        first = next(rows, None)  # a refused filter refuses before the file is written
    except AppError:
        return index()
    heading = [_("扶贫小额信贷台账"), described(query), sheets.who_when(who)]
    body = (sheets.loan_values(r) for r in chain([first] if first else [], rows))
    return sheets.xlsx(f"ledger-{today.isoformat()}.xlsx", sheets.loan_columns(), body,
                       _("贷款台账"), heading)
