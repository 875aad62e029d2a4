"""flask fund init: the fund's initial capital is part of set-up, once, audited."""

from sqlalchemy import select, text

from models import AuditEvent, JournalEntry


def test_fund_init_contributes_the_policys_capital_once(runner, session, app):
    app.config["BUSINESS_DATE"] = "2026-11-30"
    assert session.execute(text("SELECT capital_fen FROM fund")).scalar() == 0
    done = runner.invoke(args=["fund", "init"])
    assert done.exit_code == 0, done.output
    assert "capital 500000.00 on 2026-11-30" in done.output
    assert session.execute(text("SELECT capital_fen, balance_fen FROM fund")).one() == (
        50_000_000, 50_000_000)
    again = runner.invoke(args=["fund", "init", "--capital", "500000"])
    assert again.exit_code == 0 and "nothing done" in again.output
    other = runner.invoke(args=["fund", "init", "--capital", "400000"])
    assert other.exit_code == 1 and "already has capital 500000.00" in other.output
    entries = session.execute(select(JournalEntry.kind, JournalEntry.effective_on)).all()
    assert [(k, d.isoformat()) for k, d in entries] == [("contribution", "2026-11-30")]
    actions = session.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars().all()
    assert actions.count("fund.init") == 1 and actions.count("fund.contribution") == 1
    assert runner.invoke(args=["fund", "reconcile"]).exit_code == 0


def test_fund_init_takes_another_capital_and_refuses_a_bad_one(runner, session):
    assert runner.invoke(args=["fund", "init", "--capital", "abc"]).exit_code == 2
    assert runner.invoke(args=["fund", "init", "--capital", "0"]).exit_code == 1
    done = runner.invoke(args=["fund", "init", "--capital", "250000.50"])
    assert done.exit_code == 0, done.output
    assert session.execute(text("SELECT capital_fen FROM fund")).scalar() == 25_000_050


def test_fund_snapshot_takes_the_month_now_or_queues_it(runner, session, app):
    app.config["BUSINESS_DATE"] = "2026-11-30"
    assert runner.invoke(args=["fund", "init"]).exit_code == 0
    done = runner.invoke(args=["fund", "snapshot"])
    assert done.exit_code == 0, done.output
    assert "snapshot 2026-11 as of 2026-11-30: 0 loans" in done.output
    assert "balance 500000.00" in done.output
    again = runner.invoke(args=["fund", "snapshot", "--month", "2026-11"])
    assert again.exit_code == 0
    assert session.execute(text("SELECT count(*) FROM portfolio_snapshots")).scalar() == 1
    queued = runner.invoke(args=["fund", "snapshot", "--month", "2026-10", "--queue"])
    assert queued.exit_code == 0 and "queued job" in queued.output
    assert session.execute(text("SELECT kind, status FROM jobs")).one() == (
        "monthly_snapshot", "queued")
    closed = runner.invoke(args=["fund", "snapshot", "--month", "2026-09"])
    assert closed.exit_code == 1 and "2026-10 / 2026-11" in closed.output
    assert runner.invoke(args=["fund", "snapshot", "--month", "2026-9"]).exit_code == 1
