"""The unit of work of a CLI command: one transaction, committed once; a refusal is a clear error."""

from collections.abc import Iterator
from contextlib import contextmanager

import click

from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import db
from creditsvc.services.platform.uow import UnitOfWork


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Run a command's writes in one unit of work; an AppError becomes a ClickException."""
    try:
        with UnitOfWork(db.session) as uow:
            yield uow
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
