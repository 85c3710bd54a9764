"""Optuna samplers and pruners by name: what ``--sampler`` and ``--prune`` choose.

SageMaker's tuner calls its search *strategies* Bayesian, Random, Grid and Hyperband;
:data:`SAGEMAKER_STRATEGIES` says which sampler (and pruner) plays each part here. A grid
is built from the search space itself, so it can only hold finitely many values:
categorical ranges and integer ranges of at most :data:`MAX_GRID_INTEGERS` values.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

from ..errors import spelled
from ..space import Categorical, Continuous, Integer, SearchSpace
from ._errors import TuneError, import_optuna

if TYPE_CHECKING:
    import optuna

__all__ = [
    "MAX_GRID_INTEGERS",
    "PRUNERS",
    "SAGEMAKER_STRATEGIES",
    "SAMPLERS",
    "grid",
    "grid_size",
    "make_pruner",
    "make_sampler",
]

SAMPLERS = ("tpe", "random", "grid", "gp", "cmaes", "nsga2")
"""The names ``make_sampler`` (and ``--sampler``) accept; ``tpe`` is the default."""

PRUNERS = ("none", "median", "hyperband")
"""The names ``make_pruner`` (and ``--prune``) accept; ``none`` is the default."""

SAGEMAKER_STRATEGIES = {
    "Bayesian": (("tpe", "none"), ("gp", "none")),
    "Random": (("random", "none"),),
    "Grid": (("grid", "none"),),
    "Hyperband": (("tpe", "hyperband"),),
}
"""SageMaker's ``Strategy`` → the ``(sampler, prune)`` pairs that play its part, closest first.

