"""mean_rho reproduces BlazingText's objective on the WS-353 split files."""

import re

import pytest

from w2veval import W2VEvalError, mean_rho
from w2veval.scoring import blazingtext_evaluation

SPLITS = ("EN-WS-353-ALL.txt", "EN-WS-353-REL.txt", "EN-WS-353-SIM.txt")


@pytest.fixture(scope="module")
def split_files(shared_goldsets):
    return [shared_goldsets / "wordvectors_org" / name for name in SPLITS]


def _independent_mean_rho(kv, files):
    """BlazingText's definition, computed by hand with gensim + scipy."""
    import scipy.stats

    rhos = []
    for path in files:
        human, model = [], []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                a, b, score = line.split()
                a, b = a.lower(), b.lower()
                if a in kv.key_to_index and b in kv.key_to_index:
                    human.append(float(score))
                    model.append(kv.similarity(a, b))
        rhos.append(scipy.stats.spearmanr(human, model).statistic)
    return sum(rhos) / 3


def test_split_sizes(split_files):
    from w2veval import GoldSet

    sizes = [len(GoldSet.from_file(p, duplicates="keep")) for p in split_files]
    assert sizes == [353, 252, 203]


@pytest.mark.parametrize("model_fixture", ["w2v_model", "cbow_model"])
def test_mean_rho_equals_the_definition(request, model_fixture, split_files, tmp_path):
    kv = request.getfixturevalue(model_fixture).wv
    path = tmp_path / "vectors.txt"
    kv.save_word2vec_format(path)
    expected = _independent_mean_rho(kv, split_files)
    assert mean_rho(path, files=split_files) == pytest.approx(expected, abs=1e-12)
    assert mean_rho(
        kv, files={"all": split_files[0], "rel": split_files[1], "sim": split_files[2]}
    ) == pytest.approx(expected, abs=1e-12)


def test_eval_json_layout(w2v_model, split_files):
    result = blazingtext_evaluation(w2v_model.wv, files=split_files)
    assert set(result) == {*SPLITS, "mean_rho"}
    for name, total in zip(SPLITS, (353, 252, 203), strict=True):
        entry = result[name]
        assert set(entry) == {"spearmans_rho", "not_found", "total_pairs"}
        assert entry["total_pairs"] == total
        assert 0 <= entry["not_found"] < total
    assert result["mean_rho"] == pytest.approx(sum(result[n]["spearmans_rho"] for n in SPLITS) / 3)


def test_without_files_says_how_to_get_them(w2v_model, monkeypatch):
    import w2veval.goldsets as goldsets

    monkeypatch.delattr(goldsets, "mean_rho_files", raising=False)
    with pytest.raises(W2VEvalError, match=re.escape("EN-WS-353-ALL.txt")):
        mean_rho(w2v_model.wv)
