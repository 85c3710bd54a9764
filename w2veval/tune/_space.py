"""The shared search space (:mod:`w2veval.space`) as Optuna distributions.

There is one definition of a search space in w2veval, :class:`~w2veval.space.SearchSpace`;
SageMaker reads it as ``ParameterRanges`` and the local tuner as Optuna distributions.
This module also reads a space back from SageMaker's ``ParameterRanges`` JSON and from
the command line's ``NAME=LOW:HIGH[:log]`` / ``NAME=A,B,C``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..space import BLAZINGTEXT_HYPERPARAMETERS, Categorical, Continuous, Integer, SearchSpace
from ._errors import TuneError, import_optuna

if TYPE_CHECKING:
    import optuna

__all__ = ["distributions", "parse_range", "read_space", "space_from_parameter_ranges"]

_SCALES = {"Auto": "auto", "Linear": "linear", "Logarithmic": "log", "ReverseLogarithmic": "reverse_log"}


def distributions(space: SearchSpace) -> dict[str, optuna.distributions.BaseDistribution]:
    """``{name: optuna distribution}`` for each range of ``space``, in its order.

    ``Integer``/``Continuous`` with scale ``linear`` or ``auto`` become uniform
    ``IntDistribution``/``FloatDistribution``; scale ``log`` sets ``log=True``.
    ``Categorical`` becomes ``CategoricalDistribution``. SageMaker's
    ``reverse_log`` has no Optuna counterpart and is refused.

    Examples
    --------
    >>> from w2veval.space import BLAZINGTEXT_RANGES
    >>> d = distributions(BLAZINGTEXT_RANGES)
    >>> d["learning_rate"]
    FloatDistribution(high=0.05, log=True, low=0.005, step=None)
    >>> d["window_size"], d["mode"].choices
    (IntDistribution(high=30, log=False, low=5, step=1), ('batch_skipgram', 'cbow'))
    """
    optuna_distributions = import_optuna().distributions
    result: dict[str, optuna.distributions.BaseDistribution] = {}
    for name, r in space.items():
        if isinstance(r, Categorical):
            result[name] = optuna_distributions.CategoricalDistribution(r.values)
            continue
        if r.scale == "reverse_log":
            raise TuneError(
                f"{type(r).__name__} {name!r}: the scale reverse_log has no Optuna "
                "equivalent; use linear or log for local tuning"
            )
        log = r.scale == "log"
        if isinstance(r, Integer):
            result[name] = optuna_distributions.IntDistribution(r.low, r.high, log=log)
        else:
            result[name] = optuna_distributions.FloatDistribution(r.low, r.high, log=log)
    return result


def space_from_parameter_ranges(ranges: Mapping[str, Any]) -> SearchSpace:
    """A :class:`SearchSpace` from SageMaker's ``ParameterRanges`` (what
    :meth:`SearchSpace.to_parameter_ranges` writes).

    Examples
    --------
    >>> from w2veval.space import BLAZINGTEXT_RANGES
    >>> space = space_from_parameter_ranges(BLAZINGTEXT_RANGES.to_parameter_ranges())
    >>> space.to_parameter_ranges() == BLAZINGTEXT_RANGES.to_parameter_ranges()
    True
    """
    if not isinstance(ranges, Mapping):
        raise TuneError(f"ParameterRanges must be a JSON object, got {type(ranges).__name__}")
    known = ("IntegerParameterRanges", "ContinuousParameterRanges", "CategoricalParameterRanges")
    unknown = sorted(set(ranges) - set(known))
    if unknown:
        raise TuneError(f"unknown key(s) {unknown} in ParameterRanges; expected {', '.join(known)}")
    found: list[Integer | Continuous | Categorical] = []
    for key in known:
        for item in ranges.get(key) or []:
            if not isinstance(item, Mapping) or "Name" not in item:
                raise TuneError(f"each entry of {key} needs a Name, got {item!r}")
            if key == "CategoricalParameterRanges":
                values = item.get("Values")
                if not isinstance(values, list):
                    raise TuneError(f"{item['Name']!r}: Values must be a JSON list, got {values!r}")
                kind = BLAZINGTEXT_HYPERPARAMETERS.get(item["Name"], str)
                found.append(Categorical(item["Name"], tuple(_typed(item["Name"], v, kind) for v in values)))
                continue
            number = int if key == "IntegerParameterRanges" else float
            scale = item.get("ScalingType", "Auto")
            if scale not in _SCALES:
                raise TuneError(
                    f"{item['Name']!r}: unknown ScalingType {scale!r}; choose one of {', '.join(_SCALES)}"
                )
            low = _typed(item["Name"], item.get("MinValue"), number)
            high = _typed(item["Name"], item.get("MaxValue"), number)
            kind = Integer if number is int else Continuous
            found.append(kind(item["Name"], low, high, _SCALES[scale]))
    return SearchSpace(found)


def _typed(name: str, text: object, kind: type) -> Any:
    """A SageMaker string value as the hyperparameter's type."""
    if not isinstance(text, str):
        text = json.dumps(text) if isinstance(text, bool) else str(text)
    try:
        if kind is bool:
            if text.lower() not in ("true", "false"):
                raise ValueError
            return text.lower() == "true"
        if kind is int:
            value = float(text)
            if not value.is_integer():
                raise ValueError
            return int(value)
        return kind(text)
    except ValueError:
        raise TuneError(f"{name!r}: {text!r} is not a {kind.__name__}") from None


