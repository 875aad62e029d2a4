"""基金台账, the fund's ledger: filters, totals by kind, and each entry's movement of the cash."""

from datetime import date

from flask import render_template, request
from marshmallow import Schema, fields, validate

from creditsvc.api.fields import Day
from creditsvc.infra.extensions import db
from creditsvc.pages.access import page_roles
from creditsvc.pages.fund.overview import bp
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.services import fund as fund_svc

PAGE_SIZE = 50
KINDS = ("contribution", "deposit_interest", "claim_draw", "recovery", "reversal:contribution",
         "reversal:deposit_interest", "reversal:claim_draw")  # the entry_kind labels' codes


class LedgerQuerySchema(Schema):
    """The ledger's filters."""

    kind = fields.String(validate=validate.OneOf(KINDS))
    start = Day()
    end = Day()
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


def cash_of(entry) -> int:
    """What an entry moved into (+) or out of (-) the fund's cash, in fen."""
    return sum(p.amount_fen for p in entry.postings if p.account == "fund_cash")


@bp.get("/ledger")
@page_roles("fund_manager")
def ledger():
    """The ledger, newest first, with totals over the filter."""
    query, errors = load_form(LedgerQuerySchema(), form_to_data(request.args))
    query = query or {"page": 1}
    filters = {k: query.get(k) for k in ("kind", "start", "end")}
    page = query["page"]
    entries, total = fund_svc.list_ledger(db.session, offset=(page - 1) * PAGE_SIZE,
                                          limit=PAGE_SIZE, **filters)
    totals = fund_svc.ledger_totals(db.session, **filters)
    shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items()}
    return render_template(
        "fund/ledger.html", entries=entries, total=total, totals=totals, errors=errors,
        filters=shown, page_filters={k: v for k, v in shown.items() if v}, page=page,
        pages=max(1, -(-total // PAGE_SIZE)), kind_choices=choices("entry_kind"),
        cash_of=cash_of, reversible=fund_svc.REVERSIBLE,
        reversed_ids=fund_svc.reversed_entry_ids(db.session, [e.id for e in entries]))
