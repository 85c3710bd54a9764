"""compare on tasks, outlier sets and categorization sets: paired statistics checked against
independent implementations (statsmodels' McNemar and Holm, a bootstrap and a randomisation
test over texts written here as loops) on real vectors (Lee-corpus gensim models, GloVe 6B 50d)."""

from __future__ import annotations

import csv
import math
import warnings

import numpy as np
import pytest
from _task_reference import outlier_clusters, sms_rows
from sklearn.metrics import f1_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

from w2veval import WordVectors
from w2veval.goldsets import GoldSet
from w2veval.goldsets._categories import CategorySet
from w2veval.goldsets._outliers import OutlierCluster, OutlierSet
from w2veval.goldsets._task import TextTask
from w2veval.io import load_vectors
from w2veval.matching import MatchRules
from w2veval.scoring import COMPARE_COLUMNS, compare, compare_many_rows
from w2veval.scoring._classification import out_of_fold_predictions
from w2veval.scoring._outliers import outlier_outcomes
from w2veval.scoring._warnings import UnreliableScoreWarning

RESAMPLES = 2000


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableScoreWarning)
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def spam_part(shared_tasks):
    """Every third message of the real SMS Spam Collection (read here, not by w2veval)."""
    rows = sms_rows(shared_tasks)[::3]
    return TextTask(name="sms-spam-part", texts=[r[1] for r in rows], labels=[r[0] for r in rows])


@pytest.fixture(scope="module")
def eight(shared_goldsets):
    clusters = [OutlierCluster(*c) for c in outlier_clusters(shared_goldsets / "outlier" / "8-8-8.csv")]
    return OutlierSet(name="8-8-8", clusters=clusters)


@pytest.fixture(scope="module")
def lee(w2v_model, cbow_model):
    return load_vectors(w2v_model.wv), load_vectors(cbow_model.wv)


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    words, matrix = glove_words_matrix
    return WordVectors(words, matrix, source="glove-6b-50d")


@pytest.fixture(scope="module")
def task_rows(lee, spam_part):
    return _quiet(compare_many_rows, {"sg": lee[0], "cbow": lee[1]}, [spam_part], n_resamples=RESAMPLES)


def _macro_f1(y, p) -> float:
    """Macro-F1 over the classes present in truth or predictions, by hand."""
    scores = []
    for label in sorted(set(y) | set(p)):
        tp = sum(1 for a, b in zip(y, p, strict=True) if a == label and b == label)
        fp = sum(1 for a, b in zip(y, p, strict=True) if a != label and b == label)
        fn = sum(1 for a, b in zip(y, p, strict=True) if a == label and b != label)
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def _fast_macro_f1(y: np.ndarray, p: np.ndarray, labels) -> float:
    scores = []
    for label in labels:
        tp = np.sum((y == label) & (p == label))
        denominator = np.sum(y == label) + np.sum(p == label)
        if denominator:
            scores.append(2 * tp / denominator)
    return float(np.mean(scores))