def parse_range(text: str) -> Integer | Continuous | Categorical:
    """One range from the command line's ``NAME=LOW:HIGH[:log]`` or ``NAME=A,B,...``.

    The type follows the hyperparameter: ``int`` ones give :class:`Integer`, ``float``
    ones :class:`Continuous`; a comma list (or a ``str``/``bool`` hyperparameter)
    gives :class:`Categorical`.

    Examples
    --------
    >>> parse_range("learning_rate=0.005:0.05:log")
    Continuous(name='learning_rate', low=0.005, high=0.05, scale='log')
    >>> parse_range("mode=cbow,batch_skipgram")
    Categorical(name='mode', values=('cbow', 'batch_skipgram'))
    """
    name, equals, spec = text.partition("=")
    name, spec = name.strip(), spec.strip()
    if not equals or not name or not spec:
        raise TuneError(f"a range is NAME=LOW:HIGH[:log] or NAME=A,B,...; got {text!r}")
    if name not in BLAZINGTEXT_HYPERPARAMETERS:
        SearchSpace([Categorical(name, ("x",))])  # raises with "did you mean"
    kind = BLAZINGTEXT_HYPERPARAMETERS[name]
    if "," in spec or kind in (str, bool):
        return Categorical(name, tuple(_typed(name, v.strip(), kind) for v in spec.split(",")))
    parts = spec.split(":")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("log", "linear")):
        raise TuneError(f"{name}: a range is LOW:HIGH or LOW:HIGH:log, got {spec!r}")
    low, high = (_typed(name, p, kind) for p in parts[:2])
    scale = parts[2] if len(parts) == 3 else "linear"
    return (Integer if kind is int else Continuous)(name, low, high, scale)


def read_space(path_or_json: str) -> SearchSpace:
    """A search space from a ``ParameterRanges`` JSON file, or the JSON text itself."""
    text = path_or_json
    if not path_or_json.lstrip().startswith("{"):
        try:
            with open(path_or_json, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            from ._errors import StorageError

            raise StorageError(
                f"cannot read the search space: {exc.strerror or exc}", path=os.fspath(path_or_json)
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise TuneError(
            f"the search space is not JSON: {err.msg}",
            path=None if text is path_or_json else path_or_json,
            line=err.lineno,
        ) from None
    except RecursionError:  # thousands of nested brackets
        raise TuneError(
            "the search space nests too deeply to be SageMaker ParameterRanges JSON",
            path=None if text is path_or_json else path_or_json,
        ) from None
    return space_from_parameter_ranges(data)
