"""Static hyperparameters and range end points, run through the training job's own validator.

A value the job refuses fails every training job that receives it, after SageMaker has
started (and billed) an instance. The job reads its hyperparameters with
:meth:`~w2veval.sagemaker._hyperparameters.Hyperparameters.from_strings`; the same call,
made on the request's values before anything is sent, refuses them at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import fields

from ..space import Categorical, SearchSpace
from ._hyperparameters import HyperparameterError, Hyperparameters
from ._metrics import SageMakerConfigError

__all__ = ["JOB_HYPERPARAMETERS", "check_ranges", "check_static"]

JOB_HYPERPARAMETERS = tuple(f.name for f in fields(Hyperparameters))
"""Every hyperparameter the job reads (BlazingText's, ``objective`` and ``epoch_metrics``)."""


def _shown(r) -> str:
    if isinstance(r, Categorical):
        return f"Categorical {[str(v) for v in r.values]}"
    return f"{type(r).__name__} {r.low!r}..{r.high!r}"


def _sent(r) -> list[str]:
    """Every value of a categorical range, the two end points of a numeric one, as sent."""
    if isinstance(r, Categorical):
        return r.to_parameter_range()["Values"]
    sent = r.to_parameter_range()
    return [sent["MinValue"], sent["MaxValue"]]


def _extremes(r) -> list[str]:
    """The values of ``r`` that can break a rule between two hyperparameters (min_char ≤ max_char)."""
    values = _sent(r)
    try:
        numbers = sorted(values, key=float)
    except ValueError:
        return values
    return [numbers[0], numbers[-1]] if len(numbers) > 1 else numbers


def check_static(static_text: Mapping[str, str]) -> Hyperparameters:
    """The static hyperparameters as the job reads them; refused as the job would refuse them.

    Raises
    ------
    SageMakerConfigError
        Naming the hyperparameter, its value and the job's rule.
    """
    try:
        return Hyperparameters.from_strings(static_text, require_mode=False)
    except HyperparameterError as exc:
        raise SageMakerConfigError(
            f"static hyperparameters: {exc}; every training job would fail on it. Fix the "
            "value in static_hyperparameters"
        ) from None


def check_ranges(space: SearchSpace, static_text: Mapping[str, str]) -> None:
    """Refuse a range whose values (end points, or any categorical value) the job refuses.

    Each range is tried alone with the static hyperparameters, then every pair of ranges
    at their extremes, so that a rule between two hyperparameters (``min_char`` at most
    ``max_char``) is checked whether both are searched or one is static.

    Raises
    ------
    SageMakerConfigError
        Naming the range, the value it reaches and the job's rule.
    """
    for name, r in space.items():
        if name == "objective":
            raise SageMakerConfigError("'objective' is set from the objective argument; do not search it")
        if name not in JOB_HYPERPARAMETERS:
            raise SageMakerConfigError(
                f"the search space has {name!r}, which the training job does not "
                f"read; it reads {', '.join(JOB_HYPERPARAMETERS)}"
            )
        for value in _sent(r):
            _try({**static_text, name: value}, f"the range of {name} ({_shown(r)}) reaches {name}={value}")
    for (a, ra), (b, rb) in itertools.combinations(space.items(), 2):
        for va, vb in itertools.product(_extremes(ra), _extremes(rb)):
            _try(
                {**static_text, a: va, b: vb},
                f"the ranges of {a} ({_shown(ra)}) and {b} ({_shown(rb)}) meet at {a}={va}, {b}={vb}",
            )


def _try(values: Mapping[str, str], where: str) -> None:
    try:
        Hyperparameters.from_strings(values, require_mode=False)
    except HyperparameterError as exc:
        raise SageMakerConfigError(
            f"{where}, which the training job refuses: {exc}; narrow the "
            "range so that every value in it is valid"
        ) from None
