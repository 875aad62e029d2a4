"""Batch throughput of Scorecard.score_batch over 1,000,000 rows, and peak memory.

Run: /work/main/.venv/bin/python bench/bench_scoring_batch.py
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.bootstrap import DEFAULT_PATH
from scoring.scorecard import Scorecard
from scoring.synthetic import generate_book
from scoring.train import fit_scorecard, load_csv

N = 1_000_000


def columns_for(card: Scorecard, rows: list[dict], n: int, rng) -> dict:
    """Resample rows to n and lay them out as numpy columns (float or fixed-width text)."""
    pick = rng.integers(0, len(rows), n)
    cols = {}
    for name in card.features:
        values = [r.get(name) for r in rows]
        if all(v is None or isinstance(v, float) for v in values):
            base = np.array([np.nan if v is None else v for v in values])
        else:
            base = np.array(["" if v is None else str(v) for v in values])
        cols[name] = base[pick]
    return cols


def run(name: str, card: Scorecard, cols: dict) -> None:
    card.score_batch({k: v[:1000] for k, v in cols.items()})  # warm up
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t0 = time.perf_counter()
    scores, pds = card.score_batch(cols)
    secs = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{name}: {len(card.features)} features, {len(scores):,} rows in {secs:.3f} s "
          f"= {len(scores) / secs:,.0f} rows/s; tracemalloc peak {peak / 2**20:.1f} MiB, "
          f"maxrss delta {(rss1 - rss0) / 1024:.1f} MiB (input columns "
          f"{sum(v.nbytes for v in cols.values()) / 2**20:.0f} MiB)")
    assert np.isfinite(scores).all() and ((pds > 0) & (pds < 1)).all()


def main() -> None:
    rng = np.random.default_rng(0)
    boot = Scorecard.from_json(DEFAULT_PATH.read_text(encoding="utf-8"))
    run("bootstrap model, synthetic rows", boot, columns_for(boot, generate_book(5000), N, rng))
    columns, y = load_csv(ROOT / "data" / "german_credit.csv", "creditability", "bad")
    german = Scorecard.from_json(fit_scorecard(columns, y, holdout=0).artifact)
    rows = [{k: columns[k][i] for k in columns} for i in range(len(y))]
    run("German credit model (9 text columns)", german, columns_for(german, rows, N, rng))


if __name__ == "__main__":
    main()
