"""Tuning results and rescoring against moto in SERVER mode on 127.0.0.1 (real HTTP).

boto3 finds moto through ``AWS_ENDPOINT_URL``. moto 5 stores tuning jobs
(``CreateHyperParameterTuningJob``) and training jobs but does NOT implement
``ListTrainingJobsForHyperParameterTuningJob`` (its server answers HTTP 500), so against
moto :func:`tuning_results` takes the ``ListTrainingJobs`` fallback (name prefix
``<tuning job>-``). The primary path is tested with botocore's ``Stubber`` and response
shapes from the service model: two pages, 130 jobs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
import uuid
import warnings
from datetime import UTC, datetime, timedelta

import boto3
import pandas as pd
import pytest
from _aws import aws_env_vars, aws_environment, write_blazingtext_archive
from botocore.stub import Stubber

import w2veval
from w2veval._output import render_frame
from w2veval.objective import Objective
from w2veval.sagemaker import metric_definitions
from w2veval.sagemaker._results import billable_line, list_tuning_training_jobs, rescore, tuning_results
from w2veval.scoring import UnreliableScoreWarning

N_JOBS = 130
OBJECTIVE = "0.7*ws353+0.3*simlex999"
ROLE = "arn:aws:iam::123456789012:role/w2veval-test"
GOLDSETS = ["ws353", "simlex999"]


@pytest.fixture(scope="module")
def models(tmp_path_factory, w2v_model, cbow_model):
    """Two real BlazingText-layout model.tar.gz files (vectors.txt, vectors.bin, eval.json)."""
    return {
        label: write_blazingtext_archive(tmp_path_factory.mktemp(label), model.wv)
        for label, model in (("sg", w2v_model), ("cbow", cbow_model))
    }


def _tuned(ranges: dict, i: int) -> dict:
    """Tuned values for job ``i`` from a request's ParameterRanges, as SageMaker sends them (strings)."""
    values = {}
    for r in ranges.get("IntegerParameterRanges", []):
        low, high = int(r["MinValue"]), int(r["MaxValue"])
        values[r["Name"]] = str(low + i % (high - low + 1))
    for r in ranges.get("ContinuousParameterRanges", []):
        low, high = float(r["MinValue"]), float(r["MaxValue"])
        values[r["Name"]] = f"{low * (high / low) ** ((i % 10) / 9):.3g}"
    for r in ranges.get("CategoricalParameterRanges", []):
        values[r["Name"]] = r["Values"][i % len(r["Values"])]
    return values


def our_request(name: str, bucket: str, objective: str = OBJECTIVE) -> dict:
    """w2veval's own CreateHyperParameterTuningJob request (static hyperparameters include ``objective``)."""
    return w2veval.sagemaker.tuning_job_request(
        name=name,
        image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/w2veval:1",
        role_arn=ROLE,
        objective=objective,
        train_s3_uri=f"s3://{bucket}/corpus/",
        output_s3_uri=f"s3://{bucket}/out",
        static_hyperparameters={"epochs": "5"},
    )


def our_hyperparameters(request: dict, i: int) -> dict:
    """Exactly what SageMaker gives w2veval's training job ``i``: the static hyperparameters
    w2veval sets, the tuner's values from the space, and SageMaker's own ``_tuning_objective_metric``."""
    config = request["HyperParameterTuningJobConfig"]
    return {
        **request["TrainingJobDefinition"]["StaticHyperParameters"],
        **_tuned(config["ParameterRanges"], i),
        "_tuning_objective_metric": config["HyperParameterTuningJobObjective"]["MetricName"],
    }


BLAZINGTEXT_RANGES_REQUEST = {
    "IntegerParameterRanges": [{"Name": "vector_dim", "MinValue": "50", "MaxValue": "300"}],
    "ContinuousParameterRanges": [{"Name": "learning_rate", "MinValue": "0.005", "MaxValue": "0.05"}],
    "CategoricalParameterRanges": [{"Name": "mode", "Values": ["skipgram", "cbow"]}],
}


