"""One trial: train gensim on the corpus with BlazingText's hyperparameters, ``repeats`` times
with different seeds, and score each model on the objective (and its held-out part).

Training is :func:`w2veval.sagemaker._train.train_vectors`, the function the SageMaker job
uses, on a streamed :class:`~w2veval.sagemaker._train.Corpus`: the corpus is read from disk
once per epoch and never held in memory.
"""

from __future__ import annotations

import math
import re
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import W2VEvalError
from ..objective import Objective
from ..space import SearchSpace
from ._errors import TuneError

if TYPE_CHECKING:
    from .._typing import AnyGoldSet
    from ..sagemaker._hyperparameters import Hyperparameters
    from ._multi import MultiScorer

    OnStep = Callable[[int, float, bool], bool]
    """``on_step(epoch, objective, last) -> stop``: a trial's score after each epoch."""

__all__ = ["Pruned", "Scorer", "TrialFailed", "TuneConfig", "hyperparameters", "make_scorer", "run_trial"]


class TrialFailed(W2VEvalError, ValueError):
    """A trial that trained but whose objective is undefined (NaN); ``record`` holds what it measured."""

    def __init__(self, message: str, record: dict[str, Any]):
        super().__init__(message)
        self.record = record


class Pruned(Exception):
    """The pruner stopped a trial after ``step`` epochs; ``record`` holds what it measured."""

    def __init__(self, step: int, record: dict[str, Any]):
        super().__init__(f"pruned after epoch {step}")
        self.step, self.record = step, record


class _StopTraining(Exception):
    """Raised from gensim's epoch callback to end training early (gensim lets it through)."""


