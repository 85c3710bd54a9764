"""The downstream-task evaluator, checked against a straightforward re-implementation.

The independent implementation here looks tokens up in plain dicts (GloVe) or in gensim
``KeyedVectors`` (the Lee models), averages unit vectors with ``np.mean`` text by text,
and trains the same scikit-learn classifier on the same folds; the evaluator must give
the very same predictions. The real task files are read from ``../shared/tasks`` by a
small reader written here (not the library's).
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from w2veval import WordVectors, evaluate
from w2veval.errors import W2VEvalError
from w2veval.goldsets._task import TextTask
from w2veval.io import load_vectors
from w2veval.matching import MatchRules
from w2veval.scoring._classification import (
    DEFAULT_FOLDS,
    ClassificationEvaluator,
    class_table,
    classification_interval,
    out_of_fold_predictions,
)
from w2veval.scoring._features import text_features
from w2veval.scoring._warnings import UnreliableScoreWarning

sklearn_metrics = pytest.importorskip("sklearn.metrics")


# --------------------------------------------------------------------------- the real tasks


def _polarity(shared_tasks, every: int = 1) -> TextTask:
    texts, labels = [], []
    for label in ("pos", "neg"):
        raw = (shared_tasks / "mr-polarity" / f"rt-polarity.{label}").read_bytes().decode("cp1252")
        lines = [line for line in raw.split("\n") if line.strip()][::every]
        texts += lines
        labels += [label] * len(lines)
    return TextTask(name="mr-polarity", texts=texts, labels=labels)


def _spam(shared_tasks) -> TextTask:
    raw = (shared_tasks / "sms-spam" / "SMSSpamCollection").read_bytes().decode("utf-8")
    lines = raw.split("\n")
    assert lines[0].rstrip("\r") == "Label\tSMS"
    rows = [line.rstrip("\r").split("\t", 1) for line in lines[1:] if line.strip()]
    return TextTask(name="sms-spam", texts=[r[1] for r in rows], labels=[r[0] for r in rows])


@pytest.fixture(scope="module")
def polarity_part(shared_tasks):
    """Every 5th review of each class: 2,134 texts, so that a cross-validation takes a second."""
    return _polarity(shared_tasks, every=5)


@pytest.fixture(scope="module")
def spam(shared_tasks):
    return _spam(shared_tasks)


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    words, matrix = glove_words_matrix
    return WordVectors(words, matrix)


@pytest.fixture(scope="module")
def glove_dict(glove_words_matrix):
    words, _matrix = glove_words_matrix
    return {w: i for i, w in enumerate(words)}


# --------------------------------------------------------------------------- the independent implementation


def _reference_predictions(texts, labels, vector_of, folds=DEFAULT_FOLDS, seed=0):
    """np.mean of unit vectors per text, LogisticRegression under the same folds, text by text."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    dim = len(
        vector_of("the")
        if vector_of("the") is not None
        else next(v for t in texts for v in map(vector_of, re.findall(r"\w+", t)) if v is not None)
    )
    rows = []
    for text in texts:
        units = []
        for token in re.findall(r"\w+", text):
            vector = vector_of(token)
            if vector is not None:
                vector = np.asarray(vector, dtype=np.float64)
                units.append(vector / np.linalg.norm(vector))
        rows.append(np.mean(units, axis=0) if units else np.zeros(dim))
    x, y = np.array(rows), np.asarray(labels)
    predicted = np.empty(len(y), dtype=y.dtype)
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(x, y):
        model = LogisticRegression(max_iter=1000).fit(x[train], y[train])
        predicted[test] = model.predict(x[test])
    return y, predicted


def _dict_lookup(index, matrix):
    """Exact form (NFC) first, else the most frequent word with the same casefold."""
    folded = {}
    for word, row in index.items():
        folded.setdefault(word.casefold(), row)  # the first seen is the most frequent (rank order)

    def vector_of(token):
        token = unicodedata.normalize("NFC", token)
        row = index.get(token, folded.get(token.casefold()))
        return None if row is None else matrix[row]

    return vector_of


@pytest.fixture(scope="module")
def glove_vector_of(glove_dict, glove_words_matrix):
    return _dict_lookup(glove_dict, glove_words_matrix[1])


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableScoreWarning)
        return function(*args, **kwargs)


# --------------------------------------------------------------------------- GloVe and the Lee models


