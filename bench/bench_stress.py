"""The stress test with 100,000 paths over 10,000 loans: time and peak memory.

Goal: under 2 s and under 2 GiB. Peak memory is measured twice: numpy's allocations
through tracemalloc, and the process's maximum resident set (which includes the
interpreter, numpy and scipy themselves).

    /work/main/.venv/bin/python bench/bench_stress.py
"""

import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from lending import stress  # noqa: E402

LOANS, PATHS = 10_000, 100_000


def main() -> None:
    rng = np.random.default_rng(2026)
    pd = rng.uniform(0.005, 0.15, LOANS)
    exposure = rng.integers(1_000, 50_001, LOANS) * 100
    stress.run(pd[:100], exposure[:100], share=0.8, rho=0.15, balance_fen=50_000_000,
               paths=1_000, seed=0)  # warm the imports
    tracemalloc.start()
    t = time.perf_counter()
    r = stress.run(pd, exposure, share=0.8, rho=0.15, balance_fen=50_000_000, paths=PATHS, seed=1)
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"stress: {PATHS:,} paths x {LOANS:,} loans, method {r.method}: {elapsed:.3f} s, "
          f"peak numpy allocations {peak / 2**20:.1f} MiB, process max RSS {rss:.0f} MiB")
    print(f"  P(exhausted) {r.prob_exhausted:.4f}, expected claims ¥{r.expected_claims_fen / 100:,.2f}, "
          f"99th percentile ¥{r.p99_claims_fen / 100:,.2f}, months of cover {r.months_of_cover}")
    print(f"  goal < 2 s: {'met' if elapsed < 2 else 'NOT met'}; "
          f"goal < 2 GiB: {'met' if rss < 2048 else 'NOT met'}")


if __name__ == "__main__":
    main()
