"""The search strategy, its resource limits, and early stopping (Hyperband or ``"Auto"``).

Early stopping needs intermediate values of the objective: the w2veval job prints the
objective's metric lines after every epoch in training mode (``epoch_metrics``, default
true) and once more at the end, after its model is saved. :func:`check_early_stopping`
allows the ``Hyperband`` strategy or ``early_stopping_type="Auto"`` only when the job will
print more than one value.
"""

from __future__ import annotations

import math
import re

from ..space import Categorical, SearchSpace
from ._hyperparameters import Hyperparameters
from ._metrics import SageMakerConfigError, _line_tag
from ._service_limits import (
    DEFAULT_PARALLEL_TRAINING_JOBS_QUOTA,
    HYPERBAND_MAX_RESOURCE,
    MAX_PARALLEL_TRAINING_JOBS,
    MAX_TRAINING_JOBS,
    check_enum,
    check_size,
    check_text,
    shape_limits,
)

__all__ = ["check_early_stopping", "check_strategy"]

_LIMITS_PAGE = "Resource Limits for Automatic Model Tuning, SageMaker Developer Guide"


def _check_ranges_counts(space: SearchSpace) -> None:
    ranges = space.to_parameter_ranges()
    for key, items in ranges.items():
        check_size(f"ParameterRanges.{key}", items, key, what="ranges")
    total = sum(len(items) for items in ranges.values())
    high = shape_limits("IntegerParameterRanges")["max"]  # "the sum ... can't exceed the maximum"
    if total > high:
        raise SageMakerConfigError(
            f"the search space has {total} ranges; SageMaker searches at most {high} hyperparameters "
            "in all (ParameterRanges in the service model): make some of them static"
        )
    for item in ranges["CategoricalParameterRanges"]:
        check_size(
            f"the categorical range of {item['Name']}",
            item["Values"],
            "ParameterValues",
            what="values",
            fix="keep the values you most want to compare",
        )
    for item in (item for items in ranges.values() for item in items):
        check_text("a range's hyperparameter name", item["Name"], "ParameterKey")
        for value in item.get("Values", [item.get("MinValue"), item.get("MaxValue")]):
            check_text(f"a value of the range of {item['Name']}", value, "ParameterValue")


def _grid_jobs(space: SearchSpace) -> int:
    others = [f"{name} ({type(r).__name__})" for name, r in space.items() if not isinstance(r, Categorical)]
    if others:
        raise SageMakerConfigError(
            f"strategy 'Grid' searches categorical ranges only; {', '.join(others)} "
            f"{'is' if len(others) == 1 else 'are'} not: make them Categorical, or use Bayesian or Random"
        )
    if not space:
        raise SageMakerConfigError("strategy 'Grid' needs at least one categorical range")
    categorical = [r for r in space.values() if isinstance(r, Categorical)]  # every range, checked above
    return math.prod(len(r.values) for r in categorical)


def check_strategy(strategy, space: SearchSpace, max_jobs: int, max_parallel_jobs: int) -> None:
    """Refuse a strategy, search space or job count that SageMaker refuses.

    Raises
    ------
    SageMakerConfigError
        An unknown strategy, ``Grid`` with non-categorical ranges or more than 750
        combinations, more ranges or categorical values than the service model allows,
        ``max_jobs`` or ``max_parallel_jobs`` above the service limits (named).
    """
    check_enum("strategy", strategy, "HyperParameterTuningJobStrategyType")
    _check_ranges_counts(space)
    if strategy == "Grid":
        combinations = _grid_jobs(space)
        if combinations > MAX_TRAINING_JOBS["Grid"]:
            raise SageMakerConfigError(
                f"the grid has {combinations:,} combinations; SageMaker runs at most "
                f"{MAX_TRAINING_JOBS['Grid']} training jobs for a Grid tuning job ({_LIMITS_PAGE}): "
                "drop some categorical values"
            )
    limit = MAX_TRAINING_JOBS[strategy]
    if max_jobs > limit:
        raise SageMakerConfigError(
            f"max_jobs={max_jobs:,} exceeds SageMaker's limit of {limit:,} training jobs per tuning "
            f"job with strategy {strategy!r} ({_LIMITS_PAGE}; MaxNumberOfTrainingJobs)"
            + (
                "; Random allows up to 10,000 only after a quota increase above 750"
                if strategy == "Random"
                else ""
            )
        )
    if max_parallel_jobs > MAX_PARALLEL_TRAINING_JOBS:
        raise SageMakerConfigError(
            f"max_parallel_jobs={max_parallel_jobs} exceeds SageMaker's limit of "
            f"{MAX_PARALLEL_TRAINING_JOBS} parallel training jobs per tuning job ({_LIMITS_PAGE}; "
            f"MaxParallelTrainingJobs; the default quota is {DEFAULT_PARALLEL_TRAINING_JOBS_QUOTA})"
        )


