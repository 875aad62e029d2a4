"""Claims and recoveries as services: computation, refusals, the draw and its side effects."""


import pytest
from sqlalchemy import select

from creditsvc.core.errors import Conflict, NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.fund import claims, recoveries
from creditsvc.services.fund.ledger import FundExhausted
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.loans import reading as loans
from models import BankExposure, Fund, Loan
from scoring.policy import Policy
from tests.books import fund_with, set_days_past_due
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import done

RULES = Policy()
PSBC = Principal(user_id=None, name="psbc", role="bank", bank_code="PSBC")
ABC = Principal(user_id=None, name="abc", role="bank", bank_code="ABC")
MANAGER = Principal(user_id=None, name="fm", role="fund_manager")


def _fund(session):
    return session.execute(select(Fund).execution_options(populate_existing=True)).scalar_one()


@pytest.fixture
def funded(session):
    fund_with(session, 50_000_000)
    return session


def test_claim_amount_is_80_percent_of_principal_plus_interest_with_the_computation(funded):
    loan = LoanFactory(principal_fen=1_000_001, accrued_interest_unpaid_fen=12_345, days_past_due=95)
    claim = done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    # 0.8 x (10,000.01 + 123.45) = 8,098.768 -> 8,098.77 (half up)
    assert claim.amount_fen == 809_877
    assert claim.computation["claimable_base"] == "10123.46"
    assert claim.computation["amount"] == "8098.77"
    assert claim.status == "filed"


def test_claim_needs_the_trigger_and_is_one_per_loan(funded):
    loan = LoanFactory(days_past_due=89)
    with pytest.raises(Conflict) as exc:
        done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    assert exc.value.code == "not_in_default"
    set_days_past_due(funded, loan, 90)
    done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    with pytest.raises(Conflict) as exc:
        done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    assert exc.value.code == "claim_exists"


def test_another_banks_loan_is_404(funded):
    loan = LoanFactory(days_past_due=120, bank_code="PSBC")
    with pytest.raises(NotFound):
        loans.get_loan(funded, ABC, loan.id, lock=True)


def test_approval_draws_marks_the_loan_claimed_and_releases_the_exposure(funded):
    loan = LoanFactory(principal_fen=2_000_000, days_past_due=200)
    other = LoanFactory(principal_fen=500_000)
    claim = done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    assert _fund(funded).npl_outstanding_fen == 2_000_000
    paid = done(funded, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    assert paid.status == "paid"
    f = _fund(funded)
    assert f.balance_fen == 50_000_000 - 1_600_000
    assert (f.claims_paid_fen, f.guaranteed_outstanding_fen, f.npl_outstanding_fen) == (
        1_600_000, other.principal_fen, 0)
    assert funded.get(BankExposure, "PSBC", populate_existing=True).outstanding_fen == 500_000
    assert funded.get(Loan, loan.id, populate_existing=True).status == "claimed"
    with pytest.raises(Conflict) as exc:
        done(funded, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    assert exc.value.code == "claim_not_filed"
    assert reconcile(funded) == []


def test_exhausted_fund_refuses_and_changes_nothing(session):
    fund_with(session, 1_000_000)
    loan = LoanFactory(principal_fen=2_000_000, days_past_due=120)
    claim = done(session, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    with pytest.raises(FundExhausted) as exc:
        done(session, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    assert exc.value.status == 409
    assert claims.get_claim(session, MANAGER, claim.id).status == "filed"
    assert session.get(Loan, loan.id, populate_existing=True).status == "active"
    assert _fund(session).balance_fen == 1_000_000
    assert reconcile(session) == []


def test_reject_needs_a_filed_claim(funded):
    loan = LoanFactory(days_past_due=120)
    claim = done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    assert done(funded, claims.reject_claim, MANAGER, claim.id, "documents missing").status == "rejected"
    with pytest.raises(Conflict):
        done(funded, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    assert _fund(funded).balance_fen == 50_000_000


def test_recovery_returns_the_funds_share_but_never_more_than_it_paid(funded):
    loan = LoanFactory(days_past_due=120, principal_fen=1_000_000)
    with pytest.raises(Conflict):
        done(funded, recoveries.record_recovery, PSBC, loan, 100_000, TODAY,
             today=TODAY)
    claim = done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    done(funded, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    rec = done(funded, recoveries.record_recovery, PSBC, loan, 100_001, TODAY,
               today=TODAY)
    assert rec.fund_share_fen == 80_001  # 80,000.8 fen, half up
    big = done(funded, recoveries.record_recovery, PSBC, loan, 5_000_000, TODAY,
               today=TODAY)
    assert big.fund_share_fen == 800_000 - 80_001
    f = _fund(funded)
    assert f.recovered_fen == 800_000
    assert f.balance_fen == 50_000_000
    assert reconcile(funded) == []
