"""BlazingText's hyperparameters, read from SageMaker's ``hyperparameters.json``.

SageMaker passes every hyperparameter as a string; this module turns them into a
frozen, validated :class:`Hyperparameters` with BlazingText's names and defaults.
Keys this module does not know (``_tuning_objective_metric``, ``sagemaker_*``)
are accepted and ignored, as SageMaker adds its own.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from ..errors import W2VEvalError

__all__ = ["MODES", "HyperparameterError", "Hyperparameters", "read_hyperparameters"]

MODES = ("batch_skipgram", "skipgram", "cbow")

_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


class HyperparameterError(W2VEvalError, ValueError):
    """A hyperparameter is missing, malformed or out of range."""


@dataclass(frozen=True)
class Hyperparameters:
    """BlazingText's word2vec hyperparameters, plus w2veval's ``objective`` and ``epoch_metrics``.

    ``epoch_metrics`` (default true): in training mode the job prints the objective's
    metric lines after every epoch as well as at the end, so that SageMaker's
    ``Hyperband`` strategy and ``early_stopping_type="Auto"`` see intermediate values.

    Attributes keep BlazingText's names; :meth:`gensim_options` maps them onto
    gensim's. ``batch_size`` is validated but gensim has no equivalent
    (``batch_skipgram`` trains as ``skipgram``).

    Examples
    --------
    >>> hp = Hyperparameters.from_strings({"mode": "cbow", "vector_dim": "20"})
    >>> hp.vector_dim, hp.gensim_options()["sg"]
    (20, 0)
    """

    mode: str | None = None
    learning_rate: float = 0.05
    window_size: int = 5
    vector_dim: int = 100
    min_count: int = 5
    negative_samples: int = 5
    epochs: int = 5
    sampling_threshold: float = 1e-4
    subwords: bool = False
    min_char: int = 3
    max_char: int = 6
    batch_size: int = 11
    buckets: int = 2_000_000
    evaluation: bool = True
    objective: str = "mean_rho"
    epoch_metrics: bool = True

    def __post_init__(self):
        if self.mode is not None and self.mode not in MODES:
            raise HyperparameterError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")
        _at_least("learning_rate", self.learning_rate, 0.0, strict=True)
        for name in ("window_size", "vector_dim", "epochs", "min_char", "batch_size", "buckets"):
            _at_least(name, getattr(self, name), 1)
        for name in ("min_count", "negative_samples"):
            _at_least(name, getattr(self, name), 0)
        if not 0.0 <= self.sampling_threshold < 1.0:
            raise HyperparameterError(
                f"sampling_threshold must be in [0, 1), got {self.sampling_threshold!r}"
            )
        if self.max_char < self.min_char:
            raise HyperparameterError(
                f"max_char ({self.max_char}) must be at least min_char ({self.min_char})"
            )
        if not isinstance(self.objective, str) or not self.objective.strip():
            raise HyperparameterError("objective must be a non-empty objective such as 'mean_rho'")

    @classmethod
    def from_strings(cls, raw: Mapping, *, require_mode: bool = True) -> Hyperparameters:
        """Parse SageMaker's string map (numbers and booleans may also be given as such)."""
        if not isinstance(raw, Mapping):
            raise HyperparameterError(f"hyperparameters must be a JSON object, got {type(raw).__name__}")
        values = {}
        for field in fields(cls):
            if field.name not in raw:
                continue
            text = raw[field.name]
            values[field.name] = _convert(field.name, field.default, text)
        if require_mode and values.get("mode") is None:
            raise HyperparameterError(
                f"the hyperparameter 'mode' is required; choose one of {', '.join(MODES)}"
            )
        return cls(**values)

    def gensim_options(self) -> dict:
        """Keyword arguments for gensim's ``Word2Vec`` / ``FastText``."""
        options = {
            "sg": 0 if self.mode == "cbow" else 1,
            "alpha": self.learning_rate,
            "window": self.window_size,
            "vector_size": self.vector_dim,
            "min_count": self.min_count,
            "negative": self.negative_samples,
            "hs": 0 if self.negative_samples > 0 else 1,
            "epochs": self.epochs,
            "sample": self.sampling_threshold,
        }
        if self.subwords:
            options.update(min_n=self.min_char, max_n=self.max_char, bucket=self.buckets)
        return options


def _at_least(name: str, value, low, *, strict: bool = False) -> None:
    if value < low or (strict and value == low):
        relation = "greater than" if strict else "at least"
        raise HyperparameterError(f"{name} must be {relation} {low}, got {value!r}")


def _convert(name: str, default, value):
    """``value`` (usually a string) converted to the type of ``default``."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(default, bool):
        if isinstance(text, bool):
            return text
        if isinstance(text, str) and text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE
        raise HyperparameterError(f"{name} must be true or false, got {value!r}")
    if isinstance(default, int):
        try:
            number = float(text)
        except (TypeError, ValueError):
            raise HyperparameterError(f"{name} must be an integer, got {value!r}") from None
        if isinstance(text, bool) or not number.is_integer():
            raise HyperparameterError(f"{name} must be an integer, got {value!r}")
        return int(number)
    if isinstance(default, float):
        try:
            number = float(text)
        except (TypeError, ValueError):
            raise HyperparameterError(f"{name} must be a number, got {value!r}") from None
        if isinstance(text, bool) or not math.isfinite(number):
            raise HyperparameterError(f"{name} must be a finite number, got {value!r}")
        return number
    if not isinstance(text, str):
        raise HyperparameterError(f"{name} must be a string, got {value!r}")
    return text


def read_hyperparameters(path: str | os.PathLike, *, require_mode: bool = True) -> Hyperparameters:
    """Read ``hyperparameters.json``; a missing file means all defaults."""
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
    except FileNotFoundError:
        raw = {}
    except (OSError, ValueError, RecursionError) as exc:
        raise HyperparameterError(f"cannot read {os.fspath(path)}: {exc}") from None
    return Hyperparameters.from_strings(raw, require_mode=require_mode)
