"""flask users create|key|password|revoke|list."""

import sys

import click
from flask.cli import AppGroup

from creditsvc.cli.work import unit_of_work
from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.access import accounts
from creditsvc.services.access import users as svc
from models.base import utcnow
from models.user import ROLES

users_cli = AppGroup("users", help="Users, roles, passwords and API keys.")
CLI_ACTOR = Principal(user_id=None, name="cli", role="admin")


@users_cli.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--bank", "bank_code", default=None, help="partner bank code (bank role only)")
def create(name, role, bank_code):
    """Create a user and print its API key (shown only this once)."""
    with unit_of_work() as uow:
        user, key = svc.create_user(uow.session, CLI_ACTOR, name, role, bank_code)
        uow.commit()
    click.echo(f"created {user.name} ({user.role}{', ' + user.bank_code if user.bank_code else ''})")
    click.echo(f"API key (shown once, store it now): {key}")


@users_cli.command("key")
@click.argument("name")
def issue_key(name):
    """Issue a further API key for a user."""
    with unit_of_work() as uow:
        key = svc.issue_key(uow.session, CLI_ACTOR, name)
        uow.commit()
    click.echo(f"API key (shown once, store it now): {key}")


@users_cli.command("revoke")
@click.argument("name")
def revoke(name):
    """Revoke a user and all their keys."""
    with unit_of_work() as uow:
        svc.revoke_user(uow.session, CLI_ACTOR, name)
        uow.commit()
    click.echo(f"revoked {name}")


@users_cli.command("list")
def list_users():
    """List users, their roles, banks and whether they are revoked."""
    for user in svc.list_users(db.session):
        state = "revoked" if user.revoked_at else "active"
        click.echo(f"{user.name:<24} {user.role:<13} {user.bank_code or '-':<6} {state}")


@users_cli.command("password")
@click.argument("name")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="read the password from standard input instead of generating one")
def set_password(name, from_stdin):
    """Set a user's initial web password; they must change it at their first sign-in."""
    password = sys.stdin.readline().rstrip("\n") if from_stdin else accounts.new_initial_password()
    with unit_of_work() as uow:
        accounts.set_password(uow.session, CLI_ACTOR, name, password, must_change=True,
                              now=utcnow())
        uow.commit()
    click.echo(f"password set for {name}; they must change it at first sign-in")
    if not from_stdin:
        click.echo(f"initial password (shown once, hand it over in person): {password}")
