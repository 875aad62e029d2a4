"""flask users create|key|revoke|list."""

import click
from flask.cli import AppGroup

from creditsvc.errors import AppError
from creditsvc.extensions import db
from creditsvc.principal import Principal
from creditsvc.services import users as svc
from models.user import ROLES

users_cli = AppGroup("users", help="Users, roles and API keys.")
CLI_ACTOR = Principal(user_id=None, name="cli", role="admin")


@users_cli.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--bank", "bank_code", default=None, help="partner bank code (bank role only)")
def create(name, role, bank_code):
    """Create a user and print its API key (shown only this once)."""
    try:
        user, key = svc.create_user(db.session, CLI_ACTOR, name, role, bank_code)
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created {user.name} ({user.role}{', ' + user.bank_code if user.bank_code else ''})")
    click.echo(f"API key (shown once, store it now): {key}")


@users_cli.command("key")
@click.argument("name")
def issue_key(name):
    """Issue a further API key for a user."""
    try:
        key = svc.issue_key(db.session, CLI_ACTOR, name)
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"API key (shown once, store it now): {key}")


@users_cli.command("revoke")
@click.argument("name")
def revoke(name):
    """Revoke a user and all their keys."""
    try:
        svc.revoke_user(db.session, CLI_ACTOR, name)
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"revoked {name}")


@users_cli.command("list")
def list_users():
    """List users, their roles, banks and whether they are revoked."""
    for user in svc.list_users(db.session):
        state = "revoked" if user.revoked_at else "active"
        click.echo(f"{user.name:<24} {user.role:<13} {user.bank_code or '-':<6} {state}")
