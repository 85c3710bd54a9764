"""Evaluator plug-ins: a real third-party package, installed with pip, found
through the ``w2veval.evaluators`` entry-point group."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from w2veval import EvaluatorError, register_evaluator
from w2veval.scoring import WordPairEvaluator, registered_evaluators

TOY_PACKAGE = Path(__file__).parent / "data" / "toy_evaluator"


@pytest.fixture(scope="module")
def toy_site(tmp_path_factory):
    """The toy package pip-installed into a folder of its own (the venv stays clean)."""
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    # Offline build with the venv's own setuptools when it has one (Python 3.11 venvs do).
    offline = ["--no-index", "--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            *offline,
            "--target",
            str(target),
            str(TOY_PACKAGE),
        ],
        check=True,
        cwd=build,
        capture_output=True,
    )
    return target


@pytest.fixture
def goldset_file(tmp_path, w2v_model):
    words = w2v_model.wv.index_to_key
    path = tmp_path / "toy-set.tsv"
    path.write_text(f"{words[1]}\t{words[1]}\t10\n{words[2]}\t{words[3]}\t4\nzzzz\t{words[4]}\t2\n")
    return path


def _run(code_or_args, site, *, module=False):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    argv = ["-m", "w2veval", *code_or_args] if module else ["-c", code_or_args]
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=env)


def test_builtin_evaluator_is_registered_through_the_same_api():
    names = [e.name for e in registered_evaluators()]
    assert "word-pairs" in names
    assert register_evaluator(WordPairEvaluator).name == "word-pairs"


def test_installed_plugin_is_used_by_evaluate(toy_site, goldset_file, w2v_model, tmp_path):
    vectors = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    code = (
        f"import json, w2veval; t = w2veval.evaluate({str(vectors)!r}, [{str(goldset_file)!r}, 'ws353']); "
        "print(json.dumps(t[['goldset', 'evaluator', 'n_scored', 'toy_identical_share']]"
        ".astype(str).values.tolist()))"
    )
    done = _run(code, toy_site)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows[0][:3] == ["toy-set", "toy-overlap", "2"]
    assert float(rows[0][3]) == pytest.approx(1 / 3)
    assert rows[1][:2] == ["ws353", "word-pairs"]


def test_installed_plugin_is_used_by_the_cli(toy_site, goldset_file, w2v_model, tmp_path):
    vectors = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    done = _run(["score", str(vectors), "-g", str(goldset_file), "--format", "json"], toy_site, module=True)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)[0]
    assert row["evaluator"] == "toy-overlap" and row["toy_identical_share"] == pytest.approx(1 / 3)


def test_a_malformed_evaluator_is_refused():
    with pytest.raises(EvaluatorError, match="not an evaluator"):
        register_evaluator(object())