@pytest.fixture(scope="module")
def glove_polarity(glove, polarity_part):
    return ClassificationEvaluator().evaluate(glove, polarity_part)


@pytest.fixture(scope="module")
def glove_polarity_reference(glove_vector_of, polarity_part):
    return _reference_predictions(polarity_part.texts, polarity_part.labels, glove_vector_of)


def test_glove_polarity_predictions_equal_the_independent_implementation(
    glove, polarity_part, glove_polarity_reference
):
    truth, predicted = out_of_fold_predictions(glove, polarity_part)
    ref_truth, ref_predicted = glove_polarity_reference
    assert truth.tolist() == ref_truth.tolist()
    assert predicted.tolist() == ref_predicted.tolist()


def test_glove_polarity_scores_equal_sklearns_metrics(glove_polarity, glove_polarity_reference):
    truth, predicted = glove_polarity_reference
    assert glove_polarity["accuracy"] == pytest.approx(
        sklearn_metrics.accuracy_score(truth, predicted), abs=1e-12
    )
    assert glove_polarity["macro_f1"] == pytest.approx(
        sklearn_metrics.f1_score(truth, predicted, average="macro"), abs=1e-12
    )
    assert 0.6 < glove_polarity["accuracy"] < 0.85  # GloVe 50d averages: near 0.70 on MR


def test_glove_polarity_row_counts_texts_tokens_and_settings(glove_polarity, polarity_part, glove_vector_of):
    tokens = [t for text in polarity_part.texts for t in re.findall(r"\w+", text)]
    known = sum(glove_vector_of(t) is not None for t in tokens)
    no_known = sum(
        all(glove_vector_of(t) is None for t in re.findall(r"\w+", text)) for text in polarity_part.texts
    )
    assert glove_polarity["n_pairs"] == len(polarity_part.texts) == 2134
    assert glove_polarity["n_no_known_token"] == no_known
    assert glove_polarity["n_scored"] == 2134 - no_known
    assert glove_polarity["coverage"] == (2134 - no_known) / 2134
    assert glove_polarity["token_coverage"] == known / len(tokens)
    assert (
        glove_polarity["n_classes"],
        glove_polarity["folds"],
        glove_polarity["features"],
        glove_polarity["oov"],
    ) == (2, 10, "mean", "drop")


@pytest.mark.parametrize("model_name", ["w2v_model", "cbow_model"])
def test_lee_models_predictions_equal_gensim_keyedvectors_averaging(request, model_name, polarity_part):
    kv = request.getfixturevalue(model_name).wv
    # The Lee vocabulary is lower-case news text: an exact match, else the lower-cased form.
    folded = {}
    for word in kv.index_to_key:
        folded.setdefault(word.casefold(), word)

    def vector_of(token):
        word = token if token in kv.key_to_index else folded.get(token.casefold())
        return None if word is None else kv.get_vector(word)

    ref_truth, ref_predicted = _reference_predictions(polarity_part.texts, polarity_part.labels, vector_of)
    vectors = load_vectors(kv)
    _truth, predicted = out_of_fold_predictions(vectors, polarity_part)
    assert predicted.tolist() == ref_predicted.tolist()
    row = _quiet(ClassificationEvaluator().evaluate, vectors, polarity_part)
    assert row["accuracy"] == pytest.approx(
        sklearn_metrics.accuracy_score(ref_truth, ref_predicted), abs=1e-12
    )
    assert row["macro_f1"] == pytest.approx(
        sklearn_metrics.f1_score(ref_truth, ref_predicted, average="macro"), abs=1e-12
    )


def test_lee_model_on_movie_reviews_warns_of_low_token_coverage(w2v_model, polarity_part):
    with pytest.warns(UnreliableScoreWarning) as caught:
        row = ClassificationEvaluator().evaluate(load_vectors(w2v_model.wv), polarity_part)
    kinds = {w.message.kind for w in caught}
    assert row["token_coverage"] < 0.8 and "low_coverage" in kinds


