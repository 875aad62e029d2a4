"""The stress test: seeded, vectorised, and its fast sampler agrees with the exact one."""

import numpy as np
import pytest

from lending import stress


@pytest.fixture
def book():
    rng = np.random.default_rng(0)
    return rng.uniform(0.01, 0.2, 300), rng.integers(100_000, 5_000_000, 300)


def test_same_seed_same_result_and_chunks_do_not_matter(book):
    pd, exposure = book
    a = stress.run(pd, exposure, share=0.8, rho=0.15, balance_fen=20_000_000, paths=5_000, seed=3)
    b = stress.run(pd, exposure, share=0.8, rho=0.15, balance_fen=20_000_000, paths=5_000, seed=3,
                   chunk=700)
    assert a == b


def test_conditional_sampler_matches_the_exact_one(book):
    pd, exposure = book
    kw = dict(share=0.8, rho=0.15, balance_fen=30_000_000, paths=40_000, seed=11)
    exact = stress.run(pd, exposure, method="exact", **kw)
    fast = stress.run(pd, exposure, method="conditional", **kw)
    assert fast.expected_claims_fen == pytest.approx(exact.expected_claims_fen, rel=0.02)
    assert fast.p99_claims_fen == pytest.approx(exact.p99_claims_fen, rel=0.05)
    assert fast.prob_exhausted == pytest.approx(exact.prob_exhausted, abs=0.01)


def test_expected_claims_are_share_times_pd_times_exposure(book):
    pd, exposure = book
    r = stress.run(pd, exposure, share=0.8, rho=0.15, balance_fen=0, paths=50_000, seed=5)
    assert r.expected_claims_fen == pytest.approx(0.8 * float(pd @ exposure), rel=0.02)
    assert r.months_of_cover == 0


def test_correlation_fattens_the_tail(book):
    pd, exposure = book
    kw = dict(share=0.8, balance_fen=0, paths=40_000, seed=2)
    assert (stress.run(pd, exposure, rho=0.3, **kw).p99_claims_fen
            > stress.run(pd, exposure, rho=0.01, **kw).p99_claims_fen)


def test_an_empty_book_never_exhausts_the_fund():
    r = stress.run(np.array([]), np.array([]), share=0.8, rho=0.15, balance_fen=1, paths=100, seed=1)
    assert (r.prob_exhausted, r.expected_claims_fen, r.months_of_cover) == (0.0, 0, None)


def test_histogram_and_value_at_risk_describe_the_same_paths():
    rng = np.random.default_rng(7)
    pd, exposure = rng.uniform(0.01, 0.2, 300), rng.integers(100_000, 5_000_000, 300)
    result = stress.run(pd, exposure, share=0.8, rho=0.2, balance_fen=50_000_000, paths=4000,
                        seed=11)
    assert sum(n for _, n in result.histogram) == 4000
    assert len(result.histogram) == stress.HISTOGRAM_BINS
    assert [edge for edge, _ in result.histogram] == sorted(edge for edge, _ in result.histogram)
    assert result.expected_claims_fen <= result.p95_claims_fen <= result.p99_claims_fen
    assert result.p99_claims_fen <= result.max_claims_fen
