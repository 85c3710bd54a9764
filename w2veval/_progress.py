"""Progress bars for the steps that take more than a second (on stderr, never on stdout).

A bar appears only once its step has run for ``delay`` seconds (tqdm's ``delay``), so
quick calls print nothing. The environment variable ``W2VEVAL_PROGRESS_DELAY`` changes
that delay (``0`` shows every bar at once, which the tests use instead of timing).
"""

from __future__ import annotations

import os
import sys

__all__ = ["DEFAULT_DELAY", "delay", "steps"]

DEFAULT_DELAY = 1.0
"""Seconds a step runs before its bar is drawn."""


def delay() -> float:
    """The delay before a bar is drawn: ``W2VEVAL_PROGRESS_DELAY`` or :data:`DEFAULT_DELAY`.

    Examples
    --------
    >>> delay() >= 0
    True
    """
    try:
        value = float(os.environ.get("W2VEVAL_PROGRESS_DELAY", DEFAULT_DELAY))
    except ValueError:
        return DEFAULT_DELAY
    return value if value >= 0 else DEFAULT_DELAY


def steps(iterable, *, desc: str, progress: bool, total: int | None = None, unit: str = "step"):
    """``iterable``, counted by a tqdm bar on stderr when ``progress`` is true.

    Parameters
    ----------
    iterable : iterable
    desc : str
        What is being done, e.g. ``"report: bootstrap"``.
    progress : bool
        ``False`` returns ``iterable`` itself (no tqdm import, nothing printed).
    total : int, optional
        The number of items, when ``len(iterable)`` does not give it.
    unit : str, default "step"

    Examples
    --------
    >>> list(steps([1, 2], desc="toy", progress=False))
    [1, 2]
    """
    if not progress:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, total=total, unit=unit, delay=delay(), file=sys.stderr, leave=False)
