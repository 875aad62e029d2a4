"""Lending within a credit line (授信): the household's line on a day, why it is no line, the cap.

`lending.lines` is the rule; this module reads what it needs. A household has at most one
active line (the campaign grants it, a re-rating replaces it). An application by a household
whose line holds is capped by it (the line less what the household owes) and names it; an
application without a valid line goes the ordinary assessment path, and shows why its line
did not hold (expired, revoked, or the household no longer eligible).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core import refusals
from creditsvc.core.errors import AppError, Conflict, Invalid
from creditsvc.core.money import from_fen, to_fen
from creditsvc.services.assessment.inputs import LINE_ORDER, LineRow, ScoringView, scoring_view
from creditsvc.services.programme import policy as programme
from lending import lines as rule
from models import Application, CreditLine
from scoring.policy import Policy

_LATEST = select(CreditLine).order_by(*LINE_ORDER).limit(1)


@dataclass(frozen=True)
class LineCheck:
    """A household's line on a day: the line, why it does not hold (None: it holds), what it owes."""

    line: LineRow
    reason: AppError | None
    owed_fen: int

    @property
    def valid(self) -> bool:
        """Whether the line holds."""
        return self.reason is None

    @property
    def available_fen(self) -> int:
        """What the line still allows (0 when it does not hold)."""
        return rule.available_fen(self.line.line_fen, self.owed_fen) if self.valid else 0


def _reason(facts: rule.LineFacts, on: date) -> AppError | None:
    why = rule.why_no_line(facts, on)
    if why is None:
        return None
    code, params = why
    return Conflict(code, **params)


def check_view(view: ScoringView, policy: Policy, on: date) -> LineCheck | None:
    """The line of VIEW's household on ON (None: it has never had one)."""
    line = view.line
    if line is None:
        return None
    facts = rule.LineFacts(line.status, line.valid_from, line.valid_until, view.file.status,
                           tuple(policy.eligible_statuses), bool(view.file.bad_credit_flag),
                           sum(p.currently_overdue for p in view.past_loans))
    return LineCheck(line, _reason(facts, on), view.outstanding_fen)


def line_check(session: Session, household_id: str, on: date) -> LineCheck | None:
    """The household's line on ON and whether it holds (None: it has never had one)."""
    return check_view(scoring_view(session, household_id), programme.active_policy(session), on)


def active_line(session: Session, household_id: str, on: date) -> CreditLine | None:
    """The household's line if it holds on ON, else None (`why_no_line` says why)."""
    check = line_check(session, household_id, on)
    return check.line if check is not None and check.valid else None


def why_no_line(session: Session, household_id: str, on: date) -> AppError | None:
    """Why the household's line does not hold on ON (None: it holds, or there is none)."""
    check = line_check(session, household_id, on)
    return None if check is None else check.reason


def cap_refusal(check: LineCheck | None, amount: Decimal) -> AppError | None:
    """Why AMOUNT may not be asked within a valid line (None: within it, or no valid line)."""
    if check is None or not check.valid:
        return None
    if check.available_fen <= 0:
        return Conflict("line_used_up", fields=("amount",), line=f"{from_fen(check.line.line_fen):.2f}")
    if to_fen(amount) > check.available_fen:
        return Invalid("amount_above_line", fields=("amount",), most=f"{from_fen(check.available_fen):.2f}")
    return None


def within_line_fen(session: Session, line_id: str, owed_fen: int) -> int:
    """What line LINE_ID allows beside OWED_FEN already owed (a review's cap)."""
    return rule.available_fen(session.get(CreditLine, line_id).line_fen, owed_fen)


def as_met(check: LineCheck | None) -> dict | None:
    """The line as an application being submitted meets it (what `on_application` says of it)."""
    if check is None:
        return None
    return {**_line(check.line), "valid": check.valid,
            "reason": None if check.valid else reason_of(check.reason)}


def on_application(session: Session, app: Application) -> dict | None:
    """The line as the application met it on its day: the line it was made within, or why the
    household's line did not hold then; None when the household had no line then."""
    given = (app.assessment or {}).get("input") or {}
    day = date.fromisoformat(given["request"]["application_date"])
    if app.credit_line_id is not None:
        line = session.get(CreditLine, app.credit_line_id)
        return {**_line(line), "valid": True, "reason": None}
    line = session.execute(_LATEST.where(CreditLine.household_id == app.household_id,
                                         CreditLine.granted_on <= day,
                                         CreditLine.created_at <= app.created_at)).scalar_one_or_none()
    if line is None:
        return None
    household = given.get("household") or {}
    # Its status as it was then: revoked or replaced since, it was still the active line.
    status = line.status if line.updated_at <= app.created_at else "active"
    policy = programme.policy_version(session, app.policy_version)
    facts = rule.LineFacts(status, line.valid_from, line.valid_until, household.get("status"),
                           tuple(policy.eligible_statuses), bool(household.get("bad_credit_flag")),
                           sum(bool(p.get("currently_overdue"))
                               for p in given.get("past_loans") or ()))
    reason = _reason(facts, day)
    return {**_line(line), "valid": reason is None,
            "reason": None if reason is None else reason_of(reason)}


def reason_of(error: AppError) -> dict:
    """A line's reason as the application and the bank see it: its code, Chinese and English."""
    return {"code": error.code, "text_zh": refusals.chinese(error.code, error.params),
            "message": error.message}


def described(check: LineCheck | None) -> dict | None:
    """A household's line today as the application form shows it (what it leaves, or why not)."""
    if check is None:
        return None
    return {**_line(check.line), "valid": check.valid,
            "reason": None if check.valid else reason_of(check.reason),
            "available": f"{from_fen(check.available_fen):.2f}"}


def _line(line: CreditLine | LineRow) -> dict:
    return {"id": line.id, "grade": line.grade, "line": f"{from_fen(line.line_fen):.2f}",
            "valid_from": line.valid_from.isoformat(), "valid_until": line.valid_until.isoformat()}
