"""Bootstrap and Fisher intervals, paired differences, dependent-correlation tests, Holm."""

import math
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from w2veval.scoring import _bootstrap
from w2veval.scoring._bootstrap import (
    BootstrapResult,
    _bootstrap_distribution,
    _Correlations,
    _counts,
    _jackknife,
    _resample_indices,
    bootstrap_correlation,
    fisher_interval,
    paired_bootstrap_delta,
)
from w2veval.scoring._significance import holm, steiger_z, williams_t

NAIVE = {"spearman": scipy.stats.spearmanr, "pearson": scipy.stats.pearsonr}


def _simlex_like(n, seed=0):
    """Human scores on SimLex's 0-10 scale with one decimal (many ties), and a noisy model."""
    rng = np.random.default_rng(seed)
    human = np.round(rng.uniform(0, 10, n), 1)
    model = np.round(0.05 * human + rng.normal(0, 0.25, n), 2)  # ties on the model side too
    return human, model


def _naive(statistic, x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on constant resamples, then returns NaN
        return float(NAIVE[statistic](x, y).statistic)


def _fast_and_naive(statistic, human, models, n_resamples, seed):
    """The fast distribution and scipy on the very same materialised resamples."""
    fast = _bootstrap_distribution(
        _Correlations(statistic, human, models), len(human), n_resamples, np.random.default_rng(seed)
    )
    indices = np.vstack(list(_resample_indices(np.random.default_rng(seed), len(human), n_resamples)))
    naive = np.array([[_naive(statistic, human[i], model[i]) for i in indices] for model in models])
    return fast, naive


def _assert_same(fast, naive):
    assert fast.shape == naive.shape
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(naive))
    assert np.nanmax(np.abs(fast - naive), initial=0.0) <= 1e-12


# --------------------------------------------------------------------------- the fast engine


@pytest.mark.parametrize("statistic", ["spearman", "pearson"])
@pytest.mark.parametrize("block_elements", [1 << 16, 1000])  # one block; 50 blocks, the last partial
def test_fast_bootstrap_equals_scipy_on_the_same_resamples(statistic, block_elements, monkeypatch):
    monkeypatch.setattr(_bootstrap, "_BLOCK_ELEMENTS", block_elements)
    human, model = _simlex_like(120)
    fast, naive = _fast_and_naive(statistic, human, [model], 400, seed=11)
    _assert_same(fast, naive)


@pytest.mark.parametrize("statistic", ["spearman", "pearson"])
def test_jackknife_equals_scipy_leave_one_out(statistic, monkeypatch):
    monkeypatch.setattr(_bootstrap, "_BLOCK_ELEMENTS", 1000)  # several blocks
    human, model = _simlex_like(90, seed=3)
    fast = _jackknife(_Correlations(statistic, human, [model]), len(human))[0]
    naive = [_naive(statistic, np.delete(human, i), np.delete(model, i)) for i in range(len(human))]
    _assert_same(fast, np.array(naive))


@pytest.mark.parametrize("statistic", ["spearman", "pearson"])
def test_constant_resamples_are_nan_as_in_scipy(statistic):
    human = np.array([1.0, 1.0, 1.0, 1.0, 2.0, 3.0])  # many resamples draw only 1.0
    model = np.array([0.5, 0.1, 0.9, 0.3, 0.7, 0.2])
    fast, naive = _fast_and_naive(statistic, human, [model], 300, seed=2)
    assert np.isnan(fast).sum() > 10
    _assert_same(fast, naive)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(-3, 3)), min_size=3, max_size=40),
    st.integers(0, 2**32 - 1),
)
def test_fast_equals_naive_on_random_tied_data(pairs, seed):
    human = np.array([p[0] for p in pairs], dtype=float)
    model = np.array([p[1] for p in pairs], dtype=float)
    for statistic in NAIVE:
        fast, naive = _fast_and_naive(statistic, human, [model, -model], 25, seed)
        _assert_same(fast, naive)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.floats(-5, 5).map(lambda v: round(v, 1))), min_size=3, max_size=40
    ),
    st.randoms(use_true_random=False),
)
def test_engine_does_not_depend_on_pair_order(pairs, rnd):
    """Permuting the pairs and the count vectors alike changes no resample's statistic."""
    human = np.array([p[0] for p in pairs], dtype=float)
    model = np.array([p[1] for p in pairs], dtype=float)
    order = list(range(len(pairs)))
    rnd.shuffle(order)
    counts = _counts(np.random.default_rng(rnd.randrange(2**32)).integers(0, len(pairs), (30, len(pairs))))
    for statistic in NAIVE:
        base = _Correlations(statistic, human, [model])(counts)
        shuffled = _Correlations(statistic, human[order], [model[order]])(counts[:, order])
        np.testing.assert_array_equal(np.isnan(base), np.isnan(shuffled))
        np.testing.assert_allclose(base, shuffled, rtol=0, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers(-10, 10)), min_size=3, max_size=50),
    st.integers(0, 1000),
    st.sampled_from(["bca", "percentile"]),
)
def test_spearman_bootstrap_ignores_monotone_rescaling(pairs, seed, method):
    human = np.array([p[0] for p in pairs], dtype=float)
    model = np.array([p[1] for p in pairs], dtype=float)
    base = bootstrap_correlation(human, model, n_resamples=200, method=method, seed=seed)
    rescaled = bootstrap_correlation(
        3 * np.exp(human / 5) + 1, np.arctan(model), n_resamples=200, method=method, seed=seed
    )
    # Only the ranks enter, through exact integer sums: the results are identical.
    assert rescaled[1:] == pytest.approx(base[1:], nan_ok=True, abs=0)


