"""The plain boto3 ``CreateHyperParameterTuningJob`` request for tuning word vectors on an objective.

Nothing is sent: :func:`tuning_job_request` returns the dict to pass as
``boto3.client("sagemaker").create_hyper_parameter_tuning_job(**request)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..objective import Objective
from ..space import BLAZINGTEXT_HYPERPARAMETERS, BLAZINGTEXT_RANGES, SearchSpace
from ._job_check import check_ranges, check_static
from ._metrics import (
    SageMakerConfigError,
    _is_mean_rho,
    objective_metric_name,
    validate_metric_definitions,
)
from ._metrics import (
    metric_definitions as _metric_definitions,
)
from ._passthrough import _s3_uri, add_to_request, passthrough
from ._service_limits import (
    MAX_TRAINING_RUNTIME_SECONDS,
    check_enum,
    check_size,
    check_text,
    shape_limits,
)
from ._strategy import check_early_stopping, check_strategy

__all__ = ["STATIC_HYPERPARAMETERS", "STRATEGIES", "tuning_job_request"]

STRATEGIES = ("Bayesian", "Random", "Hyperband", "Grid")
"""The search strategies of a SageMaker tuning job that a request may name."""
STATIC_HYPERPARAMETERS = (*BLAZINGTEXT_HYPERPARAMETERS, "epoch_metrics")
"""The static hyperparameters a request may set: BlazingText's and w2veval's ``epoch_metrics``."""
_STATIC_EXTRA = ("objective",)


def _check_s3(what: str, uri) -> str:
    return _s3_uri(what, uri)


def _check_count(what: str, value, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise SageMakerConfigError(f"{what} must be an integer >= {low}, got {value!r}")
    return value


def _hyperparameter_text(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _channel(name: str, uri: str) -> dict:
    return {
        "ChannelName": name,
        "DataSource": {
            "S3DataSource": {
                "S3DataType": "S3Prefix",
                "S3Uri": uri,
                "S3DataDistributionType": "FullyReplicated",
            }
        },
        "ContentType": "text/plain",
        "InputMode": "File",
    }


def _check_name(name) -> None:
    limits = shape_limits("HyperParameterTuningJobName")
    if (
        not isinstance(name, str)
        or not re.fullmatch(limits["pattern"], name)
        or not limits["min"] <= len(name) <= limits["max"]
    ):
        raise SageMakerConfigError(
            f"a tuning job name is {limits['min']} to {limits['max']} letters, digits and hyphens, "
            f"starting and ending with a letter or digit (HyperParameterTuningJobName); got {name!r}"
        )


def _check_resources(
    *,
    image_uri,
    role_arn,
    instance_type,
    instance_count,
    volume_size_gb,
    max_runtime_seconds,
    max_jobs,
    max_parallel_jobs,
) -> None:
    for what, value in (("image_uri", image_uri), ("role_arn", role_arn), ("instance_type", instance_type)):
        if not isinstance(value, str) or not value:
            raise SageMakerConfigError(f"{what} must be a non-empty string, got {value!r}")
    check_text("image_uri", image_uri, "AlgorithmImage")
    check_text(
        "role_arn", role_arn, "RoleArn", fix="give an IAM role ARN, arn:aws:iam::<account>:role/<name>"
    )
    check_enum("instance_type", instance_type, "TrainingInstanceType")
    _check_count("max_jobs", max_jobs)
    _check_count("max_parallel_jobs", max_parallel_jobs)
    _check_count("instance_count", instance_count)
    _check_count("volume_size_gb", volume_size_gb)
    _check_count("max_runtime_seconds", max_runtime_seconds)
    if max_runtime_seconds > MAX_TRAINING_RUNTIME_SECONDS:
        raise SageMakerConfigError(
            f"max_runtime_seconds={max_runtime_seconds:,} exceeds SageMaker's limit of "
            f"{MAX_TRAINING_RUNTIME_SECONDS:,} seconds (28 days) per training job (StoppingCondition)"
        )
    if max_parallel_jobs > max_jobs:
        raise SageMakerConfigError(f"max_parallel_jobs ({max_parallel_jobs}) exceeds max_jobs ({max_jobs})")


def _static_text(static_hyperparameters, space: SearchSpace, parsed) -> dict:
    static = dict(static_hyperparameters or {})
    for key in static:
        if key in _STATIC_EXTRA:
            raise SageMakerConfigError(
                f"{key!r} is set from the objective argument; do not pass it in static_hyperparameters"
            )
        if key not in STATIC_HYPERPARAMETERS:
            raise SageMakerConfigError(
                f"unknown static hyperparameter {key!r}; known: {', '.join(STATIC_HYPERPARAMETERS)}"
            )
        if key in space:
            raise SageMakerConfigError(f"{key!r} is both searched and static; drop one")
    static_text = {key: _hyperparameter_text(value) for key, value in static.items()}
    static_text["objective"] = "mean_rho" if _is_mean_rho(parsed) else str(parsed)
    check_size("static_hyperparameters", static_text, "HyperParameters", what="hyperparameters")
    for key, value in static_text.items():
        check_text("static hyperparameter name", key, "HyperParameterKey")
        check_text(
            f"static hyperparameter {key}",
            value,
            "HyperParameterValue",
            fix=(
                "shorten the objective: fewer terms or shorter gold-set names"
                if key == "objective"
                else "shorten it"
            ),
        )
    return static_text


def _validated(
    *,
    name,
    image_uri,
    role_arn,
    objective,
    space,
    output_s3_uri,
    max_jobs,
    max_parallel_jobs,
    strategy,
    instance_type,
    instance_count,
    volume_size_gb,
    max_runtime_seconds,
    static_hyperparameters,
    metric_definitions,
    train_s3_uri=None,
    goldsets_s3_uri=None,
    tasks_s3_uri=None,
    early_stopping_type="Off",
    hyperband_min_epochs=None,
    **options,
) -> dict:
    """Check a tuning set-up before anything is built; shared with :func:`~w2veval.sagemaker.make_tuner`.

    Returns the parsed objective, its metric name, the metric definitions, the static
    hyperparameters as strings (``objective`` added), the Hyperband configuration (or
    ``None``) and the checked pass-through settings (``options``: see
    :func:`._passthrough.passthrough`). ``name=None`` skips the name check (the SDK
    names the job).
    """
    parsed = Objective.parse(objective)
    metric_name = objective_metric_name(parsed)
    # With evaluation statically off the job prints no #mean_rho line (unless the objective
    # is mean_rho): no train:mean_rho definition then, which leaves a slot for a gold set.
    evaluation = str(dict(static_hyperparameters or {}).get("evaluation", True)).strip().lower()
    definitions = (
        _metric_definitions(parsed, mean_rho=evaluation not in ("false", "0", "no"))
        if metric_definitions is None
        else [dict(d) for d in metric_definitions]
    )
    validate_metric_definitions(definitions)
    defined = [d["Name"] for d in definitions]
    if metric_name not in defined:
        raise SageMakerConfigError(
            f"the objective metric {metric_name!r} is not among the metric definitions "
            f"({', '.join(defined) or 'none'}); the tuner could never read it. Add a definition "
            f"for it, or leave metric_definitions out to use w2veval's"
        )

    if name is not None:
        _check_name(name)
    _check_resources(
        image_uri=image_uri,
        role_arn=role_arn,
        instance_type=instance_type,
        instance_count=instance_count,
        volume_size_gb=volume_size_gb,
        max_runtime_seconds=max_runtime_seconds,
        max_jobs=max_jobs,
        max_parallel_jobs=max_parallel_jobs,
    )
    if not isinstance(space, SearchSpace):
        raise SageMakerConfigError(f"space must be a w2veval.space.SearchSpace, got {type(space).__name__}")
    check_strategy(strategy, space, max_jobs, max_parallel_jobs)
    if train_s3_uri is not None:
        _check_s3("train_s3_uri", train_s3_uri)
    _check_s3("output_s3_uri", output_s3_uri)
    if goldsets_s3_uri is not None:
        _check_s3("goldsets_s3_uri", goldsets_s3_uri)
    if tasks_s3_uri is not None:
        _check_s3("tasks_s3_uri", tasks_s3_uri)

    static_text = _static_text(static_hyperparameters, space, parsed)
    if "mode" not in space and "mode" not in static_text:
        raise SageMakerConfigError(
            "BlazingText needs 'mode' (batch_skipgram, skipgram or cbow): "
            "search it or set it in static_hyperparameters"
        )
    hp = check_static(static_text)
    check_ranges(space, static_text)
    if _is_mean_rho(parsed) and ("evaluation" in space or not hp.evaluation):
        raise SageMakerConfigError(
            "the objective mean_rho is printed (#mean_rho) only when "
            "evaluation is on; do not set or search evaluation"
        )
    hyperband = check_early_stopping(
        strategy, early_stopping_type, hyperband_min_epochs, space, hp, definitions, metric_name
    )
    settings = passthrough(max_runtime_seconds=max_runtime_seconds, **options)
    return {
        "objective": parsed,
        "metric_name": metric_name,
        "definitions": definitions,
        "static": static_text,
        "hyperband": hyperband,
        "passthrough": settings,
    }


def tuning_job_request(
    *,
    name: str,
    image_uri: str,
    role_arn: str,
    objective: Objective | str,
    space: SearchSpace = BLAZINGTEXT_RANGES,
    train_s3_uri: str,
    output_s3_uri: str,
    max_jobs: int = 20,
    max_parallel_jobs: int = 2,
    strategy: str = "Bayesian",
    instance_type: str = "ml.c5.xlarge",
    instance_count: int = 1,
    volume_size_gb: int = 30,
    max_runtime_seconds: int = 86400,
    static_hyperparameters: Mapping[str, Any] | None = None,
    goldsets_s3_uri: str | None = None,
    tasks_s3_uri: str | None = None,
    metric_definitions: Sequence[Mapping[str, str]] | None = None,
    early_stopping_type: str = "Off",
    hyperband_min_epochs: int | None = None,
    environment: Mapping[str, str] | None = None,
    subnets: Sequence[str] | None = None,
    security_group_ids: Sequence[str] | None = None,
    tags: Mapping[str, str] | None = None,
    use_spot_instances: bool = False,
    max_wait_seconds: int | None = None,
    checkpoint_s3_uri: str | None = None,
    checkpoint_local_path: str | None = None,
    output_kms_key_id: str | None = None,
    volume_kms_key_id: str | None = None,
) -> dict[str, Any]:
    """The ``CreateHyperParameterTuningJob`` request that tunes word vectors on ``objective``.

    Every value is checked before the request is built: against the service model's
    limits (lengths, counts, patterns, enums) and the service quotas, and the static
    hyperparameters and range end points against the training job's own validator, so
    a request that SageMaker would refuse, or whose jobs would all fail, is refused here.

    Parameters
    ----------
    name : str
        The tuning job's name: 1 to 32 letters, digits and hyphens.
    image_uri, role_arn : str
        The training image (one that scores with w2veval and prints
        :func:`~w2veval.sagemaker.emit_metrics`) and the execution role.
    objective : Objective or str
        Parsed with :meth:`Objective.parse`. The tuner maximises
        ``w2veval:objective`` (``train:mean_rho`` for ``"mean_rho"``).
    space : SearchSpace, default BLAZINGTEXT_RANGES
    train_s3_uri, output_s3_uri : str
        The ``train`` channel's prefix and where the models go.
    max_jobs, max_parallel_jobs : int
        At most 750 training jobs (10,000 for ``Random``, after a quota increase) and 100
        in parallel.
    strategy : {"Bayesian", "Random", "Hyperband", "Grid"}
        ``Grid`` needs categorical ranges only.
    goldsets_s3_uri : str, optional
        A ``goldsets`` channel (local gold-set files the objective names).
    tasks_s3_uri : str, optional
        A ``tasks`` channel: labelled text files the objective names by file stem, and
        catalogued task files (``mr-polarity/rt-polarity.pos``, ...) the job installs
        when its image lacks them (``docs/sagemaker.md``, "Tuning for a task").
    static_hyperparameters : mapping, optional
        Fixed hyperparameters (BlazingText names, and ``epoch_metrics``); sent as strings.
        ``objective`` is added: the objective's string form, or the predefined name
        (``"mean_rho"``) so the job prints BlazingText's ``#mean_rho`` line.
    metric_definitions : list of dict, optional
        Instead of :func:`~w2veval.sagemaker.metric_definitions`; must define the
        objective's metric.
    early_stopping_type : {"Off", "Auto"}
        ``"Auto"`` lets SageMaker stop jobs that are unlikely to beat the best one.
    hyperband_min_epochs : int, optional
        Hyperband's ``MinResource`` (default 1); its ``MaxResource`` is the static
        ``epochs`` + 1. Hyperband and ``"Auto"`` need the job's per-epoch values: see
        ``docs/sagemaker.md`` ("Early stopping").
    environment : mapping of str to str, optional
        Environment variables of the training jobs (at most 48).
    subnets, security_group_ids : list of str, optional
        Both or neither: the training jobs' ``VpcConfig``.
    tags : mapping of str to str, optional
        Tags of the tuning job (SageMaker copies them to its training jobs).
    use_spot_instances : bool
        Managed spot training; needs ``max_wait_seconds`` >= ``max_runtime_seconds``.
    checkpoint_s3_uri, checkpoint_local_path : str, optional
        ``CheckpointConfig``; the local path defaults to ``/opt/ml/checkpoints``.
    output_kms_key_id, volume_kms_key_id : str, optional
        KMS keys for the model artifacts and for the instances' storage volumes.

    Raises
    ------
    SageMakerConfigError
        Before anything is built; each refusal names the field, the value and the limit
        or rule (the list is in ``docs/sagemaker.md``, "Refusals").
    """
    checked = _validated(
        name=name,
        image_uri=image_uri,
        role_arn=role_arn,
        objective=objective,
        space=space,
        output_s3_uri=output_s3_uri,
        max_jobs=max_jobs,
        max_parallel_jobs=max_parallel_jobs,
        strategy=strategy,
        instance_type=instance_type,
        instance_count=instance_count,
        volume_size_gb=volume_size_gb,
        max_runtime_seconds=max_runtime_seconds,
        static_hyperparameters=static_hyperparameters,
        metric_definitions=metric_definitions,
        train_s3_uri=train_s3_uri,
        goldsets_s3_uri=goldsets_s3_uri,
        tasks_s3_uri=tasks_s3_uri,
        early_stopping_type=early_stopping_type,
        hyperband_min_epochs=hyperband_min_epochs,
        environment=environment,
        subnets=subnets,
        security_group_ids=security_group_ids,
        tags=tags,
        use_spot_instances=use_spot_instances,
        max_wait_seconds=max_wait_seconds,
        checkpoint_s3_uri=checkpoint_s3_uri,
        checkpoint_local_path=checkpoint_local_path,
        output_kms_key_id=output_kms_key_id,
        volume_kms_key_id=volume_kms_key_id,
    )
    parsed, metric_name = checked["objective"], checked["metric_name"]
    definitions, static_text = checked["definitions"], checked["static"]
    channels = [_channel("train", train_s3_uri)]
    if goldsets_s3_uri is not None:
        channels.append(_channel("goldsets", goldsets_s3_uri))
    if tasks_s3_uri is not None:
        channels.append(_channel("tasks", tasks_s3_uri))
    config = {
        "Strategy": strategy,
        "HyperParameterTuningJobObjective": {
            "Type": "Maximize" if parsed.maximize else "Minimize",
            "MetricName": metric_name,
        },
        "ResourceLimits": {"MaxNumberOfTrainingJobs": max_jobs, "MaxParallelTrainingJobs": max_parallel_jobs},
        "ParameterRanges": space.to_parameter_ranges(),
        "TrainingJobEarlyStoppingType": early_stopping_type,
    }
    if checked["hyperband"] is not None:
        config["StrategyConfig"] = {"HyperbandStrategyConfig": dict(checked["hyperband"])}
    request = {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": config,
        "TrainingJobDefinition": {
            "AlgorithmSpecification": {
                "TrainingImage": image_uri,
                "TrainingInputMode": "File",
                "MetricDefinitions": definitions,
            },
            "RoleArn": role_arn,
            "InputDataConfig": channels,
            "OutputDataConfig": {"S3OutputPath": output_s3_uri},
            "ResourceConfig": {
                "InstanceType": instance_type,
                "InstanceCount": instance_count,
                "VolumeSizeInGB": volume_size_gb,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": max_runtime_seconds},
            "StaticHyperParameters": static_text,
        },
    }
    return add_to_request(request, checked["passthrough"])
