"""Pruning, several objectives, samplers and costs of ``w2veval.tune.run`` on real gensim
training (gensim's Lee corpus), checked against gensim trained per epoch by hand, Optuna's
own Pareto front, and a front computed here by brute force."""

from __future__ import annotations

import copy
import itertools
import json
import math

import numpy as np
import pytest

pytest.importorskip("optuna")

from test_tune import FIXED, SPACE, corpus_path, gensim_file, gensim_spearman

from w2veval.space import Categorical, Continuous, Integer, SearchSpace
from w2veval.tune import TuneError, results, run

# Learning rates from useless to good, three epochs: a pruner has poor trials to stop.
PRUNE_SPACE = SearchSpace(
    [
        Categorical("mode", ("cbow",)),
        Integer("vector_dim", 10, 12),
        Continuous("learning_rate", 0.0001, 0.05, "log"),
    ]
)
PRUNE_FIXED = {**FIXED, "epochs": 3}
LOW_RULE = {"min_pairs": 2, "min_coverage": 0.0}  # the Lee corpus covers few gold pairs


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("W2VEVAL_HOME", str(tmp_path / "home"))


def _study(storage: str, name: str):
    import optuna

    from w2veval.tune._storage import open_storage

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.load_study(study_name=name, storage=open_storage(storage, create=False))


def gensim_epoch_objectives(params: dict, seed: int) -> list[float]:
    """``(ws353 + simlex999) / 2`` of gensim's Word2Vec after each epoch, trained by hand
    with the BlazingText names mapped as tests/test_tune.py maps them."""
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    snapshots = []

    class Snapshot(CallbackAny2Vec):
        def on_epoch_end(self, model):
            snapshots.append(copy.deepcopy(model.wv))

    with open(corpus_path(), encoding="utf-8") as fh:
        sentences = [line.split() for line in fh if line.split()]
    hp = {**PRUNE_FIXED, **params}
    Word2Vec(
        sentences,
        sg=0 if hp["mode"] == "cbow" else 1,
        alpha=hp["learning_rate"],
        window=hp["window_size"],
        vector_size=hp["vector_dim"],
        min_count=hp["min_count"],
        negative=5,
        hs=0,
        epochs=hp["epochs"],
        sample=1e-4,
        workers=1,
        seed=seed,
        callbacks=[Snapshot()],
    )
    return [
        (gensim_spearman(wv, gensim_file("ws353")) + gensim_spearman(wv, gensim_file("simlex999"))) / 2
        for wv in snapshots
    ]


def brute_force_front(rows: list[dict], columns: list[str], directions: list[str]) -> set[int]:
    """The trials no other complete, rankable trial dominates, by a double loop."""
    sign = [1 if d == "maximize" else -1 for d in directions]
    pool = [r for r in rows if r["state"] == "COMPLETE" and r["rankable"]]

    def better_or_equal(a, b):
        return all(s * a[c] >= s * b[c] for s, c in zip(sign, columns, strict=True))

    front = set()
    for r in pool:
        if not any(
            better_or_equal(o, r) and any(s * o[c] > s * r[c] for s, c in zip(sign, columns, strict=True))
            for o in pool
        ):
            front.add(r["trial"])
    return front


# --- pruning ---------------------------------------------------------------------------------


def _storage(kind: str, tmp_path, request) -> str:
    if kind == "postgresql":
        return request.getfixturevalue("postgres").url
    return (
        f"journal:///{tmp_path / 'study.log'}" if kind == "journal" else f"sqlite:///{tmp_path / 'study.db'}"
    )


