"""Scoring for a multi-objective study: one :class:`~._trial.Scorer` per gold-set objective,
their score columns merged, and a trial's value per objective."""

from __future__ import annotations

import math

from ._trial import Scorer, _mean_std

__all__ = ["MultiScorer"]


class MultiScorer:
    """The gold-set objectives of a study scored together.

    Each :class:`~w2veval.Objective` keeps its own gold sets, OOV policy and metrics. A
    gold set that two objectives score the same way (same metric, same OOV policy) is one
    column; otherwise the later one is ``NAME#k``. Resource objectives (``cpu_seconds``,
    ...) are read from the trial's measured costs by :meth:`values`.
    """

    held: list = []

    def __init__(self, objectives, goldset_options: dict | None = None):
        self.objectives = list(objectives)
        self.scorers = {
            i: Scorer(o, goldset_options=goldset_options)
            for i, o in enumerate(self.objectives)
            if not isinstance(o, str)
        }
        self.objective = next(iter(self.scorers.values())).objective
        self.tune = [g for s in self.scorers.values() for g in s.tune]
        self.columns, self.metrics, self._renamed = [], {}, {}
        seen = {}
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

    def score(self, vectors) -> dict:
        """As :meth:`Scorer.score`, plus ``"by_objective"``: each gold-set objective's value
        (``None`` for a resource objective); ``"objective"`` is the first gold-set one's."""
        result = {
            "scores": {},
            "n_scored": {},
            "n_pairs": {},
            "warnings": [],
            "by_objective": [],
            "heldout_objective": None,
        }
        for i, objective in enumerate(self.objectives):
            scorer = self.scorers.get(i)
            if scorer is None:
                result["by_objective"].append(None)
                continue
            outcome = scorer.score(vectors)
            result["by_objective"].append(outcome["objective"])
            for key in ("scores", "n_scored", "n_pairs"):
                for column, value in outcome[key].items():
                    result[key][self._renamed[(i, column)]] = value
            result["warnings"] += [w for w in outcome["warnings"] if w not in result["warnings"]]
        result["objective"] = next(v for v in result["by_objective"] if v is not None)
        return result

    def values(self, outcomes: list[dict], record: dict) -> list[float]:
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
