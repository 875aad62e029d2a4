"""One definition of what a household owes, read from its loans by review and disbursement."""

from decimal import Decimal

import pytest

from creditsvc.core.errors import Conflict
from creditsvc.core.principal import Principal
from creditsvc.services.fund import claims, recoveries
from creditsvc.services.loans import applications, disbursement, servicing
from scoring.policy import Policy
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import done

RULES = Policy()
PSBC = Principal(user_id=None, name="psbc", role="bank", bank_code="PSBC")
MANAGER = Principal(user_id=None, name="fm", role="fund_manager")


def _same_household(session, household_id, loan):
    loan.household_id = household_id
    session.commit()
    return loan


@pytest.fixture
def household_with_three_loans(session):
    """An active ¥20,000 loan, a claimed ¥25,000 one (¥100 interest) and a repaid one."""
    fund_with(session, 50_000_000)
    active = LoanFactory(principal_fen=2_000_000)
    hid = active.household_id
    bad = _same_household(session, hid, LoanFactory(principal_fen=2_500_000,
                                                       accrued_interest_unpaid_fen=10_000, days_past_due=120))
    claim = done(session, claims.file_claim, PSBC, bad, RULES, today=TODAY)
    done(session, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    paid = _same_household(session, hid, LoanFactory(principal_fen=500_000))
    done(session, servicing.repay, PSBC, paid, principal=Decimal("5000.00"), interest=Decimal(0),
         paid_on=TODAY, today=TODAY)
    return hid, bad


def test_a_claimed_loan_still_counts_until_recovered(session, household_with_three_loans):
    hid, claimed = household_with_three_loans
    # The repaid loan owes nothing; the claimed one still owes its ¥25,000 principal.
    assert applications.household_outstanding_fen(session, hid) == 4_500_000
    # ¥1,100 recovered: ¥100 pays the interest, ¥1,000 the principal.
    done(session, recoveries.record_recovery, PSBC, claimed, 110_000, TODAY,
         today=TODAY)
    assert applications.household_outstanding_fen(session, hid) == 4_400_000


def test_disbursement_refuses_a_loan_past_the_cap_counting_the_claimed_loan(
        session, household_with_three_loans):
    hid, _ = household_with_three_loans
    disbursement.check_household_headroom(session, hid, 500_000, RULES)  # exactly ¥50,000
    with pytest.raises(Conflict) as refused:
        disbursement.check_household_headroom(session, hid, 500_001, RULES)
    assert refused.value.code == "household_cap_reached"