# --------------------------------------------------------------------------- intervals


@pytest.mark.parametrize("statistic", ["spearman", "pearson"])
@pytest.mark.parametrize("method", ["bca", "percentile"])
def test_interval_equals_scipy_stats_bootstrap(statistic, method, monkeypatch):
    """With scipy's int64 draws, the resamples are scipy.stats.bootstrap's, and so is the interval."""
    monkeypatch.setattr(_bootstrap, "_INDEX_DTYPE", np.int64)
    human, model = _simlex_like(40, seed=5)
    ours = bootstrap_correlation(human, model, statistic=statistic, method=method, n_resamples=1000, seed=3)
    theirs = scipy.stats.bootstrap(
        (human, model),
        lambda x, y: NAIVE[statistic](x, y).statistic,
        paired=True,
        vectorized=False,
        n_resamples=1000,
        method="BCa" if method == "bca" else "percentile",
        rng=np.random.default_rng(3),
    )
    assert ours.low == pytest.approx(theirs.confidence_interval.low, abs=1e-12)
    assert ours.high == pytest.approx(theirs.confidence_interval.high, abs=1e-12)
    assert ours.standard_error == pytest.approx(theirs.standard_error, abs=1e-12)
    assert ours.n_resamples == 1000


@pytest.fixture(scope="module")
def simlex_scored(w2v_model, cbow_model):
    """SimLex-999 (gensim's copy) pairs that both Lee-corpus models know (240 pairs): human
    scores, skip-gram cosines and CBOW cosines."""
    from gensim.test.utils import datapath

    rows = []
    with open(datapath("simlex999.txt"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            a, b, score = line.rstrip("\n").split("\t")
            a, b = a.lower(), b.lower()
            if all(w in model.wv for w in (a, b) for model in (w2v_model, cbow_model)):
                rows.append((float(score), w2v_model.wv.similarity(a, b), cbow_model.wv.similarity(a, b)))
    return tuple(np.array(column, dtype=np.float64) for column in zip(*rows, strict=True))


@pytest.mark.parametrize("statistic", ["spearman", "pearson"])
@pytest.mark.parametrize("method", ["bca", "percentile"])
def test_interval_on_real_scores_contains_estimate_and_is_reproducible(simlex_scored, statistic, method):
    human, cosine, _ = simlex_scored
    assert len(human) == 240
    options = {"statistic": statistic, "method": method, "n_resamples": 2000}
    first = bootstrap_correlation(human, cosine, **options, seed=42)
    again = bootstrap_correlation(human, cosine, **options, seed=42)
    other = bootstrap_correlation(human, cosine, **options, seed=43)
    assert isinstance(first, BootstrapResult)
    assert first == again
    assert first != other
    function = {"spearman": scipy.stats.spearmanr, "pearson": scipy.stats.pearsonr}[statistic]
    assert first.statistic == pytest.approx(function(human, cosine).statistic, abs=1e-12)
    assert -1 <= first.low < first.statistic < first.high <= 1
    assert (first.method, first.level, first.n_resamples) == (method, 0.95, 2000)
    # The bootstrap and the closed form broadly agree at n = 240.
    f_low, f_high = fisher_interval(first.statistic, len(human), statistic=statistic)
    assert first.high - first.low == pytest.approx(f_high - f_low, rel=0.35)


def test_seed_may_be_a_generator_and_none_draws_fresh():
    human, model = _simlex_like(50)
    a = bootstrap_correlation(human, model, n_resamples=300, seed=np.random.default_rng(9))
    assert a == bootstrap_correlation(human, model, n_resamples=300, seed=9)
    assert bootstrap_correlation(human, model, n_resamples=300).n_resamples == 300


def test_higher_level_gives_wider_interval():
    human, model = _simlex_like(80)
    narrow = bootstrap_correlation(human, model, level=0.80, n_resamples=1000, seed=1)
    wide = bootstrap_correlation(human, model, level=0.99, n_resamples=1000, seed=1)
    assert wide.low < narrow.low < narrow.high < wide.high


@pytest.mark.parametrize(("statistic", "method"), [("spearman", "bca"), ("pearson", "percentile")])
def test_coverage_on_bivariate_normal_data(statistic, method):
    """200 samples of 60 pairs with rho = 0.5: the 95% interval covers the population value
    in roughly 90-99% of them (it is 0.975 for Spearman/BCa and 0.95 for Pearson/percentile with
    these seeds; 200 simulations cannot pin coverage closer than about +-3%)."""
    true = {"pearson": 0.5, "spearman": 6 / math.pi * math.asin(0.5 / 2)}[statistic]
    rng = np.random.default_rng(2024)
    covered = 0
    for k in range(200):
        x, y = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], 60).T
        res = bootstrap_correlation(x, y, statistic=statistic, method=method, n_resamples=1000, seed=k)
        covered += res.low <= true <= res.high
    assert 0.89 <= covered / 200 <= 0.99


