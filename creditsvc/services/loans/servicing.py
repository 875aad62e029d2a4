"""Servicing a loan: repayments, days-past-due reports (one or a bulk feed) and the extension."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from creditsvc.core.errors import AppError, Conflict, Invalid, NotFound
from creditsvc.core.money import from_fen, to_fen
from creditsvc.core.principal import Principal
from creditsvc.services.fund import exposure
from creditsvc.services.loans.numbers import by_id_or_number, normalise
from creditsvc.services.platform import audit
from creditsvc.services.platform.scope import scoped
from creditsvc.services.programme import policy as programme
from lending import dates, reports
from lending.classification import is_non_performing
from lending.schedule import accrued_unpaid_interest, allocate, extended_tail
from models import Loan, Repayment, ScheduleItem, StatusReport
from models.base import utcnow


def _money(loan: Loan) -> dict:
    return {"outstanding_principal_fen": loan.outstanding_principal_fen,
            "accrued_interest_unpaid_fen": loan.accrued_interest_unpaid_fen}


def _require_active(loan: Loan, what: str) -> None:
    """WHAT (a repayment, a report...) is taken by an active loan only."""
    if loan.status != "active":
        raise Conflict("invalid_transition")


def _not_after_today(day: date, today: date, field: str) -> None:
    """Refuse a date in the county's future: what the bank reports has happened."""
    if dates.in_future(day, today):
        raise Invalid("date_in_future", fields=(field,), today=today.isoformat())


def repayment_refusals(loan: Loan, principal: Decimal, interest: Decimal, paid_on: date,
                       today: date) -> list[AppError]:
    """Every refusal of a repayment, each about its own field, so that a form shows them together."""
    p_fen, i_fen = to_fen(principal), to_fen(interest)
    owed_interest = max(loan.accrued_interest_unpaid_fen, sum(
        item.interest_fen - item.paid_interest_fen for item in loan.schedule))
    refused: list[AppError] = [Invalid("date_in_future", fields=("paid_on",), today=today.isoformat())
                               ] if dates.in_future(paid_on, today) else []
    if p_fen + i_fen <= 0:
        refused.append(Invalid("empty_repayment", fields=("principal", "interest")))
    if p_fen > loan.outstanding_principal_fen:
        refused.append(Invalid("overpayment", fields=("principal",),
                               most=f"{from_fen(loan.outstanding_principal_fen):.2f}"))
    if i_fen > owed_interest:
        refused.append(Invalid("overpayment", fields=("interest",), most=f"{from_fen(owed_interest):.2f}"))
    if paid_on < loan.disbursed_on:  # (a date in the future is not also before it)
        refused.append(Invalid("invalid_date", fields=("paid_on",),
                               disbursed_on=loan.disbursed_on.isoformat()))
    return refused


def repay(session: Session, actor: Principal, loan: Loan, *, principal: Decimal,
          interest: Decimal, paid_on: date, today: date) -> Repayment:
    """Record a repayment: outstanding and exposure fall; the loan closes when fully repaid."""
    _require_active(loan, "a repayment")
    if refused := repayment_refusals(loan, principal, interest, paid_on, today):
        raise refused[0]
    p_fen, i_fen = to_fen(principal), to_fen(interest)
    before = _money(loan)
    loan.outstanding_principal_fen -= p_fen
    loan.accrued_interest_unpaid_fen = max(0, loan.accrued_interest_unpaid_fen - i_fen)
    _allocate(loan, p_fen, i_fen)
    exposure.release(session, loan.bank_code, p_fen, npl=is_non_performing(loan.classification))
    if loan.outstanding_principal_fen == 0:
        loan.status, loan.closed_at = "repaid", utcnow()
    rep = Repayment(loan_id=loan.id, paid_on=paid_on, principal_fen=p_fen, interest_fen=i_fen,
                    recorded_by=actor.user_id)
    session.add(rep)
    session.flush()
    audit.record(session, actor, "loan.repayment", target_type="loan", target_id=loan.id,
                 before=before, after=_money(loan),
                 detail={"principal_fen": p_fen, "interest_fen": i_fen, "status": loan.status})
    return rep


def _allocate(loan: Loan, p_fen: int, i_fen: int, start_at: int = 0) -> None:
    """Mark schedule items paid, earliest first (from item START_AT on)."""
    items = loan.schedule[start_at:]
    unpaid = [(i.principal_fen - i.paid_principal_fen, i.interest_fen - i.paid_interest_fen)
              for i in items]
    for item, (principal, interest) in zip(items, allocate(unpaid, p_fen, i_fen), strict=True):
        item.paid_principal_fen += principal
        item.paid_interest_fen += interest


def extension_window(loan: Loan) -> tuple[date, date] | None:
    """(original maturity, extended maturity) of an approved extension."""
    return dates.extension_window(loan.disbursed_on, loan.term_months, loan.extension_months,
                                  loan.maturity_on)


