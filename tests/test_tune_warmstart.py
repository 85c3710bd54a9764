"""Warm starts (w2veval.tune._warmstart) from real sources: studies tuned on the Lee corpus in
SQLite, a journal file and PostgreSQL; the JSON of ``w2veval tune results``; the JSON of
``w2veval sagemaker results`` for a tuning job on a moto server.

The expected configurations are read independently: the study with Optuna itself (sorted
here), the SageMaker hyperparameters as this test sent them (typed here by hand).
"""

from __future__ import annotations

import json
import math
import shutil
import uuid
from collections import Counter

import pytest

pytest.importorskip("optuna")

from _aws import aws_env_vars, aws_environment
from test_tune import FIXED, SPACE, corpus_path

from w2veval.space import Categorical, Continuous, Integer, SearchSpace
from w2veval.tune import StudyNotFoundError, TuneError, run
from w2veval.tune._warmstart import WARM_START_ATTR, WarmStart, enqueue_warm_start, read_warm_start

N_PAIRS = 40


@pytest.fixture(scope="module")
def objective(tmp_path_factory):
    """``1*FILE`` for a gold set of 40 pairs of the Lee corpus's most frequent words: every trial
    scores all of them, so every trial may rank (ws353 and SimLex-999 cover too little of Lee)."""
    with open(corpus_path(), encoding="utf-8") as fh:
        counts = Counter(w for line in fh for w in line.split())
    words = [w for w, _ in counts.most_common() if w.isalpha() and w.islower() and len(w) >= 5][: 2 * N_PAIRS]
    path = tmp_path_factory.mktemp("gold") / "lee-frequent.tsv"
    path.write_text(
        "".join(f"{words[i]}\t{words[i + N_PAIRS]}\t{(i * 37) % 11}\n" for i in range(N_PAIRS)),
        encoding="utf-8",
    )
    return f"1*{path}"


def _tune(objective, storage: str, trials: int, seed: int, study: str = "src"):
    return run(
        corpus_path(),
        objective,
        trials=trials,
        storage=storage,
        study=study,
        seed=seed,
        threads=1,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory, module_home, objective):
    storage = f"sqlite:///{tmp_path_factory.mktemp('src') / 'src.db'}"
    _tune(objective, storage, trials=6, seed=11)
    return storage


@pytest.fixture(scope="module")
def journal_source(tmp_path_factory, module_home, objective):
    storage = f"journal:///{tmp_path_factory.mktemp('jsrc') / 'src.log'}"
    _tune(objective, storage, trials=4, seed=12)
    return storage


def optuna_trials(storage: str, name: str = "src") -> list:
    """The study's complete trials with a value, best first, read with Optuna alone."""
    import optuna
    from optuna.storages import JournalStorage, RDBStorage
    from optuna.storages.journal import JournalFileBackend
    from sqlalchemy.pool import NullPool

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    if storage.startswith("journal:///"):
        opened = JournalStorage(JournalFileBackend(storage[len("journal://") :]))
    else:
        from w2veval.tune._storage import _with_driver  # psycopg2's scheme, only the driver's name

        opened = RDBStorage(_with_driver(storage), engine_kwargs={"poolclass": NullPool})
    study = optuna.load_study(study_name=name, storage=opened)
    done = [
        t
        for t in study.trials
        if t.state == optuna.trial.TrialState.COMPLETE and t.value is not None and not math.isnan(t.value)
    ]
    return sorted(done, key=lambda t: (-t.value, t.number))


def inside(params: dict, space: SearchSpace) -> bool:
    for name, r in space.items():
        if name not in params:
            continue
        value = params[name]
        if isinstance(r, Categorical):
            if value not in r.values:
                return False
        elif not r.low <= value <= r.high:
            return False
    return True


# --- earlier studies ---------------------------------------------------------------------------


