"""Optimal monotone grouping of ordered prebins by dynamic programming."""

from __future__ import annotations

import math

import numpy as np

# Pseudo-count keeping WOE finite for bins with no goods or no bads.
_SMOOTH = 0.5


def woe(good: float, bad: float, total_good: int, total_bad: int) -> float:
    """Return the smoothed ln(share of goods / share of bads) of a bin."""
    if good + bad == 0:
        return 0.0  # a bin never seen in training is neutral
    g = (good + _SMOOTH) / (total_good + _SMOOTH)
    b = (bad + _SMOOTH) / (total_bad + _SMOOTH)
    return math.log(g / b)


def optimal_groups(goods, bads, min_count: int, totals: tuple[int, int], increasing: bool) -> list[int]:
    """Partition ordered prebins into contiguous groups maximising IV.

    Group WOEs must strictly increase (or decrease) along the order, and each
    group hold at least min_count rows. Returns the start index of each group.
    Dynamic programming over (group start, group end): O(n^3) for n prebins.
    """
    n = len(goods)
    cg = np.concatenate([[0], np.cumsum(goods)])
    cb = np.concatenate([[0], np.cumsum(bads)])
    tg, tb = totals

    def stats(i: int, j: int) -> tuple[float, float, bool]:
        g, b = cg[j] - cg[i], cb[j] - cb[i]
        w = woe(g, b, tg, tb)
        return w, (g / max(tg, 1) - b / max(tb, 1)) * w, g + b >= min_count

    # best[(i, j)] = (iv, previous start) for prefix [0, j) ending in group [i, j)
    best: dict[tuple[int, int], tuple[float, int]] = {}
    group = {(i, j): stats(i, j) for i in range(n) for j in range(i + 1, n + 1)}
    for j in range(1, n + 1):
        for i in range(j):
            w, iv, big = group[(i, j)]
            if not big:
                continue
            if i == 0:
                best[(0, j)] = (iv, -1)
                continue
            cand = None
            for k in range(i):
                prev = best.get((k, i))
                if prev is None:
                    continue
                pw = group[(k, i)][0]
                rising = (pw < w) if increasing else (pw > w)
                if rising and (cand is None or prev[0] > cand[0]):
                    cand = (prev[0], k)
            if cand is not None:
                best[(i, j)] = (cand[0] + iv, cand[1])
    ends = [(v[0], i) for (i, j), v in best.items() if j == n]
    if not ends:
        return [0]
    _, start = max(ends)
    starts, j = [], n
    while start != -1:
        starts.append(start)
        start, j = best[(start, j)][1], start
    return sorted(starts)
