"""Loan and application numbers: per bank and year, gap-free under concurrency, and usable in a feed."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.access import users
from creditsvc.services.feed.apply import apply_feed
from creditsvc.services.loans import disbursement, status_reports
from creditsvc.services.loans.numbers import next_number, normalise
from creditsvc.services.loans.reading import list_loans
from creditsvc.services.platform.uow import UnitOfWork
from tests.books import set_fund
from tests.conftest import ACTOR
from tests.factories import APPLIED_ON, ApplicationFactory, LoanFactory
from tests.work import done

ON = date(2026, 1, 20)


def _bank(session, code: str) -> Principal:
    user, _ = done(session, users.create_user, ACTOR, f"numbers-{code.lower()}", "bank", code)
    return Principal(user.id, user.name, "bank", code)


def _disburse(session, bank: Principal, on: date = ON):
    app = ApplicationFactory(bank_code=bank.bank_code, status="accepted")
    return done(session, disbursement.disburse, bank, app, amount=Decimal("10000.00"),
                disbursed_on=on, annual_rate=Decimal("3.00"), schedule_kind="interest_quarterly",
                today=on)


def test_series_are_per_bank_and_year(session):
    taken = [done(session, next_number, s, y) for s, y in
             (("PSBC", 2026), ("PSBC", 2026), ("ABC", 2026), ("PSBC", 2027), ("PSBC", 2026))]
    assert taken == ["PSBC-2026-000001", "PSBC-2026-000002", "ABC-2026-000001",
                     "PSBC-2027-000001", "PSBC-2026-000003"]


def test_a_refused_writer_gives_its_number_back(session):
    with UnitOfWork(session):
        next_number(session, "PSBC", 2026)  # left without commit: rolled back
    assert done(session, next_number, "PSBC", 2026) == "PSBC-2026-000001"


def test_typed_numbers_are_read_as_people_type_them():
    assert normalise(" psbc-2026-123 ") == "PSBC-2026-000123"
    assert normalise("SQ-2026-000045") == "SQ-2026-000045"
    assert normalise("3f2a9c1e-0000-4000-8000-000000000000") is None
    assert normalise("PSBC-26-1") is None


def test_disbursement_numbers_each_loan_for_its_bank_and_year(session):
    set_fund(session, 50_000_000)
    psbc, abc = _bank(session, "PSBC"), _bank(session, "ABC")
    loans = [_disburse(session, psbc), _disburse(session, abc), _disburse(session, psbc)]
    assert [loan.number for loan in loans] == ["PSBC-2026-000001", "ABC-2026-000001",
                                               "PSBC-2026-000002"]
    # The bank's list finds a loan by its number as typed; another bank's number finds nothing.
    assert [loan.id for loan in list_loans(session, psbc, number="psbc-2026-2").items] == [loans[2].id]
    assert list_loans(session, psbc, number="ABC-2026-000001").items == []


def test_submission_numbers_each_application(session, business_date):
    from creditsvc.services.loans import applications
    from tests.pages.household_files import open_file
    from tests.pages.people import make_person

    business_date(APPLIED_ON)
    officer = make_person("numbers-officer")
    made = []
    for _ in range(2):
        household_id = open_file(officer)
        made.append(done(db.session, applications.submit,
                         Principal(officer.user_id, officer.name, "officer"),
                         household_id=household_id, amount=Decimal("10000"), term_months=12,
                         purpose="planting", bank="PSBC", on=APPLIED_ON).number)
    assert made == ["SQ-2026-000001", "SQ-2026-000002"]


def test_concurrent_writers_get_distinct_gap_free_numbers(app):
    """32 threads, each its own session and transaction, take PSBC 2026 numbers at once."""
    def take(_):
        with app.app_context():
            try:
                return done(db.session, next_number, "PSBC", 2026)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=16) as pool:
        taken = list(pool.map(take, range(32)))
    assert sorted(taken) == [f"PSBC-2026-{i:06d}" for i in range(1, 33)]


@pytest.mark.parametrize("path", ["set_based", "row_by_row"])
def test_a_feed_names_loans_by_number(session, path):
    psbc = _bank(session, "PSBC")
    set_fund(session, 50_000_000)
    mine = LoanFactory(number="PSBC-2025-000007", disbursed_on=date(2025, 1, 10),
                       maturity_on=date(2026, 1, 10))
    other = LoanFactory(bank_code="ABC", number="ABC-2025-000001", disbursed_on=date(2025, 1, 10),
                        maturity_on=date(2026, 1, 10))
    session.commit()
    rows = [("psbc-2025-7", date(2026, 6, 30), 30),       # as a person types it
            (other.number, date(2026, 6, 30), 30),        # another bank's loan
            ("PSBC-2025-999999", date(2026, 6, 30), 0),   # no such number
            (mine.id, date(2026, 7, 1), 31)]              # by id, as before
    today = date(2026, 7, 1)
    with UnitOfWork(session) as uow:
        if path == "set_based":
            results = apply_feed(session, psbc, rows, today=today)
            got = [results.row(i, lid) for i, (lid, _, _) in enumerate(rows)]
        else:
            got = status_reports.report_status_bulk(session, psbc, [
                {"loan_id": lid, "as_of": a, "days_past_due": d} for lid, a, d in rows], today=today)
        uow.commit()
    assert [(r.ok, r.code) for r in got] == [(True, None), (False, "loan_not_found"),
                                             (False, "loan_not_found"), (True, None)]
    session.expire_all()
    assert (mine.days_past_due, mine.dpd_as_of) == (31, date(2026, 7, 1))
    assert other.days_past_due == 0
