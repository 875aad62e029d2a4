"""Command-line interface: flask --app wsgi <group> <command>."""

from creditsvc.cli.audit import audit_cli
from creditsvc.cli.demo import seed_demo
from creditsvc.cli.scoring import scoring_cli
from creditsvc.cli.users import users_cli


def register_commands(app) -> None:
    """Attach every command group to the app's CLI."""
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(scoring_cli)
