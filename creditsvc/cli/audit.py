"""flask audit verify | anchor."""

import click
from flask import current_app
from flask.cli import AppGroup

from creditsvc.infra.extensions import db
from creditsvc.services.platform.audit_chain import (
    AnchorError,
    check_anchors,
    read_anchor,
    take_anchor,
    verify_chain,
)

audit_cli = AppGroup("audit", help="The hash-chained audit trail.")


@audit_cli.command("verify")
@click.option("--anchors", "anchor_file", type=click.File("r"),
              help="a JSON Lines file of anchors from `audit anchor`: each anchored event must "
                   "still have its anchored hash")
def verify(anchor_file):
    """Check every link of the audit chain; exit 1 naming the first broken one."""
    report = verify_chain(db.session)
    if not report.ok:
        click.echo(f"audit chain BROKEN at event {report.broken_at}: {report.reason} "
                   f"({report.checked} events verified before it)", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain ok: {report.checked} events")
    if anchor_file is None:
        return
    try:
        anchors = [read_anchor(line) for line in anchor_file if line.strip()]
    except AnchorError as exc:
        raise click.ClickException(str(exc)) from None
    problem = check_anchors(db.session, anchors, current_app.config["SECRET_KEY"])
    if problem:
        click.echo(f"audit chain REWRITTEN: {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"{len(anchors)} anchors match")


@audit_cli.command("anchor")
@click.option("--out", type=click.File("a"), help="append the anchor to this file")
def anchor(out):
    """Print the chain's head, signed, to keep outside the database (e.g. daily, off site)."""
    line = take_anchor(db.session, current_app.config["SECRET_KEY"]).to_json()
    click.echo(line)
    if out is not None:
        out.write(line + "\n")
