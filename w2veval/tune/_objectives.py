"""The objectives of a study: one (a single number to maximise) or several (a Pareto front).

An objective is an :class:`~w2veval.Objective` over gold sets (maximised) or the name of
something a trial costs, measured by :mod:`._resources`:

==================  ==========  =====================================================
name                direction   what
==================  ==========  =====================================================
``train_seconds``   minimise    wall seconds spent training (all repeats)
``wall_seconds``    minimise    wall seconds of the trial (training and scoring)
``cpu_seconds``     minimise    CPU seconds of the trial, every thread counted
``peak_memory_mb``  minimise    peak resident memory while the trial ran
``words_per_second`` maximise   corpus words trained per wall second of training
==================  ==========  =====================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..objective import Objective
from ._errors import TuneError

__all__ = [
    "RESOURCE_OBJECTIVES",
    "direction",
    "objective_from_json",
    "objective_name",
    "objective_to_json",
    "parse_objectives",
    "study_name",
]

RESOURCE_OBJECTIVES = {
    "train_seconds": "minimize",
    "wall_seconds": "minimize",
    "cpu_seconds": "minimize",
    "peak_memory_mb": "minimize",
    "words_per_second": "maximize",
}
"""Objectives measured on the trial rather than scored on gold sets, with their direction."""


def parse_objectives(objectives: Objective | str | Sequence[Objective | str]) -> list[Objective | str]:
    """``objectives`` (one, or a sequence) as a list of :class:`Objective` and resource names.

    Examples
    --------
    >>> [objective_name(o) for o in parse_objectives(["ws353-sim", "cpu_seconds"])]
    ['1*ws353-sim', 'cpu_seconds']
    """
    if isinstance(objectives, (str, Objective)):
        objectives = [objectives]
    if not isinstance(objectives, Sequence) or not objectives:
        raise TuneError(f"give one objective or a list of them, got {objectives!r}")
    parsed = [
        o.strip() if isinstance(o, str) and o.strip() in RESOURCE_OBJECTIVES else _parse(o)
        for o in objectives
    ]
    if not any(isinstance(o, Objective) for o in parsed):
        raise TuneError(
            "at least one objective must score gold sets; "
            f"{', '.join(map(objective_name, parsed))} "
            f"{'measures' if len(parsed) == 1 else 'measure'} only what a trial costs"
        )
    names = [objective_name(o) for o in parsed]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise TuneError(f"the objective {repeated[0]!r} is given twice")
    return parsed


def _parse(objective: Objective | str) -> Objective:
    """An objective; a bare gold-set name (``ws353-sim``) weighs 1, as in ``1*ws353-sim``."""
    from ..objective import ObjectiveError

    try:
        return Objective.parse(objective)
    except ObjectiveError:
        text = objective.strip() if isinstance(objective, str) else ""
        if not text or "*" in text or text.startswith(("{", "[")):
            raise
    try:
        return Objective.parse("1*" + text)
    except ObjectiveError:
        pass
    return Objective.parse(objective)  # the error of the text as written


def objective_name(objective: Objective | str) -> str:
    """How tables and messages name an objective."""
    return objective if isinstance(objective, str) else objective.name or objective.spec


def direction(objective: Objective | str) -> str:
    """``"maximize"`` for gold-set objectives, the resource's own direction otherwise."""
    return RESOURCE_OBJECTIVES[objective] if isinstance(objective, str) else "maximize"


def objective_to_json(objective: Objective | str) -> str | dict[str, Any]:
    """An objective as JSON: a resource's name, or :meth:`Objective.to_dict`."""
    return objective if isinstance(objective, str) else objective.to_dict()


def objective_from_json(data: str | Mapping[str, Any]) -> Objective | str:
    """An objective from :func:`objective_to_json`'s JSON."""
    return data if isinstance(data, str) else Objective.from_dict(data)


def study_name(objectives: Sequence[Objective | str]) -> str:
    """The default study name: the objective's name, or the names joined by `` vs ``."""
    return " vs ".join(objective_name(o) for o in objectives)
