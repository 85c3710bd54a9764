"""Concept categorization: checked against a re-implementation of word-embeddings-benchmarks'
``evaluate_categorization`` written here (numpy + scikit-learn directly), on GloVe 6B 50d
and on models trained with gensim on the Lee corpus, and on small examples worked out by hand."""

from __future__ import annotations

import csv
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from w2veval import WordVectors
from w2veval.errors import W2VEvalError
from w2veval.goldsets._categories import CategorySet
from w2veval.io import load_vectors
from w2veval.scoring._categorization import CLUSTERINGS, CategorizationEvaluator, category_table, purity
from w2veval.scoring._registry import evaluator_for
from w2veval.scoring._warnings import UnreliableScoreWarning

sklearn_cluster = pytest.importorskip("sklearn.cluster")
sklearn_metrics = pytest.importorskip("sklearn.metrics")


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableScoreWarning)
        return fn(*args, **kwargs)


# --------------------------------------------------------------------------- independent reference


def _read_categories(path) -> CategorySet:
    """vecto's ``,category,word`` CSV with the csv module: empty words skipped, repeats collapsed."""
    with open(path, encoding="utf-8", newline="") as fh:
        items = [(row["word"], row["category"]) for row in csv.DictReader(fh) if row["word"].strip()]
    return CategorySet(name=path.stem, items=list(dict.fromkeys(items)))


def _web_purity(y_true, y_pred):
    """word-embeddings-benchmarks' calculate_purity, as published."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    true_clusters = np.zeros(shape=(len(set(y_true)), len(y_true)))
    pred_clusters = np.zeros_like(true_clusters)
    for i, cl in enumerate(set(y_true)):
        true_clusters[i] = (y_true == cl).astype("int")
    for i, cl in enumerate(set(y_pred)):
        pred_clusters[i] = (y_pred == cl).astype("int")
    M = pred_clusters.dot(true_clusters.T)
    return 1.0 / len(y_true) * np.sum(np.max(M, axis=1))


def _web_labels(X, k):
    """Each of web's clusterings: Ward, {cosine, euclidean} x {average, complete}, KMeans(n_init=10)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        out = {
            "ward": sklearn_cluster.AgglomerativeClustering(
                n_clusters=k, metric="euclidean", linkage="ward"
            ).fit_predict(X)
        }
        for metric in ("cosine", "euclidean"):
            for linkage in ("average", "complete"):
                out[f"{linkage}-{metric}"] = sklearn_cluster.AgglomerativeClustering(
                    n_clusters=k, metric=metric, linkage=linkage
                ).fit_predict(X)
        out["kmeans"] = sklearn_cluster.KMeans(random_state=0, n_init=10, n_clusters=k).fit_predict(X)
    return out


def _reference(words, matrix, category_set):
    """web's evaluate_categorization on the known words (drop), in set order, unit vectors."""
    index = {}
    for i, w in enumerate(words):
        index.setdefault(w, i)
    rows, y = [], []
    for word, category in category_set.items:
        row = index.get(word, index.get(word.lower()))
        if row is not None:
            rows.append(row)
            y.append(category)
    X = np.asarray(matrix[rows], dtype=np.float64)
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    labels = _web_labels(X, len(set(y)))
    return {name: _web_purity(y, lab) for name, lab in labels.items()}, labels, y, len(rows)


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    words, matrix = glove_words_matrix
    return WordVectors(words, matrix, source="glove-6b-50d")


@pytest.fixture(scope="module", params=["ap", "bless", "essli-2008"])
def glove_case(request, glove, glove_words_matrix, shared_goldsets):
    # Battig (5,229 items) takes about 7 s per run on 2 cores: left out of the tests.
    words, matrix = glove_words_matrix
    category_set = _read_categories(shared_goldsets / "categorization" / f"{request.param}.csv")
    return (
        category_set,
        _reference(words, matrix, category_set),
        _quiet(CategorizationEvaluator().evaluate, glove, category_set),
    )


def test_shared_files_read_as_documented(shared_goldsets):
    sizes = {
        name: _read_categories(shared_goldsets / "categorization" / f"{name}.csv")
        for name in ("ap", "bless", "essli-2008")
    }
    assert {k: (len(s), len(s.categories)) for k, s in sizes.items()} == {
        "ap": (402, 21),
        "bless": (200, 17),
        "essli-2008": (45, 9),
    }