@pytest.mark.parametrize("method", ["bca", "percentile"])
@pytest.mark.parametrize(
    ("human", "model"),
    [
        ([], []),
        ([1.0], [2.0]),
        ([1.0, 2.0], [2.0, 1.0]),  # n < 3
        ([3.0, 3.0, 3.0, 3.0], [1.0, 2.0, 3.0, 4.0]),  # constant human scores
        ([1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0]),  # constant model
    ],
)
def test_degenerate_input_gives_nan_bounds(human, model, method):
    res = bootstrap_correlation(human, model, method=method, n_resamples=200, seed=0)
    assert math.isnan(res.low) and math.isnan(res.high) and math.isnan(res.standard_error)
    assert res.n_resamples == 0
    delta = paired_bootstrap_delta(human, model, model, method=method, n_resamples=200, seed=0)
    assert math.isnan(delta.low) and math.isnan(delta.high)


def test_bca_gives_nan_when_a_jackknife_sample_is_constant_but_percentile_works():
    human, model = [1.0, 1.0, 1.0, 1.0, 2.0], [1.0, 2.0, 3.0, 4.0, 5.0]
    bca = bootstrap_correlation(human, model, n_resamples=500, seed=0)
    percentile = bootstrap_correlation(human, model, n_resamples=500, seed=0, method="percentile")
    assert math.isnan(bca.low) and math.isnan(bca.high)
    assert percentile.low <= percentile.statistic <= percentile.high
    assert 0 < percentile.n_resamples < 500  # resamples of only 1.0 are left out, and counted


def test_perfect_agreement_gives_a_point_interval():
    res = bootstrap_correlation([1, 2, 3, 4, 5], [10, 20, 30, 40, 50], n_resamples=300, seed=0)
    assert (res.low, res.high, res.standard_error) == (1.0, 1.0, 0.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bootstrap_correlation([1, 2, 3], [1, 2]), "equal lengths"),
        (lambda: bootstrap_correlation([1, 2, math.nan], [1, 2, 3]), "1 NaN or infinite"),
        (lambda: bootstrap_correlation([[1, 2]], [[1, 2]]), "1-D"),
        (lambda: bootstrap_correlation([1, 2, 3], [1, 2, 3], statistic="kendall"), "statistic must be"),
        (lambda: bootstrap_correlation([1, 2, 3], [1, 2, 3], method="basic"), "method must be"),
        (lambda: bootstrap_correlation([1, 2, 3], [1, 2, 3], level=95), "level is a probability"),
        (lambda: bootstrap_correlation([1, 2, 3], [1, 2, 3], n_resamples=0), "positive integer"),
        (lambda: fisher_interval(1.2, 50), r"\[-1, 1\]"),
        (lambda: steiger_z(0.9, -0.9, 0.9, 50), "cannot all come from"),
        (lambda: holm([0.5, 1.5]), r"\[0, 1\]"),
    ],
)
def test_bad_arguments_fail_with_a_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- Fisher z


