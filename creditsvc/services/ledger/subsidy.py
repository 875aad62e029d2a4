"""累计贴息金额 of the 台账: the subsidy the finance bureau has paid on each loan.

The subsidy book (the finance bureau's own, never the fund's ledger) answers it per loan;
until that book is kept, there is no figure, and the 台账 shows 累计贴息金额 as "—" with a note
saying so, rather than an estimate. This function is the one place the 台账 asks.
"""

from datetime import date

from sqlalchemy.orm import Session

KEPT = False  # whether the subsidy book is kept (paid_totals answers with figures)


def paid_totals(session: Session, loan_ids: list[str], *, until: date) -> dict[str, int] | None:
    """Subsidy paid per loan of LOAN_IDS through UNTIL (fen; a loan absent: 0), or None while
    the subsidy book is not kept."""
    return None
