"""examples/sagemaker: the walkthrough against moto server, and the Dockerfile's entry point.

There is no Docker engine here, so the image is not built; what the test checks is that the
ENTRYPOINT the Dockerfile names is the installed console script and that, run as SageMaker
runs a container (``<entrypoint> train``), it trains and prints the tuner's metrics.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from _aws import use_aws

from w2veval.sagemaker import metric_definitions

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sagemaker"


@pytest.fixture
def aws(moto_endpoint, monkeypatch, tmp_path):
    use_aws(monkeypatch, tmp_path, moto_endpoint)
    monkeypatch.setenv("SAGEMAKER_VALIDATE_ROLE", "false")


def test_walkthrough_launches_and_reports(aws, tmp_path):
    from gensim.test.utils import datapath

    bucket = f"w2veval-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    goldsets = tmp_path / "goldsets"
    goldsets.mkdir()
    (goldsets / "mine.tsv").write_text("government\tminister\t8\nhouse\tbuilding\t7\n")
    objective = "0.5*mine+0.5*ws353"
    done = subprocess.run(
        [
            sys.executable,
            str(EXAMPLE / "walkthrough.py"),
            "launch",
            "--bucket",
            bucket,
            "--role",
            "arn:aws:iam::123456789012:role/r",
            "--image",
            "1.dkr.ecr.us-east-1.amazonaws.com/w2veval",
            "--corpus",
            datapath("lee_background.cor"),
            "--goldsets",
            str(goldsets),
            "--objective",
            objective,
            "--max-jobs",
            "4",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    job = done.stdout.strip().splitlines()[-1]

    sm, s3 = boto3.client("sagemaker"), boto3.client("s3")
    sent = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=job)
    definition = sent["TrainingJobDefinition"]
    channels = {
        c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in definition["InputDataConfig"]
    }
    assert set(channels) == {"train", "goldsets"}
    for channel, name in (("train", "lee_background.cor"), ("goldsets", "mine.tsv")):
        prefix = channels[channel][len(f"s3://{bucket}/") :]
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]]
        assert keys == [prefix + name]
    assert definition["StaticHyperParameters"] == {"epochs": "5", "objective": objective}
    assert definition["AlgorithmSpecification"]["MetricDefinitions"] == metric_definitions(objective)

    # moto starts no training job: the report of a tuning job without jobs yet, rescored too
    # (rescore's score columns are there with no rows: no KeyError).
    done = subprocess.run(
        [sys.executable, str(EXAMPLE / "walkthrough.py"), "report", job, "-g", "ws353"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Training jobs, best first:"
    assert lines[1].startswith(
        "(no training job yet; columns: training_job_name, status, objective_value, "
        "objective, objective_status, "
    )
    assert "Billable time: 0 s" in lines
    assert (
        lines[lines.index("Rescored on ws353:") + 1]
        == "(no training job yet; columns: training_job_name, ws353, coverage, rankable, rescore_error)"
    )


def _entrypoint() -> list[str]:
    text = (EXAMPLE / "Dockerfile").read_text()
    return json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", text, re.MULTILINE).group(1))


def test_dockerfile_entrypoint_runs_the_job_as_sagemaker_would(tmp_path):
    from gensim.test.utils import datapath

    [command] = _entrypoint()
    executable = shutil.which(command, path=str(Path(sys.executable).parent))
    assert executable, f"the Dockerfile's ENTRYPOINT {command!r} is not an installed console script"
    root = tmp_path / "ml"
    (root / "input" / "config").mkdir(parents=True)
    (root / "input" / "data" / "train").mkdir(parents=True)
    shutil.copy(datapath("lee_background.cor"), root / "input" / "data" / "train")
    (root / "input" / "config" / "hyperparameters.json").write_text(
        json.dumps(
            {
                "mode": "cbow",
                "vector_dim": "16",
                "epochs": "1",
                "min_count": "3",
                "evaluation": "false",
                "objective": "1*simlex999",
            }
        )
    )
    done = subprocess.run(
        [executable, "train"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, W2VEVAL_ML_ROOT=str(root)),
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"^#w2veval:objective: \S+$", done.stdout, re.MULTILINE)
    assert (root / "model" / "vectors.txt").is_file() and (root / "model" / "vectors.bin").is_file()
