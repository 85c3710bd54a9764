"""The SageMaker job with objectives over downstream tasks (issue 13), run as SageMaker would:
a subprocess on an /opt/ml tree. Tasks come from the ``tasks`` channel: the catalogued
movie-review polarity files (real, from ../shared, copied into the temporary channel) and a
user's own labelled file (real SMS messages with their labels, written by the test). Scores
are checked against an independent implementation; the tuner's regexes against the job's
real printed output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _task_reference import polarity, reference_scores
from test_sagemaker_metrics import _tuner_reads

from w2veval.sagemaker import metric_definitions
from w2veval.sagemaker._request import tuning_job_request

FAST = {"mode": "batch_skipgram", "vector_dim": "16", "epochs": "1", "min_count": "2", "evaluation": "false"}
OBJECTIVE = "0.4*mr-polarity+0.3*sms+0.3*ws353-sim"


@pytest.fixture(scope="module")
def home(tmp_path_factory, shared_goldsets):
    """A cache with the shared word-pair gold sets only: the tasks come from the channel."""
    home = tmp_path_factory.mktemp("home")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, w2veval.goldsets as g; g.import_dir(sys.argv[1])",
            str(shared_goldsets / "ws353"),
        ],
        check=True,
        capture_output=True,
        env=dict(os.environ, W2VEVAL_HOME=str(home)),
    )
    assert not (home / "goldsets" / "mr-polarity").exists()
    return home


def _sms_rows(shared_tasks, n=1500):
    """The first ``n`` messages of the real SMS Spam Collection (after the mirror's header)."""
    lines = (shared_tasks / "sms-spam" / "SMSSpamCollection").read_text(encoding="utf-8").split("\n")[1:]
    rows = [line.rstrip("\r").split("\t", 1) for line in lines if line.strip()][:n]
    return [(label, " ".join(text.split())) for label, text in rows]


def _tree(root: Path, hyperparameters: dict, shared_tasks, *, corpus=True) -> Path:
    import json

    from gensim.test.utils import datapath

    (root / "input" / "config").mkdir(parents=True)
    (root / "input" / "config" / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    if corpus:
        (root / "input" / "data" / "train").mkdir(parents=True)
        shutil.copy(datapath("lee_background.cor"), root / "input" / "data" / "train" / "lee.cor")
    tasks = root / "input" / "data" / "tasks"
    (tasks / "mr-polarity").mkdir(parents=True)
    for name in ("rt-polarity.pos", "rt-polarity.neg"):  # the catalogued files, into a temporary channel
        shutil.copy(shared_tasks / "mr-polarity" / name, tasks / "mr-polarity" / name)
    (tasks / "sms.tsv").write_text(
        "label\ttext\n" + "".join(f"{label}\t{t}\n" for label, t in _sms_rows(shared_tasks)), encoding="utf-8"
    )
    return root


def _job(root: Path, home: Path):
    env = dict(os.environ, W2VEVAL_HOME=str(home), W2VEVAL_WORKERS="1")
    return subprocess.run(
        [sys.executable, "-m", "w2veval.sagemaker.job", "train", "--ml-root", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory, home, shared_tasks):
    root = _tree(tmp_path_factory.mktemp("ml"), dict(FAST, objective=OBJECTIVE), shared_tasks)
    return root, _job(root, home)


def test_training_on_tasks_from_the_channel_succeeds(trained, home):
    root, proc = trained
    assert proc.returncode == 0, proc.stderr
    assert not (root / "output" / "failure").exists() and "Traceback" not in proc.stderr
    assert "installed mr-polarity from the tasks channel" in proc.stderr
    assert (root / "model" / "vectors.txt").exists()


def test_the_tuners_regexes_read_every_term_of_the_real_output(trained):
    _, proc = trained
    read = _tuner_reads(metric_definitions(OBJECTIVE, mean_rho=False), proc.stdout)
    assert set(read) == {"w2veval:objective", "w2veval:mr-polarity", "w2veval:sms", "w2veval:ws353-sim"}
    assert 0.0 <= read["w2veval:mr-polarity"] <= 1.0 and 0.0 <= read["w2veval:sms"] <= 1.0
    expected = 0.4 * read["w2veval:mr-polarity"] + 0.3 * read["w2veval:sms"] + 0.3 * read["w2veval:ws353-sim"]
    assert read["w2veval:objective"] == pytest.approx(expected, abs=1e-12)
    # each line read by its own regex only: the printed lines, one per metric, in the log
    printed = re.findall(r"^#w2veval:([^:]+): (\S+)$", proc.stdout, re.MULTILINE)
    assert {f"w2veval:{name}": float(value) for name, value in printed} == read


def test_scoring_mode_equals_an_independent_classifier(tmp_path, home, shared_tasks, w2v_model):
    root = _tree(
        tmp_path / "ml",
        {"objective": "0.5*mr-polarity+0.5*sms;task_metric=accuracy", "evaluation": "false"},
        shared_tasks,
        corpus=False,
    )
    channel = root / "input" / "data" / "model"
    channel.mkdir(parents=True)
    w2v_model.wv.save_word2vec_format(str(channel / "vectors.txt"))
    proc = _job(root, home)
    assert proc.returncode == 0, proc.stderr
    read = _tuner_reads(metric_definitions("0.5*mr-polarity+0.5*sms", mean_rho=False), proc.stdout)
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(str(channel / "vectors.txt"))  # float32 as the job reads it
    polarity_accuracy, _ = reference_scores(kv, *polarity(shared_tasks))
    sms = _sms_rows(shared_tasks)
    spam, _ = reference_scores(kv, [t for _, t in sms], [label for label, _ in sms])
    assert read["w2veval:mr-polarity"] == pytest.approx(polarity_accuracy, abs=1e-9)
    assert read["w2veval:sms"] == pytest.approx(spam, abs=1e-9)
    assert read["w2veval:objective"] == pytest.approx((polarity_accuracy + spam) / 2, abs=1e-9)


def test_a_task_named_in_both_channels_fails_cleanly(tmp_path, home, shared_tasks):
    root = _tree(tmp_path / "ml", dict(FAST, objective="1*sms"), shared_tasks)
    (root / "input" / "data" / "goldsets").mkdir()
    (root / "input" / "data" / "goldsets" / "sms.txt").write_text("king\tqueen\t5\n")
    proc = _job(root, home)
    assert proc.returncode == 2
    reason = (root / "output" / "failure").read_text()
    assert "share the name 'sms'" in reason and "Traceback" not in proc.stderr
    assert not (root / "model" / "vectors.txt").exists()


def test_a_catalogued_task_neither_installed_nor_in_the_channel_fails_before_training(
    tmp_path, home, shared_tasks
):
    root = _tree(tmp_path / "ml", dict(FAST, objective="1*sms-spam"), shared_tasks)
    proc = _job(root, home)
    assert proc.returncode == 2
    reason = (root / "output" / "failure").read_text()
    assert "sms-spam" in reason and "training mode" not in proc.stderr


def test_request_passes_the_tasks_channel_and_a_metric_per_term():
    import botocore.session
    import botocore.validate

    request = tuning_job_request(
        name="w2v-task",
        objective=OBJECTIVE,
        image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/w2veval:1",
        role_arn="arn:aws:iam::123456789012:role/SageMakerRole",
        output_s3_uri="s3://b/out/",
        train_s3_uri="s3://b/corpus/",
        tasks_s3_uri="s3://b/tasks/",
        static_hyperparameters={"evaluation": False},
    )
    shape = (
        botocore.session.get_session()
        .get_service_model("sagemaker")
        .operation_model("CreateHyperParameterTuningJob")
        .input_shape
    )
    report = botocore.validate.ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()
    training = request["TrainingJobDefinition"]
    channels = training["InputDataConfig"]
    assert [c["ChannelName"] for c in channels] == ["train", "tasks"]
    assert channels[1]["DataSource"]["S3DataSource"]["S3Uri"] == "s3://b/tasks/"
    names = [d["Name"] for d in training["AlgorithmSpecification"]["MetricDefinitions"]]
    assert names == ["w2veval:objective", "w2veval:mr-polarity", "w2veval:sms", "w2veval:ws353-sim"]


def test_rescoring_a_model_takes_each_terms_kind_metric(tmp_path, home, shared_tasks, w2v_model):
    """What ``rescore`` computes per training job, on a local model file: a task term is its macro-F1."""
    from gensim.models import KeyedVectors

    from w2veval.objective import Objective
    from w2veval.sagemaker._results import _score_one

    rows = _sms_rows(shared_tasks, n=800)
    task = tmp_path / "sms.tsv"
    task.write_text("label\ttext\n" + "".join(f"{label}\t{t}\n" for label, t in rows), encoding="utf-8")
    vectors = tmp_path / "vectors.txt"
    w2v_model.wv.save_word2vec_format(str(vectors))
    scores, error = _score_one(str(vectors), None, Objective.parse(f"1*task:{task}"))
    assert error is None
    kv = KeyedVectors.load_word2vec_format(str(vectors))
    _, macro_f1 = reference_scores(kv, [t for _, t in rows], [label for label, _ in rows])
    assert scores["sms"] == pytest.approx(macro_f1, abs=1e-9)
