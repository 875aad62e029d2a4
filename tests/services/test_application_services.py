"""The application, disbursement and servicing services, called as an entry point calls them."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from creditsvc.core.errors import AppError, Conflict, Invalid
from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.households import files as households
from creditsvc.services.loans import applications, disbursement, servicing, status_reports
from creditsvc.services.platform.uow import UnitOfWork
from models import Application, AuditEvent, Loan
from tests.books import set_fund, user_id
from tests.conftest import ACTOR
from tests.factories import ApplicationFactory, HouseholdFactory
from tests.work import done

ON = date(2026, 3, 2)


@pytest.fixture
def people(session, keys):
    """An officer, a second officer and a PSBC banker, as principals of real users."""
    keys.key("officer")
    keys.key("officer", name="officer-2")
    keys.key("bank", "PSBC")
    return {"officer": Principal(user_id(session, "officer-x"), "officer-x", "officer"),
            "reviewer": Principal(user_id(session, "officer-2"), "officer-2", "officer"),
            "psbc": Principal(user_id(session, "bank-PSBC"), "bank-PSBC", "bank", "PSBC")}


def _household(session, **overrides):
    return done(session, households.create_household, ACTOR, PiiCipher("k" * 43),
                HouseholdInSchema().load(HouseholdFactory(**overrides)))


def _events(session, action: str) -> int:
    return session.execute(select(func.count()).select_from(AuditEvent)
                           .where(AuditEvent.action == action)).scalar_one()


def test_submit_stores_the_assessment_and_its_event_in_one_unit(session, people):
    h = _household(session)
    app = done(session, applications.submit, people["officer"], household_id=h.id,
               amount=Decimal("20000.00"), term_months=12, purpose="planting", bank="PSBC", on=ON)
    assert app.status == app.decision == app.assessment["decision"]
    assert app.assessment["input"]["request"]["application_date"] == ON.isoformat()
    assert _events(session, "application.submit") == 1


def test_a_unit_left_without_commit_keeps_neither_the_application_nor_its_event(session, people):
    h = _household(session)
    with UnitOfWork(session):
        applications.submit(session, people["officer"], household_id=h.id,
                            amount=Decimal("20000.00"), term_months=12, purpose="planting",
                            bank="PSBC", on=ON)
    assert session.execute(select(func.count()).select_from(Application)).scalar_one() == 0
    assert _events(session, "application.submit") == 0


def test_review_is_never_by_the_submitter_and_stays_within_the_cap(session, people):
    app = ApplicationFactory(submitted_by=people["officer"].user_id, status="referred",
                             approved_amount_fen=None, amount_fen=2_000_000)
    with pytest.raises(AppError) as own:
        done(session, applications.review, people["officer"], app, approve=True, note="ok")
    assert own.value.code == "reviewer_is_submitter"
    with pytest.raises(Invalid) as above:
        done(session, applications.review, people["reviewer"], app, approve=True, note="ok",
             approved_amount=Decimal("20000.01"))
    assert above.value.code == "amount_above_limit"
    reviewed = done(session, applications.review, people["reviewer"], app, approve=True,
                    note="visited", approved_amount=Decimal("15000.00"))
    assert (reviewed.status, reviewed.approved_amount_fen) == ("approved", 1_500_000)


def test_disbursement_lays_the_schedule_and_refuses_a_second_time(session, people):
    set_fund(session, 50_000_000)
    app = ApplicationFactory(submitted_by=people["officer"].user_id, status="accepted")
    loan = done(session, disbursement.disburse, people["psbc"], app, amount=Decimal("10000.00"),
                disbursed_on=ON, annual_rate=Decimal("3.00"), schedule_kind="interest_quarterly",
                today=ON)
    assert sum(i.principal_fen for i in loan.schedule) == loan.principal_fen == 1_000_000
    assert loan.status == "active" and app.status == "disbursed"
    with pytest.raises(Conflict) as again:
        done(session, disbursement.disburse, people["psbc"], app, amount=Decimal("10000.00"),
             disbursed_on=ON, annual_rate=Decimal("3.00"), schedule_kind="interest_quarterly",
                today=ON)
    assert again.value.code == "invalid_transition"
    assert session.execute(select(func.count()).select_from(Loan)).scalar_one() == 1


def test_servicing_reclassifies_repays_and_closes(session, people):
    set_fund(session, 50_000_000)
    app = ApplicationFactory(submitted_by=people["officer"].user_id, status="accepted",
                             applied_on=date(2025, 1, 6))
    loan = done(session, disbursement.disburse, people["psbc"], app, amount=Decimal("10000.00"),
                disbursed_on=date(2025, 1, 6), annual_rate=Decimal("3.00"),
                schedule_kind="interest_quarterly", today=date(2025, 1, 6))
    done(session, status_reports.report_status, people["psbc"], loan, as_of=date(2025, 9, 1),
         days_past_due=100, today=date(2025, 9, 1))
    assert loan.classification == "次级" and loan.subsidy_cancelled
    with pytest.raises(Invalid) as over:
        done(session, servicing.repay, people["psbc"], loan, principal=Decimal("10000.01"),
             interest=Decimal("0"), paid_on=date(2025, 9, 2), today=date(2025, 9, 2))
    assert over.value.code == "overpayment"
    done(session, servicing.repay, people["psbc"], loan, principal=Decimal("10000.00"),
         interest=Decimal("0"), paid_on=date(2025, 9, 2), today=date(2025, 9, 2))
    assert loan.status == "repaid" and loan.outstanding_principal_fen == 0
    assert _events(session, "loan.repayment") == 1
