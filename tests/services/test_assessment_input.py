"""The scoring input built from the household file and its programme loans."""

from datetime import date
from decimal import Decimal

from creditsvc.principal import Principal
from creditsvc.services import disbursement, servicing
from creditsvc.services.assessment_input import build_input, scoring_view
from tests.lifecycle import insert_application, set_fund, user_id


def test_past_loans_carry_worst_dpd_and_outstanding(session, keys):
    keys.key("officer")
    keys.key("bank", "PSBC")
    set_fund(session, 50_000_000)
    app = insert_application(session, user_id(session, "officer-x"), status="accepted")
    hid = app.household_id
    bank = Principal(user_id(session, "bank-PSBC"), "bank", "bank", "PSBC")
    loan = disbursement.disburse(session, bank, app.id, amount=Decimal("10000.00"),
                                 disbursed_on=date(2026, 1, 5), annual_rate=Decimal("3.00"),
                                 schedule_kind="equal_instalments")
    servicing.report_status(session, bank, loan.id, as_of=date(2026, 3, 1), days_past_due=40)
    servicing.report_status(session, bank, loan.id, as_of=date(2026, 4, 1), days_past_due=0)
    servicing.repay(session, bank, loan.id, principal=Decimal("2500.00"), interest=Decimal("0"),
                    paid_on=date(2026, 4, 1))
    inp = build_input(scoring_view(session, hid), amount=Decimal("5000.00"), term_months=12,
                      purpose="planting", on=date(2026, 5, 1))
    (past,) = inp.past_loans
    assert past.worst_dpd == 40 and past.currently_overdue is False
    assert past.outstanding == Decimal("7500.00") and past.principal == Decimal("10000.00")
    assert inp.programme_outstanding == Decimal("7500.00")
    assert inp.household.borrower_birth_date == date(1980, 1, 1)
    assert inp.household.members == ()
