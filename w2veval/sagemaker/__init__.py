"""Tune word vectors with SageMaker: metric definitions, metric lines and the tuning-job request.

Nothing here imports boto3; :func:`tuning_job_request` returns the plain request dict.
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
from ._request import STRATEGIES, tuning_job_request

__all__ = [
    "MAX_METRICS",
    "MEAN_RHO_METRIC",
    "OBJECTIVE_METRIC",
    "STRATEGIES",
    "SageMakerConfigError",
    "emit_metrics",
    "format_value",
    "goldset_metric_name",
    "metric_definitions",
    "objective_metric_name",
    "tuning_job_request",
    "validate_metric_definitions",
]
