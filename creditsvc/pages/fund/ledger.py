"""基金台账, the fund's ledger: filters, totals by kind, and each entry's movement of the cash."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from creditsvc.core.errors import AppError
from creditsvc.core.money import to_fen
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.fund.ledger_words import summaries
from creditsvc.pages.fund.overview import bp
from creditsvc.pages.labels import choices
from creditsvc.pages.once import act_once, new_token
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.exports import LEDGER_KINDS
from creditsvc.schemas.fields import Day, QueryNumber
from creditsvc.schemas.fund import InflowInSchema, ReversalInSchema
from creditsvc.services.fund import account as fund_svc

PAGE_SIZE = 50
KINDS = LEDGER_KINDS  # the entry_kind labels' codes


class LedgerQuerySchema(Schema):
    """The ledger's filters."""

    kind = fields.String(validate=validate.OneOf(KINDS))
    start = Day()
    end = Day()
    page = QueryNumber(1, 100_000, load_default=1)


def cash_of(entry) -> int:
    """What an entry moved into (+) or out of (-) the fund's cash, in fen."""
    return sum(p.amount_fen for p in entry.postings if p.account == "fund_cash")


@bp.get("/ledger")
@page_roles("fund_manager")
def ledger():
    """The ledger, newest first, with totals over the filter; forms for the fund's inflows."""
    return ledger_page()


def ledger_page(inflow_errors: dict | None = None, status: int = 200):
    """The ledger page (again with a failed inflow form's errors beside its fields)."""
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
        cash_of=cash_of, summaries=summaries(entries), reversible=fund_svc.REVERSIBLE,
        reversed_ids=fund_svc.reversed_entry_ids(db.session, [e.id for e in entries]),
        inflow_errors=inflow_errors or {}, posted=request.form, token=new_token(),
        today=clock.today().isoformat()), status


def _inflow(kind: str, service, done_message: str):
    """A contribution or deposit interest from the ledger page's form, once per form token."""
    data, errors = load_form(InflowInSchema(), form_to_data(request.form))
    if not errors:
        def work(session) -> str:
            service(session, actor(), to_fen(data["amount"]), data["date"], data.get("memo"))
            return url_for("fund_office.ledger")
        try:
            act_once(request.path, request.form.get("form_token"), data, work)
        except AppError as exc:
            errors = refusal_errors(exc)
    if errors:
        return ledger_page(inflow_errors={kind: errors}, status=422)
    flash(done_message, "success")
    return redirect(url_for("fund_office.ledger"))


@bp.post("/ledger/contributions")
@page_roles("fund_manager")
def contribution():
    """Record a contribution (注资): capital and balance rise."""
    return _inflow("contribution", fund_svc.contribute, _("注资已登记。"))


@bp.post("/ledger/interest")
@page_roles("fund_manager")
def interest():
    """Record the fund account's deposit interest."""
    return _inflow("interest", fund_svc.add_interest, _("存款利息已登记。"))


@bp.route("/ledger/<string(maxlength=36):entry_id>/reverse", methods=["GET", "POST"])
@page_roles("fund_manager")
def entry_reverse(entry_id):
    """Reverse a mistaken contribution or interest entry with its mirror (never an edit)."""
    entry = fund_svc.get_entry(db.session, entry_id)
    errors, form = {}, {"effective_on": clock.today().isoformat()}
    if request.method == "POST":
        form = form_to_data(request.form)
        data, errors = load_form(ReversalInSchema(), form)
        if not errors:
            def work(session) -> str:
                fund_svc.reverse_entry(session, actor(), entry_id, reason=data["reason"],
                                       on=data["effective_on"])
                return url_for("fund_office.ledger")
            try:
                act_once(request.path, request.form.get("form_token"), data, work)
            except AppError as exc:
                errors = refusal_errors(exc)
            else:
                flash(_("已冲正。"), "success")
                return redirect(url_for("fund_office.ledger"))
    return render_template("fund/entry_reverse.html", entry=entry, cash=cash_of(entry),
                           form=form, errors=errors, token=new_token()), 422 if errors else 200
