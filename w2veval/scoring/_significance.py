"""Is model A better than model B on a gold set, and across many gold sets?

Two models scored on the same pairs give two *dependent* correlations that share
one variable, the human scores. :func:`steiger_z` and :func:`williams_t` test
their difference from the three correlations alone; :func:`holm` adjusts the
p-values of several such tests (one per gold set). See docs/statistics.md.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["holm", "mcnemar_exact", "steiger_z", "williams_t"]

_TOLERANCE = 1e-9  # rounding slack for the determinant of the correlation matrix


def _check(r_ha: float, r_hb: float, r_ab: float, n) -> tuple[float, float, float] | None:
    """The three correlations as floats, or None when the test is undefined (NaN, n <= 3)."""
    values = (float(r_ha), float(r_hb), float(r_ab))
    if any(math.isnan(v) for v in values) or n <= 3:
        return None
    for name, value in zip(("r_ha", "r_hb", "r_ab"), values, strict=True):
        if not -1 <= value <= 1:
            raise ValueError(f"a correlation lies in [-1, 1]; got {name}={value!r}")
    a, b, c = values
    determinant = 1 + 2 * a * b * c - a * a - b * b - c * c
    if determinant < -_TOLERANCE:
        raise ValueError(
            f"r_ha={a}, r_hb={b} and r_ab={c} cannot all come from the same scored pairs "
            f"(their correlation matrix has determinant {determinant:.3g} < 0); "
            "pass the three correlations computed on one set of pairs"
        )
    return values


def steiger_z(r_ha: float, r_hb: float, r_ab: float, n: int) -> tuple[float, float]:
    """Test whether two dependent correlations sharing the human scores differ.

    The z-test of Meng, Rosenthal & Rubin (1992), an asymptotic equivalent of the
    Dunn & Clark (1969) / Steiger (1980) tests::

        z = (atanh r_ha - atanh r_hb) * sqrt((n - 3) / (2 (1 - r_ab) h))
        h = (1 - f r2) / (1 - r2),  f = min(1, (1 - r_ab) / (2 (1 - r2))),
        r2 = (r_ha**2 + r_hb**2) / 2

    Parameters
    ----------
    r_ha, r_hb : float
        Correlation of the human scores with model A's and with model B's scores.
    r_ab : float
        Correlation between the two models' scores on the same pairs.
    n : int
        Number of pairs all three were computed on.

    Returns
    -------
    (z, p) : tuple of float
        z > 0 when A correlates more strongly; p is two-sided (normal). Both NaN
        for n <= 3 or a NaN input; (0.0, 1.0) when r_ha == r_hb or r_ab == 1 (e.g.
        a model compared with itself).

    Examples
    --------
    Meng, Rosenthal & Rubin's (1992) example:

    >>> z, p = steiger_z(0.63, -0.03, -0.19, 15)
    >>> round(z, 2), round(p / 2, 3)
    (1.68, 0.047)
    """
    values = _check(r_ha, r_hb, r_ab, n)
    if values is None:
        return math.nan, math.nan
    a, b, c = values
    if a == b or c == 1:
        # c == 1: the models rank every pair alike, so r_ha == r_hb up to rounding
        # (larger gaps fail the determinant check); this also avoids 0/0.
        return 0.0, 1.0
    mean_square = (a * a + b * b) / 2
    if mean_square == 1:  # |r_ha| = |r_hb| = 1 with opposite signs
        return math.copysign(math.inf, a - b), 0.0
    f = min(1.0, (1 - c) / (2 * (1 - mean_square)))
    h = (1 - f * mean_square) / (1 - mean_square)
    with np.errstate(divide="ignore"):
        difference = float(np.arctanh(a) - np.arctanh(b))  # +-inf at |r| = 1
    if math.isinf(difference):
        return math.copysign(math.inf, difference), 0.0
    z = difference * math.sqrt((n - 3) / (2 * (1 - c) * h))
    return z, math.erfc(abs(z) / math.sqrt(2))


def williams_t(r_ha: float, r_hb: float, r_ab: float, n: int) -> tuple[float, float]:
    """Williams' (1959) t for two dependent correlations sharing the human scores.

    Steiger (1980, eq. 7), with ``|R|`` the determinant of the 3 x 3 correlation
    matrix and ``rbar = (r_ha + r_hb) / 2``::

        t = (r_ha - r_hb) * sqrt((n - 1)(1 + r_ab)
                                 / (2 (n - 1)/(n - 3) |R| + rbar**2 (1 - r_ab)**3))

    with n - 3 degrees of freedom. Recommended by Steiger (1980) for small n.

    Returns
    -------
    (t, p) : tuple of float
        Two-sided p from Student's t; NaN for n <= 3; (0.0, 1.0) when r_ha == r_hb or r_ab == 1.

    Examples
    --------
    >>> t, p = williams_t(0.3, 0.4, 0.5, 100)
    >>> round(t, 4), round(p, 4)
    (-1.0767, 0.2843)
    """
    values = _check(r_ha, r_hb, r_ab, n)
    if values is None:
        return math.nan, math.nan
    a, b, c = values
    if a == b or c == 1:
        return 0.0, 1.0  # as in steiger_z
    determinant = max(0.0, 1 + 2 * a * b * c - a * a - b * b - c * c)
    mean = (a + b) / 2
    denominator = 2 * (n - 1) / (n - 3) * determinant + mean * mean * (1 - c) ** 3
    if denominator == 0:
        return math.copysign(math.inf, a - b), 0.0
    t = (a - b) * math.sqrt((n - 1) * (1 + c) / denominator)
    from scipy.special import stdtr

    return t, float(min(1.0, 2 * stdtr(n - 3, -abs(t))))


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """McNemar's exact test on paired right/wrong outcomes of two models.

    Only the discordant items count: ``a_only`` where A is right and B wrong,
    ``b_only`` where B is right and A wrong. Under the null hypothesis (both
    models are equally often right) each discordant item is A's with probability
    1/2, so the two-sided p-value is that of a binomial test of ``a_only`` in
    ``a_only + b_only`` trials (McNemar 1947; the exact form, as statsmodels'
    ``mcnemar(exact=True)``).

    Returns
    -------
    float
        Two-sided p; 1.0 when no item is discordant.

    Examples
    --------
    >>> round(mcnemar_exact(10, 2), 4)
    0.0386
    """
    a_only, b_only = int(a_only), int(b_only)
    if a_only < 0 or b_only < 0:
        raise ValueError(f"counts are not negative; got {a_only}, {b_only}")
    if a_only + b_only == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(a_only, a_only + b_only, 0.5).pvalue)


def holm(pvalues) -> np.ndarray:
    """Holm-Bonferroni step-down adjusted p-values.

    The k-th smallest of m p-values is multiplied by (m - k + 1), then a running
    maximum keeps the order, and values are capped at 1 (Holm 1979). Reject every
    hypothesis whose adjusted p-value is at most alpha: the chance of any false
    rejection among the m stays at most alpha. NaN entries stay NaN and do not
    count in m.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005]).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    p = np.asarray(pvalues, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError(f"pvalues must be a 1-D sequence; got an array of shape {p.shape}")
    present = ~np.isnan(p)
    outside = present & ((p < 0) | (p > 1))
    if outside.any():
        raise ValueError(f"p-values lie in [0, 1]; got {p[outside].tolist()}")
    adjusted = np.full_like(p, np.nan)
    positions = np.flatnonzero(present)
    order = positions[np.argsort(p[positions], kind="stable")]
    m = len(order)
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted
