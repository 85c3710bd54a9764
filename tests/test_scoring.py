"""evaluate() against gensim's evaluate_word_pairs: same settings, same numbers."""

import json
import math

import numpy as np
import pytest
from gensim.test.utils import datapath

import w2veval
from w2veval import GoldSet, evaluate
from w2veval.scoring import COLUMNS

GENSIM_FILES = {"ws353": "wordsim353.tsv", "simlex999": "simlex999.txt"}


@pytest.fixture(scope="module")
def vector_files(tmp_path_factory, w2v_model, cbow_model, fasttext_model):
    """Several really trained vector sets, written by gensim's own writers."""
    folder = tmp_path_factory.mktemp("vectors")
    files = {}
    for name, kv in {"sg": w2v_model.wv, "cbow": cbow_model.wv, "ft": fasttext_model.wv}.items():
        files[name] = folder / f"{name}.txt"
        kv.save_word2vec_format(files[name])
        files[name + "-bin"] = folder / f"{name}.bin"
        kv.save_word2vec_format(files[name + "-bin"], binary=True)
    return files


def _gensim_scores(path, goldset_file, restrict_vocab):
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(path, binary=str(path).endswith(".bin"))
    (pearson, _), spearman, oov_percent = kv.evaluate_word_pairs(
        goldset_file, restrict_vocab=restrict_vocab, case_insensitive=True
    )
    return pearson, spearman.statistic, oov_percent


@pytest.mark.parametrize("model", ["sg", "cbow", "ft", "sg-bin", "cbow-bin"])
@pytest.mark.parametrize("goldset", ["ws353", "simlex999"])
@pytest.mark.parametrize("restrict_vocab", [300000, 800])
def test_parity_with_gensim(vector_files, model, goldset, restrict_vocab):
    path = vector_files[model]
    pearson, spearman, oov_percent = _gensim_scores(path, datapath(GENSIM_FILES[goldset]), restrict_vocab)
    row = evaluate(path, goldset, restrict_vocab=restrict_vocab).iloc[0]
    assert row["spearman"] == pytest.approx(spearman, abs=1e-9)
    assert row["pearson"] == pytest.approx(pearson, abs=1e-9)
    n_oov = row["n_pairs"] - row["n_scored"]
    assert 100.0 * n_oov / row["n_pairs"] == pytest.approx(oov_percent, abs=1e-9)


def test_parity_on_in_memory_keyedvectors(w2v_model):
    (pearson, _), spearman, _ = w2v_model.wv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    row = evaluate(w2v_model.wv, "ws353").iloc[0]
    assert row["spearman"] == pytest.approx(spearman.statistic, abs=1e-9)
    assert row["pearson"] == pytest.approx(pearson, abs=1e-9)


