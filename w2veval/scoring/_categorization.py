"""Concept categorization: cluster a set's words and compare the clusters with its categories.

The default follows word-embeddings-benchmarks (``web.evaluate.evaluate_categorization``):
the best purity over agglomerative clustering (Ward; cosine and Euclidean distance with
average and complete linkage) and k-means, each into as many clusters as there are
categories. See ``docs/categorization.md``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..errors import W2VEvalError
from ..matching import MatchRules
from ._warnings import MIN_COVERAGE, MIN_SCORED, UnreliableScoreWarning
from ._wordrows import applied_policy, check_policy, word_rows

__all__ = ["CLUSTERINGS", "CategorizationEvaluator", "category_table", "cluster_labels", "purity"]

CLUSTERINGS = (
    "agglomerative-ward-euclidean",
    "agglomerative-average-cosine",
    "agglomerative-complete-cosine",
    "agglomerative-average-euclidean",
    "agglomerative-complete-euclidean",
    "kmeans",
)
"""The single clustering methods, in word-embeddings-benchmarks' order (``"best"`` tries them all)."""
KMEANS_SEED = 0
"""``random_state`` of k-means (``n_init=10``): the same vectors always give the same clusters."""


def purity(categories, clusters) -> float:
    """Purity of a clustering: the share of items in their cluster's most common category.

    word-embeddings-benchmarks' ``calculate_purity``: for each cluster, the number of its
    items of its most common category, summed, over the number of items.

    Examples
    --------
    >>> purity(["a", "a", "b", "b"], [0, 0, 0, 1])
    0.75
    """
    categories, clusters = np.asarray(categories), np.asarray(clusters)
    if len(categories) == 0:
        return math.nan
    _, cat_ids = np.unique(categories, return_inverse=True)
    _, clu_ids = np.unique(clusters, return_inverse=True)
    table = np.zeros((clu_ids.max() + 1, cat_ids.max() + 1), dtype=np.int64)
    np.add.at(table, (clu_ids, cat_ids), 1)
    return float(table.max(axis=1).sum() / len(categories))


def cluster_labels(units: np.ndarray, n_clusters: int, method: str) -> np.ndarray:
    """Cluster the rows of ``units`` into ``n_clusters`` with one of :data:`CLUSTERINGS`."""
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from threadpoolctl import threadpool_limits

    if method == "kmeans":
        model = KMeans(n_clusters=n_clusters, n_init=10, random_state=KMEANS_SEED)
    else:
        _, linkage, metric = method.split("-")
        model = AgglomerativeClustering(n_clusters=n_clusters, metric=metric, linkage=linkage)
    # One thread: on a few hundred items k-means spends its time starting OpenMP/BLAS threads
    # (50x slower on 2 cores); the clusters are the same.
    with threadpool_limits(limits=1):
        return np.asarray(model.fit_predict(units), dtype=np.int64)


def _check_clustering(clustering: str) -> None:
    if clustering != "best" and clustering not in CLUSTERINGS:
        raise W2VEvalError(
            f"unknown clustering {clustering!r}; choose 'best' or one of {', '.join(CLUSTERINGS)}"
        )


def _clustered(units, categories, clustering) -> tuple[np.ndarray, str]:
    """The reported clustering and its method: ``clustering``, or under ``"best"`` the first of
    :data:`CLUSTERINGS` with the highest purity (word-embeddings-benchmarks' selection)."""
    k = len(set(categories))
    if clustering != "best":
        return cluster_labels(units, k, clustering), clustering
    first, *others = CLUSTERINGS
    best_labels, best_method = cluster_labels(units, k, first), first
    best_score = purity(categories, best_labels)
    for method in others:
        labels = cluster_labels(units, k, method)
        score = purity(categories, labels)
        if score > best_score:
            best_score, best_labels, best_method = score, labels, method
    return best_labels, best_method


