"""flask fund init | reconcile | snapshot."""

import click
from flask.cli import AppGroup

from creditsvc.cli.users import CLI_ACTOR
from creditsvc.cli.work import unit_of_work
from creditsvc.core.money import MoneyError, fmt_yuan, parse_yuan, to_fen
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.jobs.kinds import MONTHLY_SNAPSHOT
from creditsvc.services.fund import account as fund_svc
from creditsvc.services.fund import snapshots
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform import jobs
from creditsvc.services.programme.policy import active_policy

fund_cli = AppGroup("fund", help="The guarantee fund's books.")


@fund_cli.command("reconcile")
def reconcile_command():
    """Check every invariant of the fund's books; exit 1 naming each break."""
    breaks = reconcile(db.session)
    if not breaks:
        click.echo("fund books reconcile: ledger balanced, balance row = ledger, exposure = loans, "
                   "应贷未贷 counts = lines")
        return
    for line in breaks:
        click.echo(f"BREAK: {line}", err=True)
    raise SystemExit(1)


@fund_cli.command("init")
@click.option("--capital", default=None, metavar="YUAN",
              help="initial capital in yuan (default: the active policy's fund_capital)")
def init_command(capital):
    """Give a fresh fund its initial capital: one contribution, audited; refused if it has other capital."""
    try:
        capital_fen = None if capital is None else to_fen(parse_yuan(capital))
    except MoneyError as exc:
        raise click.BadParameter(f"{capital!r} is not an amount in yuan", param_hint="--capital") from exc
    with unit_of_work() as uow:
        rules = active_policy(uow.session)
        entry = fund_svc.initialise(uow.session, CLI_ACTOR, rules, clock.today(), capital_fen)
        uow.commit()
    if entry is None:
        click.echo("the fund already has this capital: nothing done")
        return
    capital_fen = sum(p.amount_fen for p in entry.postings if p.account == "fund_cash")
    click.echo(f"fund initialised: capital {fmt_yuan(capital_fen)} on "
               f"{entry.effective_on.isoformat()} (ledger entry {entry.id})")


@fund_cli.command("snapshot")
@click.option("--month", default=None, metavar="YYYY-MM",
              help="the month (default: the business date's); it or the month just ended")
@click.option("--queue", is_flag=True, help="queue it as a job for `flask jobs worker`")
def snapshot_command(month, queue):
    """Take the month's portfolio snapshot now (or queue it); taking a month again replaces it."""
    today = clock.today()
    month = month or snapshots.month_of(today)
    with unit_of_work() as uow:
        snapshots.month_bounds(month)  # a bad month is refused before anything is queued
        if queue:
            job = jobs.submit(uow.session, CLI_ACTOR, MONTHLY_SNAPSHOT, {"month": month})
            uow.commit()
            click.echo(f"queued job {job.id}: the {month} snapshot")
            return
        row = snapshots.take(uow.session, CLI_ACTOR, month, today=today)
        uow.commit()
    click.echo(f"snapshot {row.month} as of {row.as_of.isoformat()}: {row.loans} loans, "
               f"outstanding {fmt_yuan(row.outstanding_fen)}, NPL "
               f"{fmt_yuan(row.npl_outstanding_fen)}, balance {fmt_yuan(row.balance_fen)}")
