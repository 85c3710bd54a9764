"""Every tuning request valid before it leaves the machine (issue 12, section 2).

Three parts: the service-model checker (tests/_service_model.py) is shown to catch what
botocore's own validator lets through; every request the docs and the walkthrough show,
and a request with every pass-through setting, pass it (the SDK's request captured at
botocore's ``before-parameter-build`` event, offline, or sent to moto server over HTTP);
and each refusal of ``tuning_job_request`` and ``make_tuner`` names the field, the value
and the limit or rule.
"""

from __future__ import annotations

import copy
import importlib.util
import re
import uuid
from pathlib import Path

import boto3
import botocore.session
import botocore.validate
import pytest
from _aws import use_aws
from _service_model import violations

from w2veval.sagemaker import (
    STRATEGIES,
    SageMakerConfigError,
    make_tuner,
    training_inputs,
    tuning_job_request,
)
from w2veval.space import BLAZINGTEXT_RANGES, Categorical, Continuous, Integer, SearchSpace

ROOT = Path(__file__).resolve().parents[1]
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/w2veval:latest"
ROLE = "arn:aws:iam::123456789012:role/w2veval-test"
BASE = {
    "image_uri": IMAGE,
    "role_arn": ROLE,
    "objective": "0.7*ws353+0.3*simlex999",
    "output_s3_uri": "s3://bucket/tuning/",
}
EVERYTHING = {
    "environment": {"W2VEVAL_PROGRESS_DELAY": "60", "OMP_NUM_THREADS": "4"},
    "subnets": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
    "security_group_ids": ["sg-0123456789abcdef0"],
    "tags": {"team": "nlp", "cost-center": "search 42"},
    "use_spot_instances": True,
    "max_runtime_seconds": 7200,
    "max_wait_seconds": 10800,
    "checkpoint_s3_uri": "s3://bucket/checkpoints/",
    "checkpoint_local_path": "/opt/ml/checkpoints",
    "output_kms_key_id": "alias/w2veval-artifacts",
    "volume_kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "strategy": "Hyperband",
    "static_hyperparameters": {"epochs": 10, "epoch_metrics": True},
    "hyperband_min_epochs": 2,
    "goldsets_s3_uri": "s3://bucket/goldsets/",
}


@pytest.fixture(autouse=True)
def aws_env(monkeypatch, tmp_path):
    """Fake credentials and a closed port as endpoint: nothing here may reach AWS."""
    use_aws(monkeypatch, tmp_path, "http://127.0.0.1:9")
    monkeypatch.setenv("SAGEMAKER_VALIDATE_ROLE", "false")


def _request(**changes) -> dict:
    options = dict(BASE, name="w2v-request", train_s3_uri="s3://bucket/corpus/")
    options.update(changes)
    return tuning_job_request(**options)


def _tuner(**changes):
    options = dict(BASE)
    options.update(changes)
    options.pop("goldsets_s3_uri", None)  # a channel of tune(), not of the tuner
    return make_tuner(**options)


# --- the checker --------------------------------------------------------------------------


def _botocore_only(request) -> bool:
    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model("CreateHyperParameterTuningJob").input_shape
    return not botocore.validate.ParamValidator().validate(request, shape).has_errors()


def _set(request: dict, path: str, value) -> dict:
    bad = copy.deepcopy(request)
    *parents, last = path.split(".")
    node = bad
    for key in parents:
        node = node[key]
    node[last] = value
    return bad


@pytest.mark.parametrize(
    "path, value, where",
    [
        ("TrainingJobDefinition.StaticHyperParameters.objective", "1*" + "g" * 2600, "StaticHyperParameters"),
        (
            "HyperParameterTuningJobConfig.ParameterRanges.CategoricalParameterRanges",
            [{"Name": "window_size", "Values": [str(i) for i in range(1, 32)]}],
            "Values",
        ),
        ("HyperParameterTuningJobName", "w2v_tune!", "HyperParameterTuningJobName"),
        ("TrainingJobDefinition.ResourceConfig.InstanceType", "ml.c5.huge", "InstanceType"),
        ("TrainingJobDefinition.Environment", {"1BAD": "x"}, "Environment"),
        (
            "TrainingJobDefinition.VpcConfig",
            {"Subnets": ["subnet-1"], "SecurityGroupIds": [f"sg-{i}" for i in range(6)]},
            "SecurityGroupIds",
        ),
        ("Tags", [{"Key": "team#1", "Value": "nlp"}], "Tags[0].Key"),
        (
            "HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType",
            "Sometimes",
            "TrainingJobEarlyStoppingType",
        ),
        ("TrainingJobDefinition.ResourceConfig.KeepAlivePeriodInSeconds", 30000, "KeepAlivePeriodInSeconds"),
        ("TrainingJobDefinition.RoleArn", "arn:aws:iam::<account>:role/SageMakerRole", "RoleArn"),
    ],
)
def test_checker_catches_what_botocore_lets_through(path, value, where):
    """Not vacuous: each bad request passes botocore's validator and fails the checker, at its field."""
    good = _request()
    assert violations(good) == []
    bad = _set(good, path, value)
    assert _botocore_only(bad)
    found = violations(bad)
    assert found and any(where in problem for problem in found), found


def test_checker_includes_botocores_validator():
    bad = _set(_request(), "HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs", "20")
    assert any("Invalid type" in problem for problem in violations(bad))


def test_strategies_are_the_service_models():
    model = botocore.session.get_session().get_service_model("sagemaker")
    assert set(STRATEGIES) == set(model.shape_for("HyperParameterTuningJobStrategyType").enum)


# --- requests that must pass ------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"objective": "mean_rho"},
        EVERYTHING,
        {"strategy": "Random", "early_stopping_type": "Auto", "max_jobs": 5000, "max_parallel_jobs": 100},
        {
            "strategy": "Grid",
            "space": SearchSpace(
                [Categorical("mode", ["skipgram", "cbow"]), Categorical("vector_dim", [50, 100, 200])]
            ),
        },
        {
            "static_hyperparameters": {
                "epoch_metrics": "false",
                "subwords": True,
                "min_char": 2,
                "max_char": 5,
            }
        },
        {"objective": "+".join(f"0.05*{'g' * 100}{i:02d}" for i in range(18)), "max_jobs": 750},
    ],
)
def test_requests_pass_the_service_model(changes):
    assert violations(_request(**changes)) == []


def test_full_featured_request_carries_every_setting():
    request = _request(**EVERYTHING)
    config, definition = request["HyperParameterTuningJobConfig"], request["TrainingJobDefinition"]
    assert config["Strategy"] == "Hyperband" and config["TrainingJobEarlyStoppingType"] == "Off"
    # MaxResource: one value per epoch (10), then the final one after the model is saved
    assert config["StrategyConfig"] == {"HyperbandStrategyConfig": {"MinResource": 2, "MaxResource": 11}}
    assert definition["Environment"] == EVERYTHING["environment"]
    assert definition["VpcConfig"] == {
        "Subnets": EVERYTHING["subnets"],
        "SecurityGroupIds": EVERYTHING["security_group_ids"],
    }
    assert request["Tags"] == [{"Key": "team", "Value": "nlp"}, {"Key": "cost-center", "Value": "search 42"}]
    assert definition["EnableManagedSpotTraining"] is True
    assert definition["StoppingCondition"] == {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 10800}
    assert definition["CheckpointConfig"] == {
        "S3Uri": "s3://bucket/checkpoints/",
        "LocalPath": "/opt/ml/checkpoints",
    }
    assert definition["OutputDataConfig"]["KmsKeyId"] == "alias/w2veval-artifacts"
    assert definition["ResourceConfig"]["VolumeKmsKeyId"] == EVERYTHING["volume_kms_key_id"]
    assert definition["StaticHyperParameters"]["epoch_metrics"] == "True"