def blazingtext_hyperparameters(i: int) -> dict:
    """A BlazingText tuning job's training job: its own static names, no ``objective``."""
    return {
        "epochs": "5",
        "evaluation": "true",
        "min_count": "5",
        **_tuned(BLAZINGTEXT_RANGES_REQUEST, i),
        "_tuning_objective_metric": "train:mean_rho",
    }


@pytest.fixture(scope="module")
def tuning(moto_endpoint, tmp_path_factory, models, shared_goldsets):
    """w2veval's own tuning job (tuning_job_request) with N_JOBS training jobs carrying exactly the
    hyperparameters w2veval sets; jobs 000, 001 and 129 have real artifacts. Also a BlazingText
    tuning job with three jobs."""
    env = aws_environment(moto_endpoint, tmp_path_factory.mktemp("aws"))
    with aws_env_vars(env):
        name = f"tune-{uuid.uuid4().hex[:8]}"
        bucket = f"w2veval-{uuid.uuid4().hex[:12]}"
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=bucket)
        sm = boto3.client("sagemaker")
        request = our_request(name, bucket)
        sm.create_hyper_parameter_tuning_job(**request)
        definition = request["TrainingJobDefinition"]
        common = {
            k: definition[k]
            for k in (
                "AlgorithmSpecification",
                "RoleArn",
                "OutputDataConfig",
                "ResourceConfig",
                "StoppingCondition",
            )
        }
        hyperparameters = {}
        # A job of another tuning job whose name shares a prefix must not be listed.
        for job in [f"{name}-{i:03d}-{uuid.uuid4().hex[:8]}" for i in range(N_JOBS)] + [f"{name}x-001-zz"]:
            i = int(job.split("-")[-2])
            hyperparameters[job] = our_hyperparameters(request, i)
            sm.create_training_job(TrainingJobName=job, HyperParameters=hyperparameters[job], **common)
        jobs = [s["TrainingJobName"] for s in _all_jobs(sm) if s["TrainingJobName"].startswith(name + "-")]
        jobs.sort()
        uploaded = {}
        for job, label in ((jobs[0], "sg"), (jobs[1], "cbow"), (jobs[-1], "sg")):
            url = sm.describe_training_job(TrainingJobName=job)["ModelArtifacts"]["S3ModelArtifacts"]
            b, key = url[len("s3://") :].split("/", 1)
            s3.upload_file(str(models[label] / "model.tar.gz"), b, key)
            uploaded[job] = label
        blazingtext = f"bt-{uuid.uuid4().hex[:8]}"
        sm.create_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=blazingtext,
            HyperParameterTuningJobConfig={
                "Strategy": "Bayesian",
                "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "train:mean_rho"},
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 3, "MaxParallelTrainingJobs": 1},
                "ParameterRanges": BLAZINGTEXT_RANGES_REQUEST,
            },
            TrainingJobDefinition={
                **common,
                "StaticHyperParameters": {"epochs": "5", "evaluation": "true", "min_count": "5"},
            },
        )
        for i in range(3):
            sm.create_training_job(
                TrainingJobName=f"{blazingtext}-{i:03d}-abcd",
                HyperParameters=blazingtext_hyperparameters(i),
                **common,
            )
        empty = f"empty-{uuid.uuid4().hex[:8]}"
        sm.create_hyper_parameter_tuning_job(**our_request(empty, bucket))
        yield {
            "name": name,
            "jobs": jobs,
            "uploaded": uploaded,
            "env": env,
            "client": sm,
            "request": request,
            "hyperparameters": hyperparameters,
            "blazingtext": blazingtext,
            "empty": empty,
        }


def _all_jobs(sm):
    out, token = [], None
    while True:
        page = sm.list_training_jobs(MaxResults=100, **({"NextToken": token} if token else {}))
        out += page["TrainingJobSummaries"]
        token = page.get("NextToken")
        if not token:
            return out


class Calls:
    """The SageMaker operations a client calls (one per API call, retries not counted)."""

    def __init__(self, client):
        self.names: list[str] = []
        client.meta.events.register("before-parameter-build.sagemaker", self._seen)

    def _seen(self, model, **kwargs):
        self.names.append(model.name)

    def __getitem__(self, operation: str) -> int:
        return self.names.count(operation)