def _check_objective_line(definitions: list, metric_name: str) -> None:
    """The objective's regex must read the line the job prints after every epoch."""
    line = f"{_line_tag(metric_name)}: 0.4617"
    regex = next(d["Regex"] for d in definitions if d["Name"] == metric_name)
    try:
        match = re.search(regex, line)
    except re.error as exc:
        raise SageMakerConfigError(f"the regex of {metric_name!r} does not compile: {exc}") from None
    if match is None or not match.groups() or match.group(1) != "0.4617":
        raise SageMakerConfigError(
            f"the regex {regex!r} of the objective metric {metric_name!r} does not capture the "
            f"value of the job's line {line!r}; early stopping would see no value. Leave "
            "metric_definitions out to use w2veval's"
        )


def _most_epochs(space: SearchSpace, hp: Hyperparameters) -> int:
    if "epochs" not in space:
        return hp.epochs
    r = space["epochs"]
    values = r.values if isinstance(r, Categorical) else (r.low, r.high)
    return max(int(float(v)) for v in values)


def check_early_stopping(
    strategy: str,
    early_stopping_type,
    hyperband_min_epochs,
    space: SearchSpace,
    hp: Hyperparameters,
    definitions: list,
    metric_name: str,
) -> dict | None:
    """Refuse early stopping the job cannot feed; the ``HyperbandStrategyConfig`` for Hyperband.

    The ``Hyperband`` strategy and ``early_stopping_type="Auto"`` read the objective's
    intermediate values. They are allowed when (1) ``epoch_metrics`` is neither false nor
    searched, (2) a job trains at least 2 epochs (static ``epochs``, its default 5, or the
    top of a searched range for ``"Auto"``) and (3) the objective's metric definition
    captures the job's own line (always true for w2veval's definitions). ``Hyperband``
    also needs ``early_stopping_type="Off"`` (the service's rule) and a static ``epochs``:
    it decides itself how many epochs a job may run. Its ``MaxResource`` is ``epochs + 1``,
    the number of values a job prints (one per epoch, then the final one after its model
    is saved), so a job Hyperband lets finish is never stopped before its model is saved.

    Returns
    -------
    dict or None
        ``{"MinResource", "MaxResource"}`` for Hyperband, else ``None``.
    """
    check_enum("early_stopping_type", early_stopping_type, "TrainingJobEarlyStoppingType")
    hyperband = strategy == "Hyperband"
    if hyperband_min_epochs is not None and not hyperband:
        raise SageMakerConfigError(
            f"hyperband_min_epochs={hyperband_min_epochs!r} applies to the "
            f"Hyperband strategy only, not {strategy!r}"
        )
    if not hyperband and early_stopping_type == "Off":
        return None
    what = "the Hyperband strategy" if hyperband else "early_stopping_type='Auto'"
    if hyperband and early_stopping_type != "Off":
        raise SageMakerConfigError(
            f"early_stopping_type={early_stopping_type!r} with the Hyperband strategy: SageMaker needs "
            "TrainingJobEarlyStoppingType 'Off' for Hyperband, which stops jobs early itself"
        )
    if "epoch_metrics" in space:
        raise SageMakerConfigError(
            f"{what} needs the objective after every epoch; do not search epoch_metrics"
        )
    if not hp.epoch_metrics:
        raise SageMakerConfigError(
            f"{what} needs the objective after every epoch, but epoch_metrics=false makes the job "
            "print only the final value: drop epoch_metrics from static_hyperparameters"
        )
    if hyperband and "epochs" in space:
        raise SageMakerConfigError(
            "the Hyperband strategy decides how many epochs each job runs (its MaxResource is the "
            "static epochs): set epochs in static_hyperparameters instead of searching it"
        )
    epochs = _most_epochs(space, hp)
    if epochs < 2:
        raise SageMakerConfigError(
            f"{what} needs intermediate values, but with epochs={epochs} the job prints only the "
            "final value: train at least 2 epochs, or leave early stopping off"
        )
    _check_objective_line(definitions, metric_name)
    if not hyperband:
        return None
    return _hyperband(hyperband_min_epochs, epochs)


def _hyperband(min_epochs, epochs: int) -> dict:
    max_resource = epochs + 1
    if max_resource > HYPERBAND_MAX_RESOURCE:
        raise SageMakerConfigError(
            f"epochs={epochs}: Hyperband's MaxResource (epochs + 1 = {max_resource:,}) may be at most "
            f"{HYPERBAND_MAX_RESOURCE:,} (HyperbandStrategyConfig in the service model)"
        )
    min_resource = 1 if min_epochs is None else min_epochs
    if (
        isinstance(min_resource, bool)
        or not isinstance(min_resource, int)
        or not shape_limits("HyperbandStrategyMinResource")["min"] <= min_resource <= epochs
    ):
        raise SageMakerConfigError(
            f"hyperband_min_epochs={min_epochs!r}: Hyperband's MinResource must be an integer "
            f"from 1 to epochs ({epochs})"
        )
    return {"MinResource": min_resource, "MaxResource": max_resource}
