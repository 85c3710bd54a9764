"""Hyperparameter search spaces, shared by the SageMaker tuner and a local tuner.

A :class:`SearchSpace` maps hyperparameter names to ranges (:class:`Integer`,
:class:`Continuous`, :class:`Categorical`); :meth:`SearchSpace.to_parameter_ranges` gives
SageMaker's raw ``ParameterRanges``. Nothing here imports SageMaker or boto3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from .errors import W2VEvalError

__all__ = [
    "BLAZINGTEXT_HYPERPARAMETERS",
    "BLAZINGTEXT_RANGES",
    "Categorical",
    "Continuous",
    "Integer",
    "SearchSpace",
    "SearchSpaceError",
]


class SearchSpaceError(W2VEvalError, ValueError):
    """A range or search space that cannot be searched: empty, bad scale, unknown name."""


BLAZINGTEXT_HYPERPARAMETERS: dict[str, type] = {
    "mode": str,
    "learning_rate": float,
    "window_size": int,
    "vector_dim": int,
    "min_count": int,
    "negative_samples": int,
    "epochs": int,
    "sampling_threshold": float,
    "subwords": bool,
    "min_char": int,
    "max_char": int,
    "batch_size": int,
    "buckets": int,
    "evaluation": bool,
}
"""BlazingText Word2Vec's hyperparameters and their types (SageMaker documentation)."""

_SCALES = {"auto": "Auto", "linear": "Linear", "log": "Logarithmic", "reverse_log": "ReverseLogarithmic"}


def _check_name(name: object) -> None:
    if not isinstance(name, str) or not name or name != name.strip():
        raise SearchSpaceError(
            f"a hyperparameter name is a non-empty string without surrounding white space, got {name!r}"
        )


def _check_bounds(kind: str, name: str, low: float, high: float, scale: str, number: type) -> None:
    for which, value in (("low", low), ("high", high)):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (number is int and not float(value).is_integer())
        ):
            raise SearchSpaceError(
                f"{kind} {name!r}: {which} must be {'an integer' if number is int else 'a number'}, "
                f"got {value!r}"
            )
        if not math.isfinite(value):
            raise SearchSpaceError(f"{kind} {name!r}: {which} must be finite, got {value!r}")
    if not low < high:
        raise SearchSpaceError(
            f"{kind} {name!r}: low must be below high, got low={low!r}, "
            f"high={high!r}; fix the value in the static hyperparameters instead"
        )
    if scale not in _SCALES:
        raise SearchSpaceError(
            f"{kind} {name!r}: unknown scale {scale!r}; choose one of {', '.join(_SCALES)}"
        )
    if scale == "log" and low <= 0:
        raise SearchSpaceError(f"{kind} {name!r}: a log scale needs low > 0, got low={low!r}")
    if scale == "reverse_log" and not (0 <= low and high < 1):
        raise SearchSpaceError(
            f"{kind} {name!r}: a reverse_log scale needs 0 <= low and high < 1, got [{low!r}, {high!r}]"
        )


@dataclass(frozen=True)
class Integer:
    """Integers from ``low`` to ``high`` inclusive.

    >>> Integer("window_size", 5, 30)
    Integer(name='window_size', low=5, high=30, scale='linear')
    """

    name: str
    low: int
    high: int
    scale: str = "linear"

    def __post_init__(self) -> None:
        _check_name(self.name)
        _check_bounds("Integer", self.name, self.low, self.high, self.scale, int)
        object.__setattr__(self, "low", int(self.low))
        object.__setattr__(self, "high", int(self.high))

    def to_parameter_range(self) -> dict[str, str]:
        """``{"Name", "MinValue", "MaxValue", "ScalingType"}``, values as strings."""
        return {
            "Name": self.name,
            "MinValue": str(self.low),
            "MaxValue": str(self.high),
            "ScalingType": _SCALES[self.scale],
        }


@dataclass(frozen=True)
class Continuous:
    """Real numbers from ``low`` to ``high``.

    >>> Continuous("learning_rate", 0.005, 0.05, "log").to_parameter_range()["ScalingType"]
    'Logarithmic'
    """

    name: str
    low: float
    high: float
    scale: str = "linear"

    def __post_init__(self) -> None:
        _check_name(self.name)
        _check_bounds("Continuous", self.name, self.low, self.high, self.scale, float)
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))

    def to_parameter_range(self) -> dict[str, str]:
        """``{"Name", "MinValue", "MaxValue", "ScalingType"}``, values as ``repr(float)``."""
        return {
            "Name": self.name,
            "MinValue": repr(self.low),
            "MaxValue": repr(self.high),
            "ScalingType": _SCALES[self.scale],
        }


@dataclass(frozen=True)
class Categorical:
    """One of ``values`` (strings, numbers or booleans; sent as strings)."""

    name: str
    values: tuple

    def __post_init__(self) -> None:
        _check_name(self.name)
        values = self.values
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise SearchSpaceError(f"Categorical {self.name!r}: values must be a sequence, got {values!r}")
        values = tuple(values)
        if not values:
            raise SearchSpaceError(f"Categorical {self.name!r}: needs at least one value")
        texts = [str(v) for v in values]
        if len(set(texts)) != len(texts):
            raise SearchSpaceError(f"Categorical {self.name!r}: values repeat: {values!r}")
        object.__setattr__(self, "values", values)

    def to_parameter_range(self) -> dict[str, Any]:
        """``{"Name", "Values"}``, values as strings."""
        return {"Name": self.name, "Values": [str(v) for v in self.values]}


