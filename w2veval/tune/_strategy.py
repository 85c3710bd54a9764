"""The checks that tie a study's objectives, sampler and pruner together, before anything runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..errors import option
from ._errors import TuneError

if TYPE_CHECKING:
    from ..objective import Objective
    from ..space import SearchSpace

__all__ = ["check_strategy"]


def check_strategy(
    objectives: Sequence[Objective | str],
    *,
    prune: str,
    sampler: str,
    heldout: float | None,
    space: SearchSpace,
    trials: int,
    say: Callable[[str], None],
) -> int:
    """Refuse combinations Optuna or w2veval cannot run; return the trials to run (a grid
    caps them at its size, with a message).

    Raises
    ------
    TuneError
        An unknown sampler or pruner, pruning or a held-out split with several objectives,
        CMA-ES with several objectives, a grid over a continuous range.
    """
    from ._samplers import PRUNERS, SAMPLERS, grid_size, make_pruner, make_sampler

    if prune not in PRUNERS:
        raise TuneError(f"unknown pruner {prune!r}; choose one of {', '.join(PRUNERS)}")
    if sampler not in SAMPLERS:
        raise TuneError(f"unknown sampler {sampler!r}; choose one of {', '.join(SAMPLERS)}")
    if len(objectives) > 1:
        if prune != "none":
            raise TuneError(
                f"pruning needs one objective (Optuna prunes single-objective trials only); "
                f"drop {option('prune', prune)} or give one {option('objective')}"
            )
        if heldout not in (None, False):
            raise TuneError(
                "a held-out split is for one objective; give one objective, or score the "
                "Pareto-optimal models on held-out sets afterwards"
            )
    make_sampler(sampler, seed=0, space=space, n_objectives=len(objectives))  # a missing package fails now
    make_pruner(prune, n_objectives=len(objectives))
    if sampler == "grid":
        size = grid_size(space)
        if trials > size:
            say(f"the grid has {size} configurations; the study stops after them, not after {trials}")
            return size
    return trials
