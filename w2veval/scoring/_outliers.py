"""Outlier detection (Camacho-Collados & Navigli, 2016): find the word that does not belong.

For each cluster C and each of its outliers o, W = C ∪ {o}. The compactness score of
w ∈ W is the mean cosine similarity over the ordered pairs of distinct words of W \\ {w};
the outlier is detected when its compactness score is the highest (taking it out leaves
the most compact set). See ``docs/categorization.md``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..matching import MatchRules
from ._warnings import MIN_COVERAGE, MIN_SCORED, UnreliableScoreWarning
from ._wordrows import applied_policy, check_policy, word_rows

__all__ = [
    "MIN_CLUSTER_WORDS",
    "TIE_TOLERANCE",
    "OutlierEvaluator",
    "compactness_scores",
    "outlier_outcomes",
]

MIN_CLUSTER_WORDS = 2
"""A test is scored when its outlier and at least this many cluster words have vectors."""
_BLOCK = 500  # bootstrap resamples per numpy pass
TIE_TOLERANCE = 1e-12
"""Compactness scores closer than this count as tied (float rounding must not break a real tie)."""


def compactness_scores(units: np.ndarray) -> np.ndarray:
    """Compactness score of each row of ``units`` (unit vectors of W, at least 3 rows).

    ``c(w) = 1 / (n (n - 1)) * sum over ordered pairs (wi, wj), wi != wj, of W \\ {w} of cos(wi, wj)``
    with ``n = |W| - 1``, computed from the Gram matrix.

    Examples
    --------
    >>> compactness_scores(np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])).round(2).tolist()
    [0.8, 0.6, 0.0]
    """
    gram = units @ units.T
    return _scores_from_gram(gram)


def _scores_from_gram(gram: np.ndarray) -> np.ndarray:
    m = gram.shape[0]
    n = m - 1
    off = gram.sum() - np.trace(gram)  # all ordered pairs of distinct words of W
    without = off - 2.0 * (gram.sum(axis=1) - np.diag(gram))  # pairs not involving w
    return without / (n * (n - 1))


def _positions(
    units: np.ndarray, cluster_usable: np.ndarray, outlier_usable: np.ndarray, n_cluster: int
) -> list[tuple[int | None, int]]:
    """``(OP, |W|)`` of each outlier of one cluster; OP None when the test is not scored.

    ``units`` holds the cluster words first, then the outliers. OP counts the words of W
    whose compactness score is lower than the outlier's by more than :data:`TIE_TOLERANCE`:
    a tie is not a detection.
    """
    keep = np.flatnonzero(cluster_usable)
    out: list[tuple[int | None, int]] = []
    if len(keep) < MIN_CLUSTER_WORDS:
        return [(None, 0)] * len(outlier_usable)
    cluster = units[keep]
    gram_cc = cluster @ cluster.T
    outliers = units[n_cluster:]
    cross = outliers @ cluster.T  # (n_outliers, k)
    self_o = np.einsum("ij,ij->i", outliers, outliers)
    k = len(keep)
    for j, usable in enumerate(outlier_usable):
        if not usable:
            out.append((None, 0))
            continue
        gram = np.empty((k + 1, k + 1))
        gram[:k, :k] = gram_cc
        gram[k, :k] = gram[:k, k] = cross[j]
        gram[k, k] = self_o[j]
        scores = _scores_from_gram(gram)
        out.append((int(np.count_nonzero(scores[:k] < scores[k] - TIE_TOLERANCE)), k + 1))
    return out


def outlier_outcomes(
    vectors,
    outlier_set,
    *,
    rules: MatchRules = MatchRules(),
    restrict_vocab=None,
    oov: str = "drop",
    mean_vector=None,
) -> list[dict]:
    """Every (cluster, outlier) test and its outcome, in set order.

    Returns
    -------
    list of dict
        ``category``, ``outlier``, ``scored`` (bool), ``op`` (the outlier's position,
        0 .. ``size`` - 1, or None), ``size`` (|W| used: the usable cluster words plus the
        outlier; 0 when not scored), ``detected`` (``op == size - 1``, or None).
    """
    return [
        row
        for row, _ in _outcomes(
            vectors,
            outlier_set,
            rules,
            restrict_vocab,
            applied_policy(oov, vectors, outlier_set.name, "tests"),
            mean_vector,
        )
    ]


def _outcomes(vectors, outlier_set, rules, restrict_vocab, policy, mean_vector):
    """``[(outcome row, known)]``: ``known`` is whether the test is scored under ``drop``."""
    words = [w for c in outlier_set.clusters for w in c.words + c.outliers]
    rows = word_rows(
        vectors,
        words,
        rules=rules,
        restrict_vocab=restrict_vocab,
        policy=policy,
        mean_vector=mean_vector,
        name=outlier_set.name,
    )
    results, start = [], 0
    for cluster in outlier_set.clusters:
        end = start + len(cluster.words) + len(cluster.outliers)
        nc = len(cluster.words)
        usable, known = rows.usable[start:end], rows.known[start:end]
        known_cluster = int(known[:nc].sum()) >= MIN_CLUSTER_WORDS
        positions = _positions(rows.units[start:end], usable[:nc], usable[nc:], nc)
        for outlier, (op, size), k_out in zip(cluster.outliers, positions, known[nc:], strict=True):
            scored = op is not None
            results.append(
                (
                    {
                        "category": cluster.category,
                        "outlier": outlier,
                        "scored": scored,
                        "op": op,
                        "size": size,
                        "detected": (op == size - 1) if scored else None,
                    },
                    bool(k_out) and known_cluster,
                )
            )
        start = end
    return results


def _bootstrap(values: np.ndarray, level: float, n_resamples: int, seed: int) -> tuple[float, float]:
    """Percentile interval of the mean of ``values`` over resampled tests."""
    n = len(values)
    if n < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    blocks = []
    for first in range(0, n_resamples, _BLOCK):
        size = min(_BLOCK, n_resamples - first)
        blocks.append(values[rng.integers(0, n, size=(size, n))].mean(axis=1))
    means = np.concatenate(blocks)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(means, [alpha, 1.0 - alpha])
    return float(low), float(high)


class OutlierEvaluator:
    """Accuracy and outlier position percentage (OPP) over every (cluster, outlier) test.

    Options
    -------
    oov : {"drop", "mean", "subword", "coverage", "zero"}
        ``drop`` (default): unknown words are left out; a test is scored when its outlier
        and at least :data:`MIN_CLUSTER_WORDS` cluster words are known. ``mean``: unknown
        words get the mean vector (needs ``mean_vector``); ``subword``: their fastText
        n-gram vector (``drop``, with a warning, without n-grams); ``coverage``: accuracy
        and OPP over the scored tests times coverage; ``zero``: scored as ``drop``, with a
        warning.
    case_sensitive, matching, restrict_vocab, mean_vector
        As for :class:`~w2veval.scoring._pairs.WordPairEvaluator`.
    ci : float, optional
        Percentile bootstrap interval over tests (``n_resamples``, ``seed``):
        ``accuracy_lo``, ``accuracy_hi``, ``opp_lo``, ``opp_hi``.

    ``n_pairs`` counts tests, ``n_scored`` the tests whose outlier and at least
    :data:`MIN_CLUSTER_WORDS` cluster words are known, ``coverage = n_scored / n_pairs``.
    ``accuracy`` (share of tests whose outlier has the strictly highest compactness
    score) and ``opp`` (mean of OP / (|W| - 1)) are fractions in [0, 1]; the paper
    reports percentages.

    Examples
    --------
    >>> from w2veval import WordVectors
    >>> from w2veval.goldsets._outliers import OutlierCluster, OutlierSet
    >>> wv = WordVectors(["cat", "dog", "cow", "car"], [[1, 0], [0.9, 0.3], [0.8, 0.4], [0, 1]])
    >>> s = OutlierSet(name="toy", clusters=[OutlierCluster("pets", ("cat", "dog", "cow"), ("car",))])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", UnreliableScoreWarning)
    ...     row = OutlierEvaluator().evaluate(wv, s)
    >>> row["accuracy"], row["opp"], row["n_scored"]
    (1.0, 1.0, 1)
    """

    name = "outlier-detection"

    def accepts(self, goldset) -> bool:
        return getattr(goldset, "kind", None) == "outlier"

    def evaluate(
        self,
        vectors,
        goldset,
        *,
        oov="drop",
        case_sensitive=False,
        restrict_vocab=None,
        matching=None,
        mean_vector=None,
        ci=None,
        n_resamples=10_000,
        seed=0,
        **_ignored,
    ) -> dict:
        check_policy(oov)
        rules = matching or MatchRules.from_options(case_sensitive)
        policy = applied_policy(oov, vectors, goldset.name, "tests")
        outcomes = _outcomes(vectors, goldset, rules, restrict_vocab, policy, mean_vector)
        n_tests = len(outcomes)
        n_scored = sum(known for _, known in outcomes)
        coverage = n_scored / n_tests if n_tests else math.nan
        scored = [row for row, _ in outcomes if row["scored"]]
        detected = np.array([row["detected"] for row in scored], dtype=np.float64)
        relative = np.array([row["op"] / (row["size"] - 1) for row in scored], dtype=np.float64)
        scale = coverage if policy == "coverage" else 1.0
        if n_scored == 0 or not scored:  # nothing known: no policy makes a score of it
            accuracy = opp = math.nan
        else:
            accuracy, opp = scale * float(detected.mean()), scale * float(relative.mean())
        result = {
            "n_pairs": n_tests,
            "n_scored": n_scored,
            "coverage": coverage,
            "oov": policy,
            "accuracy": accuracy,
            "opp": opp,
        }
        if ci is not None:
            for metric, values in (("accuracy", detected), ("opp", relative)):
                low, high = (
                    (math.nan, math.nan)
                    if math.isnan(result[metric])
                    else _bootstrap(values, ci, n_resamples, seed)
                )
                result[f"{metric}_lo"], result[f"{metric}_hi"] = scale * low, scale * high
        _warn(result, goldset, vectors)
        return result


def _warn(result: dict, goldset, vectors) -> None:
    n_scored, n_tests, coverage = result["n_scored"], result["n_pairs"], result["coverage"]
    reasons = []
    if math.isnan(result["accuracy"]):
        reasons.append(
            (
                f"the score is undefined (NaN): 0 of {n_tests} tests have their outlier and at least "
                f"{MIN_CLUSTER_WORDS} cluster words in the vocabulary",
                "undefined",
                f"{n_scored} of {n_tests} tests",
            )
        )
    else:
        if n_scored < MIN_SCORED:
            reasons.append(
                (
                    f"only {n_scored} tests are scored (fewer than {MIN_SCORED}); treat the score with care",
                    "few_pairs",
                    f"{n_scored} of {n_tests} tests",
                )
            )
        if coverage < MIN_COVERAGE:
            reasons.append(
                (
                    f"coverage {coverage:.2f} is below {MIN_COVERAGE:g} ({n_scored} of {n_tests} "
                    "tests are scored); treat the score with care",
                    "low_coverage",
                    f"{coverage:.2f}",
                )
            )
    for message, kind, detail in reasons:
        warnings.warn(
            UnreliableScoreWarning(
                f"{goldset.name} on {vectors.source} (OOV policy {result['oov']}): {message}",
                kind=kind,
                goldset=goldset.name,
                vectors=str(vectors.source),
                detail=detail,
            ),
            stacklevel=3,
        )
