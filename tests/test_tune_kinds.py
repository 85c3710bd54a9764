"""Local tuning (``w2veval tune run``) for objectives that mix a downstream task with word pairs:
``0.5*mr-polarity+0.5*ws353-sim`` on the Lee corpus, the real ../shared data imported into a
temporary W2VEVAL_HOME. Each trial's scores are checked against gensim trained directly and
scored by an independent implementation (mean of unit vectors, scikit-learn's
LogisticRegression under the same stratified folds; gensim's ``evaluate_word_pairs``)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("optuna")

from _task_reference import polarity, reference_scores
from test_tune import SPACE, corpus_path, gensim_spearman

from w2veval.tune import TuneError, results, run

FIXED = {"min_count": 2, "window_size": 2}
OBJECTIVE = "0.5*mr-polarity+0.5*ws353-sim"
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


@pytest.fixture(scope="module")
def home(tmp_path_factory, shared_goldsets, shared_tasks):
    """A w2veval cache with the real movie-review polarity set and WS-353 imported from ../shared."""
    import w2veval.goldsets

    folder = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("W2VEVAL_HOME", str(folder))
        w2veval.goldsets.import_dir(shared_tasks)
        w2veval.goldsets.import_dir(shared_goldsets / "ws353")
        assert {"mr-polarity", "ws353-sim"} <= set(w2veval.goldsets.installed_names())
        yield folder


@pytest.fixture(scope="module")
def tuned(tmp_path_factory, home):
    storage = f"sqlite:///{tmp_path_factory.mktemp('tune') / 'study.db'}"
    table = run(
        corpus_path(),
        OBJECTIVE,
        trials=2,
        storage=storage,
        study="task",
        seed=3,
        threads=1,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )
    return storage, table


def _gensim_vectors(params: dict, seed: int):
    """Word2Vec trained by gensim directly, BlazingText's names mapped by hand (as test_tune)."""
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


def test_table_has_a_column_per_term_holding_its_kinds_metric(tuned):
    _, table = tuned
    assert list(table.columns[:6]) == [
        "trial",
        "state",
        "objective",
        "objective_std",
        "mr-polarity",
        "ws353-sim",
    ]
    assert list(table["state"]) == ["COMPLETE", "COMPLETE"]
    for row in table.to_dict(orient="records"):
        assert 0.0 <= row["mr-polarity"] <= 1.0  # a macro-F1, not a correlation
        assert row["objective"] == pytest.approx(0.5 * row["mr-polarity"] + 0.5 * row["ws353-sim"], abs=1e-12)


def test_every_trial_equals_gensim_and_an_independent_classifier(tuned, shared_tasks, shared_goldsets):
    _, table = tuned
    texts, labels = polarity(shared_tasks)
    for row in table.to_dict(orient="records"):
        wv = _gensim_vectors({k: row[k] for k in ("mode", "vector_dim", "epochs", "learning_rate")}, seed=3)
        _, f1 = reference_scores(wv, texts, labels)
        rho = gensim_spearman(wv, shared_goldsets / "ws353" / "wordsim_similarity_goldstandard.txt")
        assert row["mr-polarity"] == pytest.approx(f1, abs=1e-9)
        assert row["ws353-sim"] == pytest.approx(rho, abs=1e-9)
        assert row["objective"] == pytest.approx((f1 + rho) / 2, abs=1e-9)


def test_trials_record_each_terms_metric_texts_and_pairs(tuned):
    import optuna

    storage, _ = tuned
    study = optuna.load_study(study_name="task", storage=storage)
    assert study.user_attrs["w2veval:metrics"] == {"mr-polarity": "macro_f1", "ws353-sim": "spearman"}
    assert study.user_attrs["w2veval:columns"] == ["mr-polarity", "ws353-sim"]
    for trial in study.trials:
        assert trial.user_attrs["n_pairs"] == {"mr-polarity": 10662, "ws353-sim": 203}  # texts, pairs
        assert 0 < trial.user_attrs["n_scored"]["mr-polarity"] <= 10662


