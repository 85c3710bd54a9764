"""Outlier detection (Camacho-Collados & Navigli 2016): checked against a loop-based
re-implementation written here from the paper's formulas, on GloVe 6B 50d and on
models trained with gensim on the Lee corpus, and on tiny examples worked out by hand."""

from __future__ import annotations

import ast
import csv
import math
import warnings

import numpy as np
import pytest

from w2veval import WordVectors
from w2veval.errors import W2VEvalError
from w2veval.goldsets._outliers import OutlierCluster, OutlierSet
from w2veval.io import load_vectors
from w2veval.matching import MatchRules
from w2veval.scoring._outliers import OutlierEvaluator, compactness_scores, outlier_outcomes
from w2veval.scoring._registry import evaluator_for
from w2veval.scoring._warnings import UnreliableScoreWarning


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableScoreWarning)
        return fn(*args, **kwargs)


# --------------------------------------------------------------------------- independent reference


def _read_outliers(path) -> OutlierSet:
    """vecto's CSV read with csv + ast (the trailing '' of each outlier list is an artefact)."""
    clusters = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words = [w for w in ast.literal_eval(row["words"]) if w.strip()]
            outliers = [w for w in ast.literal_eval(row["outliers"]) if w.strip()]
            clusters.append(OutlierCluster(row["category"], words, outliers))
    return OutlierSet(name=path.stem, clusters=clusters)


def _reference(words, matrix, outlier_set, min_known=2):
    """The paper's procedure, one word and one dot product at a time (drop policy).

    Lookup: the exact word, else its lower-case form (GloVe and the Lee models are
    lower-case, so this is what the case-folding rules give on them).
    """
    index = {}
    for i, w in enumerate(words):
        index.setdefault(w, i)

    def vec(w):
        row = index.get(w, index.get(w.lower()))
        if row is None:
            return None
        v = np.asarray(matrix[row], dtype=np.float64)
        return v / math.sqrt(float(np.dot(v, v)))

    outcomes = []
    for cluster in outlier_set.clusters:
        known = [v for v in (vec(w) for w in cluster.words) if v is not None]
        for outlier in cluster.outliers:
            o = vec(outlier)
            if o is None or len(known) < min_known:
                outcomes.append(None)
                continue
            W = [*known, o]
            n = len(W) - 1
            sim = [[float(np.dot(a, b)) for b in W] for a in W]
            scores = []
            for w in range(len(W)):
                rest = [i for i in range(len(W)) if i != w]
                total = sum(sim[i][j] for i in rest for j in rest if i != j)
                scores.append(total / (n * (n - 1)))
            op = sum(1 for i in range(n) if scores[i] < scores[n])
            outcomes.append((op, len(W)))
    scored = [o for o in outcomes if o is not None]
    accuracy = sum(op == size - 1 for op, size in scored) / len(scored)
    opp = sum(op / (size - 1) for op, size in scored) / len(scored)
    return outcomes, accuracy, opp


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    words, matrix = glove_words_matrix
    return WordVectors(words, matrix, source="glove-6b-50d")


@pytest.fixture(scope="module", params=["8-8-8", "wikisem500"])
def shared_outlier_set(request, shared_goldsets):
    return _read_outliers(shared_goldsets / "outlier" / f"{request.param}.csv")


def test_shared_files_read_as_documented(shared_goldsets):
    eight = _read_outliers(shared_goldsets / "outlier" / "8-8-8.csv")
    wiki = _read_outliers(shared_goldsets / "outlier" / "wikisem500.csv")
    assert (len(eight.clusters), eight.n_tests) == (8, 64)
    assert (len(wiki.clusters), wiki.n_tests) == (500, 2812)


def test_glove_matches_the_loop_reference(glove, glove_words_matrix, shared_outlier_set):
    words, matrix = glove_words_matrix
    expected, accuracy, opp = _reference(words, matrix, shared_outlier_set)
    row = _quiet(OutlierEvaluator().evaluate, glove, shared_outlier_set)
    outcomes = outlier_outcomes(glove, shared_outlier_set)
    got = [(o["op"], o["size"]) if o["scored"] else None for o in outcomes]
    assert got == expected
    assert row["n_pairs"] == shared_outlier_set.n_tests
    assert row["n_scored"] == sum(e is not None for e in expected)
    assert row["coverage"] == row["n_scored"] / row["n_pairs"]
    assert row["accuracy"] == pytest.approx(accuracy, abs=1e-12)
    assert row["opp"] == pytest.approx(opp, abs=1e-12)
    assert 0.0 <= row["accuracy"] <= 1.0 and 0.0 <= row["opp"] <= 1.0 and row["oov"] == "drop"


