"""The click commands: success paths and clean, non-zero error exits."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from scoring_factories import GERMAN, assert_same_model

from scoring.cli import scoring
from scoring.scorecard import Scorecard


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    out = tmp_path_factory.mktemp("m") / "g.json"
    result = CliRunner().invoke(scoring, ["train", "--data", str(GERMAN), "--target",
                                          "creditability", "--bad-value", "bad",
                                          "--direction", "duration_in_month=desc",
                                          "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_train_writes_a_valid_artifact(model):
    card = Scorecard.from_json(model.read_text(encoding="utf-8"))
    duration = next(f for f in card.artifact["features"] if f["name"] == "duration_in_month")
    assert duration["direction"] == "desc"


def test_evaluate_prints_report(runner, model):
    result = runner.invoke(scoring, ["evaluate", str(model), "--data", str(GERMAN),
                                     "--target", "creditability"])
    assert result.exit_code == 0, result.output
    assert "auc" in result.output and "80-100" in result.output


def test_score_batch_appends_columns(runner, model, tmp_path):
    out = tmp_path / "scored.csv"
    result = runner.invoke(scoring, ["score-batch", str(GERMAN), str(out), "--model", str(model)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",score,pd") and len(lines) == 1001


def errors(tmp_path, model):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    one = tmp_path / "one.csv"
    one.write_text("x,bad\n1,0\n2,0\n", encoding="utf-8")
    tampered = tmp_path / "t.json"
    art = json.loads(model.read_text(encoding="utf-8"))
    art["intercept"] += 1
    tampered.write_text(json.dumps(art), encoding="utf-8")
    garbage = tmp_path / "g.json"
    garbage.write_text("{not json", encoding="utf-8")
    out = str(tmp_path / "o.json")
    return [
        (["train", "--data", str(empty), "--target", "bad", "--out", out], "no data rows"),
        (["train", "--data", str(one), "--target", "bad", "--out", out], "one class"),
        (["train", "--data", str(GERMAN), "--target", "nope", "--out", out], "'nope' not in"),
        (["train", "--data", str(tmp_path / "none.csv"), "--target", "b", "--out", out],
         "no such file"),
        (["train", "--data", str(GERMAN), "--target", "creditability", "--direction", "x=up",
          "--out", out], "FEATURE=asc"),
        (["evaluate", str(tampered), "--data", str(GERMAN), "--target", "creditability"],
         "sha256 mismatch"),
        (["evaluate", str(garbage), "--data", str(GERMAN), "--target", "creditability"],
         "not valid JSON"),
        (["score-batch", str(empty), out, "--model", str(model)], "is empty"),
        (["score-batch", str(GERMAN), out, "--model", str(tmp_path / "x.json")],
         "cannot read model"),
    ]


def test_errors_exit_non_zero_with_a_message(runner, model, tmp_path):
    for args, message in errors(tmp_path, model):
        result = runner.invoke(scoring, args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit), (args, result.exception)


def test_build_bootstrap_to_a_path(runner, tmp_path):
    out = tmp_path / "b.json"
    result = runner.invoke(scoring, ["build-bootstrap", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "bootstrap model" in result.output
    from scoring.bootstrap import DEFAULT_PATH
    assert_same_model(json.loads(out.read_text()), json.loads(DEFAULT_PATH.read_text()))