def test_subword_policy_uses_fasttext_ngram_vectors_of_unknown_tokens(fasttext_model):
    kv = fasttext_model.wv
    unknown = "zzyzxqq"
    assert unknown not in kv.key_to_index
    task = TextTask(name="t", texts=[f"{unknown} government", unknown], labels=["a", "b"])
    built = text_features(load_vectors(kv), task, oov="subword")
    unit = lambda v: np.asarray(v, dtype=np.float64) / np.linalg.norm(v)  # noqa: E731
    np.testing.assert_allclose(built.matrix[0], (unit(kv[unknown]) + unit(kv["government"])) / 2, atol=1e-6)
    np.testing.assert_allclose(built.matrix[1], unit(kv[unknown]), atol=1e-6)
    assert built.known_tokens.tolist() == [1, 0] and built.policy == "subword"


def test_subword_without_ngrams_falls_back_to_drop_and_says_so(w2v_model):
    task = TextTask(name="t", texts=["government zzyzxqq"] * 4 + ["people"] * 4, labels=["a"] * 4 + ["b"] * 4)
    with pytest.warns(UserWarning, match="no subword"):
        row = _quiet(
            ClassificationEvaluator().evaluate, load_vectors(w2v_model.wv), task, oov="subword", folds=2
        )
    assert row["oov"] == "drop"


# --------------------------------------------------------------------------- spam: imbalanced


@pytest.fixture(scope="module")
def glove_spam(glove, spam):
    return ClassificationEvaluator().evaluate(glove, spam, ci=0.95, n_resamples=2000)


def test_spam_macro_f1_is_the_mean_of_both_classes_f1_not_accuracy(glove_spam, glove, spam, glove_vector_of):
    ref_truth, ref_predicted = _reference_predictions(spam.texts, spam.labels, glove_vector_of)
    assert (ref_truth == "spam").sum() == 747 and (ref_truth == "ham").sum() == 4827
    f1 = sklearn_metrics.f1_score(ref_truth, ref_predicted, average=None, labels=["ham", "spam"])
    assert glove_spam["macro_f1"] == pytest.approx(f1.mean(), abs=1e-12)
    assert glove_spam["accuracy"] == pytest.approx(np.mean(ref_truth == ref_predicted), abs=1e-12)
    assert glove_spam["accuracy"] - glove_spam["macro_f1"] > 0.03  # spam is the harder, smaller class


@pytest.fixture(scope="module")
def spam_oof(glove, spam):
    return out_of_fold_predictions(glove, spam)


def test_spam_interval_brackets_the_score_and_matches_a_text_bootstrap(glove_spam, spam_oof):
    truth, predicted = spam_oof
    rng = np.random.default_rng(7)
    accuracies, f1s = [], []
    for _ in range(2000):  # the plain bootstrap: draw texts with replacement
        i = rng.integers(0, len(truth), len(truth))
        t, p = truth[i] == "spam", predicted[i] == "spam"
        tp, fp, fn, tn = (np.sum(t & p), np.sum(~t & p), np.sum(t & ~p), np.sum(~t & ~p))
        accuracies.append((tp + tn) / len(i))
        f1s.append((2 * tp / (2 * tp + fp + fn) + 2 * tn / (2 * tn + fn + fp)) / 2)
    for metric, values in (("accuracy", accuracies), ("macro_f1", f1s)):
        low, high = np.quantile(values, [0.025, 0.975])
        assert glove_spam[f"{metric}_lo"] < glove_spam[metric] < glove_spam[f"{metric}_hi"]
        # two Monte Carlo runs of the same bootstrap distribution: endpoints agree closely
        assert glove_spam[f"{metric}_lo"] == pytest.approx(low, abs=0.006)
        assert glove_spam[f"{metric}_hi"] == pytest.approx(high, abs=0.006)


def test_class_table_equals_sklearns_per_class_report(spam_oof):
    truth, predicted = spam_oof
    precision, recall, f1, support = sklearn_metrics.precision_recall_fscore_support(
        truth, predicted, labels=["ham", "spam"]
    )
    table = class_table(truth, predicted)
    assert [r["label"] for r in table] == ["ham", "spam"]
    for i, row in enumerate(table):
        assert row["support"] == support[i]
        assert row["precision"] == pytest.approx(precision[i], abs=1e-12)
        assert row["recall"] == pytest.approx(recall[i], abs=1e-12)
        assert row["f1"] == pytest.approx(f1[i], abs=1e-12)


def test_coverage_policy_multiplies_by_text_coverage(glove, spam, glove_spam):
    row = _quiet(ClassificationEvaluator().evaluate, glove, spam, oov="coverage")
    assert glove_spam["n_no_known_token"] > 0  # texts of digits and symbols only GloVe does not know
    assert row["oov"] == "coverage"
    assert row["accuracy"] == pytest.approx(glove_spam["accuracy"] * glove_spam["coverage"], abs=1e-12)
    assert row["macro_f1"] == pytest.approx(glove_spam["macro_f1"] * glove_spam["coverage"], abs=1e-12)


