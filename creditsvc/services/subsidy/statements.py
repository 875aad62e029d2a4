"""The quarterly subsidy statement of a bank: compiled, reviewed by the fund office, announced.

One statement per bank and quarter (a unique key): compiling it again gives the same
statement. While it waits for review it is compiled afresh from the books (a repayment the
bank reported late is taken in); once reviewed its figures are frozen. A bank sees its own
statements once announced (公示), never another bank's.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid, NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.platform import audit
from creditsvc.services.platform.scope import may_see, scoped
from creditsvc.services.programme.policy import active_policy
from creditsvc.services.subsidy.quarter import LoanQuarter, quarter_lines
from lending.dates import quarter_bounds
from models import Bank, SubsidyLine, SubsidyStatement
from models.base import utcnow

# What a bank may see: a statement not yet announced is still the fund office's draft.
SHOWN_TO_BANKS = ("announced", "paid")


def same_person(user_id: str | None, actor_id: str | None) -> bool:
    """Whether a step was taken by the actor (a step by no user, e.g. a script, by nobody)."""
    return user_id is not None and user_id == actor_id


# The steps the four-eyes rule bars: the state the step starts from, who took the step before
# it (that person may not take this one) and the refusal.
FOUR_EYES = {"review": ("compiled", "compiled_by", "subsidy_reviewer_is_compiler"),
             "payment": ("announced", "reviewed_by", "subsidy_payer_is_reviewer")}


def four_eyes_refusal(statement: SubsidyStatement, actor_id: str | None,
                      step: str | None = None) -> str | None:
    """The code refusing ACTOR_ID the statement's STEP (default: whichever it awaits) by the
    four-eyes rule, or None.

    Public money: who compiled the figures does not review them (编制与审核分离), and who
    reviewed them does not confirm their payment (审核与拨付确认分离). The compiler may confirm
    the payment: a county fund office of two runs a quarter, each step checked by the other,
    and the amount confirmed must equal the reviewed total.
    """
    for name, (status, by, code) in FOUR_EYES.items():
        if step in (None, name) and statement.status == status and same_person(
                getattr(statement, by), actor_id):
            return code
    return None


def refuse_four_eyes(session: Session, actor: Principal, step: str,
                     statement: SubsidyStatement) -> None:
    """Refuse ACTOR the statement's STEP if the four-eyes rule bars them: 409, audited as
    refused (the refusal's event outlives the step's rollback)."""
    code = four_eyes_refusal(statement, actor.user_id, step)
    if code is None:
        return
    audit.record_refusal(session, actor, f"subsidy.{step}", code, target_type="subsidy_statement",
                         target_id=statement.id, detail={"number": statement.number,
                                                         "status": statement.status})
    raise Conflict(code, number=statement.number)


def statement_number(bank_code: str, year: int, quarter: int) -> str:
    """The number printed on the statement and quoted on the payment: TX-PSBC-2026Q2."""
    return f"TX-{bank_code}-{year}Q{quarter}"


def totals(statement: SubsidyStatement) -> dict:
    """The statement's figures, as an audit event's before or after."""
    return {"status": statement.status, "lines": len(statement.lines),
            "interest_paid_fen": statement.interest_paid_fen,
            "interest_counted_fen": statement.interest_counted_fen,
            "subsidy_fen": statement.subsidy_fen}


def _line(q: LoanQuarter) -> SubsidyLine:
    return SubsidyLine(loan_id=q.loan_id, loan_number=q.loan_number, principal_fen=q.principal_fen,
                       interest_paid_fen=q.amounts.interest_paid_fen,
                       interest_counted_fen=q.amounts.interest_counted_fen,
                       subsidy_fen=q.amounts.subsidy_fen, cancelled=q.cancelled,
                       cancelled_reason=q.cancelled_reason, cancelled_on=q.cancelled_on)


def _same(lines: list[SubsidyLine], fresh: list[SubsidyLine]) -> bool:
    def key(line):
        return (line.loan_id, line.interest_paid_fen, line.interest_counted_fen, line.subsidy_fen,
                line.cancelled, line.cancelled_reason, line.cancelled_on)
    return sorted(map(key, lines)) == sorted(map(key, fresh))


def compile_statement(session: Session, actor: Principal, bank_code: str, year: int,
                      quarter: int, *, today: date) -> SubsidyStatement:
    """The bank's statement for a quarter that has ended: made, refreshed while unreviewed, or as is.

    LOCK: the bank's row first, so two compilations of one bank queue and the second finds the
    first's statement (SQLite serialises writers anyway).
    """
    end = quarter_bounds(year, quarter)[1]
    if end >= today:
        raise Conflict("quarter_not_ended", year=year, quarter=quarter, end=end.isoformat())
    if session.execute(select(Bank.code).where(Bank.code == bank_code)
                       .with_for_update()).scalar_one_or_none() is None:
        raise Invalid("unknown_bank", fields=("bank",), bank=bank_code)
    statement = session.execute(select(SubsidyStatement).where(
        SubsidyStatement.bank_code == bank_code, SubsidyStatement.year == year,
        SubsidyStatement.quarter == quarter)).scalar_one_or_none()
    if statement is not None and statement.status != "compiled":
        return statement  # reviewed: its figures are frozen
    policy = active_policy(session)
    fresh = [_line(q) for q in quarter_lines(session, bank_code, year, quarter, policy)]
    if statement is not None and _same(statement.lines, fresh):
        return statement
    action, before = "subsidy.compile", None
    if statement is None:
        statement = SubsidyStatement(number=statement_number(bank_code, year, quarter),
                                     bank_code=bank_code, year=year, quarter=quarter,
                                     status="compiled")
        session.add(statement)
    else:
        action, before = "subsidy.recompile", totals(statement)
        statement.lines.clear()
        session.flush()
    statement.lines.extend(fresh)
    statement.policy_version, statement.share = policy.version, str(policy.interest_subsidy_share)
    statement.interest_paid_fen = sum(x.interest_paid_fen for x in fresh)
    statement.interest_counted_fen = sum(x.interest_counted_fen for x in fresh)
    statement.subsidy_fen = sum(x.subsidy_fen for x in fresh)
    statement.compiled_on, statement.compiled_by = today, actor.user_id
    session.flush()
    audit.record(session, actor, action, target_type="subsidy_statement", target_id=statement.id,
                 before=before, after=totals(statement),
                 detail={"number": statement.number, "policy_version": policy.version,
                         "share": statement.share})
    return statement


def get_statement(session: Session, actor: Principal, statement_id: str, *,
                  lock: bool = False) -> SubsidyStatement:
    """One statement, or 404: unknown, another bank's, or (to a bank) not yet announced."""
    query = select(SubsidyStatement).where(SubsidyStatement.id == statement_id)
    statement = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if statement is None or not may_see(actor, statement.bank_code) or (
            actor.role == "bank" and statement.status not in SHOWN_TO_BANKS):
        raise NotFound("subsidy_statement_not_found")
    return statement


