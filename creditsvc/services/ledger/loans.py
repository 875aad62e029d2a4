"""The per-loan 扶贫小额信贷台账: one row per loan with the columns county systems keep.

A fund manager reads every loan, a bank its own (platform.scope), an officer those of their
area (access.areas). Rows come a page at a time in the loans' (created_at, id) order through
the one paging module; an export walks the same order in chunks of the same query, so a
page and its xlsx hold the same rows. Each row carries the household's head name masked,
the grade and line of the credit line the loan was lent within (else the household's line
now in force; else the application's grade), what is overdue and in interest arrears on the
business date (from the schedule), and 累计贴息金额 from the subsidy book (subsidy.book: what the
finance bureau has paid).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from creditsvc.core.errors import Invalid
from creditsvc.core.principal import Principal
from creditsvc.services.access.areas import in_area
from creditsvc.services.ledger.groups import interest_in_arrears
from creditsvc.services.platform.paging import Page, paginate
from creditsvc.services.platform.scope import scoped
from creditsvc.services.subsidy.book import paid_totals_fen
from models import Application, Bank, CreditLine, Household, Loan, ScheduleItem

CHUNK = 1_000


@dataclass(frozen=True)
class LedgerFilter:
    """What the 台账 is narrowed to; None means "any"."""

    bank: str | None = None
    town: str | None = None
    village: str | None = None  # any part of the village's name
    status: str | None = None
    disbursed_from: date | None = None
    disbursed_to: date | None = None


@dataclass(frozen=True)
class LedgerRow:
    """One loan's line of the 台账 (money in fen; the head's name masked)."""

    loan_id: str
    number: str | None
    household_id: str
    head_name: str
    town: str
    village: str
    grade: str | None  # 信用等级评定
    line_fen: int | None  # 授信额度
    granted_on: date | None  # 授信时间
    principal_fen: int  # 贷款金额
    term_months: int  # 期限 (with an extension's months)
    disbursed_on: date
    maturity_on: date
    rate_bp: int
    bank_code: str
    bank_name: str
    subsidy_fen: int  # 累计贴息金额: the subsidy paid on the loan by the business date
    outstanding_fen: int  # 贷款余额
    overdue_fen: int  # 逾期金额: principal fallen due and unpaid, while reported overdue
    overdue_since: date | None  # the first day overdue, by the bank's latest report
    arrears_fen: int  # 欠息金额: interest fallen due and unpaid
    arrears_since: date | None  # the due date of the oldest interest unpaid
    purpose: str
    status: str
    days_past_due: int


def _query(actor: Principal, f: LedgerFilter):
    app_line, held = aliased(CreditLine), aliased(CreditLine)
    line = [func.coalesce(app_line.grade, held.grade, Loan.grade),
            func.coalesce(app_line.line_fen, held.line_fen),
            func.coalesce(app_line.granted_on, held.granted_on)]
    query = (select(Loan, Household.head_name_masked, *line, Bank.name_zh)
             .join(Household, Household.id == Loan.household_id)
             .join(Bank, Bank.code == Loan.bank_code)
             .join(Application, Application.id == Loan.application_id)
             .outerjoin(app_line, app_line.id == Application.credit_line_id)
             .outerjoin(held, and_(Application.credit_line_id.is_(None),
                                   held.household_id == Loan.household_id,
                                   held.status == "active")))
    return _narrowed(query, actor, f)


def _counted(actor: Principal, f: LedgerFilter):
    """The same loans as `_query`, for counting: the loans alone (each joined row above is one
    loan: its household, bank and application, and at most one line in force)."""
    return _narrowed(select(Loan.id), actor, f)


def _narrowed(query, actor: Principal, f: LedgerFilter):
    """QUERY (of loans) as ACTOR may see them, narrowed by F."""
    query = scoped(query, actor, Loan.bank_code)
    if actor.role == "officer":
        query = query.where(in_area(actor.user_id, Loan.town, Loan.village))
    for column, value in ((Loan.bank_code, f.bank), (Loan.town, f.town), (Loan.status, f.status)):
        if value is not None:
            query = query.where(column == value)
    if f.village:
        query = query.where(Loan.village.contains(f.village.strip(), autoescape=True))
    if f.disbursed_from and f.disbursed_to and f.disbursed_from > f.disbursed_to:
        raise Invalid("ledger_dates_reversed", fields=("disbursed_from",))
    if f.disbursed_from:
        query = query.where(Loan.disbursed_on >= f.disbursed_from)
    if f.disbursed_to:
        query = query.where(Loan.disbursed_on <= f.disbursed_to)
    return query


def _due(session: Session, loan_ids: list[str], today: date) -> tuple[dict, dict]:
    """Per loan: principal fallen due and unpaid by TODAY; interest in arrears and since when."""
    owed = ScheduleItem.principal_fen - ScheduleItem.paid_principal_fen
    principal = dict(session.execute(
        select(ScheduleItem.loan_id, func.sum(owed))
        .where(ScheduleItem.loan_id.in_(loan_ids), ScheduleItem.due_on <= today, owed > 0)
        .group_by(ScheduleItem.loan_id)).all())
    arrears = interest_in_arrears(today)
    interest = {loan_id: (int(fen), since) for loan_id, fen, since in session.execute(
        select(arrears).where(arrears.c.loan_id.in_(loan_ids)))}
    return {k: int(v) for k, v in principal.items()}, interest


def _rows(session: Session, found: list, today: date) -> list[LedgerRow]:
    ids = [r[0].id for r in found]
    principal, interest = _due(session, ids, today) if ids else ({}, {})
    paid = paid_totals_fen(session, ids, until=today) if ids else {}
    out = []
    for loan, head, grade, line_fen, granted_on, bank_name in found:
        overdue = loan.days_past_due > 0
        since = (loan.dpd_as_of - timedelta(days=loan.days_past_due - 1)
                 if overdue and loan.dpd_as_of else None)
        owed, owed_since = interest.get(loan.id, (0, None))
        out.append(LedgerRow(
            loan.id, loan.number, loan.household_id, head, loan.town, loan.village, grade,
            line_fen, granted_on, loan.principal_fen, loan.term_months + loan.extension_months,
            loan.disbursed_on, loan.maturity_on, loan.rate_bp, loan.bank_code, bank_name,
            paid.get(loan.id, 0), loan.outstanding_principal_fen,
            principal.get(loan.id, 0) if overdue else 0, since, owed, owed_since,
            loan.purpose, loan.status, loan.days_past_due))
    return out


def ledger_page(session: Session, actor: Principal, f: LedgerFilter, *, today: date,
                after: str | None = None, before: str | None = None, page_size: int = 50,
                count: bool = True) -> Page:
    """A page of the 台账 as ACTOR may see it, oldest loan first; figures on TODAY."""
    page = paginate(session, _query(actor, f), Loan, after=after, before=before,
                    page_size=page_size, count=count, count_query=_counted(actor, f))
    return Page(_rows(session, page.items, today), page.total, page.estimated,
                page.next_cursor, page.prev_cursor, page.over_cap)


def ledger_rows(session: Session, actor: Principal, f: LedgerFilter, *,
                today: date) -> Iterator[LedgerRow]:
    """Every row of the 台账 as ACTOR may see it, in the page's order, read CHUNK at a time."""
    after = None
    while True:
        page = paginate(session, _query(actor, f), Loan, after=after, page_size=CHUNK,
                        count=False)
        yield from _rows(session, page.items, today)
        if page.next_cursor is None:
            return
        after = page.next_cursor
