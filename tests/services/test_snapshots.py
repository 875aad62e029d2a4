"""Monthly portfolio snapshots: the figures, one row a month, the open months, the trend."""

import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from creditsvc.core.errors import Invalid
from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from creditsvc.jobs.kinds import MONTHLY_SNAPSHOT
from creditsvc.services.access import users
from creditsvc.services.fund import account as fund
from creditsvc.services.fund import claim_reversal, claims, recoveries, snapshots
from creditsvc.services.fund.reports import exposure_report
from creditsvc.services.platform import jobs
from models import AuditEvent, Job, PortfolioSnapshot
from scoring.policy import Policy
from tests.books import fund_with
from tests.conftest import ACTOR
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import done

RULES = Policy()
PSBC = Principal(user_id=None, name="psbc", role="bank", bank_code="PSBC")
MANAGER = Principal(user_id=None, name="fm", role="fund_manager")
MONTH = snapshots.month_of(TODAY)


@pytest.fixture
def book(session):
    """A fund of ¥500,000; loans current, 45 and 120 days late; a claim paid, a recovery."""
    fund_with(session, 50_000_000, TODAY)
    LoanFactory(principal_fen=1_000_000)
    LoanFactory(principal_fen=2_000_000, days_past_due=45)
    LoanFactory(principal_fen=3_000_000, days_past_due=120)
    claimed = LoanFactory(principal_fen=500_000, days_past_due=200)
    claim = done(session, claims.file_claim, PSBC, claimed, RULES, today=TODAY)
    done(session, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    done(session, recoveries.record_recovery, PSBC, claimed, 100_000, TODAY, today=TODAY)
    return session


def _take(session, month=MONTH, today=TODAY):
    return done(session, snapshots.take, MANAGER, month, today=today)


def test_the_snapshot_holds_the_books_figures_and_the_months_flows(book):
    row = _take(book)
    assert (row.month, row.as_of, row.loans) == (MONTH, TODAY, 3)
    assert (row.outstanding_fen, row.par30_fen, row.par90_fen, row.npl_outstanding_fen) == (
        6_000_000, 5_000_000, 3_000_000, 3_000_000)
    assert (row.claims_paid, row.claims_paid_fen, row.claims_reversed_fen) == (1, 400_000, 0)
    assert (row.recoveries_fen, row.fund_recoveries_fen) == (100_000, 80_000)
    view = fund.fund_view(book, RULES)
    assert (row.balance_fen, row.capital_fen) == (view.balance_fen, view.capital_fen)
    assert row.balance_fen == 50_000_000 - 400_000 + 80_000
    report = exposure_report(book)
    point = snapshots.trend(book)[-1]
    assert (point.par30, point.par90, point.npl_ratio) == (
        report.par30, report.par90, report.npl_ratio) == (
        Decimal("0.8333"), Decimal("0.5000"), Decimal("0.5000"))
    event = book.execute(select(AuditEvent).where(AuditEvent.action == "portfolio.snapshot")
                         ).scalar_one()
    assert event.target_id == MONTH and event.detail["outstanding_fen"] == 6_000_000


def test_taking_a_month_again_replaces_its_one_row(book):
    _take(book)
    LoanFactory(principal_fen=700_000)
    row = _take(book)
    assert book.execute(select(func.count()).select_from(PortfolioSnapshot)).scalar_one() == 1
    assert (row.loans, row.outstanding_fen) == (4, 6_700_000)


def test_a_reversal_counts_in_the_month_it_is_made(session):
    fund_with(session, 50_000_000, TODAY)
    loan = LoanFactory(principal_fen=500_000, days_past_due=200)
    claim = done(session, claims.file_claim, PSBC, loan, RULES, today=TODAY)
    done(session, claims.approve_claim, MANAGER, claim.id, RULES, on=TODAY)
    done(session, claim_reversal.reverse_claim, MANAGER, claim.id,
         reason="paid on the wrong loan", on=TODAY)
    row = _take(session)
    assert (row.claims_paid, row.claims_paid_fen, row.claims_reversed_fen) == (1, 400_000, 400_000)
    assert (row.loans, row.outstanding_fen, row.npl_outstanding_fen) == (1, 500_000, 500_000)
    assert snapshots.trend(session)[-1].net_claims_paid_fen == 0


def test_only_the_open_months_are_taken(book):
    last_month = snapshots.month_of(TODAY.replace(day=1) - timedelta(days=1))
    assert _take(book, last_month).month == last_month
    long_ago = snapshots.month_of(TODAY.replace(day=1) - timedelta(days=40))
    for month, code in ((long_ago, "snapshot_month_closed"), ("2026-13", "snapshot_month_invalid"),
                        ("26-01", "snapshot_month_invalid")):
        with pytest.raises(Invalid) as exc:
            _take(book, month)
        assert exc.value.code == code


def test_the_trend_is_oldest_first_with_the_ratios_of_each_month(book):
    last_month = snapshots.month_of(TODAY.replace(day=1) - timedelta(days=1))
    _take(book, MONTH)
    _take(book, last_month)
    points = snapshots.trend(book)
    assert [p.snapshot.month for p in points] == [last_month, MONTH]
    assert [p.snapshot.month for p in snapshots.trend(book, months=1)] == [MONTH]


def test_an_empty_book_has_no_ratios(session):
    point = (_take(session), snapshots.trend(session)[-1])[1]
    assert (point.snapshot.outstanding_fen, point.par30, point.npl_ratio) == (0, None, None)


def test_the_job_takes_the_month_once_however_often_it_runs(book):
    user, _ = users.create_user(book, ACTOR, "fm-snap", "fund_manager")
    book.commit()
    owner = Principal(user_id=user.id, name=user.name, role="fund_manager")
    first = done(book, jobs.submit, owner, MONTHLY_SNAPSHOT, {"month": MONTH}).id
    second = done(book, jobs.submit, owner, MONTHLY_SNAPSHOT, {"month": MONTH}).id
    assert worker.run(book, once=True, beat_seconds=0.2) == 2
    for job_id in (first, second):
        job = book.get(Job, job_id, populate_existing=True)
        assert (job.status, job.result["month"], job.result["loans"]) == ("done", MONTH, 3)
    assert book.execute(select(func.count()).select_from(PortfolioSnapshot)).scalar_one() == 1


def test_a_closed_month_fails_the_job_with_its_reason(book):
    long_ago = snapshots.month_of(TODAY.replace(day=1) - timedelta(days=40))
    job_id = done(book, jobs.submit, MANAGER, MONTHLY_SNAPSHOT, {"month": long_ago}).id
    worker.run(book, once=True, beat_seconds=0.2)
    job = book.get(Job, job_id, populate_existing=True)
    assert (job.status, job.result["code"]) == ("failed", "snapshot_month_closed")


def test_the_current_month_is_due_once_a_day_and_the_month_just_ended_once_after_its_end(
        session):
    def due(day):
        return snapshots.due_months(session, date.fromisoformat(day))

    # A month the service did not see running is not filled with a later book.
    assert due("2026-11-20") == ["2026-11"]
    _take(session, "2026-11", date(2026, 11, 20))
    assert due("2026-11-20") == []
    assert due("2026-11-21") == ["2026-11"]
    # After the month's end: it is closed once, and the new month starts.
    assert due("2026-12-01") == ["2026-11", "2026-12"]
    _take(session, "2026-11", date(2026, 12, 1))
    _take(session, "2026-12", date(2026, 12, 1))
    assert due("2026-12-01") == []
    assert due("2026-12-02") == ["2026-12"]
    # A month the service ran into but never closed before the next one ended stays as it was.
    assert due("2027-01-05") == ["2026-12", "2027-01"]


def test_an_idle_worker_keeps_the_monthly_snapshots(app, book, business_date):
    business_date(TODAY)
    assert worker.keep_snapshots(book) == [MONTH]
    assert worker.keep_snapshots(book) == []
    row = book.get(PortfolioSnapshot, MONTH, populate_existing=True)
    assert (row.as_of, row.loans, row.taken_by) == (TODAY, 3, None)
    # The next day, the loop takes it again while it waits for jobs (and never with --once).
    tomorrow = business_date(TODAY + timedelta(days=1))
    assert worker.run(book, once=True, snapshot_every=0) == 0
    assert book.get(PortfolioSnapshot, MONTH, populate_existing=True).as_of == TODAY
    stop = threading.Event()

    def loop():
        with app.app_context():
            worker.run(db.session, idle_seconds=0.01, snapshot_every=60, stop=stop)
            db.session.remove()

    book.rollback()  # SQLite: no read of ours may hold the lock the worker writes under
    thread = threading.Thread(target=loop)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            as_of = book.execute(select(PortfolioSnapshot.as_of)
                                 .where(PortfolioSnapshot.month == MONTH)).scalar_one()
            book.rollback()
            if as_of == tomorrow:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    taken = book.get(PortfolioSnapshot, MONTH, populate_existing=True)
    assert taken.as_of == tomorrow
    actions = book.execute(select(AuditEvent.actor_name).where(
        AuditEvent.action == "portfolio.snapshot")).scalars().all()
    assert actions == ["system", "system"]
