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
@click.option("--since-anchor", is_flag=True,
              help="walk only the events after the latest anchor (with --anchors): a daily check "
                   "that stays short; without it the whole chain is walked")
def verify(anchor_file, since_anchor):
    """Check the audit chain's links (all, or since the latest anchor); exit 1 naming a break."""
    anchors = []
    if anchor_file is not None:
        try:
            anchors = [read_anchor(line) for line in anchor_file if line.strip()]
        except AnchorError as exc:
            raise click.ClickException(str(exc)) from None
    elif since_anchor:
        raise click.UsageError("--since-anchor needs --anchors FILE")
    if anchors:
        problem = check_anchors(db.session, anchors, current_app.config["SECRET_KEY"])
        if problem:
            click.echo(f"audit chain REWRITTEN: {problem}", err=True)
            raise SystemExit(1)
    start = max(anchors, key=lambda a: a.seq) if since_anchor and anchors else None
    report = verify_chain(db.session, since=start)
    if not report.ok:
        click.echo(f"audit chain BROKEN at event {report.broken_at}: {report.reason} "
                   f"({report.checked} events verified before it)", err=True)
        raise SystemExit(1)
    scope = f"since the anchor of event {start.seq}" if start else "from the first event"
    click.echo(f"audit chain ok: {report.checked} events {scope}")
    if anchors:
        click.echo(f"{len(anchors)} anchors match")


@audit_cli.command("anchor")
@click.option("--out", type=click.File("a"), help="append the anchor to this file")
def anchor(out):
    """Print the chain's head, signed, to keep outside the database (e.g. daily, off site)."""
    line = take_anchor(db.session, current_app.config["SECRET_KEY"]).to_json()
    click.echo(line)
    if out is not None:
        out.write(line + "\n")
