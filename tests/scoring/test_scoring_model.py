"""Trainer, artifact and compiled scorer: parity, monotonicity, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scoring_factories import assert_same_model

from scoring.artifact import artifact_sha256, seal
from scoring.bootstrap import DEFAULT_PATH, bootstrap_text
from scoring.scorecard import ArtifactError, Scorecard
from scoring.train import TrainingError, load_csv, train_scorecard


def rows_of(columns, n=None):
    names = list(columns)
    count = len(columns[names[0]]) if n is None else n
    return [{k: columns[k][i] for k in names} for i in range(count)]


def test_compiled_pd_equals_sklearn_on_every_training_row(german):
    columns, _, fitted = german
    card = Scorecard.from_json(fitted.artifact)
    expected = fitted.estimator.predict_proba(fitted.woe_matrix(columns))[:, 1]
    _, pds = card.score_batch(columns)
    single = np.array([card.score(row).pd for row in rows_of(columns)])
    assert np.max(np.abs(pds - expected)) < 1e-9
    assert np.max(np.abs(single - expected)) < 1e-9


def test_single_row_equals_batch_row_exactly(german):
    columns, _, fitted = german
    card = Scorecard.from_json(fitted.artifact)
    scores, pds = card.score_batch(columns, chunk_size=97)  # odd chunks cross boundaries
    for i, row in enumerate(rows_of(columns)):
        result = card.score(row)
        assert (result.score, result.pd) == (scores[i], pds[i])


def test_points_are_monotone_for_every_numeric_feature(german, bootstrap_card):
    _, _, fitted = german
    for artifact in (fitted.artifact, bootstrap_card.artifact):
        numeric = [f for f in artifact["features"] if f["kind"] == "numeric"]
        assert numeric
        for f in numeric:
            pts = np.array([b["points"] for b in f["bins"]])
            step = np.diff(pts) if f["direction"] == "asc" else -np.diff(pts)
            assert (step >= -1e-12).all(), f["name"]


def test_bootstrap_follows_business_directions(bootstrap_card):
    from scoring.features import FEATURES
    wanted = {f.name: f.direction for f in FEATURES if f.direction}
    for f in bootstrap_card.artifact["features"]:
        if f["kind"] == "numeric":
            assert f["direction"] == wanted[f["name"]]
            assert f["coefficient"] <= 0  # WOE is ln(good/bad): points rise with WOE


def test_scores_span_zero_to_hundred(german):
    _, _, fitted = german
    feats = fitted.artifact["features"]
    best = sum(max(b["points"] for b in [*f["bins"], f["missing"]]) for f in feats)
    worst = sum(min(b["points"] for b in [*f["bins"], f["missing"]]) for f in feats)
    assert worst == pytest.approx(0, abs=1e-9)
    assert best == pytest.approx(100, abs=1e-9)


def test_reasons_point_at_the_weakest_features(bootstrap_card):
    best = {}
    for f in bootstrap_card.artifact["features"]:
        top = max([*f["bins"]], key=lambda b: b["points"])
        best[f["name"]] = f, top
    # Start from the best bin of every feature, then spoil three of them.
    row = {}
    for name, (f, top) in best.items():
        if f["kind"] == "categorical":
            row[name] = f["groups"][f["bins"].index(top)][0]
        else:
            k = f["bins"].index(top)
            edges = [-1e12, *f["edges"], 1e12]
            row[name] = edges[k] if k > 0 else edges[1] - 1
    perfect = bootstrap_card.score(row)
    assert perfect.reasons == ()
    assert perfect.score == pytest.approx(100, abs=0.011)
    row.update({"per_capita_income": 100.0, "recent_shocks": 3.0, "loan_to_income": 50.0})
    worse = bootstrap_card.score(row)
    assert {r.feature for r in worse.reasons} == {"per_capita_income", "recent_shocks",
                                                  "loan_to_income"}
    shortfalls = [r.shortfall for r in worse.reasons]
    assert shortfalls == sorted(shortfalls, reverse=True)
    assert "人均纯收入" in worse.reasons[[r.feature for r in worse.reasons].index(
        "per_capita_income")].text_zh


@pytest.mark.parametrize("value", [None, float("nan"), "unknown", "12x", [1], {"a": 1}, True])
def test_scorer_never_crashes_on_odd_values(bootstrap_card, value):
    row = dict.fromkeys(bootstrap_card.features, value)
    result = bootstrap_card.score(row)
    assert 0 <= result.score <= 100 and 0 < result.pd < 1
    scores, pds = bootstrap_card.score_batch({k: [value, value] for k in row})
    assert scores[0] == result.score and pds[0] == result.pd


def test_empty_row_scores_missing_bins(bootstrap_card):
    result = bootstrap_card.score({})
    assert all(line.bin == "missing" for line in result.points)


def test_numeric_strings_are_read_as_numbers(german):
    columns, _, fitted = german
    card = Scorecard.from_json(fitted.artifact)
    row = rows_of(columns, 1)[0]
    as_text = {k: str(v) if isinstance(v, float) else v for k, v in row.items()}
    text_result, result = card.score(as_text), card.score(row)
    assert (text_result.score, text_result.pd) == (result.score, result.pd)
    assert [p.bin for p in text_result.points] == [p.bin for p in result.points]


def test_tampered_artifact_is_rejected(german):
    artifact = json.loads(json.dumps(german[2].artifact))
    artifact["features"][0]["bins"][0]["points"] += 5
    with pytest.raises(ArtifactError, match="sha256 mismatch"):
        Scorecard.from_json(artifact)


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda a: a.pop("features"), "features"),
    (lambda a: a["features"][0].update(edges=[3, 1]), "edges"),
    (lambda a: a["features"][0].update(kind="ordinal"), "kind"),
    (lambda a: a.update(intercept="high"), "intercept"),
    (lambda a: a.update(format="other"), "not a creditsvc-scorecard"),
])
def test_malformed_artifacts_are_rejected(german, mutate, message):
    artifact = json.loads(json.dumps(german[2].artifact))
    mutate(artifact)
    with pytest.raises(ArtifactError, match=message):
        Scorecard.from_json(seal(artifact))


@pytest.mark.parametrize("text", ["", "{", "[]", "null", b"\xff\xfe"])
def test_non_json_artifacts_are_rejected(text):
    with pytest.raises(ArtifactError):
        Scorecard.from_json(text)


def test_sha_excludes_itself_and_is_canonical(bootstrap_card):
    artifact = bootstrap_card.artifact
    assert artifact_sha256(artifact) == artifact["sha256"] == bootstrap_card.sha256
    assert bootstrap_card.version == artifact["sha256"][:12]
    assert "BOOTSTRAP" in artifact["description"] and "synthetic" in artifact["description"]


def test_bootstrap_build_is_deterministic_and_reproduces_the_checked_in_artifact():
    built = bootstrap_text()
    assert bootstrap_text() == built, "two builds on one machine agree bit for bit"
    assert_same_model(json.loads(built), json.loads(DEFAULT_PATH.read_text()))


def write(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_csv(tmp_path):
    with pytest.raises(TrainingError, match="no data rows"):
        load_csv(write(tmp_path, ""), "bad")
    with pytest.raises(TrainingError, match="no data rows"):
        load_csv(write(tmp_path, "x,bad\n"), "bad")


def test_one_class_csv(tmp_path):
    with pytest.raises(TrainingError, match="one class"):
        load_csv(write(tmp_path, "x,bad\n1,0\n2,0\n3,0\n"), "bad", "1")


def test_missing_target_column(tmp_path):
    with pytest.raises(TrainingError, match="target column 'bad' not in"):
        load_csv(write(tmp_path, "x,y\n1,0\n"), "bad")


def test_all_missing_feature_and_other_training_errors():
    rows = [{"x": float(i), "z": None, "bad": i % 2} for i in range(40)]
    with pytest.raises(TrainingError, match="'z' is missing in every row"):
        train_scorecard(rows, "bad")
    with pytest.raises(TrainingError, match="target column 'oops' missing"):
        train_scorecard(rows, "oops")
    with pytest.raises(TrainingError, match="no training rows"):
        train_scorecard([], "bad")
    with pytest.raises(TrainingError, match="one class"):
        train_scorecard([{"x": 1.0, "bad": 0}] * 10, "bad")


def test_trainer_accepts_rows_and_infers_kinds():
    rng = np.random.default_rng(1)
    x = rng.normal(size=600)
    rows = [{"x": float(v), "c": "a" if v > 0.5 else "b", "bad": int(rng.random() < 1 / (1 + np.exp(2 * v)))}
            for v in x]
    artifact = train_scorecard(rows, "bad", created_at="2025-01-01T00:00:00+00:00")
    kinds = {f["name"]: f["kind"] for f in artifact["features"]}
    assert kinds.get("x") == "numeric"
    x_feature = next(f for f in artifact["features"] if f["name"] == "x")
    assert x_feature["direction"] == "asc"  # higher x, fewer bads, more points
    assert artifact["metrics"]["holdout"]["auc"] > 0.7
    again = train_scorecard(rows, "bad", created_at="2025-01-01T00:00:00+00:00")
    assert again["sha256"] == artifact["sha256"]  # deterministic