def test_sqlite_study_gives_its_best_trials_best_first(sqlite_source):
    trials = optuna_trials(sqlite_source)
    assert len(trials) == 6 and len({t.value for t in trials}) == 6  # distinct: the order is defined
    warm = read_warm_start(f"{sqlite_source}#src", SPACE, best=3)
    assert warm == WarmStart(configs=[t.params for t in trials[:3]], read=6, skipped=0, source_kind="study")
    # The values keep their types: int for the Integer ranges, float for learning_rate.
    assert all(type(c["vector_dim"]) is int and type(c["learning_rate"]) is float for c in warm.configs)
    # One study in the storage: its name may be left out.
    assert read_warm_start(sqlite_source, SPACE, best=3) == warm
    assert read_warm_start(sqlite_source, SPACE, best=50).configs == [t.params for t in trials]


def test_journal_study(journal_source):
    trials = optuna_trials(journal_source)
    warm = read_warm_start(journal_source, SPACE, best=2)
    assert warm.configs == [t.params for t in trials[:2]]
    assert (warm.read, warm.skipped, warm.source_kind) == (4, 0, "study")
    assert read_warm_start(f"{journal_source}#src", SPACE, best=2) == warm


def test_postgresql_study(postgres, module_home, objective):
    _tune(objective, postgres.url, trials=3, seed=13, study="pg")
    trials = optuna_trials(postgres.url, "pg")
    warm = read_warm_start(f"{postgres.url}#pg", SPACE, best=2)
    assert warm.configs == [t.params for t in trials[:2]]
    assert (warm.read, warm.skipped, warm.source_kind) == (3, 0, "study")


def test_configurations_outside_the_new_space_are_skipped_and_counted(sqlite_source):
    trials = optuna_trials(sqlite_source)
    narrow = SearchSpace(
        [
            Categorical("mode", ("cbow",)),
            Integer("vector_dim", 10, 15),
            Integer("epochs", 1, 2),
            Continuous("learning_rate", 0.01, 0.05, "log"),
        ]
    )
    fitting = [t.params for t in trials if inside(t.params, narrow)]
    assert 0 < len(fitting) < len(trials)  # the seeds give both kinds
    warm = read_warm_start(sqlite_source, narrow, best=5)
    assert warm.configs == fitting[:5]
    assert (warm.read, warm.skipped) == (6, len(trials) - len(fitting))


def test_names_searched_only_now_are_left_to_the_sampler_and_fixed_ones_are_kept(sqlite_source):
    trials = optuna_trials(sqlite_source)
    # min_count was fixed at 5 in the source: a configuration is what trained the model.
    wider = SearchSpace(
        [Integer("vector_dim", 10, 20), Integer("min_count", 1, 10), Integer("negative_samples", 5, 10)]
    )
    warm = read_warm_start(sqlite_source, wider, best=4)
    expected = []
    for t in trials:
        config = {"vector_dim": t.params["vector_dim"], "min_count": FIXED["min_count"]}
        if config not in expected:  # a configuration once, however many trials had it
            expected.append(config)
    assert warm.configs == expected[:4] and warm.skipped == 0
    # A fixed value outside the new range skips every configuration.
    window = read_warm_start(sqlite_source, SearchSpace([Integer("window_size", 3, 8)]), best=4)
    assert window == WarmStart(configs=[], read=6, skipped=6, source_kind="study")
    with pytest.raises(TuneError, match="none of the searched hyperparameters \\(buckets\\)"):
        read_warm_start(sqlite_source, SearchSpace([Integer("buckets", 10, 20)]))


def test_storage_with_several_studies_needs_a_name(sqlite_source, tmp_path):
    import optuna

    copy = tmp_path / "two.db"
    shutil.copy(sqlite_source[len("sqlite:///") :], copy)
    optuna.create_study(storage=f"sqlite:///{copy}", study_name="empty")
    with pytest.raises(TuneError, match=f"sqlite:///{copy} holds 2 studies \\(.*empty.*\\); name one as "):
        read_warm_start(f"sqlite:///{copy}", SPACE)
    assert read_warm_start(f"sqlite:///{copy}#src", SPACE).configs == [
        t.params for t in optuna_trials(sqlite_source)[:5]
    ]
    with pytest.raises(TuneError, match="no complete trial with an objective that may rank in study 'empty'"):
        read_warm_start(f"sqlite:///{copy}#empty", SPACE)
    with pytest.raises(StudyNotFoundError, match=r"no study 'scr'.*did you mean 'src'"):
        read_warm_start(f"sqlite:///{copy}#scr", SPACE)
    with pytest.raises(StudyNotFoundError, match="no SQLite file"):
        read_warm_start(f"sqlite:///{tmp_path / 'missing.db'}", SPACE)
    with pytest.raises(TuneError, match="unknown storage"):
        read_warm_start("mongodb://host/db#src", SPACE)