def test_outcomes_follow_set_order_and_say_what_was_detected(glove, shared_goldsets):
    eight = _read_outliers(shared_goldsets / "outlier" / "8-8-8.csv")
    outcomes = outlier_outcomes(glove, eight)
    assert [(o["category"], o["outlier"]) for o in outcomes] == [
        (c.category, w) for c in eight.clusters for w in c.outliers
    ]
    for o in outcomes:
        if o["scored"]:
            assert 0 <= o["op"] <= o["size"] - 1 and o["detected"] == (o["op"] == o["size"] - 1)
        else:
            assert o["op"] is None and o["detected"] is None and o["size"] == 0
    # "Mercedes_Benz" is a phrase GloVe does not have: its cluster is scored on the 7 others.
    german = [o for o in outcomes if o["category"] == "German_car_manufacturers" and o["scored"]]
    assert german and all(o["size"] == 8 for o in german)


@pytest.mark.parametrize("model", ["w2v_model", "cbow_model"])
def test_lee_models_match_the_loop_reference(request, model, shared_goldsets):
    kv = request.getfixturevalue(model).wv
    wiki = _read_outliers(shared_goldsets / "outlier" / "wikisem500.csv")
    expected, accuracy, opp = _reference(kv.index_to_key, kv.vectors, wiki)
    assert sum(e is not None for e in expected) >= 5  # the Lee vocabulary covers a few tests
    row = _quiet(OutlierEvaluator().evaluate, load_vectors(kv), wiki)
    got = [(o["op"], o["size"]) if o["scored"] else None for o in outlier_outcomes(load_vectors(kv), wiki)]
    assert got == expected
    assert row["accuracy"] == pytest.approx(accuracy, abs=1e-12)
    assert row["opp"] == pytest.approx(opp, abs=1e-12)


def test_two_runs_are_identical(glove, shared_goldsets):
    wiki = _read_outliers(shared_goldsets / "outlier" / "wikisem500.csv")
    first = _quiet(OutlierEvaluator().evaluate, glove, wiki)
    assert _quiet(OutlierEvaluator().evaluate, glove, wiki) == first


# --------------------------------------------------------------------------- by hand

# Three clusters in 2-D worked out on paper. W = cluster + outlier has 4 words, n = 3, so
# c(w) = (sum of the cosines of the 3 unordered pairs without w) * 2 / (3 * 2).
_HAND = {
    # cluster a=(1,0) b=(.8,.6) c=(.6,.8), outlier (-1,0): c(o)=2.36/3, c(a)=-.44/3, c(b)=c(c)=-1/3: OP 3
    "a1": (1, 0),
    "b1": (0.8, 0.6),
    "c1": (0.6, 0.8),
    "o1": (-1, 0),
    # a=(1,0) b=(0,1) c=(.28,.96), outlier (.8,.6): c(o)=1.24/3, c(a)=2.36/3, c(b)=1.88/3, c(c)=1.4/3: OP 0
    "a2": (1, 0),
    "b2": (0, 1),
    "c2": (0.28, 0.96),
    "o2": (0.8, 0.6),
    # a=(1,0) b=(.6,.8) c=(0,1), outlier (-.6,.8): c(o)=1.4/3, c(a)=1.88/3, c(b)=.2/3, c(c)=.28/3: OP 2
    "a3": (1, 0),
    "b3": (0.6, 0.8),
    "c3": (0, 1),
    "o3": (-0.6, 0.8),
    # a tie: a=(1,0) b=(0,1) c=(.6,.8), outlier (.8,.6): c(o)=c(c)=1.4/3 < c(a)=c(b)=2.36/3: OP 0
    "a4": (1, 0),
    "b4": (0, 1),
    "c4": (0.6, 0.8),
    "o4": (0.8, 0.6),
}


@pytest.fixture(scope="module")
def hand():
    return WordVectors(list(_HAND), np.array(list(_HAND.values()), dtype=np.float64), source="hand")


def _set(*clusters, name="toy"):
    return OutlierSet(name=name, clusters=[OutlierCluster(*c) for c in clusters])


def test_compactness_scores_by_hand():
    units = np.array([_HAND["a1"], _HAND["b1"], _HAND["c1"], _HAND["o1"]], dtype=np.float64)
    np.testing.assert_allclose(compactness_scores(units), [-0.44 / 3, -1 / 3, -1 / 3, 2.36 / 3], atol=1e-12)


def test_positions_accuracy_and_opp_by_hand(hand):
    toy = _set(*[(f"k{i}", (f"a{i}", f"b{i}", f"c{i}"), (f"o{i}",)) for i in (1, 2, 3)])
    outcomes = outlier_outcomes(hand, toy)
    assert [(o["op"], o["size"], o["detected"]) for o in outcomes] == [
        (3, 4, True),
        (0, 4, False),
        (2, 4, False),
    ]
    row = _quiet(OutlierEvaluator().evaluate, hand, toy)
    assert row["accuracy"] == pytest.approx(1 / 3, abs=1e-12)
    assert row["opp"] == pytest.approx((1 + 0 + 2 / 3) / 3, abs=1e-12)


