"""The period's 代偿 and 回收 of each (bank, town), in SQL, exact for any range of dates.

代偿 is what the fund's cash paid on claims less the draws reversed, from the ledger by its
business dates (as `/fund/ledger` and the monthly snapshot count them); 回收 is what the banks
recovered (the recoveries by their dates) and the fund's share of it that came back (the
ledger). Each is grouped the four ways of ledger.groups through the entry's loan.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from creditsvc.services.ledger.groups import ALL, GROUPINGS
from models import JournalEntry, Loan, Posting, Recovery

DRAWS = ("claim_draw", "reversal:claim_draw")


@dataclass(frozen=True)
class Flows:
    """One group's period flows, in fen."""

    claims_fen: int = 0  # net: paid less reversed
    recoveries_fen: int = 0  # the banks' recoveries
    fund_recoveries_fen: int = 0  # the fund's share of them


def _keys(grouping):
    return [Loan.bank_code if "bank_code" in grouping else literal(ALL),
            Loan.town if "town" in grouping else literal(ALL)]


def _grouped(session: Session, query, grouping) -> dict:
    query = query.group_by(*(getattr(Loan, name) for name in grouping))
    return {(b, t): tuple(int(v) for v in rest) for b, t, *rest in session.execute(query)}


def period_flows(session: Session, start: date, end: date,
                 bank: str | None = None) -> dict[tuple[str, str], Flows]:
    """Each group's 代偿 and 回收 from START to END inclusive; BANK: its loans only."""
    out: dict[tuple[str, str], Flows] = {}
    for grouping in GROUPINGS:
        cash = (select(*_keys(grouping),
                       func.coalesce(func.sum(case((JournalEntry.kind.in_(DRAWS),
                                                    -Posting.amount_fen), else_=0)), 0),
                       func.coalesce(func.sum(case((JournalEntry.kind == "recovery",
                                                    Posting.amount_fen), else_=0)), 0))
                .select_from(JournalEntry)
                .join(Posting, Posting.entry_id == JournalEntry.id)
                .join(Loan, Loan.id == JournalEntry.loan_id)
                .where(Posting.account == "fund_cash",
                       JournalEntry.kind.in_((*DRAWS, "recovery")),
                       JournalEntry.effective_on.between(start, end)))
        recovered = (select(*_keys(grouping), func.coalesce(func.sum(Recovery.amount_fen), 0))
                     .select_from(Recovery).join(Loan, Loan.id == Recovery.loan_id)
                     .where(Recovery.recovered_on.between(start, end)))
        if bank is not None:
            cash, recovered = cash.where(Loan.bank_code == bank), recovered.where(
                Loan.bank_code == bank)
        paid = _grouped(session, cash, grouping)
        banks = _grouped(session, recovered, grouping)
        for key in paid.keys() | banks.keys():
            claims, fund_share = paid.get(key, (0, 0))
            out[key] = Flows(claims, banks.get(key, (0,))[0], fund_share)
    return out
