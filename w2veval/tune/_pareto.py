"""Which trials are Pareto-optimal: no other trial is at least as good on every objective and
better on one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["pareto_mask"]


def pareto_mask(
    values: Sequence[Sequence[float]], directions: Sequence[str], candidates: Sequence[bool] | None = None
) -> np.ndarray:
    """A boolean mask of the non-dominated rows of ``values`` among ``candidates``.

    Parameters
    ----------
    values : sequence of sequences of float
        One row per trial, one column per objective.
    directions : sequence of {"maximize", "minimize"}
        Each objective's direction.
    candidates : sequence of bool, optional
        Rows that may be on the front (complete, rankable); others are neither on it nor
        dominate. A candidate with a NaN value is not on the front either.

    Examples
    --------
    >>> pareto_mask([[1, 1], [2, 0], [0, 0], [1, 1]], ["maximize", "maximize"]).tolist()
    [True, True, False, True]
    >>> pareto_mask([[1, 5], [2, 9]], ["maximize", "minimize"]).tolist()
    [True, True]
    """
    points = np.asarray(values, dtype=np.float64).reshape(len(values), -1)
    sign = np.array([1.0 if d == "maximize" else -1.0 for d in directions])
    keep = np.ones(len(points), dtype=bool) if candidates is None else np.asarray(candidates, dtype=bool)
    keep &= ~np.isnan(points).any(axis=1)
    scored = points * sign  # now every objective is maximised
    mask = np.zeros(len(points), dtype=bool)
    index = np.flatnonzero(keep)
    for i in index:
        others = scored[index]
        dominated = ((others >= scored[i]).all(axis=1) & (others > scored[i]).any(axis=1)).any()
        mask[i] = not dominated
    return mask