def test_glove_best_purity_equals_web(glove_case):
    category_set, (purities, labels, y, n_known), row = glove_case
    assert row["purity"] == pytest.approx(max(purities.values()), abs=1e-12)
    assert row["n_scored"] == n_known and row["n_pairs"] == len(category_set)
    assert row["coverage"] == n_known / len(category_set)
    assert row["n_categories"] == len(set(y)) and row["oov"] == "drop"
    # ARI and V-measure belong to the reported clustering (the first best, in web's order).
    web_names = {
        "agglomerative-ward-euclidean": "ward",
        "kmeans": "kmeans",
        **{
            f"agglomerative-{linkage}-{metric}": f"{linkage}-{metric}"
            for linkage in ("average", "complete")
            for metric in ("cosine", "euclidean")
        },
    }
    first_best = next(m for m in CLUSTERINGS if purities[web_names[m]] == max(purities.values()))
    assert row["clustering"] == first_best
    chosen = labels[web_names[first_best]]
    assert row["adjusted_rand"] == pytest.approx(sklearn_metrics.adjusted_rand_score(y, chosen), abs=1e-12)
    assert row["v_measure"] == pytest.approx(sklearn_metrics.v_measure_score(y, chosen), abs=1e-12)


def test_glove_single_methods_equal_web(glove, glove_case):
    category_set, (purities, *_), _ = glove_case
    for method, web_name in (
        ("kmeans", "kmeans"),
        ("agglomerative-average-cosine", "average-cosine"),
        ("agglomerative-ward-euclidean", "ward"),
    ):
        row = _quiet(CategorizationEvaluator().evaluate, glove, category_set, clustering=method)
        assert row["clustering"] == method
        assert row["purity"] == pytest.approx(purities[web_name], abs=1e-12)


@pytest.mark.parametrize("model", ["w2v_model", "cbow_model"])
def test_lee_models_equal_web(request, model, shared_goldsets):
    kv = request.getfixturevalue(model).wv
    for name in ("ap", "bless"):
        category_set = _read_categories(shared_goldsets / "categorization" / f"{name}.csv")
        purities, _labels, y, n_known = _reference(kv.index_to_key, kv.vectors, category_set)
        assert n_known > len(set(y)) >= 2  # the Lee vocabulary covers part of the set
        row = _quiet(CategorizationEvaluator().evaluate, load_vectors(kv), category_set)
        assert row["n_scored"] == n_known
        assert row["purity"] == pytest.approx(max(purities.values()), abs=1e-12)


def test_two_runs_are_identical(glove, shared_goldsets):
    ap = _read_categories(shared_goldsets / "categorization" / "ap.csv")
    first = _quiet(CategorizationEvaluator().evaluate, glove, ap)
    assert _quiet(CategorizationEvaluator().evaluate, glove, ap) == first
    assert category_table(glove, ap) == category_table(glove, ap)


# --------------------------------------------------------------------------- by hand


@pytest.fixture(scope="module")
def hand():
    return WordVectors(
        ["cat", "dog", "oak", "rose", "elm", "pine"],
        [[1, 0], [0.99, 0.14], [0, 1], [0.14, 0.99], [0.05, 1], [0.1, 1]],
        source="hand",
    )


def test_purity_ari_and_v_measure_by_hand(hand):
    # Clusters {cat, dog} and {oak, rose}; categories animal = cat, dog, rose, tree = oak.
    s = CategorySet(
        name="toy", items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree"), ("rose", "animal")]
    )
    for method in CLUSTERINGS:
        row = _quiet(CategorizationEvaluator().evaluate, hand, s, clustering=method)
        # purity = (2 + 1) / 4; ARI: sum C(n_ij, 2) = 1, rows 3 + 0, columns 1 + 1, C(4, 2) = 6,
        # expected = 3 * 2 / 6 = 1, max = (3 + 2) / 2: ARI = (1 - 1) / (2.5 - 1) = 0.
        assert row["purity"] == 0.75 and row["adjusted_rand"] == pytest.approx(0.0, abs=1e-12)
        h_c = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
        h_c_given_k = -(0.5 * math.log(1) + 0.25 * math.log(0.5) + 0.25 * math.log(0.5))
        h_k = math.log(2)
        h_k_given_c = -(0.5 * math.log(2 / 3) + 0.25 * math.log(1 / 3) + 0.25 * math.log(1))
        hom, com = 1 - h_c_given_k / h_c, 1 - h_k_given_c / h_k
        assert row["v_measure"] == pytest.approx(2 * hom * com / (hom + com), abs=1e-12)


