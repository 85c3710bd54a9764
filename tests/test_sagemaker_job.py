"""The SageMaker job entry point, run as SageMaker would: a subprocess on an /opt/ml tree."""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from w2veval.sagemaker._hyperparameters import HyperparameterError, Hyperparameters

FAST = {"mode": "batch_skipgram", "vector_dim": "16", "epochs": "2", "min_count": "2"}
METRIC = re.compile(r"^#w2veval:(\S+): (\S+)$", re.MULTILINE)
OBJECTIVE = re.compile(r"^#w2veval:objective: (\S+)$", re.MULTILINE)
MEAN_RHO = re.compile(r"^#mean_rho: (\S+)$", re.MULTILINE)


def _last(pattern: re.Pattern, text: str) -> str | None:
    """The value of the last line ``pattern`` matches: what the tuner keeps as final."""
    found = pattern.findall(text)
    return found[-1] if found else None


def _tree(root: Path, hyperparameters=None, *, corpus=True, goldsets=None) -> Path:
    from gensim.test.utils import datapath

    (root / "input" / "config").mkdir(parents=True)
    if hyperparameters is not None:
        (root / "input" / "config" / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    if corpus:
        train = root / "input" / "data" / "train"
        train.mkdir(parents=True)
        shutil.copy(datapath("lee_background.cor"), train / "lee_background.cor")
    for name, text in (goldsets or {}).items():
        folder = root / "input" / "data" / "goldsets"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return root


def _job(root: Path, home: Path, *, via_env=False, env=None):
    env = dict(os.environ, W2VEVAL_HOME=str(home), **(env or {}))
    args = [sys.executable, "-m", "w2veval.sagemaker.job", "train"]
    if via_env:
        env["W2VEVAL_ML_ROOT"] = str(root)
    else:
        args += ["--ml-root", str(root)]
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, goldsets_home):
    root = _tree(tmp_path_factory.mktemp("ml"), dict(FAST, _tuning_objective_metric="w2veval:objective"))
    return root, _job(root, goldsets_home, via_env=True)


# --- training mode -----------------------------------------------------------------------


def test_training_succeeds_without_failure_file(trained):
    root, proc = trained
    assert proc.returncode == 0, proc.stderr
    assert not (root / "output" / "failure").exists()
    assert "Traceback" not in proc.stderr


def test_artifacts_load_in_gensim(trained):
    from gensim.models import KeyedVectors
    from gensim.models.fasttext import load_facebook_model

    root, _ = trained
    kv = KeyedVectors.load_word2vec_format(str(root / "model" / "vectors.txt"))
    assert kv.vector_size == 16
    assert len(kv) > 1000 and "government" in kv
    binary = load_facebook_model(str(root / "model" / "vectors.bin"))  # fastText's format, as BlazingText's
    assert binary.wv.index_to_key == kv.index_to_key
    assert binary.wv.bucket == 0  # subwords=false: no n-grams
    assert abs(binary.wv.vectors - kv.vectors).max() < 1e-5  # the text's rounding only
    assert sorted(p.name for p in (root / "model").iterdir()) == ["eval.json", "vectors.bin", "vectors.txt"]


def test_eval_json_has_blazingtext_layout(trained):
    root, _proc = trained
    data = json.loads((root / "model" / "eval.json").read_text())
    assert list(data) == ["EN-WS-353-ALL.txt", "EN-WS-353-REL.txt", "EN-WS-353-SIM.txt", "mean_rho"]
    for key, total in zip(list(data)[:3], (353, 252, 203), strict=True):
        assert set(data[key]) == {"spearmans_rho", "not_found", "total_pairs"}
        assert data[key]["total_pairs"] == total
        assert 0 < data[key]["not_found"] < total
    rhos = [data[k]["spearmans_rho"] for k in list(data)[:3]]
    assert data["mean_rho"] == pytest.approx(sum(rhos) / 3)


def test_metric_lines_parse_back(trained):
    root, proc = trained
    metrics = dict(METRIC.findall(proc.stdout))
    assert set(metrics) == {"ws353", "ws353-rel", "ws353-sim", "objective"}
    objective = float(_last(OBJECTIVE, proc.stdout))
    mean_rho = float(_last(MEAN_RHO, proc.stdout))
    eval_json = json.loads((root / "model" / "eval.json").read_text())
    assert objective == pytest.approx(eval_json["mean_rho"])
    assert mean_rho == eval_json["mean_rho"]
    assert -1 <= objective <= 1
    # the final lines come last: gold sets, the objective, then BlazingText's mean_rho
    final = proc.stdout.splitlines()[-5:]
    assert [line.split(":")[1] if line.startswith("#w2veval") else line.split(":")[0] for line in final] == [
        "ws353",
        "ws353-rel",
        "ws353-sim",
        "objective",
        "#mean_rho",
    ]


