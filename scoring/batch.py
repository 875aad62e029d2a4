"""Bin lookups for the compiled scorer: odd single values and numpy chunks."""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np

from scoring.binning import to_float_array


def coerced_index(edges: list[float], value, miss: int) -> int:
    """Bin of a numeric value given in another type ("3.5"); else the missing bin."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return miss
    return miss if math.isnan(number) else bisect_right(edges, number)


def category_index(cmap: dict[str, int], value, miss: int) -> int:
    """Bin of a non-string category: training read categories as text."""
    return miss if value is None else cmap.get(str(value), miss)


def numeric_chunk_index(edges: np.ndarray, chunk, miss: int) -> np.ndarray:
    """Bin indices of a chunk of numeric values; NaN/None go to the missing bin."""
    x = to_float_array(chunk)
    idx = np.searchsorted(edges, x, side="right")
    idx[np.isnan(x)] = miss
    return idx


def categorical_chunk_index(cmap: dict[str, int], chunk, miss: int) -> np.ndarray:
    """Bin indices of a chunk of categories; unknown values go to the missing bin."""
    if isinstance(chunk, np.ndarray) and chunk.dtype.kind in "US":
        # Fixed-width strings compare vectorised: one pass per known category.
        idx = np.full(len(chunk), miss, dtype=np.intp)
        for cat, i in cmap.items():
            idx[chunk == cat] = i
        return idx
    get = cmap.get
    out = np.empty(len(chunk), dtype=np.intp)
    for k, v in enumerate(chunk):
        try:
            out[k] = get(v, miss) if isinstance(v, str) else category_index(cmap, v, miss)
        except TypeError:
            out[k] = miss
    return out
