"""compare(): paired comparison of two models on the pairs both know."""

import json
import math

import numpy as np
import pytest
import scipy.stats

from w2veval import compare, goldsets


def test_a_model_compared_with_itself(model_files):
    table = compare(model_files["sg"], model_files["sg"], ["ws353", "simlex999"], n_resamples=2000)
    assert list(table.columns) == [
        "model_a",
        "model_b",
        "goldset",
        "kind",
        "metric",
        "n_common",
        "score_a",
        "score_b",
        "spearman_a",
        "spearman_b",
        "delta",
        "delta_lo",
        "delta_hi",
        "p_value",
        "p_mcnemar",
        "p_holm",
    ]
    assert (table["model_a"] == str(model_files["sg"])).all() and (
        table["model_b"] == str(model_files["sg"])
    ).all()
    assert (table["delta"] == 0).all() and (table["delta_lo"] == 0).all() and (table["delta_hi"] == 0).all()
    assert (table["p_value"] == 1).all() and (table["p_holm"] == 1).all()


def test_numbers_on_the_common_pairs_match_an_independent_computation(model_files, w2v_model, cbow_model):
    table = compare(model_files["sg"], model_files["cbow"], ["ws353", "simlex999"], n_resamples=2000)
    for row in table.itertuples():
        gold = goldsets.load(row.goldset)
        human, a, b = [], [], []
        for w1, w2, score in gold.pairs:
            w1, w2 = w1.lower(), w2.lower()
            if all(w in m.wv.key_to_index for w in (w1, w2) for m in (w2v_model, cbow_model)):
                human.append(score)
                a.append(w2v_model.wv.similarity(w1, w2))
                b.append(cbow_model.wv.similarity(w1, w2))
        assert row.n_common == len(human)
        assert row.spearman_a == pytest.approx(scipy.stats.spearmanr(human, a).statistic, abs=1e-9)
        assert row.spearman_b == pytest.approx(scipy.stats.spearmanr(human, b).statistic, abs=1e-9)
        assert row.delta == pytest.approx(row.spearman_a - row.spearman_b, abs=1e-12)
        assert row.delta_lo <= row.delta <= row.delta_hi
        assert 0 <= row.p_value <= row.p_holm <= 1


def test_holm_over_the_goldsets(model_files):
    table = compare(model_files["sg"], model_files["cbow"], ["ws353", "simlex999"], n_resamples=500)
    p = sorted(table["p_value"])
    expected = sorted([min(1, 2 * p[0]), min(1, max(2 * p[0], p[1]))])
    assert sorted(table["p_holm"]) == pytest.approx(expected)


def test_cli_compare_two_models_equals_the_library(w2veval_cli, model_files):
    done = w2veval_cli(
        "compare",
        model_files["sg"],
        model_files["cbow"],
        "-g",
        "ws353",
        "--format",
        "json",
        "--resamples",
        "1000",
    )
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    expected = compare(model_files["sg"], model_files["cbow"], "ws353", n_resamples=1000).to_dict("records")
    assert list(printed[0]) == list(expected[0])
    for key, value in expected[0].items():
        if isinstance(value, float) and math.isnan(value):
            assert printed[0][key] is None  # NaN is JSON null (p_mcnemar of word pairs)
        else:
            assert printed[0][key] == (pytest.approx(value, abs=1e-15) if isinstance(value, float) else value)


def test_cli_compare_three_models_prints_matrices(w2veval_cli, model_files, tmp_path, fasttext_model):
    third = tmp_path / "ft.txt"
    fasttext_model.wv.save_word2vec_format(third)
    done = w2veval_cli(
        "compare", model_files["sg"], model_files["cbow"], third, "-g", "ws353", "--resamples", "500"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("ws353: delta = spearman(row) − spearman(column) on the n_common pairs")
    assert len([line for line in lines if "(p=" in line]) == 3  # one matrix row per model
    assert "—" in done.stdout  # the diagonal


def test_cli_compare_names_a_and_b_and_the_common_pairs(w2veval_cli, model_files, tmp_path, fasttext_model):
    sg, cbow = str(model_files["sg"]), str(model_files["cbow"])
    done = w2veval_cli("compare", sg, cbow, "-g", "ws353", "--resamples", "200", "--no-progress")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:3] == [
        f"A = {sg}",
        f"B = {cbow}",
        "delta = spearman(A) − spearman(B) on the n_common pairs both know; "
        "0.95 interval delta_lo..delta_hi (percentile); Holm-adjusted p_holm",
    ]
    expected = compare(sg, cbow, "ws353", n_resamples=200).to_dict("records")[0]
    assert expected["model_a"] == sg and expected["model_b"] == cbow

    third = tmp_path / "ft.txt"
    fasttext_model.wv.save_word2vec_format(third)
    models = [sg, cbow, str(third)]
    rows = json.loads(
        w2veval_cli("compare", *models, "-g", "ws353", "--resamples", "200", "--format", "json").stdout
    )
    assert [(r["model_a"], r["model_b"]) for r in rows] == [(sg, cbow), (sg, str(third)), (cbow, str(third))]
    known = {m: set(_known_pairs(m)) for m in models}
    for row in rows:
        assert row["n_common"] == len(known[row["model_a"]] & known[row["model_b"]])
    table = w2veval_cli("compare", *models, "-g", "ws353", "--resamples", "200").stdout
    for row in rows:
        assert f"n_common={row['n_common']})" in table
    csv_header = w2veval_cli(
        "compare", *models, "-g", "ws353", "--resamples", "200", "--format", "csv"
    ).stdout.splitlines()[0]
    assert csv_header.startswith("model_a,model_b,goldset,kind,metric,n_common,")


def test_old_compare_spellings_still_work(w2veval_cli, model_files):
    args = [model_files["sg"], model_files["cbow"], "-g", "ws353", "--resamples", "200", "--format", "json"]
    old = w2veval_cli("compare", *args, "--level", "0.9", "--method", "bca")
    new = w2veval_cli("compare", *args, "--ci", "0.9", "--ci-method", "bca")
    assert old.returncode == new.returncode == 0, old.stderr
    assert json.loads(old.stdout) == json.loads(new.stdout)
    assert "--level is deprecated; use --ci" in old.stderr and "deprecated" not in new.stderr


def _known_pairs(path):
    """Indices of the ws353 pairs whose two words the vectors file holds (lower-cased), read here."""
    with open(path, encoding="utf-8") as fh:
        next(fh)
        vocab = {line.split(" ", 1)[0].casefold() for line in fh}
    gold = goldsets.load("ws353")
    return [
        i for i, (w1, w2, _) in enumerate(gold.pairs) if w1.casefold() in vocab and w2.casefold() in vocab
    ]


def test_too_few_common_pairs_warns():
    words = ["a", "b", "c", "d", "e"]
    rng = np.random.default_rng(0)
    gold = goldsets.GoldSet.from_pairs(
        [("a", "b", 1), ("b", "c", 2), ("c", "d", 3), ("d", "e", 4), ("a", "e", 5)], name="tiny"
    )
    with pytest.warns(UserWarning, match="only 5 pairs"):
        table = compare(
            (words, rng.normal(size=(5, 3))), (words, rng.normal(size=(5, 3))), gold, n_resamples=200
        )
    assert table.loc[0, "n_common"] == 5 and not math.isnan(table.loc[0, "delta"])