SageMaker's Bayesian strategy fits a Gaussian process; ``gp`` is the closest, ``tpe``
(Optuna's default, no PyTorch needed) the usual stand-in. SageMaker's Hyperband is
early stopping within a random/Bayesian search, here ``tpe`` with Hyperband pruning.
"""

MAX_GRID_INTEGERS = 100
"""The most values an :class:`~w2veval.space.Integer` range may put in a grid."""


def make_sampler(
    name: str, *, seed: int, space: SearchSpace, n_objectives: int = 1
) -> optuna.samplers.BaseSampler:
    """The Optuna sampler called ``name``, seeded with ``seed``.

    Parameters
    ----------
    name : {"tpe", "random", "grid", "gp", "cmaes", "nsga2"}
        ``tpe``: Tree-structured Parzen Estimator (Optuna's default; single- and
        multi-objective). ``random``: independent uniform draws. ``grid``: every
        combination of :func:`grid`, in a seeded random order; a study stops by itself
        once each point has been tried. ``gp``: Gaussian-process Bayesian optimisation
        (needs PyTorch; single- and multi-objective). ``cmaes``: CMA-ES with margin, so
        integer hyperparameters do not freeze on one value (needs the ``cmaes`` package;
        single objective only; categorical hyperparameters are drawn at random).
        ``nsga2``: the NSGA-II genetic algorithm, meant for several objectives; its
        first generation (50 trials) is random, so it only pays off in long studies.
    seed : int
        Seeds the sampler: the same seed and history give the same proposals.
    space : SearchSpace
        The ranges searched; ``grid`` enumerates them, the others only check them.
    n_objectives : int, default 1
        How many objectives the study optimises.

    Raises
    ------
    TuneError
        An unknown name, a grid over a continuous (or too long integer) range, CMA-ES
        with several objectives, or a sampler whose package is not installed.

    Examples
    --------
    >>> from w2veval.space import Categorical, Integer, SearchSpace
    >>> space = SearchSpace([Categorical("mode", ["cbow", "skipgram"]), Integer("epochs", 1, 3)])
    >>> type(make_sampler("tpe", seed=0, space=space)).__name__
    'TPESampler'
    >>> type(make_sampler("grid", seed=0, space=space)).__name__
    'GridSampler'
    """
    if name not in SAMPLERS:
        raise TuneError(f"unknown sampler {name!r}; choose one of {', '.join(SAMPLERS)}")
    if isinstance(n_objectives, bool) or not isinstance(n_objectives, int) or n_objectives < 1:
        raise TuneError(f"n_objectives must be a positive integer, got {n_objectives!r}")
    samplers = import_optuna().samplers
    if name == "tpe":
        return samplers.TPESampler(seed=seed)
    if name == "random":
        return samplers.RandomSampler(seed=seed)
    if name == "grid":
        return samplers.GridSampler(grid(space), seed=seed)
    if name == "gp":
        _require(
            "torch",
            "the gp sampler needs PyTorch (CPU is enough): pip install torch "
            "--index-url https://download.pytorch.org/whl/cpu; or choose --sampler tpe",
        )
        return samplers.GPSampler(seed=seed)
    if name == "cmaes":
        if n_objectives > 1:
            raise TuneError(
                f"the cmaes sampler optimises one objective, not {n_objectives}; "
                "choose tpe, gp or nsga2 for several objectives"
            )
        _require("cmaes", "the cmaes sampler needs the package 'cmaes': pip install cmaes")
        with warnings.catch_warnings():  # Optuna flags with_margin as experimental
            warnings.simplefilter("ignore", import_optuna().exceptions.ExperimentalWarning)
            return samplers.CmaEsSampler(seed=seed, with_margin=True)
    return samplers.NSGAIISampler(seed=seed)


def _require(module: str, message: str) -> None:
    """Look for ``module`` now, so a missing package is an error before the first trial
    (Optuna imports it lazily, after the first trials have been trained)."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise TuneError(message)


def grid(space: SearchSpace) -> dict[str, list[Any]]:
    """``{name: values}`` for a grid search over ``space``, in the space's order.

    A :class:`~w2veval.space.Categorical` range gives its values, an
    :class:`~w2veval.space.Integer` range every integer from ``low`` to ``high`` (at most
    :data:`MAX_GRID_INTEGERS`). A :class:`~w2veval.space.Continuous` range has no
    grid: like SageMaker's Grid strategy, list the values to try instead.

    Examples
    --------
    >>> from w2veval.space import Categorical, Integer, SearchSpace
    >>> grid(SearchSpace([Categorical("mode", ["cbow", "skipgram"]), Integer("epochs", 1, 3)]))
    {'mode': ['cbow', 'skipgram'], 'epochs': [1, 2, 3]}
    """
    result: dict[str, list[Any]] = {}
    for name, r in space.items():
        if isinstance(r, Categorical):
            result[name] = list(r.values)
        elif isinstance(r, Integer):
            n = r.high - r.low + 1
            if n > MAX_GRID_INTEGERS:
                raise TuneError(
                    f"a grid over {name} would hold {n} values ({r.low} to {r.high}); "
                    f"give the values as {_listed(name, r.low, r.high)}"
                )
            result[name] = list(range(r.low, r.high + 1))
        elif isinstance(r, Continuous):
            raise TuneError(
                f"a grid needs listed values, but {name} is a continuous range "
                f"({r.low} to {r.high}); give the values as {_listed(name, r.low, r.high)}"
            )
        else:  # pragma: no cover - SearchSpace only holds the three kinds
            raise TuneError(f"{name}: cannot make a grid from {r!r}")
    return result


def _listed(name: str, low: float, high: float) -> str:
    """How the reader lists a few values of ``name`` (the range's ends, as an example)."""
    return spelled(
        f"--range {name}=a,b,c (e.g. --range {name}={low},{high})",
        f"Categorical({name!r}, [a, b, c]) (e.g. Categorical({name!r}, [{low!r}, {high!r}]))",
    )


def grid_size(space: SearchSpace) -> int:
    """How many points the grid over ``space`` has (see :func:`grid`).

    A study that asks for more trials than this ends after ``grid_size`` trials.

    Examples
    --------
    >>> from w2veval.space import Categorical, Integer, SearchSpace
    >>> grid_size(SearchSpace([Categorical("mode", ["cbow", "skipgram"]), Integer("epochs", 1, 3)]))
    6
    """
    return math.prod(len(values) for values in grid(space).values())


def make_pruner(name: str, *, n_objectives: int = 1) -> optuna.pruners.BasePruner | None:
    """The Optuna pruner called ``name``; ``None`` for ``"none"``.

    Trials report their objective after every epoch (step = epoch, from 1).

    ``median``: :class:`optuna.pruners.MedianPruner` with ``n_startup_trials=5``: the
    median of fewer finished trials is mostly the luck of the first draws, and five is
    half of TPE's ten random start-up trials, so pruning starts while TPE is still
    exploring; ``n_warmup_steps=2``: a trial can be stopped after its second epoch at the
    earliest, because the first epoch's score ranks configurations poorly. Measured on
    gensim's Lee corpus (24 random configurations, 5 epochs, Spearman on MEN + WS-353, three
    draws): the ranking after epoch 1 agreed with the final one at Spearman 0.24 to 0.74 and
    put 3 of the final top 6 below its median once; after epoch 2, 0.62 to 0.83 and at most
    1 of 6; after epoch 3, 0.91 to 0.95 and none. The final best was never below the
    median at any epoch. A trial is stopped when its best score so far is below the
    median of the finished trials' scores at the same epoch.

    ``hyperband``: :class:`optuna.pruners.HyperbandPruner` with ``min_resource=1`` epoch,
    ``max_resource="auto"`` (one more than the epochs of the trials finished when the
    first trial reports) and ``reduction_factor=3``: successive halving keeps the top
    third at epochs 1, 3, 9, ...; trials are spread over brackets that begin at epoch 1,
    3, 9, ... (5 epochs give two brackets), so not every trial risks the noisy early cut.

    Parameters
    ----------
    name : {"none", "median", "hyperband"}
    n_objectives : int, default 1
        Optuna prunes single-objective studies only.

    Returns
    -------
    optuna.pruners.BasePruner or None
        ``None`` for ``"none"``: trials then report nothing. Do not hand ``None`` to
        ``optuna.create_study`` as such, which would mean a ``MedianPruner``; pass
        ``pruner or optuna.pruners.NopPruner()``.

    Examples
    --------
    >>> make_pruner("none") is None
    True
    >>> type(make_pruner("hyperband")).__name__
    'HyperbandPruner'
    """
    if name not in PRUNERS:
        raise TuneError(f"unknown pruner {name!r}; choose one of {', '.join(PRUNERS)}")
    if name == "none":
        return None
    if n_objectives != 1:
        no_pruning = spelled("--prune none", "prune='none'")
        raise TuneError(
            f"pruning stops trials on one objective; this study has {n_objectives}. "
            f"Use {no_pruning} with several objectives"
        )
    pruners = import_optuna().pruners
    if name == "median":
        return pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=2)
    return pruners.HyperbandPruner(min_resource=1, max_resource="auto", reduction_factor=3)