def test_a_tie_with_the_outlier_is_not_counted_below_it(hand):
    toy = _set(("k4", ("a4", "b4", "c4"), ("o4",)))
    assert outlier_outcomes(hand, toy)[0]["op"] == 0  # c(c4) ties c(o4): not below it


def test_an_outlier_equal_to_a_cluster_word_ties_with_it():
    # Outlier y and cluster word x share a vector, so c(y) = c(x) = (cos(p,q) + 0 + cos(q,x)) / 3
    # = (.994 + 0 + .110) / 3; c(p) = (.110 + .110 + 1) / 3 is above, c(q) = (0 + 0 + 1) / 3 below,
    # and the tied x is not counted below y: OP = 1.
    wv = WordVectors(["p", "q", "x", "y"], [[1, 0], [0.9, 0.1], [0, 1], [0, 1]])
    toy = _set(("c", ("p", "q", "x"), ("y",)))
    (outcome,) = outlier_outcomes(wv, toy)
    assert outcome["op"] == 1 and outcome["detected"] is False


def test_registry_routes_outlier_sets_here(hand):
    toy = _set(("k1", ("a1", "b1", "c1"), ("o1",)))
    assert evaluator_for(toy).name == "outlier-detection"


# --------------------------------------------------------------------------- OOV


def test_drop_leaves_unknown_cluster_words_out_and_needs_two_known(hand):
    toy = _set(
        ("k1", ("a1", "b1", "c1", "zz1"), ("o1", "zz2")),  # scored on 3 cluster words; zz2 unknown
        ("k2", ("a2", "zz3", "zz4"), ("o2",)),
    )  # only 1 known cluster word: not scored
    outcomes = outlier_outcomes(hand, toy)
    assert [(o["scored"], o["op"], o["size"]) for o in outcomes] == [
        (True, 3, 4),
        (False, None, 0),
        (False, None, 0),
    ]
    row = _quiet(OutlierEvaluator().evaluate, hand, toy)
    assert (row["n_pairs"], row["n_scored"], row["coverage"]) == (3, 1, 1 / 3)
    assert (row["accuracy"], row["opp"]) == (1.0, 1.0)
    cov = _quiet(OutlierEvaluator().evaluate, hand, toy, oov="coverage")
    assert cov["accuracy"] == pytest.approx(1 / 3) and cov["opp"] == pytest.approx(1 / 3)
    assert cov["oov"] == "coverage"


def test_two_known_cluster_words_are_enough(hand):
    # W = {a1, b1, o1}: c(o1) = cos(a1, b1) = .8, c(a1) = cos(b1, o1) = -.8, c(b1) = -1: OP 2 of 2.
    toy = _set(("k1", ("a1", "b1", "zz"), ("o1",)))
    (outcome,) = outlier_outcomes(hand, toy)
    assert (outcome["op"], outcome["size"], outcome["detected"]) == (2, 3, True)


def test_nothing_known_is_nan_with_an_undefined_warning(hand):
    toy = _set(("k", ("zz1", "zz2", "zz3"), ("zz4",)))
    with pytest.warns(UnreliableScoreWarning) as caught:
        row = OutlierEvaluator().evaluate(hand, toy, ci=0.95)
    assert math.isnan(row["accuracy"]) and math.isnan(row["opp"]) and row["n_scored"] == 0
    assert math.isnan(row["accuracy_lo"]) and math.isnan(row["opp_hi"])
    assert "undefined" in {w.message.kind for w in caught}


def test_mean_fills_unknown_words_with_the_mean_vector(hand):
    toy = _set(("k1", ("a1", "b1", "zz"), ("o1",)))
    mean = np.array([0.6, 0.8])  # the direction of c1: W is then exactly the first hand cluster
    (outcome,) = outlier_outcomes(hand, toy, oov="mean", mean_vector=mean)
    assert (outcome["op"], outcome["size"]) == (3, 4)
    row = _quiet(OutlierEvaluator().evaluate, hand, toy, oov="mean", mean_vector=mean)
    assert row["oov"] == "mean" and row["accuracy"] == 1.0 and row["n_scored"] == 1
    with pytest.raises(W2VEvalError, match="mean_vector"):
        OutlierEvaluator().evaluate(hand, toy, oov="mean")


