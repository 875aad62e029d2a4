"""The finance bureau's payment of an announced statement: its own book, never the fund's ledger.

Confirming is atomic and happens once: the statement moves announced → paid by a conditional
UPDATE, so of two confirmations at once exactly one finds it announced; the payment row's
unique statement id is the last line of defence. The guarantee fund is not touched.
"""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid
from creditsvc.core.money import from_fen
from creditsvc.core.principal import Principal
from creditsvc.services.platform import audit
from creditsvc.services.subsidy.statements import get_statement, refuse_four_eyes, totals
from lending import dates
from models import SubsidyPayment, SubsidyStatement


def payment_refusals(statement: SubsidyStatement, amount_fen: int | None, paid_on: date | None,
                     *, today: date) -> list:
    """Every reason a confirmation would be refused, each about its field (None: not checked)."""
    if statement.status == "paid":
        return [Conflict("subsidy_already_paid", number=statement.number)]
    if statement.status != "announced":
        return [Conflict("subsidy_not_announced", number=statement.number)]
    refused = []
    if amount_fen is not None and amount_fen != statement.subsidy_fen:
        refused.append(Invalid("subsidy_amount_mismatch", fields=("amount",),
                               total=f"{from_fen(statement.subsidy_fen):.2f}"))
    if paid_on is not None and dates.in_future(paid_on, today):
        refused.append(Invalid("date_in_future", fields=("paid_on",), today=today.isoformat()))
    elif paid_on is not None and paid_on < statement.announced_on:
        refused.append(Invalid("before_announcement", fields=("paid_on",),
                               announced_on=statement.announced_on.isoformat()))
    return refused


def confirm_payment(session: Session, actor: Principal, statement_id: str, *, amount_fen: int,
                    paid_on: date, reference: str, today: date) -> SubsidyPayment:
    """Record that the finance bureau paid the statement's subsidy to the bank (once); never by
    the one who reviewed it (409 subsidy_payer_is_reviewer)."""
    statement = get_statement(session, actor, statement_id)
    refuse_four_eyes(session, actor, "payment", statement)
    if refused := payment_refusals(statement, amount_fen, paid_on, today=today):
        raise refused[0]
    moved = session.execute(update(SubsidyStatement).where(
        SubsidyStatement.id == statement.id, SubsidyStatement.status == "announced")
        .values(status="paid").execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise Conflict("subsidy_already_paid", number=statement.number)
    session.refresh(statement)
    payment = SubsidyPayment(statement_id=statement.id, bank_code=statement.bank_code,
                             amount_fen=amount_fen, paid_on=paid_on, reference=reference,
                             confirmed_by=actor.user_id)
    session.add(payment)
    session.flush()
    audit.record(session, actor, "subsidy.payment", target_type="subsidy_statement",
                 target_id=statement.id, before={"status": "announced"}, after=totals(statement),
                 detail={"number": statement.number, "amount_fen": amount_fen,
                         "paid_on": paid_on.isoformat(), "reference": reference,
                         "payment_id": payment.id})
    return payment


def payment_of(session: Session, statement_id: str) -> SubsidyPayment | None:
    """The confirmed payment of a statement, or None."""
    return session.execute(select(SubsidyPayment).where(
        SubsidyPayment.statement_id == statement_id)).scalar_one_or_none()
