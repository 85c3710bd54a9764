"""The command line, run as a real subprocess."""

import gzip
import json
import math

import pytest

from w2veval import evaluate


@pytest.fixture(scope="module")
def vectors_txt(tmp_path_factory, w2v_model):
    path = tmp_path_factory.mktemp("cli") / "vectors.txt"
    w2v_model.wv.save_word2vec_format(path)
    return path


def _json_rows(frame):
    rows = frame.to_dict("records")
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in rows]


def test_score_json_equals_the_library_result(w2veval_cli, vectors_txt):
    done = w2veval_cli("score", vectors_txt, "--format", "json", "-g", "ws353", "-g", "simlex999")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    expected = _json_rows(evaluate(str(vectors_txt), ["ws353", "simlex999"]))
    assert list(printed[0]) == list(expected[0])
    assert len(printed) == len(expected) == 2
    for got, want in zip(printed, expected, strict=True):
        for key, value in want.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value, abs=1e-15), key
            else:
                assert got[key] == value, key


def test_score_defaults_to_builtins_and_prints_a_table(w2veval_cli, vectors_txt):
    done = w2veval_cli("score", vectors_txt)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == [
        "vectors",
        "goldset",
        "kind",
        "n_pairs",
        "n_scored",
        "coverage",
        "spearman",
        "pearson",
        "kendall",
    ]
    assert [line.split()[1] for line in lines[2:]] == ["ws353", "simlex999"]


def test_score_csv_has_the_dataframe_columns(w2veval_cli, vectors_txt):
    done = w2veval_cli("score", vectors_txt, "--format", "csv", "-g", "ws353")
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split(",")
    assert header == list(evaluate(str(vectors_txt), "ws353").columns)


def test_score_restrict_vocab_and_case_flags_reach_the_library(w2veval_cli, vectors_txt):
    done = w2veval_cli(
        "score",
        vectors_txt,
        "--format",
        "json",
        "-g",
        "ws353",
        "--restrict-vocab",
        "500",
        "--case-sensitive",
        "--oov",
        "zero",
    )
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)[0]
    expected = evaluate(str(vectors_txt), "ws353", restrict_vocab=500, case_sensitive=True, oov="zero").iloc[
        0
    ]
    assert (row["restrict_vocab"], row["case_sensitive"], row["oov"]) == (500, True, "zero")
    assert row["spearman"] == pytest.approx(expected["spearman"], abs=1e-15)


def test_neighbours(w2veval_cli, vectors_txt, w2v_model):
    done = w2veval_cli("neighbours", vectors_txt, "government", "-k", "3", "--format", "json")
    assert done.returncode == 0, done.stderr
    got = [row["neighbour"] for row in json.loads(done.stdout)]
    expected = [w for w, _ in w2v_model.wv.most_similar("government", topn=3)]
    assert got == expected


BAD_VECTOR_FILES = {
    "empty.txt": (b"", None),
    "ragged.txt": (b"2 3\ntiger 1 2 3\ncat 1 2\n", 3),
    "nonnumeric.txt": (b"1 3\ntiger 1 x 3\n", 2),
    "count.txt": (b"3 2\nfoo 1 2\nbar 1 2\n", None),
    "nan.txt": (b"1 2\ntiger nan 1\n", 2),
    "dim.txt": (b"1 3\ntiger 1 2\n", 2),
    "truncated.bin": (b"2 4\nfoo \x00\x00\x80?\x00\x00", None),
    "unknown.dat": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None),
}


@pytest.mark.parametrize("name", sorted(BAD_VECTOR_FILES))
def test_bad_vectors_give_one_line_and_exit_2(w2veval_cli, tmp_path, name):
    content, line = BAD_VECTOR_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = sorted(p.name for p in tmp_path.iterdir())
    done = w2veval_cli("score", path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(path) in lines[0]
    if line is not None:
        assert f"{path}:{line}:" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_missing_file_and_unknown_goldset(w2veval_cli, tmp_path, vectors_txt):
    done = w2veval_cli("score", tmp_path / "nope.txt")
    assert done.returncode == 2 and "nope.txt" in done.stderr and "Traceback" not in done.stderr
    done = w2veval_cli("score", vectors_txt, "-g", "simlex99")
    assert done.returncode == 2 and "did you mean 'simlex999'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_bad_goldset_file_names_file_and_line(w2veval_cli, tmp_path, vectors_txt):
    gold = tmp_path / "gold.tsv"
    gold.write_text("cat\tdog\t3\ncar\tbus\thigh\n")
    done = w2veval_cli("score", vectors_txt, "-g", gold)
    assert done.returncode == 2
    assert f"{gold}:2:" in done.stderr and "Traceback" not in done.stderr


def test_gzip_vectors(w2veval_cli, tmp_path, vectors_txt):
    packed = tmp_path / "vectors.txt.gz"
    packed.write_bytes(gzip.compress(vectors_txt.read_bytes()))
    plain = json.loads(w2veval_cli("score", vectors_txt, "--format", "json").stdout)
    done = w2veval_cli("score", packed, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [r["spearman"] for r in json.loads(done.stdout)] == [r["spearman"] for r in plain]


def test_output_into_a_closed_pipe_is_not_an_error(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        f"'{sys.executable}' -m w2veval goldsets list | head -1", shell=True, capture_output=True, text=True
    )
    assert (
        done.stdout.startswith("name") and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    )
