"""Metrics against scikit-learn and hand-computed values; PDO scaling."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from scoring import metrics
from scoring.scorecard import Scorecard
from scoring.train import fit_scorecard


def test_auc_matches_sklearn_with_ties():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    risk = np.round(rng.normal(size=500) + y, 1)  # rounding makes ties
    assert metrics.auc(y, risk) == pytest.approx(roc_auc_score(y, risk), abs=1e-12)


def test_ks_gini_brier_by_hand():
    y = np.array([0, 0, 1, 1])
    risk = np.array([0.1, 0.4, 0.35, 0.8])
    assert metrics.ks(y, risk) == pytest.approx(0.5)
    summary = metrics.summary(y, risk)
    assert summary["gini"] == pytest.approx(2 * 0.75 - 1)
    assert summary["brier"] == pytest.approx(np.mean((risk - y) ** 2))


def test_psi_zero_for_same_sample_and_grows_with_shift():
    rng = np.random.default_rng(4)
    base = rng.normal(60, 10, 5000)
    assert metrics.psi(base, base) == pytest.approx(0, abs=1e-12)
    assert metrics.psi(base, base + 5) > 0.1 > metrics.psi(base, rng.normal(60, 10, 5000))


def test_calibration_table_bands_and_report():
    scores = np.array([90, 75, 65, 10, 85])
    table = metrics.calibration_table([0, 0, 1, 1, 0], [0.01, 0.05, 0.1, 0.5, 0.02], scores)
    assert [row["count"] for row in table] == [2, 1, 1, 1]
    assert table[3]["bad_rate"] == 1.0
    text = metrics.format_report(metrics.summary([0, 1, 0, 1, 0], [.1, .9, .2, .7, .3]), table,
                                 stability=0.02)
    assert "auc: 1.0000" in text and "PSI: 0.0200" in text


def test_pdo_scaling_keeps_parity(german):
    columns, y, _ = german
    fitted = fit_scorecard(columns, y, holdout=0, scaling="pdo")
    card = Scorecard.from_json(fitted.artifact)
    scores, pds = card.score_batch(columns)
    expected = fitted.estimator.predict_proba(fitted.woe_matrix(columns))[:, 1]
    assert np.max(np.abs(pds - expected)) < 1e-9
    # 20 points per doubling of the good odds: score = offset + factor * ln(odds good).
    record = fitted.artifact["scaling"]
    implied = record["offset"] + record["factor"] * np.log((1 - pds) / pds)
    assert np.max(np.abs(implied - scores)) < 0.011