@pytest.mark.parametrize(
    "prune, kind",
    [("median", "sqlite"), ("hyperband", "sqlite"), ("hyperband", "journal"), ("median", "postgresql")],
)
def test_pruning_reports_gensims_per_epoch_objective_and_stops_poor_trials(tmp_path, prune, kind, request):
    storage = _storage(kind, tmp_path, request)
    if kind == "postgresql":  # one server for the module: a study name of its own
        prune_study = f"p-{prune}"
    else:
        prune_study = "p"
    table = run(
        corpus_path(),
        "1*ws353+1*simlex999",
        trials=10,
        storage=storage,
        study=prune_study,
        seed=1,
        threads=1,
        space=PRUNE_SPACE,
        fixed=PRUNE_FIXED,
        progress=False,
        prune=prune,
    )
    study = _study(storage, prune_study)
    states = {t.number: t.state.name for t in study.trials}
    assert "PRUNED" in states.values() and "COMPLETE" in states.values(), states
    checked = 0
    for trial in study.trials:
        if trial.number % 3:  # a third of them against gensim (each a full training)
            continue
        expected = gensim_epoch_objectives(trial.params, seed=1)
        reported = trial.intermediate_values
        assert sorted(reported) == list(range(1, max(reported) + 1))
        for step, value in reported.items():
            assert value == pytest.approx(expected[step - 1], abs=1e-9), (trial.number, step)
        checked += 1
    assert checked >= 3
    for row in table.to_dict(orient="records"):
        trial = study.trials[row["trial"]]
        assert row["steps"] == max(trial.intermediate_values)
        if row["state"] == "PRUNED":
            assert row["steps"] < 3 and not row["rankable"]
            assert row["note"].startswith(f"pruned after epoch {int(row['steps'])}")
            assert row["objective"] == pytest.approx(trial.intermediate_values[row["steps"]])
        else:
            assert row["steps"] == 3
    assert not table.iloc[0]["state"] == "PRUNED" or not table.iloc[0]["rankable"]


def test_median_pruning_stops_a_trial_only_below_the_median_of_earlier_trials(tmp_path):
    storage = f"sqlite:///{tmp_path / 'median.db'}"
    run(
        corpus_path(),
        "1*ws353+1*simlex999",
        trials=10,
        storage=storage,
        study="m",
        seed=2,
        threads=1,
        space=PRUNE_SPACE,
        fixed=PRUNE_FIXED,
        progress=False,
        prune="median",
    )
    study = _study(storage, "m")
    for trial in study.trials:
        if trial.state.name != "PRUNED":
            continue
        step = max(trial.intermediate_values)
        earlier = [
            t.intermediate_values[step]
            for t in study.trials
            if t.number < trial.number and t.state.name == "COMPLETE" and step in t.intermediate_values
        ]
        assert earlier and trial.intermediate_values[step] < np.median(earlier)


# --- several objectives ----------------------------------------------------------------------


def _multi(storage: str, study: str, **options):
    return run(
        corpus_path(),
        ["ws353", "simlex999", "cpu_seconds"],
        trials=6,
        storage=storage,
        study=study,
        seed=4,
        space=SPACE,
        fixed=FIXED,
        progress=False,
        **options,
    )


@pytest.mark.parametrize("kind", ["sqlite", "journal", "postgresql"])
def test_the_pareto_front_is_the_brute_force_front_on_every_storage(tmp_path, kind, request):
    storage = _storage(kind, tmp_path, request)
    options = {"threads": 1} if kind == "sqlite" else {"jobs": 2, "threads": 1}
    _multi(storage, f"front-{kind}", **options)
    table = results(storage, f"front-{kind}", **LOW_RULE)
    rows = table.to_dict(orient="records")
    assert list(table.columns[:6]) == [
        "trial",
        "state",
        "objective_1",
        "objective_2",
        "objective_3",
        "pareto_optimal",
    ]
    assert "objective" not in table.columns
    assert table.attrs["objectives"] == ["1*ws353", "1*simlex999", "cpu_seconds"]
    assert table.attrs["directions"] == ["maximize", "maximize", "minimize"]
    for row in rows:  # each objective is its gold set's score, or the measured cost
        assert row["objective_1"] == row["ws353"] and row["objective_2"] == row["simlex999"]
        assert row["objective_3"] == row["cpu_seconds"] > 0
    front = brute_force_front(
        rows, ["objective_1", "objective_2", "objective_3"], ["maximize", "maximize", "minimize"]
    )
    assert front and {r["trial"] for r in rows if r["pareto_optimal"]} == front
    assert {t.number for t in _study(storage, f"front-{kind}").best_trials} == front  # Optuna agrees
    flags = list(table["pareto_optimal"])
    assert flags == sorted(flags, reverse=True)  # the front first


def test_the_default_rule_keeps_unrankable_trials_off_the_front(tmp_path):
    storage = f"sqlite:///{tmp_path / 'rule.db'}"
    table = _multi(storage, "rule", threads=1)
    assert not table["rankable"].any()  # ws353 on the Lee corpus: too few pairs
    assert not table["pareto_optimal"].any()


