"""Reading loans: one with its schedule and history, filtered pages, the portfolio figures."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from creditsvc.errors import NotFound
from creditsvc.principal import Principal
from creditsvc.services.classification import LoanPosition, Portfolio, portfolio
from models import Loan, Repayment, StatusReport


@dataclass(frozen=True)
class LoanPage:
    """One page of a listing and the total that matched."""

    items: list[Loan]
    total: int


def get_loan(session: Session, actor: Principal, loan_id: str, *, lock: bool = False) -> Loan:
    """One loan, or 404 when it does not exist or belongs to another bank."""
    query = select(Loan).where(Loan.id == loan_id)
    if lock:
        query = query.with_for_update()
    loan = session.execute(query).scalar_one_or_none()
    if loan is None or (actor.role == "bank" and loan.bank_code != actor.bank_code):
        raise NotFound("no such loan", code="loan_not_found")
    return loan


def loan_detail(session: Session, actor: Principal, loan_id: str) -> dict:
    """A loan with its schedule, repayments and status reports."""
    loan = get_loan(session, actor, loan_id)
    repayments = session.execute(select(Repayment).where(Repayment.loan_id == loan.id)
                                 .order_by(Repayment.recorded_at)).scalars().all()
    reports = session.execute(select(StatusReport).where(StatusReport.loan_id == loan.id)
                              .order_by(StatusReport.recorded_at)).scalars().all()
    return {"loan": loan, "repayments": list(repayments), "status_reports": list(reports)}


def list_loans(session: Session, actor: Principal, *, status: str | None = None,
               bank: str | None = None, town: str | None = None,
               classification: str | None = None, household_id: str | None = None,
               page: int = 1, page_size: int = 50) -> LoanPage:
    """A filtered page, oldest first; a bank sees only its own loans."""
    query = select(Loan)
    if actor.role == "bank":
        query = query.where(Loan.bank_code == actor.bank_code)
    for column, value in ((Loan.status, status), (Loan.bank_code, bank), (Loan.town, town),
                          (Loan.classification, classification), (Loan.household_id, household_id)):
        if value is not None:
            query = query.where(column == value)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = session.execute(query.options(selectinload(Loan.schedule))
                            .order_by(Loan.created_at, Loan.id)
                            .offset((page - 1) * page_size).limit(page_size)).scalars().all()
    return LoanPage(list(items), total)


def portfolio_of(session: Session, actor: Principal, bank: str | None = None) -> Portfolio:
    """PAR30, PAR90, NPL ratio and class totals of the active book (a bank: its own)."""
    if actor.role == "bank":
        bank = actor.bank_code
    query = select(Loan.outstanding_principal_fen, Loan.days_past_due).where(Loan.status == "active")
    if bank:
        query = query.where(Loan.bank_code == bank)
    return portfolio(LoanPosition(o, d) for o, d in session.execute(query))
