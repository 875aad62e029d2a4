"""flask audit verify."""

import click
from flask.cli import AppGroup

from creditsvc.extensions import db
from creditsvc.services.audit import verify_chain

audit_cli = AppGroup("audit", help="The hash-chained audit trail.")


@audit_cli.command("verify")
def verify():
    """Check every link of the audit chain; exit 1 naming the first broken one."""
    report = verify_chain(db.session)
    if report.ok:
        click.echo(f"audit chain ok: {report.checked} events")
        return
    click.echo(f"audit chain BROKEN at event {report.broken_at}: {report.reason} "
               f"({report.checked} events verified before it)", err=True)
    raise SystemExit(1)
