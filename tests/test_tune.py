"""Local tuning (w2veval.tune) in this process, checked against gensim trained and scored
independently: the same corpus, the hyperparameters mapped by hand from BlazingText's
documentation, ``KeyedVectors.evaluate_word_pairs`` on gensim's own WS-353 and SimLex-999."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest

import w2veval
import w2veval.goldsets

pytest.importorskip("optuna")

from w2veval.space import BLAZINGTEXT_RANGES, Categorical, Continuous, Integer, SearchSpace
from w2veval.tune import (
    StudyNotFoundError,
    TuneError,
    distributions,
    results,
    run,
    space_from_parameter_ranges,
)

SPACE = SearchSpace(
    [
        Categorical("mode", ("cbow", "batch_skipgram")),
        Integer("vector_dim", 10, 20),
        Integer("epochs", 1, 2),
        Continuous("learning_rate", 0.01, 0.05, "log"),
    ]
)
FIXED = {"min_count": 5, "window_size": 2}
GENSIM_FILES = {"ws353": "wordsim353.tsv", "simlex999": "simlex999.txt"}


def corpus_path() -> str:
    from gensim.test.utils import datapath

    return datapath("lee_background.cor")


def gensim_vectors(params: dict, seed: int):
    """Word2Vec trained by gensim directly: BlazingText's names mapped by hand (mode cbow is
    sg=0, batch_skipgram is skip-gram; BlazingText's defaults negative 5, sampling 1e-4)."""
    from gensim.models import Word2Vec

    with open(corpus_path(), encoding="utf-8") as fh:
        sentences = [line.split() for line in fh if line.split()]
    hp = {**FIXED, **params}
    model = Word2Vec(
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
    )
    return model.wv