def _repayments(session: Session, loan_ids) -> dict[str, list[tuple[date, int, int]]]:
    """(paid_on, principal, interest) of every repayment of the given loans."""
    out: dict[str, list[tuple[date, int, int]]] = defaultdict(list)
    for loan_id, *paid in session.execute(
            select(Repayment.loan_id, Repayment.paid_on, Repayment.principal_fen,
                   Repayment.interest_fen).where(Repayment.loan_id.in_(loan_ids))):
        out[loan_id].append(tuple(paid))
    return out


def check_report(loan, as_of: date, dpd: int, today: date, first_due_on: date) -> None:
    """A report that can be true: dated by today, after the last one, dpd within the loan's age.

    LOAN is a Loan or the bulk feed's LoanState (the same attributes). Every refusal comes
    before any write, so a refused row of a feed has nothing to undo.
    """
    _require_active(loan, "a status report")
    _not_after_today(as_of, today, "as_of")
    if reports.is_stale(as_of, loan.disbursed_on, loan.dpd_as_of):
        raise Conflict("stale_status_report", fields=("as_of",))
    most = dates.max_days_past_due(first_due_on, as_of)
    if dpd > most:
        raise Invalid("dpd_exceeds_age", fields=("days_past_due",), as_of=as_of.isoformat(),
                      most=most, first_due_on=first_due_on.isoformat())


def first_due_on(loan: Loan) -> date:
    """The first instalment's due date (a loan with no schedule: its disbursement)."""
    return min((item.due_on for item in loan.schedule), default=loan.disbursed_on)


def report_refusal(loan, as_of: date, dpd: int, today: date, first_due_on: date) -> AppError | None:
    """Why a status report is refused (the AppError `check_report` raises), or None."""
    try:
        check_report(loan, as_of, dpd, today, first_due_on)
    except AppError as refusal:
        return refusal
    return None


def repayments_of(session: Session, loan_id: str) -> list[tuple[date, int, int]]:
    """(paid_on, principal, interest) of every repayment of one loan."""
    return _repayments(session, [loan_id])[loan_id]


def apply_report(session: Session, actor: Principal, loan: Loan, as_of: date, dpd: int,
                 today: date, repayments: list[tuple[date, int, int]] | None = None
                 ) -> StatusReport:
    """Record one report on LOAN: days past due, class, NPL exposure, accrual and subsidy follow."""
    check_report(loan, as_of, dpd, today, first_due_on(loan))
    before = {**_money(loan), "classification": loan.classification, "days_past_due": loan.days_past_due}
    out = reports.outcome(dpd, as_of, extension_window(loan), loan.classification,
                          loan.subsidy_cancelled)
    if out.enters_npl or out.leaves_npl:
        exposure.move_npl(session, loan.outstanding_principal_fen * (-1 if out.leaves_npl else 1))
    loan.days_past_due, loan.dpd_as_of, loan.classification = (out.counted_dpd, as_of,
                                                               out.classification)
    # Kept as of each report, so that a claim states what the borrower owes in interest.
    if repayments is None:
        repayments = repayments_of(session, loan.id)
    loan.accrued_interest_unpaid_fen = accrued_unpaid_interest(
        repayments, loan.principal_fen, loan.rate_bp, loan.disbursed_on, as_of)
    if out.cancels_subsidy:
        loan.subsidy_cancelled, loan.subsidy_cancelled_reason = True, "overdue"
    report = StatusReport(loan_id=loan.id, as_of=as_of, days_past_due=dpd,
                          classification=out.classification, recorded_by=actor.user_id)
    session.add(report)
    audit.record(session, actor, "loan.status_report", target_type="loan", target_id=loan.id,
                 before=before, after={**_money(loan), "classification": out.classification,
                                       "days_past_due": out.counted_dpd},
                 detail={"as_of": as_of.isoformat(), "reported_dpd": dpd})
    return report


def report_status(session: Session, actor: Principal, loan: Loan, *, as_of: date,
                  days_past_due: int, today: date) -> Loan:
    """A bank's days-past-due report: classification, NPL exposure and subsidy follow."""
    apply_report(session, actor, loan, as_of, days_past_due, today)
    return loan


@dataclass(frozen=True)
class RowResult:
    """The outcome of one row of a bulk feed."""

    index: int
    loan_id: str
    ok: bool
    classification: str | None = None
    days_past_due: int | None = None
    code: str | None = None
    message: str | None = None


def report_diversion(session: Session, actor: Principal, loan: Loan, *, found_on: date,
                     note: str, today: date) -> Loan:
    """Funds used for something other than the loan's purpose (挪用): the subsidy is cancelled."""
    _require_active(loan, "a diversion report")
    if loan.subsidy_cancelled_reason == "diverted":
        raise Conflict("diversion_already_reported")
    _not_after_today(found_on, today, "found_on")
    if found_on < loan.disbursed_on:
        raise Invalid("invalid_date", fields=("found_on",), disbursed_on=loan.disbursed_on.isoformat())
    before = {"subsidy_cancelled": loan.subsidy_cancelled,
              "subsidy_cancelled_reason": loan.subsidy_cancelled_reason}
    loan.subsidy_cancelled, loan.subsidy_cancelled_reason = True, "diverted"
    audit.record(session, actor, "loan.diversion", target_type="loan", target_id=loan.id,
                 before=before, after={"subsidy_cancelled": True,
                                       "subsidy_cancelled_reason": "diverted"},
                 detail={"found_on": found_on.isoformat(), "note": note})
    return loan