def test_fisher_interval_by_hand():
    # r = 0.6, n = 100: z = atanh(0.6) = 0.693147, se = 1/sqrt(97) = 0.101535,
    # z +- 1.959964 * se = [0.494143, 0.892151], tanh of those = [0.457498, 0.712455].
    low, high = fisher_interval(0.6, 100)
    assert (low, high) == pytest.approx((0.457498, 0.712455), abs=1e-6)
    # Spearman: se = sqrt(1.06/97) = 0.104536; z +- 0.204886 -> tanh = [0.452834, 0.715340].
    assert fisher_interval(0.6, 100, statistic="spearman") == pytest.approx((0.452834, 0.715340), abs=1e-6)
    # 90%: z_0.95 = 1.644854; z +- 0.167010 = [0.526138, 0.860157] -> tanh = [0.482423, 0.696338].
    assert fisher_interval(0.6, 100, level=0.90) == pytest.approx((0.482423, 0.696338), abs=1e-6)


def test_fisher_interval_edges():
    assert all(math.isnan(b) for b in fisher_interval(0.5, 3))
    assert all(math.isnan(b) for b in fisher_interval(math.nan, 100))
    assert fisher_interval(1.0, 50) == (1.0, 1.0)
    low, high = fisher_interval(-0.3, 50)
    assert (-high, -low) == pytest.approx(fisher_interval(0.3, 50), abs=1e-15)


# --------------------------------------------------------------------------- paired difference


@pytest.mark.parametrize("statistic", ["spearman", "pearson"])
@pytest.mark.parametrize("method", ["bca", "percentile"])
def test_delta_of_a_model_with_itself_is_exactly_zero(simlex_scored, statistic, method):
    human, cosine, _ = simlex_scored
    res = paired_bootstrap_delta(
        human, cosine, cosine, statistic=statistic, method=method, n_resamples=500, seed=1
    )
    assert (res.statistic, res.low, res.high, res.standard_error) == (0.0, 0.0, 0.0, 0.0)


def test_delta_uses_the_same_resamples_for_both_models(simlex_scored):
    human, skipgram, cbow = simlex_scored
    res = paired_bootstrap_delta(human, skipgram, cbow, n_resamples=2000, seed=4)
    rho_a = scipy.stats.spearmanr(human, skipgram).statistic
    rho_b = scipy.stats.spearmanr(human, cbow).statistic
    assert res.statistic == pytest.approx(rho_a - rho_b, abs=1e-12)
    assert res.low < res.statistic < res.high
    # Swapping the models mirrors the percentile interval.
    swapped = paired_bootstrap_delta(human, cbow, skipgram, n_resamples=2000, seed=4)
    assert (swapped.low, swapped.high) == pytest.approx((-res.high, -res.low), abs=1e-12)


def test_similar_models_differ_far_less_than_their_separate_intervals_suggest(simlex_scored):
    """Two close variants of one model (as two hyper-parameter settings often are): their
    separate 95% intervals overlap almost entirely, yet the paired interval of the
    difference is several times narrower than two independent ones would be."""
    human, skipgram, _ = simlex_scored
    # The cosines of these small models bunch near 0.98, so perturb ranks, not values.
    variant = scipy.stats.rankdata(skipgram) + np.random.default_rng(0).normal(0, 15, len(skipgram))
    assert scipy.stats.spearmanr(skipgram, variant).statistic > 0.95
    a = bootstrap_correlation(human, skipgram, n_resamples=2000, seed=4, method="percentile")
    b = bootstrap_correlation(human, variant, n_resamples=2000, seed=4, method="percentile")
    delta = paired_bootstrap_delta(human, skipgram, variant, n_resamples=2000, seed=4)
    assert a.low < b.high and b.low < a.high
    assert delta.standard_error < 0.5 * math.hypot(a.standard_error, b.standard_error)