# --------------------------------------------------------------------------- worked by hand


@pytest.fixture
def toy_vectors():
    return WordVectors(
        ["good", "film", "Bad", "bad"], np.array([[3.0, 4.0], [0.0, 2.0], [1.0, 0.0], [-1.0, 0.0]])
    )


def test_features_by_hand_each_occurrence_counts(toy_vectors):
    task = TextTask(name="t", texts=["good good film!", "dull", "", "good zzz"], labels=["p", "n", "n", "p"])
    built = text_features(toy_vectors, task)
    # good = (0.6, 0.8), film = (0, 1): (0.6 + 0.6 + 0, 0.8 + 0.8 + 1) / 3
    np.testing.assert_allclose(built.matrix, [[0.4, 2.6 / 3], [0, 0], [0, 0], [0.6, 0.8]], atol=1e-15)
    assert built.known_tokens.tolist() == [3, 0, 0, 1]
    assert built.all_tokens.tolist() == [3, 1, 0, 2]
    zero = text_features(toy_vectors, task, oov="zero").matrix
    np.testing.assert_allclose(zero[3], [0.3, 0.4], atol=1e-15)  # (good + 0) / 2
    mean = text_features(toy_vectors, task, oov="mean", mean_vector=np.array([0.0, -5.0])).matrix
    np.testing.assert_allclose(mean[3], [0.3, -0.1], atol=1e-15)  # (good + (0, -1)) / 2
    np.testing.assert_allclose(mean[1], [0.0, -1.0], atol=1e-15)


def test_casing_follows_the_matching_rules(toy_vectors):
    vectors = WordVectors(["Good", "film"], np.array([[0.0, 5.0], [1.0, 0.0]]))
    task = TextTask(name="t", texts=["good", "GOOD film", "Good"], labels=["a", "b", "a"])
    folded = text_features(vectors, task)
    assert folded.known_tokens.tolist() == [1, 2, 1]  # "good" and "GOOD" find "Good" by casefold
    exact = text_features(vectors, task, rules=MatchRules.from_options(True))
    assert exact.known_tokens.tolist() == [0, 1, 1]
    np.testing.assert_allclose(exact.matrix[0], [0, 0])
    # "bad" is in the vocabulary: exact form wins over its casefold twin "Bad"
    own = text_features(toy_vectors, TextTask(name="u", texts=["bad", "BAD"], labels=["a", "b"]))
    np.testing.assert_allclose(own.matrix, [[-1.0, 0.0], [1.0, 0.0]])


def test_texts_with_no_known_token_get_zero_features_and_are_counted():
    vectors = WordVectors(["up", "down"], np.array([[0.0, 1.0], [0.0, -1.0]]))
    texts = ["up"] * 100 + ["down"] * 100 + ["???", "xyzzy"] * 10
    labels = ["u"] * 100 + ["d"] * 100 + ["u"] * 20
    row = _quiet(
        ClassificationEvaluator().evaluate, vectors, TextTask(name="t", texts=texts, labels=labels), folds=5
    )
    assert row["n_pairs"] == 220 and row["n_scored"] == 200 and row["n_no_known_token"] == 20
    assert row["coverage"] == pytest.approx(200 / 220)
    assert row["token_coverage"] == pytest.approx(200 / 210)  # "???" has no token at all
    # "up" (0, 1) texts are u, "down" (0, -1) texts d, far apart for 176 training texts;
    # the zero rows are all u, so the intercept leans to u and they are predicted u
    assert row["accuracy"] == 1.0 and row["macro_f1"] == 1.0


def test_nothing_known_is_nan_with_a_warning():
    vectors = WordVectors(["up"], np.array([[0.0, 1.0]]))
    task = TextTask(name="t", texts=["a", "b"] * 10, labels=["x", "y"] * 10)
    with pytest.warns(UnreliableScoreWarning, match="undefined"):
        row = ClassificationEvaluator().evaluate(vectors, task, ci=0.9)
    assert all(math.isnan(row[k]) for k in ("accuracy", "macro_f1", "accuracy_lo", "macro_f1_hi"))
    assert row["n_scored"] == 0 and row["token_coverage"] == 0.0