def report_status_bulk(session: Session, actor: Principal, rows: list[dict], *,
                       today: date) -> list[RowResult]:
    """Apply each row on its own: a refused row is reported and skips only itself."""
    results = []
    # Every loan of the feed locked in one query, in id order (two feeds touching the same
    # loans cannot deadlock), and their repayments read once: not two round trips a row.
    # A row names its loan by id or by number (PSBC-2026-000123, as the pages show it).
    ids = sorted({row["loan_id"] for row in rows})
    # Their schedules come in one more query: a report's dpd is bounded by the first due date.
    exposure.lock_books(session)  # the fund row before the loans
    query = scoped(select(Loan).where(by_id_or_number(Loan.id, Loan.number, ids))
                   .order_by(Loan.id).with_for_update()
                   .options(selectinload(Loan.schedule)), actor, Loan.bank_code)
    loans = {}
    for loan in session.execute(query).scalars():
        loans[loan.id] = loan
        if loan.number:
            loans[loan.number] = loan
    repayments = _repayments(session, list({loan.id for loan in loans.values()}))
    for index, row in enumerate(rows):
        try:
            loan = loans.get(row["loan_id"]) or loans.get(normalise(row["loan_id"]) or "")
            if loan is None:
                raise NotFound("loan_not_found")
            # No savepoint: every refusal of apply_report comes before its first write, so
            # a refused row has nothing to undo, and the rows' writes flush in batches.
            apply_report(session, actor, loan, row["as_of"], row["days_past_due"], today,
                          repayments[loan.id])
            results.append(RowResult(index, row["loan_id"], True, loan.classification,
                                     loan.days_past_due))
        except AppError as exc:
            results.append(RowResult(index, row["loan_id"], False, code=exc.code, message=exc.message))
    session.flush()
    return results


def extend(session: Session, actor: Principal, loan: Loan, *, months: int, reason: str,
           today: date, extended_on: date | None = None) -> Loan:
    """展期: once per loan, agreed before maturity, up to the policy's maximum.

    The schedule after the extension date is laid again to the new maturity (interest for
    the extra months included); what was already paid on it stays paid.
    """
    on = extended_on or today
    _require_active(loan, "an extension")
    if loan.extension_months:
        raise Conflict("already_extended")
    most = programme.active_policy(session).max_extension_months
    if not 1 <= months <= most:
        raise Invalid("extension_too_long", fields=("months",), most=most)
    if on < loan.disbursed_on:
        raise Invalid("invalid_date", fields=("extended_on",),
                      disbursed_on=loan.disbursed_on.isoformat())
    if on >= loan.maturity_on:
        raise Conflict("extension_after_maturity", fields=("extended_on",),
                       maturity_on=loan.maturity_on.isoformat())
    _not_after_today(on, today, "extended_on")
    before = {"maturity_on": loan.maturity_on.isoformat(),
              "scheduled_interest_fen": sum(i.interest_fen for i in loan.schedule)}
    _reschedule(loan, months, on)
    loan.extension_months, loan.extension_reason = months, reason
    loan.maturity_on = loan.schedule[-1].due_on
    audit.record(session, actor, "loan.extension", target_type="loan", target_id=loan.id,
                 before={**before, **_money(loan)},
                 after={"maturity_on": loan.maturity_on.isoformat(),
                        "scheduled_interest_fen": sum(i.interest_fen for i in loan.schedule),
                        **_money(loan)},
                 detail={"months": months, "reason": reason, "extended_on": on.isoformat()})
    return loan


def _reschedule(loan: Loan, months: int, on: date) -> None:
    """Replace the schedule items due after ON with the extended tail; carry what was paid."""
    kept = [i for i in loan.schedule if i.due_on <= on]
    tail = loan.schedule[len(kept):]
    start = kept[-1].due_on if kept else loan.disbursed_on
    items = extended_tail(loan.schedule_kind, loan.rate_bp, loan.disbursed_on, loan.term_months,
                          months, start, sum(i.principal_fen for i in tail), len(kept) + 1)
    paid_principal = sum(i.paid_principal_fen for i in tail)
    paid_interest = sum(i.paid_interest_fen for i in tail)
    loan.schedule[len(kept):] = [
        ScheduleItem(seq=i.seq, due_on=i.due_on, principal_fen=i.principal_fen,
                     interest_fen=i.interest_fen, paid_principal_fen=0, paid_interest_fen=0)
        for i in items]
    _allocate(loan, paid_principal, paid_interest, start_at=len(kept))
