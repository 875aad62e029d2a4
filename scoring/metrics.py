"""Discrimination, calibration and stability metrics of a scorecard."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

# The grade bands of the default policy, for calibration tables.
DEFAULT_BANDS = ((80.0, "80-100"), (70.0, "70-79"), (60.0, "60-69"), (float("-inf"), "<60"))


def auc(y, risk) -> float:
    """Return the ROC AUC of a risk score (higher = more likely bad), ties averaged."""
    y = np.asarray(y, dtype=float)
    n_bad = y.sum()
    n_good = len(y) - n_bad
    if n_bad == 0 or n_good == 0:
        return float("nan")
    ranks = rankdata(np.asarray(risk, dtype=float))
    return float((ranks[y == 1].sum() - n_bad * (n_bad + 1) / 2) / (n_bad * n_good))


def ks(y, risk) -> float:
    """Return the Kolmogorov-Smirnov distance between bads' and goods' risks."""
    y = np.asarray(y, dtype=float)
    risk = np.asarray(risk, dtype=float)
    order = np.argsort(-risk, kind="stable")
    ys, rs = y[order], risk[order]
    n_bad, n_good = ys.sum(), len(ys) - ys.sum()
    if n_bad == 0 or n_good == 0:
        return float("nan")
    # Evaluate only where the risk value changes, so ties count together.
    last = np.r_[rs[1:] != rs[:-1], True]
    cum_bad = np.cumsum(ys)[last] / n_bad
    cum_good = np.cumsum(1 - ys)[last] / n_good
    return float(np.max(np.abs(cum_bad - cum_good)))


def brier(y, pd) -> float:
    """Return the mean squared error of the PD against the outcome."""
    y = np.asarray(y, dtype=float)
    return float(np.mean((np.asarray(pd, dtype=float) - y) ** 2))


def summary(y, pd) -> dict[str, float]:
    """Return AUC, KS, Gini, Brier, row count and bad rate of PDs."""
    a = auc(y, pd)
    return {"auc": a, "ks": ks(y, pd), "gini": 2 * a - 1, "brier": brier(y, pd),
            "n": len(y), "bad_rate": float(np.mean(y)) if len(y) else float("nan")}


def calibration_table(y, pd, scores, bands=DEFAULT_BANDS) -> list[dict]:
    """Count, observed bad rate and mean PD per score band (band = min score, label)."""
    y, pd, scores = (np.asarray(a, dtype=float) for a in (y, pd, scores))
    rows, taken = [], np.zeros(len(y), dtype=bool)
    for low, label in bands:
        mask = (scores >= low) & ~taken
        taken |= mask
        n = int(mask.sum())
        rows.append({"band": label, "count": n,
                     "bad_rate": float(y[mask].mean()) if n else None,
                     "mean_pd": float(pd[mask].mean()) if n else None})
    return rows


def psi(expected, actual, bins: int = 10) -> float:
    """Return the population stability index of `actual` scores against `expected`."""
    expected = np.asarray(expected, dtype=float)
    actual = np.asarray(actual, dtype=float)
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1)
    # A floor keeps empty bins from making the index infinite.
    ep = np.maximum(e / max(len(expected), 1), 1e-6)
    ap = np.maximum(a / max(len(actual), 1), 1e-6)
    return float(np.sum((ap - ep) * np.log(ap / ep)))


def format_report(metrics: dict[str, float], calibration: list[dict] | None = None,
                  stability: float | None = None, title: str = "scorecard evaluation") -> str:
    """Render metrics, an optional calibration table and PSI as readable text."""
    lines = [title, "-" * len(title)]
    for key in ("n", "bad_rate", "auc", "ks", "gini", "brier"):
        if key in metrics:
            value = metrics[key]
            lines.append(f"{key:>9}: {value}" if key == "n" else f"{key:>9}: {value:.4f}")
    if calibration:
        lines += ["", f"{'band':>8} {'count':>8} {'bad rate':>9} {'mean PD':>8}"]
        for row in calibration:
            br = "-" if row["bad_rate"] is None else f"{row['bad_rate']:.4f}"
            mp = "-" if row["mean_pd"] is None else f"{row['mean_pd']:.4f}"
            lines.append(f"{row['band']:>8} {row['count']:>8} {br:>9} {mp:>8}")
    if stability is not None:
        lines += ["", f"PSI: {stability:.4f}"]
    return "\n".join(lines)