def test_task_row_matches_sklearn_statsmodels_and_loops(task_rows, lee, spam_part):
    (row,) = task_rows
    assert list(row) == list(COMPARE_COLUMNS)
    assert (row["kind"], row["metric"], row["n_common"]) == (
        "classification",
        "macro_f1",
        len(spam_part.texts),
    )
    y, pa = out_of_fold_predictions(lee[0], spam_part, rules=MatchRules())
    _, pb = out_of_fold_predictions(lee[1], spam_part, rules=MatchRules())
    assert row["score_a"] == pytest.approx(f1_score(y, pa, average="macro"), abs=1e-12)
    assert row["score_b"] == pytest.approx(_macro_f1(list(y), list(pb)), abs=1e-12)
    assert row["delta"] == pytest.approx(row["score_a"] - row["score_b"], abs=1e-15)
    assert math.isnan(row["spearman_a"]) and math.isnan(row["spearman_b"])
    # McNemar on correctness, by statsmodels.
    ra, rb = pa == y, pb == y
    table = [[np.sum(ra & rb), np.sum(ra & ~rb)], [np.sum(~ra & rb), np.sum(~ra & ~rb)]]
    assert row["p_mcnemar"] == pytest.approx(mcnemar(table, exact=True).pvalue, rel=1e-9)
    # A bootstrap over texts written as a loop: the same resampled texts for both models.
    rng = np.random.default_rng(12345)
    labels = sorted(set(y))
    deltas = []
    for _ in range(600):
        i = rng.integers(0, len(y), len(y))
        deltas.append(_fast_macro_f1(y[i], pa[i], labels) - _fast_macro_f1(y[i], pb[i], labels))
    low, high = np.quantile(deltas, [0.025, 0.975])
    spread = high - low
    assert row["delta_lo"] == pytest.approx(low, abs=0.15 * spread)
    assert row["delta_hi"] == pytest.approx(high, abs=0.15 * spread)
    # A paired randomisation test written as a loop: swap each text's two predictions with probability 1/2.
    extreme = 0
    for _ in range(600):
        swap = rng.random(len(y)) < 0.5
        a, b = np.where(swap, pb, pa), np.where(swap, pa, pb)
        extreme += (
            abs(_fast_macro_f1(y, a, labels) - _fast_macro_f1(y, b, labels)) >= abs(row["delta"]) - 1e-12
        )
    reference = (1 + extreme) / 601
    assert row["p_value"] == pytest.approx(reference, abs=max(0.03, 0.25 * reference))


def test_a_model_against_itself_on_a_task_and_an_outlier_set(lee, spam_part, glove, eight):
    rows = _quiet(compare_many_rows, [glove, glove], [spam_part, eight], n_resamples=500)
    for row in rows:
        assert row["delta"] == 0 and row["delta_lo"] == 0 and row["delta_hi"] == 0
        assert row["p_mcnemar"] == 1 and row["p_value"] == 1 and row["score_a"] == row["score_b"]


def test_outlier_row_matches_statsmodels_and_a_loop_bootstrap(glove, lee, eight):
    vectors = {"glove": glove, "sg": lee[0]}
    (row,) = _quiet(compare_many_rows, vectors, [eight], n_resamples=RESAMPLES)
    assert (row["kind"], row["metric"]) == ("outlier", "accuracy")
    out_a = _quiet(outlier_outcomes, glove, eight)
    out_b = _quiet(outlier_outcomes, lee[0], eight)
    both = [
        (a["detected"], b["detected"])
        for a, b in zip(out_a, out_b, strict=True)
        if a["scored"] and b["scored"]
    ]
    assert row["n_common"] == len(both) > 0
    a = np.array([x for x, _ in both]), np.array([y for _, y in both])
    assert row["score_a"] == pytest.approx(a[0].mean(), abs=1e-15)
    assert row["score_b"] == pytest.approx(a[1].mean(), abs=1e-15)
    table = [[np.sum(a[0] & a[1]), np.sum(a[0] & ~a[1])], [np.sum(~a[0] & a[1]), np.sum(~a[0] & ~a[1])]]
    assert row["p_value"] == row["p_mcnemar"] == pytest.approx(mcnemar(table, exact=True).pvalue, rel=1e-9)
    rng = np.random.default_rng(7)
    deltas = []
    for _ in range(2000):
        i = rng.integers(0, len(both), len(both))
        deltas.append(a[0][i].mean() - a[1][i].mean())
    low, high = np.quantile(deltas, [0.025, 0.975])
    assert row["delta_lo"] == pytest.approx(low, abs=0.15 * (high - low))
    assert row["delta_hi"] == pytest.approx(high, abs=0.15 * (high - low))


def test_holm_runs_over_tasks_outliers_and_pairs_together(lee, spam_part, eight, shared_goldsets):
    ws353 = GoldSet.from_file(shared_goldsets / "ws353" / "combined.tab", duplicates="keep")
    rows = _quiet(compare_many_rows, list(lee), [ws353, spam_part, eight], n_resamples=500)
    assert [r["metric"] for r in rows] == ["spearman", "macro_f1", "accuracy"]
    assert rows[0]["score_a"] == rows[0]["spearman_a"] and rows[0]["score_b"] == rows[0]["spearman_b"]
    assert math.isnan(rows[0]["p_mcnemar"])
    expected = multipletests([r["p_value"] for r in rows], method="holm")[1]
    assert [r["p_holm"] for r in rows] == pytest.approx(list(expected), abs=1e-12)


