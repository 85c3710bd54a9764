"""make_tuner with the SageMaker Python SDK 3.x: checked offline, then launched against moto server.

The SDK's ``ModelTrainer`` asks IAM to simulate the role's permissions unless
``SAGEMAKER_VALIDATE_ROLE=false`` (its documented switch); the tests turn that off, as a
user of a staging endpoint would. Launching goes over real HTTP to ThreadedMotoServer on
127.0.0.1, which records the ``CreateHyperParameterTuningJob`` request the SDK sent.
"""

from __future__ import annotations

import uuid

import boto3
import pytest
from _aws import use_aws

from w2veval import Objective
from w2veval.sagemaker import (
    SageMakerConfigError,
    make_tuner,
    metric_definitions,
    training_inputs,
    tuning_job_request,
)
from w2veval.space import BLAZINGTEXT_RANGES, Categorical, Continuous, Integer, SearchSpace

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/w2veval:latest"
ROLE = "arn:aws:iam::123456789012:role/w2veval-test"
SPACE = SearchSpace(
    [
        Categorical("mode", ("skipgram", "cbow")),
        Integer("vector_dim", 50, 300),
        Continuous("learning_rate", 0.005, 0.05, "log"),
    ]
)


@pytest.fixture(autouse=True)
def aws_env(monkeypatch, tmp_path):
    """Fake credentials and a closed port as endpoint: building a tuner must not call AWS at all."""
    use_aws(monkeypatch, tmp_path, "http://127.0.0.1:9")
    monkeypatch.setenv("SAGEMAKER_VALIDATE_ROLE", "false")


def _tuner(**changes):
    options = {
        "image_uri": IMAGE,
        "role_arn": ROLE,
        "objective": "0.7*ws353+0.3*simlex999",
        "output_s3_uri": "s3://bucket/tuning/",
        "max_jobs": 12,
        "max_parallel_jobs": 3,
    }
    options.update(changes)
    return make_tuner(**options)


def test_tuner_structure_offline():
    objective = Objective.parse("0.7*ws353+0.3*simlex999;oov=zero")
    tuner = _tuner(
        objective=objective,
        space=SPACE,
        strategy="Random",
        static_hyperparameters={"epochs": 10, "min_count": 5},
    )
    assert tuner.objective_metric_name == "w2veval:objective"
    assert tuner.objective_type == "Maximize"
    assert tuner.metric_definitions == metric_definitions(objective)
    assert (tuner.strategy, tuner.max_jobs, tuner.max_parallel_jobs) == ("Random", 12, 3)
    trainer = tuner.model_trainer
    assert trainer.training_image == IMAGE and trainer.role == ROLE
    assert trainer.hyperparameters == {"epochs": "10", "min_count": "5", "objective": str(objective)}
    assert trainer.compute.instance_type == "ml.c5.xlarge"
    assert trainer.output_data_config.s3_output_path == "s3://bucket/tuning/"


def test_sdk_ranges_are_the_shared_search_space():
    """The SDK's ranges carry the same names, bounds and scales as the raw API ranges."""
    sdk = _tuner(space=SPACE).hyperparameter_ranges()
    raw = SPACE.to_parameter_ranges()
    for key in ("IntegerParameterRanges", "ContinuousParameterRanges"):
        assert [
            (r["name"], float(r["min_value"]), float(r["max_value"]), r["scaling_type"]) for r in sdk[key]
        ] == [(r["Name"], float(r["MinValue"]), float(r["MaxValue"]), r["ScalingType"]) for r in raw[key]]
    assert [(r["name"], r["values"]) for r in sdk["CategoricalParameterRanges"]] == [
        (r["Name"], r["Values"]) for r in raw["CategoricalParameterRanges"]
    ]


def test_default_space_is_blazingtext_ranges():
    assert set(_tuner().hyperparameter_ranges()["CategoricalParameterRanges"][0]["values"]) == {
        "batch_skipgram",
        "cbow",
    }
    assert {r.name for r in BLAZINGTEXT_RANGES.values()} == {
        r["name"] for ranges in _tuner().hyperparameter_ranges().values() for r in ranges
    }


def test_mean_rho_tunes_on_blazingtexts_metric():
    tuner = _tuner(objective="mean_rho")
    assert tuner.objective_metric_name == "train:mean_rho"
    assert tuner.model_trainer.hyperparameters["objective"] == "mean_rho"


def test_objective_must_be_a_defined_metric_before_the_sdk_is_touched():
    other = [{"Name": "w2veval:ws353", "Regex": "#w2veval:ws353: (.*)"}]
    with pytest.raises(SageMakerConfigError, match="not among the metric definitions"):
        _tuner(metric_definitions=other)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"static_hyperparameters": {"vector_dim": 100}}, "both searched and static"),
        ({"max_parallel_jobs": 20}, "exceeds max_jobs"),
        ({"strategy": "Genetic"}, "unknown strategy"),
        ({"output_s3_uri": "/tmp/out"}, "s3://"),
        ({"base_job_name": ""}, "base_job_name"),
    ],
)
def test_bad_settings_refused(change, message):
    with pytest.raises(SageMakerConfigError, match=message):
        _tuner(**change)


