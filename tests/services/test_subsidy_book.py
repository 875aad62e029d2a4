"""The subsidy's book as services: penalty interest left out, totals per loan, one payment.

The race runs on the engine under test (SQLite by default, PostgreSQL with CREDITSVC_TEST_DB).
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.loans import servicing
from creditsvc.services.subsidy import payments, statements
from creditsvc.services.subsidy.book import paid_totals_fen
from models import JournalEntry, ScheduleItem, SubsidyLine, SubsidyPayment, SubsidyStatement
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import at_once, done

PSBC = Principal(user_id=None, name="psbc", role="bank", bank_code="PSBC")
MANAGER = Principal(user_id=None, name="fm", role="fund_manager")


@pytest.fixture
def funded(session):
    fund_with(session, 50_000_000)
    return session


def loan_owing(session, *, scheduled_fen: int, accrued_fen: int):
    """A matured loan whose schedule owes SCHEDULED_FEN of interest, the borrower ACCRUED_FEN."""
    loan = LoanFactory(accrued_interest_unpaid_fen=accrued_fen)
    loan.schedule.append(ScheduleItem(seq=1, due_on=loan.maturity_on, principal_fen=loan.principal_fen,
                                      interest_fen=scheduled_fen))
    session.commit()
    return loan


def announced(session, bank="PSBC", year=2026, quarter=3):
    statement = done(session, statements.compile_statement, MANAGER, bank, year, quarter, today=TODAY)
    done(session, statements.review, MANAGER, statement.id)
    done(session, statements.announce, MANAGER, statement.id, today=TODAY)
    return statement


def test_penalty_interest_is_never_subsidised(funded):
    loan = loan_owing(funded, scheduled_fen=30_000, accrued_fen=35_000)
    repayment = done(funded, servicing.repay, PSBC, loan, principal=Decimal(0),
                     interest=Decimal("350.00"), paid_on=date(2026, 9, 20), today=TODAY)
    # 300.00 paid the schedule's interest; 50.00 was interest on overdue principal (罚息).
    assert (repayment.interest_fen, repayment.contract_interest_fen) == (35_000, 30_000)
    statement = done(funded, statements.compile_statement, MANAGER, "PSBC", 2026, 3, today=TODAY)
    (line,) = statement.lines
    assert (line.interest_paid_fen, line.subsidy_fen) == (30_000, 30_000)


def test_paid_totals_per_loan_count_confirmed_payments_up_to_a_date(funded):
    paid = loan_owing(funded, scheduled_fen=30_000, accrued_fen=30_000)
    other = loan_owing(funded, scheduled_fen=30_000, accrued_fen=30_000)
    done(funded, servicing.repay, PSBC, paid, principal=Decimal(0), interest=Decimal("120.00"),
         paid_on=date(2026, 8, 1), today=TODAY)
    statement = announced(funded)
    assert paid_totals_fen(funded, [paid.id, other.id]) == {paid.id: 0, other.id: 0}  # not paid yet
    done(funded, payments.confirm_payment, MANAGER, statement.id, amount_fen=12_000,
         paid_on=TODAY, reference="GK-2026-0001", today=TODAY)
    assert paid_totals_fen(funded, [paid.id, other.id]) == {paid.id: 12_000, other.id: 0}
    assert paid_totals_fen(funded) == {paid.id: 12_000}
    assert paid_totals_fen(funded, [paid.id], until=date(2026, 11, 1)) == {paid.id: 0}
    assert paid_totals_fen(funded, [paid.id], until=TODAY) == {paid.id: 12_000}


def test_two_confirmations_at_once_pay_once(app, funded):
    loan = loan_owing(funded, scheduled_fen=30_000, accrued_fen=30_000)
    done(funded, servicing.repay, PSBC, loan, principal=Decimal(0), interest=Decimal("300.00"),
         paid_on=date(2026, 9, 1), today=TODAY)
    statement_id, loan_id = announced(funded).id, loan.id
    entries = funded.execute(select(func.count()).select_from(JournalEntry)).scalar_one()
    funded.remove()
    def confirm(n):
        done(db.session, payments.confirm_payment, MANAGER, statement_id, amount_fen=30_000,
             paid_on=TODAY, reference=f"GK-2026-000{n}", today=TODAY)
        return "paid"

    outcomes = sorted(at_once(app, 2, confirm))
    assert outcomes == ["paid", "subsidy_already_paid"]
    assert funded.execute(select(func.count()).select_from(SubsidyPayment)).scalar_one() == 1
    assert paid_totals_fen(funded, [loan_id]) == {loan_id: 30_000}
    assert funded.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == entries
    assert reconcile(funded) == []


def test_two_compilations_at_once_make_one_statement(app, funded):
    loan = loan_owing(funded, scheduled_fen=30_000, accrued_fen=30_000)
    done(funded, servicing.repay, PSBC, loan, principal=Decimal(0), interest=Decimal("300.00"),
         paid_on=date(2026, 9, 1), today=TODAY)
    funded.remove()
    def compile_(_):
        return done(db.session, statements.compile_statement, MANAGER, "PSBC", 2026, 3,
                    today=TODAY).id

    made = set(at_once(app, 2, compile_))
    assert len(made) == 1

    assert funded.execute(select(func.count()).select_from(SubsidyStatement)).scalar_one() == 1
    assert funded.execute(select(func.count()).select_from(SubsidyLine)).scalar_one() == 1