def test_purity_function_by_hand():
    assert purity(["a", "a", "b", "b"], [0, 0, 0, 1]) == 0.75
    assert purity(["a", "b", "c"], [5, 5, 5]) == pytest.approx(1 / 3)
    assert purity(["a", "a", "b"], [2, 2, 7]) == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5)), min_size=1, max_size=40))
def test_purity_equals_web_purity_on_any_labels(pairs):
    y_true = [f"c{t}" for t, _ in pairs]
    y_pred = [p for _, p in pairs]
    # web's function has as many cluster rows as categories (web always asks for that many
    # clusters); more clusters than categories would overflow it.
    assume(len(set(y_pred)) <= len(set(y_true)))
    value = purity(y_true, y_pred)
    assert value == pytest.approx(_web_purity(y_true, y_pred), abs=1e-12)
    assert 0 < value <= 1


def test_registry_routes_category_sets_here():
    s = CategorySet(name="toy", items=[("cat", "animal"), ("oak", "tree")])
    assert evaluator_for(s).name == "categorization"


def test_category_table_by_hand(hand):
    s = CategorySet(
        name="toy",
        items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree"), ("rose", "animal"), ("gnu", "animal")],
    )
    rows = category_table(hand, s, clustering="kmeans")
    # Clusters numbered by first appearance: 0 = {cat, dog}, 1 = {oak, rose}.
    assert rows == [
        {
            "category": "animal",
            "n_items": 4,
            "n_scored": 3,
            "cluster": 0,
            "share": 2 / 3,
            "cluster_category": "animal",
            "counts": [2, 1],
            "clustering": "kmeans",
        },
        {
            "category": "tree",
            "n_items": 1,
            "n_scored": 1,
            "cluster": 1,
            "share": 1.0,
            "cluster_category": "animal",
            "counts": [0, 1],
            "clustering": "kmeans",
        },
    ]


# --------------------------------------------------------------------------- NaN and OOV


def test_one_category_is_nan_with_an_undefined_warning(hand):
    s = CategorySet(name="one", items=[("cat", "animal"), ("dog", "animal"), ("gnu", "animal")])
    with pytest.warns(UnreliableScoreWarning) as caught:
        row = CategorizationEvaluator().evaluate(hand, s)
    assert all(math.isnan(row[k]) for k in ("purity", "adjusted_rand", "v_measure"))
    assert row["n_categories"] == 1 and "undefined" in {w.message.kind for w in caught}


def test_no_more_items_than_categories_is_nan(hand):
    # Two known items in two categories: every item alone, purity 1 whatever the vectors.
    s = CategorySet(name="two", items=[("cat", "animal"), ("oak", "tree"), ("gnu", "animal")])
    row = _quiet(CategorizationEvaluator().evaluate, hand, s)
    assert math.isnan(row["purity"]) and row["n_scored"] == 2 and row["coverage"] == pytest.approx(2 / 3)
    rows = category_table(hand, s)
    assert [r["cluster"] for r in rows] == [None, None] and all(math.isnan(r["share"]) for r in rows)


def test_nothing_known_is_nan(hand):
    s = CategorySet(name="none", items=[("gnu", "animal"), ("yak", "animal"), ("fir", "tree")])
    row = _quiet(CategorizationEvaluator().evaluate, hand, s, oov="mean", mean_vector=np.array([1.0, 0.0]))
    assert math.isnan(row["purity"]) and row["n_scored"] == 0 and row["coverage"] == 0.0


def test_drop_and_coverage(hand):
    s = CategorySet(
        name="toy",
        items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree"), ("elm", "tree"), ("gnu", "animal")],
    )
    drop = _quiet(CategorizationEvaluator().evaluate, hand, s, clustering="kmeans")
    assert (drop["n_pairs"], drop["n_scored"], drop["coverage"], drop["purity"]) == (5, 4, 0.8, 1.0)
    cov = _quiet(CategorizationEvaluator().evaluate, hand, s, clustering="kmeans", oov="coverage")
    assert cov["oov"] == "coverage" and cov["purity"] == pytest.approx(0.8)
    assert cov["adjusted_rand"] == pytest.approx(0.8) and cov["v_measure"] == pytest.approx(0.8)


