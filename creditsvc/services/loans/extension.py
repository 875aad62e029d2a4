"""展期: a loan extended once, agreed before maturity, up to the policy's maximum months."""

from datetime import date

from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Conflict, Invalid
from creditsvc.core.principal import Principal
from creditsvc.services.loans.servicing import (
    allocate_paid,
    before_disbursement,
    in_future,
    money_of,
    not_active,
)
from creditsvc.services.platform import audit
from creditsvc.services.programme import policy as programme
from lending import dates
from lending.schedule import extended_tail
from models import Loan, ScheduleItem


def extension_window(loan) -> tuple[date, date] | None:
    """(original maturity, extended maturity) of an approved extension."""
    return dates.extension_window(loan.disbursed_on, loan.term_months, loan.extension_months,
                                  loan.maturity_on)


def extension_refusals(session: Session, loan: Loan, months: int | None, on: date | None, *,
                       today: date) -> list[AppError]:
    """Every reason the extension would be refused, each about its field (None: not checked).

    ON is the day the extension is agreed (the form's 展期日期; the API's default is today).
    """
    refused = not_active(loan)
    if loan.extension_months:
        refused.append(Conflict("already_extended"))
    most = programme.active_policy(session).max_extension_months
    if months is not None and not 1 <= months <= most:
        refused.append(Invalid("extension_too_long", fields=("months",), most=most))
    refused += before_disbursement(loan, on, "extended_on")
    if on is not None and on >= loan.maturity_on:
        refused.append(Conflict("extension_after_maturity", fields=("extended_on",),
                                maturity_on=loan.maturity_on.isoformat()))
    return refused + in_future(on, today, "extended_on")


def extend(session: Session, actor: Principal, loan: Loan, *, months: int, reason: str,
           today: date, extended_on: date | None = None) -> Loan:
    """展期: once per loan, agreed before maturity, up to the policy's maximum.

    The schedule after the extension date is laid again to the new maturity (interest for
    the extra months included); what was already paid on it stays paid.
    """
    on = extended_on or today
    if refused := extension_refusals(session, loan, months, on, today=today):
        raise refused[0]
    before = {"maturity_on": loan.maturity_on.isoformat(),
              "scheduled_interest_fen": sum(i.interest_fen for i in loan.schedule)}
    _reschedule(loan, months, on)
    loan.extension_months, loan.extension_reason = months, reason
    loan.maturity_on = loan.schedule[-1].due_on
    audit.record(session, actor, "loan.extension", target_type="loan", target_id=loan.id,
                 before={**before, **money_of(loan)},
                 after={"maturity_on": loan.maturity_on.isoformat(),
                        "scheduled_interest_fen": sum(i.interest_fen for i in loan.schedule),
                        **money_of(loan)},
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
    allocate_paid(loan, paid_principal, paid_interest, start_at=len(kept))
