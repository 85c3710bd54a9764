"""The plain boto3 ``CreateHyperParameterTuningJob`` request for tuning word vectors on an objective.

Nothing is sent: :func:`tuning_job_request` returns the dict to pass as
``boto3.client("sagemaker").create_hyper_parameter_tuning_job(**request)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..objective import Objective
from ..space import BLAZINGTEXT_HYPERPARAMETERS, BLAZINGTEXT_RANGES, SearchSpace
from ._metrics import (
    SageMakerConfigError,
    _is_mean_rho,
    metric_definitions as _metric_definitions,
    objective_metric_name,
    validate_metric_definitions,
)

__all__ = ["tuning_job_request", "STRATEGIES"]

STRATEGIES = ("Bayesian", "Random", "Hyperband", "Grid")
_JOB_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}")
_STATIC_EXTRA = ("objective",)


def _check_s3(what: str, uri) -> str:
    if not isinstance(uri, str) or not uri.startswith("s3://") or len(uri) <= len("s3://"):
        raise SageMakerConfigError(f"{what} must be an s3:// URI (s3://bucket/prefix), got {uri!r}")
    return uri


def _check_count(what: str, value, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise SageMakerConfigError(f"{what} must be an integer >= {low}, got {value!r}")
    return value


def _hyperparameter_text(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _channel(name: str, uri: str) -> dict:
    return {"ChannelName": name,
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": uri,
                                            "S3DataDistributionType": "FullyReplicated"}},
            "ContentType": "text/plain", "InputMode": "File"}


def _validated(*, name, image_uri, role_arn, objective, space, output_s3_uri, max_jobs,
               max_parallel_jobs, strategy, instance_type, instance_count, volume_size_gb,
               max_runtime_seconds, static_hyperparameters, metric_definitions,
               train_s3_uri=None, goldsets_s3_uri=None) -> dict:
    """Check a tuning set-up before anything is built; shared with :func:`~w2veval.sagemaker.make_tuner`.

    Returns the parsed objective, its metric name, the metric definitions and the static
    hyperparameters as strings (``objective`` added). ``name=None`` skips the name check
    (the SDK names the job).
    """
    parsed = Objective.parse(objective)
    metric_name = objective_metric_name(parsed)
    definitions = (_metric_definitions(parsed) if metric_definitions is None
                   else [dict(d) for d in metric_definitions])
    validate_metric_definitions(definitions)
    defined = [d["Name"] for d in definitions]
    if metric_name not in defined:
        raise SageMakerConfigError(
            f"the objective metric {metric_name!r} is not among the metric definitions "
            f"({', '.join(defined) or 'none'}); the tuner could never read it. Add a definition "
            f"for it, or leave metric_definitions out to use w2veval's")

    if name is not None and (not isinstance(name, str) or not _JOB_NAME.fullmatch(name)):
        raise SageMakerConfigError(f"a tuning job name is 1 to 32 letters, digits and hyphens, "
                                   f"starting and ending with a letter or digit; got {name!r}")
    for what, value in (("image_uri", image_uri), ("role_arn", role_arn),
                        ("instance_type", instance_type)):
        if not isinstance(value, str) or not value:
            raise SageMakerConfigError(f"{what} must be a non-empty string, got {value!r}")
    if strategy not in STRATEGIES:
        raise SageMakerConfigError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    _check_count("max_jobs", max_jobs)
    _check_count("max_parallel_jobs", max_parallel_jobs)
    _check_count("instance_count", instance_count)
    _check_count("volume_size_gb", volume_size_gb)
    _check_count("max_runtime_seconds", max_runtime_seconds)
    if max_parallel_jobs > max_jobs:
        raise SageMakerConfigError(f"max_parallel_jobs ({max_parallel_jobs}) exceeds max_jobs "
                                   f"({max_jobs})")
    if train_s3_uri is not None:
        _check_s3("train_s3_uri", train_s3_uri)
    _check_s3("output_s3_uri", output_s3_uri)
    if goldsets_s3_uri is not None:
        _check_s3("goldsets_s3_uri", goldsets_s3_uri)
    if not isinstance(space, SearchSpace):
        raise SageMakerConfigError(f"space must be a w2veval.space.SearchSpace, got {type(space).__name__}")

    static = dict(static_hyperparameters or {})
    for key in static:
        if key in _STATIC_EXTRA:
            raise SageMakerConfigError(f"{key!r} is set from the objective argument; do not pass "
                                       "it in static_hyperparameters")
        if key not in BLAZINGTEXT_HYPERPARAMETERS:
            raise SageMakerConfigError(f"unknown static hyperparameter {key!r}; known: "
                                       f"{', '.join(BLAZINGTEXT_HYPERPARAMETERS)}")
        if key in space:
            raise SageMakerConfigError(f"{key!r} is both searched and static; drop one")
    if "mode" not in space and "mode" not in static:
        raise SageMakerConfigError("BlazingText needs 'mode' (batch_skipgram, skipgram or cbow): "
                                   "search it or set it in static_hyperparameters")
    if _is_mean_rho(parsed) and ("evaluation" in space or str(static.get("evaluation", True)).lower()
                                 in ("false", "0", "no")):
        raise SageMakerConfigError("the objective mean_rho is printed (#mean_rho) only when "
                                   "evaluation is on; do not set or search evaluation")
    static_text = {key: _hyperparameter_text(value) for key, value in static.items()}
    static_text["objective"] = "mean_rho" if _is_mean_rho(parsed) else str(parsed)

    return {"objective": parsed, "metric_name": metric_name, "definitions": definitions,
            "static": static_text}


def tuning_job_request(*, name: str, image_uri: str, role_arn: str, objective,
                       space: SearchSpace = BLAZINGTEXT_RANGES, train_s3_uri: str,
                       output_s3_uri: str, max_jobs: int = 20, max_parallel_jobs: int = 2,
                       strategy: str = "Bayesian", instance_type: str = "ml.c5.xlarge",
                       instance_count: int = 1, volume_size_gb: int = 30,
                       max_runtime_seconds: int = 86400,
                       static_hyperparameters: Mapping | None = None,
                       goldsets_s3_uri: str | None = None,
                       metric_definitions: list | None = None) -> dict:
    """The ``CreateHyperParameterTuningJob`` request that tunes word vectors on ``objective``.

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
    goldsets_s3_uri : str, optional
        A ``goldsets`` channel (local gold-set files the objective names).
    static_hyperparameters : mapping, optional
        Fixed hyperparameters (BlazingText names); sent as strings. ``objective`` is
        added: the objective's string form, or the predefined name (``"mean_rho"``) so
        the job prints BlazingText's ``#mean_rho`` line.
    metric_definitions : list of dict, optional
        Instead of :func:`~w2veval.sagemaker.metric_definitions`; must define the
        objective's metric.

    Raises
    ------
    SageMakerConfigError
        Before anything is built: the objective's metric is not among the metric
        definitions, more than 20 metrics, a bad name, URI, count or strategy, a static
        hyperparameter that is also searched or unknown, no ``mode``, or ``mean_rho``
        with ``evaluation`` off or searched.
    """
    checked = _validated(
        name=name, image_uri=image_uri, role_arn=role_arn, objective=objective, space=space,
        output_s3_uri=output_s3_uri, max_jobs=max_jobs, max_parallel_jobs=max_parallel_jobs,
        strategy=strategy, instance_type=instance_type, instance_count=instance_count,
        volume_size_gb=volume_size_gb, max_runtime_seconds=max_runtime_seconds,
        static_hyperparameters=static_hyperparameters, metric_definitions=metric_definitions,
        train_s3_uri=train_s3_uri, goldsets_s3_uri=goldsets_s3_uri)
    parsed, metric_name = checked["objective"], checked["metric_name"]
    definitions, static_text = checked["definitions"], checked["static"]
    channels = [_channel("train", train_s3_uri)]
    if goldsets_s3_uri is not None:
        channels.append(_channel("goldsets", goldsets_s3_uri))
    return {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": {
            "Strategy": strategy,
            "HyperParameterTuningJobObjective": {
                "Type": "Maximize" if parsed.maximize else "Minimize",
                "MetricName": metric_name,
            },
            "ResourceLimits": {"MaxNumberOfTrainingJobs": max_jobs,
                               "MaxParallelTrainingJobs": max_parallel_jobs},
            "ParameterRanges": space.to_parameter_ranges(),
        },
        "TrainingJobDefinition": {
            "AlgorithmSpecification": {"TrainingImage": image_uri, "TrainingInputMode": "File",
                                       "MetricDefinitions": definitions},
            "RoleArn": role_arn,
            "InputDataConfig": channels,
            "OutputDataConfig": {"S3OutputPath": output_s3_uri},
            "ResourceConfig": {"InstanceType": instance_type, "InstanceCount": instance_count,
                               "VolumeSizeInGB": volume_size_gb},
            "StoppingCondition": {"MaxRuntimeInSeconds": max_runtime_seconds},
            "StaticHyperParameters": static_text,
        },
    }
