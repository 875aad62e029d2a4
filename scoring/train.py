"""Scorecard trainer: monotone binning, WOE, logistic regression, points."""

from __future__ import annotations

import datetime as dt
import math
import platform
from dataclasses import dataclass

import numpy as np
import scipy
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split

from scoring import metrics
from scoring.artifact import FORMAT, FORMAT_VERSION, scale_points, seal
from scoring.binning import FeatureBinning, fit_categorical, fit_numeric
from scoring.dataprep import (
    TrainingError,
    as_columns,
    infer_kinds,
    load_csv,
    target_vector,
)
from scoring.dataprep import data_sha256 as hash_data

__all__ = ["FittedScorecard", "TrainingError", "fit_scorecard", "load_csv", "train_scorecard"]

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 100.0)


@dataclass(frozen=True)
class FittedScorecard:
    """A trained scorecard: the artifact plus the scikit-learn model behind it."""

    artifact: dict
    estimator: LogisticRegression
    binnings: tuple[FeatureBinning, ...]  # the features kept, in artifact order

    def woe_matrix(self, columns) -> np.ndarray:
        """Return the WOE design matrix the estimator takes, for these columns."""
        return np.column_stack([b.woe(columns[b.name]) for b in self.binnings])


def train_scorecard(data, target, **kwargs) -> dict:
    """Train a scorecard on rows or columns and return its sealed JSON artifact."""
    return fit_scorecard(data, target, **kwargs).artifact


def fit_scorecard(data, target, *, numeric=None, categorical=None, directions=None,
                  bad_value=None, feature_meta=None, data_sha256=None, scaling="linear",
                  random_state=0, holdout=0.2, created_at=None, description=None,
                  max_prebins=30, min_share=0.06, cat_min_share=None, min_iv=0.0,
                  c_grid=C_GRID) -> FittedScorecard:
    """Train on rows/columns with a target column name or a label sequence."""
    columns, labels = as_columns(data, target)
    labels = target if labels is None else labels
    y = labels if isinstance(labels, np.ndarray) and bad_value is None and set(
        np.unique(labels)) <= {0.0, 1.0} else target_vector(list(labels), bad_value)
    y = np.asarray(y, dtype=float)
    if any(len(col) != len(y) for col in columns.values()):
        raise TrainingError("every column must have one value per target row")
    if y.sum() in (0, len(y)):
        raise TrainingError("the target has one class only: need both good and bad rows")
    num, cat = infer_kinds(columns, numeric, categorical)
    if not num + cat:
        raise TrainingError("no feature columns")
    for name in num + cat:
        if all(v is None or (isinstance(v, float) and math.isnan(v)) for v in columns[name]):
            raise TrainingError(f"feature {name!r} is missing in every row")
    opts = {"directions": directions or {}, "max_prebins": max_prebins, "min_share": min_share,
            "c_grid": c_grid, "random_state": random_state, "min_iv": min_iv,
            "cat_min_share": min_share if cat_min_share is None else cat_min_share}
    holdout_metrics = None
    if holdout and min(y.sum(), len(y) - y.sum()) >= 10:
        idx_tr, idx_te = train_test_split(np.arange(len(y)), test_size=holdout, stratify=y,
                                          random_state=random_state)
        sub = {k: [v[i] for i in idx_tr] for k, v in columns.items()}
        bins, lr, _ = _fit_core(sub, y[idx_tr], num, cat, opts)
        test = {k: [v[i] for i in idx_te] for k, v in columns.items()}
        x_te = np.column_stack([b.woe(test[b.name]) for b in bins])
        holdout_metrics = metrics.summary(y[idx_te], lr.predict_proba(x_te)[:, 1])
    bins, lr, c_value = _fit_core(columns, y, num, cat, opts)
    x = np.column_stack([b.woe(columns[b.name]) for b in bins])
    train_metrics = metrics.summary(y, lr.predict_proba(x)[:, 1])
    dropped = [n for n in num + cat if n not in {b.name for b in bins}]
    artifact = _artifact(bins, lr, feature_meta or {}, scaling, {
        "data_sha256": data_sha256 or hash_data(columns, y), "rows": len(y),
        "bad_rate": float(y.mean()), "C": c_value, "random_state": random_state,
        "holdout": holdout, "max_prebins": max_prebins, "min_share": min_share,
        "dropped_features": dropped,
    }, {"train": train_metrics, "holdout": holdout_metrics}, created_at, description)
    return FittedScorecard(seal(artifact), lr, tuple(bins))


