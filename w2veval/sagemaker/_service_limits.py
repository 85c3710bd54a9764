"""SageMaker's limits on a tuning-job request, read from the installed botocore service model.

botocore's parameter validator checks types, required members and numeric minimums, but
not string lengths, list and map sizes, patterns or enums; the service refuses those only
once the request arrives. :func:`shape_limits` reads them from the service model
(``botocore/data/sagemaker/*/service-2.json``) so that they stay the service's own; the
few limits the model does not state are the constants below, each with its source.

botocore is imported when a limit is first read, never when :mod:`w2veval.sagemaker` is
imported.
"""

from __future__ import annotations

import functools
import re

from ._metrics import SageMakerConfigError

__all__ = [
    "HYPERBAND_MAX_RESOURCE",
    "MAX_PARALLEL_TRAINING_JOBS",
    "MAX_TRAINING_JOBS",
    "MAX_TRAINING_RUNTIME_SECONDS",
    "check_enum",
    "check_number",
    "check_size",
    "check_text",
    "shape_limits",
]

# Not in the service model: "Resource Limits for Automatic Model Tuning", SageMaker
# Developer Guide (automatic-model-tuning-limits). Training jobs per tuning job: 750 for
# every strategy; Random search can be raised to 10,000 through a quota increase.
MAX_TRAINING_JOBS = {"Bayesian": 750, "Random": 10_000, "Hyperband": 750, "Grid": 750}
# Same page: parallel training jobs per tuning job, default quota 10, at most 100.
MAX_PARALLEL_TRAINING_JOBS = 100
DEFAULT_PARALLEL_TRAINING_JOBS_QUOTA = 10
# The service model's StoppingCondition documentation (text, not metadata): "The maximum
# value is 28 days."
MAX_TRAINING_RUNTIME_SECONDS = 28 * 24 * 3600
# The service model's HyperbandStrategyConfig.MaxResource documentation (text, not
# metadata): "The maximum value is 20,000 epochs."
HYPERBAND_MAX_RESOURCE = 20_000


@functools.lru_cache(maxsize=1)
def _model():
    import botocore.session

    return botocore.session.get_session().get_service_model("sagemaker")


@functools.cache
def shape_limits(shape_name: str) -> dict:
    """The ``min``/``max``/``pattern``/``enum`` the service model states for a shape.

    Parameters
    ----------
    shape_name : str
        A shape of the SageMaker service model, e.g. ``"HyperParameterValue"``.

    Returns
    -------
    dict
        The keys the model states, among ``min``, ``max``, ``pattern`` and ``enum``.

    Examples
    --------
    >>> shape_limits("HyperParameterValue")["max"]
    2500
    """
    shape = _model().shape_for(shape_name)
    limits = {key: shape.metadata[key] for key in ("min", "max", "pattern") if key in shape.metadata}
    if getattr(shape, "enum", None):
        limits["enum"] = list(shape.enum)
    return limits


def _python_pattern(pattern: str) -> str:
    r"""A service-model (Java) pattern for Python's ``re``.

    ``\p{L}`` (letters), ``\p{N}`` (numbers) and ``\p{Z}`` (separators) become ``\w``,
    ``\w`` and ``\s``: slightly wider, so no value the service takes is refused.
    """
    return pattern.replace(r"\p{L}", r"\w").replace(r"\p{N}", r"\w").replace(r"\p{Z}", r"\s")


def check_text(field: str, value, shape_name: str, *, fix: str = "") -> str:
    """Refuse a string the service would refuse: its type, length or pattern.

    Raises
    ------
    SageMakerConfigError
        Naming ``field``, the value (shortened when long), the limit and its shape.
    """
    limits = shape_limits(shape_name)
    if not isinstance(value, str):
        raise SageMakerConfigError(f"{field} must be a string, got {value!r}")
    shown = value if len(value) <= 60 else f"{value[:40]}... ({len(value):,} characters)"
    low, high = limits.get("min", 0), limits.get("max")
    if len(value) < low or (high is not None and len(value) > high):
        bound = f"{low} to {high:,}" if high is not None else f"at least {low}"
        raise SageMakerConfigError(
            f"{field} {shown!r} is {len(value):,} characters long; SageMaker takes {bound} "
            f"({shape_name} in the service model){'; ' + fix if fix else ''}"
        )
    pattern = limits.get("pattern")
    if pattern and not re.fullmatch(_python_pattern(pattern), value):
        raise SageMakerConfigError(
            f"{field} {shown!r} does not match SageMaker's pattern {pattern} "
            f"({shape_name} in the service model){'; ' + fix if fix else ''}"
        )
    return value


def check_size(field: str, items, shape_name: str, *, what: str = "items", fix: str = "") -> None:
    """Refuse a list or map with fewer or more entries than the service model allows."""
    limits = shape_limits(shape_name)
    low, high = limits.get("min", 0), limits.get("max")
    if len(items) < low or (high is not None and len(items) > high):
        bound = f"{low} to {high}" if high is not None else f"at least {low}"
        raise SageMakerConfigError(
            f"{field} has {len(items)} {what}; SageMaker takes {bound} ({shape_name} in the "
            f"service model){'; ' + fix if fix else ''}"
        )


def check_enum(field: str, value, shape_name: str) -> str:
    """Refuse a value outside the enum the service model states."""
    allowed = shape_limits(shape_name)["enum"]
    if value not in allowed:
        if len(allowed) > 12:  # instance types: name the nearest, not hundreds
            import difflib

            close = difflib.get_close_matches(str(value), allowed, n=3)
            choices = f"did you mean {', '.join(close)}?" if close else f"e.g. {', '.join(allowed[:3])}"
        else:
            choices = f"choose one of {', '.join(allowed)}"
        raise SageMakerConfigError(
            f"unknown {field} {value!r}: not one SageMaker knows ({shape_name} "
            f"in the service model); {choices}"
        )
    return value


def check_number(field: str, value, shape_name: str) -> int:
    """Refuse an integer outside the ``min``/``max`` the service model states."""
    limits = shape_limits(shape_name)
    low, high = limits.get("min"), limits.get("max")
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        bound = (
            f"from {low:,} to {high:,}"
            if low is not None and high is not None
            else f"at least {low:,}"
            if low is not None
            else f"at most {high:,}"
        )
        raise SageMakerConfigError(
            f"{field}={value!r}: SageMaker takes an integer {bound} ({shape_name} in the service model)"
        )
    return value
