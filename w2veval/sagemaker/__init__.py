"""Tune word vectors with SageMaker: metric definitions and lines, launching, reading results back.

Importing this package imports neither boto3 nor the SageMaker SDK: :func:`tuning_job_request`
returns the plain request dict, :func:`make_tuner` imports the SDK when called, and
:func:`tuning_results`/:func:`rescore` create a boto3 client only when called.
"""

from ._metrics import (
    MAX_METRICS,
    MEAN_RHO_METRIC,
    OBJECTIVE_METRIC,
    SageMakerConfigError,
    emit_metrics,
    format_value,
    goldset_metric_name,
    metric_definitions,
    objective_metric_name,
    validate_metric_definitions,
)
from ._request import STATIC_HYPERPARAMETERS, STRATEGIES, tuning_job_request
from ._results import rescore, tuning_results
from ._tuner import make_tuner, training_inputs

__all__ = [
    "MAX_METRICS",
    "MEAN_RHO_METRIC",
    "OBJECTIVE_METRIC",
    "STATIC_HYPERPARAMETERS",
    "STRATEGIES",
    "SageMakerConfigError",
    "emit_metrics",
    "format_value",
    "goldset_metric_name",
    "make_tuner",
    "metric_definitions",
    "objective_metric_name",
    "rescore",
    "training_inputs",
    "tuning_job_request",
    "tuning_results",
    "validate_metric_definitions",
]
