"""flask scoring train/register/promote against the registry."""

import json

from sqlalchemy import text

GERMAN = "data/german_credit.csv"


def test_train_register_and_promote_on_a_holdout(runner, tmp_path, session):
    out = tmp_path / "german.json"
    result = runner.invoke(args=["scoring", "train", "--data", GERMAN, "--target", "creditability",
                                 "--bad-value", "bad", "--out", str(out), "--register"])
    assert result.exit_code == 0, result.output
    sha = json.loads(out.read_text())["sha256"]
    assert session.execute(text("SELECT is_champion FROM model_versions WHERE sha256=:s"),
                           {"s": sha}).scalar() in (False, 0)
    # No programme outcomes yet: promotion needs a holdout or --force.
    refused = runner.invoke(args=["scoring", "promote", sha[:12]])
    assert refused.exit_code != 0 and "--holdout" in refused.output
    # On German credit the bootstrap (trained on other features) is worse: the challenger wins.
    promoted = runner.invoke(args=["scoring", "promote", sha[:12], "--holdout", GERMAN,
                                   "--target", "creditability", "--bad-value", "bad"])
    assert promoted.exit_code == 0, promoted.output
    champion = session.execute(text("SELECT sha256 FROM model_versions WHERE is_champion")).scalar()
    assert champion == sha


def test_a_worse_challenger_is_refused_unless_forced(runner, tmp_path, session):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    runner.invoke(args=["scoring", "train", "--data", GERMAN, "--target", "creditability",
                        "--bad-value", "bad", "--out", str(good), "--register"])
    # A model trained with the labels flipped ranks risk backwards.
    runner.invoke(args=["scoring", "train", "--data", GERMAN, "--target", "creditability",
                        "--bad-value", "good", "--out", str(bad), "--register"])
    good_sha, bad_sha = (json.loads(p.read_text())["sha256"] for p in (good, bad))
    args = ["--holdout", GERMAN, "--target", "creditability", "--bad-value", "bad"]
    assert runner.invoke(args=["scoring", "promote", good_sha[:12], *args]).exit_code == 0
    refused = runner.invoke(args=["scoring", "promote", bad_sha[:12], *args])
    assert refused.exit_code != 0 and "challenger AUC" in refused.output
    forced = runner.invoke(args=["scoring", "promote", bad_sha[:12], "--force"])
    assert forced.exit_code == 0
    assert session.execute(text("SELECT sha256 FROM model_versions WHERE is_champion")).scalar() == bad_sha


def test_from_outcomes_with_no_loans_is_a_clean_error(runner, tmp_path):
    result = runner.invoke(args=["scoring", "train", "--from-outcomes", "--out", str(tmp_path / "m.json")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "outcomes" in result.output


def test_train_needs_exactly_one_source(runner, tmp_path):
    result = runner.invoke(args=["scoring", "train", "--out", str(tmp_path / "m.json")])
    assert result.exit_code != 0 and "exactly one" in result.output


def test_unknown_model_version(runner):
    result = runner.invoke(args=["scoring", "promote", "ffffffffffff", "--force"])
    assert result.exit_code != 0 and "no model ffffffffffff" in result.output