def gensim_spearman(wv, path) -> float:
    """gensim's ``evaluate_word_pairs`` on the vector each gold word gets by w2veval's
    documented default rule, picked here by hand: the exact form, else the lower-case form,
    else the most frequent case variant. (The Lee corpus keeps its capitals, so gensim's
    own fold-first rule would give "tiger" the vector of a more frequent "Tiger".)"""
    import warnings

    from gensim.models import KeyedVectors

    rows = {}
    for line in open(path, encoding="utf-8"):
        if not line.startswith("#"):
            for word in line.split("\t")[:2]:
                candidates = [word, word.lower()] + [
                    w for w in wv.index_to_key if w.casefold() == word.casefold()
                ]
                rows[word] = next((wv.key_to_index[w] for w in candidates if w in wv.key_to_index), None)
    chosen = KeyedVectors(wv.vector_size)
    known = [w for w, row in rows.items() if row is not None]
    chosen.add_vectors(known, wv.vectors[[rows[w] for w in known]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(chosen.evaluate_word_pairs(str(path), case_insensitive=False)[1][0])


def gensim_file(name: str) -> str:
    from gensim.test.utils import datapath

    return datapath(GENSIM_FILES[name])


@pytest.fixture(scope="module")
def empty_home(tmp_path_factory):
    """An empty w2veval cache: ws353 and simlex999 are gensim's own copies."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("W2VEVAL_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def tuned(tmp_path_factory, empty_home):
    storage = f"sqlite:///{tmp_path_factory.mktemp('tune') / 'study.db'}"
    table = run(
        corpus_path(),
        "1*ws353+1*simlex999",
        trials=3,
        storage=storage,
        study="lee",
        repeats=2,
        seed=5,
        threads=1,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )
    return storage, table


# --- the search space -----------------------------------------------------------------------


def test_distributions_are_the_shared_space():
    import optuna.distributions as d

    dists = distributions(BLAZINGTEXT_RANGES)
    assert list(dists) == list(BLAZINGTEXT_RANGES)
    assert dists["mode"] == d.CategoricalDistribution(("batch_skipgram", "cbow"))
    assert dists["learning_rate"] == d.FloatDistribution(0.005, 0.05, log=True)
    assert dists["window_size"] == d.IntDistribution(5, 30)
    assert dists["min_count"] == d.IntDistribution(20, 50)
    assert distributions(SearchSpace([Integer("epochs", 1, 64, "log")]))["epochs"] == d.IntDistribution(
        1, 64, log=True
    )


def test_reverse_log_has_no_optuna_counterpart():
    space = SearchSpace([Continuous("sampling_threshold", 0.0001, 0.1, "reverse_log")])
    with pytest.raises(TuneError, match="reverse_log"):
        distributions(space)


def test_parameter_ranges_read_back_as_the_same_space():
    ranges = SPACE.to_parameter_ranges()
    assert space_from_parameter_ranges(ranges).to_parameter_ranges() == ranges
    with pytest.raises(TuneError, match="ScalingType"):
        space_from_parameter_ranges(
            {
                "IntegerParameterRanges": [
                    {"Name": "epochs", "MinValue": "1", "MaxValue": "3", "ScalingType": "Quadratic"}
                ]
            }
        )


# --- a study, checked against gensim ---------------------------------------------------------


def test_table_columns_in_the_contracted_order(tuned):
    _, table = tuned
    assert list(table.columns) == [
        "trial",
        "state",
        "objective",
        "objective_std",
        "ws353",
        "simlex999",
        "n_scored",
        "coverage",
        "rankable",
        "note",
        "mode",
        "vector_dim",
        "epochs",
        "learning_rate",
        "wall_seconds",
        "cpu_seconds",
        "words_per_second",
        "peak_memory_mb",
    ]
    assert sorted(table["trial"]) == [0, 1, 2]
    assert set(table["state"]) == {"COMPLETE"}
    for column in ("wall_seconds", "cpu_seconds", "words_per_second", "peak_memory_mb"):
        assert (table[column] > 0).all(), column


def test_rows_are_sorted_best_first(tuned):
    _, table = tuned
    values = list(table["objective"])
    assert values == sorted(values, reverse=True)


def test_every_trial_equals_gensim_trained_and_scored_independently(tuned):
    _, table = tuned
    for row in table.to_dict(orient="records"):
        params = {k: row[k] for k in ("mode", "vector_dim", "epochs", "learning_rate")}
        per_seed = {"ws353": [], "simlex999": []}
        for seed in (5, 6):  # seed, seed + 1: the two repeats
            wv = gensim_vectors(params, seed)
            for name in per_seed:
                per_seed[name].append(gensim_spearman(wv, gensim_file(name)))
        objectives = [(a + b) / 2 for a, b in zip(per_seed["ws353"], per_seed["simlex999"], strict=True)]
        assert row["objective"] == pytest.approx(np.mean(objectives), abs=1e-9)
        assert row["objective_std"] == pytest.approx(np.std(objectives, ddof=1), abs=1e-9)
        assert row["ws353"] == pytest.approx(np.mean(per_seed["ws353"]), abs=1e-9)
        assert row["simlex999"] == pytest.approx(np.mean(per_seed["simlex999"]), abs=1e-9)


def test_results_reads_the_same_table_back(tuned):
    import pandas.testing

    storage, table = tuned
    pandas.testing.assert_frame_equal(results(storage, "lee"), table)


def test_resume_runs_only_the_missing_trials_and_keeps_the_others(tuned, empty_home):
    storage, table = tuned
    as_text = {name: str(value) for name, value in FIXED.items()}  # as --set gives them: the same
    again = run(
        corpus_path(),
        "1*ws353+1*simlex999",
        trials=4,
        storage=storage,
        study="lee",
        repeats=2,
        seed=5,
        threads=1,
        space=SPACE,
        fixed=as_text,
        progress=False,
    )
    assert sorted(again["trial"]) == [0, 1, 2, 3]
    old = again[again["trial"] < 3].sort_values("trial").reset_index(drop=True)
    before = table.sort_values("trial").reset_index(drop=True)
    assert old.equals(before)


@pytest.mark.parametrize(
    "change, what",
    [
        ({"objective": "1*ws353"}, "objective"),
        ({"repeats": 3}, "repeats"),
        ({"fixed": {"min_count": 2, "window_size": 2}}, "fixed"),
    ],
)
def test_a_study_refuses_other_settings(tuned, change, what):
    storage, _ = tuned
    options = {
        "objective": "1*ws353+1*simlex999",
        "trials": 9,
        "storage": storage,
        "study": "lee",
        "repeats": 2,
        "seed": 5,
        "threads": 1,
        "space": SPACE,
        "fixed": FIXED,
        "progress": False,
    }
    options.update(change)
    before = len(results(storage, "lee"))  # 3, or 4 after the resume test ran in this worker
    with pytest.raises(TuneError, match=f"study 'lee' was run with {what}="):
        run(corpus_path(), options.pop("objective"), **options)
    assert len(results(storage, "lee")) == before  # nothing ran


# --- held-out scores ----------------------------------------------------------------------------


def test_heldout_scores_equal_gensim_on_each_part(tmp_path, empty_home):
    from w2veval import goldsets

    storage = f"sqlite:///{tmp_path / 'held.db'}"
    table = run(
        corpus_path(),
        "1*ws353",
        trials=2,
        storage=storage,
        study="held",
        threads=1,
        seed=1,
        heldout=0.5,
        heldout_seed=3,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )
    assert list(table.columns[:7]) == [
        "trial",
        "state",
        "objective",
        "objective_std",
        "heldout_objective",
        "ws353:tune",
        "ws353:heldout",
    ]
    assert table["objective_std"].isna().all()  # one repeat: no spread to report
    tune, held = goldsets.load("ws353").split(0.5, seed=3)
    files = {}
    for part in (tune, held):
        files[part.name] = tmp_path / f"{part.name.replace(':', '_')}.tsv"
        files[part.name].write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in part.pairs))
    for row in table.to_dict(orient="records"):
        wv = gensim_vectors({k: row[k] for k in ("mode", "vector_dim", "epochs", "learning_rate")}, 1)
        assert row["ws353:tune"] == pytest.approx(gensim_spearman(wv, files["ws353:tune"]), abs=1e-9)
        assert row["ws353:heldout"] == pytest.approx(gensim_spearman(wv, files["ws353:heldout"]), abs=1e-9)
        assert row["objective"] == row["ws353:tune"]
        assert row["heldout_objective"] == row["ws353:heldout"]


# --- failures -----------------------------------------------------------------------------------


def test_a_min_count_no_trial_can_be_scored_under_is_refused_before_the_study(tmp_path, empty_home):
    """Every trial would fail (an empty vocabulary): the pre-flight says so, and what to change,
    before the storage is written. The largest workable min_count is checked with gensim's own
    vocabulary: with it ws353 keeps two pairs, with one more it keeps fewer."""
    from gensim.models import Word2Vec

    storage = tmp_path / "fail.db"
    with pytest.raises(
        TuneError,
        match=r"^lee_background.cor has [0-9,]+ distinct words; with min_count "
        r"1000000 only 0 survive and ws353 has 0 of 353 pairs covered: no trial "
        r"can be scored; lower the min_count to ≤ (\d+)$",
    ) as refused:
        run(
            corpus_path(),
            "1*ws353",
            trials=2,
            storage=f"sqlite:///{storage}",
            study="f",
            threads=1,
            space=SPACE,
            fixed={"min_count": 10**6},
            progress=False,
        )
    assert not storage.exists()
    largest = int(str(refused.value).rsplit(" ", 1)[1])
    with open(corpus_path(), encoding="utf-8") as fh:
        sentences = [line.split() for line in fh if line.split()]
    gold = w2veval.goldsets.load("ws353")
    for min_count, enough in ((largest, True), (largest + 1, False)):
        model = Word2Vec(min_count=min_count, workers=1)
        model.build_vocab(sentences)
        known = {w.casefold() for w in model.wv.key_to_index}
        pairs = sum(a.casefold() in known and b.casefold() in known for a, b, _ in gold.pairs)
        assert (pairs >= 2) is enough, (min_count, pairs)


def _no_files(folder) -> bool:
    return not any(folder.iterdir())


def test_bad_calls_fail_before_a_storage_is_written(tmp_path, empty_home):
    from w2veval import GoldSetNotFoundError
    from w2veval.tune import available_cores

    storage = f"sqlite:///{tmp_path / 'x.db'}"
    options = {"trials": 1, "storage": storage, "space": SPACE, "fixed": FIXED, "progress": False}
    with pytest.raises(TuneError, match="cores"):
        run(corpus_path(), "1*ws353", jobs=available_cores() + 1, **options)
    with pytest.raises(TuneError, match="cores"):
        run(corpus_path(), "1*ws353", threads=available_cores() + 1, **options)
    with pytest.raises(TuneError, match="one thread"):
        run(corpus_path(), "1*ws353", threads=2, deterministic=True, **options)
    with pytest.raises(TuneError, match="did you mean 'min_count'"):
        run(corpus_path(), "1*ws353", **{**options, "fixed": {"min_cout": 2, "window_size": 2}})
    with pytest.raises(TuneError, match="both searched and fixed"):
        run(corpus_path(), "1*ws353", **{**options, "fixed": {"epochs": 2}})
    with pytest.raises(TuneError, match="does not exist") as missing:
        run(tmp_path / "nope.txt", "1*ws353", **options)
    assert "nope.txt" in str(missing.value)
    with pytest.raises(GoldSetNotFoundError):
        run(corpus_path(), "1*no-such-goldset-here", **options)
    with pytest.raises(TuneError, match="unknown storage"):
        run(corpus_path(), "1*ws353", **{**options, "storage": "redis://127.0.0.1/0"})
    assert _no_files(tmp_path)


@pytest.mark.skipif(os.cpu_count() < 2, reason="needs two cores for two workers")
def test_sqlite_refuses_several_worker_processes(tmp_path, empty_home):
    with pytest.raises(TuneError, match=r"SQLite .* not safe"):
        run(
            corpus_path(),
            "1*ws353",
            trials=2,
            jobs=2,
            threads=1,
            storage=f"sqlite:///{tmp_path / 'x.db'}",
            space=SPACE,
            fixed=FIXED,
            progress=False,
        )
    assert _no_files(tmp_path)


def test_results_of_a_missing_storage_or_study(tmp_path, tuned):
    with pytest.raises(StudyNotFoundError, match="no SQLite file"):
        results(f"sqlite:///{tmp_path / 'none.db'}", "lee")
    with pytest.raises(StudyNotFoundError, match="no journal file"):
        results(f"journal://{tmp_path / 'none.log'}", "lee")
    assert _no_files(tmp_path)
    storage, _ = tuned
    with pytest.raises(StudyNotFoundError, match=r"no study 'le'.*did you mean 'lee'\?") as err:
        results(storage, "le")
    assert isinstance(err.value, KeyError)


# --- which trials count as dead -------------------------------------------------------------------


def test_a_killed_process_is_dead_and_a_reused_pid_is_not_the_old_process():
    from w2veval.tune._liveness import is_alive, process_start

    me = os.getpid()
    assert is_alive(me, process_start(me))
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    started = process_start(child.pid)
    assert is_alive(child.pid, started)
    if sys.platform.startswith("linux"):
        assert not is_alive(child.pid, started + 1)  # same pid, another start: not that process
    child.kill()
    child.wait()
    assert not is_alive(child.pid, started)


def test_cpu_budget_never_exceeds_the_cores():
    from w2veval.tune import cpu_budget

    for cores in (1, 2, 3, 8, 64):
        for jobs in range(1, cores + 1):
            threads = cpu_budget(jobs, None, cores=cores)
            assert threads >= 1 and jobs * threads <= cores
    with pytest.raises(TuneError):
        cpu_budget(3, None, cores=2)
    assert math.isfinite(cpu_budget(1, 1, cores=1))


def test_an_unreachable_database_is_a_storage_error_without_the_password():
    import socket

    from w2veval.tune import StorageError

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(
        StorageError, match=f"cannot open the storage postgresql://me@127.0.0.1:{port}/x"
    ) as err:
        results(f"postgresql://me:secret@127.0.0.1:{port}/x", "s")
    assert "secret" not in str(err.value) and isinstance(err.value, OSError)