@dataclass(frozen=True)
class TuneConfig:
    """Everything a worker needs to run trials of one study; plain data, sent to
    worker processes as JSON."""

    corpus: str
    objective: Objective
    space: SearchSpace
    storage: str
    study: str
    trials: int
    fixed: dict[str, Any] = field(default_factory=dict)
    repeats: int = 1
    seed: int = 0
    threads: int = 1
    deterministic: bool = False
    heldout: float | None = None
    heldout_seed: int = 0
    goldset_options: dict[str, Any] = field(default_factory=dict)
    objectives: tuple[Objective | str, ...] = ()
    """Every objective of a multi-objective study, in order (:mod:`._objectives`); empty for
    one objective, which is ``objective``."""
    prune: str = "none"
    sampler: str = "tpe"

    @property
    def multi(self) -> bool:
        return len(self.objectives) > 1

    def to_dict(self) -> dict[str, Any]:
        """The config as JSON-ready data (what a worker process reads)."""
        from ._objectives import objective_to_json

        return {
            "corpus": self.corpus,
            "objective": self.objective.to_dict(),
            "objectives": [objective_to_json(o) for o in self.objectives],
            "prune": self.prune,
            "sampler": self.sampler,
            "space": self.space.to_parameter_ranges(),
            "order": list(self.space),
            "storage": self.storage,
            "study": self.study,
            "trials": self.trials,
            "fixed": dict(self.fixed),
            "repeats": self.repeats,
            "seed": self.seed,
            "threads": self.threads,
            "deterministic": self.deterministic,
            "heldout": self.heldout,
            "heldout_seed": self.heldout_seed,
            "goldset_options": dict(self.goldset_options),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TuneConfig:
        """The config :meth:`to_dict` wrote."""
        from ._objectives import objective_from_json
        from ._space import space_from_parameter_ranges

        data = dict(data)
        data["objective"] = Objective.from_dict(data["objective"])
        data["objectives"] = tuple(objective_from_json(o) for o in data.get("objectives", ()))
        space = space_from_parameter_ranges(data["space"])
        data["space"] = SearchSpace([space[name] for name in data.pop("order")])  # as the user gave it
        return cls(**data)

    def study_attrs(self) -> dict[str, Any]:
        """What a study must agree on for its trials to be comparable (checked on resume)."""
        from ._objectives import direction, objective_to_json

        multi = (
            {
                "w2veval:objectives": [objective_to_json(o) for o in self.objectives],
                "w2veval:directions": [direction(o) for o in self.objectives],
            }
            if self.multi
            else {}
        )
        return {
            **multi,
            "w2veval:objective": self.objective.to_dict(),
            "w2veval:space": self.space.to_parameter_ranges(),
            "w2veval:fixed": {k: self.fixed[k] for k in sorted(self.fixed)},
            "w2veval:repeats": self.repeats,
            "w2veval:seed": self.seed,
            "w2veval:heldout": self.heldout,
            "w2veval:heldout_seed": self.heldout_seed if self.heldout is not None else None,
        }


def hyperparameters(fixed: Mapping[str, Any], params: Mapping[str, Any]) -> Hyperparameters:
    """BlazingText :class:`~w2veval.sagemaker._hyperparameters.Hyperparameters` of one trial."""
    from ..sagemaker._hyperparameters import Hyperparameters

    return Hyperparameters.from_strings({**fixed, **params}, require_mode=True)


class Scorer:
    """The objective's gold sets, loaded once per worker, split when ``heldout`` is set.

    ``columns`` names one score per scored gold set (or part): the gold set's name,
    ``ws353:tune``/``ws353:heldout`` for a split, ``simverb3500-dev``/``-test`` for a
    published one.
    """

    def __init__(
        self,
        objective: Objective,
        heldout: float | None = None,
        heldout_seed: int = 0,
        goldset_options: dict[str, Any] | None = None,
    ):
        from ..goldsets import load, tuning_split
        from ..scoring._evaluate import goldset_kind, with_file_options

        self.objective = objective
        self.weights = list(objective.shares)  # normalised: huge or subnormal weights stay exact
        specs = with_file_options([t.goldset for t in objective.terms], goldset_options)
        # Every set is read once here (a task's texts, a categorization's words), never per trial.
        loaded = [load(spec) for spec in specs]
        for goldset in loaded:
            if objective.metric_for(goldset_kind(goldset)) is None:
                raise TuneError(
                    f"{goldset.name} is an analogy set; an objective combines word-pair "
                    "correlations and the metrics of categorization, outlier and "
                    "classification sets"
                )
        self.tune: list[AnyGoldSet]
        self.held: list[AnyGoldSet]
        if heldout is None:
            self.tune, self.held = loaded, []
        else:
            other = [g.name for g in loaded if goldset_kind(g) in _NOT_PAIRS]
            if other:
                raise TuneError(
                    f"a held-out split cuts word-pair gold sets only, and {', '.join(other)} "
                    f"{'is not one' if len(other) == 1 else 'are not'}; tune without heldout, "
                    "or score the best model on a separate task file afterwards"
                )
            parts = [tuning_split(spec, test_size=heldout, seed=heldout_seed) for spec in specs]
            self.tune, self.held = [p[0] for p in parts], [p[1] for p in parts]
        self.columns = _unique(
            [g.name for g in self.tune + self.held],
            [t.goldset for t in objective.terms] * (2 if self.held else 1),
        )
        self.metrics = {
            c: objective.metric_for(goldset_kind(g))
            for c, g in zip(self.columns, self.tune + self.held, strict=True)
        }
        """The metric each score column holds (``spearman``, ``macro_f1``, ``purity``, ...)."""

    def score(self, vectors: Any) -> dict[str, Any]:
        """``{"objective", "heldout_objective", "scores": {column: score}, "n_scored": {column:
        pairs scored}, "n_pairs": {column: pairs}, "warnings"}``."""
        from ..scoring import evaluate_rows

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rows = evaluate_rows(vectors, self.tune + self.held, oov=self.objective.oov, pvalues=False)
        scores = [_number(row.get(self.objective.metric_for(row.get("kind")), math.nan)) for row in rows]
        n = len(self.tune)
        return {
            "objective": _combine(self.weights, scores[:n]),
            "heldout_objective": _combine(self.weights, scores[n:]) if self.held else None,
            "scores": dict(zip(self.columns, scores, strict=True)),
            "n_scored": {c: int(row["n_scored"]) for c, row in zip(self.columns, rows, strict=True)},
            "n_pairs": {c: int(row["n_pairs"]) for c, row in zip(self.columns, rows, strict=True)},
            "warnings": [" ".join(str(w.message).split()) for w in caught],
        }


_NOT_PAIRS = ("classification", "categorization", "outlier")
"""The kinds scored by something other than a correlation over pairs."""


def _number(value: Any) -> float:
    """A row's value as a float; None (an undefined metric) is NaN."""
    return math.nan if value is None else float(value)


RESERVED_COLUMNS = frozenset(
    {
        "trial",
        "state",
        "objective",
        "objective_std",
        "heldout_objective",
        "pareto_optimal",
        "n_scored",
        "coverage",
        "rankable",
        "note",
        "steps",
        "seconds",
        "wall_seconds",
        "cpu_seconds",
        "words_per_second",
        "peak_memory_mb",
        "cost",
    }
)
"""Columns of the results table that a gold set's score column may not take."""


def _reserved(name: str) -> bool:
    return name in RESERVED_COLUMNS or re.fullmatch(r"objective_[0-9]+", name) is not None


def _unique(names: list[str], fallbacks: list[str]) -> list[str]:
    """Column names, the fallback (the term as written) where two gold sets share a name or
    a gold set is named like a column of the results table (``cost``, ``objective_1``)."""
    result: list[str] = []
    for name, fallback in zip(names, fallbacks, strict=True):
        if _reserved(name) or name in result:
            name = (
                fallback
                if not _reserved(fallback) and fallback not in result
                else f"{fallback}#{len(result)}"
            )
        result.append(name)
    return result


def _combine(weights: list[float], scores: list[float]) -> float:
    """``Σ w·score / Σ w`` as :meth:`Objective.evaluate` computes it; NaN if a score is."""
    if any(math.isnan(s) for s in scores):
        return math.nan
    return math.fsum(w * s for w, s in zip(weights, scores, strict=True)) / math.fsum(weights)


def _mean_std(values: list[float]) -> tuple[float, float]:
    import numpy as np

    array = np.asarray(values, dtype=np.float64)
    mean = float(array.mean())
    std = float(array.std(ddof=1)) if len(array) > 1 else math.nan
    return mean, std


def make_scorer(config: TuneConfig) -> Scorer | MultiScorer:
    """The scorer of ``config``: a :class:`Scorer`, or a :class:`~._multi.MultiScorer` for
    several objectives."""
    if config.multi:
        from ._multi import MultiScorer

        return MultiScorer(config.objectives, config.goldset_options)
    return Scorer(config.objective, config.heldout, config.heldout_seed, config.goldset_options)


def run_trial(
    config: TuneConfig,
    scorer: Scorer | MultiScorer,
    params: Mapping[str, Any],
    *,
    on_step: OnStep | None = None,
) -> dict[str, Any]:
    """Train ``config.repeats`` models (seeds ``seed``, ``seed + 1``, ...) and score each.

    Parameters
    ----------
    config : TuneConfig
    scorer : Scorer or MultiScorer
    params : dict
        The searched hyperparameters of this trial.
    on_step : callable, optional
        ``on_step(epoch, objective) -> bool`` after every epoch of the first repeat (the
        last epoch's value is the trained model's); returning True stops the trial
        (pruning), which raises :class:`Pruned`.

    Returns
    -------
    dict
        The trial's record: ``objective`` (mean over the repeats), ``objective_std``
        (sample standard deviation, NaN for one repeat), ``objective_values``,
        ``heldout_objective`` and ``heldout_values`` (or ``None``), ``values`` (one per
        objective of a multi-objective study), ``scores`` (mean per gold set),
        ``n_scored`` (pairs scored per gold set, the fewest over the repeats) and
        ``n_pairs``, ``steps`` (epochs reported to the pruner, or None), the costs
        ``train_seconds``, ``score_seconds``, ``wall_seconds``, ``cpu_seconds``,
        ``peak_memory_mb`` (with ``peak_memory_scope``), ``words_per_second``, and
        ``warnings``.

    Raises
    ------
    W2VEvalError
        Hyperparameters out of range, a corpus that trains no model, or an objective
        that is NaN.
    Pruned
        ``on_step`` asked to stop.
    """
    from ._multi import MultiScorer
    from ._resources import measure

    hp = hyperparameters(config.fixed, params)
    outcomes: list[dict[str, Any]] = []
    times: dict[str, float] = {"train_seconds": 0.0, "score_seconds": 0.0, "words": 0}
    with measure() as usage:
        try:
            for repeat in range(config.repeats):
                outcomes.append(
                    _one_model(config, scorer, hp, repeat, times, on_step if repeat == 0 else None)
                )
        except _StopTraining as stop:
            step, outcome = stop.args
    costs = _costs(usage.result(), times)
    if len(outcomes) < config.repeats:  # stopped by the pruner
        record = {**_record(scorer, [outcome]), **costs, "steps": step}
        raise Pruned(step, record)
    record = {**_record(scorer, outcomes), **costs, "steps": hp.epochs if on_step is not None else None}
    if isinstance(scorer, MultiScorer):  # several objectives (config.multi)
        record["values"] = scorer.values(outcomes, record)
    if scorer.held:
        held = [o["heldout_objective"] for o in outcomes]
        record["heldout_objective"], record["heldout_values"] = _mean_std(held)[0], held
    undefined = [v for v in record.get("values") or [record["objective"]] if math.isnan(v)]
    if undefined:
        # The record goes with the error: the scores that are defined still go into the study.
        raise TrialFailed(
            "the objective is NaN: " + ("; ".join(record["warnings"]) or "a gold set has no defined score"),
            record,
        )
    return record


def _one_model(
    config: TuneConfig,
    scorer: Scorer | MultiScorer,
    hp: Hyperparameters,
    repeat: int,
    times: dict[str, float],
    on_step: OnStep | None,
) -> dict[str, Any]:
    """Train and score one model; report its epochs to ``on_step`` (first repeat, pruning)."""
    from ..sagemaker._train import Corpus, train_vectors

    def after_epoch(epoch: int, wv: Any) -> None:
        if on_step is None or epoch >= hp.epochs:
            return  # the trained model is scored below, once
        times["words"] += _vocabulary_words(wv) * (epoch - times.get("epochs_counted", 0))
        times["epochs_counted"] = epoch
        scoring = time.perf_counter()
        outcome = scorer.score(wv)
        scored[0] += time.perf_counter() - scoring
        if on_step(epoch, outcome["objective"], False):
            raise _StopTraining(epoch, outcome)

    scored = [0.0]  # seconds spent scoring between epochs: scoring, not training
    start = time.perf_counter()
    try:
        wv = train_vectors(
            Corpus(config.corpus),
            hp,
            workers=config.threads,
            seed=config.seed + repeat,
            on_epoch=after_epoch if on_step is not None else None,
        )
    finally:
        times["train_seconds"] += time.perf_counter() - start - scored[0]
        times["score_seconds"] += scored[0]
    times["words"] += _vocabulary_words(wv) * (hp.epochs - times.pop("epochs_counted", 0))
    trained = time.perf_counter()
    outcome = scorer.score(wv)
    del wv
    times["score_seconds"] += time.perf_counter() - trained
    if on_step is not None:
        on_step(hp.epochs, outcome["objective"], True)  # the last value is reported, never pruned on
    return outcome


def _vocabulary_words(wv: Any) -> int:
    """Corpus tokens of the vocabulary's words (reaching min_count, before subsampling)."""
    counts = wv.expandos.get("count")
    return int(counts.sum()) if counts is not None else 0


def _record(scorer: Scorer | MultiScorer, outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    values = [o["objective"] for o in outcomes]
    mean, std = _mean_std(values)
    return {
        "objective": mean,
        "objective_std": std,
        "objective_values": values,
        "heldout_objective": None,
        "heldout_values": None,
        "scores": {c: _mean_std([o["scores"][c] for o in outcomes])[0] for c in scorer.columns},
        "n_scored": {c: min(o["n_scored"][c] for o in outcomes) for c in scorer.columns},
        "n_pairs": dict(outcomes[0]["n_pairs"]),
        "warnings": sorted({w for o in outcomes for w in o["warnings"]}),
    }


def _costs(usage: Mapping[str, float | str], times: Mapping[str, float]) -> dict[str, Any]:
    from ._resources import words_per_second

    return {
        "train_seconds": times["train_seconds"],
        "score_seconds": times["score_seconds"],
        **usage,
        "words_per_second": words_per_second(times["words"], times["train_seconds"]),
    }
