"""财政贴息: the statements by quarter; a fund manager compiles, reviews, announces and confirms
the bureau's payment; a bank's staff read their own announced statements.

Each form goes through the API's schema and service, once per form token (pages/once.py).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core import refusals
from creditsvc.core.errors import AppError
from creditsvc.core.money import to_fen
from creditsvc.core.vocab import BANK_CODES
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.once import act_once, new_token
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.subsidy import (
    SubsidyCompileInSchema,
    SubsidyPaymentInSchema,
    SubsidyReviewInSchema,
)
from creditsvc.services.subsidy import payments, statements
from lending.dates import quarter_bounds

bp = Blueprint("subsidy_pages", __name__, url_prefix="/subsidy")


def last_ended_quarter(today) -> tuple[int, int]:
    """The latest calendar quarter that has ended by TODAY: the one a fund manager compiles."""
    quarter = (today.month - 1) // 3  # the current quarter's predecessor, 0 meaning last year's Q4
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def _index(errors: dict | None = None, form: dict | None = None):
    today = clock.today()
    year, quarter = last_ended_quarter(today)
    return render_template(
        "subsidy/index.html", statements=statements.list_statements(db.session, actor()),
        banks=[(code, code) for code in BANK_CODES], errors=errors or {},
        form=form or {"year": year, "quarter": quarter}, token=new_token()), 422 if errors else 200


@bp.get("")
@page_roles("fund_manager", "bank")
def index():
    """The statements, the latest quarter first (a bank: its own, once announced)."""
    return _index()


def _act(data: dict, work, done_message: str, on_error):
    try:
        location, _replayed = act_once(request.path, request.form.get("form_token"), data, work)
    except AppError as exc:
        return on_error(refusal_errors(exc))
    flash(done_message, "success")
    return redirect(location, 303)


@bp.post("/compile")
@page_roles("fund_manager")
def compile_statement():
    """Compile a bank's statement for an ended quarter (the same statement if compiled before)."""
    raw = form_to_data(request.form)
    # The schema takes JSON integers; a form's are text (as in pages/bank/servicing.py).
    typed = {k: int(v) if k in ("year", "quarter") and v.isascii() and v.isdigit() and len(v) <= 4
             else v for k, v in raw.items()}
    data, errors = load_form(SubsidyCompileInSchema(), typed)
    if errors:
        return _index(errors, raw)

    def work(session) -> str:
        made = statements.compile_statement(session, actor(), data["bank"], data["year"],
                                            data["quarter"], today=clock.today())
        return url_for("subsidy_pages.statement", statement_id=made.id)

    return _act(data, work, _("贴息清单已编制。"), lambda e: _index(e, raw))


def _statement(statement_id: str, errors: dict | None = None, failed: str | None = None,
               form: dict | None = None):
    statement = statements.get_statement(db.session, actor(), statement_id)
    start, end = quarter_bounds(statement.year, statement.quarter)
    # The four-eyes rule, said beside the step it bars before the user tries it.
    barred = statements.four_eyes_refusal(statement, actor().user_id)
    return render_template(
        "subsidy/statement.html", statement=statement, start=start, end=end,
        payment=payments.payment_of(db.session, statement.id), errors=errors or {}, failed=failed,
        form=form or {}, token=new_token(), today=clock.today(),
        barred=refusals.text(barred, {"number": statement.number}) if barred else None,
    ), 422 if errors else 200


@bp.get("/<string(maxlength=36):statement_id>")
@page_roles("fund_manager", "bank")
def statement(statement_id):
    """One statement: a line per loan, its state and the forms its state allows."""
    return _statement(statement_id)


def _step(statement_id: str, form: str, schema, service, done_message: str):
    raw = form_to_data(request.form)
    data, errors = ({}, {}) if schema is None else load_form(schema, raw)
    if errors:
        return _statement(statement_id, errors, form, raw)

    def work(session) -> str:
        service(session, data)
        return url_for("subsidy_pages.statement", statement_id=statement_id)

    return _act(data, work, done_message,
                lambda e: _statement(statement_id, e, form, raw))


@bp.post("/<string(maxlength=36):statement_id>/review")
@page_roles("fund_manager")
def review(statement_id):
    """审核: the figures are frozen."""
    return _step(statement_id, "review", SubsidyReviewInSchema(), lambda s, d: statements.review(
        s, actor(), statement_id, note=d["note"]), _("贴息清单已审核。"))


@bp.post("/<string(maxlength=36):statement_id>/announce")
@page_roles("fund_manager")
def announce(statement_id):
    """公告: the bank sees its statement."""
    return _step(statement_id, "announce", None, lambda s, d: statements.announce(
        s, actor(), statement_id, today=clock.today()), _("贴息清单已公告。"))


@bp.post("/<string(maxlength=36):statement_id>/payment")
@page_roles("fund_manager")
def payment(statement_id):
    """The finance bureau's payment, confirmed once."""
    return _step(statement_id, "payment", SubsidyPaymentInSchema(),
                 lambda s, d: payments.confirm_payment(
                     s, actor(), statement_id, amount_fen=to_fen(d["amount"]),
                     paid_on=d["paid_on"], reference=d["reference"], today=clock.today()),
                 _("财政局拨付已确认。"))