def test_zero_and_subword_without_ngrams_are_scored_as_drop_and_say_so(hand):
    toy = _set(("k1", ("a1", "b1", "c1", "zz"), ("o1",)))
    for policy in ("zero", "subword"):
        with pytest.warns(UserWarning, match="dropped"):
            row = _quiet(OutlierEvaluator().evaluate, hand, toy, oov=policy)
        assert row["oov"] == "drop" and row["accuracy"] == 1.0


def test_unknown_policy_is_an_error(hand):
    toy = _set(("k1", ("a1", "b1", "c1"), ("o1",)))
    with pytest.raises(W2VEvalError, match="unknown OOV policy"):
        OutlierEvaluator().evaluate(hand, toy, oov="guess")


def test_subword_gives_unknown_words_their_fasttext_vectors(fasttext_model):
    kv = fasttext_model.wv
    vectors = load_vectors(kv)
    assert vectors.subword_vector is not None and "zzyzxqq" not in kv.key_to_index
    toy = _set(("c", ("government", "minister", "zzyzxqq"), ("rain",)))
    row = _quiet(OutlierEvaluator().evaluate, vectors, toy, oov="subword")
    assert row["oov"] == "subword"
    words = ["government", "minister", "zzyzxqq", "rain"]
    units = [np.asarray(kv[w], dtype=np.float64) / np.linalg.norm(kv[w]) for w in words]
    sims = [[float(np.dot(a, b)) for b in units] for a in units]
    scores = [
        sum(sims[i][j] for i in range(4) for j in range(4) if i != j and w not in (i, j)) / 6
        for w in range(4)
    ]
    op = sum(scores[i] < scores[3] for i in range(3))
    assert outlier_outcomes(vectors, toy, oov="subword")[0]["op"] == op
    assert row["opp"] == pytest.approx(op / 3)


# --------------------------------------------------------------------------- intervals


def test_bootstrap_interval_matches_scipy_percentile(glove, shared_goldsets):
    from scipy.stats import bootstrap

    wiki = _read_outliers(shared_goldsets / "outlier" / "wikisem500.csv")
    row = _quiet(OutlierEvaluator().evaluate, glove, wiki, ci=0.95, n_resamples=4000, seed=1)
    outcomes = [o for o in outlier_outcomes(glove, wiki) if o["scored"]]
    detected = np.array([o["detected"] for o in outcomes], dtype=float)
    relative = np.array([o["op"] / (o["size"] - 1) for o in outcomes])
    for metric, values in (("accuracy", detected), ("opp", relative)):
        ref = bootstrap(
            (values,), np.mean, n_resamples=4000, method="percentile", confidence_level=0.95, random_state=5
        ).confidence_interval
        assert row[f"{metric}_lo"] <= row[metric] <= row[f"{metric}_hi"]
        # two different random streams: the bounds agree to Monte Carlo error
        assert row[f"{metric}_lo"] == pytest.approx(ref.low, abs=0.006)
        assert row[f"{metric}_hi"] == pytest.approx(ref.high, abs=0.006)
    again = _quiet(OutlierEvaluator().evaluate, glove, wiki, ci=0.95, n_resamples=4000, seed=1)
    assert again == row


def test_coverage_policy_scales_the_interval_too(hand):
    toy = _set(
        ("k1", ("a1", "b1", "c1"), ("o1",)),
        ("k2", ("a2", "b2", "c2"), ("o2", "zz")),
        ("k3", ("a3", "b3", "c3"), ("o3",)),
    )
    drop = _quiet(OutlierEvaluator().evaluate, hand, toy, ci=0.9, n_resamples=500)
    cov = _quiet(OutlierEvaluator().evaluate, hand, toy, oov="coverage", ci=0.9, n_resamples=500)
    for key in ("accuracy", "accuracy_lo", "accuracy_hi", "opp", "opp_lo", "opp_hi"):
        assert cov[key] == pytest.approx(drop[key] * 0.75)


def test_matching_options_decide_which_words_are_known(hand):
    toy = _set(("k1", ("A1", "b1", "c1"), ("o1",)))
    assert outlier_outcomes(hand, toy)[0]["size"] == 4
    exact = outlier_outcomes(hand, toy, rules=MatchRules(case="sensitive"))[0]
    # "A1" is unknown when case matters: W = {b1, c1, o1}, c(o1) = cos(b1, c1) = .96 is highest.
    assert (exact["size"], exact["op"], exact["detected"]) == (3, 2, True)
    row = _quiet(OutlierEvaluator().evaluate, hand, toy, case_sensitive=True)
    assert row["n_scored"] == 1 and row["accuracy"] == 1.0
    # restrict_vocab=2 keeps only a1 and b1 of the file: the outlier o1 is unknown.
    assert _quiet(OutlierEvaluator().evaluate, hand, toy, restrict_vocab=2)["n_scored"] == 0
