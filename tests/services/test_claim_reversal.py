"""Reversing a paid claim: the claim, its draw, the loan and the exposure move together."""


import pytest
from sqlalchemy import select

from creditsvc.core.errors import Conflict
from creditsvc.core.principal import Principal
from creditsvc.services.fund import claim_reversal, claims, recoveries
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform import audit_chain
from models import AuditEvent, BankExposure, Claim, ExposureTotal, Fund, JournalEntry, Loan
from scoring.policy import Policy
from tests.books import fund_with, set_fund
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import done

RULES = Policy()
PSBC = Principal(user_id=None, name="psbc", role="bank", bank_code="PSBC")
MANAGER = Principal(user_id=None, name="fm", role="fund_manager")
WHY = "paid on the wrong loan number"


def _fund(session) -> Fund:
    return session.execute(select(Fund).execution_options(populate_existing=True)).scalar_one()


def _paid(session, **loan):
    loan = LoanFactory(**{"principal_fen": 2_000_000, "days_past_due": 200, **loan})
    claim = done(session, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    done(session, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    return loan, claim


def _reverse(session, claim_id, reason=WHY):
    return done(session, claim_reversal.reverse_claim, MANAGER, claim_id, reason=reason,
                on=TODAY)


@pytest.fixture
def funded(session):
    fund_with(session, 50_000_000)
    return session


def test_reversal_puts_back_the_cash_the_loan_and_its_exposure(funded):
    other = LoanFactory(principal_fen=500_000)
    loan, claim = _paid(funded)
    assert _fund(funded).guaranteed_outstanding_fen == 500_000
    reversed_ = _reverse(funded, claim.id)
    assert (reversed_.status, reversed_.reversal_reason) == ("reversed", WHY)
    assert reversed_.reversed_at is not None
    f = _fund(funded)
    assert (f.balance_fen, f.claims_paid_fen) == (50_000_000, 0)
    assert f.guaranteed_outstanding_fen == other.principal_fen + 2_000_000
    assert f.npl_outstanding_fen == 2_000_000  # 200 days past due: 次级
    assert funded.get(BankExposure, "PSBC", populate_existing=True).outstanding_fen == 2_500_000
    back = funded.get(Loan, loan.id, populate_existing=True)
    assert (back.status, back.closed_at) == ("active", None)
    mirror = funded.execute(select(JournalEntry).where(
        JournalEntry.claim_id == claim.id, JournalEntry.reverses_id.is_not(None))).scalar_one()
    assert mirror.kind == "reversal:claim_draw"
    assert sorted((p.account, p.amount_fen) for p in mirror.postings) == [
        ("claims_paid", -1_600_000), ("fund_cash", 1_600_000)]
    active = funded.get(ExposureTotal, ("status", "active"), populate_existing=True)
    assert active.outstanding_fen == 2_500_000
    assert reconcile(funded) == []


def test_a_performing_loan_comes_back_outside_the_npl_total(funded):
    loan, claim = _paid(funded, days_past_due=90)  # 关注: claimable, not non-performing
    _reverse(funded, claim.id)
    assert (_fund(funded).guaranteed_outstanding_fen, _fund(funded).npl_outstanding_fen) == (
        2_000_000, 0)
    assert reconcile(funded) == []


def test_the_leverage_cap_does_not_refuse_a_restore(funded):
    loan, claim = _paid(funded)
    # Capital cut so far that the restored loan alone passes capital x leverage.
    set_fund(funded, 100_000, balance_fen=_fund(funded).balance_fen)
    _reverse(funded, claim.id)
    assert _fund(funded).guaranteed_outstanding_fen == 2_000_000 > 100_000 * RULES.leverage


def test_audit_event_has_the_balance_before_and_after(funded):
    _, claim = _paid(funded)
    _reverse(funded, claim.id)
    event = funded.execute(select(AuditEvent).where(AuditEvent.action == "claim.reverse")
                           ).scalar_one()
    assert event.target_id == claim.id
    assert (event.before["balance_fen"], event.after["balance_fen"]) == (
        50_000_000 - 1_600_000, 50_000_000)
    assert event.detail["reason"] == WHY and event.detail["restored_fen"] == 2_000_000
    assert audit_chain.verify_chain(funded).ok


@pytest.mark.parametrize("status", ["filed", "rejected"])
def test_only_a_paid_claim_is_reversed(funded, status):
    loan = LoanFactory(days_past_due=120)
    claim = done(funded, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    if status == "rejected":
        done(funded, claims.reject_claim, MANAGER, claim.id, "not a programme loan")
    with pytest.raises(Conflict) as exc:
        _reverse(funded, claim.id)
    assert exc.value.code == "claim_not_paid"


def test_a_claim_is_reversed_once(funded):
    _, claim = _paid(funded)
    _reverse(funded, claim.id)
    with pytest.raises(Conflict) as exc:
        _reverse(funded, claim.id)
    assert exc.value.code == "claim_already_reversed"
    assert _fund(funded).balance_fen == 50_000_000
    assert reconcile(funded) == []


def test_recoveries_after_the_claim_are_corrected_first(funded):
    loan, claim = _paid(funded)
    done(funded, recoveries.record_recovery, PSBC, loan, 100_000, TODAY,
         today=TODAY)
    with pytest.raises(Conflict) as exc:
        _reverse(funded, claim.id)
    assert exc.value.code == "claim_has_recoveries"
    assert "correct the recoveries first" in exc.value.message
    assert funded.get(Claim, claim.id, populate_existing=True).status == "paid"
    assert reconcile(funded) == []


def test_a_reversed_claim_leaves_the_loan_claimable_again(funded):
    loan, claim = _paid(funded)
    _reverse(funded, claim.id)
    again = done(funded, claims.file_claim, PSBC,
                 funded.get(Loan, loan.id, populate_existing=True), RULES, today=TODAY)
    assert again.id != claim.id and again.status == "filed"
    done(funded, claims.approve_claim, MANAGER, again.id, RULES, on=TODAY)
    assert _fund(funded).claims_paid_fen == 1_600_000
    assert reconcile(funded) == []