def test_a_class_smaller_than_the_folds_is_nan_and_says_which(toy_vectors):
    task = TextTask(name="t", texts=["good"] * 12 + ["bad"] * 3, labels=["p"] * 12 + ["n"] * 3)
    with pytest.warns(UnreliableScoreWarning, match=r"class 'n' has 3 text\(s\), fewer than the 10 folds"):
        row = ClassificationEvaluator().evaluate(toy_vectors, task)
    assert math.isnan(row["accuracy"]) and math.isnan(row["macro_f1"])
    with pytest.raises(W2VEvalError, match="fewer than the 10 folds"):
        out_of_fold_predictions(toy_vectors, task)
    with pytest.raises(W2VEvalError, match="folds must be"):
        ClassificationEvaluator().evaluate(toy_vectors, task, folds=1)
    with pytest.raises(W2VEvalError, match="unknown OOV policy"):
        ClassificationEvaluator().evaluate(toy_vectors, task, oov="guess")


def test_deterministic(glove, polarity_part, glove_polarity_reference):
    small = TextTask(name="small", texts=polarity_part.texts[::8], labels=polarity_part.labels[::8])
    first = [
        _quiet(ClassificationEvaluator().evaluate, glove, small, seed=3, ci=0.9, n_resamples=500)
        for _ in range(2)
    ]
    assert first[0] == first[1]
    interval = [classification_interval(*glove_polarity_reference, n_resamples=500, seed=1) for _ in range(2)]
    assert interval[0] == interval[1]


def test_evaluate_scores_a_task_object_through_the_registry(toy_vectors):
    task = TextTask(name="toy", texts=["good film", "bad", "Bad zzz"] * 10, labels=["p", "n", "n"] * 10)
    row = _quiet(evaluate, toy_vectors, task, ci=0.95, n_resamples=100).iloc[0]
    assert row["evaluator"] == "classification" and row["goldset"] == "toy" and row["oov"] == "drop"
    assert (row["n_pairs"], row["n_scored"], row["accuracy"], row["macro_f1"]) == (30, 30, 1.0, 1.0)
    assert row["token_coverage"] == pytest.approx(40 / 50)


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abcd")), min_size=1, max_size=40))
def test_class_table_and_interval_agree_with_sklearn_on_any_predictions(pairs):
    truth, predicted = (np.array(x) for x in zip(*pairs, strict=True))
    labels = sorted(set(truth) | set(predicted))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, _, f1, support = sklearn_metrics.precision_recall_fscore_support(
            truth, predicted, labels=labels, zero_division=0
        )
    table = class_table(truth, predicted)
    assert [r["support"] for r in table] == support.tolist()
    np.testing.assert_allclose([0 if math.isnan(r["f1"]) else r["f1"] for r in table], f1, atol=1e-12)
    ci = classification_interval(truth, predicted, n_resamples=200, seed=0)
    assert 0 <= ci["accuracy_lo"] <= ci["accuracy_hi"] <= 1
    assert 0 <= ci["macro_f1_lo"] <= ci["macro_f1_hi"] <= 1


def test_sif_features_equal_a_loop_implementation_of_arora_et_al(w2v_model, polarity_part):
    kv = w2v_model.wv
    task = TextTask(name="small", texts=polarity_part.texts[::10], labels=polarity_part.labels[::10])
    tokens = [re.findall(r"\w+", text) for text in task.texts]
    counts = {}
    for text_tokens in tokens:
        for token in text_tokens:
            counts[token] = counts.get(token, 0) + 1
    total = sum(counts.values())
    rows = []
    for text_tokens in tokens:  # exact forms only (case-sensitive), to keep the reference short
        known = [t for t in text_tokens if t in kv.key_to_index]
        weighted = [
            1e-3 / (1e-3 + counts[t] / total) * kv.get_vector(t, norm=True).astype(np.float64) for t in known
        ]
        rows.append(np.sum(weighted, axis=0) / len(known) if known else np.zeros(kv.vector_size))
    x = np.array(rows)
    u = np.linalg.svd(x, full_matrices=False)[2][0]
    expected = x - np.outer(x @ u, u)
    built = text_features(load_vectors(kv), task, features="sif", rules=MatchRules.from_options(True))
    np.testing.assert_allclose(built.matrix, expected, atol=1e-6)
