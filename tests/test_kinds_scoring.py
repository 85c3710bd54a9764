"""evaluate/evaluate_rows on categorization, outlier and classification sets beside word pairs:
the kind column, one set of columns for every row, the options reaching the evaluators, and
only the sets' words read from a vectors file. Real data (../shared read here), real vectors
(Lee-corpus gensim models, GloVe 6B 50d); expected numbers from scikit-learn and loops here."""

from __future__ import annotations

import csv
import json
import math
import re
import warnings

import pytest
from _task_reference import outlier_clusters, sms_rows
from sklearn.metrics import accuracy_score, f1_score

import w2veval.io
from w2veval import WordVectors
from w2veval._output import to_csv, to_json
from w2veval.goldsets import GoldSet
from w2veval.goldsets._categories import CategorySet
from w2veval.goldsets._outliers import OutlierCluster, OutlierSet
from w2veval.goldsets._task import TextTask
from w2veval.io import load_vectors
from w2veval.matching import MatchRules
from w2veval.scoring import COLUMNS, evaluate, evaluate_rows
from w2veval.scoring._classification import out_of_fold_predictions
from w2veval.scoring._evaluate import KIND_COLUMNS, goldset_kind, table_columns
from w2veval.scoring._outliers import outlier_outcomes


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the Lee corpus covers little
        yield


@pytest.fixture(scope="module")
def spam_part(shared_tasks):
    """Every fourth message of the real SMS Spam Collection (read here, not by w2veval)."""
    rows = sms_rows(shared_tasks)[::4]
    return TextTask(name="sms-spam-part", texts=[r[1] for r in rows], labels=[r[0] for r in rows])


@pytest.fixture(scope="module")
def eight(shared_goldsets):
    clusters = [OutlierCluster(*c) for c in outlier_clusters(shared_goldsets / "outlier" / "8-8-8.csv")]
    return OutlierSet(name="8-8-8", clusters=clusters)