def test_scoring_mode_on_model_tar_gz_matches_training(trained, goldsets_home, tmp_path):
    root, proc = trained
    scoring = _tree(tmp_path / "ml", {"objective": "mean_rho"}, corpus=False)  # no mode needed
    channel = scoring / "input" / "data" / "model"
    channel.mkdir(parents=True)
    with tarfile.open(channel / "model.tar.gz", "w:gz") as tar:
        for name in ("vectors.txt", "vectors.bin"):
            tar.add(root / "model" / name, arcname=name)
    scored = _job(scoring, goldsets_home)
    assert scored.returncode == 0, scored.stderr
    assert "scoring mode" in scored.stderr
    assert not (scoring / "model" / "vectors.txt").exists()  # nothing trained
    assert "epoch" not in scored.stderr and len(OBJECTIVE.findall(scored.stdout)) == 1  # nothing trained
    assert float(_last(OBJECTIVE, scored.stdout)) == pytest.approx(
        float(_last(OBJECTIVE, proc.stdout)), abs=1e-6
    )
    assert (
        json.loads((scoring / "model" / "eval.json").read_text())["EN-WS-353-SIM.txt"]["total_pairs"] == 203
    )


def _mine_and_nowhere(goldsets_home, tmp_path, objective):
    from gensim.test.utils import datapath

    words = open(datapath("lee_background.cor"), encoding="utf-8").read().split()
    common = [
        w
        for w in ("government", "australia", "police", "people", "minister", "president", "force", "world")
        if w in words
    ]
    pairs = "\n".join(f"{a}\t{b}\t{i % 7 + 1}" for i, (a, b) in enumerate(itertools.pairwise(common)))
    root = _tree(
        tmp_path / "ml",
        dict(FAST, objective=objective, evaluation="false"),
        goldsets={"mine.txt": pairs + "\n", "nowhere.tsv": "zzqx\tqqzx\t3\nxqzz\tzxqq\t5\n"},
    )
    return root, _job(root, goldsets_home)


def test_custom_goldset_channel_by_stem(goldsets_home, tmp_path):
    root, proc = _mine_and_nowhere(goldsets_home, tmp_path, "1*mine")
    assert proc.returncode == 0, proc.stderr
    metrics = dict(METRIC.findall(proc.stdout))
    assert set(metrics) == {"mine", "objective"}
    assert math.isfinite(float(metrics["mine"])) and metrics["mine"] == metrics["objective"]
    assert not (root / "model" / "eval.json").exists()  # evaluation=false
    assert MEAN_RHO.search(proc.stdout) is None


def test_nan_objective_fails_prints_no_nan_and_keeps_no_artifact(goldsets_home, tmp_path):
    """Policy: a NaN value is never printed; a NaN objective fails the job after training."""
    root, proc = _mine_and_nowhere(goldsets_home, tmp_path, "0.6*mine+0.4*nowhere")
    assert proc.returncode == 2
    assert "nan" not in proc.stdout.lower()
    metrics = METRIC.findall(proc.stdout)  # the per-epoch lines that are defined
    assert metrics and {name for name, _ in metrics} == {"mine"}
    failure = (root / "output" / "failure").read_text()
    assert "objective '0.6*mine+0.4*nowhere' is NaN" in failure and "nowhere" in failure
    assert "metric w2veval:nowhere left out: its value is NaN" in proc.stderr
    assert "Traceback" not in proc.stderr
    # the vectors were written (into the staging folder) before scoring failed; none are left
    assert "training 2 epochs" in proc.stderr
    assert not (root / "model").exists()  # the job made it and took it back


def test_a_failing_job_leaves_a_model_folder_it_did_not_make(goldsets_home, tmp_path):
    """On SageMaker ``/opt/ml/model`` exists before the job starts: a failure empties only
    what the job staged, never the folder or files it found there."""
    root = _tree(tmp_path / "ml", {"objective": "1*ws353"}, corpus=False)
    channel = root / "input" / "data" / "model"
    channel.mkdir(parents=True)
    (channel / "vectors.txt").write_text("2 3\nking 0.1 0.2\n")  # fails while loading, once staged
    (root / "model").mkdir()
    (root / "model" / "kept.txt").write_text("from before the job")
    proc = _job(root, goldsets_home)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "scoring mode" in proc.stderr
    assert [p.name for p in (root / "model").iterdir()] == ["kept.txt"]


# --- failures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, corpus, reason",
    [
        ({"mode": "fasttext"}, True, "unknown mode 'fasttext'"),
        ({"mode": None}, True, "'mode' is required"),
        ({"vector_dim": "big"}, True, "vector_dim must be an integer"),
        ({"epochs": "0"}, True, "epochs must be at least 1"),
        ({"learning_rate": "nan"}, True, "learning_rate must be a finite number"),
        ({"objective": "0.5*ws353+"}, True, "objective"),
        ({}, False, "no input channel"),
    ],
)
def test_bad_input_writes_failure_file(goldsets_home, tmp_path, change, corpus, reason):
    hyperparameters = {k: v for k, v in dict(FAST, **change).items() if v is not None}
    root = _tree(tmp_path / "ml", hyperparameters, corpus=corpus)
    proc = _job(root, goldsets_home)
    assert proc.returncode != 0
    failure = (root / "output" / "failure").read_text()
    assert reason.lower() in failure.lower()
    assert failure.count("\n") == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_empty_corpus_fails_cleanly(goldsets_home, tmp_path):
    root = _tree(tmp_path / "ml", FAST, corpus=False)
    train = root / "input" / "data" / "train"
    train.mkdir(parents=True)
    (train / "empty.txt").write_text("\n  \n")
    proc = _job(root, goldsets_home)
    assert proc.returncode != 0
    assert "corpus" in (root / "output" / "failure").read_text() and "empty" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_min_count_above_every_word_fails_cleanly(goldsets_home, tmp_path):
    root = _tree(tmp_path / "ml", dict(FAST, min_count="100000"))
    proc = _job(root, goldsets_home)
    assert proc.returncode != 0
    assert "min_count" in (root / "output" / "failure").read_text()