ISO_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def test_tuning_results_lists_every_job_of_our_own_tuning_job(tuning):
    """moto: Search cannot filter by TuningJobArn, the tuner's listing is missing: the
    documented fallback (ListTrainingJobs by name prefix, one DescribeTrainingJob per job)."""
    with aws_env_vars(tuning["env"]):
        client = boto3.client("sagemaker")
        calls = Calls(client)
        frame = tuning_results(tuning["name"], client=client)
    assert calls["Search"] == 1 and calls["ListTrainingJobsForHyperParameterTuningJob"] == 1
    assert calls["DescribeTrainingJob"] == N_JOBS and calls["ListTrainingJobs"] == 2  # 131 jobs, 100 a page
    assert len(frame) == N_JOBS
    assert sorted(frame["training_job_name"]) == tuning["jobs"]  # first kept, none cut, no neighbour
    assert list(frame.columns[:5]) == [
        "training_job_name",
        "status",
        "objective_value",
        "objective",
        "objective_status",
    ]
    assert list(frame.columns[-5:]) == [
        "billable_seconds",
        "training_start",
        "training_end",
        "model_artifacts",
        "failure_reason",
    ]
    sent = tuning["hyperparameters"][tuning["jobs"][0]]
    assert set(frame.columns[5:-5]) == set(sent) - {"objective", "_tuning_objective_metric"}
    # The static hyperparameter `objective` is the spec, never the value.
    assert (frame["objective"] == OBJECTIVE).all()
    assert (
        frame["objective_value"].dtype == float and frame["objective_value"].isna().all()
    )  # moto: no metric
    assert frame["objective_status"].isna().all()  # moto lists no ObjectiveStatus
    for job in (tuning["jobs"][0], tuning["jobs"][7]):
        row = frame.set_index("training_job_name").loc[job]
        sent = tuning["hyperparameters"][job]
        assert row["vector_dim"] == int(sent["vector_dim"]) and row["mode"] == sent["mode"]
        assert row["learning_rate"] == float(sent["learning_rate"]) and row["epochs"] == 5
    assert str(frame["vector_dim"].dtype) == "Int64" and str(frame["billable_seconds"].dtype) == "Int64"
    assert frame["model_artifacts"].str.startswith("s3://").all()
    assert (
        frame["training_start"].str.fullmatch(ISO_UTC).all()
        and frame["training_end"].str.fullmatch(ISO_UTC).all()
    )
    assert frame["failure_reason"].isna().all()
    assert math.isnan(frame.attrs["billable_seconds_total"])  # moto reports no billable time


def test_tuning_results_of_a_blazingtext_tuning_job(tuning):
    frame = tuning_results(tuning["blazingtext"])
    assert len(frame) == 3
    assert (frame["objective"] == "train:mean_rho").all()  # no objective hyperparameter: the metric's name
    assert set(frame.columns[5:-5]) == set(blazingtext_hyperparameters(0)) - {"_tuning_objective_metric"}
    by_name = frame.set_index("training_job_name")
    for i in range(3):
        sent = blazingtext_hyperparameters(i)
        row = by_name.loc[f"{tuning['blazingtext']}-{i:03d}-abcd"]
        assert (
            row["vector_dim"] == int(sent["vector_dim"])
            and row["min_count"] == 5
            and row["mode"] == sent["mode"]
        )


def test_rescore_goldsets_equals_local_evaluate(tuning, models):
    frame = rescore(tuning["name"], GOLDSETS, max_workers=4)
    assert len(frame) == N_JOBS
    scored = frame[frame["rescore_error"].isna()]
    assert set(scored["training_job_name"]) == set(tuning["uploaded"])
    for _, row in scored.iterrows():
        local = w2veval.evaluate(
            str(models[tuning["uploaded"][row["training_job_name"]]] / "vectors.txt"), GOLDSETS
        )
        for goldset in GOLDSETS:
            assert row[goldset] == local.set_index("goldset").loc[goldset, "spearman"]
    # best first by the first gold set, the unscored (NaN) last with a reason
    values = frame["ws353"].tolist()
    assert values[:3] == sorted(values[:3], reverse=True) and all(math.isnan(v) for v in values[3:])
    failed = frame[frame["rescore_error"].notna()]
    assert failed[GOLDSETS].isna().all().all()
    assert failed["rescore_error"].str.contains("no such key").all()
    assert (frame["objective"] == OBJECTIVE).all()  # the tuner's columns are kept


