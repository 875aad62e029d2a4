"""The `scoring` click group: train, evaluate, score-batch, build-bootstrap."""

from __future__ import annotations

import csv
from itertools import islice
from pathlib import Path

import click
from tqdm import tqdm

from scoring import metrics
from scoring.artifact import ArtifactError, dumps
from scoring.dataprep import TrainingError, file_sha256, load_csv
from scoring.scorecard import Scorecard
from scoring.train import train_scorecard

CHUNK_ROWS = 65536


@click.group("scoring")
def scoring() -> None:
    """Train, evaluate and run scorecards."""


def _directions(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, _, direction = item.partition("=")
        if direction not in ("asc", "desc") or not name:
            raise click.BadParameter(f"{item!r}: use FEATURE=asc or FEATURE=desc",
                                     param_hint="--direction")
        out[name] = direction
    return out


def load_scorecard(path: str | Path) -> Scorecard:
    """Load an artifact file, turning every failure into a ClickException."""
    try:
        return Scorecard.from_json(Path(path).read_bytes())
    except OSError as exc:
        raise click.ClickException(f"cannot read model {path}: {exc.strerror}") from None
    except ArtifactError as exc:
        raise click.ClickException(f"invalid model {path}: {exc}") from None


@scoring.command("train")
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False))
@click.option("--target", required=True, help="target column")
@click.option("--bad-value", default=None, help="target value meaning bad (default 1 or 'bad')")
@click.option("--direction", multiple=True, help="FEATURE=asc|desc: points rise|fall with value")
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--scaling", type=click.Choice(["linear", "pdo"]), default="linear")
def train_command(data, target, bad_value, direction, out, scaling) -> None:
    """Train a scorecard on a labelled CSV and write its JSON artifact."""
    directions = _directions(direction)
    try:
        columns, y = load_csv(data, target, bad_value)
        artifact = train_scorecard(columns, y, directions=directions, scaling=scaling,
                                   data_sha256=file_sha256(data),
                                   description=f"trained on {Path(data).name} ({target})")
    except TrainingError as exc:
        raise click.ClickException(str(exc)) from None
    Path(out).write_text(dumps(artifact), encoding="utf-8")
    holdout = artifact["metrics"]["holdout"] or artifact["metrics"]["train"]
    click.echo(f"wrote {out}: model {artifact['sha256'][:12]}, {len(artifact['features'])} "
               f"features, holdout AUC {holdout['auc']:.4f}, KS {holdout['ks']:.4f}")


@scoring.command("evaluate")
@click.argument("artifact", type=click.Path(dir_okay=False))
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False))
@click.option("--target", required=True)
@click.option("--bad-value", default=None)
def evaluate_command(artifact, data, target, bad_value) -> None:
    """Print the metrics report of a scorecard on a labelled CSV."""
    card = load_scorecard(artifact)
    try:
        columns, y = load_csv(data, target, bad_value)
    except TrainingError as exc:
        raise click.ClickException(str(exc)) from None
    scores, pds = card.score_batch(columns)
    table = metrics.calibration_table(y, pds, scores)
    click.echo(metrics.format_report(metrics.summary(y, pds), table,
                                     title=f"model {card.version} on {Path(data).name}"))


@scoring.command("score-batch")
@click.argument("in_csv", type=click.Path(dir_okay=False))
@click.argument("out_csv", type=click.Path(dir_okay=False))
@click.option("--model", required=True, type=click.Path(dir_okay=False))
def score_batch_command(in_csv, out_csv, model) -> None:
    """Append score and pd columns to every row of a CSV, chunk by chunk."""
    card = load_scorecard(model)
    try:
        with open(in_csv, newline="", encoding="utf-8-sig") as src, \
                open(out_csv, "w", newline="", encoding="utf-8") as dst:
            reader = csv.reader(src)
            header = next(reader, None)
            if not header:
                raise click.ClickException(f"{in_csv} is empty")
            writer = csv.writer(dst)
            writer.writerow([*header, "score", "pd"])
            with tqdm(unit="rows", desc="scoring") as bar:
                while chunk := list(islice(reader, CHUNK_ROWS)):
                    cols = {name: [row[k] if k < len(row) else "" for row in chunk]
                            for k, name in enumerate(header)}
                    scores, pds = card.score_batch(cols)
                    writer.writerows([*row, f"{s:.2f}", repr(float(p))]
                                     for row, s, p in zip(chunk, scores, pds, strict=True))
                    bar.update(len(chunk))
    except OSError as exc:
        raise click.ClickException(f"{exc.filename}: {exc.strerror}") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{in_csv} is not a readable UTF-8 CSV: {exc}") from None


@scoring.command("build-bootstrap")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="default: scoring/artifacts/bootstrap.json")
def build_bootstrap_command(out) -> None:
    """Rebuild the bootstrap scorecard from the synthetic book (deterministic)."""
    from scoring.bootstrap import DEFAULT_PATH, write_bootstrap

    path = write_bootstrap(out or DEFAULT_PATH)
    card = load_scorecard(path)
    click.echo(f"wrote {path}: bootstrap model {card.version}")