class _Clustering:
    """The items a policy scores, their categories and the reported clustering (or why there is none)."""

    def __init__(self, vectors, category_set, rules, restrict_vocab, oov, mean_vector, clustering):
        _check_clustering(clustering)
        self.policy = applied_policy(oov, vectors, category_set.name, "items")
        words = [w for w, _ in category_set.items]
        self.categories_all = [c for _, c in category_set.items]
        rows = word_rows(
            vectors,
            words,
            rules=rules,
            restrict_vocab=restrict_vocab,
            policy=self.policy,
            mean_vector=mean_vector,
            name=category_set.name,
        )
        self.known, self.used = rows.known, rows.usable
        self.n_items, self.n_scored = len(words), int(rows.known.sum())
        self.categories = [c for c, u in zip(self.categories_all, self.used, strict=True) if u]
        self.n_categories = len(set(self.categories))
        self.labels, self.method = None, None
        # Nothing known scores NaN under every policy; so do fewer than 2 categories, or no
        # more items than clusters (each item alone: purity 1 whatever the vectors).
        if self.n_scored and self.n_categories >= 2 and len(self.categories) > self.n_categories:
            self.labels, self.method = _clustered(rows.units[self.used], self.categories, clustering)


class CategorizationEvaluator:
    """Purity, adjusted Rand index and V-measure of a clustering of a category set's words.

    Options
    -------
    clustering : str
        ``"best"`` (default): word-embeddings-benchmarks' best purity over agglomerative
        clustering (Ward; cosine and Euclidean, average and complete linkage) and k-means
        (``n_init=10``, seed 0); optimistic, since the choice looks at the categories.
        Or one method of :data:`CLUSTERINGS` for an unbiased number. The result's
        ``clustering`` names the method of the reported clustering; ``adjusted_rand``
        and ``v_measure`` are of that same clustering.
    oov : {"drop", "mean", "subword", "coverage", "zero"}
        ``drop`` (default): items whose word is unknown are left out; ``mean``: they get
        the mean vector (needs ``mean_vector``; word-embeddings-benchmarks' behaviour);
        ``subword``: their fastText n-gram vector (``drop``, with a warning, without
        n-grams); ``coverage``: every metric times coverage; ``zero`` is scored as
        ``drop`` with a warning (a zero vector has no direction).
    case_sensitive, matching, restrict_vocab, mean_vector
        As for :class:`~w2veval.scoring._pairs.WordPairEvaluator`.
    ci : float, optional
        Adds ``purity_lo``, ``purity_hi``, ``adjusted_rand_lo`` ... as NaN: resampling the
        items of one clustering gives no honest interval (``docs/categorization.md``).

    ``n_pairs`` counts items, ``n_scored`` items whose word is known, and
    ``coverage = n_scored / n_pairs``. The metrics are NaN when nothing is known, when
    fewer than 2 categories are left, or when there are no more items than categories.

    Examples
    --------
    >>> from w2veval import WordVectors
    >>> from w2veval.goldsets._categories import CategorySet
    >>> wv = WordVectors(["cat", "dog", "oak", "elm"], [[1, 0], [0.9, 0.2], [0, 1], [0.1, 0.9]])
    >>> s = CategorySet(name="toy", items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree"),
    ...                                    ("elm", "tree"), ("gnu", "animal")])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", UnreliableScoreWarning)
    ...     row = CategorizationEvaluator().evaluate(wv, s, clustering="kmeans")
    >>> row["purity"], row["adjusted_rand"], row["coverage"], row["n_categories"]
    (1.0, 1.0, 0.8, 2)
    """

    name = "categorization"

    def accepts(self, goldset) -> bool:
        return getattr(goldset, "kind", None) == "categorization"

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
        clustering="best",
        ci=None,
        **_ignored,
    ) -> dict:
        from sklearn.metrics import adjusted_rand_score, v_measure_score

        check_policy(oov)
        rules = matching or MatchRules.from_options(case_sensitive)
        done = _Clustering(vectors, goldset, rules, restrict_vocab, oov, mean_vector, clustering)
        coverage = done.n_scored / done.n_items if done.n_items else math.nan
        values = {"purity": math.nan, "adjusted_rand": math.nan, "v_measure": math.nan}
        if done.labels is not None:
            values = {
                "purity": purity(done.categories, done.labels),
                "adjusted_rand": float(adjusted_rand_score(done.categories, done.labels)),
                "v_measure": float(v_measure_score(done.categories, done.labels)),
            }
            if done.policy == "coverage":
                values = {k: coverage * v for k, v in values.items()}
        result = {
            "n_pairs": done.n_items,
            "n_scored": done.n_scored,
            "coverage": coverage,
            "oov": done.policy,
            **values,
            "n_categories": done.n_categories,
            "clustering": done.method or clustering,
        }
        if ci is not None:
            for metric in values:
                result[f"{metric}_lo"] = result[f"{metric}_hi"] = math.nan
        _warn(result, goldset, vectors)
        return result