# --- `w2veval tune results --format json` ----------------------------------------------------------


@pytest.fixture(scope="module")
def results_json(sqlite_source, tmp_path_factory):
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "w2veval",
            "tune",
            "results",
            "--storage",
            sqlite_source,
            "--study",
            "src",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    path = tmp_path_factory.mktemp("json") / "results.json"
    path.write_text(proc.stdout, encoding="utf-8")
    return path


def test_tune_results_json_gives_the_same_configurations(results_json, sqlite_source):
    trials = optuna_trials(sqlite_source)
    warm = read_warm_start(str(results_json), SPACE, best=4)
    assert warm == WarmStart(
        configs=[t.params for t in trials[:4]], read=6, skipped=0, source_kind="tune-results"
    )


def _rewrite(path, tmp_path, change) -> str:
    rows = json.loads(path.read_text(encoding="utf-8"))
    change(rows)
    out = tmp_path / "edited.json"
    out.write_text(json.dumps(rows), encoding="utf-8")
    return str(out)


def test_unrankable_failed_and_undefined_rows_are_no_candidates(results_json, sqlite_source, tmp_path):
    trials = optuna_trials(sqlite_source)
    number = {t.number: t for t in trials}

    def change(rows):
        by_trial = {r["trial"]: r for r in rows}
        by_trial[trials[0].number]["rankable"] = False
        by_trial[trials[1].number]["state"] = "FAIL"
        by_trial[trials[2].number]["objective"] = None

    warm = read_warm_start(_rewrite(results_json, tmp_path, change), SPACE, best=2)
    assert warm.configs == [number[t.number].params for t in trials[3:5]]
    assert warm.read == 3

    def none_rankable(rows):
        for r in rows:
            r["rankable"] = False

    with pytest.raises(
        TuneError, match=r"none of its 6 rows is a complete configuration .*\(states: COMPLETE\)"
    ):
        read_warm_start(_rewrite(results_json, tmp_path, none_rankable), SPACE)

    def rankable_as_text(rows):  # "false" is a non-empty string: it must not count as true
        by_trial = {r["trial"]: r for r in rows}
        by_trial[trials[0].number]["rankable"] = "false"

    warm = read_warm_start(_rewrite(results_json, tmp_path, rankable_as_text), SPACE, best=1)
    assert warm.configs == [number[trials[1].number].params]


def test_multi_objective_table_puts_the_pareto_front_first(results_json, sqlite_source, tmp_path):
    """A table with objective_1/objective_2 and pareto_optimal (the multi-objective contract),
    made from the real rows: the front first, each part in the table's order."""
    trials = optuna_trials(sqlite_source)
    front = {trials[2].number, trials[4].number}

    def change(rows):
        for r in rows:
            r["objective_1"] = r.pop("objective")
            r["objective_2"] = -r.pop("objective_std") if r.get("objective_std") is not None else 0.5
            r["pareto_optimal"] = r["trial"] in front

    warm = read_warm_start(_rewrite(results_json, tmp_path, change), SPACE, best=3)
    expected = [trials[2].params, trials[4].params, trials[0].params]
    assert warm.configs == expected and warm.read == 6


# --- `w2veval sagemaker results JOB --format json` (moto) ---------------------------------------

BT_RANGES = {
    "IntegerParameterRanges": [{"Name": "vector_dim", "MinValue": "50", "MaxValue": "300"}],
    "ContinuousParameterRanges": [{"Name": "learning_rate", "MinValue": "0.005", "MaxValue": "0.05"}],
    "CategoricalParameterRanges": [{"Name": "mode", "Values": ["skipgram", "cbow"]}],
}
ROLE = "arn:aws:iam::123456789012:role/w2veval-test"


