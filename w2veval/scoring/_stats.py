"""Correlation coefficients and their p-values, computed as scipy.stats computes them.

scipy.stats costs about 0.7 s to import, more than scoring a 400k-word file;
these functions use numpy and ``scipy.special`` only and are tested against
``scipy.stats.spearmanr``, ``pearsonr`` and ``kendalltau``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

__all__ = ["Correlation", "kendall", "pearson", "rankdata", "spearman"]


class Correlation(NamedTuple):
    """A correlation coefficient and its two-sided p-value (NaN when undefined)."""

    statistic: float
    pvalue: float


_NAN = Correlation(math.nan, math.nan)


def rankdata(values) -> np.ndarray:
    """Ranks starting at 1, ties given the average of their ranks.

    Examples
    --------
    >>> rankdata([10, 20, 10, 30]).tolist()
    [1.5, 3.0, 1.5, 4.0]
    """
    values = np.asarray(values)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    new_group = np.r_[True, ordered[1:] != ordered[:-1]]
    dense = np.cumsum(new_group)
    bounds = np.r_[np.flatnonzero(new_group), len(values)]
    average = 0.5 * (bounds[1:] + bounds[:-1] + 1)  # mean of 1-based ranks per group
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = average[dense - 1]
    return ranks


def _betaincc(a: float, b: float, x: float) -> float:
    from scipy.special import betaincc

    return float(betaincc(a, b, x))


def _within_range(values: np.ndarray) -> np.ndarray:
    """``values`` scaled by a power of two (exact) when their sum could overflow.

    r does not change with the scale; scores near 1.7e308 would otherwise make the mean inf.
    """
    largest = float(np.max(np.abs(values)))
    if largest < 2.0**960:
        return values
    return np.ldexp(values, -math.frexp(largest)[1])


def pearson(x, y, pvalue: bool = True) -> Correlation:
    """Pearson's r and its p-value (exact, beta distribution), as scipy.stats.pearsonr."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    if n < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return _NAN  # a constant input has no correlation
    x, y = _within_range(x), _within_range(y)
    xm = x - x.mean()
    ym = y - y.mean()
    # Scaled as scipy scales them, so that r agrees to the last bit.
    xnorm = np.max(np.abs(xm)) * np.linalg.norm(xm / np.max(np.abs(xm)))
    ynorm = np.max(np.abs(ym)) * np.linalg.norm(ym / np.max(np.abs(ym)))
    vecdot = getattr(np, "vecdot", np.dot)
    r = float(np.clip(vecdot(xm / xnorm, ym / ynorm), -1.0, 1.0))
    if n == 2 or not pvalue:
        return Correlation(r, 1.0 if n == 2 else math.nan)
    ab = n / 2 - 1
    p = 2 * _betaincc(ab, ab, 0.5 * (1 + abs(r)))
    return Correlation(r, min(p, 1.0))


def spearman(x, y, pvalue: bool = True) -> Correlation:
    """Spearman's rho (Pearson on tie-averaged ranks) and its t-test p-value."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    if n < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return _NAN
    rho = float(np.corrcoef(rankdata(x), rankdata(y))[0, 1])
    dof = n - 2
    if dof <= 0 or not pvalue:
        return Correlation(rho, math.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = rho * np.sqrt(np.clip(np.float64(dof) / ((rho + 1.0) * (1.0 - rho)), 0.0, None))
    from scipy.special import stdtr

    return Correlation(rho, float(min(2 * stdtr(dof, -abs(t)), 1.0)))


def _inversions(sequence: np.ndarray) -> int:
    """Number of pairs i < j with sequence[i] > sequence[j] (Fenwick tree)."""
    size = int(sequence.max()) + 1
    tree = [0] * (size + 1)
    inversions = 0
    for seen, value in enumerate(sequence.tolist()):
        i = value + 1  # count of earlier values <= value
        not_greater = 0
        while i > 0:
            not_greater += tree[i]
            i -= i & -i
        inversions += seen - not_greater
        i = value + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return inversions


def _tie_stats(dense: np.ndarray) -> tuple[int, int, int]:
    counts = np.bincount(dense).astype(np.int64)
    counts = counts[counts > 1]
    return (
        int((counts * (counts - 1) // 2).sum()),
        int((counts * (counts - 1.0) * (counts - 2)).sum()),
        int((counts * (counts - 1.0) * (2 * counts + 5)).sum()),
    )


def kendall(x, y, pvalue: bool = True) -> Correlation:
    """Kendall's tau-b and its p-value, as scipy.stats.kendalltau (method="auto")."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    size = len(x)
    if size < 2:
        return _NAN
    perm = np.argsort(y)
    x, y = x[perm], y[perm]
    y = np.r_[True, y[1:] != y[:-1]].cumsum(dtype=np.intp)
    perm = np.argsort(x, kind="mergesort")
    x, y = x[perm], y[perm]
    x = np.r_[True, x[1:] != x[:-1]].cumsum(dtype=np.intp)
    dis = _inversions(y)
    obs = np.r_[True, (x[1:] != x[:-1]) | (y[1:] != y[:-1]), True]
    cnt = np.diff(np.nonzero(obs)[0]).astype(np.int64)
    ntie = int((cnt * (cnt - 1) // 2).sum())
    xtie, x0, x1 = _tie_stats(x)
    ytie, y0, y1 = _tie_stats(y)
    tot = (size * (size - 1)) // 2
    if xtie == tot or ytie == tot:
        return _NAN
    con_minus_dis = tot - xtie - ytie + ntie - 2 * dis
    tau = float(min(1.0, max(-1.0, con_minus_dis / np.sqrt(tot - xtie) / np.sqrt(tot - ytie))))
    if not pvalue:
        return Correlation(tau, math.nan)
    if xtie == 0 and ytie == 0 and (size <= 33 or min(dis, tot - dis) <= 1):
        # Rare: tiny, tie-free input. scipy's own exact p-value; private, so scipy-stubs omit it.
        from scipy.stats._mstats_basic import _kendall_p_exact  # type: ignore[attr-defined]

        return Correlation(tau, float(_kendall_p_exact(size, tot - dis, "two-sided")))
    m = size * (size - 1.0)
    var = (m * (2 * size + 5) - x1 - y1) / 18 + (2 * xtie * ytie) / m + x0 * y0 / (9 * m * (size - 2))
    z = con_minus_dis / math.sqrt(var)
    return Correlation(tau, math.erfc(abs(z) / math.sqrt(2)))
