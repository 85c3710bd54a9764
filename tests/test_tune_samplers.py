"""Samplers and pruners by name (w2veval.tune._samplers), each driving a real Optuna study.

The objectives are cheap analytic functions of the hyperparameters: what is tested is the
sampler and pruner mechanics, not training. Expected values (the grid's points, the Pareto
front, which trials the median rule stops) are computed here from their definitions.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import sys

import numpy as np
import pytest

optuna = pytest.importorskip("optuna")

from w2veval.errors import speaking_to_cli  # noqa: E402
from w2veval.space import Categorical, Continuous, Integer, SearchSpace  # noqa: E402
from w2veval.tune import TuneError  # noqa: E402
from w2veval.tune._errors import quiet_optuna  # noqa: E402
from w2veval.tune._samplers import (  # noqa: E402
    PRUNERS,
    SAGEMAKER_STRATEGIES,
    SAMPLERS,
    grid,
    grid_size,
    make_pruner,
    make_sampler,
)
from w2veval.tune._space import distributions  # noqa: E402
from w2veval.tune._worker import _suggest as suggest  # noqa: E402

MIXED = SearchSpace(
    [
        Categorical("mode", ("cbow", "skipgram")),
        Integer("window_size", 2, 9),
        Continuous("learning_rate", 0.005, 0.05, "log"),
    ]
)
DISCRETE = SearchSpace(
    [
        Categorical("mode", ("cbow", "skipgram")),
        Integer("window_size", 2, 4),
        Categorical("subwords", (True, False)),
    ]
)
HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_CMAES = importlib.util.find_spec("cmaes") is not None
CLASSES = {
    "tpe": "TPESampler",
    "random": "RandomSampler",
    "grid": "GridSampler",
    "gp": "GPSampler",
    "cmaes": "CmaEsSampler",
    "nsga2": "NSGAIISampler",
}


def _needs(name: str):
    """The sampler ``name`` as a parameter, skipped when its package is missing."""
    marks = []
    if name == "gp":
        marks.append(pytest.mark.skipif(not HAS_TORCH, reason="the gp sampler needs PyTorch"))
    if name == "cmaes":
        marks.append(pytest.mark.skipif(not HAS_CMAES, reason="the cmaes sampler needs cmaes"))
    return pytest.param(name, marks=marks)


def _suggest(trial, space: SearchSpace) -> dict:
    """The parameters of one trial, suggested the way a tuning trial suggests them."""
    return suggest(trial, distributions(space))


def _score(params: dict) -> float:
    """A smooth analytic objective with its maximum at skipgram, window 6, lr 0.02."""
    lr = params.get("learning_rate", 0.02)
    return (
        -((params["window_size"] - 6) ** 2) / 10
        - (math.log(lr) - math.log(0.02)) ** 2
        + (params["mode"] == "skipgram")
    )


def _cost(params: dict) -> float:
    """A second objective (minimised) that competes with ``_score``: wide windows cost more."""
    return params["window_size"] * (2.0 if params["mode"] == "skipgram" else 1.0)


def _study(sampler, directions=("maximize",), pruner=None):
    return optuna.create_study(
        sampler=sampler, directions=list(directions), pruner=pruner or optuna.pruners.NopPruner()
    )


def _drive(name: str, space: SearchSpace, n_trials: int, seed: int = 3) -> list:
    with quiet_optuna():
        study = _study(make_sampler(name, seed=seed, space=space))
        study.optimize(lambda t: _score(_suggest(t, space)), n_trials=n_trials)
    return study.trials


@pytest.mark.parametrize("name", [_needs(n) for n in SAMPLERS if n != "grid"])
def test_sampler_drives_a_single_objective_study(name):
    trials = _drive(name, MIXED, 12)
    assert [t.state for t in trials] == [optuna.trial.TrialState.COMPLETE] * 12
    for t in trials:
        assert t.params["mode"] in ("cbow", "skipgram")
        assert 2 <= t.params["window_size"] <= 9 and isinstance(t.params["window_size"], int)
        assert 0.005 <= t.params["learning_rate"] <= 0.05
        assert t.value == pytest.approx(_score(t.params))
    assert type(make_sampler(name, seed=0, space=MIXED)).__name__ == CLASSES[name]
    # The seed decides: a second study with the same seed proposes the same parameters.
    assert [t.params for t in _drive(name, MIXED, 12)] == [t.params for t in trials]


@pytest.mark.parametrize("name", [_needs(n) for n in SAMPLERS if n != "cmaes"])
def test_sampler_drives_a_two_objective_study(name):
    space = DISCRETE if name == "grid" else MIXED
    with quiet_optuna():
        study = _study(
            make_sampler(name, seed=1, space=space, n_objectives=2), directions=("maximize", "minimize")
        )
        study.optimize(lambda t: (_score(p := _suggest(t, space)), _cost(p)), n_trials=12)
    points = [(t.number, t.values[0], t.values[1]) for t in study.trials]
    assert len(points) == 12
    front = {
        n for n, a, b in points if not any(a2 >= a and b2 <= b and (a2 > a or b2 < b) for _, a2, b2 in points)
    }
    assert {t.number for t in study.best_trials} == front


def test_grid_visits_exactly_the_cartesian_product():
    with quiet_optuna():
        study = _study(make_sampler("grid", seed=5, space=DISCRETE))
        # more trials than points: the grid sampler stops the study when all are tried
        study.optimize(lambda t: _score(_suggest(t, DISCRETE)), n_trials=50)
    expected = set(itertools.product(("cbow", "skipgram"), (2, 3, 4), (True, False)))
    visited = [(t.params["mode"], t.params["window_size"], t.params["subwords"]) for t in study.trials]
    assert len(visited) == len(expected) == 12
    assert set(visited) == expected
    assert grid_size(DISCRETE) == len(expected)
    assert grid(DISCRETE) == {
        "mode": ["cbow", "skipgram"],
        "window_size": [2, 3, 4],
        "subwords": [True, False],
    }


def test_grid_refuses_a_continuous_range():
    with pytest.raises(TuneError, match=r"learning_rate.*continuous.*Categorical\('learning_rate'"):
        make_sampler("grid", seed=0, space=MIXED)
    with speaking_to_cli(), pytest.raises(TuneError, match=r"--range learning_rate=a,b,c"):
        grid_size(MIXED)


def test_grid_refuses_a_long_integer_range():
    space = SearchSpace([Integer("buckets", 1, 101)])
    with speaking_to_cli(), pytest.raises(TuneError, match=r"buckets.*101 values.*--range buckets=a,b,c"):
        make_sampler("grid", seed=0, space=space)
    assert grid_size(SearchSpace([Integer("buckets", 1, 100)])) == 100


def test_gp_without_torch_is_refused_before_any_trial(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(TuneError, match=r"the gp sampler needs PyTorch.*pip install torch"):
        make_sampler("gp", seed=0, space=MIXED)


def test_cmaes_is_refused_for_several_objectives_and_without_its_package(monkeypatch):
    with pytest.raises(TuneError, match=r"cmaes sampler optimises one objective, not 2"):
        make_sampler("cmaes", seed=0, space=MIXED, n_objectives=2)
    monkeypatch.setitem(sys.modules, "cmaes", None)
    with pytest.raises(TuneError, match=r"needs the package 'cmaes': pip install cmaes"):
        make_sampler("cmaes", seed=0, space=MIXED)


def test_unknown_names_list_the_choices():
    with pytest.raises(
        TuneError,
        match=r"unknown sampler 'bayesian'; choose one of tpe, random, grid, "
        r"gp, cmaes, nsga2",
    ):
        make_sampler("bayesian", seed=0, space=MIXED)
    with pytest.raises(TuneError, match=r"unknown pruner 'asha'; choose one of none, median, hyperband"):
        make_pruner("asha")
    with pytest.raises(TuneError, match=r"n_objectives must be a positive integer"):
        make_sampler("tpe", seed=0, space=MIXED, n_objectives=0)


def test_sagemaker_strategies_name_known_samplers_and_pruners():
    assert set(SAGEMAKER_STRATEGIES) == {"Bayesian", "Random", "Grid", "Hyperband"}
    for pairs in SAGEMAKER_STRATEGIES.values():
        for sampler, prune in pairs:
            assert sampler in SAMPLERS and prune in PRUNERS
    assert "hyperband" in {p for _, p in SAGEMAKER_STRATEGIES["Hyperband"]}


def test_pruning_is_refused_for_several_objectives():
    assert make_pruner("none", n_objectives=3) is None
    for name in ("median", "hyperband"):
        with speaking_to_cli(), pytest.raises(TuneError, match=r"this study has 2.*--prune none"):
            make_pruner(name, n_objectives=2)


def _run_pruned(pruner, qualities, epochs=5):
    """One trial per quality: reports ``quality + epoch / 100`` after each epoch (from 1).

    Returns ``[(state, last_step)]``.
    """
    with quiet_optuna():
        study = _study(optuna.samplers.RandomSampler(seed=0), pruner=pruner)
        for q in qualities:
            trial = study.ask()
            state = optuna.trial.TrialState.COMPLETE
            for epoch in range(1, epochs + 1):
                trial.report(q + epoch / 100, epoch)
                if trial.should_prune():
                    state = optuna.trial.TrialState.PRUNED
                    break
            study.tell(
                trial, q + epoch / 100 if state == optuna.trial.TrialState.COMPLETE else None, state=state
            )
    return [(t.state, t.last_step) for t in study.trials]


def test_median_pruner_stops_the_trials_below_the_median():
    qualities = [0.5, 0.3, 0.7, 0.1, 0.9, 0.2, 0.8, 0.4, 0.6, 0.05, 0.95, 0.45, 0.55, 0.35]
    got = _run_pruned(make_pruner("median"), qualities)
    # The median stopping rule, from its definition: once 5 trials have finished, a trial
    # is stopped at the first epoch >= 2 where its best value so far is below the median
    # of the finished trials' values at that epoch. Values share the epoch offset, so
    # that is: quality below the median quality of the finished trials.
    finished, expected = [], []
    for q in qualities:
        if len(finished) >= 5 and q < np.median(finished):
            expected.append((optuna.trial.TrialState.PRUNED, 2))
        else:
            expected.append((optuna.trial.TrialState.COMPLETE, 5))
            finished.append(q)
    assert got == expected
    assert sum(s == optuna.trial.TrialState.PRUNED for s, _ in got) >= 3


def test_hyperband_stops_poor_trials_and_keeps_the_best():
    n = 20
    # Each trial worse than all before it: successive halving keeps the top third of a
    # rung (and the one trial that has no competitor yet), so all but the first trial of
    # each bracket are stopped; 5 epochs give floor(log3(5 + 1)) + 1 = 2 brackets.
    got = _run_pruned(make_pruner("hyperband"), [1 - i / n for i in range(n)])
    states = [s for s, _ in got]
    assert states[0] == optuna.trial.TrialState.COMPLETE
    n_brackets = math.floor(math.log(5 + 1, 3)) + 1
    assert states.count(optuna.trial.TrialState.PRUNED) >= n - 1 - n_brackets
    # trials are only ever stopped at a rung: epoch 1 * 3**k
    assert {step for s, step in got if s == optuna.trial.TrialState.PRUNED} <= {1, 3}


def test_hyperband_never_stops_the_best_trial():
    rng = np.random.default_rng(7)
    qualities = list(rng.permutation(np.linspace(0.0, 1.0, 24)))
    got = _run_pruned(make_pruner("hyperband"), qualities)
    best = int(np.argmax(qualities))
    assert got[best] == (optuna.trial.TrialState.COMPLETE, 5)
    pruned = [q for q, (s, _) in zip(qualities, got, strict=True) if s == optuna.trial.TrialState.PRUNED]
    assert len(pruned) >= 6
    # what was stopped is, on average, worse than what was kept
    kept = [q for q, (s, _) in zip(qualities, got, strict=True) if s == optuna.trial.TrialState.COMPLETE]
    assert np.mean(pruned) < np.mean(kept)
