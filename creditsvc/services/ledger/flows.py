"""The period's 代偿 and 回收 of each (bank, town), in SQL, exact for any range of dates.

代偿 is what the fund's cash paid on claims less the draws reversed, from the ledger by its
business dates (as `/fund/ledger` and the monthly snapshot count them); 回收 is what the banks
recovered (the recoveries by their dates) and the fund's share of it that came back (the
ledger). Each is summed by its loan's (bank, town), then rolled up the four ways of
ledger.groups.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import Session

from creditsvc.services.ledger.groups import rolled_up
from models import JournalEntry, Loan, Posting, Recovery

DRAWS = ("claim_draw", "reversal:claim_draw")


@dataclass(frozen=True)
class Flows:
    """One group's period flows, in fen."""

    claims_fen: int = 0  # net: paid less reversed
    recoveries_fen: int = 0  # the banks' recoveries
    fund_recoveries_fen: int = 0  # the fund's share of them


FIGURES = ("claims_fen", "recoveries_fen", "fund_recoveries_fen")


def _moved(start: date, end: date):
    """Per ledger entry and recovery of START..END: its loan and what it moved (a CTE)."""
    draw = JournalEntry.kind.in_(DRAWS)
    cash = (select(JournalEntry.loan_id.label("loan_id"),
                   case((draw, -Posting.amount_fen), else_=0).label("claims_fen"),
                   literal(0).label("recoveries_fen"),
                   case((JournalEntry.kind == "recovery", Posting.amount_fen),
                        else_=0).label("fund_recoveries_fen"))
            .select_from(JournalEntry).join(Posting, Posting.entry_id == JournalEntry.id)
            .where(Posting.account == "fund_cash", JournalEntry.loan_id.is_not(None),
                   JournalEntry.kind.in_((*DRAWS, "recovery")),
                   JournalEntry.effective_on.between(start, end)))
    recovered = (select(Recovery.loan_id, literal(0), Recovery.amount_fen, literal(0))
                 .where(Recovery.recovered_on.between(start, end)))
    return union_all(cash, recovered).cte("moved").prefix_with("MATERIALIZED")


def period_flows(session: Session, start: date, end: date,
                 bank: str | None = None) -> dict[tuple[str, str], Flows]:
    """Each group's 代偿 and 回收 from START to END inclusive; BANK: its loans only.

    Read from the period's entries and recoveries, each loan then found by its key (IN), so
    the read grows with the period's claims and recoveries, not with the book.
    """
    moved = _moved(start, end)
    cells = (select(Loan.bank_code, Loan.town,
                    *(func.coalesce(func.sum(moved.c[f]), 0).label(f) for f in FIGURES))
             .select_from(moved).join(Loan, Loan.id == moved.c.loan_id)
             .where(Loan.id.in_(select(moved.c.loan_id)))
             .group_by(Loan.bank_code, Loan.town))
    if bank is not None:
        cells = cells.where(Loan.bank_code == bank)
    cells = cells.cte("flow_cells").prefix_with("MATERIALIZED")
    query = union_all(*rolled_up(cells, FIGURES, lambda c: func.coalesce(func.sum(c), 0)))
    return {(b, t): Flows(*(int(v) for v in rest)) for b, t, *rest in session.execute(query)}
