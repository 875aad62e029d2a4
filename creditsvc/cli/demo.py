"""flask seed-demo: load the synthetic zone and one user per role."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from creditsvc.cli.users import CLI_ACTOR
from creditsvc.cli.work import unit_of_work
from creditsvc.core.principal import Principal
from creditsvc.core.vocab import TOWNS
from creditsvc.demo import book as demo_book
from creditsvc.demo import campaign as demo_campaign
from creditsvc.demo import households as demo
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.access import accounts, areas, users
from creditsvc.services.fund import snapshots
from creditsvc.services.households import files as households
from models import Household
from models.base import utcnow

# Two officers: a referred case is reviewed by an officer other than its submitter. Two fund
# managers: a subsidy statement is reviewed by one who did not compile it (docs/subsidy.md).
# (login name, role, bank, real name); synthetic people.
DEMO_USERS = [("demo-officer", "officer", None, "李晓明"), ("demo-officer2", "officer", None, "王芳"),
              ("demo-psbc", "bank", "PSBC", "赵建国"), ("demo-abc", "bank", "ABC", "孙丽"),
              ("demo-fund", "fund_manager", None, "钱志强"), ("demo-admin", "admin", None, "周敏"),
              ("demo-fund2", "fund_manager", None, "吴静")]
# Each officer's towns, whole: together the zone, so the desk is full on first sign-in
# and every referred case has a reviewer whose area it is in.
DEMO_AREAS = {"demo-officer": ("渔湖镇", "地都镇"), "demo-officer2": TOWNS}


@click.command("seed-demo")
@click.option("--households", "count", default=2000, show_default=True)
@click.option("--if-empty", is_flag=True, help="do nothing when the database has households")
@click.option("--book/--no-book", default=True, show_default=True,
              help="also fund the fund and run applications, loans, arrears and claims")
@with_appcontext
def seed_demo(count, if_empty, book):
    """Load demo households and users; print each demo user's password and API key once."""
    if db.session.execute(select(func.count()).select_from(Household)).scalar_one():
        if if_empty:
            click.echo("database already has data; demo not loaded")
            return
        raise click.ClickException("the database already has households; demo not loaded")
    schema = HouseholdInSchema()
    rows = [schema.load(row) for row in demo.generate(count)]
    with unit_of_work() as uow:
        households.import_households(uow.session, CLI_ACTOR,
                                     current_app.extensions["creditsvc.core.pii"], rows)
        uow.commit()
    click.echo(f"loaded {count} synthetic households")
    lines, people = [], {}
    with unit_of_work() as uow:
        for name, role, bank, real_name in DEMO_USERS:
            user, key = users.create_user(uow.session, CLI_ACTOR, name, role, bank,
                                          display_name=real_name)
            if name in DEMO_AREAS:
                areas.assign(uow.session, CLI_ACTOR, user.id,
                             [areas.Area(town) for town in DEMO_AREAS[name]])
            # Demo users may sign in to the pages at once: no first-password change.
            password = accounts.new_initial_password()
            accounts.set_password(uow.session, CLI_ACTOR, name, password, must_change=False,
                                  now=utcnow())
            people.setdefault(bank or role, Principal(user.id, name, role, bank))
            lines.append(f"  {role:<13} {name:<13} password: {password}  key: {key}")
        uow.commit()
    if book:
        made = demo_book.load_book(db.session, people)
        click.echo("loaded a demo loan book: " + ", ".join(f"{v} {k}" for k, v in made.items()))
        # The month's snapshot starts the trend; earlier months' book is not kept to snapshot.
        today = clock.today()
        with unit_of_work() as uow:
            snapshots.take(uow.session, people["fund_manager"], snapshots.month_of(today),
                           today=today)
            uow.commit()
        village = demo_campaign.run(db.session, people["officer"],
                                    current_app.extensions["creditsvc.core.pii"], today)
        click.echo(f"ran a demo rating campaign in {village['village']}: "
                   f"{village['households']} households, lines granted")
    click.echo("\n".join(lines))
    # Demo only: keep the demo keys (synthetic users) so that `make run` can show them again.
    path = Path(current_app.instance_path) / "demo_keys.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(lines) + "\n")
