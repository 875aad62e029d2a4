"""Reading loans: one with its schedule and history, filtered pages, the portfolio figures."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from creditsvc.core.errors import NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.fund.exposure import lock_books
from creditsvc.services.loans.numbers import normalise
from creditsvc.services.platform.paging import Page, paginate
from creditsvc.services.platform.scope import may_see, scoped
from lending.classification import LoanPosition, Portfolio, portfolio
from models import Loan, Repayment, StatusReport


def get_loan(session: Session, actor: Principal, loan_id: str, *, lock: bool = False) -> Loan:
    """One loan, or 404 when it does not exist or belongs to another bank.

    LOCK: for a write, the fund row is locked first, then the loan (exposure.lock_books).
    """
    query = select(Loan).where(Loan.id == loan_id)
    if lock:
        lock_books(session)
        query = query.with_for_update()
    loan = session.execute(query).scalar_one_or_none()
    if loan is None or not may_see(actor, loan.bank_code):
        raise NotFound("loan_not_found")
    return loan


def loan_detail(session: Session, actor: Principal, loan_id: str) -> dict:
    """A loan with its schedule, repayments and status reports."""
    loan = get_loan(session, actor, loan_id)
    repayments = session.execute(select(Repayment).where(Repayment.loan_id == loan.id)
                                 .order_by(Repayment.recorded_at)).scalars().all()
    reports = session.execute(select(StatusReport).where(StatusReport.loan_id == loan.id)
                              .order_by(StatusReport.recorded_at)).scalars().all()
    return {"loan": loan, "repayments": list(repayments), "status_reports": list(reports)}


def loans_query(actor: Principal, *, status: str | None = None, bank: str | None = None,
                town: str | None = None, classification: str | None = None,
                household_id: str | None = None, number: str | None = None) -> Select:
    """The SELECT of the loans as filtered (a bank: its own); the list pages it, its export
    reads it whole.

    NUMBER (a loan number as typed, psbc-2026-123 too) finds one loan.
    """
    query = scoped(select(Loan), actor, Loan.bank_code)
    if number is not None:
        query = query.where(Loan.number == (normalise(number) or number.strip()))
    for column, value in ((Loan.status, status), (Loan.bank_code, bank), (Loan.town, town),
                          (Loan.classification, classification), (Loan.household_id, household_id)):
        if value is not None:
            query = query.where(column == value)
    return query


def list_loans(session: Session, actor: Principal, *, page: int = 1, page_size: int = 50,
               after: str | None = None, **filters) -> Page:
    """A filtered page (loans_query's FILTERS), oldest first (numbered, or after a cursor)."""
    return paginate(session, loans_query(actor, **filters), Loan, after=after, page=page,
                    page_size=page_size, options=(selectinload(Loan.schedule),))


@dataclass(frozen=True)
class NextDue:
    """What a page says about a loan's next instalment.

    A due date already past with no arrears reported is stale, not a fact: the page then says
    what the latest status report said and how old it is, never a past date beside 正常.
    """

    due_on: date
    passed: bool = False
    report_as_of: date | None = None  # None: no status report yet
    report_days_past_due: int = 0
    report_age_days: int = 0


def next_due(loan: Loan, today: date) -> NextDue | None:
    """The first instalment not paid in full, or what the latest report says once it has passed.

    None for a loan no longer active or with everything paid.
    """
    if loan.status != "active":
        return None
    item = next((i for i in loan.schedule
                 if i.paid_principal_fen < i.principal_fen or i.paid_interest_fen < i.interest_fen),
                None)
    if item is None:
        return None
    if item.due_on >= today:
        return NextDue(item.due_on)
    as_of = loan.dpd_as_of
    return NextDue(item.due_on, True, as_of, loan.days_past_due,
                   (today - as_of).days if as_of is not None else 0)


def portfolio_of(session: Session, actor: Principal, bank: str | None = None) -> Portfolio:
    """PAR30, PAR90, NPL ratio and class totals of the active book (a bank: its own)."""
    if actor.role == "bank":
        bank = actor.bank_code
    query = select(Loan.outstanding_principal_fen, Loan.days_past_due).where(Loan.status == "active")
    if bank:
        query = query.where(Loan.bank_code == bank)
    return portfolio(LoanPosition(o, d) for o, d in session.execute(query))