def test_paired_delta_bca_matches_scipy_stats_bootstrap(simlex_scored, monkeypatch):
    monkeypatch.setattr(_bootstrap, "_INDEX_DTYPE", np.int64)
    human, skipgram, cbow = simlex_scored

    def delta(h, a, b):
        return scipy.stats.spearmanr(h, a).statistic - scipy.stats.spearmanr(h, b).statistic

    ours = paired_bootstrap_delta(human, skipgram, cbow, method="bca", n_resamples=300, seed=8)
    theirs = scipy.stats.bootstrap(
        (human, skipgram, cbow),
        delta,
        paired=True,
        vectorized=False,
        n_resamples=300,
        method="BCa",
        rng=np.random.default_rng(8),
    )
    assert (ours.low, ours.high) == pytest.approx(tuple(theirs.confidence_interval), abs=1e-12)


# --------------------------------------------------------------------------- dependent correlations

# Published values as collected, with their sources, in the test suite of the R package
# cocor (Diedenhofen & Musch 2015; tests/testthat/tests.r). We did not re-read the original papers.
MENG_1992 = [
    # Meng, Rosenthal & Rubin (1992, p. 173) worked example: z = 1.68, one-sided p = .047.
    ((0.63, -0.03, -0.19, 15), 1.68, 2),
    # DEPCOR (Silver, Hittner & May 2006): z = -1.0707, two-sided p = .2843.
    ((0.3, 0.4, 0.5, 100), -1.0707, 4),
    # May & Hittner (1997), r_jk = .5, r_jh = .2, n = 50, r_kh from 0 to .8.
    *[
        ((0.5, 0.2, c, 50), z, 2)
        for c, z in [
            (0.0, 1.62),
            (0.1, 1.70),
            (0.2, 1.80),
            (0.3, 1.91),
            (0.4, 2.06),
            (0.6, 2.50),
            (0.7, 2.87),
            (0.8, 3.50),
        ]
    ],
    ((0.5, 0.2, 0.5, 50), 2.245, 3),
    *[
        ((0.7, 0.4, c, 50), z, 2)
        for c, z in [
            (0.0, 2.03),
            (0.1, 2.10),
            (0.2, 2.20),
            (0.3, 2.32),
            (0.4, 2.47),
            (0.5, 2.66),
            (0.6, 2.94),
            (0.7, 3.35),
            (0.8, 4.05),
        ]
    ],
]


@pytest.mark.parametrize(("args", "expected", "digits"), MENG_1992)
def test_steiger_z_matches_published_values(args, expected, digits):
    z, p = steiger_z(*args)
    assert round(z, digits) == expected
    assert p == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), abs=1e-15)


def test_steiger_z_published_p_values():
    assert round(steiger_z(0.63, -0.03, -0.19, 15)[1] / 2, 3) == 0.047  # one-sided in the paper
    assert round(steiger_z(0.3, 0.4, 0.5, 100)[1], 4) == 0.2843


def test_williams_t_matches_depcor():
    # DEPCOR (Silver, Hittner & May 2006), via cocor's tests: t = -1.0767, p = .2843, df = 97.
    t, p = williams_t(0.3, 0.4, 0.5, 100)
    assert (round(t, 4), round(p, 4)) == (-1.0767, 0.2843)


def test_williams_t_by_hand():
    # r_ha = .5, r_hb = .2, r_ab = .3, n = 50: |R| = 1 + 2(.5)(.2)(.3) - .25 - .04 - .09 = 0.68,
    # rbar = .35, t = .3 * sqrt(63.7 / (1.417872 + 0.042018)) = .3 * sqrt(43.6332) = 1.9817.
    t, p = williams_t(0.5, 0.2, 0.3, 50)
    expected = 0.3 * math.sqrt(49 * 1.3 / (2 * 49 / 47 * 0.68 + 0.35**2 * 0.7**3))
    assert t == pytest.approx(expected, rel=1e-12)
    assert round(t, 4) == 1.9817
    assert p == pytest.approx(2 * scipy.stats.t.sf(t, 47), rel=1e-10)


@pytest.mark.parametrize("test", [steiger_z, williams_t])
def test_a_model_against_itself_is_no_difference(test):
    assert test(0.42, 0.42, 1.0, 240) == (0.0, 1.0)
    assert test(0.42, 0.42, 0.7, 240) == (0.0, 1.0)
    assert all(math.isnan(v) for v in test(0.5, 0.4, 0.3, 3))
    assert all(math.isnan(v) for v in test(math.nan, 0.4, 0.3, 100))