def test_rescore_objective_and_job_names(tuning, models):
    objective = Objective.parse("0.7*ws353+0.3*simlex999")
    names = [tuning["jobs"][1], tuning["jobs"][0], tuning["jobs"][5]]
    frame = rescore(names, objective)
    assert len(frame) == 3
    for _, row in frame.iterrows():
        label = tuning["uploaded"].get(row["training_job_name"])
        if label is None:
            assert math.isnan(row["rescored_objective"]) and row["rescore_error"]
            continue
        expected = objective.evaluate(str(models[label] / "vectors.txt")).value
        assert row["rescored_objective"] == expected
    assert frame["rescored_objective"].iloc[0] >= frame["rescored_objective"].iloc[1]
    assert math.isnan(frame["rescored_objective"].iloc[2])


def test_rescore_of_a_tuning_job_without_training_jobs_has_every_column(tuning):
    frame = rescore(tuning["empty"], GOLDSETS)
    assert len(frame) == 0
    assert {*GOLDSETS, "n_scored", "coverage", "rankable", "note", "rescore_error", "objective_value"} <= set(
        frame.columns
    )
    objective = rescore(tuning["empty"], Objective.parse("0.5*ws353+0.5*simlex999"))
    assert {*GOLDSETS, "rescored_objective", "rankable"} <= set(objective.columns) and len(objective) == 0
    assert tuning_results(tuning["empty"]).attrs["billable_seconds_total"] == 0
    proc = _cli(tuning["env"], "rescore", tuning["empty"], "-g", "ws353", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    header = proc.stdout.splitlines()[0].split()
    assert {"ws353", "n_scored", "coverage", "rankable", "rescore_error"} <= set(header)


# --- the Search path, stubbed from the service model ---------------------------------------------

STUB_NAME = "stubbed"
STUB_ARN = f"arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/{STUB_NAME}"
START = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def _stub_client():
    return boto3.client(
        "sagemaker",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        endpoint_url="http://127.0.0.1:9",
    )


def _stub_tuning(stub, request):
    config = {
        k: request["HyperParameterTuningJobConfig"][k]
        for k in ("Strategy", "HyperParameterTuningJobObjective", "ResourceLimits")
    }
    stub.add_response(
        "describe_hyper_parameter_tuning_job",
        {
            "HyperParameterTuningJobName": STUB_NAME,
            "HyperParameterTuningJobArn": STUB_ARN,
            "HyperParameterTuningJobConfig": config,
            "HyperParameterTuningJobStatus": "Completed",
            "CreationTime": START,
            "TrainingJobStatusCounters": {},
            "ObjectiveStatusCounters": {},
        },
        {"HyperParameterTuningJobName": STUB_NAME},
    )


def _value(i: int) -> float:
    return ((i * 37) % 131) / 1000  # distinct, not in job order; 0.0 for job 0


def _failed(i: int) -> bool:
    return i % 13 == 5


def _job_name(i: int) -> str:
    return f"{STUB_NAME}-{i:03d}-abcd"


def _training_job(i: int, request: dict) -> dict:
    """Job ``i`` as Search returns it (the TrainingJob shape) for w2veval's own tuning job."""
    job = {
        "TrainingJobName": _job_name(i),
        "TuningJobArn": STUB_ARN,
        "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{_job_name(i)}",
        "TrainingJobStatus": "Failed" if _failed(i) else "Completed",
        "HyperParameters": our_hyperparameters(request, i),
        "TrainingStartTime": START + timedelta(minutes=i),
        "TrainingEndTime": START + timedelta(minutes=i, seconds=90),
        "BillableTimeInSeconds": 600 + i,
        "ModelArtifacts": {"S3ModelArtifacts": f"s3://b/out/{_job_name(i)}/output/model.tar.gz"},
    }
    if _failed(i):
        job["FailureReason"] = f"AlgorithmError: corpus {i} is empty"
    else:
        job["FinalMetricDataList"] = [
            {"MetricName": "w2veval:objective", "Value": _value(i), "Timestamp": START}
        ]
    return job


def _summary(i: int, request: dict) -> dict:
    """Job ``i`` as ListTrainingJobsForHyperParameterTuningJob returns it."""
    summary = {
        "TrainingJobName": _job_name(i),
        "TuningJobName": STUB_NAME,
        "CreationTime": START,
        "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{_job_name(i)}",
        "TrainingJobStatus": "Failed" if _failed(i) else "Completed",
        "TunedHyperParameters": _tuned(request["HyperParameterTuningJobConfig"]["ParameterRanges"], i),
        "ObjectiveStatus": "Failed" if _failed(i) else "Succeeded",
    }
    if not _failed(i):
        summary["FinalHyperParameterTuningJobObjectiveMetric"] = {
            "MetricName": "w2veval:objective",
            "Value": _value(i),
        }
    return summary


LATE = 57  # a job the listing names but Search's (eventually consistent) index does not have yet


@pytest.fixture
def searched():
    return searched_tuning_job()


def searched_tuning_job():
    """tuning_results of w2veval's own 130-job tuning job through Search (stubbed), with the calls made."""
    request = our_request(STUB_NAME, "b")
    client = _stub_client()
    calls = Calls(client)
    stub = Stubber(client)
    _stub_tuning(stub, request)
    search = {
        "Resource": "TrainingJob",
        "MaxResults": 100,
        "SearchExpression": {"Filters": [{"Name": "TuningJobArn", "Operator": "Equals", "Value": STUB_ARN}]},
    }
    records = [{"TrainingJob": _training_job(i, request)} for i in range(N_JOBS) if i != LATE]
    stub.add_response("search", {"Results": records[:100], "NextToken": "s2"}, search)
    stub.add_response("search", {"Results": records[100:]}, {**search, "NextToken": "s2"})
    listing = {"HyperParameterTuningJobName": STUB_NAME, "MaxResults": 100}
    stub.add_response(
        "list_training_jobs_for_hyper_parameter_tuning_job",
        {"TrainingJobSummaries": [_summary(i, request) for i in range(100)], "NextToken": "l2"},
        listing,
    )
    stub.add_response(
        "list_training_jobs_for_hyper_parameter_tuning_job",
        {"TrainingJobSummaries": [_summary(i, request) for i in range(100, N_JOBS)]},
        {**listing, "NextToken": "l2"},
    )
    late = {k: v for k, v in _training_job(LATE, request).items() if k != "TuningJobArn"}
    stub.add_response(
        "describe_training_job",
        {
            **late,
            "AlgorithmSpecification": {"TrainingInputMode": "File"},
            "CreationTime": START,
            "SecondaryStatus": "Completed",
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        },
        {"TrainingJobName": _job_name(LATE)},
    )
    with stub:
        frame = tuning_results(STUB_NAME, client=client)
        stub.assert_no_pending_responses()
    return frame, calls, request


def test_search_reads_100_jobs_a_call(searched):
    frame, calls, _ = searched
    # 130 jobs: one describe of the tuning job, two Search pages, two listing pages, and one
    # DescribeTrainingJob for the job Search did not return yet; not one describe per job.
    assert calls.names.count("Search") == 2 and calls["ListTrainingJobsForHyperParameterTuningJob"] == 2
    assert calls["DescribeTrainingJob"] == 1 and len(calls.names) == 6
    assert sorted(frame["training_job_name"]) == [_job_name(i) for i in range(N_JOBS)]


def test_search_table_is_sorted_by_the_objective_value_not_its_spec(searched):
    frame, _, request = searched
    ok = [i for i in range(N_JOBS) if not _failed(i)]
    failed = [i for i in range(N_JOBS) if _failed(i)]
    # Maximize: highest first, the failed jobs (no value) last.
    assert frame["objective_value"].tolist()[: len(ok)] == sorted((_value(i) for i in ok), reverse=True)
    assert frame["objective_value"].iloc[len(ok) :].isna().all()
    assert set(frame["training_job_name"].iloc[len(ok) :]) == {_job_name(i) for i in failed}
    assert (frame["objective"] == OBJECTIVE).all()
    by_name = frame.set_index("training_job_name")
    for i in (3, LATE, failed[0]):
        row, sent = by_name.loc[_job_name(i)], our_hyperparameters(request, i)
        assert row["objective_status"] == ("Failed" if _failed(i) else "Succeeded")
        assert row["vector_dim"] == int(sent["vector_dim"]) and row["learning_rate"] == float(
            sent["learning_rate"]
        )
        assert row["billable_seconds"] == 600 + i
        assert row["training_start"] == (START + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert row["training_end"] == (START + timedelta(minutes=i, seconds=90)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert row["model_artifacts"] == f"s3://b/out/{_job_name(i)}/output/model.tar.gz"
    assert (
        by_name.loc[_job_name(failed[0]), "failure_reason"] == f"AlgorithmError: corpus {failed[0]} is empty"
    )
    assert pd.isna(by_name.loc[_job_name(3), "failure_reason"])
    assert frame.attrs["billable_seconds_total"] == sum(600 + i for i in range(N_JOBS))
    assert "_tuning_objective_metric" not in frame.columns


def test_table_and_csv_print_integers_as_integers_and_small_floats_in_full(searched):
    frame, _, request = searched
    i = 1  # learning_rate 0.00646: four decimals would print 0.0065
    sent = our_hyperparameters(request, i)
    assert sent["learning_rate"] == "0.00646"
    lines = render_frame(frame, "table").splitlines()
    header = lines[0].split()
    row = next(line.split() for line in lines[2:] if line.startswith(_job_name(i) + " "))
    cells = dict(zip(header, row, strict=True))
    assert cells["learning_rate"] == "0.00646" and cells["vector_dim"] == sent["vector_dim"]
    assert cells["billable_seconds"] == str(600 + i) and cells["epochs"] == "5"
    assert _value(i) == 0.037 and cells["objective_value"] == "0.037"
    rows = list(csv.DictReader(io.StringIO(render_frame(frame, "csv"))))
    written = next(r for r in rows if r["training_job_name"] == _job_name(i))
    assert written["learning_rate"] == "0.00646" and written["vector_dim"] == sent["vector_dim"]
    assert written["billable_seconds"] == str(600 + i) and written["epochs"] == "5"
    assert written["objective_value"] == repr(_value(i))
    failed = next(r for r in rows if r["training_job_name"] == _job_name(5))
    assert failed["objective_value"] == "" and failed["objective_status"] == "Failed"


def test_totals_line_names_the_billable_time(searched):
    frame, _, _ = searched
    total = sum(600 + i for i in range(N_JOBS))
    assert (
        billable_line(frame) == f"billable time: {total} s ({total / 3600:.2f} h) for {N_JOBS} training jobs"
    )


def test_minimize_and_describe_fallback_when_search_is_not_allowed():
    """Search denied (a role without sagemaker:Search): the listing, then one describe per job."""
    client = _stub_client()
    calls = Calls(client)
    stub = Stubber(client)
    request = our_request(STUB_NAME, "b", objective="mean_rho")
    request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]["Type"] = "Minimize"
    _stub_tuning(stub, request)
    stub.add_client_error("search", service_error_code="AccessDeniedException", http_status_code=400)
    summaries = [_summary(i, request) for i in range(N_JOBS)]
    for s in summaries:
        s.get("FinalHyperParameterTuningJobObjectiveMetric", {})["MetricName"] = "train:mean_rho"
    stub.add_response(
        "list_training_jobs_for_hyper_parameter_tuning_job",
        {"TrainingJobSummaries": summaries[:100], "NextToken": "p2"},
        {"HyperParameterTuningJobName": STUB_NAME, "MaxResults": 100},
    )
    stub.add_response(
        "list_training_jobs_for_hyper_parameter_tuning_job",
        {"TrainingJobSummaries": summaries[100:]},
        {"HyperParameterTuningJobName": STUB_NAME, "MaxResults": 100, "NextToken": "p2"},
    )
    for i in range(N_JOBS):
        job = {
            k: v
            for k, v in _training_job(i, request).items()
            if k not in ("TuningJobArn", "FinalMetricDataList")
        }
        stub.add_response(
            "describe_training_job",
            {
                **job,
                "AlgorithmSpecification": {"TrainingInputMode": "File"},
                "CreationTime": START,
                "SecondaryStatus": "Completed",
                "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            },
            {"TrainingJobName": _job_name(i)},
        )
    with stub:
        frame = tuning_results(STUB_NAME, client=client)
        stub.assert_no_pending_responses()
    assert calls["DescribeTrainingJob"] == N_JOBS
    assert len(frame) == N_JOBS and (frame["objective"] == "mean_rho").all()
    values = frame["objective_value"].dropna().tolist()
    assert values == sorted(_value(i) for i in range(N_JOBS) if not _failed(i))  # Minimize: lowest first
    assert frame["objective_value"].iloc[len(values) :].isna().all()
    assert sorted(frame["vector_dim"]) == sorted(
        int(our_hyperparameters(request, i)["vector_dim"]) for i in range(N_JOBS)
    )
    assert frame.attrs["billable_seconds_total"] == sum(600 + i for i in range(N_JOBS))


def test_fallback_follows_empty_pages_with_stubber():
    client = boto3.client(
        "sagemaker",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        endpoint_url="http://127.0.0.1:9",
    )
    stub = Stubber(client)
    stub.add_client_error(
        "list_training_jobs_for_hyper_parameter_tuning_job", service_error_code="500", http_status_code=500
    )
    when = datetime(2024, 1, 1)

    def job(n):
        return {
            "TrainingJobName": n,
            "TrainingJobArn": "arn:aws:sagemaker:us-east-1:1:training-job/x",
            "CreationTime": when,
            "TrainingJobStatus": "Completed",
        }

    stub.add_response("list_training_jobs", {"TrainingJobSummaries": [job("t-001-a")], "NextToken": "a"})
    stub.add_response("list_training_jobs", {"TrainingJobSummaries": [], "NextToken": "b"})
    stub.add_response("list_training_jobs", {"TrainingJobSummaries": [job("t-002-b"), job("tx-1")]})
    with stub:
        jobs = list_tuning_training_jobs("t", client=client)
    assert [j["TrainingJobName"] for j in jobs] == ["t-001-a", "t-002-b"]


def _cli(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "w2veval", "sagemaker", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        timeout=300,
    )


def test_cli(tuning, models):
    proc = _cli(tuning["env"], "results", tuning["name"], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert sorted(r["training_job_name"] for r in rows) == tuning["jobs"]
    assert rows == json.loads(
        tuning_results(tuning["name"]).to_json(orient="records")
    )  # the CLI = the library
    proc = _cli(tuning["env"], "results", tuning["name"])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:5] == [
        "training_job_name",
        "status",
        "objective_value",
        "objective",
        "objective_status",
    ]
    assert lines[-1] == f"billable time: not reported yet by any of the {N_JOBS} training jobs"

    names = [tuning["jobs"][0], tuning["jobs"][1]]
    proc = _cli(tuning["env"], "rescore", *names, "-g", "ws353", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    expected = rescore(names, ["ws353"])
    assert [r["training_job_name"] for r in rows] == expected["training_job_name"].tolist()
    assert [r["ws353"] for r in rows] == expected["ws353"].tolist()

    proc = _cli(
        tuning["env"],
        "rescore",
        tuning["name"],
        "--objective",
        "0.5*ws353+0.5*simlex999",
        "--format",
        "json",
        "--no-progress",
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    # The tuner's objective (spec and value) stays; the rescored value is a column of its own.
    assert {r["objective"] for r in rows} == {OBJECTIVE} and all(r["objective_value"] is None for r in rows)
    objective = Objective.parse("0.5*ws353+0.5*simlex999")
    expected = {
        job: objective.evaluate(str(models[label] / "vectors.txt")).value
        for job, label in tuning["uploaded"].items()
    }
    assert {r["training_job_name"]: r["rescored_objective"] for r in rows[:3]} == expected
    assert [r["rescored_objective"] for r in rows[:3]] == sorted(expected.values(), reverse=True)
    assert all(r["rescored_objective"] is None for r in rows[3:])

    proc = _cli(tuning["env"], "metric-definitions", "--objective", "mean_rho")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == metric_definitions("mean_rho")
    proc = _cli(tuning["env"], "metric-definitions", "-g", "ws353", "-g", "simlex999")
    assert json.loads(proc.stdout) == metric_definitions(Objective(terms=((1, "ws353"), (1, "simlex999"))))
    assert _cli(tuning["env"], "metric-definitions").returncode == 2


# --- the ranking rule (issue 11) -----------------------------------------------------------------


def test_rescore_reports_pairs_scored_and_coverage_and_ranks_only_what_may_rank(tuning, models):
    sg, cbow = tuning["jobs"][0], tuning["jobs"][1]  # min_count 2 and 1 on the Lee corpus
    frame = rescore([sg, cbow, tuning["jobs"][5]], GOLDSETS).set_index("training_job_name")
    for job in (sg, cbow):
        local = w2veval.evaluate(str(models[tuning["uploaded"][job]] / "vectors.txt"), GOLDSETS)
        assert frame.at[job, "n_scored"] == local["n_scored"].min()
        assert frame.at[job, "coverage"] == pytest.approx(
            (local["n_scored"] / local["n_pairs"]).min(), abs=1e-12
        )
        # The Lee models cover well under 0.8 of each set: with the default rule nothing ranks.
        assert not frame.at[job, "rankable"]
        worst = local.loc[(local["n_scored"] / local["n_pairs"]).idxmin()]
        assert (
            f"{worst['goldset']}: coverage {worst['n_scored'] / worst['n_pairs']:.2f} is below 0.8"
            in frame.at[job, "note"]
        )
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
    proc = _cli(
        tuning["env"],
        "rescore",
        sg,
        cbow,
        "-g",
        "ws353",
        "--min-pairs",
        "40",
        "--min-coverage",
        "0.4",
        "--format",
        "json",
        "--no-progress",
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["training_job_name"] for r in rows] == expected["training_job_name"].tolist()
    assert [r["n_scored"] for r in rows] == expected["n_scored"].tolist()
    assert [r["rankable"] for r in rows] == expected["rankable"].tolist()
    assert [r["note"] for r in rows] == expected["note"].tolist()


# --- warnings while rescoring name their training job ---------------------------------------------


def test_rescore_warnings_name_their_training_job(tuning):
    """The Lee models cover little of ws353: each job's low-coverage warning names the job."""
    sg, cbow = tuning["jobs"][0], tuning["jobs"][1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rescore([sg, cbow], ["ws353"])
    unreliable = [w for w in caught if issubclass(w.category, UnreliableScoreWarning)]
    assert {job for w in unreliable for job in w.message.training_jobs} == {sg, cbow}
    for w in unreliable:
        [job] = w.message.training_jobs  # each model's own coverage: one job each
        assert str(w.message).startswith(f"training job {job}: ws353 on s3://")
        assert "\n" not in str(w.message)
    assert all(w.filename == __file__ for w in unreliable)  # warned where rescore was called

    proc = _cli(tuning["env"], "rescore", sg, cbow, "-g", "ws353", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith("w2veval: warning: training job ") for line in lines), proc.stderr
    assert {job for job in (sg, cbow) if any(f"training job {job}: ws353" in line for line in lines)} == {
        sg,
        cbow,
    }
    assert not any(".py" in line or "warn(" in line for line in lines)  # no Python source lines


def test_one_warning_of_several_jobs_is_one_line_naming_them(tuning, tmp_path):
    """A gold-set file with a repeated pair, read once per job by an objective: one line, every job."""
    goldset = tmp_path / "mine.tsv"
    goldset.write_text(
        "government\tminister\t8\nhouse\tbuilding\t7\ngovernment\tminister\t8\ncountry\tnation\t9\n"
    )
    jobs = [tuning["jobs"][0], tuning["jobs"][1], tuning["jobs"][-1]]
    proc = _cli(
        tuning["env"], "rescore", *jobs, "--objective", f"1*{goldset}", "--no-progress", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    repeated = [line for line in lines if "government" in line]
    assert len(repeated) == 1, proc.stderr
    assert repeated[0].startswith("w2veval: warning: training jobs ")
    assert all(job in repeated[0] for job in jobs)
