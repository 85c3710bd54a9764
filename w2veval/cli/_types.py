"""argparse type functions: numeric options are checked while the command line is parsed.

A bad value is then argparse's own usage error (exit 2, ``error: argument --ci: ...``)
before any file is read, instead of a failure deep in the library after minutes of work.

Examples
--------
>>> positive_int("3"), non_negative_int("0"), probability("0.95"), finite_float("-1.5")
(3, 0, 0.95, -1.5)
>>> positive_int("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a whole number at least 1, got '0'
>>> probability("1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a number between 0 and 1 (both excluded), got '1'
"""

from __future__ import annotations

import argparse
import math

__all__ = ["at_least", "positive_int", "non_negative_int", "seed", "probability", "finite_float",
           "ScaleAction"]

MAX_SEED = 2**32 - 1
"""numpy's and Optuna's seeds are 32-bit; a larger one would fail deep inside them."""


def _integer(text: str, minimum: int, maximum: int | None = None) -> int:
    try:
        value = int(text, 10)
    except (TypeError, ValueError):
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        bound = f"at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise argparse.ArgumentTypeError(f"must be a whole number {bound}, got {text!r}")
    return value


def at_least(minimum: int):
    """A type function for whole numbers of at least ``minimum``.

    Examples
    --------
    >>> at_least(2)("10")
    10
    """
    def whole_number(text: str) -> int:
        return _integer(text, minimum)

    whole_number.__name__ = f"at_least_{minimum}"
    whole_number.minimum = minimum
    return whole_number


def positive_int(text: str) -> int:
    """A whole number of at least 1 (a count of items, workers, trials)."""
    return _integer(text, 1)


positive_int.minimum = 1


def non_negative_int(text: str) -> int:
    """A whole number of at least 0."""
    return _integer(text, 0)


non_negative_int.minimum = 0


def seed(text: str) -> int:
    """A random seed: a whole number from 0 to 2**32 - 1."""
    return _integer(text, 0, MAX_SEED)


seed.minimum = 0


def finite_float(text: str) -> float:
    """A finite number (no NaN, no infinity)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def probability(text: str) -> float:
    """A number strictly between 0 and 1 (a confidence level, a share, a significance level)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    if not 0 < value < 1:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1 (both excluded), got {text!r}")
    return value


class ScaleAction(argparse.Action):
    """``--scale LOW HIGH``: two finite numbers with LOW below HIGH (type :func:`finite_float`)."""

    def __call__(self, parser, namespace, values, option_string=None):
        low, high = values
        if not low < high:
            raise argparse.ArgumentError(self, f"LOW must be below HIGH, got {low:g} {high:g}")
        setattr(namespace, self.dest, (low, high))
