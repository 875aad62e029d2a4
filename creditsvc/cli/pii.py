"""flask pii rotate-key: re-encrypt and re-hash personal data under a new key."""

import click
from flask import current_app
from flask.cli import AppGroup

from creditsvc.cli.users import CLI_ACTOR
from creditsvc.infra.extensions import db
from creditsvc.services.households import rotation
from creditsvc.services.platform.uow import UnitOfWork

pii_cli = AppGroup("pii", help="The personal-data key.")


@pii_cli.command("rotate-key")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(1, 10_000),
              help="rows rewritten per transaction")
def rotate_key(batch):
    """Rewrite every value under CREDITSVC_PII_KEY, reading the old one from CREDITSVC_PII_OLD_KEYS.

    Online (the service keeps running with both keys set) and resumable: run it again after
    an interruption and it goes on; rows already under the new key are left alone.
    """
    cipher = current_app.extensions["creditsvc.core.pii"]
    if not cipher.rotating:
        raise click.ClickException("set CREDITSVC_PII_OLD_KEYS to the key being replaced, and "
                                   "CREDITSVC_PII_KEY to the new one")

    def say(table: str, seen: int) -> None:
        click.echo(f"{table}: {seen} rows looked at")

    done = rotation.rotate(db.session, CLI_ACTOR, cipher, batch=batch, on_batch=say)
    for table, rotated in done.rotated.items():
        click.echo(f"{table}: {rotated} of {done.seen[table]} rows rewritten under the new key")
    left = rotation.remaining(db.session, cipher)
    UnitOfWork(db.session).rollback()
    if left:
        raise click.ClickException(f"{left} rows still hold values under an old key: run it again")
    click.echo("every value is under the new key: remove CREDITSVC_PII_OLD_KEYS and restart")
