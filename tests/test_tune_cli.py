"""``w2veval tune run|results`` as a user runs them: subprocesses, several worker processes on
a journal file, deterministic mode reproduced bit for bit and against gensim."""

from __future__ import annotations

import json
import os

import pytest

pytest.importorskip("optuna")

from test_tune import FIXED, SPACE, corpus_path, gensim_file, gensim_spearman, gensim_vectors

RANGES = [
    "--range",
    "mode=cbow,batch_skipgram",
    "--range",
    "vector_dim=10:20",
    "--range",
    "epochs=1:2",
    "--range",
    "learning_rate=0.01:0.05:log",
]
SETS = [arg for name, value in FIXED.items() for arg in ("--set", f"{name}={value}")]


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("W2VEVAL_HOME", str(folder))  # gensim's own ws353 and simlex999
    return folder


def _load(storage: str, study: str):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    return optuna.load_study(study_name=study, storage=storage)


def test_run_prints_the_table_and_results_reads_it_back(tmp_path, home, w2veval_cli):
    from w2veval.tune import results

    storage = f"sqlite:///{tmp_path / 'cli.db'}"
    done = w2veval_cli(
        "tune",
        "run",
        corpus_path(),
        "--trials",
        "2",
        "-g",
        "ws353",
        "-g",
        "simlex999",
        "--storage",
        storage,
        "--study",
        "cli",
        "--threads",
        "1",
        *RANGES,
        *SETS,
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "[I " not in done.stderr  # no Optuna log lines
    rows = json.loads(done.stdout)
    assert [set(r) for r in rows] == [
        {
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
        }
    ] * 2
    assert all(r["objective_std"] is None for r in rows)  # NaN (one repeat) as null
    table = results(storage, "cli")
    assert [r["trial"] for r in rows] == list(table["trial"])
    for row, expected in zip(rows, table.to_dict(orient="records"), strict=True):
        assert row["objective"] == expected["objective"] and row["ws353"] == expected["ws353"]

    again = w2veval_cli("tune", "results", "--storage", storage, "--study", "cli", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == rows

    csv = w2veval_cli("tune", "results", "--storage", storage, "--study", "cli", "--format", "csv")
    assert csv.stdout.splitlines()[0] == (
        "trial,state,objective,objective_std,ws353,simlex999,n_scored,coverage,rankable,note,mode,vector_dim,epochs,learning_rate,"
        "wall_seconds,cpu_seconds,words_per_second,peak_memory_mb"
    )
    assert len(csv.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    "args, message",
    [
        (["--jobs", "2", "--threads", "1"], "SQLite .* is not safe for 2 writing processes"),
        (["--range", "vector_dm=10:20"], "unknown hyperparameter 'vector_dm'; did you mean 'vector_dim'"),
        (["--objective", "1*ws353+", "--threads", "1"], "cannot parse objective"),
        (["--storage", "mongodb://127.0.0.1/x"], "unknown storage"),
    ],
)
def test_errors_are_one_line_and_write_nothing(tmp_path, home, w2veval_cli, args, message):
    import re

    if "--jobs" in args and (os.cpu_count() or 1) < 2:
        pytest.skip("needs two cores")
    storage = ["--storage", f"sqlite:///{tmp_path / 'x.db'}"] if "--storage" not in args else []
    done = w2veval_cli(
        "tune",
        "run",
        corpus_path(),
        "--trials",
        "1",
        *storage,
        *RANGES[2:],
        *SETS,
        "--set",
        "mode=cbow",
        *args,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("w2veval: error: ")
    assert re.search(message, done.stderr), done.stderr
    assert not (tmp_path / "x.db").exists()


def test_results_of_an_unknown_study_is_one_line(tmp_path, w2veval_cli):
    done = w2veval_cli("tune", "results", "--storage", f"journal://{tmp_path / 'none.log'}", "--study", "s")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "no journal file" in done.stderr and not (tmp_path / "none.log").exists()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="two workers need two cores")
def test_two_worker_processes_share_a_journal_file(tmp_path, home, w2veval_cli):
    storage = f"journal://{tmp_path / 'tune.log'}"
    done = w2veval_cli(
        "tune",
        "run",
        corpus_path(),
        "--trials",
        "4",
        "-g",
        "ws353",
        "--storage",
        storage,
        "--study",
        "two",
        "--jobs",
        "2",
        "--threads",
        "1",
        *RANGES,
        *SETS,
    )
    assert done.returncode == 0, done.stderr
    study = _load(_journal(tmp_path / "tune.log"), "two")
    trials = study.get_trials()
    assert sorted(t.number for t in trials) == [0, 1, 2, 3]
    assert {t.state.name for t in trials} == {"COMPLETE"}
    workers = {t.user_attrs["w2veval:pid"] for t in trials}
    assert len(workers) == 2  # both processes trained
    assert {t.user_attrs["w2veval:pid"] for t in trials}.isdisjoint({os.getpid()})
    lines = done.stdout.splitlines()  # the text table: header, rule, one line per trial
    assert lines[0].split() == [
        "trial",
        "state",
        "objective",
        "objective_std",
        "ws353",
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
    assert set(lines[1]) == {"-", " "} and len(lines) == 2 + 4 + 1
    assert lines[-1].startswith("total: 4 trials, ")


def _journal(path):
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    return JournalStorage(JournalFileBackend(str(path)))


def test_deterministic_mode_reproduces_every_trial_bit_for_bit(tmp_path, home):
    """The worker runs in its own process with PYTHONHASHSEED fixed; gensim, trained here in
    another process with one thread and the same seed, gives the very same score."""
    from w2veval.tune import run

    table = run(
        corpus_path(),
        "1*ws353",
        trials=2,
        storage=f"sqlite:///{tmp_path / 'det.db'}",
        study="det",
        seed=11,
        deterministic=True,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )
    assert list(table["state"]) == ["COMPLETE", "COMPLETE"]
    for row in table.to_dict(orient="records"):
        wv = gensim_vectors({k: row[k] for k in ("mode", "vector_dim", "epochs", "learning_rate")}, 11)
        assert row["ws353"] == pytest.approx(gensim_spearman(wv, gensim_file("ws353")), abs=1e-12)


def test_the_example_runs_end_to_end(tmp_path, home):
    import re
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "local_tuning.py"
    storage = f"sqlite:///{tmp_path / 'example.db'}"
    done = subprocess.run(
        [sys.executable, str(example), storage, "1"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:7] == [
        "trial",
        "state",
        "objective",
        "objective_std",
        "heldout_objective",
        "ws353:tune",
        "simlex999:tune",
    ]
    assert re.search(
        r"^no trial stands on enough pairs to rank; highest objective: "
        r"trial 0: objective -?[0-9.]+ ± [0-9.]+ \(2 seeds\), held-out -?[0-9.]+$",
        done.stdout,
        re.MULTILINE,
    )
    from w2veval.tune import results

    table = results(storage, "lee")
    assert list(table["state"]) == ["COMPLETE"]
    assert table["objective_std"].notna().all()  # two repeats


def test_results_has_the_defaults_of_run(tmp_path, home, monkeypatch, capsys):
    """No --storage, no --study: `tune results -g ...` reads what `tune run -g ...` wrote."""
    from w2veval.cli import main
    from w2veval.objective import Objective
    from w2veval.tune import DEFAULT_STORAGE, results

    monkeypatch.chdir(tmp_path)  # the default storage is a file in the working folder
    assert (
        main(
            [
                "tune",
                "run",
                str(corpus_path()),
                "--trials",
                "1",
                "-g",
                "ws353",
                "--threads",
                "1",
                *RANGES,
                *SETS,
                "--no-progress",
                "--format",
                "json",
            ]
        )
        == 0
    )
    ran = json.loads(capsys.readouterr().out)
    assert main(["tune", "results", "-g", "ws353", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == ran
    study = Objective(terms=((1, "ws353"),)).name
    assert len(results(DEFAULT_STORAGE, study)) == 1  # both used the default storage and study name
    assert main(["tune", "results", "-g", "simlex999"]) == 2  # another objective, another study
    assert "no study '1*simlex999'" in capsys.readouterr().err
