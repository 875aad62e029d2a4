"""Supervised binning: monotone numeric bins and WOE-grouped categories.

Weight of evidence is ln(share of goods / share of bads), so a higher WOE is a
better bin. Target 1 means bad throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scoring.monotone import optimal_groups
from scoring.monotone import woe as _woe


@dataclass(frozen=True)
class BinStat:
    """Counts and WOE of one bin."""

    label: str
    count: int
    bad: int
    woe: float


@dataclass(frozen=True)
class FeatureBinning:
    """The fitted bins of one feature; `missing` also takes unseen categories."""

    name: str
    kind: str
    direction: str | None
    edges: tuple[float, ...]
    groups: tuple[tuple[str, ...], ...]
    bins: tuple[BinStat, ...]
    missing: BinStat
    iv: float

    def bin_index(self, values: list) -> np.ndarray:
        """Return each value's bin index; len(bins) is the missing bin."""
        if self.kind == "numeric":
            x = to_float_array(values)
            idx = np.searchsorted(np.asarray(self.edges, dtype=float), x, side="right")
            idx[np.isnan(x)] = len(self.bins)
            return idx
        lookup = {c: i for i, group in enumerate(self.groups) for c in group}
        return np.array([lookup.get(_category(v), len(self.bins)) for v in values], dtype=np.intp)

    def woe(self, values: list) -> np.ndarray:
        """Return each value's WOE."""
        table = np.array([b.woe for b in self.bins] + [self.missing.woe])
        return table[self.bin_index(values)]


def to_float_array(values) -> np.ndarray:
    """Convert a column to floats; None and unparsable values become NaN."""
    try:
        x = np.asarray(values, dtype=float)
        if x.ndim == 1:
            return x
    except (TypeError, ValueError):
        pass
    # Odd cells (text, nested lists) are read one by one; unreadable ones are NaN.
    return np.array([_to_float(v) for v in values], dtype=float)


def _to_float(v) -> float:
    try:
        return float(v) if v is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def _category(v) -> str | None:
    return v if v is None or isinstance(v, str) else str(v)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:.6g}"


def _prebin_edges(x: np.ndarray, max_prebins: int) -> np.ndarray:
    """Cut points (values; x < edge goes left) of about equal-count prebins."""
    xs = np.sort(x)
    uniq = np.unique(xs)
    if len(uniq) <= max_prebins:
        return uniq[1:]  # low-cardinality: one prebin per value
    picks = xs[(np.arange(1, max_prebins) * len(xs)) // max_prebins]
    return np.unique(picks[picks > xs[0]])


def _stats(idx: np.ndarray, y: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    bad = np.bincount(idx, weights=y, minlength=n_bins)
    count = np.bincount(idx, minlength=n_bins)
    return count - bad, bad


def fit_numeric(name, values, y, *, direction=None, max_prebins=20, min_share=0.05) -> FeatureBinning:
    """Fit monotone bins (direction asc|desc, or the better of both by IV)."""
    x = to_float_array(values)
    present = ~np.isnan(x)
    xp, yp = x[present], y[present]
    totals = (int(len(y) - y.sum()), int(y.sum()))
    pre = _prebin_edges(xp, max_prebins)
    goods, bads = _stats(np.searchsorted(pre, xp, side="right"), yp, len(pre) + 1)
    min_count = max(1, math.ceil(min_share * len(y)))
    options = [direction] if direction else ["asc", "desc"]
    best = None
    for d in options:
        starts = optimal_groups(goods, bads, min_count, totals, increasing=(d == "asc"))
        edges = tuple(float(pre[s - 1]) for s in starts[1:])
        result = _numeric_result(name, d, edges, xp, yp, x, y, totals)
        if best is None or result.iv > best.iv + 1e-12:
            best = result
    return best


def _numeric_result(name, direction, edges, xp, yp, x, y, totals) -> FeatureBinning:
    goods, bads = _stats(np.searchsorted(np.asarray(edges), xp, side="right"), yp, len(edges) + 1)
    bounds = [None, *edges, None]
    bins = []
    for k in range(len(edges) + 1):
        lo, hi = bounds[k], bounds[k + 1]
        label = (f"< {_fmt(hi)}" if lo is None and hi is not None else
                 f">= {_fmt(lo)}" if hi is None and lo is not None else
                 "all" if lo is None else f"[{_fmt(lo)}, {_fmt(hi)})")
        bins.append(_bin(label, goods[k], bads[k], totals))
    missing = ~np.isnan(x)
    miss = _missing_bin(int((~missing).sum() - y[~missing].sum()), int(y[~missing].sum()), totals)
    return FeatureBinning(name, "numeric", direction, edges, (), tuple(bins), miss, _iv(bins, miss, totals))


def fit_categorical(name, values, y, *, min_share=0.05) -> FeatureBinning:
    """Group categories of similar WOE; rare ones merge with their neighbours."""
    cats = [_category(v) for v in values]
    totals = (int(len(y) - y.sum()), int(y.sum()))
    counts: dict[str, list[int]] = {}
    miss = [0, 0]
    for c, t in zip(cats, y, strict=True):
        cell = miss if c is None else counts.setdefault(c, [0, 0])
        cell[int(t)] += 1
    order = sorted(counts, key=lambda c: (_woe(*counts[c], *totals), c))
    goods = np.array([counts[c][0] for c in order], dtype=float)
    bads = np.array([counts[c][1] for c in order], dtype=float)
    min_count = max(1, math.ceil(min_share * len(y)))
    starts = optimal_groups(goods, bads, min_count, totals, increasing=True) if order else [0]
    groups = [tuple(sorted(order[a:b])) for a, b in zip(starts, [*starts[1:], len(order)], strict=True)]
    bins = [_bin(", ".join(g), sum(counts[c][0] for c in g), sum(counts[c][1] for c in g), totals)
            for g in groups if g]
    mbin = _missing_bin(miss[0], miss[1], totals)
    return FeatureBinning(name, "categorical", None, (), tuple(g for g in groups if g), tuple(bins),
                          mbin, _iv(bins, mbin, totals))


def _bin(label: str, good, bad, totals) -> BinStat:
    return BinStat(label, int(good + bad), int(bad), _woe(float(good), float(bad), *totals))


def _missing_bin(good, bad, totals) -> BinStat:
    # A blank field never earns more than the average (WOE 0): otherwise leaving
    # it blank could raise a score, and small missing groups are noisy anyway.
    stat = _bin("missing", good, bad, totals)
    return BinStat(stat.label, stat.count, stat.bad, min(stat.woe, 0.0))


def _iv(bins, miss: BinStat, totals) -> float:
    tg, tb = max(totals[0], 1), max(totals[1], 1)
    return float(sum(((b.count - b.bad) / tg - b.bad / tb) * b.woe for b in [*bins, miss]))
