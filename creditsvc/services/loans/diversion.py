"""挪用: the loan's funds found used for something other than its purpose; the subsidy stops."""

from datetime import date

from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Conflict
from creditsvc.core.principal import Principal
from creditsvc.services.loans.servicing import before_disbursement, in_future, not_active
from creditsvc.services.platform import audit
from lending.subsidy import stopped_on
from models import Loan


def diversion_refusals(loan: Loan, found_on: date | None, *, today: date) -> list[AppError]:
    """Every reason a diversion report would be refused, each about its field (None: not checked)."""
    refused = not_active(loan)
    if loan.subsidy_cancelled_reason == "diverted":
        refused.append(Conflict("diversion_already_reported"))
    return refused + in_future(found_on, today, "found_on") + before_disbursement(
        loan, found_on, "found_on")


def report_diversion(session: Session, actor: Principal, loan: Loan, *, found_on: date,
                     note: str, today: date) -> Loan:
    """Funds used for something other than the loan's purpose (挪用): the subsidy is cancelled."""
    if refused := diversion_refusals(loan, found_on, today=today):
        raise refused[0]
    before = {"subsidy_cancelled": loan.subsidy_cancelled,
              "subsidy_cancelled_reason": loan.subsidy_cancelled_reason,
              "subsidy_cancelled_on": _iso(loan.subsidy_cancelled_on)}
    loan.subsidy_cancelled, loan.subsidy_cancelled_reason = True, "diverted"
    # From the day it was found, or earlier if the loan had already gone overdue.
    loan.subsidy_cancelled_on = stopped_on(loan.subsidy_cancelled_on, found_on)
    audit.record(session, actor, "loan.diversion", target_type="loan", target_id=loan.id,
                 before=before, after={"subsidy_cancelled": True,
                                       "subsidy_cancelled_reason": "diverted",
                                       "subsidy_cancelled_on": _iso(loan.subsidy_cancelled_on)},
                 detail={"found_on": found_on.isoformat(), "note": note})
    return loan


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
