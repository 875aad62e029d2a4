"""代偿: loans the bank may claim on (90+ days past due), filing, its claims, and recoveries."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.core.money import to_fen
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.bank.blueprint import bp
from creditsvc.pages.bank.loans import loan_page
from creditsvc.pages.bank.once import act_once, new_token, redirect_to
from creditsvc.pages.bank.schemas import RecoveryFormSchema
from creditsvc.pages.formatting import day, fen
from creditsvc.pages.validation import (
    form_to_data,
    load_form,
    refusal_errors,
    refusal_message,
    with_refusals,
)
from creditsvc.schemas.claims import RecoveryInSchema
from creditsvc.services.fund import claims, recoveries
from creditsvc.services.fund.rules import rules_for
from creditsvc.services.loans import bank_desk
from creditsvc.services.loans import reading as loans
from creditsvc.services.loans.numbers import numbers_of

PAGE_SIZE = 50


def claims_page(*, errors: dict | None = None, form: dict | None = None, status: int = 200):
    """The claims page; ERRORS and FORM are the recovery form's when it was refused."""
    rules, who = rules_for(db.session), actor()
    after = request.args.get("after") if request.method == "GET" else None
    claimable = bank_desk.claimable_loans(db.session, who, rules.claim_trigger_dpd, after=after,
                                          page_size=PAGE_SIZE)
    claimed = bank_desk.claimed_loans(db.session, who)
    breakdowns = {loan.id: claims.claim_now(db.session, loan, rules) for loan in claimable.items}
    filed = claims.list_claims(db.session, who, limit=200)
    recovered = bank_desk.recoveries(db.session, who)
    return render_template(
        "bank/claims.html", claimable=claimable, breakdowns=breakdowns, claims=filed,
        numbers=numbers_of(db.session, {c.loan_id for c in filed.items}
                           | {r.loan_id for r in recovered}),
        claimed=claimed, claimed_options=[(loan.id, f"{loan.number or ''} · {loan.town} {loan.village} · "
                                                    f"{day(loan.disbursed_on)} · {fen(loan.principal_fen)}")
                                         for loan in claimed],
        recoveries=recovered, rules=rules, token=new_token(),
        errors=errors or {}, form=form or {}, today=clock.today(), first=not after), status


@bp.get("/claims")
@page_roles("bank")
def claim_list():
    """Loans that may be claimed with each claim's breakdown, the bank's claims, recoveries."""
    return claims_page()


@bp.post("/loans/<string(maxlength=36):loan_id>/claim")
@page_roles("bank")
def file_claim(loan_id):
    """File the claim on a loan 90+ days past due, once (its breakdown was shown beside)."""
    loans.get_loan(db.session, actor(), loan_id)  # another bank's loan: 404

    def work(session):
        loan = loans.get_loan(session, actor(), loan_id, lock=True)
        claim = claims.file_claim(session, actor(), loan, rules_for(session),
                                  today=clock.today())
        return redirect_to(url_for("bank.loan", loan_id=loan_id), claim.id.encode())

    try:
        stored, replayed = act_once({"loan_id": loan_id}, work)
    except AppError as exc:
        flash(refusal_message(exc), "danger")
        return redirect(url_for("bank.loan", loan_id=loan_id), 303)
    flash(_("此表单已提交过，未重复申报。") if replayed
          else _("已申报代偿，等待基金管理方审批。"), "info" if replayed else "success")
    return redirect(stored.headers["Location"], 303)


@bp.post("/recoveries")
@page_roles("bank")
def recovery():
    """Record what the bank recovered on a claimed loan; the fund's share flows back to it."""
    form = form_to_data(request.form)
    origin = form.pop("origin", "claims")
    picked, errors = load_form(RecoveryFormSchema(), {"loan_id": form.get("loan_id", "")})
    typed = {k: v for k, v in form.items() if k != "loan_id"}
    data, more = load_form(RecoveryInSchema(), typed)
    # another bank's loan: 404
    loan = loans.get_loan(db.session, actor(), picked["loan_id"]) if picked is not None else None
    # Every reason at once: the schemas', and the service's about each value they let through.
    errors, status = with_refusals(RecoveryInSchema, typed, {**errors, **more}, lambda parsed: (
        recoveries.recovery_refusals(db.session, loan, parsed.get("recovered_on"),
                                     today=clock.today())))

    def again(errs, status):
        if origin == "loan" and picked is not None:
            return loan_page(picked["loan_id"], errors={"recovery": errs},
                             forms={"recovery": form}, status=status)
        return claims_page(errors=errs, form=form, status=status)

    if errors:
        return again(errors, status)

    def work(session):
        loan = loans.get_loan(session, actor(), picked["loan_id"], lock=True)
        recoveries.record_recovery(session, actor(), loan, to_fen(data["amount"]),
                                   data["recovered_on"], today=clock.today())
        where = (url_for("bank.loan", loan_id=loan.id) if origin == "loan"
                 else url_for("bank.claim_list") + "#recoveries")
        return redirect_to(where)

    try:
        stored, replayed = act_once({**data, **picked}, work)
    except AppError as exc:
        return again(refusal_errors(exc), exc.status)
    flash(_("此表单已提交过，未重复登记。") if replayed else _("已登记追偿。"),
          "info" if replayed else "success")
    return redirect(stored.headers["Location"], 303)
