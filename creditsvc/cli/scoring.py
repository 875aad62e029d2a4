"""flask scoring ...: the pure scoring commands plus those that need the database."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from creditsvc.cli.users import CLI_ACTOR
from creditsvc.cli.work import unit_of_work
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.services.assessment import outcomes
from creditsvc.services.programme import policy as registry
from scoring import cli as pure
from scoring.artifact import dumps
from scoring.dataprep import TrainingError, data_sha256, load_csv
from scoring.features import FEATURES
from scoring.train import train_scorecard

scoring_cli = AppGroup("scoring", help="Train, evaluate, register and promote scorecards.")
for _name, _command in pure.scoring.commands.items():
    if _name != "train":
        scoring_cli.add_command(_command)


@scoring_cli.command("train")
@click.option("--data", type=click.Path(dir_okay=False), help="a labelled CSV")
@click.option("--target", help="the CSV's target column")
@click.option("--bad-value", default=None)
@click.option("--direction", multiple=True, help="FEATURE=asc|desc")
@click.option("--from-outcomes", is_flag=True,
              help="train on the programme's loans (bad = 90+ DPD within 12 months)")
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--register", is_flag=True, help="also add the model to the registry")
@click.option("--scaling", type=click.Choice(["linear", "pdo"]), default="linear")
@click.pass_context
def train(ctx, data, target, bad_value, direction, from_outcomes, out, register, scaling):
    """Train a scorecard on a CSV or on the programme's own outcomes."""
    if from_outcomes == bool(data):
        raise click.UsageError("give exactly one of --data FILE.csv or --from-outcomes")
    if data:
        if not target:
            raise click.UsageError("--data needs --target")
        ctx.invoke(pure.train_command, data=data, target=target, bad_value=bad_value,
                   direction=direction, out=out, scaling=scaling)
    else:
        rows, labels = outcomes.outcome_rows(db.session, clock.today())
        spec = {f.name: f for f in FEATURES}
        try:
            artifact = train_scorecard(
                [{**r, "_bad": y} for r, y in zip(rows, labels, strict=True)], "_bad",
                numeric=[n for n in spec if spec[n].kind == "numeric"],
                categorical=[n for n in spec if spec[n].kind == "categorical"],
                directions={n: f.direction for n, f in spec.items() if f.direction},
                bad_value=1, scaling=scaling, data_sha256=data_sha256(
                    {k: [r.get(k) for r in rows] for k in spec}, labels),
                feature_meta={n: {"label_zh": f.label_zh, "label_en": f.label_en}
                              for n, f in spec.items()},
                description=f"trained on {len(rows)} programme loans (bad = 90+ DPD in 12 months)")
        except TrainingError as exc:
            raise click.ClickException(f"cannot train on the programme's outcomes: {exc}") from None
        Path(out).write_text(dumps(artifact), encoding="utf-8")
        click.echo(f"wrote {out}: model {artifact['sha256'][:12]} from {len(rows)} loans "
                   f"({sum(labels)} bad)")
    if register:
        with unit_of_work() as uow:
            row = registry.register_model(uow.session, CLI_ACTOR, Path(out).read_text("utf-8"),
                                          "outcomes" if from_outcomes else "csv")
            uow.commit()
        click.echo(f"registered model {row.sha256[:12]} as a challenger")


@scoring_cli.command("register")
@click.argument("artifact", type=click.Path(dir_okay=False, exists=True))
def register(artifact):
    """Add a scorecard artifact to the registry as a challenger."""
    with unit_of_work() as uow:
        row = registry.register_model(uow.session, CLI_ACTOR, Path(artifact).read_text("utf-8"), "file")
        uow.commit()
    click.echo(f"registered model {row.sha256[:12]}")


@scoring_cli.command("promote")
@click.argument("version")
@click.option("--holdout", type=click.Path(dir_okay=False, exists=True),
              help="labelled CSV both models are scored on (default: the programme's outcomes)")
@click.option("--target", help="the holdout's target column")
@click.option("--bad-value", default=None)
@click.option("--force", is_flag=True, help="promote even if the challenger scores worse")
def promote(version, holdout, target, bad_value, force):
    """Make a registered model the champion, if it is at least as good on the same holdout."""
    with unit_of_work() as uow:
        challenger = registry.find_model(uow.session, version)
        champion = registry.champion_scorecard(uow.session)
        auc = {} if force else _holdout_auc(
            [challenger.sha256, champion.sha256], holdout, target, bad_value)
        row = registry.promote(uow.session, CLI_ACTOR, version, holdout_auc=auc, force=force)
        uow.commit()
    click.echo(f"model {row.sha256[:12]} is the champion" +
               (f" (holdout AUC {json.dumps({k[:12]: round(v, 4) for k, v in auc.items()})})"
                if auc else " (forced)"))


def _holdout_auc(shas, holdout, target, bad_value) -> dict[str, float]:
    columns = y = None
    if holdout:
        if not target:
            raise click.UsageError("--holdout needs --target")
        try:
            columns, y = load_csv(holdout, target, bad_value)
        except TrainingError as exc:
            raise click.ClickException(str(exc)) from None
    return outcomes.holdout_auc(db.session, shas, columns, y, today=clock.today())
