"""Reports on tuning results: a real local study, the files `tune results` and `sagemaker
results|rescore` write (SageMaker through moto in server mode), and bad results files."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import uuid
import warnings

import pytest
from _report_html import Page

import w2veval
from w2veval.report import ReportInputError, ReportSourceError, build_report
from w2veval.scoring import UnreliableScoreWarning
from w2veval.space import Categorical, Continuous, Integer, SearchSpace

STUDY = "lee-small"


def _cli(*args) -> tuple[int, str, str]:
    """The command line in this process (``w2veval.cli.main``): status, stdout, stderr."""
    from w2veval.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def study(tmp_path_factory, lee_sentences):
    """A real Optuna study: two word2vec trainings on the Lee corpus, with a held-out part."""
    from w2veval import tune

    folder = tmp_path_factory.mktemp("study")
    corpus = folder / "lee.txt"
    corpus.write_text("\n".join(" ".join(s) for s in lee_sentences) + "\n", encoding="utf-8")
    storage = f"sqlite:///{folder / 'study.db'}"
    space = SearchSpace(
        [
            Integer("window_size", 2, 8),
            Continuous("learning_rate", 0.01, 0.05, "log"),
            Categorical("mode", ("skipgram", "cbow")),
        ]
    )
    tune.run(
        corpus,
        "0.5*ws353+0.5*simlex999",
        trials=2,
        storage=storage,
        study=STUDY,
        space=space,
        fixed={"epochs": 1, "vector_dim": 16, "min_count": 2},
        heldout=0.3,
        progress=False,
    )
    return storage, tune.results(storage, STUDY)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def test_a_study_input_shows_its_table_best_first(study):
    storage, expected = study
    report = build_report(storage=storage, study=STUDY)
    assert report.models == [] and len(report.tuning) == 1
    table = report.tuning[0]
    assert table.name == f"study {STUDY}" and table.label == "trial"
    assert set(table.hyperparameters) == {"window_size", "learning_rate", "mode"}
    assert {"ws353:tune", "simlex999:tune", "ws353:heldout", "simlex999:heldout"} <= set(table.goldsets)
    assert table.has_heldout
    page = Page(report.to_html())
    rows = page.body_rows(f"tuning-study-{STUDY}")
    header = page.header(f"tuning-study-{STUDY}")
    assert header[:5] == ["trial", "state", "objective", "objective_std", "heldout_objective"]
    assert [int(r[0]["text"]) for r in rows] == expected["trial"].tolist()  # the same order: best first
    objectives = [float(r[header.index("objective")]["attrs"]["data-value"]) for r in rows]
    assert objectives == expected["objective"].tolist() == sorted(objectives, reverse=True)
    heldout = [float(r[header.index("heldout_objective")]["attrs"]["data-value"]) for r in rows]
    assert heldout == expected["heldout_objective"].tolist()
    for r, (_, row) in zip(rows, expected.iterrows(), strict=True):
        assert r[header.index("state")]["text"] == row["state"] == "COMPLETE"
        assert r[header.index("mode")]["text"] == row["mode"]
        assert float(r[header.index("learning_rate")]["attrs"]["data-value"]) == row["learning_rate"]
    figures = report.figures()
    assert f"tuning-study-{STUDY}-heldout.png" in figures
    images = [v for tag, k, v in page.attributes if tag == "img" and k == "src"]
    assert len(images) == len(figures)
    assert "Leaderboard" not in report.to_html()  # no vectors: no vectors sections


def test_results_files_written_by_the_cli_read_back_as_the_study(study, tmp_path):
    storage, expected = study
    paths = {}
    for fmt in ("csv", "json"):
        status, out, err = _cli("tune", "results", "--storage", storage, "--study", STUDY, "--format", fmt)
        assert status == 0, err
        paths[fmt] = tmp_path / f"results.{fmt}"
        paths[fmt].write_text(out, encoding="utf-8")
    report = build_report([paths["csv"], paths["json"]], probes=())
    assert [t.name for t in report.tuning] == ["results.csv", "results.json"]
    for table in report.tuning:
        assert list(table.frame.columns) == list(expected.columns)
        for column in expected.columns:
            assert all(
                _same(a, b) or a == pytest.approx(b, rel=1e-12)
                for a, b in zip(table.frame[column].tolist(), expected[column].tolist(), strict=True)
            ), column
    markdown = report.to_markdown()
    assert "### results.csv" in markdown and "### results.json" in markdown
    assert f"| {expected['trial'].iloc[0]} | COMPLETE | {expected['objective'].iloc[0]:.4f} |" in markdown


def test_report_command_with_vectors_and_a_study(study, tmp_path, w2v_model):
    storage, _expected = study
    vectors = tmp_path / "sg.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    out = tmp_path / "report.html"
    status, printed, err = _cli(
        "report",
        vectors,
        "--storage",
        storage,
        "--study",
        STUDY,
        "-g",
        "ws353",
        "--resamples",
        "200",
        "--no-probes",
        "-o",
        out,
        "--no-progress",
    )
    assert status == 0, err
    assert printed.strip() == f"{out}: 1 vectors, 1 gold sets, 1 tuning tables"
    page = Page(out.read_text(encoding="utf-8"))
    assert {"leaderboard", "coverage", f"tuning-study-{STUDY}"} <= set(page.tables)
    assert "neighbours" not in " ".join(page.tables)


def test_an_unknown_study_is_one_line_exit_2(study, tmp_path):
    storage, _ = study
    out = tmp_path / "r.html"
    status, printed, err = _cli("report", "--storage", storage, "--study", "no-such-study", "-o", out)
    assert status == 2 and printed == ""
    assert err.startswith("w2veval: error: ") and err.count("\n") == 1
    assert "no-such-study" in err and not out.exists()


def test_a_study_without_storage_is_an_error(w2veval_cli):
    with pytest.raises(ReportInputError, match=r"give storage=\.\.\. with study=\.\.\.$"):
        build_report(study="x")  # from Python: keywords
    done = w2veval_cli("report", "--study", "x")  # from the command line: options
    assert done.returncode == 2 and done.stderr.endswith("give --storage STORAGE with --study STUDY\n")


# --- bad results files ---------------------------------------------------------------------------


@pytest.fixture
def results_rows():
    """Rows shaped as `tune results` writes them (the columns of w2veval.tune.results)."""
    return [
        {
            "trial": t,
            "state": "COMPLETE",
            "objective": o,
            "objective_std": None,
            "ws353": o,
            "window_size": w,
            "mode": m,
            "seconds": 1.5,
        }
        for t, o, w, m in ((0, 0.21, 5, "cbow"), (1, 0.34, 8, "skipgram"), (2, 0.12, 3, "cbow"))
    ]


def _write_csv(path, rows, columns=None):
    columns = columns or list(rows[0])
    lines = [",".join(columns)] + [
        ",".join("" if r.get(c) is None else str(r.get(c)) for c in columns) for r in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_hand_written_csv_is_read_with_types(tmp_path, results_rows):
    path = tmp_path / "mine.csv"
    _write_csv(path, results_rows)
    table = build_report([path]).tuning[0]
    assert table.frame["trial"].tolist() == [1, 0, 2]  # best first
    assert table.frame["objective"].tolist() == [0.34, 0.21, 0.12]
    assert table.hyperparameters == ("window_size", "mode") and table.goldsets == ("ws353",)
    assert not table.has_heldout


def test_a_csv_without_objective_names_the_file_and_header_line(tmp_path, results_rows):
    path = tmp_path / "no-objective.csv"
    _write_csv(path, results_rows, ["trial", "state", "ws353", "window_size"])
    with pytest.raises(ReportInputError, match=r"no-objective\.csv:1: the results table has no 'objective'"):
        build_report([path])


def test_a_non_numeric_objective_names_its_line(tmp_path, results_rows):
    results_rows[1]["objective"] = "abc"
    path = tmp_path / "bad.csv"
    _write_csv(path, results_rows)
    with pytest.raises(ReportInputError, match=r"bad\.csv:3: the objective 'abc' is not a number"):
        build_report([path])


def test_malformed_csv_names_its_line(tmp_path, results_rows):
    path = tmp_path / "ragged.csv"
    _write_csv(path, results_rows)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("3,COMPLETE,0.5,,0.5,4,cbow,1.0,surplus,more\n")
    with pytest.raises(ReportInputError, match=r"ragged\.csv:5: malformed CSV"):
        build_report([path])


def test_json_errors_name_their_line(tmp_path, results_rows):
    path = tmp_path / "results.json"
    text = json.dumps(results_rows, indent=2)
    path.write_text(text[: text.rindex("}")], encoding="utf-8")  # cut off mid-row
    with pytest.raises(ReportInputError, match=r"results\.json:\d+: malformed JSON"):
        build_report([path])
    del results_rows[2]["objective"]
    path.write_text(json.dumps(results_rows, indent=2), encoding="utf-8")
    third = json.dumps(results_rows, indent=2).splitlines().index("  {", 20) + 1
    with pytest.raises(ReportInputError, match=rf"results\.json:{third}: this row has no 'objective'"):
        build_report([path])
    path.write_text('{"trial": 1}', encoding="utf-8")
    with pytest.raises(ReportInputError, match=r"results\.json:1: expected a JSON list of row objects"):
        build_report([path])


def test_an_unreadable_results_file_is_an_os_error(tmp_path):
    folder = tmp_path / "looks-like.csv"
    folder.mkdir()
    with pytest.raises(ReportSourceError, match=r"looks-like\.csv: cannot read the results file") as caught:
        build_report([folder])
    assert isinstance(caught.value, OSError)
    with pytest.raises(ReportSourceError, match=r"missing\.json: no such file or folder"):
        build_report([tmp_path / "missing.json"])


def test_a_bad_results_file_on_the_command_line_writes_nothing(tmp_path, results_rows):
    path = tmp_path / "no-objective.json"
    path.write_text(
        json.dumps([{k: v for k, v in r.items() if k != "objective"} for r in results_rows]), encoding="utf-8"
    )
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    status, printed, err = _cli("report", path, "-o", out, "--plots", tmp_path / "out" / "plots")
    assert status == 2 and printed == ""
    assert (
        err == f"w2veval: error: {path}:1: the results table has no 'objective' column "
        f"(columns: trial, state, objective_std, ws353, window_size, mode, seconds); a results file is "
        "the table written by `w2veval tune results --format csv|json` or `w2veval sagemaker results "
        "--format csv|json`\n"
    )
    assert list(out.parent.iterdir()) == []


# --- SageMaker: results and rescore files, through moto in server mode ---------------------------


@pytest.fixture(scope="module")
def sagemaker_files(tmp_path_factory, w2v_model, cbow_model):
    """`w2veval sagemaker results` (JSON) and `sagemaker rescore --objective` (CSV) of a tuning job
    with three training jobs, two of which have a real model.tar.gz in (moto's) S3."""
    import tarfile

    import boto3
    from moto.server import ThreadedMotoServer

    folder = tmp_path_factory.mktemp("sagemaker")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(folder / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "none"),
    }
    try:
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
        )
        s3 = session.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"])
        sm = session.client("sagemaker", endpoint_url=env["AWS_ENDPOINT_URL"])
        name, bucket = f"tune-{uuid.uuid4().hex[:8]}", f"w2veval-{uuid.uuid4().hex[:12]}"
        s3.create_bucket(Bucket=bucket)
        role = "arn:aws:iam::123456789012:role/w2veval-test"
        common = {
            "RoleArn": role,
            "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/out"},
            "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 5},
            "StoppingCondition": {"MaxRuntimeInSeconds": 100},
        }
        algorithm = {"TrainingImage": "img", "TrainingInputMode": "File"}
        sm.create_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=name,
            HyperParameterTuningJobConfig={
                "Strategy": "Bayesian",
                "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "w2veval:objective"},
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 3, "MaxParallelTrainingJobs": 1},
            },
            TrainingJobDefinition={"AlgorithmSpecification": algorithm, **common},
        )
        vectors = {}
        for i, (label, model) in enumerate((("sg", w2v_model), ("cbow", cbow_model), (None, None))):
            job = f"{name}-{i:03d}-{uuid.uuid4().hex[:8]}"
            sm.create_training_job(
                TrainingJobName=job,
                AlgorithmSpecification=algorithm,
                HyperParameters={
                    "vector_dim": str([32, 48, 64][i]),
                    "mode": ["skipgram", "cbow", "cbow"][i],
                    "window_size": str([5, 3, 4][i]),
                },
                **common,
            )
            if model is None:
                continue
            vectors[job] = folder / f"{label}.txt"
            model.wv.save_word2vec_format(vectors[job])
            archive = folder / f"{label}.tar.gz"
            with tarfile.open(archive, "w:gz") as tar:
                tar.add(vectors[job], arcname="vectors.txt")
            url = sm.describe_training_job(TrainingJobName=job)["ModelArtifacts"]["S3ModelArtifacts"]
            s3.upload_file(str(archive), *url[len("s3://") :].split("/", 1))
        files = {}
        saved = {k: os.environ.get(k) for k in (*env, "AWS_PROFILE", "AWS_SESSION_TOKEN")}
        os.environ.update(env)
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(k, None)
        try:
            for key, args in (
                ("results.json", ["sagemaker", "results", name, "--format", "json"]),
                ("rescore.csv", ["sagemaker", "rescore", name, "--objective", "1*ws353", "--format", "csv"]),
            ):
                with warnings.catch_warnings():  # the Lee models know few ws353 words
                    warnings.simplefilter("ignore", UnreliableScoreWarning)
                    status, out, err = _cli(*args)
                assert status == 0, err
                files[key] = folder / key
                files[key].write_text(out, encoding="utf-8")
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        yield files, vectors
    finally:
        server.stop()


