"""flask backup create | verify | restore."""

from pathlib import Path

import click
from flask.cli import AppGroup

from creditsvc.infra.extensions import db
from creditsvc.services.platform import backup

backup_cli = AppGroup("backup", help="Consistent copies of the database, checked and restored.")


def _say(manifest: backup.Manifest, verb: str) -> None:
    rows = sum(manifest.tables.values())
    head = manifest.audit_head or {}
    click.echo(f"{verb}: {manifest.engine} at revision {manifest.revision}, "
               f"{len(manifest.tables)} tables, {rows} rows, audit head {head.get('seq')}")


@backup_cli.command("create")
@click.option("--out", "folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="a new (or empty) folder for the copy and its manifest")
def create(folder):
    """Copy the database while the service runs, with a manifest (counts, revision, SHA-256)."""
    db.session.remove()
    try:
        _say(backup.create(db.engine, folder), f"copied to {folder}")
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None


@backup_cli.command("verify")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def verify(folder):
    """Check a copy against its manifest; exit 1 naming what differs."""
    try:
        _say(backup.verify(folder), "copy ok")
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="replace a database that already has tables")
def restore(folder, force):
    """Restore a checked copy into this (empty) database, then compare its counts."""
    db.session.remove()
    try:
        _say(backup.restore(db.engine, folder, force=force), "restored")
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("now run `flask --app wsgi fund reconcile` and `flask --app wsgi audit verify "
               "--anchors FILE`")