def test_steiger_and_the_paired_bootstrap_agree_on_real_models(simlex_scored):
    human, skipgram, cbow = simlex_scored
    r_ha = scipy.stats.spearmanr(human, skipgram).statistic
    r_hb = scipy.stats.spearmanr(human, cbow).statistic
    r_ab = scipy.stats.spearmanr(skipgram, cbow).statistic
    z, p = steiger_z(r_ha, r_hb, r_ab, len(human))
    t, p_t = williams_t(r_ha, r_hb, r_ab, len(human))
    assert (z > 0) == (t > 0) == (r_ha > r_hb)
    assert p == pytest.approx(p_t, abs=0.02)
    delta = paired_bootstrap_delta(human, skipgram, cbow, level=0.95, n_resamples=2000, seed=0)
    assert (p < 0.05) == (not delta.low <= 0 <= delta.high)


correlation = st.floats(-0.95, 0.95)


@settings(max_examples=150, deadline=None)
@given(correlation, correlation, correlation, st.integers(4, 5000))
def test_tests_are_antisymmetric_and_p_is_a_probability(r_ha, r_hb, r_ab, n):
    assume(1 + 2 * r_ha * r_hb * r_ab - r_ha**2 - r_hb**2 - r_ab**2 > 1e-6)
    for test in (steiger_z, williams_t):
        stat, p = test(r_ha, r_hb, r_ab, n)
        swapped, p_swapped = test(r_hb, r_ha, r_ab, n)
        assert swapped == pytest.approx(-stat, rel=1e-12, abs=1e-300)
        assert p == pytest.approx(p_swapped, rel=1e-12)
        assert 0 <= p <= 1
        assert (stat > 0) == (r_ha > r_hb)


@settings(max_examples=100, deadline=None)
@given(correlation, correlation, correlation, st.integers(4, 2000), st.integers(1, 2000))
def test_evidence_grows_with_n(r_ha, r_hb, r_ab, n, more):
    assume(1 + 2 * r_ha * r_hb * r_ab - r_ha**2 - r_hb**2 - r_ab**2 > 1e-6)
    assume(abs(r_ha - r_hb) > 1e-3)
    for test in (steiger_z, williams_t):
        small, p_small = test(r_ha, r_hb, r_ab, n)
        large, p_large = test(r_ha, r_hb, r_ab, n + more)
        assert abs(large) > abs(small)
        assert p_large <= p_small


def test_williams_and_meng_agree_near_the_null():
    # Different approximations, but close when the two correlations are close.
    for args in [(0.50, 0.45, 0.6), (0.30, 0.32, 0.5), (0.70, 0.65, 0.8)]:
        _, p = steiger_z(*args, 1000)
        _, p_t = williams_t(*args, 1000)
        assert p_t == pytest.approx(p, abs=0.002)


# --------------------------------------------------------------------------- Holm


def test_holm_by_hand():
    # Sorted: .005*4 = .02, .01*3 = .03, .03*2 = .06, .04*1 = .04 -> running max .06.
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-15)
    # Capped at 1; NaN stays NaN and is not counted (m = 3 here).
    adjusted = holm([0.2, math.nan, 0.6, 0.01])
    assert adjusted[[0, 2, 3]] == pytest.approx([0.4, 0.6, 0.03], abs=1e-15)
    assert math.isnan(adjusted[1])
    assert holm([0.5, 0.6]).tolist() == [1.0, 1.0]
    assert holm([]).shape == (0,)
    assert holm([0.02]).tolist() == [0.02]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 1), st.just(math.nan)), max_size=30))
def test_holm_properties(pvalues):
    p = np.array(pvalues, dtype=float)
    adjusted = holm(p)
    np.testing.assert_array_equal(np.isnan(adjusted), np.isnan(p))
    present = ~np.isnan(p)
    assert np.all(adjusted[present] >= p[present]) and np.all(adjusted[present] <= 1)
    m = int(present.sum())
    assert np.all(adjusted[present] <= np.minimum(1, m * p[present]) + 1e-15)  # never above Bonferroni
    order = np.argsort(p[present], kind="stable")
    assert np.all(np.diff(adjusted[present][order]) >= 0)  # keeps the order of the raw p-values


def test_holm_matches_statsmodels_when_installed():
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    p = np.array([0.001, 0.2, 0.013, 0.04, 0.04, 0.9])
    np.testing.assert_allclose(holm(p), multitest.multipletests(p, method="holm")[1], rtol=1e-12)