def list_statements(session: Session, actor: Principal, *, year: int | None = None,
                    quarter: int | None = None, bank: str | None = None,
                    status: str | None = None) -> list[SubsidyStatement]:
    """Statements, the latest quarter first (a bank: its own, once announced)."""
    query = scoped(select(SubsidyStatement), actor, SubsidyStatement.bank_code)
    if actor.role == "bank":
        query = query.where(SubsidyStatement.status.in_(SHOWN_TO_BANKS))
    for column, value in ((SubsidyStatement.year, year), (SubsidyStatement.quarter, quarter),
                          (SubsidyStatement.bank_code, bank), (SubsidyStatement.status, status)):
        if value is not None:
            query = query.where(column == value)
    return list(session.execute(query.order_by(
        SubsidyStatement.year.desc(), SubsidyStatement.quarter.desc(),
        SubsidyStatement.bank_code)).scalars())


def review(session: Session, actor: Principal, statement_id: str, *,
           note: str | None = None) -> SubsidyStatement:
    """The fund office checked the statement (审核): its figures are frozen from now on; never by
    the one who compiled them (409 subsidy_reviewer_is_compiler)."""
    statement = get_statement(session, actor, statement_id, lock=True)
    if statement.status != "compiled":
        raise Conflict("subsidy_already_reviewed", number=statement.number)
    refuse_four_eyes(session, actor, "review", statement)
    statement.status, statement.reviewed_by, statement.reviewed_at = ("reviewed", actor.user_id,
                                                                      utcnow())
    statement.review_note = note
    audit.record(session, actor, "subsidy.review", target_type="subsidy_statement",
                 target_id=statement.id, before={"status": "compiled"}, after=totals(statement),
                 detail={"number": statement.number, "note": note})
    return statement


def announce(session: Session, actor: Principal, statement_id: str, *,
             today: date) -> SubsidyStatement:
    """Announce (公告) a reviewed statement: the bank sees it, the bureau may pay it."""
    statement = get_statement(session, actor, statement_id, lock=True)
    if statement.status == "compiled":
        raise Conflict("subsidy_not_reviewed", number=statement.number)
    if statement.status != "reviewed":
        raise Conflict("subsidy_already_announced", number=statement.number)
    statement.status, statement.announced_by, statement.announced_on = ("announced",
                                                                        actor.user_id, today)
    audit.record(session, actor, "subsidy.announce", target_type="subsidy_statement",
                 target_id=statement.id, before={"status": "reviewed"}, after=totals(statement),
                 detail={"number": statement.number, "announced_on": today.isoformat()})
    return statement