def test_mean_puts_unknown_words_at_the_mean_vector(hand):
    # "gnu" (an animal) at the mean vector (1, 0.1): it joins cat and dog, purity 1.
    s = CategorySet(
        name="toy",
        items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree"), ("elm", "tree"), ("gnu", "animal")],
    )
    row = _quiet(
        CategorizationEvaluator().evaluate,
        hand,
        s,
        clustering="kmeans",
        oov="mean",
        mean_vector=np.array([1.0, 0.1]),
    )
    assert row["oov"] == "mean" and row["n_scored"] == 4 and row["purity"] == 1.0
    # At (0, 1) it joins the trees: purity (2 + 2) / 5.
    row = _quiet(
        CategorizationEvaluator().evaluate,
        hand,
        s,
        clustering="kmeans",
        oov="mean",
        mean_vector=np.array([0.0, 1.0]),
    )
    assert row["purity"] == pytest.approx(0.8)
    with pytest.raises(W2VEvalError, match="mean_vector"):
        CategorizationEvaluator().evaluate(hand, s, oov="mean")


def test_zero_and_subword_without_ngrams_are_scored_as_drop_and_say_so(hand):
    s = CategorySet(
        name="toy",
        items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree"), ("elm", "tree"), ("gnu", "animal")],
    )
    for policy in ("zero", "subword"):
        with pytest.warns(UserWarning, match="dropped"):
            row = _quiet(CategorizationEvaluator().evaluate, hand, s, oov=policy, clustering="kmeans")
        assert row["oov"] == "drop" and row["n_scored"] == 4 and row["purity"] == 1.0


def test_subword_clusters_fasttext_vectors_of_unknown_words(fasttext_model):
    kv = fasttext_model.wv
    vectors = load_vectors(kv)
    words = [("government", "a"), ("minister", "a"), ("zzyzxqq", "a"), ("rain", "b"), ("fire", "b")]
    assert "zzyzxqq" not in kv.key_to_index
    s = CategorySet(name="ft", items=words)
    row = _quiet(CategorizationEvaluator().evaluate, vectors, s, oov="subword", clustering="kmeans")
    X = np.array([kv[w] for w, _ in words], dtype=np.float64)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    labels = _web_labels(X, 2)["kmeans"]
    assert row["oov"] == "subword" and row["n_scored"] == 4
    assert row["purity"] == pytest.approx(_web_purity([c for _, c in words], labels), abs=1e-12)


def test_bad_options_are_errors(hand):
    s = CategorySet(name="toy", items=[("cat", "animal"), ("oak", "tree")])
    with pytest.raises(W2VEvalError, match="unknown OOV policy"):
        CategorizationEvaluator().evaluate(hand, s, oov="guess")
    with pytest.raises(W2VEvalError, match="unknown clustering"):
        CategorizationEvaluator().evaluate(hand, s, clustering="dbscan")


def test_ci_adds_nan_interval_columns_and_other_options_are_ignored(hand):
    s = CategorySet(
        name="toy", items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree"), ("elm", "tree")]
    )
    row = _quiet(
        CategorizationEvaluator().evaluate,
        hand,
        s,
        ci=0.95,
        ci_method="bca",
        n_resamples=10,
        seed=3,
        pvalues=False,
    )
    assert row["purity"] == 1.0
    assert all(
        math.isnan(row[f"{m}_{b}"]) for m in ("purity", "adjusted_rand", "v_measure") for b in ("lo", "hi")
    )


def test_matching_options_decide_which_words_are_known(hand):
    s = CategorySet(
        name="toy",
        items=[("Cat", "animal"), ("dog", "animal"), ("oak", "tree"), ("elm", "tree"), ("pine", "tree")],
    )
    folded = _quiet(CategorizationEvaluator().evaluate, hand, s, clustering="kmeans")
    assert folded["n_scored"] == 5 and folded["purity"] == 1.0
    exact = _quiet(CategorizationEvaluator().evaluate, hand, s, clustering="kmeans", case_sensitive=True)
    assert exact["n_scored"] == 4 and exact["coverage"] == pytest.approx(0.8)
    # Only the first 3 rows of the file (cat, dog, oak) count: 3 items in 2 categories.
    restricted = _quiet(CategorizationEvaluator().evaluate, hand, s, clustering="kmeans", restrict_vocab=3)
    assert restricted["n_scored"] == 3 and restricted["purity"] == 1.0