def test_a_multi_objective_study_refuses_other_objectives_on_resume(tmp_path):
    storage = f"sqlite:///{tmp_path / 'resume.db'}"
    run(
        corpus_path(),
        ["ws353", "simlex999"],
        trials=1,
        storage=storage,
        study="s",
        space=SPACE,
        fixed=FIXED,
        progress=False,
        threads=1,
    )
    with pytest.raises(TuneError, match="directions maximize, maximize, not maximize, minimize"):
        run(
            corpus_path(),
            ["ws353", "cpu_seconds"],
            trials=2,
            storage=storage,
            study="s",
            space=SPACE,
            fixed=FIXED,
            progress=False,
            threads=1,
        )
    with pytest.raises(TuneError, match="objectives"):
        run(
            corpus_path(),
            ["ws353", "1*ws353+1*simlex999"],
            trials=2,
            storage=storage,
            study="s",
            space=SPACE,
            fixed=FIXED,
            progress=False,
            threads=1,
        )


@pytest.mark.parametrize(
    "options, message",
    [
        ({"objective": ["ws353", "simlex999"], "prune": "median"}, "pruning needs one objective"),
        ({"objective": ["ws353", "simlex999"], "heldout": 0.5}, "held-out split is for one objective"),
        ({"objective": ["ws353", "simlex999"], "sampler": "cmaes"}, "cmaes"),
        ({"objective": ["cpu_seconds", "wall_seconds"]}, "at least one objective must score gold sets"),
        ({"objective": ["ws353", "ws353"]}, "given twice"),
        ({"objective": "ws353", "sampler": "grid"}, "learning_rate"),
        ({"objective": "ws353", "sampler": "annealing"}, "unknown sampler"),
        ({"objective": "ws353", "prune": "sometimes"}, "unknown pruner"),
        ({"objective": "ws353", "price_per_hour": -1.0}, "price per hour"),
    ],
)
def test_impossible_strategies_fail_before_the_storage_is_written(tmp_path, options, message):
    db = tmp_path / "never.db"
    options = dict(options)
    objective = options.pop("objective")
    with pytest.raises(TuneError, match=message):
        run(
            corpus_path(),
            objective,
            trials=2,
            storage=f"sqlite:///{db}",
            space=SPACE,
            fixed=FIXED,
            progress=False,
            threads=1,
            **options,
        )
    assert not db.exists()


# --- samplers --------------------------------------------------------------------------------


def test_grid_runs_every_configuration_once_and_stops(tmp_path, capsys):
    space = SearchSpace(
        [
            Categorical("mode", ("cbow", "batch_skipgram")),
            Integer("vector_dim", 10, 11),
            Categorical("learning_rate", (0.01, 0.03)),
        ]
    )
    storage = f"sqlite:///{tmp_path / 'grid.db'}"
    table = run(
        corpus_path(),
        "1*ws353",
        trials=20,
        storage=storage,
        study="g",
        space=space,
        fixed={**FIXED, "epochs": 1},
        progress=False,
        threads=1,
        sampler="grid",
    )
    assert "the grid has 8 configurations" in capsys.readouterr().err
    seen = sorted((r["mode"], r["vector_dim"], r["learning_rate"]) for r in table.to_dict(orient="records"))
    assert seen == sorted(itertools.product(("cbow", "batch_skipgram"), (10, 11), (0.01, 0.03)))


def test_random_and_nsga2_samplers_run_real_trials(tmp_path):
    storage = f"sqlite:///{tmp_path / 's.db'}"
    single = run(
        corpus_path(),
        "1*ws353",
        trials=3,
        storage=storage,
        study="r",
        space=SPACE,
        fixed=FIXED,
        progress=False,
        threads=1,
        sampler="random",
    )
    assert set(single["state"]) == {"COMPLETE"} and len(single) == 3
    multi = run(
        corpus_path(),
        ["ws353", "train_seconds"],
        trials=3,
        storage=storage,
        study="n",
        space=SPACE,
        fixed=FIXED,
        progress=False,
        threads=1,
        sampler="nsga2",
    )
    assert set(multi["state"]) == {"COMPLETE"} and "pareto_optimal" in multi


# --- costs -----------------------------------------------------------------------------------


