"""German credit: our trainer vs optbinning, 5-fold CV and a 70/30 holdout.

Run: /work/main/.venv/bin/python bench/bench_scoring_quality.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from optbinning import BinningProcess
from optbinning import Scorecard as OBScorecard
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import metrics
from scoring.scorecard import Scorecard
from scoring.train import fit_scorecard, load_csv

DATA = ROOT / "data" / "german_credit.csv"
TARGET = "creditability"


def ours(columns, y, tr, te):
    """Fit our trainer on rows tr; return (risk on te, numeric features monotone, total)."""
    sub = {k: [v[i] for i in tr] for k, v in columns.items()}
    test = {k: [v[i] for i in te] for k, v in columns.items()}
    fitted = fit_scorecard(sub, y[tr], holdout=0)
    card = Scorecard.from_json(fitted.artifact)
    scores, _ = card.score_batch(test)
    mono = 0
    for f in fitted.artifact["features"]:
        if f["kind"] == "numeric":
            pts = np.diff([b["points"] for b in f["bins"]])
            mono += bool((pts >= -1e-12).all() or (pts <= 1e-12).all())
    numeric = [k for k, v in columns.items() if isinstance(v[0], float)]
    # A numeric feature the trainer dropped has no points, so it is trivially monotone.
    mono += len([n for n in numeric if n not in {f["name"] for f in fitted.artifact["features"]}])
    return -scores, mono, len(numeric)


def optb(df, y, tr, te, trend):
    """Fit optbinning BinningProcess + Scorecard; return (risk on te, monotone numerics)."""
    names = [c for c in df.columns if c != TARGET]
    cats = [c for c in names if not pd.api.types.is_numeric_dtype(df[c])]
    params = {n: {"monotonic_trend": trend} for n in names if n not in cats} if trend else None
    bp = BinningProcess(names, categorical_variables=cats, binning_fit_params=params)
    sc = OBScorecard(binning_process=bp, estimator=LogisticRegression(),
                     scaling_method="min_max", scaling_method_params={"min": 0, "max": 100})
    sc.fit(df.iloc[tr][names], y[tr])
    risk = -sc.score(df.iloc[te][names])
    table = sc.table(style="detailed")
    mono = 0
    for n in names:
        if n in cats:
            continue
        rows = table[(table["Variable"] == n) & ~table["Bin"].astype(str).isin(["Special", "Missing"])]
        d = np.diff(rows["Points"].to_numpy(dtype=float))
        mono += bool((d >= -1e-9).all() or (d <= 1e-9).all())
    return risk, mono


def main() -> None:
    warnings.filterwarnings("ignore")
    columns, y = load_csv(DATA, TARGET, "bad")
    df = pd.read_csv(DATA)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=42).split(np.zeros(len(y)), y))
    holdout = train_test_split(np.arange(len(y)), test_size=0.3, stratify=y, random_state=42)
    runs = {"ours (scoring.train)": lambda tr, te: ours(columns, y, tr, te)[:2],
            "optbinning auto": lambda tr, te: optb(df, y, tr, te, None),
            "optbinning auto_asc_desc": lambda tr, te: optb(df, y, tr, te, "auto_asc_desc")}
    print(f"German credit, {len(y)} rows, 7 numeric features; 5-fold stratified CV "
          "(shuffle, random_state=42); 70/30 stratified holdout (random_state=42)")
    print(f"{'model':<28} {'CV AUC':>7} {'CV KS':>7} {'hold AUC':>8} {'monotone':>9} {'secs':>6}")
    for name, run in runs.items():
        t0 = time.perf_counter()
        aucs, kss, monos = [], [], []
        for tr, te in folds:
            risk, mono = run(tr, te)
            aucs.append(metrics.auc(y[te], risk))
            kss.append(metrics.ks(y[te], risk))
            monos.append(mono)
        risk, _ = run(*holdout)
        hold = metrics.auc(y[holdout[1]], risk)
        print(f"{name:<28} {np.mean(aucs):7.4f} {np.mean(kss):7.4f} {hold:8.4f} "
              f"{min(monos):>5} of 7 {time.perf_counter() - t0:6.1f}")
        print(f"{'':<28} folds: {' '.join(f'{a:.3f}' for a in aucs)}")


if __name__ == "__main__":
    main()