def test_columns_and_one_row_per_vectors_and_goldset(vector_files):
    table = evaluate({"sg": vector_files["sg"], "cbow": vector_files["cbow"]}, ["ws353", "simlex999"])
    assert list(table.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert {"spearman_p", "pearson_p", "kendall_p"} <= set(table.columns)
    assert table[["vectors", "goldset"]].values.tolist() == [
        ["sg", "ws353"],
        ["sg", "simlex999"],
        ["cbow", "ws353"],
        ["cbow", "simlex999"],
    ]
    assert (table["coverage"] == table["n_scored"] / table["n_pairs"]).all()


def test_kendall_matches_scipy_on_the_scored_pairs(w2v_model):
    import scipy.stats

    gold = w2veval.goldsets.load("ws353")
    wv = w2v_model.wv
    human, model = [], []
    for a, b, score in gold.pairs:
        if a.lower() in wv.key_to_index and b.lower() in wv.key_to_index:
            human.append(score)
            model.append(wv.similarity(a.lower(), b.lower()))
    expected = scipy.stats.kendalltau(human, model)
    row = evaluate(w2v_model.wv, gold).iloc[0]
    assert row["kendall"] == pytest.approx(expected.statistic, abs=1e-12)
    assert row["kendall_p"] == pytest.approx(expected.pvalue, rel=1e-9)


def test_zero_oov_policy_matches_gensim_dummy4unknown(vector_files):
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(vector_files["sg"])
    _, spearman, _ = kv.evaluate_word_pairs(datapath("wordsim353.tsv"), dummy4unknown=True)
    row = evaluate(vector_files["sg"], "ws353", oov="zero").iloc[0]
    assert row["spearman"] == pytest.approx(spearman.statistic, abs=1e-9)


def test_no_scored_pair_gives_nan_with_a_warning_and_json_null(w2v_model):
    gold = GoldSet.from_pairs(
        [("zzqx", "qqzx", 1.0), ("xxqz", "zzxq", 2.0), ("qzqz", "xzxz", 3.0)], name="unknown-words"
    )
    with pytest.warns(UserWarning, match="0 of 3 pairs"):
        table = evaluate(w2v_model.wv, gold)
    assert math.isnan(table.loc[0, "spearman"]) and table.loc[0, "n_scored"] == 0
    from w2veval._output import to_json

    assert json.loads(to_json(table.to_dict("records")))[0]["spearman"] is None


def test_evaluation_does_not_mutate_the_vectors(w2v_model):
    before = w2v_model.wv.vectors.copy()
    evaluate(w2v_model.wv, "simlex999")
    assert np.array_equal(before, w2v_model.wv.vectors)


def test_case_sensitive_matching_drops_capitalised_pairs():
    words = ["Cat", "dog", "car"]
    matrix = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    gold = GoldSet.from_pairs([("cat", "dog", 8), ("dog", "car", 2), ("cat", "car", 1)], name="toy")
    assert evaluate((words, matrix), gold).loc[0, "n_scored"] == 3
    with pytest.warns(UserWarning, match="only 1 of 3 pairs"):
        assert evaluate((words, matrix), gold, case_sensitive=True).loc[0, "n_scored"] == 1


def test_most_frequent_case_variant_wins_as_in_gensim():
    from gensim.models import KeyedVectors

    words = ["apple", "pear", "Apple", "plum"]
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.7, 0.7]], dtype=np.float32)
    kv = KeyedVectors(2)
    kv.add_vectors(words, matrix)
    gold = GoldSet.from_pairs([("APPLE", "pear", 1), ("apple", "plum", 5), ("pear", "plum", 3)], name="fruit")
    ours = evaluate((words, matrix), gold).loc[0, "pearson"]
    import os
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as fh:
        fh.write("APPLE\tpear\t1\napple\tplum\t5\npear\tplum\t3\n")
    try:
        (theirs, _), _, _ = kv.evaluate_word_pairs(fh.name)
    finally:
        os.unlink(fh.name)
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_ci_columns_bracket_the_estimate_and_are_reproducible(vector_files):
    table = evaluate(vector_files["sg"], ["ws353", "simlex999"], ci=0.95, n_resamples=2000, seed=3)
    assert list(table.columns[len(COLUMNS) : len(COLUMNS) + 4]) == [
        "spearman_lo",
        "spearman_hi",
        "pearson_lo",
        "pearson_hi",
    ]
    assert (table["spearman_lo"] <= table["spearman"]).all() and (
        table["spearman"] <= table["spearman_hi"]
    ).all()
    assert (table["pearson_lo"] <= table["pearson"]).all() and (table["pearson"] <= table["pearson_hi"]).all()
    again = evaluate(vector_files["sg"], ["ws353", "simlex999"], ci=0.95, n_resamples=2000, seed=3)
    assert table["spearman_lo"].tolist() == again["spearman_lo"].tolist()


def test_fisher_ci_is_the_closed_form(vector_files):
    row = evaluate(vector_files["sg"], "ws353", ci=0.95, ci_method="fisher").iloc[0]
    z, n = math.atanh(row["spearman"]), row["n_scored"]
    half = 1.959963984540054 * math.sqrt(1.06 / (n - 3))
    assert row["spearman_lo"] == pytest.approx(math.tanh(z - half), abs=1e-9)
    assert row["spearman_hi"] == pytest.approx(math.tanh(z + half), abs=1e-9)
    half = 1.959963984540054 / math.sqrt(n - 3)
    assert row["pearson_lo"] == pytest.approx(math.tanh(math.atanh(row["pearson"]) - half), abs=1e-9)
