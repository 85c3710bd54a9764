"""Confidence intervals for a gold set's correlation: bootstrap (percentile, BCa) and Fisher z.

A bootstrap resample of n scored pairs is stored as a count vector ``c`` (how
often each original pair was drawn), never as a copy of the pairs. Tie-averaged
ranks inside a resample then follow from the original sorted order without a
re-sort: the rank of a value is (counts of strictly smaller values) + (count of
equal values + 1) / 2, a cumulative sum over the sorted tie groups. Spearman's
rho of the resample is the count-weighted Pearson correlation of those ranks;
twice the centred ranks are integers, so every sum is exact in int64.
See docs/statistics.md.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from ._stats import pearson, spearman

__all__ = ["BootstrapResult", "bootstrap_correlation", "fisher_interval", "paired_bootstrap_delta"]

_STATISTICS = ("spearman", "pearson")
_METHODS = ("bca", "percentile")
# Counts handled per numpy pass: with 512 KB int64 arrays a block's working set stays near a
# core's L2 cache; twice as fast as 8 MB blocks on a 2-core EPYC (benchmarks/bootstrap_speed.py).
_BLOCK_ELEMENTS = 1 << 16
# int32 indices are about 5x faster to draw than int64 (numpy 2.4 gives the same values for
# both when n < 2**32, but that is not promised); scipy.stats.bootstrap draws int64, so the
# tests set int64 to compare intervals with scipy's on the very same resamples.
_INDEX_DTYPE = np.int32
_MAX_PAIRS = 1_000_000  # every int64 rank sum is at most n**3 in size, far from overflow


class BootstrapResult(NamedTuple):
    """A statistic with its bootstrap confidence interval.

    Attributes
    ----------
    statistic : float
        The correlation (or difference of correlations) on all pairs.
    low, high : float
        Bounds of the confidence interval; NaN when it cannot be computed.
    method : str
        ``"bca"`` or ``"percentile"``.
    level : float
        Confidence level, e.g. 0.95.
    n_resamples : int
        Resamples whose statistic is defined. Fewer than requested only when some
        resamples drew a constant column (tiny or heavily tied data).
    standard_error : float
        Standard deviation of the bootstrap distribution (ddof=1).
    """

    statistic: float
    low: float
    high: float
    method: str
    level: float
    n_resamples: int
    standard_error: float


# --------------------------------------------------------------------------- checks


def _scores(values, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of scores; got an array of shape {array.shape}")
    bad = int(np.count_nonzero(~np.isfinite(array)))
    if bad:
        raise ValueError(f"{name} has {bad} NaN or infinite score(s); drop those pairs before the bootstrap")
    return array


def _paired(**named) -> list[np.ndarray]:
    arrays = [_scores(values, name) for name, values in named.items()]
    lengths = {name: len(a) for name, a in zip(named, arrays, strict=True)}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"the score sequences must be paired (equal lengths); got lengths {lengths}")
    return arrays


def _options(statistic: str, level: float, n_resamples: int, method: str) -> None:
    if statistic not in _STATISTICS:
        raise ValueError(f"statistic must be one of {_STATISTICS}; got {statistic!r}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}")
    if not 0 < level < 1:
        raise ValueError(f"level is a probability in (0, 1), e.g. 0.95; got {level!r}")
    if int(n_resamples) != n_resamples or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, e.g. 10_000; got {n_resamples!r}")


# --------------------------------------------------------------------------- engine


class _Workspace:
    """Arrays reused from block to block.

    Fresh MB-sized arrays in every block cost page faults (the allocator hands them
    back to the OS on free), which made the bootstrap up to three times slower.
    """

    def __init__(self):
        self._arrays: dict = {}

    def __call__(self, name: str, shape: tuple[int, ...], dtype=np.int64) -> np.ndarray:
        key = (name, shape, np.dtype(dtype))
        if key not in self._arrays:
            self._arrays[key] = np.empty(shape, dtype=dtype)
        return self._arrays[key]


class _Ranks:
    """One variable's sorted order and tie groups, for ranking inside count-vector resamples."""

    def __init__(self, values: np.ndarray):
        self.order = np.argsort(values, kind="mergesort")
        ordered = values[self.order]
        new_group = np.r_[True, ordered[1:] != ordered[:-1]]
        self.starts = np.flatnonzero(new_group)  # sorted position where each tie group starts
        self.ends = np.r_[self.starts[1:], len(values)]  # ... and where it stops
        self.tied = len(self.starts) < len(values)
        self.group = np.empty(len(values), dtype=np.intp)  # each pair's tie group
        self.group[self.order] = np.cumsum(new_group) - 1
        self.work = _Workspace()

    def _cumulative(self, counts: np.ndarray, work=None) -> tuple[np.ndarray, np.ndarray]:
        """Counts in sorted order, and S with S[:, 0] = 0 and S[:, k] = draws among the k
        smallest values (B x (n + 1))."""
        rows, n = counts.shape
        work = work or self.work
        in_order = np.take(counts, self.order, axis=1, out=work("in_order", (rows, n), counts.dtype))
        cumulative = work("cumulative", (rows, n + 1), counts.dtype)
        cumulative[:, 0] = 0
        np.cumsum(in_order, axis=1, out=cumulative[:, 1:])
        return in_order, cumulative  # np.take: twice as fast as counts[:, order]

    def centred(self, counts: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Twice the centred tie-averaged ranks of every pair (B x n, int64) and their
        count-weighted sum of squares (B,). The first array is reused by the next call.

        A tie group at sorted positions [s, e) was drawn C = S[e] - S[s] times and its
        members rank S[s] + (C + 1) / 2; the mean rank of m draws is (m + 1) / 2, so
        2 * (rank - mean) = S[s] + S[e] - m, an integer.
        """
        rows, n = counts.shape
        in_order, cumulative = self._cumulative(counts)
        shape = (rows, len(self.starts))
        if self.tied:
            below = np.take(cumulative, self.starts, axis=1, out=self.work("below", shape, counts.dtype))
            through = np.take(cumulative, self.ends, axis=1, out=self.work("through", shape, counts.dtype))
            drawn = np.subtract(through, below, out=in_order[:, : shape[1]])
        else:
            below, through, drawn = cumulative[:, :-1], cumulative[:, 1:], in_order
        twice = np.add(below, through, out=self.work("twice", shape, counts.dtype))
        twice -= m[:, None]
        drawn *= twice
        squares = np.einsum("bg,bg->b", drawn, twice)
        return np.take(twice, self.group, axis=1, out=self.work("per_pair", (rows, n), counts.dtype)), squares

    def constant(self, counts: np.ndarray, m: np.ndarray, suspect: np.ndarray) -> np.ndarray:
        """Which resamples drew a single distinct value (B,), checked exactly where ``suspect``."""
        out = np.zeros(len(counts), dtype=bool)
        rows = np.flatnonzero(suspect)
        if len(rows):
            _, cumulative = self._cumulative(counts[rows], _Workspace())  # rare, odd shapes: not kept
            drawn = np.take(cumulative, self.ends, axis=1) - np.take(cumulative, self.starts, axis=1)
            out[rows] = drawn.max(axis=1) == m[rows]
        return out


class _Correlations:
    """rho(human, model_k) for many resamples at once, from a B x n count matrix."""

    def __init__(self, statistic: str, human: np.ndarray, models: list[np.ndarray]):
        if len(human) > _MAX_PAIRS:
            raise ValueError(
                f"the bootstrap handles up to {_MAX_PAIRS:,} pairs (its integer rank sums "
                f"would overflow beyond); got {len(human):,}"
            )
        self.statistic = statistic
        self.work = _Workspace()
        self.human = _Ranks(human)
        self.models = [_Ranks(model) for model in models]
        if statistic == "pearson":
            # Centred once, so that the count-weighted sums below lose little to cancellation.
            h = human - human.mean()
            columns = [h, h * h]
            for model in models:
                v = model - model.mean()
                columns += [v, v * v, h * v]
            self.columns = np.column_stack(columns)

    def __call__(self, counts: np.ndarray) -> np.ndarray:
        m = counts.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.statistic == "spearman":
                return self._spearman(counts, m)
            return self._pearson(counts, m)

    def _spearman(self, counts, m):
        h, h_squares = self.human.centred(counts, m)
        weighted_h = np.multiply(counts, h, out=h)
        out = []
        for model in self.models:
            v, v_squares = model.centred(counts, m)
            cross = np.einsum("bi,bi->b", weighted_h, v)
            out.append(cross / np.sqrt(h_squares.astype(np.float64) * v_squares))
        return np.array(out)

    def _pearson(self, counts, m):
        as_float = self.work("as_float", counts.shape, np.float64)
        np.copyto(as_float, counts)
        sums = as_float @ self.columns
        mf = m.astype(np.float64)
        sh, shh = sums[:, 0], sums[:, 1]
        var_h = shh - sh * sh / mf
        # A constant resample leaves only rounding noise in the variance: check those exactly.
        h_constant = self.human.constant(counts, m, var_h <= 1e-9 * shh)
        out = []
        for k, model in enumerate(self.models):
            sv, svv, shv = sums[:, 2 + 3 * k], sums[:, 3 + 3 * k], sums[:, 4 + 3 * k]
            var_v = svv - sv * sv / mf
            r = np.clip((shv - sh * sv / mf) / np.sqrt(var_h * var_v), -1.0, 1.0)
            r[h_constant | model.constant(counts, m, var_v <= 1e-9 * svv)] = np.nan  # as pearson()
            out.append(r)
        return np.array(out)


def _block_rows(n: int) -> int:
    return max(1, _BLOCK_ELEMENTS // max(n, 1))


def _resample_indices(rng: np.random.Generator, n: int, n_resamples: int):
    """Blocks of resamples as index arrays (rows of n draws with replacement)."""
    rows = _block_rows(n)
    for start in range(0, n_resamples, rows):
        yield rng.integers(0, n, (min(rows, n_resamples - start), n), dtype=_INDEX_DTYPE)


def _counts(indices: np.ndarray) -> np.ndarray:
    rows, n = indices.shape
    flat = (indices + (np.arange(rows) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=rows * n).reshape(rows, n)


def _bootstrap_distribution(correlations: _Correlations, n: int, n_resamples: int, rng) -> np.ndarray:
    """Statistic per model (rows) and resample (columns)."""
    blocks = [correlations(_counts(indices)) for indices in _resample_indices(rng, n, n_resamples)]
    return np.concatenate(blocks, axis=1)


def _jackknife(correlations: _Correlations, n: int) -> np.ndarray:
    """Leave-one-out statistics per model (rows): count vectors of ones with one zero."""
    rows = _block_rows(n)
    blocks = []
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        counts = np.ones((stop - start, n), dtype=np.int64)
        counts[np.arange(stop - start), np.arange(start, stop)] = 0
        blocks.append(correlations(counts))
    return np.concatenate(blocks, axis=1)


def _observed(correlations: _Correlations, n: int) -> np.ndarray:
    return correlations(np.ones((1, n), dtype=np.int64))[:, 0]


# --------------------------------------------------------------------------- intervals


def _interval(theta_hat: float, distribution: np.ndarray, jackknife, level: float, method: str):
    """(low, high, n_defined, standard_error), as scipy.stats.bootstrap computes them."""
    defined = distribution[~np.isnan(distribution)]
    size = len(defined)
    se = float(np.std(defined, ddof=1)) if size > 1 else math.nan
    if size == 0 or math.isnan(theta_hat):
        return math.nan, math.nan, size, se
    alpha = (1 - level) / 2
    if method == "percentile":
        quantiles = [alpha, 1 - alpha]
    else:
        # Efron & Tibshirani (1993) 14.3: bias correction from the share of resamples below
        # the estimate, acceleration from the skewness of the jackknife.
        share = (np.count_nonzero(defined < theta_hat) + np.count_nonzero(defined <= theta_hat)) / (2 * size)
        jack = jackknife()
        if not 0 < share < 1 or np.isnan(jack).any():
            return math.nan, math.nan, size, se
        normal = NormalDist()
        z0 = normal.inv_cdf(share)
        d = jack.mean() - jack
        spread = float(np.sum(d * d))
        accel = float(np.sum(d * d * d)) / (6 * spread**1.5) if spread > 0 else 0.0
        quantiles = []
        for z in (normal.inv_cdf(alpha), -normal.inv_cdf(alpha)):
            denominator = 1 - accel * (z0 + z)
            if denominator == 0:
                return math.nan, math.nan, size, se
            quantiles.append(normal.cdf(z0 + (z0 + z) / denominator))
    low, high = np.quantile(defined, quantiles)
    return float(low), float(high), size, se


def _bootstrap(statistic, human, models, combine, level, n_resamples, method, seed) -> BootstrapResult:
    """``combine`` turns per-model correlations (rows) into the statistic of interest."""
    n = len(human)
    function = spearman if statistic == "spearman" else pearson
    if n < 2:
        theta = math.nan
    else:
        theta = float(combine(np.array([function(human, model, pvalue=False).statistic for model in models])))
    if n < 3 or math.isnan(theta):
        return BootstrapResult(theta, math.nan, math.nan, method, level, 0, math.nan)
    correlations = _Correlations(statistic, human, models)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    distribution = combine(_bootstrap_distribution(correlations, n, n_resamples, rng))
    # The estimate for BCa's bias correction comes from the same arithmetic as the resamples.
    low, high, size, se = _interval(
        float(combine(_observed(correlations, n))),
        distribution,
        lambda: combine(_jackknife(correlations, n)),
        level,
        method,
    )
    return BootstrapResult(theta, low, high, method, level, size, se)


def bootstrap_correlation(
    human,
    model,
    *,
    statistic: str = "spearman",
    level: float = 0.95,
    n_resamples: int = 10_000,
    method: str = "bca",
    seed=None,
) -> BootstrapResult:
    """Confidence interval of a correlation by resampling scored pairs.

    Pairs are resampled with replacement (the same draw for both scores); each
    resample's ranks are exact tie-averaged ranks. 10,000 resamples of 999 pairs
    take a fraction of a second.

    Parameters
    ----------
    human, model : array-like of float
        Paired scores: gold-set ratings and the model's similarities.
    statistic : {"spearman", "pearson"}
    level : float
        Confidence level, in (0, 1).
    n_resamples : int
    method : {"bca", "percentile"}
        Bias-corrected and accelerated (Efron & Tibshirani 1993, 14.3, as
        scipy.stats.bootstrap) or plain quantiles of the resampled statistics.
    seed : int, numpy.random.Generator or None
        The same seed gives the same interval.

    Returns
    -------
    BootstrapResult
        Bounds are NaN for fewer than 3 pairs, a constant input, or when no
        resample has a defined statistic.

    Examples
    --------
    >>> human = [1.0, 2.5, 3.0, 4.5, 5.0, 6.0, 7.5, 8.0, 9.0, 9.5]
    >>> model = [0.1, 0.3, 0.2, 0.5, 0.4, 0.6, 0.8, 0.7, 0.9, 0.95]
    >>> res = bootstrap_correlation(human, model, n_resamples=2000, seed=1)
    >>> round(res.statistic, 3)
    0.964
    >>> bool(res.low <= res.statistic <= res.high <= 1)
    True
    """
    _options(statistic, level, n_resamples, method)
    human, model = _paired(human=human, model=model)
    return _bootstrap(statistic, human, [model], lambda rows: rows[0], level, int(n_resamples), method, seed)


def paired_bootstrap_delta(
    human,
    model_a,
    model_b,
    *,
    statistic: str = "spearman",
    level: float = 0.95,
    n_resamples: int = 10_000,
    method: str = "percentile",
    seed=None,
) -> BootstrapResult:
    """Confidence interval of rho(human, a) - rho(human, b) from shared resamples.

    Both models are scored on the same resampled pairs, so the interval reflects
    how much their *difference* varies, not each correlation on its own.

    Parameters
    ----------
    human, model_a, model_b : array-like of float
        Gold-set ratings and the two models' similarities for the same pairs.
    statistic, level, n_resamples, method, seed
        As in :func:`bootstrap_correlation`.

    Returns
    -------
    BootstrapResult
        ``statistic`` is the difference on all pairs; an interval excluding 0 says
        the models differ on this gold set at that level.

    Examples
    --------
    >>> human = [1.0, 2.5, 3.0, 4.5, 5.0, 6.0, 7.5, 8.0, 9.0, 9.5]
    >>> a = [0.1, 0.3, 0.2, 0.5, 0.4, 0.6, 0.8, 0.7, 0.9, 0.95]
    >>> paired_bootstrap_delta(human, a, a, seed=0)[:3]
    (0.0, 0.0, 0.0)
    """
    _options(statistic, level, n_resamples, method)
    human, model_a, model_b = _paired(human=human, model_a=model_a, model_b=model_b)
    return _bootstrap(
        statistic,
        human,
        [model_a, model_b],
        lambda rows: rows[0] - rows[1],
        level,
        int(n_resamples),
        method,
        seed,
    )


def fisher_interval(
    r: float, n: int, *, level: float = 0.95, statistic: str = "pearson"
) -> tuple[float, float]:
    """Closed-form confidence interval of a correlation through Fisher's z = atanh(r).

    The standard error of z is 1/sqrt(n - 3) for Pearson's r and
    sqrt(1.06 / (n - 3)) for Spearman's rho (Fieller, Hartley & Pearson 1957).
    Assumes roughly bivariate-normal scores; NaN for n <= 3 or a NaN r.

    Examples
    --------
    >>> [round(b, 4) for b in fisher_interval(0.6, 100)]
    [0.4575, 0.7125]
    >>> [round(b, 4) for b in fisher_interval(0.6, 100, statistic="spearman")]
    [0.4528, 0.7153]
    """
    if statistic not in _STATISTICS:
        raise ValueError(f"statistic must be one of {_STATISTICS}; got {statistic!r}")
    if not 0 < level < 1:
        raise ValueError(f"level is a probability in (0, 1), e.g. 0.95; got {level!r}")
    r = float(r)
    if math.isnan(r) or n <= 3:
        return math.nan, math.nan
    if not -1 <= r <= 1:
        raise ValueError(f"a correlation lies in [-1, 1]; got r={r!r}")
    if abs(r) == 1:
        return r, r
    se = math.sqrt((1.06 if statistic == "spearman" else 1.0) / (n - 3))
    half = NormalDist().inv_cdf((1 + level) / 2) * se
    z = math.atanh(r)
    return math.tanh(z - half), math.tanh(z + half)