class _Captured(Exception):
    pass


def _capturing_session(sent: list, *, stop: bool):
    """A boto3 session recording each CreateHyperParameterTuningJob request (its API parameters).

    ``stop``: raise once recorded, so that nothing is sent (offline).
    """

    def record(params, **_):
        sent.append(copy.deepcopy(params))
        if stop:
            raise _Captured

    session = boto3.Session()
    session.events.register("before-parameter-build.sagemaker.CreateHyperParameterTuningJob", record)
    return session


def test_sdk_request_offline_carries_every_setting():
    """make_tuner with every pass-through: the SDK's request (captured, not sent) equals the plain one."""
    from sagemaker.core.helper.session_helper import Session

    sent: list = []
    tuner = _tuner(sagemaker_session=Session(boto_session=_capturing_session(sent, stop=True)), **EVERYTHING)
    with pytest.raises(_Captured):
        tuner.tune(
            inputs=training_inputs("s3://bucket/corpus/", "s3://bucket/goldsets/"),
            job_name="w2v-request",
            wait=False,
        )
    [request] = sent
    assert violations(request) == []
    plain = _request(**EVERYTHING)
    config, want = request["HyperParameterTuningJobConfig"], plain["HyperParameterTuningJobConfig"]
    for key in (
        "Strategy",
        "StrategyConfig",
        "TrainingJobEarlyStoppingType",
        "HyperParameterTuningJobObjective",
        "ResourceLimits",
    ):
        assert config[key] == want[key], key
    definition, want = request["TrainingJobDefinition"], plain["TrainingJobDefinition"]
    for key in (
        "Environment",
        "VpcConfig",
        "EnableManagedSpotTraining",
        "StoppingCondition",
        "CheckpointConfig",
        "StaticHyperParameters",
        "RoleArn",
    ):
        assert definition[key] == want[key], key
    assert definition["OutputDataConfig"]["KmsKeyId"] == want["OutputDataConfig"]["KmsKeyId"]
    assert definition["ResourceConfig"]["VolumeKmsKeyId"] == want["ResourceConfig"]["VolumeKmsKeyId"]
    assert (
        definition["AlgorithmSpecification"]["MetricDefinitions"]
        == want["AlgorithmSpecification"]["MetricDefinitions"]
    )
    assert request["Tags"] == plain["Tags"]


def test_sdk_early_stopping_auto_passes_through():
    from sagemaker.core.helper.session_helper import Session

    sent: list = []
    tuner = _tuner(
        sagemaker_session=Session(boto_session=_capturing_session(sent, stop=True)),
        strategy="Random",
        early_stopping_type="Auto",
        random_seed=7,
    )
    with pytest.raises(_Captured):
        tuner.tune(inputs=training_inputs("s3://bucket/corpus/"), job_name="w2v-auto", wait=False)
    [request] = sent
    assert violations(request) == []
    config = request["HyperParameterTuningJobConfig"]
    assert (config["TrainingJobEarlyStoppingType"], config["RandomSeed"]) == ("Auto", 7)
    assert "StrategyConfig" not in config


# --- the requests the docs and the walkthrough show -------------------------------------


