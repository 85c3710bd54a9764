"""Objective weights at the edges of floating point, hostile objective JSON, --oov subword
without n-grams, `goldsets import` into a cache that cannot be written, and a batch of bad
invocations that must each end in one line and exit 2."""

from __future__ import annotations

import json
import math
import os
import subprocess
import warnings

import numpy as np
import pytest

from w2veval import WordVectors, evaluate
from w2veval.objective import MAX_JSON_DEPTH, Objective, ObjectiveError

WORDS = ["cat", "dog", "car", "bus", "sun", "moon", "tree", "leaf"]


@pytest.fixture(scope="module")
def toy_vectors():
    rng = np.random.default_rng(3)
    return WordVectors(WORDS, rng.normal(size=(len(WORDS), 6)))


@pytest.fixture(scope="module")
def toy_goldsets(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gold")
    a = folder / "a.tsv"
    a.write_text("cat\tdog\t8\ncar\tbus\t7\nsun\tmoon\t6\ntree\tleaf\t7.5\ncat\tcar\t1\ndog\tsun\t2\n")
    b = folder / "b.tsv"
    b.write_text("cat\tbus\t3\ndog\tcar\t2\nmoon\ttree\t4\nleaf\tsun\t1\ncat\tleaf\t5\n")
    return str(a), str(b)


def _value(objective, vectors):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return objective.evaluate(vectors).value


@pytest.mark.parametrize("weight", ["5e-324", "1e-310", "1e308", "1.7976931348623157e308", "3"])
def test_equal_weights_give_the_plain_mean_whatever_their_size(toy_vectors, toy_goldsets, weight):
    a, b = toy_goldsets
    plain = _value(Objective.parse(f"1*{a}+1*{b}"), toy_vectors)
    objective = Objective.parse(f"{weight}*{a}+{weight}*{b}")
    assert objective.shares == (0.5, 0.5)
    assert _value(objective, toy_vectors) == pytest.approx(plain, abs=1e-15)
    assert Objective.parse(str(objective)) == objective
    assert Objective.parse(objective.to_json()) == objective
    assert objective.terms[0].weight == float(weight)  # the weights as written are kept


def test_unequal_extreme_weights(toy_vectors, toy_goldsets):
    a, b = toy_goldsets
    scores = [_value(Objective.parse(f"1*{name}"), toy_vectors) for name in (a, b)]
    objective = Objective.parse(f"1e308*{a}+3e307*{b}")
    assert objective.shares == pytest.approx((1 / 1.3, 0.3 / 1.3), rel=1e-15)
    assert _value(objective, toy_vectors) == pytest.approx((scores[0] + 0.3 * scores[1]) / 1.3, abs=1e-15)
    tiny = Objective.parse(f"1e308*{a}+5e-324*{b}")  # b's share rounds to 0, as exact arithmetic says
    assert tiny.shares == (1.0, 0.0) and _value(tiny, toy_vectors) == pytest.approx(scores[0], abs=1e-15)


def _nested(depth: int) -> str:
    return '{"terms": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("text", [_nested(100_000), _nested(MAX_JSON_DEPTH), '{"a": ' * 50_000])
def test_deeply_nested_objective_json_is_an_objective_error(text):
    with pytest.raises(ObjectiveError, match=f"nests deeper than {MAX_JSON_DEPTH} levels"):
        Objective.parse(text)


def test_brackets_inside_names_do_not_count_as_nesting():
    name = "a" + "[" * 100 + '\\"'
    objective = Objective.parse(json.dumps({"terms": [{"weight": 1, "goldset": name + "x"}]}))
    assert objective.terms[0].goldset == name + "x"


def test_objectives_on_the_command_line(w2veval_cli, tmp_path):
    deep = _nested(50_000)  # 100 KB: one argument may not exceed 128 KB
    for argv in (
        ("sagemaker", "metric-definitions", "--objective", deep),
        ("tune", "run", tmp_path / "corpus.txt", "--trials", "1", "--objective", deep),
    ):
        done = w2veval_cli(*argv)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-500:]
        assert "nests deeper than" in done.stderr and "Traceback" not in done.stderr
    done = w2veval_cli("sagemaker", "metric-definitions", "--objective", "1e308*ws353+5e-324*simlex999")
    assert done.returncode == 0, done.stderr


def test_tuning_with_huge_weights_gives_the_mean(w2veval_cli, tmp_path, toy_goldsets):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(("cat dog car bus sun moon tree leaf\n" * 300), encoding="utf-8")
    a, b = toy_goldsets
    done = w2veval_cli(
        "tune",
        "run",
        corpus,
        "--trials",
        "1",
        "--objective",
        f"1e308*{a}+1e308*{b}",
        "--storage",
        f"sqlite:///{tmp_path / 'study.db'}",
        "--range",
        "vector_dim=8:9",
        "--set",
        "min_count=1",
        "--set",
        "epochs=1",
        "--set",
        "mode=cbow",
        "--format",
        "json",
        "--no-progress",
    )
    assert done.returncode == 0, done.stderr
    trial = json.loads(done.stdout)[0]
    assert trial["state"] == "COMPLETE"
    assert trial["objective"] == pytest.approx((trial["a"] + trial["b"]) / 2, abs=1e-15)


# --- --oov subword without n-grams ------------------------------------------------------------


def test_subword_without_ngrams_is_recorded_as_drop(w2v_model, fasttext_model):
    with pytest.warns(UserWarning, match=r"oov='subword' but .* no subword .* the result's oov says 'drop'"):
        row = evaluate(w2v_model.wv, "ws353", oov="subword").iloc[0]
    assert row["oov"] == "drop"
    dropped = evaluate(w2v_model.wv, "ws353", oov="drop").iloc[0]
    assert row["spearman"] == dropped["spearman"] and row["n_scored"] == dropped["n_scored"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert evaluate(fasttext_model.wv, "ws353", oov="subword").iloc[0]["oov"] == "subword"


def test_subword_without_ngrams_on_the_command_line(w2veval_cli, model_files):
    done = w2veval_cli(
        "score", model_files["sg"], "-g", "ws353", "--oov", "subword", "--format", "json", "--no-progress"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["oov"] == "drop"
    said = [line for line in done.stderr.splitlines() if "--oov subword" in line]
    assert said == [
        f"w2veval: warning: ws353: --oov subword but {model_files['sg']} has no subword "
        "(fastText n-gram) vectors; pairs with an unknown word are dropped and the result's "
        "oov says 'drop' (a fastText .bin model has subwords)"
    ]


# --- goldsets import into a cache that cannot be written ------------------------------------------


@pytest.fixture(scope="module")
def goldset_copy(tmp_path_factory, shared_goldsets):
    folder = tmp_path_factory.mktemp("copy")
    for name in ("ws353", "rg65"):
        source = shared_goldsets / name
        if source.is_dir():
            for file in source.rglob("*"):
                if file.is_file():
                    (folder / file.name).write_bytes(file.read_bytes())
    assert os.listdir(folder)
    return folder


def _read_only_mount(folder):
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def test_import_into_a_cache_that_cannot_be_written(w2veval_cli, goldset_copy, tmp_path):
    a_file = tmp_path / "home-file"
    a_file.write_text("not a folder")
    homes = {
        a_file: "a file is in the way",
        a_file / "sub": "a file is in the way",
        "/proc/w2veval-home": "No such file or directory",
        "/sys/w2veval-home": "not permitted",
    }
    read_only = tmp_path / "ro"
    mounted = _read_only_mount(read_only)
    if mounted:
        homes[read_only] = "Read-only file system"
    try:
        for home, reason in homes.items():
            done = w2veval_cli("goldsets", "import", goldset_copy, env={"W2VEVAL_HOME": str(home)})
            assert done.returncode == 2, (home, done.stdout, done.stderr)
            assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
            assert done.stderr.startswith(
                f"w2veval: error: cannot install gold sets into {home}/goldsets (W2VEVAL_HOME={home}): "
            ), done.stderr
            assert reason in done.stderr and "set W2VEVAL_HOME to a folder you can write to" in done.stderr
    finally:
        if mounted:
            subprocess.run(["umount", str(read_only)], check=True)
    assert a_file.read_text() == "not a folder"


def test_fetch_into_a_cache_that_cannot_be_written(w2veval_cli, tmp_path):
    a_file = tmp_path / "home-file"
    a_file.write_text("not a folder")
    done = w2veval_cli("goldsets", "fetch", "rg65", "--no-progress", env={"W2VEVAL_HOME": str(a_file)})
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "a file is in the way" in done.stderr and a_file.read_text() == "not a folder"


def test_import_into_a_good_cache_still_works(w2veval_cli, goldset_copy, tmp_path):
    done = w2veval_cli("goldsets", "import", goldset_copy, env={"W2VEVAL_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    assert "0 installed" not in done.stdout and "rg65" in done.stdout


# --- a batch of bad invocations: one line, exit 2, never a traceback --------------------------------


def test_bad_invocations_never_print_a_traceback(w2veval_cli, tmp_path, model_files):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    gold = tmp_path / "gold.tsv"
    gold.write_text("cat\tdog\t7,5\n")
    one_score = tmp_path / "one.tsv"
    one_score.write_text("word1\tword2\trater1\ncat\tdog\t7\n")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    cases = [
        ("score", empty),
        ("score", model_files["sg"], "-g", gold),
        ("score", model_files["sg"], "-g", "simlex99"),
        ("score", model_files["sg"], "-g", "ws353", "--encoding", "latin-1"),
        ("neighbours", model_files["sg"], "no-such-word-xyz"),
        ("compare", model_files["sg"]),
        ("goldsets", "template", model_files["sg"], "--n", "4", "-o", tmp_path / "no" / "x.csv"),
        ("goldsets", "template", model_files["sg"], "--n", "4", "-o", "/dev/full"),
        ("goldsets", "import", tmp_path / "missing-folder"),
        ("goldsets", "validate", gold),
        ("goldsets", "show", "no-such-set"),
        ("tune", "run", empty, "--trials", "1", "--objective", "0.5*ws353+"),
        ("tune", "run", empty, "--trials", "1", "--objective", '{"terms": 1}'),
        ("sagemaker", "metric-definitions"),
        ("tune", "run", empty, "--trials", "1", "--space", deep),
        ("goldsets", "agreement", one_score),
        (
            "score",
            model_files["sg"],
            "-g",
            "ws353",
            "--resamples",
            "5",
            "--ci",
            "0.9",
            "--oov",
            "mean",
            "--bad-scores",
            "drop",
        ),
        ("report", model_files["sg"], "--format", "markdown", "-o", tmp_path / "no" / "r.md"),
    ]
    for argv in cases:
        done = w2veval_cli(*argv)
        assert done.returncode == 2, (argv, done.stderr)
        assert "Traceback" not in done.stderr, (argv, done.stderr)
        errors = [line for line in done.stderr.splitlines() if "error:" in line]
        assert len(errors) == 1 and errors[0].startswith("w2veval: error: "), (argv, done.stderr)
    assert sorted(os.listdir(tmp_path)) == ["deep.json", "empty.txt", "gold.tsv", "one.tsv"]


def test_nan_weights_stay_refused():
    for text in ("nan*a", "inf*a", "1e309*a"):
        with pytest.raises(ObjectiveError):
            Objective.parse(text)
    assert math.isfinite(Objective.parse("1e308*a").shares[0])
