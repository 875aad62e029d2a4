"""Disbursements, repayments and arrears racing on PostgreSQL: no deadlock, books whole.

A disbursement locks the fund row, then its new loan's exposure totals; a repayment or a status
report used to lock its loan (and, through the loans' triggers, the same exposure totals)
first and the fund last. Under mixed load one of two such writes died of a deadlock (the soak,
bench/soak.py, found it: 5 of 276 requests). Every loan write now takes the fund row first
(exposure.lock_books).
"""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy.exc import OperationalError

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.loans import disbursement, servicing, status_reports
from creditsvc.services.loans.reading import get_loan
from creditsvc.services.platform.uow import UnitOfWork
from tests.books import exposure_consistent, fund_with, user_id
from tests.factories import ApplicationFactory, LoanFactory, UserFactory
from tests.integration.servers import pg_app
from tests.today import TODAY

ROUNDS = 40


@pytest.mark.postgres
def test_disbursements_against_repayments_and_reports_never_deadlock():
    with pg_app() as (app, _url):
        with app.app_context():
            UserFactory(name="mixed-psbc", role="bank", bank_code="PSBC")
            fund_with(db.session, 500_000_000)
            bank = Principal(user_id(db.session, "mixed-psbc"), "mixed-psbc", "bank", "PSBC")
            accepted = [ApplicationFactory(status="accepted", approved_amount_fen=500_000).id
                        for _ in range(ROUNDS)]
            old = [LoanFactory(principal_fen=1_000_000).id for _ in range(ROUNDS)]
            db.session.commit()
            db.session.remove()

        def disburse(app_id):
            with app.app_context(), UnitOfWork(db.session) as uow:
                from creditsvc.services.loans import applications
                application = applications.get(db.session, bank, app_id, lock=True)
                disbursement.disburse(db.session, bank, application, amount=Decimal("5000.00"),
                                      disbursed_on=TODAY, annual_rate=Decimal("3.00"),
                                      schedule_kind="interest_quarterly", today=TODAY)
                uow.commit()

        def repay(loan_id):
            with app.app_context(), UnitOfWork(db.session) as uow:
                loan = get_loan(db.session, bank, loan_id, lock=True)
                servicing.repay(db.session, bank, loan, principal=Decimal("100.00"),
                                interest=Decimal("0.00"), paid_on=TODAY, today=TODAY)
                status_reports.report_status(db.session, bank, loan, as_of=TODAY, days_past_due=45,
                                        today=TODAY)
                uow.commit()

        errors = []

        def run(job):
            try:
                job[0](job[1])
            except OperationalError as exc:  # a deadlock surfaces as one
                errors.append(type(exc.orig).__name__)

        jobs = [pair for a, o in zip(accepted, old, strict=True)
                for pair in ((disburse, a), (repay, o))]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(run, jobs))
        assert errors == []
        with app.app_context():
            fund, summed, kept, per_bank = exposure_consistent(db.session)
            assert fund == summed and kept == per_bank
            assert reconcile(db.session) == []
            db.session.remove()
            db.engine.dispose()
