"""The training job's hosts, artifacts and per-epoch metrics (issue 12, 3 and 4).

Jobs run as subprocesses under a temporary /opt/ml root on the Lee corpus, with one
worker thread (``W2VEVAL_WORKERS=1``) so that a separately trained gensim model is an
exact oracle for what the job printed.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from test_sagemaker_job import FAST, MEAN_RHO, METRIC, OBJECTIVE, _job, _tree

from w2veval.sagemaker._hyperparameters import Hyperparameters

EPOCH = re.compile(r"^w2veval: epoch (\d+): objective (\S+)$", re.MULTILINE)
ONE_WORKER = {"W2VEVAL_WORKERS": "1"}


def _hosts(root: Path, current: str, hosts=("algo-1", "algo-2")) -> Path:
    (root / "input" / "config" / "resourceconfig.json").write_text(
        json.dumps({"current_host": current, "hosts": list(hosts), "network_interface_name": "eth0"})
    )
    return root


def _oracle_value(
    hp: Hyperparameters, epochs_done: int, objective: str, goldsets_home: Path, monkeypatch
) -> float:
    """The objective of a gensim model trained apart (same seed, one worker) for ``epochs_done``
    of ``hp.epochs`` epochs, its learning rate decayed as far as the job's was by then."""
    from gensim.models import FastText, Word2Vec
    from gensim.test.utils import datapath

    from w2veval.io import load_vectors
    from w2veval.objective import Objective
    from w2veval.sagemaker._train import Corpus

    monkeypatch.setenv("W2VEVAL_HOME", str(goldsets_home))
    model = (FastText if hp.subwords else Word2Vec)(workers=1, seed=1, **hp.gensim_options())
    corpus = Corpus(datapath("lee_background.cor"))
    model.build_vocab(corpus)
    start = model.alpha
    end = start - (start - model.min_alpha) * epochs_done / hp.epochs
    model.train(
        corpus, total_examples=model.corpus_count, epochs=epochs_done, start_alpha=start, end_alpha=end
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # low coverage on a small corpus: said by the job too
        return float(Objective.parse(objective).evaluate(load_vectors(model.wv)).value)


# --- several hosts: the leader only ------------------------------------------------------------

LEADER_HP = dict(FAST, epochs="3", objective="1*ws353+1*ws353-sim")


@pytest.fixture(scope="module")
def leader(tmp_path_factory, goldsets_home):
    root = _hosts(_tree(tmp_path_factory.mktemp("algo1"), LEADER_HP), "algo-1")
    return root, _job(root, goldsets_home, env=ONE_WORKER)


def test_only_the_leader_trains(leader, goldsets_home, tmp_path):
    root, proc = leader
    assert proc.returncode == 0, proc.stderr
    assert (root / "model" / "vectors.bin").exists() and OBJECTIVE.search(proc.stdout)

    other = _hosts(_tree(tmp_path / "algo2", LEADER_HP), "algo-2")
    follower = _job(other, goldsets_home)
    assert follower.returncode == 0
    assert follower.stdout == ""
    assert follower.stderr.count("\n") == 1
    assert "host algo-2 is not the leader" in follower.stderr and "(algo-1)" in follower.stderr
    assert not (other / "model").exists() and not (other / "output" / "failure").exists()


@pytest.mark.parametrize(
    "config, reason",
    [
        ({"current_host": "algo-3", "hosts": ["algo-1", "algo-2"]}, "current_host='algo-3'"),
        ({"current_host": "algo-1", "hosts": []}, "non-empty list of hosts"),
    ],
)
def test_a_resourceconfig_that_names_no_host_fails(goldsets_home, tmp_path, config, reason):
    root = _tree(tmp_path / "ml", FAST)
    (root / "input" / "config" / "resourceconfig.json").write_text(json.dumps(config))
    proc = _job(root, goldsets_home)
    assert proc.returncode == 2
    assert reason in (root / "output" / "failure").read_text()


# --- per-epoch metrics -------------------------------------------------------------------------


def test_an_objective_line_after_every_epoch_then_the_final_lines(leader):
    _, proc = leader
    objectives = OBJECTIVE.findall(proc.stdout)
    assert len(objectives) == 3 + 1
    assert [int(e) for e, _ in EPOCH.findall(proc.stderr)] == [1, 2, 3]
    # the last epoch's model is the final model: the same value, to the last digit
    assert objectives[-2] == objectives[-1]
    # each epoch prints the objective's gold sets and the objective, nothing else
    lines = proc.stdout.splitlines()
    assert lines[:3] == [
        f"#w2veval:ws353: {METRIC.findall(proc.stdout)[0][1]}",
        f"#w2veval:ws353-sim: {METRIC.findall(proc.stdout)[1][1]}",
        f"#w2veval:objective: {objectives[0]}",
    ]
    assert lines[-1].startswith("#mean_rho: ")  # the final lines come last
    assert len(lines) == 3 * 3 + 4


def test_epoch_values_are_what_scoring_the_model_at_that_epoch_gives(leader, goldsets_home, monkeypatch):
    _, proc = leader
    objectives = [float(v) for v in OBJECTIVE.findall(proc.stdout)]
    hp = Hyperparameters.from_strings(LEADER_HP)
    assert objectives[0] == pytest.approx(
        _oracle_value(hp, 1, LEADER_HP["objective"], goldsets_home, monkeypatch), abs=1e-12
    )
    assert objectives[1] != objectives[0]  # the epochs really differ


def test_epoch_metrics_false_prints_only_the_final_lines(goldsets_home, tmp_path):
    root = _tree(tmp_path / "ml", dict(FAST, epochs="2", epoch_metrics="false", evaluation="false"))
    proc = _job(root, goldsets_home)
    assert proc.returncode == 0, proc.stderr
    assert len(MEAN_RHO.findall(proc.stdout)) == 1 and "epoch 1" not in proc.stderr


# --- vectors.bin: fastText's binary, subwords and all -----------------------------------------

SUBWORDS_HP = dict(
    FAST,
    subwords="true",
    buckets="20000",
    min_char="3",
    max_char="5",
    objective="1*ws353-sim",
    evaluation="false",
)


@pytest.fixture(scope="module")
def subwords(tmp_path_factory, goldsets_home):
    root = _tree(tmp_path_factory.mktemp("sub"), SUBWORDS_HP)
    return root, _job(root, goldsets_home, env=ONE_WORKER)


def test_subword_vectors_bin_round_trip(subwords):
    from gensim.models import KeyedVectors
    from gensim.models.fasttext import load_facebook_model, load_facebook_vectors

    from w2veval.io import load_vectors

    root, proc = subwords
    assert proc.returncode == 0, proc.stderr
    path = root / "model" / "vectors.bin"
    model = load_facebook_model(str(path))
    assert (model.wv.bucket, model.wv.min_n, model.wv.max_n, model.vector_size) == (20000, 3, 5, 16)
    assert model.sg == 1 and model.negative == 5 and model.epochs == 2
    oracle = load_facebook_vectors(str(path))
    loaded = load_vectors(path)
    assert loaded.words == oracle.index_to_key
    assert np.array_equal(loaded.vectors, oracle.vectors)
    for oov in ("governmentalism", "zzqxw"):
        assert oov not in loaded
        assert np.array_equal(loaded[oov], oracle[oov]) and np.any(loaded[oov] != 0)
    # vectors.txt holds the same word vectors (to its printed precision)
    text = KeyedVectors.load_word2vec_format(str(root / "model" / "vectors.txt"))
    assert text.index_to_key == oracle.index_to_key
    assert np.abs(text.vectors - oracle.vectors).max() < 1e-5
    # a folder or archive is read from its vectors.txt: no n-grams there
    assert load_vectors(root / "model").subword_vector is None


def test_fasttext_epoch_lines_use_the_current_ngram_vectors(subwords, goldsets_home, monkeypatch):
    _, proc = subwords
    objectives = [float(v) for v in OBJECTIVE.findall(proc.stdout)]
    assert len(objectives) == 3 and objectives[1] == objectives[2]
    hp = Hyperparameters.from_strings(SUBWORDS_HP)
    assert objectives[0] == pytest.approx(
        _oracle_value(hp, 1, SUBWORDS_HP["objective"], goldsets_home, monkeypatch), abs=1e-12
    )


def test_word2vec_vectors_bin_is_fasttext_without_ngrams(leader):
    from gensim.models import KeyedVectors
    from gensim.models.fasttext import load_facebook_model

    from w2veval.io import load_vectors

    root, _ = leader
    model = load_facebook_model(str(root / "model" / "vectors.bin"))
    assert model.wv.bucket == 0 and model.wv.max_n == 0
    text = KeyedVectors.load_word2vec_format(str(root / "model" / "vectors.txt"))
    assert model.wv.index_to_key == text.index_to_key
    assert np.abs(model.wv.vectors - text.vectors).max() < 1e-5
    loaded = load_vectors(root / "model" / "vectors.bin")
    assert loaded.subword_vector is None
    with pytest.raises(KeyError):
        loaded["zzqxw"]
