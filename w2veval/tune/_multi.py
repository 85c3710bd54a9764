"""Scoring for a multi-objective study: one :class:`~._trial.Scorer` per gold-set objective,
their score columns merged, and a trial's value per objective."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..objective import Objective
from ._trial import Scorer, _mean_std

if TYPE_CHECKING:
    from .._typing import AnyGoldSet

__all__ = ["MultiScorer"]


class MultiScorer:
    """The gold-set objectives of a study scored together.

    Each :class:`~w2veval.Objective` keeps its own gold sets, OOV policy and metrics. A
    gold set that two objectives score the same way (same metric, same OOV policy) is one
    column; otherwise the later one is ``NAME#k``. Resource objectives (``cpu_seconds``,
    ...) are read from the trial's measured costs by :meth:`values`.
    """

    def __init__(self, objectives: Iterable[Objective | str], goldset_options: dict | None = None):
        self.objectives = list(objectives)
        self.scorers = {
            i: Scorer(o, goldset_options=goldset_options)
            for i, o in enumerate(self.objectives)
            if not isinstance(o, str)
        }
        self.objective = next(iter(self.scorers.values())).objective
        self.tune = [g for s in self.scorers.values() for g in s.tune]
        self.held: list[AnyGoldSet] = []  # a multi-objective study has no held-out split
        self.columns: list[str] = []
        self.metrics: dict[str, str | None] = {}
        self._renamed: dict[tuple[int, str], str] = {}
        seen: dict[tuple[str, str | None, str], str] = {}
        for i, scorer in self.scorers.items():
            for column in scorer.columns:
                key = (column, scorer.metrics[column], scorer.objective.oov)
                name = seen.get(key)
                if name is None:
                    name = column if column not in self.columns else f"{column}#{len(self.columns)}"
                    seen[key] = name
                    self.columns.append(name)
                    self.metrics[name] = scorer.metrics[column]
                self._renamed[(i, column)] = name

    def score(self, vectors: Any) -> dict[str, Any]:
        """As :meth:`Scorer.score`, plus ``"by_objective"``: each gold-set objective's value
        (``None`` for a resource objective); ``"objective"`` is the first gold-set one's."""
        columns: dict[str, dict[str, Any]] = {"scores": {}, "n_scored": {}, "n_pairs": {}}
        said: list[str] = []
        by_objective: list[float | None] = []
        for i in range(len(self.objectives)):
            scorer = self.scorers.get(i)
            if scorer is None:
                by_objective.append(None)
                continue
            outcome = scorer.score(vectors)
            by_objective.append(outcome["objective"])
            for key, renamed in columns.items():
                for column, value in outcome[key].items():
                    renamed[self._renamed[(i, column)]] = value
            said += [w for w in outcome["warnings"] if w not in said]
        return {
            **columns,
            "warnings": said,
            "by_objective": by_objective,
            "heldout_objective": None,
            "objective": next(v for v in by_objective if v is not None),
        }

    def values(self, outcomes: list[dict], record: Mapping[str, Any]) -> list[float]:
        """One value per objective: a gold-set objective's mean over the repeats, a resource
        objective's measured cost from ``record``."""
        values = []
        for i, objective in enumerate(self.objectives):
            if isinstance(objective, str):
                value = record.get(objective)
                values.append(math.nan if value is None else float(value))
            else:
                values.append(_mean_std([o["by_objective"][i] for o in outcomes])[0])
        return values
