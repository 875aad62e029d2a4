"""Command-line interface: flask --app wsgi <group> <command>."""

import functools
import logging
import time

import click
from sqlalchemy import inspect
from sqlalchemy.exc import DatabaseError

from creditsvc.cli.audit import audit_cli
from creditsvc.cli.backup import backup_cli
from creditsvc.cli.demo import seed_demo
from creditsvc.cli.fund import fund_cli
from creditsvc.cli.jobs import jobs_cli
from creditsvc.cli.pii import pii_cli
from creditsvc.cli.scoring import scoring_cli
from creditsvc.cli.users import users_cli
from creditsvc.infra.extensions import db
from creditsvc.services.platform.uow import UnitOfWork

log = logging.getLogger("creditsvc.cli")
NOT_MIGRATED = "the database has no creditsvc tables yet: run `flask --app wsgi db upgrade` first"


def register_commands(app) -> None:
    """Attach every command group to the app's CLI."""
    for command in (users_cli, audit_cli, backup_cli, pii_cli, seed_demo, fund_cli, scoring_cli,
                    jobs_cli):
        _explain_missing_schema(command)
        app.cli.add_command(command)


def _explain_missing_schema(command: click.Command, name: str | None = None) -> None:
    """On a database error, say so plainly when the cause is an unmigrated database.

    Each command also writes one log line when it ends: its name, outcome and duration.
    """
    name = name or command.name
    for sub in getattr(command, "commands", {}).values():
        _explain_missing_schema(sub, f"{name} {sub.name}")
    if command.callback is None or getattr(command.callback, "explains_schema", False):
        return
    callback = command.callback

    @functools.wraps(callback)
    def run(*args, **kwargs):
        started, status = time.perf_counter(), "failed"
        try:
            result = callback(*args, **kwargs)
            status = "done"
            return result
        except DatabaseError:
            UnitOfWork(db.session).rollback()
            if "alembic_version" not in inspect(db.engine).get_table_names():
                raise click.ClickException(NOT_MIGRATED) from None
            raise
        finally:
            # One line per command: its name and outcome, never its arguments (a reason
            # typed for a reveal, a password) nor its output.
            log.info("command %s: %s", name, status, extra={
                "command": name, "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2)})

    run.explains_schema = True
    command.callback = run