def test_the_task_is_read_once_per_study_not_per_trial(tmp_path, home, monkeypatch):
    import w2veval.goldsets

    calls = []
    original = w2veval.goldsets.load

    def counting(spec, **options):
        if isinstance(spec, str):  # a name is read from disk; a loaded set passes through
            calls.append(spec)
        return original(spec, **options)

    monkeypatch.setattr(w2veval.goldsets, "load", counting)
    run(
        corpus_path(),
        "1*mr-polarity",
        trials=2,
        storage=f"sqlite:///{tmp_path / 's.db'}",
        study="once",
        seed=1,
        threads=1,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )
    assert calls == ["mr-polarity"]


def test_results_reads_the_same_table_back(tuned):
    storage, table = tuned
    again = results(storage, "task")
    assert again["mr-polarity"].tolist() == table["mr-polarity"].tolist()


@pytest.mark.parametrize(
    "objective, heldout, message",
    [
        (
            "0.5*mr-polarity+0.5*ws353-sim",
            0.5,
            "held-out split cuts word-pair gold sets only, and mr-polarity",
        ),
        ("1*mr-polarity;task_metric=recall", None, "task_metric"),
    ],
)
def test_bad_task_objectives_fail_before_a_storage_is_written(tmp_path, home, objective, heldout, message):
    with pytest.raises((TuneError, ValueError)) as caught:
        run(
            corpus_path(),
            objective,
            trials=1,
            storage=f"sqlite:///{tmp_path / 'x.db'}",
            study="x",
            threads=1,
            space=SPACE,
            fixed=FIXED,
            heldout=heldout,
            progress=False,
        )
    assert message in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_tunes_for_the_task_and_accuracy_on_request(tmp_path, home, w2veval_cli, shared_tasks):
    storage = f"sqlite:///{tmp_path / 'cli.db'}"
    done = w2veval_cli(
        "tune",
        "run",
        corpus_path(),
        "--trials",
        "1",
        "--objective",
        "0.5*mr-polarity+0.5*ws353-sim;task_metric=accuracy",
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
        "--no-progress",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    [row] = json.loads(done.stdout)
    assert row["state"] == "COMPLETE"
    wv = _gensim_vectors({k: row[k] for k in ("mode", "vector_dim", "epochs", "learning_rate")}, seed=0)
    accuracy, _ = reference_scores(wv, *polarity(shared_tasks))
    assert row["mr-polarity"] == pytest.approx(accuracy, abs=1e-9)
    assert row["objective"] == pytest.approx(0.5 * row["mr-polarity"] + 0.5 * row["ws353-sim"], abs=1e-12)


def test_worker_processes_keep_the_kinds_metric_option(tmp_path, home):
    """Two worker processes rebuild the objective from JSON: task_metric=accuracy must survive."""
    import os

    import optuna

    if (os.cpu_count() or 1) < 2:
        pytest.skip("needs two cores")
    storage = f"journal:///{tmp_path / 'study.log'}"
    table = run(
        corpus_path(),
        "1*mr-polarity;task_metric=accuracy",
        trials=2,
        storage=storage,
        study="workers",
        jobs=2,
        threads=1,
        seed=2,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )
    assert sorted(table["state"]) == ["COMPLETE", "COMPLETE"]
    study = optuna.load_study(
        study_name="workers",
        storage=optuna.storages.JournalStorage(
            optuna.storages.journal.JournalFileBackend(str(tmp_path / "study.log"))
        ),
    )
    assert study.user_attrs["w2veval:metrics"] == {"mr-polarity": "accuracy"}
    assert study.user_attrs["w2veval:objective"]["task_metric"] == "accuracy"
    for trial, row in zip(
        sorted(study.trials, key=lambda t: t.number),
        table.sort_values("trial").to_dict("records"),
        strict=True,
    ):
        assert trial.user_attrs["scores"] == {"mr-polarity": row["mr-polarity"]} and 0 < row["objective"] < 1
