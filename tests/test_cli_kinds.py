"""`w2veval score` and `w2veval compare` with categorization, outlier and classification sets:
the real ../shared sets imported into a temporary W2VEVAL_HOME with `w2veval goldsets import`,
the Lee-corpus gensim models as vectors files, the printed numbers equal to the library's."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import warnings

import pytest

from w2veval.scoring import compare_many_rows, evaluate_rows
from w2veval.scoring._evaluate import KIND_COLUMNS


def _cli(*args, home):
    env = dict(os.environ, W2VEVAL_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "w2veval", *map(str, args)], capture_output=True, text=True, env=env
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory, shared_goldsets, shared_tasks):
    folder = tmp_path_factory.mktemp("home")
    for source in (shared_goldsets, shared_tasks):
        done = _cli("goldsets", "import", source, home=folder)
        assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def installed(home, monkeypatch):
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    return home


@pytest.fixture(scope="module")
def tickets(tmp_path_factory, shared_tasks):
    """A user's labelled file (label<TAB>text): 300 real SMS messages, written to a temporary folder."""
    raw = (shared_tasks / "sms-spam" / "SMSSpamCollection").read_bytes().decode("utf-8")
    rows = [line.rstrip("\r") for line in raw.split("\n")[1:] if line.strip()][:300]
    path = tmp_path_factory.mktemp("user") / "my-tickets.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _rows(*args, home):
    done = _cli(*args, "--format", "json", "--no-progress", home=home)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_score_prints_one_row_per_set_with_its_kind_and_columns(home, model_files, tickets):
    done = _cli(
        "score",
        model_files["sg"],
        "-g",
        "ap",
        "-g",
        "8-8-8",
        "-g",
        "sms-spam",
        "-g",
        f"task:{tickets}",
        "-g",
        "ws353",
        "--no-progress",
        home=home,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = lines[0].split()
    assert header[:6] == ["vectors", "goldset", "kind", "n_pairs", "n_scored", "coverage"]
    for kind in ("categorization", "outlier", "classification"):
        assert set(KIND_COLUMNS[kind]) <= set(header)
    assert {"spearman", "pearson", "kendall"} <= set(header)
    body = [line.split() for line in lines[2:]]
    assert [(cells[1], cells[2]) for cells in body] == [
        ("ap", "categorization"),
        ("8-8-8", "outlier"),
        ("sms-spam", "classification"),
        ("my-tickets", "classification"),
        ("ws353", "mixed"),
    ]


def test_score_table_without_word_pairs_leaves_out_the_correlations(home, model_files, tickets):
    done = _cli(
        "score", model_files["sg"], "-g", f"task:{tickets}", "-g", "8-8-8", "--no-progress", home=home
    )
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    assert "spearman" not in header and "purity" not in header
    assert {"accuracy", "opp", "macro_f1"} <= set(header)


def test_score_json_keeps_every_column_and_equals_the_library(installed, model_files, tickets):
    printed = _rows(
        "score", model_files["sg"], "-g", "ap", "-g", "8-8-8", "-g", f"task:{tickets}", home=installed
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = evaluate_rows(str(model_files["sg"]), ["ap", "8-8-8", f"task:{tickets}"])
    assert [list(r) for r in printed] == [list(r) for r in expected]
    for got, want in zip(printed, expected, strict=True):
        for key, value in want.items():
            if isinstance(value, float) and math.isnan(value):
                assert got[key] is None, key
            elif isinstance(value, float):
                assert got[key] == pytest.approx(value, abs=1e-12), key
            else:
                assert got[key] == value, key
    assert printed[0]["spearman"] is None and printed[2]["purity"] is None


def test_a_task_file_in_another_encoding_reads_with_encoding(home, model_files, tmp_path, shared_tasks):
    lines = []
    for label in ("pos", "neg"):
        raw = (shared_tasks / "mr-polarity" / f"rt-polarity.{label}").read_bytes().decode("cp1252")
        lines += [f"{label}\t{line}" for line in raw.split("\n")[:120] if line.strip()]
    path = tmp_path / "reviews.tsv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    refused = _cli("score", model_files["sg"], "-g", f"task:{path}", "--no-progress", home=home)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert str(path) in refused.stderr and "--encoding" in refused.stderr
    rows = _rows("score", model_files["sg"], "-g", f"task:{path}", "--encoding", "cp1252", home=home)
    assert rows[0]["kind"] == "classification" and rows[0]["n_pairs"] == len(lines)


@pytest.mark.parametrize(
    "spec, says",
    [
        ("task:{missing}", "no file"),
        ("{tickets}", "task:"),  # a labelled file given as a gold set: told to write task:
    ],
)
def test_errors_are_one_line_and_exit_2(home, model_files, tickets, tmp_path, spec, says):
    spec = spec.format(missing=tmp_path / "missing.tsv", tickets=tickets)
    done = _cli("score", model_files["sg"], "-g", spec, "--no-progress", home=home)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("w2veval: error: ")
    assert says in done.stderr


def test_compare_on_a_task_and_an_outlier_set_equals_the_library(installed, model_files, tickets):
    args = (
        "compare",
        model_files["sg"],
        model_files["cbow"],
        "-g",
        f"task:{tickets}",
        "-g",
        "8-8-8",
        "-g",
        "ws353",
        "--resamples",
        "300",
    )
    printed = _rows(*args, home=installed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = compare_many_rows(
            [str(model_files["sg"]), str(model_files["cbow"])],
            [f"task:{tickets}", "8-8-8", "ws353"],
            n_resamples=300,
            method="percentile",
        )
    assert [r["metric"] for r in printed] == ["macro_f1", "accuracy", "spearman"]
    for got, want in zip(printed, expected, strict=True):
        for key, value in want.items():
            if isinstance(value, float) and math.isnan(value):
                assert got[key] is None, key
            elif isinstance(value, float):
                assert got[key] == pytest.approx(value, abs=1e-12), key
            else:
                assert got[key] == value, key
    table = _cli(*args, "--no-progress", home=installed)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert "p_mcnemar" in lines[2] and "McNemar" in lines[2]
    header = lines[4].split()
    assert header[:5] == ["goldset", "kind", "metric", "n_common", "score_a"] and "p_mcnemar" in header
