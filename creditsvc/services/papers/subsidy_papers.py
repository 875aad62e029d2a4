"""The figures of the quarterly 财政贴息清单 of a bank: the statement the subsidy service keeps.

Every amount is the statement's own (its lines and totals as compiled, frozen once reviewed):
the paper copies them, never computes them again. Who may print it is who may read it
(`get_statement`): the fund office any statement; a bank its own once announced, else 404.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.money import fmt_yuan
from creditsvc.core.principal import Principal
from creditsvc.services.papers.render import PaperKind
from creditsvc.services.subsidy import payments
from creditsvc.services.subsidy.statements import get_statement
from lending.dates import quarter_bounds
from models import Household, Loan

STATEMENT = PaperKind("subsidy_statement", "TXQD", "papers/subsidy_statement.html", "财政贴息清单")


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


def subsidy_statement(session: Session, actor: Principal, statement_id: str) -> dict:
    """The statement, its payment if confirmed, and a line per loan with its household (masked)."""
    s = get_statement(session, actor, statement_id)
    start, end = quarter_bounds(s.year, s.quarter)
    households = dict(session.execute(
        select(Loan.id, Household).join(Household, Household.id == Loan.household_id)
        .where(Loan.id.in_([line.loan_id for line in s.lines]))).all()) if s.lines else {}
    paid = payments.payment_of(session, s.id)
    lines = [{"loan_id": line.loan_id, "loan_number": line.loan_number,
              "head_name": households[line.loan_id].head_name_masked,
              "village": households[line.loan_id].village,
              "interest_paid": fmt_yuan(line.interest_paid_fen),
              "interest_counted": fmt_yuan(line.interest_counted_fen),
              "subsidy": fmt_yuan(line.subsidy_fen), "cancelled": line.cancelled,
              "cancelled_reason": line.cancelled_reason, "cancelled_on": _day(line.cancelled_on)}
             for line in s.lines]
    return {
        "statement": {"id": s.id, "number": s.number, "bank": s.bank_code, "year": s.year,
                      "quarter": s.quarter, "start": start.isoformat(), "end": end.isoformat(),
                      "status": s.status, "policy_version": s.policy_version, "share": s.share,
                      "interest_paid": fmt_yuan(s.interest_paid_fen),
                      "interest_counted": fmt_yuan(s.interest_counted_fen),
                      "subsidy": fmt_yuan(s.subsidy_fen), "compiled_on": _day(s.compiled_on),
                      "announced_on": _day(s.announced_on), "count": len(lines),
                      "stopped": sum(1 for line in lines if line["cancelled"])},
        "payment": None if paid is None else {"amount": fmt_yuan(paid.amount_fen),
                                              "paid_on": paid.paid_on.isoformat(),
                                              "reference": paid.reference},
        "lines": lines,
    }