# --- hyperparameters (in process) ----------------------------------------------------------


def test_defaults_are_blazingtexts():
    hp = Hyperparameters.from_strings({"mode": "skipgram"})
    assert (
        hp.learning_rate,
        hp.window_size,
        hp.vector_dim,
        hp.min_count,
        hp.negative_samples,
        hp.epochs,
        hp.sampling_threshold,
        hp.subwords,
        hp.min_char,
        hp.max_char,
        hp.batch_size,
        hp.buckets,
        hp.evaluation,
        hp.objective,
    ) == (0.05, 5, 100, 5, 5, 5, 1e-4, False, 3, 6, 11, 2_000_000, True, "mean_rho")


def test_gensim_names_and_subwords():
    hp = Hyperparameters.from_strings(
        {
            "mode": "cbow",
            "subwords": "True",
            "buckets": "1000",
            "min_char": "2",
            "max_char": "4",
            "window_size": "3",
            "sampling_threshold": "0.001",
            "unknown_key": "x",
        }
    )
    assert hp.gensim_options() == {
        "sg": 0,
        "alpha": 0.05,
        "window": 3,
        "vector_size": 100,
        "min_count": 5,
        "negative": 5,
        "hs": 0,
        "epochs": 5,
        "sample": 0.001,
        "min_n": 2,
        "max_n": 4,
        "bucket": 1000,
    }
    assert Hyperparameters.from_strings({"mode": "batch_skipgram"}).gensim_options()["sg"] == 1


@pytest.mark.parametrize(
    "raw, reason",
    [
        ({"mode": "skipgram", "subwords": "maybe"}, "subwords must be true or false"),
        (
            {"mode": "skipgram", "min_char": "5", "max_char": "4"},
            "max_char (4) must be at least min_char (5)",
        ),
        ({"mode": "skipgram", "sampling_threshold": "1.5"}, "sampling_threshold must be in [0, 1)"),
        ({"mode": "skipgram", "window_size": "2.5"}, "window_size must be an integer"),
        ({"mode": "skipgram", "min_count": "-1"}, "min_count must be at least 0"),
    ],
)
def test_hyperparameter_reasons(raw, reason):
    with pytest.raises(HyperparameterError, match=re.escape(reason)):
        Hyperparameters.from_strings(raw)
    assert issubclass(HyperparameterError, ValueError)


def test_fasttext_training_in_process(tmp_path, lee_sentences):
    from w2veval.sagemaker._train import Corpus, train_model, write_vectors

    (tmp_path / "c.txt").write_text("\n".join(" ".join(s) for s in lee_sentences[:100]))
    hp = Hyperparameters.from_strings(
        {
            "mode": "skipgram",
            "subwords": "true",
            "vector_dim": "8",
            "epochs": "1",
            "buckets": "5000",
            "min_count": "2",
        }
    )
    model = train_model(Corpus(tmp_path), hp, workers=1)
    wv = model.wv
    assert type(wv).__name__ == "FastTextKeyedVectors" and wv.vector_size == 8
    paths = write_vectors(model, tmp_path / "model")
    assert paths["text"].read_text().split("\n", 1)[0] == f"{len(wv)} 8"


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"objective": "1*simlex99"}, "did you mean 'simlex999'"),
        ({"evaluation": "true", "objective": "1*mine"}, "mean_rho needs WS-353"),
    ],
)
def test_missing_goldsets_fail_before_training(tmp_path, change, reason):
    root = _tree(tmp_path / "ml", dict(FAST, **change), goldsets={"mine.txt": "a\tb\t1\nc\td\t2\n"})
    proc = _job(root, tmp_path / "empty-home")  # nothing installed
    assert proc.returncode != 0
    assert reason in (root / "output" / "failure").read_text()
    assert not (root / "model" / "vectors.txt").exists()
    assert "training mode" not in proc.stderr


def test_mean_rho_line_without_evaluation_when_objective_is_mean_rho(goldsets_home, tmp_path):
    root = _tree(tmp_path / "ml", dict(FAST, evaluation="false"))
    proc = _job(root, goldsets_home)
    assert proc.returncode == 0, proc.stderr
    assert not (root / "model" / "eval.json").exists()
    assert _last(MEAN_RHO, proc.stdout) == _last(OBJECTIVE, proc.stdout)
