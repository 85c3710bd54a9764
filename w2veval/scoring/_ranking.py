"""Which scores may rank models against each other.

A correlation over a handful of pairs, or over the easy part of a gold set a small
vocabulary happens to know, is a number but not a verdict: a tiny model that scores
3 of 78 pairs at 0.87 must not outrank GloVe. The report's leaderboard, ``tune
results`` and ``sagemaker rescore`` rank only on scores that pass :func:`unrankable_reason`
(and, across models, only on gold sets where every ranked model passes it). The
thresholds are discussed in ``docs/statistics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

__all__ = ["MIN_RANK_PAIRS", "MIN_RANK_COVERAGE", "unrankable_reason", "rankable_goldsets"]

MIN_RANK_PAIRS = 30
MIN_RANK_COVERAGE = 0.8


def unrankable_reason(n_scored, n_pairs, score=0.0, *, min_pairs: int = MIN_RANK_PAIRS,
                      min_coverage: float = MIN_RANK_COVERAGE) -> str | None:
    """Why a score over ``n_scored`` of ``n_pairs`` pairs cannot rank models, or ``None``.

    Parameters
    ----------
    n_scored, n_pairs : int
        Pairs with both words known, and pairs in the gold set.
    score : float, optional
        The score itself: an undefined (NaN) score cannot rank either.
    min_pairs : int
        Fewest scored pairs a ranking score stands on (default 30).
    min_coverage : float
        Smallest share of the gold set's pairs that must be scored (default 0.8).

    Examples
    --------
    >>> unrankable_reason(3, 78)
    'only 3 of 78 pairs scored (fewer than 30)'
    >>> unrankable_reason(70, 100)
    'coverage 0.70 is below 0.8 (70 of 100 pairs)'
    >>> unrankable_reason(353, 353) is None
    True
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "the score is undefined"
    n_scored, n_pairs = int(n_scored), int(n_pairs)
    if n_scored < min_pairs:
        return f"only {n_scored} of {n_pairs} pairs scored (fewer than {min_pairs})"
    coverage = n_scored / n_pairs if n_pairs else 0.0
    if coverage < min_coverage:
        return f"coverage {coverage:.2f} is below {min_coverage:g} ({n_scored} of {n_pairs} pairs)"
    return None


def rankable_goldsets(rows: Iterable[Mapping], *, score: str = "spearman", goldset: str = "goldset",
                      min_pairs: int = MIN_RANK_PAIRS,
                      min_coverage: float = MIN_RANK_COVERAGE) -> set[str]:
    """The gold sets on which every row (one per model) may rank.

    ``rows`` are result rows with ``n_scored``, ``n_pairs``, the ``goldset`` column and the
    ``score`` column; a gold set is kept only if no row of it has an
    :func:`unrankable_reason`.

    Examples
    --------
    >>> rows = [{"goldset": "ws353", "n_scored": 353, "n_pairs": 353, "spearman": 0.5},
    ...         {"goldset": "ws353", "n_scored": 350, "n_pairs": 353, "spearman": 0.6},
    ...         {"goldset": "jobs", "n_scored": 3, "n_pairs": 78, "spearman": 0.87}]
    >>> sorted(rankable_goldsets(rows))
    ['ws353']
    """
    verdict: dict[str, bool] = {}
    for row in rows:
        ok = unrankable_reason(row["n_scored"], row["n_pairs"], row.get(score), min_pairs=min_pairs,
                               min_coverage=min_coverage) is None
        verdict[row[goldset]] = verdict.get(row[goldset], True) and ok
    return {name for name, ok in verdict.items() if ok}
