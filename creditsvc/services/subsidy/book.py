"""The subsidy paid per loan: what the finance bureau confirmed, for the loan and its 台账."""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import SubsidyLine, SubsidyPayment


def paid_totals_fen(session: Session, loan_ids: Iterable[str] | None = None, *,
                    until: date | None = None) -> dict[str, int]:
    """The subsidy paid (confirmed) per loan on payments dated up to UNTIL (None: all), in fen.

    With LOAN_IDS every one of them is a key (0 when nothing was paid); without, every loan
    that has had a subsidy paid. Lines of statements not yet paid do not count.
    """
    query = (select(SubsidyLine.loan_id, func.sum(SubsidyLine.subsidy_fen))
             .join(SubsidyPayment, SubsidyPayment.statement_id == SubsidyLine.statement_id)
             .group_by(SubsidyLine.loan_id))
    wanted = None if loan_ids is None else list(loan_ids)
    if wanted is not None:
        query = query.where(SubsidyLine.loan_id.in_(wanted))
    if until is not None:
        query = query.where(SubsidyPayment.paid_on <= until)
    paid = {loan_id: int(total or 0) for loan_id, total in session.execute(query)}
    if wanted is None:
        return paid
    return {loan_id: paid.get(loan_id, 0) for loan_id in wanted}
