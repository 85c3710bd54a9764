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
import re

__all__ = [
    "MAX_RESAMPLES",
    "ScaleAction",
    "accept_negative_numbers",
    "at_least",
    "codec",
    "column_triple",
    "finite_float",
    "non_negative_int",
    "positive_int",
    "price",
    "probability",
    "rater_columns",
    "resamples",
    "seed",
]

MAX_SEED = 2**32 - 1
"""numpy's and Optuna's seeds are 32-bit; a larger one would fail deep inside them."""
MAX_RESAMPLES = 10_000_000
"""Bootstrap resamples: 80 MB of statistics per interval; more would run for days."""


def _integer(text: str, minimum: int, maximum: int | None = None) -> int:
    try:
        value = int(text, 10)
    except (TypeError, ValueError):
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        bound = f"at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise argparse.ArgumentTypeError(f"must be a whole number {bound}, got {text!r}")
    return value


class WholeNumber:
    """A type function for whole numbers from ``minimum`` (to ``maximum``), named like a function.

    ``minimum`` tells the command line's tests which values the option must refuse.
    """

    def __init__(self, name: str, minimum: int, maximum: int | None = None) -> None:
        self.__name__ = name
        self.minimum = minimum
        self.maximum = maximum

    def __call__(self, text: str) -> int:
        return _integer(text, self.minimum, self.maximum)

    def __repr__(self) -> str:
        return self.__name__


def at_least(minimum: int, maximum: int | None = None) -> WholeNumber:
    """A type function for whole numbers of at least ``minimum`` (and at most ``maximum``).

    Examples
    --------
    >>> at_least(2)("10")
    10
    """
    return WholeNumber(f"at_least_{minimum}", minimum, maximum)


positive_int = WholeNumber("positive_int", 1)
"""A whole number of at least 1 (a count of items, workers, trials)."""

non_negative_int = WholeNumber("non_negative_int", 0)
"""A whole number of at least 0."""

seed = WholeNumber("seed", 0, MAX_SEED)
"""A random seed: a whole number from 0 to 2**32 - 1."""


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


def price(text: str) -> float:
    """A price per hour: a finite number of at least 0."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value >= 0):  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be a finite number of at least 0, got {text!r}")
    return value


class ScaleAction(argparse.Action):
    """``--scale LOW HIGH``: two finite numbers with LOW below HIGH (type :func:`finite_float`)."""

    def __call__(self, parser, namespace, values, option_string=None):
        low, high = values
        if not low < high:
            raise argparse.ArgumentError(self, f"LOW must be below HIGH, got {low:g} {high:g}")
        setattr(namespace, self.dest, (low, high))


def codec(text: str) -> str:
    """A text encoding Python knows (``utf-8``, ``latin-1``, ``utf-16``, ...).

    Examples
    --------
    >>> codec("Latin-1")
    'Latin-1'
    """
    import codecs

    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown text encoding {text!r}; e.g. utf-8, latin-1, cp1252, utf-16"
        ) from None
    return text


def column_triple(text: str) -> tuple[int, int, int]:
    """``W1,W2,SCORE``: three different 0-based column numbers.

    Examples
    --------
    >>> column_triple("0,1,3")
    (0, 1, 3)
    """
    parts = text.split(",")
    try:
        columns = tuple(int(part.strip(), 10) for part in parts)
    except ValueError:
        columns = ()
    if len(columns) != 3 or min(columns) < 0 or len(set(columns)) != 3:
        raise argparse.ArgumentTypeError(
            f"must be three different 0-based column numbers W1,W2,SCORE such as 0,1,3, got {text!r}"
        )
    return columns


def rater_columns(text: str) -> list[str | int]:
    """``A,B,3``: rater columns by header name or 0-based number.

    Examples
    --------
    >>> rater_columns("alice, bob,4")
    ['alice', 'bob', 4]
    """
    columns = [part.strip() for part in text.split(",")]
    if not all(columns):
        raise argparse.ArgumentTypeError(f"must be column names or numbers separated by commas, got {text!r}")
    return [int(c) if c.isascii() and c.isdigit() else c for c in columns]


def accept_negative_numbers(parser: argparse.ArgumentParser) -> None:
    """Let values such as ``-1e308`` and ``-.5`` follow an option of ``parser``.

    Python 3.11's argparse reads only ``-5`` and ``-0.5`` as numbers; anything else
    after a dash, ``-1e3`` included, would be taken for an unknown option.
    """
    parser._negative_number_matcher = re.compile(r"^-\.?\d")  # no option of ours starts so


resamples = at_least(2, MAX_RESAMPLES)
"""``--resamples``: 2 to :data:`MAX_RESAMPLES` bootstrap resamples."""


def share(text: str) -> float:
    """A share from 0 to 1, both included (``--min-coverage``)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    if not 0 <= value <= 1:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, got {text!r}")
    return value


min_pairs = at_least(2)
"""``--min-pairs``: the fewest scored pairs a ranking score stands on (2 or more)."""