@pytest.fixture(scope="module")
def ap_part(shared_goldsets):
    """AP's first categories, read with csv here."""
    with open(shared_goldsets / "categorization" / "ap.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    word_col = next(i for i, h in enumerate(header) if h.strip().lower() in ("word", "words", "item"))
    cat_col = next(i for i, h in enumerate(header) if h.strip().lower() in ("category", "cat", "class"))
    items = list(
        dict.fromkeys(
            (r[word_col].strip(), r[cat_col].strip())
            for r in body
            if len(r) > cat_col and r[word_col].strip() and r[cat_col].strip()
        )
    )
    return CategorySet(name="ap", items=items[:120])


@pytest.fixture(scope="module")
def ws353(shared_goldsets):
    return GoldSet.from_file(shared_goldsets / "ws353" / "combined.tab", duplicates="keep")


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    words, matrix = glove_words_matrix
    return WordVectors(words, matrix, source="glove-6b-50d")


@pytest.fixture(scope="module")
def mixed_rows(glove, ws353, ap_part, eight, spam_part):
    return evaluate_rows({"glove": glove}, [ws353, ap_part, eight, spam_part])


def test_every_kind_gets_a_row_with_its_kind(mixed_rows, ws353, ap_part, eight, spam_part):
    assert [r["goldset"] for r in mixed_rows] == ["combined", "ap", "8-8-8", "sms-spam-part"]
    assert [r["kind"] for r in mixed_rows] == [ws353.kind, "categorization", "outlier", "classification"]
    assert [r["evaluator"] for r in mixed_rows] == [
        "word-pairs",
        "categorization",
        "outlier-detection",
        "classification",
    ]
    assert [goldset_kind(g) for g in (ap_part, eight, spam_part)] == [
        "categorization",
        "outlier",
        "classification",
    ]


def test_rows_share_their_columns_and_nan_marks_what_does_not_apply(mixed_rows):
    assert all(list(r) == list(mixed_rows[0]) for r in mixed_rows)
    assert list(mixed_rows[0])[: len(COLUMNS)] == list(COLUMNS)
    assert list(mixed_rows[0])[-1] == "w2veval_version"
    pairs, cats, outliers, task = mixed_rows
    assert not math.isnan(pairs["spearman"]) and all(math.isnan(r["spearman"]) for r in mixed_rows[1:])
    for row in (pairs, outliers, task):
        assert math.isnan(row["purity"])
    assert 0 < cats["purity"] <= 1 and math.isnan(cats["accuracy"])
    assert math.isnan(outliers["macro_f1"]) and 0 <= outliers["accuracy"] <= 1 and 0 <= outliers["opp"] <= 1
    assert 0 < task["macro_f1"] <= 1 and math.isnan(task["opp"])


def test_task_and_outlier_numbers_match_independent_computations(mixed_rows, glove, eight, spam_part):
    _, _, outliers, task = mixed_rows
    y, predicted = out_of_fold_predictions(glove, spam_part, rules=MatchRules())
    assert task["macro_f1"] == pytest.approx(f1_score(y, predicted, average="macro"), abs=1e-12)
    assert task["accuracy"] == pytest.approx(accuracy_score(y, predicted), abs=1e-12)
    assert task["n_pairs"] == len(spam_part.texts)
    known = set(glove.words)
    with_known = sum(
        any(t.lower() in known for t in spam_part_tokens)
        for spam_part_tokens in (re.findall(r"\w+", text) for text in spam_part.texts)
    )
    assert task["n_scored"] == with_known and task["coverage"] == pytest.approx(with_known / task["n_pairs"])
    outcomes = outlier_outcomes(glove, eight)
    scored = [o for o in outcomes if o["scored"]]
    assert outliers["accuracy"] == pytest.approx(sum(o["detected"] for o in scored) / len(scored), abs=1e-15)
    assert outliers["n_pairs"] == eight.n_tests == 64


def test_a_frame_csv_and_json_keep_every_column(glove, ap_part, spam_part, ws353):
    frame = evaluate(glove, [ws353, ap_part])
    assert list(frame["kind"]) == [ws353.kind, "categorization"]
    assert {"purity", "spearman", "adjusted_rand", "v_measure"} <= set(frame.columns)
    rows = evaluate_rows(glove, [ap_part, ws353])
    header = to_csv(rows).splitlines()[0].split(",")
    assert header == list(rows[0])
    printed = json.loads(to_json(rows))
    assert printed[0]["spearman"] is None and printed[1]["purity"] is None
    assert printed[0]["kind"] == "categorization"


def test_table_columns_are_those_of_the_kinds_present(mixed_rows):
    tasks_only = table_columns([mixed_rows[3]])
    assert tasks_only == COLUMNS[:6] + KIND_COLUMNS["classification"]
    assert "spearman" not in tasks_only
    everything = table_columns(mixed_rows)
    assert everything[: len(COLUMNS)] == COLUMNS
    for kind in ("categorization", "outlier", "classification"):
        assert set(KIND_COLUMNS[kind]) <= set(everything)
    assert len(everything) == len(set(everything))  # accuracy once, though two kinds have it


def test_ci_seed_oov_and_restrict_vocab_reach_the_evaluators(glove, eight, spam_part):
    options = {"ci": 0.9, "n_resamples": 400, "oov": "coverage", "restrict_vocab": 20_000}
    rows = evaluate_rows(glove, [eight, spam_part], seed=3, **options)
    again = evaluate_rows(glove, [eight, spam_part], seed=3, **options)
    other = evaluate_rows(glove, [eight, spam_part], seed=4, **options)
    outliers, task = rows
    assert outliers["accuracy_lo"] <= outliers["accuracy"] <= outliers["accuracy_hi"]
    assert task["macro_f1_lo"] <= task["macro_f1_hi"]
    assert [(r["accuracy_lo"], r["macro_f1_lo"]) for r in rows] == [
        (r["accuracy_lo"], r["macro_f1_lo"]) for r in again
    ]
    assert (task["macro_f1_lo"], task["macro_f1_hi"]) != (other[1]["macro_f1_lo"], other[1]["macro_f1_hi"])
    assert outliers["oov"] == task["oov"] == "coverage"
    assert outliers["restrict_vocab"] == task["restrict_vocab"] == 20_000
    # coverage: the accuracy on the tests scored within the first 20,000 words, times the coverage.
    scored = [o for o in outlier_outcomes(glove, eight, restrict_vocab=20_000) if o["scored"]]
    share = len(scored) / eight.n_tests
    assert outliers["coverage"] == pytest.approx(share, abs=1e-15)
    assert outliers["accuracy"] == pytest.approx(
        share * sum(o["detected"] for o in scored) / len(scored), abs=1e-12
    )
    # restrict_vocab alone: the task's macro-F1 as the first 20,000 words give it.
    (restricted,) = evaluate_rows(glove, [spam_part], restrict_vocab=20_000)
    y, predicted = out_of_fold_predictions(glove, spam_part, rules=MatchRules(), restrict_vocab=20_000)
    assert restricted["macro_f1"] == pytest.approx(f1_score(y, predicted, average="macro"), abs=1e-12)


def test_only_the_sets_words_are_read_from_a_vectors_file(
    w2v_model, tmp_path, monkeypatch, eight, spam_part, ap_part
):
    path = tmp_path / "sg.txt"
    w2v_model.wv.save_word2vec_format(path)
    asked = []
    real = w2veval.io.load_vectors

    def spy(source, **options):
        asked.append(options.get("words"))
        return real(source, **options)

    monkeypatch.setattr(w2veval.io, "load_vectors", spy)
    rows = evaluate_rows(path, [eight, spam_part, ap_part])
    wanted = set(eight.words) | set(spam_part.words) | set(ap_part.words)
    assert [set(w) for w in asked] == [wanted]
    assert set(spam_part.words) >= {t for text in spam_part.texts[:5] for t in re.findall(r"\w+", text)}
    direct = evaluate_rows(load_vectors(w2v_model.wv), [eight, spam_part, ap_part])
    for from_file, in_memory in zip(rows, direct, strict=True):
        for key in ("n_scored", "accuracy", "macro_f1", "purity"):
            a, b = from_file[key], in_memory[key]
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-6), key


