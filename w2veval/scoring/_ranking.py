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

__all__ = [
    "MIN_RANK_COVERAGE",
    "MIN_RANK_PAIRS",
    "combined_reason",
    "rank_by_mean",
    "rankable_goldsets",
    "unrankable_reason",
    "weakest",
]

MIN_RANK_PAIRS = 30
MIN_RANK_COVERAGE = 0.8


def unrankable_reason(
    n_scored, n_pairs, score=0.0, *, min_pairs: int = MIN_RANK_PAIRS, min_coverage: float = MIN_RANK_COVERAGE
) -> str | None:
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


def rankable_goldsets(
    rows: Iterable[Mapping],
    *,
    score: str = "spearman",
    goldset: str = "goldset",
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
) -> set[str]:
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
        ok = (
            unrankable_reason(
                row["n_scored"],
                row["n_pairs"],
                row.get(score),
                min_pairs=min_pairs,
                min_coverage=min_coverage,
            )
            is None
        )
        verdict[row[goldset]] = verdict.get(row[goldset], True) and ok
    return {name for name, ok in verdict.items() if ok}


def weakest(rows: Iterable[Mapping]) -> tuple[int, float]:
    """``(n_scored, coverage)`` of the weakest of ``rows`` (one per gold set): the fewest
    scored pairs and the lowest coverage, each over all rows.

    A combination of scores (an objective) passes :func:`unrankable_reason` on every one of
    its gold sets exactly when these two pass the rule, so one pair of columns tells whether
    a trial or a training job may rank. No rows give ``(0, nan)``.

    Examples
    --------
    >>> weakest([{"n_scored": 353, "n_pairs": 353}, {"n_scored": 3, "n_pairs": 78}])
    (3, 0.038461538461538464)
    """
    counts = [
        (int(r["n_scored"]), int(r["n_scored"]) / int(r["n_pairs"]) if int(r["n_pairs"]) else 0.0)
        for r in rows
    ]
    if not counts:
        return 0, math.nan
    return min(n for n, _ in counts), min(c for _, c in counts)


def combined_reason(
    rows: Iterable[Mapping],
    *,
    score: str = "spearman",
    goldset: str = "goldset",
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
) -> str | None:
    """Why a combination of scores (one row per gold set) cannot rank, or ``None``.

    The reasons of the gold sets that fail :func:`unrankable_reason`, each prefixed with
    the gold set's name and joined by ``"; "``.

    Examples
    --------
    >>> combined_reason([{"goldset": "ws353", "n_scored": 353, "n_pairs": 353, "spearman": 0.6},
    ...                  {"goldset": "jobs", "n_scored": 3, "n_pairs": 78, "spearman": 0.87}])
    'jobs: only 3 of 78 pairs scored (fewer than 30)'
    """
    reasons = []
    for row in rows:
        reason = unrankable_reason(
            row["n_scored"], row["n_pairs"], row.get(score), min_pairs=min_pairs, min_coverage=min_coverage
        )
        if reason is not None:
            reasons.append(f"{row[goldset]}: {reason}")
    return "; ".join(reasons) or None


def rank_by_mean(
    rows: Iterable[Mapping],
    *,
    model: str = "vectors",
    goldset: str = "goldset",
    score: str = "spearman",
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
) -> dict:
    """Rank models by their mean score over the gold sets every model may rank on.

    Parameters
    ----------
    rows : iterable of mappings
        One row per (model, gold set) with ``n_scored``, ``n_pairs`` and the ``model``,
        ``goldset`` and ``score`` columns.
    model, goldset, score : str
        Column names.
    min_pairs, min_coverage
        The rule's thresholds (see :func:`unrankable_reason`).

    Returns
    -------
    dict
        ``goldsets``: the rankable gold sets, in the order first seen; ``means``: ``{model:
        mean score over them}`` (NaN when there is none); ``order``: the models best first
        (empty when no gold set is rankable: nothing may rank); ``reasons``: ``{gold set:
        why it cannot rank}`` for the others, naming the first model that fails.

    Examples
    --------
    >>> rows = [{"vectors": "tiny", "goldset": "ws353", "n_scored": 300, "n_pairs": 353, "spearman": 0.2},
    ...         {"vectors": "tiny", "goldset": "jobs", "n_scored": 3, "n_pairs": 78, "spearman": 0.87},
    ...         {"vectors": "glove", "goldset": "ws353", "n_scored": 353, "n_pairs": 353, "spearman": 0.5},
    ...         {"vectors": "glove", "goldset": "jobs", "n_scored": 70, "n_pairs": 78, "spearman": 0.4}]
    >>> ranking = rank_by_mean(rows)
    >>> ranking["goldsets"], ranking["order"]
    (['ws353'], ['glove', 'tiny'])
    >>> ranking["reasons"]
    {'jobs': 'tiny: only 3 of 78 pairs scored (fewer than 30)'}
    """
    rows = list(rows)
    models = list(dict.fromkeys(r[model] for r in rows))
    names = list(dict.fromkeys(r[goldset] for r in rows))
    reasons: dict[str, str] = {}
    for row in rows:
        reason = unrankable_reason(
            row["n_scored"], row["n_pairs"], row.get(score), min_pairs=min_pairs, min_coverage=min_coverage
        )
        if reason is not None and row[goldset] not in reasons:
            reasons[row[goldset]] = f"{row[model]}: {reason}"
    kept = [g for g in names if g not in reasons]
    means = {}
    for name in models:
        values = [float(r[score]) for r in rows if r[model] == name and r[goldset] in kept]
        means[name] = math.fsum(values) / len(values) if values else math.nan
    order = sorted(models, key=lambda m: -means[m]) if kept else []  # stable: ties keep input order
    return {"goldsets": kept, "means": means, "order": order, "reasons": reasons}
