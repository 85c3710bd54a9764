"""Tuning results and rescoring against moto in SERVER mode on 127.0.0.1 (real HTTP).

boto3 finds moto through ``AWS_ENDPOINT_URL``. moto 5 stores tuning jobs
(``CreateHyperParameterTuningJob``) and training jobs but does NOT implement
``ListTrainingJobsForHyperParameterTuningJob`` (its server answers HTTP 500), so against
moto :func:`tuning_results` takes the ``ListTrainingJobs`` fallback (name prefix
``<tuning job>-``). The primary path is tested with botocore's ``Stubber`` and response
shapes from the service model: two pages, 130 jobs.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import boto3
import pytest
from _aws import aws_env_vars, aws_environment, write_blazingtext_archive
from botocore.stub import Stubber

import w2veval
from w2veval.objective import Objective
from w2veval.sagemaker import metric_definitions
from w2veval.sagemaker._results import list_tuning_training_jobs, rescore, tuning_results

N_JOBS = 130
ROLE = "arn:aws:iam::123456789012:role/w2veval-test"
GOLDSETS = ["ws353", "simlex999"]


@pytest.fixture(scope="module")
def models(tmp_path_factory, w2v_model, cbow_model):
    """Two real BlazingText-layout model.tar.gz files (vectors.txt, vectors.bin, eval.json)."""
    return {label: write_blazingtext_archive(tmp_path_factory.mktemp(label), model.wv)
            for label, model in (("sg", w2v_model), ("cbow", cbow_model))}


@pytest.fixture(scope="module")
def tuning(moto_endpoint, tmp_path_factory, models, shared_goldsets):
    """A tuning job with N_JOBS training jobs; jobs 000, 001 and 129 have real artifacts."""
    env = aws_environment(moto_endpoint, tmp_path_factory.mktemp("aws"))
    with aws_env_vars(env):
        name = f"tune-{uuid.uuid4().hex[:8]}"
        bucket = f"w2veval-{uuid.uuid4().hex[:12]}"
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=bucket)
        sm = boto3.client("sagemaker")
        resources = {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 5}
        sm.create_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=name,
            HyperParameterTuningJobConfig={
                "Strategy": "Bayesian",
                "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "w2veval:objective"},
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 200, "MaxParallelTrainingJobs": 4}},
            TrainingJobDefinition={
                "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
                "RoleArn": ROLE, "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/out"},
                "ResourceConfig": resources, "StoppingCondition": {"MaxRuntimeInSeconds": 100}})
        # A job of another tuning job whose name shares a prefix must not be listed.
        for job in [f"{name}-{i:03d}-{uuid.uuid4().hex[:8]}" for i in range(N_JOBS)] + [f"{name}x-001-zz"]:
            i = int(job.split("-")[-2])
            sm.create_training_job(
                TrainingJobName=job,
                HyperParameters={"vector_dim": str(50 + i), "mode": "skipgram" if i % 2 else "cbow",
                                 "learning_rate": f"{0.01 * (1 + i % 5):.2f}",
                                 "_tuning_objective_metric": "w2veval:objective"},
                AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
                RoleArn=ROLE, OutputDataConfig={"S3OutputPath": f"s3://{bucket}/out"},
                ResourceConfig=resources, StoppingCondition={"MaxRuntimeInSeconds": 100})
        jobs = [s["TrainingJobName"] for s in _all_jobs(sm) if s["TrainingJobName"].startswith(name + "-")]
        jobs.sort()
        uploaded = {}
        for job, label in ((jobs[0], "sg"), (jobs[1], "cbow"), (jobs[-1], "sg")):
            url = sm.describe_training_job(TrainingJobName=job)["ModelArtifacts"]["S3ModelArtifacts"]
            b, key = url[len("s3://"):].split("/", 1)
            s3.upload_file(str(models[label] / "model.tar.gz"), b, key)
            uploaded[job] = label
        yield {"name": name, "jobs": jobs, "uploaded": uploaded, "env": env, "client": sm}


def _all_jobs(sm):
    out, token = [], None
    while True:
        page = sm.list_training_jobs(MaxResults=100, **({"NextToken": token} if token else {}))
        out += page["TrainingJobSummaries"]
        token = page.get("NextToken")
        if not token:
            return out


def test_tuning_results_lists_every_job(tuning):
    frame = tuning_results(tuning["name"])
    assert len(frame) == N_JOBS
    assert sorted(frame["training_job_name"]) == tuning["jobs"]  # first kept, none cut, no neighbour
    assert list(frame.columns[:3]) == ["training_job_name", "status", "objective"]
    assert {"vector_dim", "mode", "learning_rate", "billable_seconds", "model_artifacts"} <= set(frame.columns)
    assert not any(c.startswith("_") for c in frame.columns)
    first = frame.set_index("training_job_name").loc[tuning["jobs"][0]]
    assert first["vector_dim"] == 50 and first["mode"] == "cbow" and first["learning_rate"] == 0.01
    assert frame["model_artifacts"].str.startswith("s3://").all()
    assert frame["objective"].isna().all()  # moto records no objective metric


def test_rescore_goldsets_equals_local_evaluate(tuning, models):
    frame = rescore(tuning["name"], GOLDSETS, max_workers=4)
    assert len(frame) == N_JOBS
    scored = frame[frame["rescore_error"].isna()]
    assert set(scored["training_job_name"]) == set(tuning["uploaded"])
    for _, row in scored.iterrows():
        local = w2veval.evaluate(str(models[tuning["uploaded"][row["training_job_name"]]] / "vectors.txt"),
                                 GOLDSETS)
        for goldset in GOLDSETS:
            assert row[goldset] == local.set_index("goldset").loc[goldset, "spearman"]
    # best first by the first gold set, the unscored (NaN) last with a reason
    values = frame["ws353"].tolist()
    assert values[:3] == sorted(values[:3], reverse=True) and all(math.isnan(v) for v in values[3:])
    failed = frame[frame["rescore_error"].notna()]
    assert failed[GOLDSETS].isna().all().all()
    assert failed["rescore_error"].str.contains("no such key").all()


def test_rescore_objective_and_job_names(tuning, models):
    objective = Objective.parse("0.7*ws353+0.3*simlex999")
    names = [tuning["jobs"][1], tuning["jobs"][0], tuning["jobs"][5]]
    frame = rescore(names, objective)
    assert len(frame) == 3
    for _, row in frame.iterrows():
        label = tuning["uploaded"].get(row["training_job_name"])
        if label is None:
            assert math.isnan(row["objective"]) and row["rescore_error"]
            continue
        expected = objective.evaluate(str(models[label] / "vectors.txt")).value
        assert row["objective"] == expected
    assert frame["objective"].iloc[0] >= frame["objective"].iloc[1]
    assert math.isnan(frame["objective"].iloc[2])


def _summary(i: int, name: str) -> dict:
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return {"TrainingJobName": f"{name}-{i:03d}-abcd", "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:1:training-job/{name}-{i:03d}",
            "TuningJobName": name, "CreationTime": when, "TrainingJobStatus": "Completed",
            "TunedHyperParameters": {"vector_dim": str(i)},
            "FinalHyperParameterTuningJobObjectiveMetric": {"Type": "Minimize", "MetricName": "loss",
                                                            "Value": float(i % 17)}}


def test_primary_listing_paginates_with_stubber():
    """The real API (absent from moto), stubbed from the service model: 100 + 30 jobs."""
    client = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x", endpoint_url="http://127.0.0.1:9")
    stub = Stubber(client)
    name = "stubbed"
    stub.add_response("describe_hyper_parameter_tuning_job", {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobArn": f"arn:aws:sagemaker:us-east-1:1:hyper-parameter-tuning-job/{name}",
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian", "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 200, "MaxParallelTrainingJobs": 2}},
        "HyperParameterTuningJobStatus": "Completed", "CreationTime": datetime(2024, 1, 1),
        "TrainingJobStatusCounters": {}, "ObjectiveStatusCounters": {}},
        {"HyperParameterTuningJobName": name})
    stub.add_response("list_training_jobs_for_hyper_parameter_tuning_job",
                      {"TrainingJobSummaries": [_summary(i, name) for i in range(100)], "NextToken": "p2"},
                      {"HyperParameterTuningJobName": name, "MaxResults": 100})
    stub.add_response("list_training_jobs_for_hyper_parameter_tuning_job",
                      {"TrainingJobSummaries": [_summary(i, name) for i in range(100, 130)]},
                      {"HyperParameterTuningJobName": name, "MaxResults": 100, "NextToken": "p2"})
    for i in range(130):
        stub.add_response("describe_training_job", {
            "TrainingJobName": f"{name}-{i:03d}-abcd", "TrainingJobArn": "arn:aws:sagemaker:us-east-1:1:training-job/x",
            "ModelArtifacts": {"S3ModelArtifacts": f"s3://b/{i}/output/model.tar.gz"},
            "TrainingJobStatus": "Completed", "SecondaryStatus": "Completed",
            "HyperParameters": {"vector_dim": str(i), "_tuning_objective_metric": "loss"},
            "AlgorithmSpecification": {"TrainingInputMode": "File"}, "CreationTime": datetime(2024, 1, 1),
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            "BillableTimeInSeconds": 60 + i}, {"TrainingJobName": f"{name}-{i:03d}-abcd"})
    with stub:
        frame = tuning_results(name, client=client)
        stub.assert_no_pending_responses()
    assert len(frame) == 130
    assert sorted(frame["vector_dim"]) == list(range(130))
    assert frame["objective"].is_monotonic_increasing  # Minimize: lowest first
    assert frame["billable_seconds"].sum() == sum(60 + i for i in range(130))
    assert "_tuning_objective_metric" not in frame.columns


def test_fallback_follows_empty_pages_with_stubber():
    client = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x", endpoint_url="http://127.0.0.1:9")
    stub = Stubber(client)
    stub.add_client_error("list_training_jobs_for_hyper_parameter_tuning_job", service_error_code="500",
                          http_status_code=500)
    when = datetime(2024, 1, 1)

    def job(n):
        return {"TrainingJobName": n, "TrainingJobArn": "arn:aws:sagemaker:us-east-1:1:training-job/x",
                "CreationTime": when, "TrainingJobStatus": "Completed"}

    stub.add_response("list_training_jobs", {"TrainingJobSummaries": [job("t-001-a")], "NextToken": "a"})
    stub.add_response("list_training_jobs", {"TrainingJobSummaries": [], "NextToken": "b"})
    stub.add_response("list_training_jobs", {"TrainingJobSummaries": [job("t-002-b"), job("tx-1")]})
    with stub:
        jobs = list_tuning_training_jobs("t", client=client)
    assert [j["TrainingJobName"] for j in jobs] == ["t-001-a", "t-002-b"]


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "w2veval", "sagemaker", *args], capture_output=True,
                          text=True, env=dict(os.environ, **env), timeout=300)


def test_cli(tuning, models):
    proc = _cli(tuning["env"], "results", tuning["name"], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert sorted(r["training_job_name"] for r in rows) == tuning["jobs"]

    names = [tuning["jobs"][0], tuning["jobs"][1]]
    proc = _cli(tuning["env"], "rescore", *names, "-g", "ws353", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    expected = rescore(names, ["ws353"])
    assert [r["training_job_name"] for r in rows] == expected["training_job_name"].tolist()
    assert [r["ws353"] for r in rows] == expected["ws353"].tolist()

    proc = _cli(tuning["env"], "rescore", tuning["name"], "--objective", "0.5*ws353+0.5*simlex999")
    assert proc.returncode == 0, proc.stderr
    assert tuning["jobs"][0] in proc.stdout and "objective" in proc.stdout

    proc = _cli(tuning["env"], "metric-definitions", "--objective", "mean_rho")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == metric_definitions("mean_rho")
    proc = _cli(tuning["env"], "metric-definitions", "-g", "ws353", "-g", "simlex999")
    assert [d["Name"] for d in json.loads(proc.stdout)] == \
        ["w2veval:objective", "w2veval:ws353", "w2veval:simlex999"]
    assert _cli(tuning["env"], "metric-definitions").returncode == 2


# --- the ranking rule (issue 11) -----------------------------------------------------------------

def test_rescore_reports_pairs_scored_and_coverage_and_ranks_only_what_may_rank(tuning, models):
    sg, cbow = tuning["jobs"][0], tuning["jobs"][1]  # min_count 2 and 1 on the Lee corpus
    frame = rescore([sg, cbow, tuning["jobs"][5]], GOLDSETS).set_index("training_job_name")
    for job in (sg, cbow):
        local = w2veval.evaluate(str(models[tuning["uploaded"][job]] / "vectors.txt"), GOLDSETS)
        assert frame.at[job, "n_scored"] == local["n_scored"].min()
        assert frame.at[job, "coverage"] == pytest.approx((local["n_scored"] / local["n_pairs"]).min(), abs=1e-12)
        # The Lee models cover well under 0.8 of each set: with the default rule nothing ranks.
        assert not frame.at[job, "rankable"]
        worst = local.loc[(local["n_scored"] / local["n_pairs"]).idxmin()]
        assert f"{worst['goldset']}: coverage {worst['n_scored'] / worst['n_pairs']:.2f} is below 0.8" \
            in frame.at[job, "note"]
    unscored = frame.loc[tuning["jobs"][5]]
    assert not unscored["rankable"] and math.isnan(unscored["n_scored"]) and unscored["rescore_error"]
    # A threshold between the two models' coverages: only CBOW may rank, and it comes first.
    threshold = (frame.at[sg, "coverage"] + frame.at[cbow, "coverage"]) / 2
    assert frame.at[sg, "coverage"] < threshold < frame.at[cbow, "coverage"]
    lowered = rescore([sg, cbow], GOLDSETS, min_coverage=threshold)
    assert list(lowered["training_job_name"]) == [cbow, sg]
    assert list(lowered["rankable"]) == [True, False]
    assert lowered.at[0, "note"] is None and f"is below {threshold:g}" in lowered.at[1, "note"]
    # The same with an objective: the best named is never one whose scores stand on too few pairs.
    objective = Objective.parse("0.5*ws353+0.5*simlex999")
    ranked = rescore([sg, cbow], objective, min_coverage=threshold)
    assert ranked.at[0, "training_job_name"] == cbow and bool(ranked.at[0, "rankable"])


def test_rescore_cli_prints_the_rank_columns_and_takes_the_thresholds(tuning):
    sg, cbow = tuning["jobs"][0], tuning["jobs"][1]
    expected = rescore([sg, cbow], ["ws353"], min_pairs=40, min_coverage=0.4)
    proc = _cli(tuning["env"], "rescore", sg, cbow, "-g", "ws353", "--min-pairs", "40", "--min-coverage", "0.4",
                "--format", "json", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["training_job_name"] for r in rows] == expected["training_job_name"].tolist()
    assert [r["n_scored"] for r in rows] == expected["n_scored"].tolist()
    assert [r["rankable"] for r in rows] == expected["rankable"].tolist()
    assert [r["note"] for r in rows] == expected["note"].tolist()