def _fit_core(columns, y, num, cat, opts):
    bins = [fit_numeric(n, columns[n], y, direction=opts["directions"].get(n),
                        max_prebins=opts["max_prebins"], min_share=opts["min_share"]) for n in num]
    bins += [fit_categorical(n, columns[n], y, min_share=opts["cat_min_share"]) for n in cat]
    # A feature whose rows all share one WOE carries no signal.
    bins = [b for b in bins if np.ptp(b.woe(columns[b.name])) > 0 and b.iv >= opts["min_iv"]]
    if not bins:
        raise TrainingError("no feature separates goods from bads")
    x = np.column_stack([b.woe(columns[b.name]) for b in bins])
    c_value = _tune_c(x, y, opts["c_grid"], opts["random_state"])
    while True:
        lr = LogisticRegression(C=c_value, max_iter=2000).fit(x, y)
        coef = lr.coef_[0]
        # WOE is ln(good/bad), so a positive coefficient on P(bad) reverses the
        # business direction (collinearity); drop the worst such feature and refit.
        if coef.max() <= 0 or len(bins) == 1:
            return bins, lr, c_value
        worst = int(np.argmax(coef))
        bins.pop(worst)
        x = np.delete(x, worst, axis=1)


def _tune_c(x, y, grid, random_state) -> float:
    if len(grid) == 1 or min(y.sum(), len(y) - y.sum()) < 6:
        return float(grid[-1])
    folds = StratifiedKFold(3, shuffle=True, random_state=random_state)
    best, best_auc = grid[-1], -1.0
    for c_value in grid:
        aucs = [metrics.auc(y[te], LogisticRegression(C=c_value, max_iter=2000).fit(
            x[tr], y[tr]).decision_function(x[te])) for tr, te in folds.split(x, y)]
        if np.mean(aucs) > best_auc + 1e-9:
            best, best_auc = c_value, float(np.mean(aucs))
    return float(best)


def _artifact(bins, lr, meta, scaling, training, metric_sets, created_at, description) -> dict:
    features = []
    for b, coef in zip(bins, lr.coef_[0], strict=True):
        m = meta.get(b.name, {})
        entry = {"name": b.name, "kind": b.kind, "direction": b.direction, "iv": b.iv,
                 "coefficient": float(coef), "label_zh": m.get("label_zh", b.name),
                 "label_en": m.get("label_en", b.name.replace("_", " ")),
                 "bins": [_bin(s) for s in b.bins], "missing": _bin(b.missing)}
        entry["edges" if b.kind == "numeric" else "groups"] = (
            list(b.edges) if b.kind == "numeric" else [list(g) for g in b.groups])
        features.append(entry)
    intercept = float(lr.intercept_[0])
    record = scale_points(features, intercept, scaling)
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "description": description or "scorecard trained by scoring.train",
        "created_at": created_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "target": "1 = bad", "intercept": intercept, "features": features, "scaling": record,
        "training": training, "metrics": metric_sets,
        "versions": {"python": platform.python_version(), "numpy": np.__version__,
                     "scikit-learn": sklearn.__version__, "scipy": scipy.__version__},
    }


def _bin(s) -> dict:
    return {"label": s.label, "count": s.count, "bad": s.bad, "woe": s.woe}