def test_costs_are_recorded_priced_and_totalled(tmp_path, w2veval_cli):
    storage = f"sqlite:///{tmp_path / 'cost.db'}"
    table = run(
        corpus_path(),
        "1*ws353",
        trials=2,
        storage=storage,
        study="c",
        space=SPACE,
        fixed=FIXED,
        progress=False,
        threads=1,
        price_per_hour=0.5,
    )
    study = _study(storage, "c")
    for row in table.to_dict(orient="records"):
        user = study.trials[row["trial"]].user_attrs
        assert row["cost"] == pytest.approx(row["wall_seconds"] / 3600 * 0.5)
        assert row["wall_seconds"] >= user["train_seconds"] > 0
        assert row["cpu_seconds"] > 0 and row["peak_memory_mb"] > 0
        assert row["words_per_second"] == pytest.approx(
            _vocabulary_tokens(row) * row["epochs"] / user["train_seconds"]
        )
    totals = table.attrs["totals"]
    assert totals["trials"] == 2
    assert totals["wall_seconds"] == pytest.approx(math.fsum(table["wall_seconds"]))
    assert totals["cost"] == pytest.approx(math.fsum(table["cost"]))

    shown = w2veval_cli(
        "tune", "results", "--storage", storage, "--study", "c", "--price-per-hour", "2", "--format", "json"
    )
    assert shown.returncode == 0, shown.stderr
    for row in json.loads(shown.stdout):
        assert row["cost"] == pytest.approx(row["wall_seconds"] / 3600 * 2)
    text = w2veval_cli("tune", "results", "--storage", storage, "--study", "c")
    assert text.stdout.splitlines()[-1].startswith("total: 2 trials, ")
    assert "cost" in text.stdout.splitlines()[-1] and "at 0.5 per hour" in text.stdout
    bad = w2veval_cli("tune", "results", "--storage", storage, "--study", "c", "--price-per-hour", "-3")
    assert bad.returncode == 2 and "price-per-hour" in bad.stderr and "Traceback" not in bad.stderr


def _vocabulary_tokens(row: dict) -> int:
    """Corpus tokens of the words reaching min_count, counted here from the file."""
    from collections import Counter

    with open(corpus_path(), encoding="utf-8") as fh:
        counts = Counter(token for line in fh for token in line.split())
    return sum(c for c in counts.values() if c >= FIXED["min_count"])


def test_the_cli_runs_several_objectives_and_marks_the_front(tmp_path, w2veval_cli):
    storage = f"sqlite:///{tmp_path / 'cli.db'}"
    done = w2veval_cli(
        "tune",
        "run",
        corpus_path(),
        "--trials",
        "3",
        "--storage",
        storage,
        "--objective",
        "ws353",
        "--objective",
        "simlex999",
        "--threads",
        "1",
        "--range",
        "vector_dim=10:20",
        "--range",
        "mode=cbow,batch_skipgram",
        *[a for k, v in FIXED.items() for a in ("--set", f"{k}={v}")],
        "--set",
        "epochs=1",
        "--sampler",
        "tpe",
        "--no-progress",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert all(isinstance(r["pareto_optimal"], bool) for r in rows) and len(rows) == 3
    read = w2veval_cli(
        "tune",
        "results",
        "--storage",
        storage,
        "--objective",
        "ws353",
        "--objective",
        "simlex999",
        "--format",
        "json",
        "--min-pairs",
        "2",
        "--min-coverage",
        "0",
    )
    assert read.returncode == 0, read.stderr
    again = json.loads(read.stdout)
    assert {r["trial"] for r in again if r["pareto_optimal"]} == brute_force_front(
        again, ["objective_1", "objective_2"], ["maximize", "maximize"]
    )
    refused = w2veval_cli(
        "tune",
        "run",
        corpus_path(),
        "--trials",
        "2",
        "--storage",
        storage,
        "--objective",
        "ws353",
        "--objective",
        "simlex999",
        "--prune",
        "hyperband",
    )
    assert refused.returncode == 2 and "pruning needs one objective" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_gold_set_named_like_a_cost_column_keeps_its_own_column(tmp_path):
    """A gold set called ``cost`` must not overwrite (or be overwritten by) the cost column."""
    import shutil

    named = tmp_path / "cost.tsv"
    shutil.copyfile(gensim_file("simlex999"), named)
    storage = f"sqlite:///{tmp_path / 'named.db'}"
    table = run(
        corpus_path(),
        f"1*simlex999+1*{named}",
        trials=1,
        storage=storage,
        study="named",
        space=SPACE,
        fixed=FIXED,
        progress=False,
        threads=1,
        price_per_hour=1.0,
    )
    assert len(set(table.columns)) == len(table.columns)
    row = table.iloc[0]
    assert row[str(named)] == pytest.approx(row["simlex999"])  # the same pairs, the same score
    assert row["cost"] == pytest.approx(row["wall_seconds"] / 3600)