def bt_hyperparameters(i: int) -> dict:
    """What SageMaker gives a BlazingText tuning job's training job ``i``: strings, static ones too."""
    return {
        "epochs": "5",
        "evaluation": "true",
        "min_count": "5",
        "vector_dim": str(50 + 37 * i),
        "learning_rate": f"{0.005 + 0.007 * i:.3f}",
        "mode": ["skipgram", "cbow"][i % 2],
        "_tuning_objective_metric": "train:progress",
    }


@pytest.fixture(scope="module")
def sagemaker_json(moto_endpoint, tmp_path_factory, w2veval_cli_module):
    """The JSON of `w2veval sagemaker results` for two BlazingText tuning jobs on moto: one
    optimising ``train:progress`` (the one final metric moto reports: 100 for every job) and
    one ``train:mean_rho`` (which moto never reports: no objective values)."""
    import boto3

    env = aws_environment(moto_endpoint, tmp_path_factory.mktemp("aws"))
    folder = tmp_path_factory.mktemp("sm")
    paths, sent = {}, {}
    with aws_env_vars(env):
        sm = boto3.client("sagemaker")
        common = {
            "AlgorithmSpecification": {
                "TrainingImage": "811284229777.dkr.ecr.us-east-1.amazonaws.com/blazingtext:1",
                "TrainingInputMode": "File",
            },
            "RoleArn": ROLE,
            "OutputDataConfig": {"S3OutputPath": "s3://b/out"},
            "ResourceConfig": {"InstanceType": "ml.c5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 5},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        }
        for metric in ("train:progress", "train:mean_rho"):
            name = f"bt-{uuid.uuid4().hex[:8]}"
            sm.create_hyper_parameter_tuning_job(
                HyperParameterTuningJobName=name,
                HyperParameterTuningJobConfig={
                    "Strategy": "Bayesian",
                    "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": metric},
                    "ResourceLimits": {"MaxNumberOfTrainingJobs": 6, "MaxParallelTrainingJobs": 1},
                    "ParameterRanges": BT_RANGES,
                },
                TrainingJobDefinition={
                    **common,
                    "StaticHyperParameters": {"epochs": "5", "evaluation": "true", "min_count": "5"},
                },
            )
            for i in range(6):
                job = f"{name}-{i:03d}-abcd"
                sent[job] = {**bt_hyperparameters(i), "_tuning_objective_metric": metric}
                sm.create_training_job(TrainingJobName=job, HyperParameters=sent[job], **common)
            proc = w2veval_cli_module("sagemaker", "results", name, "--format", "json", env=env)
            assert proc.returncode == 0, proc.stderr
            paths[metric] = folder / f"{metric.replace(':', '-')}.json"
            paths[metric].write_text(proc.stdout, encoding="utf-8")
    return paths, sent


@pytest.fixture(scope="module")
def w2veval_cli_module():
    import os
    import subprocess
    import sys

    def cli(*args, env=None):
        return subprocess.run(
            [sys.executable, "-m", "w2veval", *map(str, args)],
            capture_output=True,
            text=True,
            env=dict(os.environ, **(env or {})),
            timeout=300,
        )

    return cli


def test_sagemaker_results_map_blazingtext_names_and_types(sagemaker_json):
    paths, sent = sagemaker_json
    rows = json.loads(paths["train:progress"].read_text(encoding="utf-8"))
    assert {r["status"] for r in rows} == {"Completed"} and {r["objective_value"] for r in rows} == {100.0}
    space = SearchSpace(
        [
            Categorical("mode", ("batch_skipgram", "cbow")),
            Integer("vector_dim", 50, 200),
            Continuous("learning_rate", 0.005, 0.05, "log"),
            Integer("epochs", 1, 10),
            Categorical("evaluation", (True, False)),
        ]
    )
    expected, outside = [], 0
    for r in rows:  # the file's order: `sagemaker results` sorts by the tuning job's direction
        hp = sent[r["training_job_name"]]
        config = {
            "mode": hp["mode"],
            "vector_dim": int(hp["vector_dim"]),
            "learning_rate": float(hp["learning_rate"]),
            "epochs": int(hp["epochs"]),
            "evaluation": hp["evaluation"] == "true",
        }
        if config["mode"] == "skipgram" or config["vector_dim"] > 200:  # BlazingText's skipgram, not ours
            outside += 1
        else:
            expected.append(config)
    assert expected and outside
    warm = read_warm_start(str(paths["train:progress"]), space, best=10)
    assert warm == WarmStart(configs=expected, read=6, skipped=outside, source_kind="sagemaker-results")
    assert type(warm.configs[0]["evaluation"]) is bool and type(warm.configs[0]["vector_dim"]) is int
    # min_count and `_tuning_objective_metric` are not searched now: ignored.
    assert all(set(c) == set(space) for c in warm.configs)


def test_sagemaker_results_of_130_jobs_best_first_failed_ones_left_out(tmp_path):
    """w2veval's own tuning job of 130 jobs (Search stubbed from the service model, as in
    test_sagemaker_results): distinct objective values, every thirteenth job failed."""
    from test_sagemaker_results import N_JOBS, _failed, _value, our_hyperparameters, searched_tuning_job

    from w2veval._output import render_frame

    frame, _, request = searched_tuning_job()
    path = tmp_path / "jobs.json"
    path.write_text(
        render_frame(frame, "json"), encoding="utf-8"
    )  # what `sagemaker results --format json` prints
    space = SearchSpace(
        [
            Integer("vector_dim", 50, 80),
            Continuous("learning_rate", 0.005, 0.05, "log"),
            Categorical("mode", ("batch_skipgram", "cbow")),
            Integer("window_size", 5, 30),
        ]
    )
    done = sorted((i for i in range(N_JOBS) if not _failed(i)), key=lambda i: -_value(i))
    expected, outside = [], 0
    for i in done:
        sent = our_hyperparameters(request, i)
        config = {
            "vector_dim": int(sent["vector_dim"]),
            "learning_rate": float(sent["learning_rate"]),
            "mode": sent["mode"],
            "window_size": int(sent["window_size"]),
        }
        if config["vector_dim"] > 80:
            outside += 1
        elif config not in expected:
            expected.append(config)
    assert outside and len(done) < N_JOBS
    warm = read_warm_start(str(path), space, best=7)
    assert warm == WarmStart(
        configs=expected[:7], read=len(done), skipped=outside, source_kind="sagemaker-results"
    )


def test_sagemaker_results_without_objective_values_have_no_candidates(sagemaker_json):
    paths, _ = sagemaker_json
    with pytest.raises(TuneError, match="none of its 6 rows is a completed configuration with an objective"):
        read_warm_start(str(paths["train:mean_rho"]), SPACE)


def test_a_value_that_is_not_its_type_names_the_row(sagemaker_json, tmp_path):
    paths, _ = sagemaker_json

    def change(rows):
        rows[0]["vector_dim"] = "big"

    path = _rewrite(paths["train:progress"], tmp_path, change)
    rows = json.loads(open(path).read())
    with pytest.raises(
        TuneError, match=f"training_job_name {rows[0]['training_job_name']}: 'vector_dim': 'big' is not a int"
    ):
        read_warm_start(path, SearchSpace([Integer("vector_dim", 50, 300)]))


# --- files that are not sources --------------------------------------------------------------------


def test_files_that_are_no_source_fail_with_their_path(tmp_path, sqlite_source):
    missing = tmp_path / "nothing.json"
    with pytest.raises(TuneError, match=f"{missing}: no such warm-start file"):
        read_warm_start(str(missing), SPACE)
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"trial": 0,\n  "state": "COMPLETE"\n', encoding="utf-8")
    with pytest.raises(TuneError) as err:
        read_warm_start(str(broken), SPACE)
    assert err.value.path == str(broken) and err.value.line == 4 and "not JSON" in str(err.value)
    for text, message in (
        ("[]", "lists no configuration"),
        ('{"trial": 0}', "a list of row objects \\(`--format json`\\), got a JSON object"),
        ('[{"trial": 0}, 3]', "item 2 is a JSON number"),
        ('[{"name": "x", "score": 1}]', "not a results table .* first row has name, score"),
    ):
        path = tmp_path / "f.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(TuneError, match=message):
            read_warm_start(str(path), SPACE)
    with pytest.raises(TuneError, match="an SQLite file: give it as sqlite:///PATH"):
        read_warm_start(sqlite_source[len("sqlite:///") :], SPACE)


@pytest.mark.parametrize("best", [0, -1, True, 2.0, "2"])
def test_best_is_a_positive_integer(best, results_json):
    with pytest.raises(TuneError, match="K must be a positive integer"):
        read_warm_start(str(results_json), SPACE, best=best)


# --- enqueueing ------------------------------------------------------------------------------------


def _fresh_study(tmp_path, name="new"):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    return optuna.create_study(
        storage=f"sqlite:///{tmp_path / 'new.db'}", study_name=name, direction="maximize"
    )


def test_enqueue_on_a_new_study_then_never_again(results_json, sqlite_source, tmp_path):
    import optuna

    trials = optuna_trials(sqlite_source)
    narrow = SearchSpace(
        [
            Categorical("mode", ("cbow",)),
            Integer("vector_dim", 10, 15),
            Integer("epochs", 1, 2),
            Continuous("learning_rate", 0.01, 0.05, "log"),
        ]
    )
    fitting = [t.params for t in trials if inside(t.params, narrow)]
    study = _fresh_study(tmp_path)
    said = []
    warm = enqueue_warm_start(study, str(results_json), narrow, best=2, say=said.append)
    waiting = study.get_trials(states=(optuna.trial.TrialState.WAITING,))
    # An enqueued trial holds its values as Optuna's "fixed_params" until it runs.
    assert [t.system_attrs["fixed_params"] for t in waiting] == fitting[:2] == warm.configs
    skipped = len(trials) - len(fitting)
    assert study.user_attrs[WARM_START_ATTR] == {
        "source": str(results_json),
        "enqueued": len(fitting[:2]),
        "skipped": skipped,
    }
    assert said == [
        f"warm start: enqueued {len(fitting[:2])} configurations from {results_json}; "
        f"{skipped} outside the search space skipped"
    ]
    # Resumed (its enqueued trials are there; a second call finds the attribute): nothing more.
    again = []
    enqueue_warm_start(study, str(results_json), narrow, best=2, say=again.append)
    assert len(study.get_trials()) == len(fitting[:2])
    assert again == [f"warm start: nothing enqueued from {results_json}; the study was warm-started already"]


def test_a_study_with_trials_gets_no_warm_start(results_json, tmp_path):
    import optuna

    study = _fresh_study(tmp_path)
    study.add_trial(
        optuna.trial.create_trial(
            params={"vector_dim": 12},
            distributions={"vector_dim": optuna.distributions.IntDistribution(10, 20)},
            value=0.1,
        )
    )
    said = []
    warm = enqueue_warm_start(study, str(results_json), SPACE, best=2, say=said.append)
    assert len(warm.configs) == 2 and len(study.get_trials()) == 1
    assert WARM_START_ATTR not in study.user_attrs
    assert said == [f"warm start: nothing enqueued from {results_json}; the study has 1 trial(s) already"]


def test_the_source_url_is_recorded_without_its_password(postgres, module_home, objective, tmp_path):
    _tune(objective, postgres.url, trials=1, seed=14, study="secret")
    user, rest = postgres.url.split("://", 1)[1].split("@", 1)
    with_password = f"postgresql://{user}:hunter2@{rest}#secret"
    study = _fresh_study(tmp_path)
    said = []
    try:
        enqueue_warm_start(study, with_password, SPACE, best=1, say=said.append)
    except Exception as exc:  # the throwaway server trusts local users: any password is accepted
        pytest.fail(f"{exc}")
    recorded = study.user_attrs[WARM_START_ATTR]["source"]
    assert "hunter2" not in recorded and "hunter2" not in said[0]
    assert recorded == f"postgresql://{user}@{rest}#secret"


# --- a multi-objective study as the source --------------------------------------------------------


def test_multi_objective_study_gives_its_pareto_front_first(tmp_path, module_home, objective):
    import optuna

    # A second objective on the same words, paired and scored otherwise: the two disagree.
    first = objective.split("*", 1)[1]
    words = [w for line in open(first, encoding="utf-8") for w in line.split("\t")[:2]]
    second = tmp_path / "other.tsv"
    second.write_text(
        "".join(f"{words[2 * i]}\t{words[2 * i + 3]}\t{(i * 53) % 13}\n" for i in range(N_PAIRS - 2)),
        encoding="utf-8",
    )
    storage = f"sqlite:///{tmp_path / 'multi.db'}"
    run(
        corpus_path(),
        [objective, f"1*{second}"],
        trials=6,
        storage=storage,
        study="multi",
        seed=21,
        threads=1,
        space=SPACE,
        fixed=FIXED,
        progress=False,
    )
    study = optuna.load_study(study_name="multi", storage=storage)
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    front = {t.number for t in study.best_trials}  # Optuna's own Pareto front (both maximised)
    assert 0 < len(front) < len(complete)

    def order(t):
        return (t.number not in front, -t.values[0], t.number)

    expected = [t.params for t in sorted(complete, key=order)]
    warm = read_warm_start(storage, SPACE, best=len(complete))
    assert warm == WarmStart(configs=expected, read=len(complete), skipped=0, source_kind="study")


# --- end to end: `w2veval tune run --warm-start` -------------------------------------------------

RANGES = [
    "--range",
    "mode=cbow,batch_skipgram",
    "--range",
    "vector_dim=10:20",
    "--range",
    "epochs=1:2",
    "--range",
    "learning_rate=0.01:0.05:log",
    "--set",
    "min_count=5",
    "--set",
    "window_size=2",
]


def test_tune_run_starts_with_the_sources_best_and_does_not_repeat_them_on_resume(
    sqlite_source, objective, tmp_path, module_home, w2veval_cli_module
):
    import optuna

    best = [t.params for t in optuna_trials(sqlite_source)[:2]]
    storage = f"sqlite:///{tmp_path / 'new.db'}"
    command = [
        "tune",
        "run",
        corpus_path(),
        "--objective",
        objective,
        "--storage",
        storage,
        "--study",
        "new",
        *RANGES,
        "--threads",
        "1",
        "--seed",
        "3",
        "--no-progress",
        "--format",
        "json",
        "--warm-start",
        f"{sqlite_source}#src",
        "--warm-start-best",
        "2",
    ]
    proc = w2veval_cli_module(*command, "--trials", "3")
    assert proc.returncode == 0, proc.stderr
    assert (
        f"w2veval: warm start: enqueued 2 configurations from {sqlite_source}#src" in proc.stderr.splitlines()
    )
    study = optuna.load_study(study_name="new", storage=storage)
    trials = sorted(study.trials, key=lambda t: t.number)
    assert [t.params for t in trials[:2]] == best
    assert len(trials) == 3 and all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    assert study.user_attrs[WARM_START_ATTR] == {
        "source": f"{sqlite_source}#src",
        "enqueued": 2,
        "skipped": 0,
    }

    proc = w2veval_cli_module(*command, "--trials", "4")
    assert proc.returncode == 0, proc.stderr
    assert "w2veval: warm start: nothing enqueued from" in proc.stderr
    study = optuna.load_study(study_name="new", storage=storage)
    trials = sorted(study.trials, key=lambda t: t.number)
    assert len(trials) == 4 and all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    assert [t.params for t in trials[:2]] == best
    # The new trial is not an enqueued one (only the first two carry Optuna's fixed_params).
    assert ["fixed_params" in t.system_attrs for t in trials] == [True, True, False, False]
    assert study.user_attrs[WARM_START_ATTR]["enqueued"] == 2
    # The source was only read.
    source = optuna.load_study(study_name="src", storage=sqlite_source)
    assert len(source.trials) == 6 and WARM_START_ATTR not in source.user_attrs


def test_tune_run_with_a_broken_source_says_one_line(tmp_path, objective, module_home, w2veval_cli_module):
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    proc = w2veval_cli_module(
        "tune",
        "run",
        corpus_path(),
        "--objective",
        objective,
        "--storage",
        f"sqlite:///{tmp_path / 'x.db'}",
        *RANGES,
        "--threads",
        "1",
        "--no-progress",
        "--trials",
        "1",
        "--warm-start",
        str(broken),
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(f"w2veval: error: {broken}:1: not JSON")
    assert "Traceback" not in proc.stderr
