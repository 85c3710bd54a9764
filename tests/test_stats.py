"""The correlation functions agree with scipy.stats on random and tied data."""

import math
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from w2veval.scoring._stats import kendall, pearson, rankdata, spearman

PAIRS = [
    (spearman, scipy.stats.spearmanr),
    (pearson, scipy.stats.pearsonr),
    (kendall, scipy.stats.kendalltau),
]

scores = st.lists(
    st.tuples(st.integers(-20, 20), st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 1))),
    min_size=3,
    max_size=80,
)


def _same(ours, theirs):
    if math.isnan(theirs):
        return math.isnan(ours)
    return ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(scores)
def test_matches_scipy_on_random_tied_data(pairs):
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs], dtype=float)
    if np.all(x == x[0]) or np.all(y == y[0]):
        for ours, _ in PAIRS:
            assert math.isnan(ours(x, y).statistic)
        return
    for ours, theirs in PAIRS:
        mine, ref = ours(x, y), theirs(x, y)
        assert _same(mine.statistic, float(ref.statistic)), ours.__name__
        assert _same(mine.pvalue, float(ref.pvalue)), ours.__name__


@settings(max_examples=60, deadline=None)
@given(scores, st.randoms(use_true_random=False))
def test_invariant_to_pair_order_and_monotone_rescaling(pairs, rnd):
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs], dtype=float)
    order = list(range(len(x)))
    rnd.shuffle(order)
    for rank_based in (spearman, kendall):
        base = rank_based(x, y).statistic
        shuffled = rank_based(x[order], y[order]).statistic
        rescaled = rank_based(np.exp(x / 10.0) * 3 + 1, y).statistic
        if math.isnan(base):
            assert math.isnan(shuffled) and math.isnan(rescaled)
        else:
            assert shuffled == pytest.approx(base, abs=1e-12)
            assert rescaled == pytest.approx(base, abs=1e-12)


def test_rankdata_averages_ties_like_scipy():
    values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    assert rankdata(values).tolist() == scipy.stats.rankdata(values).tolist()


def test_perfect_and_reversed_order():
    x = np.arange(10.0)
    assert spearman(x, x * 2).statistic == pytest.approx(1.0)
    assert spearman(x, -x).statistic == pytest.approx(-1.0)
    assert kendall(x, -x).statistic == pytest.approx(-1.0)


def test_fewer_than_two_values_is_nan():
    for fn, _ in PAIRS:
        assert math.isnan(fn([1.0], [2.0]).statistic)


def test_pearson_of_scores_near_the_largest_float_is_finite_and_right():
    # The mean of such scores overflows; r is scale-free, so scipy on the scores divided by
    # 2**1000 (exact) is the oracle.
    x = np.array([1.7e308, 1.0e308, -1.5e308, 3e307, 1.1e308])
    y = np.array([1.0, 2.0, 3.0, 5.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = pearson(x, y)
    expected = scipy.stats.pearsonr(np.ldexp(x, -1000), y)
    assert got.statistic == pytest.approx(expected.statistic, abs=1e-15)
    assert got.pvalue == pytest.approx(expected.pvalue, abs=1e-15)