def _doc_blocks() -> list[str]:
    text = (ROOT / "docs" / "sagemaker.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    return [b for b in blocks if "tuning_job_request(" in b or "make_tuner(" in b]


@pytest.fixture
def on_moto(moto_endpoint, monkeypatch, tmp_path):
    """boto3's default session pointed at moto server, recording every tuning-job request."""
    use_aws(monkeypatch, tmp_path, moto_endpoint)
    sent: list = []
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", _capturing_session(sent, stop=False))
    return sent


def test_docs_show_tuning_requests():
    assert len(_doc_blocks()) >= 3


@pytest.mark.parametrize("block", range(len(_doc_blocks())))
def test_every_request_the_docs_show_is_valid_and_accepted(block, on_moto):
    """Each docs/sagemaker.md example, run as written against moto server over HTTP."""
    code = _doc_blocks()[block]
    if "bucket" not in _buckets():
        boto3.client("s3").create_bucket(Bucket="bucket")
    code = re.sub(r'name="([a-z0-9-]+)"', lambda m: f'name="{m.group(1)}-{uuid.uuid4().hex[:6]}"', code)
    if "make_tuner(" in code and "job_name=" not in code:  # moto's state outlives a test
        code = code.replace("wait=False)", f'job_name="w2v-docs-{uuid.uuid4().hex[:8]}", wait=False)')
    namespace: dict = {}
    exec(compile(code, f"docs/sagemaker.md block {block}", "exec"), namespace)
    built = [namespace["request"]] if "request" in namespace else []
    assert on_moto or built, "the example makes no CreateHyperParameterTuningJob request"
    for request in built + on_moto:
        assert violations(request) == []
    for request in on_moto:  # sent over HTTP: moto server stored what the example sent
        stored = boto3.client("sagemaker").describe_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=request["HyperParameterTuningJobName"]
        )
        assert (
            stored["TrainingJobDefinition"]["StaticHyperParameters"]
            == request["TrainingJobDefinition"]["StaticHyperParameters"]
        )


def _buckets() -> list[str]:
    return [b["Name"] for b in boto3.client("s3").list_buckets().get("Buckets", [])]


def test_walkthrough_request_is_valid(on_moto, tmp_path):
    """examples/sagemaker/walkthrough.py's launch, in this process so its request can be read."""
    from gensim.test.utils import datapath

    spec = importlib.util.spec_from_file_location(
        "walkthrough", ROOT / "examples" / "sagemaker" / "walkthrough.py"
    )
    walkthrough = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(walkthrough)
    bucket = f"w2veval-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    assert (
        walkthrough.main(
            [
                "launch",
                "--bucket",
                bucket,
                "--role",
                ROLE,
                "--image",
                IMAGE,
                "--corpus",
                datapath("lee_background.cor"),
                "--objective",
                "mean_rho",
                "--max-jobs",
                "4",
            ]
        )
        == 0
    )
    [request] = on_moto
    assert violations(request) == []


# --- refusals -----------------------------------------------------------------------------

LONG_OBJECTIVE = "+".join(f"0.05*{'g' * 160}{i:02d}" for i in range(17))
MODE = {"mode": "skipgram"}
REFUSALS = {
    # the service model's limits
    "objective over 2,500 characters": (
        {"objective": LONG_OBJECTIVE},
        ["static hyperparameter objective", "2,855 characters", "2,500", "HyperParameterValue"],
    ),
    "31 categorical values": (
        {"space": SearchSpace([Categorical("mode", ["cbow"]), Categorical("window_size", range(1, 32))])},
        ["window_size", "31 values", "1 to 30", "ParameterValues"],
    ),
    "31 integer ranges": (
        {
            "space": SearchSpace([Integer(f"h{i}", 1, 2) for i in range(31)], hyperparameters=None),
            "static_hyperparameters": MODE,
        },
        ["IntegerParameterRanges", "31 ranges", "0 to 30"],
    ),
    "31 ranges in all": (
        {
            "space": SearchSpace(
                [Integer(f"h{i}", 1, 2) for i in range(16)] + [Continuous(f"c{i}", 1, 2) for i in range(15)],
                hyperparameters=None,
            ),
            "static_hyperparameters": MODE,
        },
        ["31 ranges", "at most 30"],
    ),
    "categorical value over 256 characters": (
        {
            "space": SearchSpace(
                [Categorical("mode", ["cbow"]), Categorical("vector_dim", ["1" * 300, "100"])]
            )
        },
        ["a value of the range of vector_dim", "300 characters", "0 to 256", "ParameterValue"],
    ),
    "51 tags": ({"tags": {f"k{i}": "v" for i in range(51)}}, ["tags", "51 tags", "0 to 50", "TagList"]),
    "tag key pattern": ({"tags": {"team#1": "nlp"}}, ["tag key", "'team#1'", "TagKey"]),
    "reserved tag key": ({"tags": {"aws:team": "nlp"}}, ["'aws:team'", "reserves"]),
    "environment name pattern": (
        {"environment": {"1BAD": "x"}},
        ["environment variable name", "'1BAD'", "pattern"],
    ),
    "49 environment variables": (
        {"environment": {f"V{i}": "x" for i in range(49)}},
        ["environment", "49 variables", "0 to 48"],
    ),
    "environment value not text": ({"environment": {"THREADS": 4}}, ["environment variable THREADS", "4"]),
    "instance type": (
        {"instance_type": "ml.c5.xlargee"},
        ["instance_type", "'ml.c5.xlargee'", "TrainingInstanceType", "ml.c5.xlarge"],
    ),
    "role ARN": (
        {"role_arn": "arn:aws:iam::<account>:role/SageMakerRole"},
        ["role_arn", "<account>", "RoleArn"],
    ),
    "image over 255": (
        {"image_uri": "x" * 256},
        ["image_uri", "256 characters", "0 to 255", "AlgorithmImage"],
    ),
    "early stopping type": (
        {"early_stopping_type": "Sometimes"},
        ["early_stopping_type", "'Sometimes'", "Off, Auto"],
    ),
    "max_runtime over 28 days": (
        {"max_runtime_seconds": 28 * 86400 + 1},
        ["max_runtime_seconds=2,419,201", "2,419,200"],
    ),
    # strategies
    "Grid with numeric ranges": (
        {"strategy": "Grid"},
        ["Grid", "learning_rate (Continuous)", "window_size (Integer)", "categorical"],
    ),
    "Grid over 750 combinations": (
        {
            "strategy": "Grid",
            "space": SearchSpace(
                [
                    Categorical("mode", ["skipgram", "cbow", "batch_skipgram"]),
                    Categorical("window_size", range(1, 31)),
                    Categorical("vector_dim", range(10, 310, 10)),
                ]
            ),
        },
        ["2,700 combinations", "750"],
    ),
    "Hyperband with epoch_metrics false": (
        {"strategy": "Hyperband", "static_hyperparameters": {"epoch_metrics": "false"}},
        ["Hyperband", "epoch_metrics=false", "final value"],
    ),
    "Auto with epoch_metrics false": (
        {"early_stopping_type": "Auto", "static_hyperparameters": {"epoch_metrics": False}},
        ["early_stopping_type='Auto'", "epoch_metrics=false"],
    ),
    "Hyperband with one epoch": (
        {"strategy": "Hyperband", "static_hyperparameters": {"epochs": 1}},
        ["Hyperband", "epochs=1", "at least 2"],
    ),
    "Auto with one epoch at most": (
        {
            "early_stopping_type": "Auto",
            "space": SearchSpace([Categorical("mode", ["cbow"]), Categorical("epochs", [1])]),
        },
        ["early_stopping_type='Auto'", "epochs=1"],
    ),
    "Hyperband with Auto": (
        {"strategy": "Hyperband", "early_stopping_type": "Auto"},
        ["early_stopping_type='Auto'", "Hyperband", "'Off'"],
    ),
    "Hyperband searching epochs": (
        {
            "strategy": "Hyperband",
            "space": SearchSpace([Categorical("mode", ["cbow"]), Integer("epochs", 2, 20)]),
        },
        ["Hyperband", "epochs", "static"],
    ),
    "Hyperband min above epochs": (
        {"strategy": "Hyperband", "hyperband_min_epochs": 6},
        ["hyperband_min_epochs=6", "from 1 to epochs (5)"],
    ),
    "hyperband_min_epochs without Hyperband": (
        {"hyperband_min_epochs": 2},
        ["hyperband_min_epochs=2", "'Bayesian'"],
    ),
    "Hyperband over 20,000 epochs": (
        {"strategy": "Hyperband", "static_hyperparameters": {"epochs": 20_000}},
        ["epochs=20000", "20,001", "20,000"],
    ),
    "Auto with a regex that misses the job's line": (
        {
            "early_stopping_type": "Auto",
            "metric_definitions": [{"Name": "w2veval:objective", "Regex": "objective=(\\S+)"}],
        },
        ["'objective=(\\\\S+)'", "w2veval:objective", "#w2veval:objective: 0.4617"],
    ),
    # the job's own validator
    "epochs=0": ({"static_hyperparameters": {"epochs": 0}}, ["epochs", "at least 1", "got 0"]),
    "min_count=-5": (
        {"static_hyperparameters": {"min_count": -5}, "space": SearchSpace([Categorical("mode", ["cbow"])])},
        ["min_count", "at least 0", "got -5"],
    ),
    "mode=supervised": (
        {
            "space": SearchSpace([Integer("window_size", 5, 30)]),
            "static_hyperparameters": {"mode": "supervised"},
        },
        ["mode", "'supervised'", "batch_skipgram, skipgram, cbow"],
    ),
    "static max_char < min_char": (
        {"static_hyperparameters": {"min_char": 5, "max_char": 4}},
        ["max_char (4)", "min_char (5)"],
    ),
    "static min_char above a searched max_char": (
        {
            "space": SearchSpace([Categorical("mode", ["cbow"]), Integer("max_char", 3, 8)]),
            "static_hyperparameters": {"min_char": 5},
        },
        ["range of max_char (Integer 3..8)", "max_char=3", "max_char (3)", "min_char (5)"],
    ),
    "searched min_char and max_char that can cross": (
        {
            "space": SearchSpace(
                [Categorical("mode", ["cbow"]), Integer("min_char", 2, 6), Integer("max_char", 4, 8)]
            )
        },
        ["min_char (Integer 2..6)", "max_char (Integer 4..8)", "min_char=6, max_char=4"],
    ),
    "learning rate range from 0": (
        {"space": SearchSpace([Categorical("mode", ["cbow"]), Continuous("learning_rate", 0, 0.05)])},
        ["learning_rate (Continuous 0.0..0.05)", "learning_rate=0.0", "greater than 0"],
    ),
    "mode range with supervised": (
        {"space": SearchSpace([Categorical("mode", ["cbow", "supervised"])])},
        ["range of mode", "mode=supervised", "unknown mode"],
    ),
    "searched name the job does not read": (
        {"space": SearchSpace([Categorical("mode", ["cbow"]), Integer("dim", 8, 64)], hyperparameters=None)},
        ["'dim'", "does not read"],
    ),
    # quotas
    "max_jobs over 750": (
        {"max_jobs": 751},
        ["max_jobs=751", "750", "'Bayesian'", "MaxNumberOfTrainingJobs"],
    ),
    "Random over 10,000": (
        {"strategy": "Random", "max_jobs": 10_001},
        ["max_jobs=10,001", "10,000", "'Random'"],
    ),
    "max_parallel_jobs over 100": (
        {"max_jobs": 500, "max_parallel_jobs": 101},
        ["max_parallel_jobs=101", "100", "MaxParallelTrainingJobs"],
    ),
    # pass-through settings
    "spot without max_wait": (
        {"use_spot_instances": True},
        ["use_spot_instances=True", "max_wait_seconds", "86400"],
    ),
    "max_wait below max_runtime": (
        {"use_spot_instances": True, "max_wait_seconds": 3600},
        ["max_wait_seconds=3600", "max_runtime_seconds (86400)"],
    ),
    "max_wait without spot": ({"max_wait_seconds": 90000}, ["max_wait_seconds=90000", "use_spot_instances"]),
    "checkpoint not on S3": (
        {"checkpoint_s3_uri": "/local/checkpoints"},
        ["checkpoint_s3_uri", "'/local/checkpoints'", "s3://"],
    ),
    "checkpoint path relative": (
        {"checkpoint_s3_uri": "s3://bucket/ck/", "checkpoint_local_path": "checkpoints"},
        ["checkpoint_local_path", "'checkpoints'", "absolute"],
    ),
    "checkpoint path without URI": (
        {"checkpoint_local_path": "/opt/ml/checkpoints"},
        ["checkpoint_local_path='/opt/ml/checkpoints'", "checkpoint_s3_uri"],
    ),
    "subnets without security groups": ({"subnets": ["subnet-1"]}, ["subnets without security_group_ids"]),
    "six security groups": (
        {"subnets": ["subnet-1"], "security_group_ids": [f"sg-{i}" for i in range(6)]},
        ["security_group_ids", "6 IDs", "1 to 5"],
    ),
    "subnets as one string": (
        {"subnets": "subnet-1", "security_group_ids": ["sg-1"]},
        ["subnets", "'subnet-1'"],
    ),
    "KMS key pattern": (
        {"output_kms_key_id": "alias/my key"},
        ["output_kms_key_id", "'alias/my key'", "KmsKeyId"],
    ),
    "empty volume KMS key": ({"volume_kms_key_id": ""}, ["volume_kms_key_id", "''"]),
}


@pytest.mark.parametrize("builder", ["tuning_job_request", "make_tuner"])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_name_field_value_and_limit(case, builder):
    change, fragments = REFUSALS[case]
    build = _request if builder == "tuning_job_request" else _tuner
    with pytest.raises(SageMakerConfigError) as caught:
        build(**change)
    message = str(caught.value)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"{case}: {missing} not in {message!r}"


def test_make_tuner_refuses_a_strategy_config_of_its_own():
    """Hyperband's StrategyConfig comes from the checked arguments, never around them."""
    with pytest.raises(SageMakerConfigError, match="do not pass strategy_config"):
        _tuner(strategy="Hyperband", strategy_config={"HyperbandStrategyConfig": {"MaxResource": 99}})


@pytest.mark.parametrize(
    "option, fragments",
    [
        ({"max_runtime_in_seconds": 60}, ["max_runtime_in_seconds=60", "from 120 to 15,768,000"]),
        ({"random_seed": -1}, ["random_seed=-1", "at least 0", "RandomSeed"]),
    ],
)
def test_make_tuner_checks_the_tuner_options_it_knows(option, fragments):
    with pytest.raises(SageMakerConfigError) as caught:
        _tuner(**option)
    assert all(f in str(caught.value) for f in fragments), str(caught.value)


def test_make_tuner_tags_must_be_a_mapping():
    with pytest.raises(SageMakerConfigError, match="tags must be a mapping"):
        _tuner(tags=[{"Key": "team", "Value": "nlp"}])


def test_random_above_750_is_allowed_with_a_quota_increase():
    request = _request(strategy="Random", max_jobs=10_000)
    assert request["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxNumberOfTrainingJobs"] == 10_000


def test_default_space_is_valid_for_the_job():
    """BLAZINGTEXT_RANGES, the docs' starting point, passes the job's validator at every end point."""
    request = _request(space=BLAZINGTEXT_RANGES)
    assert violations(request) == []


def test_evaluation_off_drops_the_mean_rho_definition():
    """The job prints #mean_rho only with evaluation on: no definition for a line never printed."""

    def names(request):
        return [
            d["Name"] for d in request["TrainingJobDefinition"]["AlgorithmSpecification"]["MetricDefinitions"]
        ]

    assert "train:mean_rho" in names(_request())
    off = _request(static_hyperparameters={"evaluation": "false"})
    assert "train:mean_rho" not in names(off) and violations(off) == []
    nineteen = "+".join(f"0.05*g{i:02d}" for i in range(19))
    assert len(names(_request(objective=nineteen, static_hyperparameters={"evaluation": False}))) == 20
