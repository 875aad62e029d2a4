"""The 台账统计表: its figures agree with /fund, /fund/exposure and the ledger; past months
from snapshots; a month without one says so; 较年初 and 较去年同期 on fixed dates; a bank's own."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from creditsvc.core.errors import Invalid
from creditsvc.services.fund import account as fund
from creditsvc.services.fund import snapshots
from creditsvc.services.fund.reports import exposure_report
from creditsvc.services.ledger.groups import group_figures
from creditsvc.services.ledger.stats import stat_table
from creditsvc.services.loans import servicing
from creditsvc.services.programme.policy import active_policy
from lending.money import ratio
from models import Loan, PortfolioSnapshot, Recovery, SnapshotGroup
from tests.ledger_book import MANAGER, PSBC, lay_book
from tests.today import TODAY
from tests.work import done

MONTH = "2026-11"


@pytest.fixture
def book(session):
    return lay_book()


def _table(session, first=MONTH, last=MONTH, actor=MANAGER, today=TODAY):
    return stat_table(session, actor, first, last, today=today)


def _figures(row):
    return {k: v for k, v in vars(row).items()}


def test_the_month_agrees_with_the_fund_the_exposure_and_the_ledger(session, book):
    table = _table(session)
    assert table.current and table.end == TODAY and table.missing == []
    assert table.taken_at == session.get(PortfolioSnapshot, MONTH).taken_at
    view = fund.fund_view(session, active_policy(session))
    exposure = exposure_report(session)
    history = {m["month"]: m for m in exposure.history}[MONTH]
    total = table.total
    assert total.outstanding_fen == view.guaranteed_outstanding_fen == exposure.outstanding_fen
    assert total.loans == exposure.loans == 6
    for rows, dim in ((table.banks, "bank"), (table.towns, "town")):
        assert {(r.bank_code or r.town): (r.outstanding_fen, r.loans) for r in rows} == {
            b["key"]: (b["outstanding_fen"], b["loans"]) for b in exposure.breakdown[dim]}
    not_current = sum(b["loans"] for b in exposure.breakdown["classification"]
                      if b["key"] != "正常")
    assert total.overdue_loans == not_current == 1  # the claimed loan left the active book
    # 代偿 and 回收: the ledger's month, and the recoveries the banks recorded.
    assert total.claims_fen == history["claims_paid_fen"] == 400_000
    assert total.recoveries_fen == session.execute(
        select(func.sum(Recovery.amount_fen))).scalar_one() == 100_000
    assert table.fund.fund_recoveries_fen == history["recoveries_fen"] == 80_000
    assert table.fund.balance_fen == view.balance_fen == history["closing_balance_fen"]
    assert table.fund.leverage == ratio(view.guaranteed_outstanding_fen, view.capital_fen)
    # Lending: everything ever lent, the month's one loan; the balance's change since October.
    assert total.lent_fen == session.execute(select(func.sum(Loan.principal_fen))).scalar_one()
    assert total.new_fen == 1_000_000
    october = session.get(PortfolioSnapshot, "2026-10")
    assert total.net_fen == total.outstanding_fen - october.outstanding_fen == 400_000
    # The rate weighted by balance, the members and lines of the borrowing households.
    weighted = session.execute(select(func.sum(Loan.rate_bp * Loan.outstanding_principal_fen))
                               .where(Loan.status == "active")).scalar_one()
    assert total.rate == ratio(weighted, total.outstanding_fen * 10_000) == Decimal("0.0329")
    assert (total.members, total.line_avg_fen, total.arrears_loans) == (7, 5_000_000, 1)
    assert total.balance_avg_fen == total.outstanding_fen // 6
    assert sum(r.outstanding_fen for r in table.banks) == total.outstanding_fen
    assert sum(r.claims_fen for r in table.towns) == total.claims_fen


def test_the_month_runnings_snapshot_holds_the_book_as_it_stands_when_taken(session, book):
    # The snapshot's groups are the figures read from the loans on the day it was taken.
    live = group_figures(session, first=date(2026, 11, 1), last=TODAY)
    taken = {(g.bank_code, g.town): g for g in session.execute(
        select(SnapshotGroup).where(SnapshotGroup.month == MONTH)).scalars()}
    assert set(taken) == set(live)
    for key, figures in live.items():
        assert {n: getattr(taken[key], n) for n in vars(figures)} == vars(figures)
    snap = session.get(PortfolioSnapshot, MONTH)
    group = session.get(SnapshotGroup, (MONTH, "", ""))
    assert (group.outstanding_fen, group.loans) == (snap.outstanding_fen, snap.loans)
    # After the month's end, the same snapshot is the month's figure.
    running = _table(session)
    later = _table(session, today=date(2026, 12, 1))
    assert not later.current and later.end == date(2026, 11, 30)
    for now, past in zip([*running.banks, *running.towns, running.total],
                         [*later.banks, *later.towns, later.total], strict=True):
        assert _figures(now) == _figures(past)
    assert later.fund.balance_fen == running.fund.balance_fen == snap.balance_fen


def test_the_month_running_shows_its_snapshot_until_it_is_taken_again(session, book):
    before = _table(session)
    e = session.execute(select(Loan).where(Loan.bank_code == "PSBC", Loan.status == "active",
                                           Loan.town == "渔湖镇", Loan.days_past_due == 0,
                                           Loan.disbursed_on > date(2026, 1, 1))).scalar_one()
    done(session, servicing.repay, PSBC, e, principal=Decimal("500.00"),
         interest=Decimal("0.00"), paid_on=TODAY, today=TODAY)
    unchanged = _table(session)
    assert unchanged.total.outstanding_fen == before.total.outstanding_fen
    assert unchanged.taken_at == before.taken_at
    done(session, snapshots.take, MANAGER, MONTH, today=TODAY)
    after = _table(session)
    assert after.total.outstanding_fen == before.total.outstanding_fen - 50_000
    assert after.total.outstanding_fen == exposure_report(session).outstanding_fen
    assert after.taken_at >= before.taken_at


def test_the_month_running_without_a_snapshot_says_so(session, book):
    session.execute(delete(SnapshotGroup).where(SnapshotGroup.month == MONTH))
    session.execute(delete(PortfolioSnapshot).where(PortfolioSnapshot.month == MONTH))
    session.commit()
    table = _table(session)
    assert table.current and table.taken_at is None and table.missing == [MONTH]
    assert table.total.outstanding_fen is None and table.total.new_fen is None
    assert table.fund is None
    assert all(r.outstanding_fen is None and r.loans is None for r in table.banks)
    assert table.total.claims_fen == 400_000  # the period's flows are exact without it


def test_a_month_without_a_snapshot_says_so_and_invents_nothing(session, book):
    table = _table(session, "2026-09", "2026-10")
    assert table.missing == ["2026-08", "2026-09"]
    total = table.total
    assert total.new_fen is None and total.net_fen is None  # they need 2026-08 and 2026-09
    october = session.get(PortfolioSnapshot, "2026-10")
    assert total.outstanding_fen == october.outstanding_fen  # the end month has its snapshot
    nothing = _table(session, "2026-09", "2026-09")
    assert nothing.total.outstanding_fen is None and nothing.total.loans is None
    assert nothing.banks == [] and nothing.fund is None
    assert "2026-09" in nothing.missing


def test_the_year_start_and_the_year_before_on_fixed_dates(session, book):
    total = _table(session).total
    # 年初: December 2025 held A (¥10,000) and B (¥20,000); so did November 2025 (a year ago).
    assert total.ytd_fen == total.outstanding_fen - 3_000_000 == 7_700_000
    assert total.ytd == Decimal("2.5667") and total.yoy_fen == 7_700_000
    abc = next(r for r in _table(session).banks if r.bank_code == "ABC")
    assert (abc.ytd_fen, abc.ytd) == (1_800_000, Decimal("0.9000"))
    # October 2026 against October 2025 (taken) and December 2025.
    october = _table(session, "2026-10", "2026-10").total
    assert october.yoy_fen == october.outstanding_fen - 3_000_000
    # A year-ago month with no snapshot: no change shown.
    december = _table(session, "2025-12", "2025-12").total
    assert (december.yoy_fen, december.yoy, december.ytd_fen) == (None, None, None)


def test_a_bank_sees_its_own_rows_and_no_fund_figures(session, book):
    table = _table(session, actor=PSBC)
    assert [r.bank_code for r in table.banks] == ["PSBC"]
    assert {r.bank_code for r in table.towns} == {"PSBC"}
    exposure = {b["key"]: b for b in exposure_report(session).breakdown["bank"]}
    assert table.total.outstanding_fen == exposure["PSBC"]["outstanding_fen"]
    assert table.total.loans == exposure["PSBC"]["loans"]
    assert table.fund is None
    psbc_towns = dict(session.execute(
        select(Loan.town, func.sum(Loan.outstanding_principal_fen))
        .where(Loan.bank_code == "PSBC", Loan.status == "active").group_by(Loan.town)).all())
    assert {r.town: r.outstanding_fen for r in table.towns} == psbc_towns
    past = _table(session, "2026-10", "2026-10", actor=PSBC)
    assert [r.bank_code for r in past.banks] == ["PSBC"] and past.fund is None


@pytest.mark.parametrize(("first", "last", "code"), [
    ("2026-11", "2026-10", "ledger_range_reversed"), ("2026-10", "2026-12", "ledger_month_ahead"),
    ("2023-01", "2026-11", "ledger_range_too_long"), ("2026-13", "2026-11", "snapshot_month_invalid")])
def test_a_bad_range_is_refused(session, first, last, code):
    with pytest.raises(Invalid) as exc:
        _table(session, first, last)
    assert exc.value.code == code


def test_an_empty_book_has_a_total_of_zeros_and_no_rows(session):
    done(session, snapshots.take, MANAGER, MONTH, today=TODAY)
    table = _table(session)
    assert table.banks == [] and table.towns == []
    total = table.total
    assert (total.outstanding_fen, total.loans, total.lent_fen, total.new_fen) == (0, 0, 0, 0)
    assert (total.rate, total.line_avg_fen, total.balance_avg_fen) == (None, None, None)


def test_a_month_taken_before_its_groups_were_kept_says_so_until_it_is_taken_again(session, book):
    session.execute(delete(SnapshotGroup).where(SnapshotGroup.month == "2026-10"))
    session.commit()
    assert session.get(PortfolioSnapshot, "2026-10") is not None  # the month's row is kept
    before = _table(session, "2026-10", "2026-10")
    assert "2026-10" in before.missing and before.total.outstanding_fen is None
    done(session, snapshots.take, MANAGER, "2026-10", today=TODAY)  # still open on 2026-11-02
    after = _table(session, "2026-10", "2026-10")
    assert "2026-10" not in after.missing
    assert after.total.outstanding_fen == session.get(PortfolioSnapshot, "2026-10").outstanding_fen


def test_a_ranges_lending_adds_its_snapshots_months_and_the_month_running(session, book):
    table = _table(session, "2026-10", "2026-11")
    assert table.missing == ["2026-09"]  # the month before the range: no 净增额
    lent = session.execute(select(func.sum(Loan.principal_fen)).where(
        Loan.disbursed_on.between(date(2026, 10, 1), TODAY))).scalar_one()
    assert table.total.new_fen == lent == 1_000_000 and table.total.net_fen is None
    abc = next(r for r in table.banks if r.bank_code == "ABC")
    assert abc.new_fen == 1_000_000 and abc.claims_fen == 0
