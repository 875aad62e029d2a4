"""Single-row latency: Scorecard.score vs scikit-learn predict_proba, same run.

Run: /work/main/.venv/bin/python bench/bench_scoring_latency.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.bootstrap import DEFAULT_PATH
from scoring.scorecard import Scorecard
from scoring.synthetic import generate_book
from scoring.train import fit_scorecard, load_csv


def median_us(fn, rows, repeat=7, loops=2000) -> float:
    """Median over `repeat` runs of the mean µs per call over `loops` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for k in range(loops):
            fn(rows[k % len(rows)])
        times.append((time.perf_counter() - t0) / loops * 1e6)
    return statistics.median(times)


def bench(name, fitted, rows) -> None:
    card = Scorecard.from_json(fitted.artifact)
    est = fitted.estimator
    woe_rows = [fitted.woe_matrix({k: [r.get(k)] for k in card.features}) for r in rows[:200]]
    # The equivalent pipeline: the same WOE lookup as a transformer, then the LR.
    pipe = make_pipeline(FunctionTransformer(
        lambda row: fitted.woe_matrix({k: [row.get(k)] for k in card.features})), est)
    ours = median_us(card.score, rows)
    lr_only = median_us(est.predict_proba, woe_rows, loops=500)
    pipeline = median_us(pipe.predict_proba, rows, loops=500)
    print(f"{name}: {len(card.features)} features")
    print(f"  Scorecard.score (points, PD, 3 reasons)  {ours:8.2f} µs/row")
    print(f"  sklearn predict_proba, WOE row given     {lr_only:8.2f} µs/row  ({lr_only / ours:.1f}x)")
    print(f"  sklearn pipeline (WOE transform + LR)    {pipeline:8.2f} µs/row  ({pipeline / ours:.1f}x)")


def main() -> None:
    columns, y = load_csv(ROOT / "data" / "german_credit.csv", "creditability", "bad")
    german = fit_scorecard(columns, y, holdout=0)
    rows = [{k: columns[k][i] for k in columns} for i in range(len(y))]
    bench("German credit model", german, rows)
    book = generate_book(2000)
    boot = Scorecard.from_json(DEFAULT_PATH.read_text(encoding="utf-8"))
    fitted = fit_scorecard(book, "bad", numeric=None, holdout=0, bad_value=1)
    print(f"(bootstrap artifact {boot.version}: Scorecard.score "
          f"{median_us(boot.score, book):.2f} µs/row)")
    bench("synthetic-book model", fitted, book)


if __name__ == "__main__":
    main()
