"""Objects owned by one bank, for the other-bank column of the permission matrix.

Each path parameter of a bank-readable route needs a maker here: make(client, keys, bank) -> id.
"""

from datetime import date
from decimal import Decimal

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.loans import disbursement
from tests.books import fund_with, set_fund, user_id
from tests.factories import ApplicationFactory, LoanFactory
from tests.today import TODAY
from tests.work import done


def _application(client, keys, bank, status="approved"):
    keys.key("officer")
    return ApplicationFactory(submitted_by=user_id(db.session, "officer-x"), bank_code=bank, status=status)


def make_application(client, keys, bank):
    """An approved application routed to BANK."""
    return _application(client, keys, bank).id


def make_loan(client, keys, bank):
    """An active loan of BANK (disbursed through the service)."""
    set_fund(db.session, 50_000_000)
    app = _application(client, keys, bank, status="accepted")
    actor = Principal(user_id(db.session, f"bank-{bank}") if keys.key("bank", bank) else None,
                      "maker", "bank", bank)
    loan = done(db.session, disbursement.disburse, actor, app, amount=Decimal("10000.00"),
                                 disbursed_on=date(2026, 1, 5), annual_rate=Decimal("3.00"),
                                 schedule_kind="interest_quarterly", today=date(2026, 1, 5))
    return loan.id


def make_job(client, keys, bank):
    """A finished feed job of BANK (uploaded through the API, run by the worker)."""
    import io

    from creditsvc.jobs import worker

    made = client.post("/api/v1/loan-status-reports/jobs", headers=keys.headers("bank", bank),
                       content_type="multipart/form-data",
                       data={"file": (io.BytesIO("贷款编号,统计日期,逾期天数\nx,2026-01-01,0\n".encode()),
                                      "feed.csv")})
    worker.run(db.session, once=True, beat_seconds=0.2)
    return made.get_json()["id"]


MAKERS: dict = {"application_id": make_application, "loan_id": make_loan, "job_id": make_job}
# Parameters naming programme-wide objects (a policy version), which every allowed role reads.
SHARED = {"version"}


def make_ids(client, keys, params, bank):
    """Ids for every parameter of a route, each object owned by BANK."""
    return {p: MAKERS[p](client, keys, bank) for p in params}


def _loan(client, keys, bank):
    """A defaulted loan of BANK, inserted with the models (fund engineer)."""
    from creditsvc.infra.extensions import db
    from models import Fund

    if db.session.get(Fund, 1).capital_fen == 0:
        fund_with(db.session, 50_000_000)
    loan_id = LoanFactory(days_past_due=120, bank_code=bank).id
    db.session.rollback()  # end the read: on SQLite an open transaction holds the write lock
    return loan_id


def _claim(client, keys, bank):
    """A filed claim of BANK on one of its defaulted loans (fund engineer)."""
    loan_id = _loan(client, keys, bank)
    response = client.post(f"/api/v1/loans/{loan_id}/claims", headers=keys.headers("bank", bank))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


MAKERS.setdefault("loan_id", _loan)
MAKERS["claim_id"] = _claim


def _report(client, keys, bank):
    """A status report on one of BANK's current loans, recorded directly."""

    from models import Fund, StatusReport
    if db.session.get(Fund, 1).capital_fen == 0:
        fund_with(db.session, 50_000_000)
    loan_id = LoanFactory(bank_code=bank).id
    report = StatusReport(loan_id=loan_id, as_of=TODAY, days_past_due=0,
                          classification="正常")
    db.session.add(report)
    db.session.commit()
    return report.id


MAKERS["report_id"] = _report


def make_subsidy_statement(client, keys, bank):
    """BANK's announced subsidy statement for 2026 Q3: one loan's contract interest paid on
    1 Sep, before its money was found diverted on 15 Sep."""
    from creditsvc.services.loans import servicing
    from creditsvc.services.subsidy import statements
    from models import Fund, ScheduleItem

    if db.session.get(Fund, 1).capital_fen == 0:
        fund_with(db.session, 50_000_000)
    loan = LoanFactory(bank_code=bank, accrued_interest_unpaid_fen=30_000)
    loan.schedule.append(ScheduleItem(seq=1, due_on=loan.maturity_on,
                                      principal_fen=loan.principal_fen, interest_fen=30_000))
    db.session.commit()
    actor = Principal(None, "maker", "fund_manager")
    done(db.session, servicing.repay, Principal(None, "maker", "bank", bank), loan,
         principal=Decimal(0), interest=Decimal("300.00"), paid_on=date(2026, 9, 1), today=TODAY)
    loan.subsidy_cancelled, loan.subsidy_cancelled_reason = True, "diverted"
    loan.subsidy_cancelled_on = date(2026, 9, 15)
    db.session.commit()
    statement = done(db.session, statements.compile_statement, actor, bank, 2026, 3, today=TODAY)
    done(db.session, statements.review, actor, statement.id)
    done(db.session, statements.announce, actor, statement.id, today=TODAY)
    return statement.id


MAKERS["statement_id"] = make_subsidy_statement
