"""The scoring input built from the household file and its programme loans."""

from datetime import date
from decimal import Decimal

from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.assessment.inputs import build_input, scoring_view
from creditsvc.services.households import files as households
from creditsvc.services.loans import disbursement, servicing, status_reports
from tests.books import set_fund, user_id
from tests.conftest import ACTOR
from tests.factories import ApplicationFactory, HouseholdFactory
from tests.work import done

TODAY = date(2026, 6, 30)  # the business date the services run on


def test_past_loans_carry_worst_dpd_and_outstanding(session, keys):
    keys.key("officer")
    keys.key("bank", "PSBC")
    set_fund(session, 50_000_000)
    app = ApplicationFactory(submitted_by=user_id(session, "officer-x"), status="accepted")
    hid = app.household_id
    bank = Principal(user_id(session, "bank-PSBC"), "bank", "bank", "PSBC")
    loan = done(session, disbursement.disburse, bank, app, amount=Decimal("10000.00"),
                                 disbursed_on=date(2026, 1, 5), annual_rate=Decimal("3.00"),
                                 schedule_kind="equal_instalments", today=TODAY)
    # The first instalment fell due on 5 Feb: 40 days past due on 17 Mar.
    done(session, status_reports.report_status, bank, loan, as_of=date(2026, 3, 17), days_past_due=40,
         today=TODAY)
    done(session, status_reports.report_status, bank, loan, as_of=date(2026, 4, 1), days_past_due=0,
         today=TODAY)
    done(session, servicing.repay, bank, loan, principal=Decimal("2500.00"), interest=Decimal("0"),
                    paid_on=date(2026, 4, 1), today=TODAY)
    inp = build_input(scoring_view(session, hid), amount=Decimal("5000.00"), term_months=12,
                      purpose="planting", on=date(2026, 5, 1))
    (past,) = inp.past_loans
    assert past.worst_dpd == 40 and past.currently_overdue is False
    assert past.outstanding == Decimal("7500.00") and past.principal == Decimal("10000.00")
    assert inp.programme_outstanding == Decimal("7500.00")
    assert inp.household.borrower_birth_date == date(1980, 1, 1)
    assert inp.household.members == ()


def test_the_view_carries_the_file_as_scoring_reads_it(session):
    data = HouseholdFactory(monitoring_events=[
        {"kind": "serious_illness", "occurred_on": "2026-03-01"},
        {"kind": "disaster", "occurred_on": "2025-08-01"}])
    h = households.create_household(session, ACTOR, PiiCipher("k" * 43),
                                    HouseholdInSchema().load(data))
    view = scoring_view(session, h.id)
    assert (view.household_id, view.town, view.village) == (h.id, "渔湖镇", "东湖村")
    f = view.file
    assert [(m.relation, m.birth_date.isoformat(), m.in_school) for m in f.members] == [
        ("spouse", "1982-03-01", False), ("child", "2012-09-01", True)]  # the head is the borrower
    assert [(e.kind, e.occurred_on) for e in f.monitoring_events] == [
        ("disaster", date(2025, 8, 1)), ("serious_illness", date(2026, 3, 1))]  # oldest first
    assert f.borrower_birth_date == date(1980, 5, 17) and f.income_sources == ("planting", "wages")
    assert f.per_capita_income == Decimal("6800.00") and f.guarantees.food is True
    assert view.past_loans == () and view.programme_outstanding == Decimal("0.00")


def test_members_events_and_loans_come_apart_from_one_read(session, keys):
    """Members, events and loans each keep their own rows, order and types."""
    keys.key("officer")
    keys.key("bank", "PSBC")
    set_fund(session, 50_000_000)
    data = HouseholdFactory(monitoring_events=[
        {"kind": "income_drop", "occurred_on": "2026-02-01"},
        {"kind": "disaster", "occurred_on": "2025-08-01"}])
    h = households.create_household(session, ACTOR, PiiCipher("k" * 43),
                                    HouseholdInSchema().load(data))
    bank = Principal(user_id(session, "bank-PSBC"), "bank", "bank", "PSBC")
    officer = user_id(session, "officer-x")
    amounts = []
    for day, fen in ((date(2026, 1, 5), 800_000), (date(2026, 2, 5), 600_000)):
        app = ApplicationFactory(submitted_by=officer, status="accepted", household=h,
                                 approved_amount_fen=fen)
        amounts.append(done(session, disbursement.disburse, bank, app, amount=Decimal(fen) / 100,
                                             disbursed_on=day, annual_rate=Decimal("3.00"),
                                             schedule_kind="equal_instalments", today=TODAY))
    first, second = amounts
    # First instalments due on 5 Feb and 5 Mar: 65 days late on 11 Apr, 12 days on 1 Apr.
    done(session, status_reports.report_status, bank, first, as_of=date(2026, 4, 11), days_past_due=65,
         today=TODAY)
    done(session, status_reports.report_status, bank, first, as_of=date(2026, 4, 15), days_past_due=0,
         today=TODAY)
    done(session, status_reports.report_status, bank, second, as_of=date(2026, 4, 1), days_past_due=12,
         today=TODAY)
    view = scoring_view(session, h.id)
    assert [(m.relation, m.in_school, m.labour_capable) for m in view.file.members] == [
        ("spouse", False, True), ("child", True, False)]
    assert all(type(m.in_school) is bool and type(m.chronic_illness) is bool  # not 0/1
               for m in view.file.members)
    assert [(e.kind, e.occurred_on) for e in view.file.monitoring_events] == [
        ("disaster", date(2025, 8, 1)), ("income_drop", date(2026, 2, 1))]
    assert [(p.principal, p.outstanding, p.worst_dpd, p.currently_overdue)
            for p in view.past_loans] == [
        (Decimal("8000.00"), Decimal("8000.00"), 65, False),
        (Decimal("6000.00"), Decimal("6000.00"), 12, True)]  # oldest disbursement first
    policy, champion = view.in_force(session)
    assert policy.version == 1 and champion.sha256