def test_the_kind_of_an_analogy_set_and_of_a_plain_object():
    class Questions:
        questions = ()

    assert goldset_kind(Questions()) == "analogy"
    assert goldset_kind(object()) is None


def test_evaluator_options_reach_the_evaluator_of_their_kind(w2v_model):
    """clustering / folds / features change what the evaluators compute, through evaluate()."""
    import numpy as np
    from sklearn.cluster import KMeans

    from w2veval import WordVectors
    from w2veval.goldsets import CategorySet, TextTask
    from w2veval.scoring import evaluate_rows

    wv = w2v_model.wv
    vectors = WordVectors(list(wv.index_to_key), wv.vectors)
    words = list(wv.index_to_key[:60])
    categories = CategorySet(name="lee-ranks", items=[(w, f"c{i % 4}") for i, w in enumerate(words)])
    task = TextTask(
        name="lee-texts",
        texts=[" ".join(words[i : i + 5]) for i in range(40)],
        labels=["a" if i % 2 else "b" for i in range(40)],
    )
    rows = evaluate_rows(
        vectors, [categories, task], pvalues=False, evaluator_options={"clustering": "kmeans", "folds": 4}
    )
    assert rows[0]["clustering"] == "kmeans" and rows[1]["folds"] == 4
    # k-means purity recomputed independently on the unit vectors, in set order, seed 0.
    units = np.array([wv[w] / np.linalg.norm(wv[w]) for w in words])
    labels = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(units)
    truth = np.array([i % 4 for i in range(60)])
    purity = sum(np.bincount(truth[labels == c]).max() for c in set(labels)) / len(words)
    assert rows[0]["purity"] == pytest.approx(purity)


def test_an_unknown_evaluator_option_is_an_error():
    import numpy as np

    from w2veval.errors import W2VEvalError
    from w2veval.scoring import evaluate_rows

    with pytest.raises(W2VEvalError, match="unknown evaluator option"):
        evaluate_rows((["a", "b"], np.eye(2)), [], evaluator_options={"fold": 5})