Range: TypeAlias = Integer | Continuous | Categorical
"""One hyperparameter's range."""

_KEYS: dict[type[Range], str] = {
    Integer: "IntegerParameterRanges",
    Continuous: "ContinuousParameterRanges",
    Categorical: "CategoricalParameterRanges",
}


class SearchSpace(Mapping[str, Range]):
    """A read-only mapping of hyperparameter name to range.

    Parameters
    ----------
    ranges : iterable of Integer, Continuous or Categorical
        One per hyperparameter.
    hyperparameters : mapping of str to type, optional
        The names (and types) allowed; default BlazingText Word2Vec's. An
        :class:`Integer` needs an ``int`` hyperparameter, a :class:`Continuous` a
        ``float`` one. ``None`` allows any name.

    Examples
    --------
    >>> space = SearchSpace([Categorical("mode", ["cbow"]), Integer("window_size", 5, 30)])
    >>> space.to_parameter_ranges()["IntegerParameterRanges"]
    [{'Name': 'window_size', 'MinValue': '5', 'MaxValue': '30', 'ScalingType': 'Linear'}]
    """

    def __init__(
        self,
        ranges: Iterable[Range] | Mapping[str, Range],
        *,
        hyperparameters: Mapping[str, type] | None = BLAZINGTEXT_HYPERPARAMETERS,
    ) -> None:
        if isinstance(ranges, Mapping):
            ranges = ranges.values()
        self._ranges: dict[str, Range] = {}
        for r in ranges:
            if not isinstance(r, (Integer, Continuous, Categorical)):
                raise SearchSpaceError(
                    f"a search space holds Integer, Continuous or Categorical ranges, got {r!r}"
                )
            if r.name in self._ranges:
                raise SearchSpaceError(f"the hyperparameter {r.name!r} has two ranges")
            if hyperparameters is not None:
                _check_known(r, hyperparameters)
            self._ranges[r.name] = r

    def __getitem__(self, name: str) -> Range:
        return self._ranges[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ranges)

    def __len__(self) -> int:
        return len(self._ranges)

    def __repr__(self) -> str:
        return f"SearchSpace({list(self._ranges.values())!r})"

    def to_parameter_ranges(self) -> dict[str, list[dict[str, Any]]]:
        """SageMaker's ``ParameterRanges``: the three lists, each present (possibly empty)."""
        result: dict[str, list[dict[str, Any]]] = {key: [] for key in _KEYS.values()}
        for r in self._ranges.values():
            result[_KEYS[type(r)]].append(r.to_parameter_range())
        return result

    def to_sdk_ranges(self) -> dict[str, Any]:
        """The SageMaker SDK's ``hyperparameter_ranges``: name to a ``sagemaker.core.parameter`` range.

        Needs the ``sagemaker`` package (``pip install 'w2veval[sagemaker]'``); imported here only.
        """
        try:
            from sagemaker.core.parameter import (
                CategoricalParameter,
                ContinuousParameter,
                IntegerParameter,
            )
        except ImportError as exc:
            raise ImportError(
                "the SageMaker SDK (3.x) is needed for SDK ranges: pip install 'w2veval[sagemaker]'"
            ) from exc
        sdk: dict[str, Any] = {}
        for name, r in self._ranges.items():
            if isinstance(r, Categorical):
                sdk[name] = CategoricalParameter([str(v) for v in r.values])
            else:
                cls = IntegerParameter if isinstance(r, Integer) else ContinuousParameter
                sdk[name] = cls(r.low, r.high, scaling_type=_SCALES[r.scale])
        return sdk


def _check_known(r: Range, hyperparameters: Mapping[str, type]) -> None:
    if r.name not in hyperparameters:
        import difflib

        close = difflib.get_close_matches(r.name, list(hyperparameters), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise SearchSpaceError(
            f"unknown hyperparameter {r.name!r}; {hint}known: {', '.join(hyperparameters)}"
        )
    kind = hyperparameters[r.name]
    if (isinstance(r, Integer) and kind is not int) or (isinstance(r, Continuous) and kind is not float):
        raise SearchSpaceError(
            f"{r.name!r} is a {kind.__name__} hyperparameter; a {type(r).__name__} range does not fit it"
        )


BLAZINGTEXT_RANGES = SearchSpace(
    [
        Categorical("mode", ("batch_skipgram", "cbow")),
        Continuous("learning_rate", 0.005, 0.05, "log"),
        Integer("window_size", 5, 30),
        Integer("vector_dim", 50, 100),
        Integer("min_count", 20, 50),
        Integer("negative_samples", 5, 25),
    ]
)
"""The ranges SageMaker recommends for tuning BlazingText Word2Vec."""