def _warn(result: dict, goldset, vectors) -> None:
    n_scored, n_items, coverage = result["n_scored"], result["n_pairs"], result["coverage"]
    reasons = []
    if math.isnan(result["purity"]):
        why = (
            f"0 of {n_items} items are in the vocabulary"
            if n_scored == 0
            else f"{n_scored} of {n_items} items are in the vocabulary, in {result['n_categories']} "
            "categories; clustering needs at least 2 categories and more items than categories"
        )
        reasons.append(
            (f"the score is undefined (NaN): {why}", "undefined", f"{n_scored} of {n_items} items")
        )
    else:
        if n_scored < MIN_SCORED:
            reasons.append(
                (
                    f"only {n_scored} items are scored (fewer than {MIN_SCORED}); treat the score with care",
                    "few_pairs",
                    f"{n_scored} of {n_items} items",
                )
            )
        if coverage < MIN_COVERAGE:
            reasons.append(
                (
                    f"coverage {coverage:.2f} is below {MIN_COVERAGE:g} ({n_scored} of {n_items} "
                    "items are in the vocabulary); treat the score with care",
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


def category_table(
    vectors,
    category_set,
    *,
    rules: MatchRules = MatchRules(),
    restrict_vocab=None,
    oov: str = "drop",
    mean_vector=None,
    clustering: str = "best",
) -> list[dict]:
    """One row per category: where the reported clustering put its items.

    Clusters are numbered 0, 1, ... in the order their first item appears in the set.

    Returns
    -------
    list of dict
        In the set's category order, each with ``category``; ``n_items`` (its items);
        ``n_scored`` (those clustered); ``cluster`` (the cluster most of them went to,
        the lowest number on a tie; None when none was clustered or there is no
        clustering); ``share`` (the part of its clustered items in that cluster: the
        category's own purity, NaN without a clustering); ``cluster_category`` (the most
        common category of that cluster, so a row whose ``cluster_category`` is not its
        ``category`` was absorbed by another); ``counts`` (its clustered items per
        cluster, a list indexed by cluster number: one row of the confusion table); and
        ``clustering`` (the method).
    """
    check_policy(oov)
    done = _Clustering(vectors, category_set, rules, restrict_vocab, oov, mean_vector, clustering)
    names = category_set.categories
    n_items = dict.fromkeys(names, 0)
    for c in done.categories_all:
        n_items[c] += 1
    counts: dict[str, list[int]] = {c: [] for c in names}
    n_clusters = 0
    if done.labels is not None:
        order: dict[int, int] = {}
        for label in done.labels.tolist():
            order.setdefault(label, len(order))
        n_clusters = len(order)
        counts = {c: [0] * n_clusters for c in names}
        for c, label in zip(done.categories, done.labels.tolist(), strict=True):
            counts[c][order[label]] += 1

    def most_common(cluster: int) -> str:
        """The category with the most items in ``cluster``; on a tie, the first listed."""
        return max(names, key=lambda c: (counts[c][cluster], -names.index(c)))

    majority = [most_common(j) for j in range(n_clusters)]
    rows = []
    for c in names:
        scored = sum(1 for d in done.categories if d == c)
        row_counts = counts[c]
        top = int(np.argmax(row_counts)) if row_counts and sum(row_counts) else None
        rows.append(
            {
                "category": c,
                "n_items": n_items[c],
                "n_scored": scored,
                "cluster": top,
                "share": row_counts[top] / sum(row_counts) if top is not None else math.nan,
                "cluster_category": majority[top] if top is not None else None,
                "counts": list(row_counts),
                "clustering": done.method or clustering,
            }
        )
    return rows