def test_sagemaker_results_file(sagemaker_files):
    files, _vectors = sagemaker_files
    report = build_report([files["results.json"]])
    table = report.tuning[0]
    assert table.label == "training_job_name" and len(table.frame) == 3
    assert table.hyperparameters == ("vector_dim", "mode", "window_size")
    assert table.frame["vector_dim"].dtype.kind in "iuf"
    assert table.frame["objective"].isna().all()  # moto records no objective: nothing to plot
    assert report.figures() == {}
    html = report.to_html()
    assert "3 rows, 0 with an objective" not in html and "3 rows, none with an objective" in html
    page = Page(html)
    rows = page.body_rows("tuning-results-json")
    assert sorted(r[0]["text"] for r in rows) == sorted(table.frame["training_job_name"])


@pytest.mark.filterwarnings("ignore::w2veval.scoring.UnreliableScoreWarning")
def test_sagemaker_rescore_file_shows_real_objectives(sagemaker_files):
    files, vectors = sagemaker_files
    report = build_report([files["rescore.csv"]])
    table = report.tuning[0]
    frame = table.frame
    assert table.goldsets == ("ws353",)
    expected = {job: w2veval.evaluate(path, "ws353")["spearman"].iloc[0] for job, path in vectors.items()}
    best = max(expected, key=expected.get)
    assert frame["training_job_name"].iloc[0] == best  # best first
    for _, row in frame.iterrows():
        if row["training_job_name"] in expected:
            assert row["objective"] == pytest.approx(expected[row["training_job_name"]], abs=1e-12)
        else:
            assert math.isnan(row["objective"])
    page = Page(report.to_html())
    rows = page.body_rows("tuning-rescore-csv")
    # The Lee models score well under 0.8 of ws353: rescore marks every job unrankable, so the
    # report lists them by objective but names none the best (no highlighted row).
    assert not frame["rankable"].any() and table.best is None
    assert "best" not in page.tables["tuning-rescore-csv"]["rows"][1]["attrs"].get("class", "")
    assert "none of which stands on enough pairs to rank" in " ".join(page.text)
    assert float(rows[0][2]["attrs"]["data-value"]) == pytest.approx(expected[best], abs=1e-12)
    assert "tuning-rescore-csv-hyperparameters.png" in report.figures()