def test_categorization_gives_both_purities_and_no_test(lee):
    words = ["government", "minister", "president", "police", "fire", "water", "week", "year", "day"]
    cats = ["politics"] * 3 + ["emergency"] * 3 + ["time"] * 3
    items = CategorySet(name="toy-categories", items=list(zip(words, cats, strict=True)))
    with pytest.warns(UserWarning, match="toy-categories: categorization sets get no paired test"):
        (row,) = compare_many_rows(list(lee), [items], n_resamples=200)
    assert (row["kind"], row["metric"]) == ("categorization", "purity")
    assert 0 < row["score_a"] <= 1 and 0 < row["score_b"] <= 1
    assert row["delta"] == pytest.approx(row["score_a"] - row["score_b"], abs=1e-15)
    assert all(math.isnan(row[k]) for k in ("delta_lo", "delta_hi", "p_value", "p_mcnemar", "p_holm"))


def test_compare_frame_has_every_column(lee, spam_part):
    frame = _quiet(compare, lee[0], lee[1], [spam_part], n_resamples=200)
    assert list(frame.columns) == list(COMPARE_COLUMNS)
    assert frame.loc[0, "metric"] == "macro_f1"


def test_a_task_of_several_classes_matches_sklearn_and_a_loop(glove, lee, shared_goldsets):
    """AP's words as one-word texts labelled with their category: a real task of several classes."""
    with open(shared_goldsets / "categorization" / "ap.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["word"].strip()]
    chosen = list(dict.fromkeys(r["category"] for r in rows))[:5]
    rows = [r for r in rows if r["category"] in chosen]
    task = TextTask(name="ap-words", texts=[r["word"] for r in rows], labels=[r["category"] for r in rows])
    (row,) = _quiet(compare_many_rows, [glove, lee[1]], [task], n_resamples=RESAMPLES)
    y, pa = out_of_fold_predictions(glove, task, rules=MatchRules())
    _, pb = out_of_fold_predictions(lee[1], task, rules=MatchRules())
    assert len(set(y)) == 5
    assert row["score_a"] == pytest.approx(f1_score(y, pa, average="macro"), abs=1e-12)
    assert row["score_b"] == pytest.approx(f1_score(y, pb, average="macro"), abs=1e-12)
    ra, rb = pa == y, pb == y
    table = [[np.sum(ra & rb), np.sum(ra & ~rb)], [np.sum(~ra & rb), np.sum(~ra & ~rb)]]
    assert row["p_mcnemar"] == pytest.approx(mcnemar(table, exact=True).pvalue, rel=1e-9)
    rng = np.random.default_rng(99)
    labels = sorted(set(y) | set(pa) | set(pb))
    extreme, deltas = 0, []
    for _ in range(600):
        swap = rng.random(len(y)) < 0.5
        a, b = np.where(swap, pb, pa), np.where(swap, pa, pb)
        extreme += (
            abs(_fast_macro_f1(y, a, labels) - _fast_macro_f1(y, b, labels)) >= abs(row["delta"]) - 1e-12
        )
        i = rng.integers(0, len(y), len(y))
        deltas.append(_fast_macro_f1(y[i], pa[i], labels) - _fast_macro_f1(y[i], pb[i], labels))
    reference = (1 + extreme) / 601
    assert row["p_value"] == pytest.approx(reference, abs=max(0.03, 0.25 * reference))
    low, high = np.quantile(deltas, [0.025, 0.975])
    assert row["delta_lo"] == pytest.approx(low, abs=0.15 * (high - low))
    assert row["delta_hi"] == pytest.approx(high, abs=0.15 * (high - low))


def test_an_outlier_comparison_on_few_common_tests_is_warned_about(lee, eight):
    with pytest.warns(UserWarning, match=r"8-8-8: the comparison stands on only \d+ tests scored by both"):
        (row,) = compare_many_rows(list(lee), [eight], n_resamples=200)
    assert 0 < row["n_common"] < 30