PASSTHROUGH = {
    "environment": {"OMP_NUM_THREADS": "4"},
    "subnets": ["subnet-0a1b2c3d"],
    "security_group_ids": ["sg-0123456789abcdef0"],
    "tags": {"team": "nlp"},
    "use_spot_instances": True,
    "max_runtime_seconds": 7200,
    "max_wait_seconds": 10800,
    "checkpoint_s3_uri": "s3://bucket/checkpoints/",
    "output_kms_key_id": "alias/out",
    "volume_kms_key_id": "alias/volume",
}


def test_trainer_and_tuner_carry_every_passthrough_offline():
    """Each setting lands where SDK 3.x's ModelTrainer and HyperparameterTuner take it."""
    tuner = _tuner(
        strategy="Hyperband", static_hyperparameters={"epochs": 6}, hyperband_min_epochs=2, **PASSTHROUGH
    )
    trainer = tuner.model_trainer
    assert trainer.environment == {"OMP_NUM_THREADS": "4"}
    assert (trainer.networking.subnets, trainer.networking.security_group_ids) == (
        ["subnet-0a1b2c3d"],
        ["sg-0123456789abcdef0"],
    )
    assert [(t.key, t.value) for t in trainer.tags] == [("team", "nlp")]
    assert trainer.compute.enable_managed_spot_training is True
    assert trainer.compute.volume_kms_key_id == "alias/volume"
    assert (
        trainer.stopping_condition.max_runtime_in_seconds,
        trainer.stopping_condition.max_wait_time_in_seconds,
    ) == (7200, 10800)
    assert (trainer.checkpoint_config.s3_uri, trainer.checkpoint_config.local_path) == (
        "s3://bucket/checkpoints/",
        "/opt/ml/checkpoints",
    )
    assert trainer.output_data_config.kms_key_id == "alias/out"
    assert tuner.early_stopping_type == "Off"
    hyperband = tuner.strategy_config.hyperband_strategy_config
    assert (hyperband.min_resource, hyperband.max_resource) == (2, 7)


def test_training_inputs_name_the_channels_like_blazingtext():
    inputs = training_inputs("s3://bucket/corpus/", "s3://bucket/goldsets/")
    assert [(i.channel_name, i.data_source) for i in inputs] == [
        ("train", "s3://bucket/corpus/"),
        ("goldsets", "s3://bucket/goldsets/"),
    ]
    with pytest.raises(SageMakerConfigError):
        training_inputs("bucket/corpus")


def test_tune_sends_what_the_plain_request_would(moto_endpoint, monkeypatch):
    """Launched over HTTP: the SDK's request equals tuning_job_request's in every part w2veval sets."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    bucket = f"w2veval-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    objective = "0.7*jobs-domain+0.3*ws353-sim;oov=coverage"
    tuner = _tuner(
        objective=objective,
        space=SPACE,
        output_s3_uri=f"s3://{bucket}/out",
        static_hyperparameters={"epochs": 10},
        early_stopping_type="Auto",
        **PASSTHROUGH,
    )
    name = f"w2veval-{uuid.uuid4().hex[:12]}"  # moto's state is shared by every server in the process
    tuner.tune(
        inputs=training_inputs(f"s3://{bucket}/corpus/", f"s3://{bucket}/goldsets/"),
        job_name=name,
        wait=False,
    )

    sent = boto3.client("sagemaker").describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    plain = tuning_job_request(
        name="plain",
        image_uri=IMAGE,
        role_arn=ROLE,
        objective=objective,
        space=SPACE,
        train_s3_uri=f"s3://{bucket}/corpus/",
        goldsets_s3_uri=f"s3://{bucket}/goldsets/",
        output_s3_uri=f"s3://{bucket}/out",
        max_jobs=12,
        max_parallel_jobs=3,
        static_hyperparameters={"epochs": 10},
        early_stopping_type="Auto",
        **PASSTHROUGH,
    )
    config, want = sent["HyperParameterTuningJobConfig"], plain["HyperParameterTuningJobConfig"]
    assert config["HyperParameterTuningJobObjective"] == want["HyperParameterTuningJobObjective"]
    assert config["ResourceLimits"] == want["ResourceLimits"]
    assert config["TrainingJobEarlyStoppingType"] == want["TrainingJobEarlyStoppingType"] == "Auto"
    for key, ranges in want["ParameterRanges"].items():
        assert config["ParameterRanges"].get(key, []) == ranges
    definition, want_definition = sent["TrainingJobDefinition"], plain["TrainingJobDefinition"]
    assert (
        definition["AlgorithmSpecification"]["MetricDefinitions"]
        == want_definition["AlgorithmSpecification"]["MetricDefinitions"]
    )
    assert definition["AlgorithmSpecification"]["TrainingImage"] == IMAGE
    assert definition["StaticHyperParameters"] == want_definition["StaticHyperParameters"]
    for key in (
        "Environment",
        "VpcConfig",
        "EnableManagedSpotTraining",
        "StoppingCondition",
        "CheckpointConfig",
    ):
        assert definition[key] == want_definition[key], key
    assert definition["OutputDataConfig"]["KmsKeyId"] == want_definition["OutputDataConfig"]["KmsKeyId"]
    assert (
        definition["ResourceConfig"]["VolumeKmsKeyId"] == want_definition["ResourceConfig"]["VolumeKmsKeyId"]
    )
    assert [
        (c["ChannelName"], c["DataSource"]["S3DataSource"]["S3Uri"]) for c in definition["InputDataConfig"]
    ] == [
        (c["ChannelName"], c["DataSource"]["S3DataSource"]["S3Uri"])
        for c in want_definition["InputDataConfig"]
    ]
