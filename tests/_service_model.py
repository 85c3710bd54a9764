"""A request checked against the installed botocore SageMaker service model, every constraint it states.

botocore's ``ParamValidator`` checks types, required members and numeric minimums; the
service also refuses, once the request arrives, strings, lists and maps longer or shorter
than the model's ``min``/``max``, strings not matching its ``pattern`` and values outside
its ``enum``. :func:`violations` applies both, walking the request against the operation's
input shape. It is written here from the model alone (not from w2veval's checks), so that
it can judge them.
"""

from __future__ import annotations

import functools
import re

import botocore.session
import botocore.validate

try:  # the service's patterns use Java's \p{L}, \p{N}, \p{Z} (tag keys and values)
    import regex as _unicode_re
except ImportError:  # pragma: no cover - regex comes with the test dependencies (cfn-lint)
    _unicode_re = None

__all__ = ["input_shape", "violations"]


@functools.cache
def input_shape(operation: str = "CreateHyperParameterTuningJob"):
    model = botocore.session.get_session().get_service_model("sagemaker")
    return model.operation_model(operation).input_shape


def _matches(pattern: str, value: str) -> bool:
    if _unicode_re is not None:
        return _unicode_re.fullmatch(pattern, value) is not None
    python = pattern.replace(r"\p{L}", r"\w").replace(r"\p{N}", r"\w").replace(r"\p{Z}", r"\s")
    return re.fullmatch(python, value) is not None


def _length(value, shape, path: str, problems: list) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        problems.append(f"{path}: length {len(value)} < min {low} ({shape.name})")
    if high is not None and len(value) > high:
        problems.append(f"{path}: length {len(value)} > max {high} ({shape.name})")


def _walk(value, shape, path: str, problems: list) -> None:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for key, item in value.items():
            if key in shape.members:
                _walk(item, shape.members[key], f"{path}.{key}", problems)
    elif kind == "list" and isinstance(value, (list, tuple)):
        _length(value, shape, path, problems)
        for i, item in enumerate(value):
            _walk(item, shape.member, f"{path}[{i}]", problems)
    elif kind == "map" and isinstance(value, dict):
        _length(value, shape, path, problems)
        for key, item in value.items():
            _walk(key, shape.key, f"{path} key {key!r}", problems)
            _walk(item, shape.value, f"{path}[{key!r}]", problems)
    elif kind == "string" and isinstance(value, str):
        _length(value, shape, path, problems)
        pattern = shape.metadata.get("pattern")
        if pattern and not _matches(pattern, value):
            problems.append(f"{path}: {value[:80]!r} does not match {pattern} ({shape.name})")
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} not in the enum of {shape.name}")
    elif kind in ("integer", "long", "float", "double") and isinstance(value, (int, float)):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and value < low:
            problems.append(f"{path}: {value} < min {low} ({shape.name})")
        if high is not None and value > high:
            problems.append(f"{path}: {value} > max {high} ({shape.name})")


def violations(request: dict, operation: str = "CreateHyperParameterTuningJob") -> list[str]:
    """Every way ``request`` breaks the service model: botocore's report, then each constraint.

    Returns an empty list for a request the model accepts.
    """
    shape = input_shape(operation)
    problems = []
    report = botocore.validate.ParamValidator().validate(request, shape)
    if report.has_errors():
        problems.append(report.generate_report())
    _walk(request, shape, operation, problems)
    return problems
