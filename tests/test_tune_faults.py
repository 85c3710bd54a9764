"""Tuning faults, for real: a worker killed with SIGKILL mid-trial, then resumed by a new
process (SQLite and PostgreSQL); two worker processes on one PostgreSQL study, as on two
machines. PostgreSQL is a throwaway server started for this module (tests/_postgres.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytest.importorskip("optuna")

from test_tune import corpus_path

# Trials of about a second (three epochs of skip-gram), so that the kill lands mid-trial.
SLOW = [
    "--range",
    "vector_dim=16:24",
    "--range",
    "learning_rate=0.01:0.05:log",
    "--set",
    "mode=batch_skipgram",
    "--set",
    "epochs=3",
    "--set",
    "min_count=5",
    "--set",
    "window_size=3",
    "--threads",
    "1",
    "-g",
    "ws353",
    "--no-progress",
]


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return dict(os.environ, W2VEVAL_HOME=str(home))


def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "w2veval", "tune", "run", corpus_path(), *map(str, args), *SLOW]


def _study(storage: str, name: str):
    import optuna
    from optuna.storages import RDBStorage

    from w2veval.tune._storage import _with_driver

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    if storage.startswith("postgresql"):
        from sqlalchemy.pool import NullPool

        # No pool: the test polls many times a second, and pooled connections of discarded
        # storages would pile up to the server's max_connections on a slow machine.
        storage = RDBStorage(_with_driver(storage), engine_kwargs={"poolclass": NullPool})
    return optuna.load_study(study_name=name, storage=storage)


def _snapshot(storage: str, name: str) -> dict:
    try:
        return {t.number: t for t in _study(storage, name).get_trials()}
    except KeyError:  # the study is not created yet
        return {}


def _kill_mid_trial(storage: str, name: str, env: dict, deadline: float = 120) -> tuple[dict, int]:
    """Start a worker, SIGKILL it once two trials are complete and a third runs; returns the
    trials as they were right after the kill and the number of the trial killed."""
    worker = subprocess.Popen(
        _cli("--trials", 50, "--storage", storage, "--study", name),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        start = time.monotonic()
        while time.monotonic() - start < deadline:
            trials = _snapshot(storage, name)
            complete = [t for t in trials.values() if t.state.name == "COMPLETE"]
            running = [t for t in trials.values() if t.state.name == "RUNNING"]
            if len(complete) >= 2 and running and "w2veval:pid" in running[0].user_attrs:
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait()
                after = _snapshot(storage, name)
                killed = [n for n, t in after.items() if t.state.name == "RUNNING"]
                if len(killed) == 1:
                    return after, killed[0]
                pytest.fail(f"the kill landed between two trials: {after}")  # pragma: no cover
            assert worker.poll() is None, worker.stderr.read()
            time.sleep(0.05)
        pytest.fail("no trial was running after two complete ones")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def _check_resume(storage: str, name: str, env: dict) -> None:
    before, killed = _kill_mid_trial(storage, name, env)
    assert before[killed].user_attrs["w2veval:pid"] != os.getpid()
    target = len(before) + 1  # the killed trial counts (failed), then one new one
    resumed = subprocess.run(
        _cli("--trials", target, "--storage", storage, "--study", name, "--format", "csv"),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"trial {killed} was running in process" in resumed.stderr
    after = _snapshot(storage, name)
    assert len(after) == target
    assert after[killed].state.name == "FAIL"
    for number, trial in before.items():  # completed trials all kept, unchanged
        if trial.state.name == "COMPLETE":
            assert after[number].state.name == "COMPLETE"
            assert after[number].value == trial.value and after[number].params == trial.params
            assert after[number].user_attrs == trial.user_attrs
    new = [t for n, t in after.items() if n not in before]
    assert len(new) == 1 and all(t.state.name == "COMPLETE" for t in new)
    rows = resumed.stdout.splitlines()
    assert rows[0].startswith("trial,state,objective,objective_std,ws353,")
    assert f"{killed},FAIL," in resumed.stdout
    assert len(rows) == 1 + target


def test_sigkill_mid_trial_then_resume_on_sqlite(tmp_path, env):
    _check_resume(f"sqlite:///{tmp_path / 'study.db'}", "killed", env)


def test_sigkill_mid_trial_then_resume_on_postgresql(postgres, env):
    _check_resume(postgres.url, "killed-pg", env)


def test_two_workers_on_one_postgresql_study(postgres, env):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("two workers need two cores")
    args = [
        a if a != "epochs=3" else "epochs=1"  # shorter trials: nothing is killed here
        for a in _cli("--trials", 6, "--storage", postgres.url, "--study", "shared")
    ]
    workers = [
        subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    trials = _snapshot(postgres.url, "shared")
    assert 6 <= len(trials) <= 7  # each worker may start one trial before it sees the other's last
    assert sorted(trials) == list(range(len(trials)))
    assert {t.state.name for t in trials.values()} == {"COMPLETE"}
    assert {t.user_attrs["w2veval:pid"] for t in trials.values()} == {w.pid for w in workers}
