"""flask fund reconcile."""

import click
from flask.cli import AppGroup

from creditsvc.infra.extensions import db
from creditsvc.services.reconcile import reconcile

fund_cli = AppGroup("fund", help="The guarantee fund's books.")


@fund_cli.command("reconcile")
def reconcile_command():
    """Check every invariant of the fund's books; exit 1 naming each break."""
    breaks = reconcile(db.session)
    if not breaks:
        click.echo("fund books reconcile: ledger balanced, balance row = ledger, exposure = loans")
        return
    for line in breaks:
        click.echo(f"BREAK: {line}", err=True)
    raise SystemExit(1)
