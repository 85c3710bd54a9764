"""Outputs are written whole or not at all: files (atomic rename) and standard output.

Read-only and full file systems are real: a tmpfs mounted read-only or with a few KB
(the tests run as root, where ``chmod`` does not stop writes; without the right to
mount, those tests are skipped), ``/dev/full``, and ``/sys``, where even root cannot
create a file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys

import pytest

from w2veval._output import write_atomic
from w2veval.errors import OutputError, OutputExistsError, W2VEvalError


@contextlib.contextmanager
def _tmpfs(folder, options: str):
    folder.mkdir()
    mount = shutil.which("mount")
    done = (
        subprocess.run(
            [mount, "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True
        )
        if mount
        else None
    )
    if done is None or done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() if done else 'no mount command'}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def read_only_dir(tmp_path):
    with _tmpfs(tmp_path / "ro", "ro,size=64k") as folder:
        yield folder


@pytest.fixture
def tiny_dir(tmp_path):
    with _tmpfs(tmp_path / "tiny", "size=16k") as folder:
        yield folder


# --- the library helper -------------------------------------------------------------------


def test_write_atomic_writes_replaces_and_refuses(tmp_path):
    target = tmp_path / "out.txt"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    with pytest.raises(OutputExistsError, match=r"out.txt: the file exists; remove it first") as err:
        write_atomic(target, b"three", overwrite=False, exists_hint="remove it first")
    assert isinstance(err.value, FileExistsError) and isinstance(err.value, W2VEvalError)
    assert target.read_bytes() == b"two" and os.listdir(tmp_path) == ["out.txt"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    "where,reason",
    [
        ("missing/out.txt", "the folder .*missing does not exist"),
        ("a-file/out.txt", "Not a directory"),
        (".", "this is a folder"),
    ],
)
def test_write_atomic_refuses_impossible_paths(tmp_path, where, reason):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(OutputError, match=reason):
        write_atomic(tmp_path / where, b"data")
    assert sorted(os.listdir(tmp_path)) == ["a-file"]


def test_write_atomic_on_dev_full_and_sys():
    with pytest.raises(OutputError, match=r"^/dev/full: cannot write: No space left on device$"):
        write_atomic("/dev/full", b"data")
    with pytest.raises(OutputError, match=r"^/sys/w2veval-out.txt: cannot write here: "):
        write_atomic("/sys/w2veval-out.txt", b"data")
    write_atomic("/dev/null", b"data")  # a device is written to, never replaced


def test_write_atomic_on_a_read_only_file_system(read_only_dir):
    with pytest.raises(OutputError, match="Read-only file system"):
        write_atomic(read_only_dir / "out.txt", b"data")
    assert os.listdir(read_only_dir) == []


def test_write_atomic_on_a_full_file_system_leaves_nothing(tiny_dir):
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(tiny_dir / "out.txt", b"x" * 1_000_000)
    assert os.listdir(tiny_dir) == []
    (tiny_dir / "kept.txt").write_bytes(b"old")
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(tiny_dir / "kept.txt", b"x" * 1_000_000)
    assert os.listdir(tiny_dir) == ["kept.txt"] and (tiny_dir / "kept.txt").read_bytes() == b"old"


# --- the command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory):
    path = tmp_path_factory.mktemp("vocab") / "vocab.txt"
    words = [f"ward{a}{b}" for a in "abcdefgh" for b in "abcdefgh"]
    path.write_text("\n".join(f"{w} {1000 - i}" for i, w in enumerate(words)) + "\n", encoding="utf-8")
    return path


def _one_line_error(done, *fragments):
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("w2veval: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr


def test_template_output_cases(w2veval_cli, vocabulary, tmp_path):
    template = ("goldsets", "template", vocabulary, "--n", "6", "-o")
    _one_line_error(w2veval_cli(*template, tmp_path / "missing" / "sheet.csv"), "does not exist")
    _one_line_error(w2veval_cli(*template, "/dev/full"), "/dev/full: cannot write: No space left on device")
    _one_line_error(w2veval_cli(*template, "/sys/sheet.csv"), "/sys/sheet.csv: cannot write here")
    _one_line_error(w2veval_cli(*template, vocabulary / "sheet.csv"), "Not a directory")
    _one_line_error(w2veval_cli(*template, tmp_path), "this is a folder")
    assert os.listdir(tmp_path) == []

    sheet = tmp_path / "sheet.csv"
    sheet.write_text("word1,word2,score\nwardaa,wardab,7\n", encoding="utf-8")
    _one_line_error(
        w2veval_cli(*template, sheet), "the file exists; it may hold ratings", "remove it or pass --overwrite"
    )
    assert sheet.read_text(encoding="utf-8").endswith("wardaa,wardab,7\n")
    done = w2veval_cli(*template, sheet, "--overwrite")
    assert done.returncode == 0 and done.stdout.startswith("wrote 6 candidate pairs"), done.stderr
    assert sheet.read_text(encoding="utf-8").count("\n") == 7 and os.listdir(tmp_path) == ["sheet.csv"]


def test_template_output_on_read_only_and_full_file_systems(w2veval_cli, vocabulary, read_only_dir, tmp_path):
    template = ("goldsets", "template", vocabulary, "--n", "6", "-o")
    _one_line_error(w2veval_cli(*template, read_only_dir / "sheet.csv"), "Read-only file system")
    with _tmpfs(tmp_path / "full", "size=4k") as full:
        (full / "filler").write_bytes(b"x" * 4096)
        _one_line_error(w2veval_cli(*template, full / "sheet.csv"), "No space left on device")
        assert os.listdir(full) == ["filler"]


def _run_to_dev_full(*args):
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "w2veval", *map(str, args)], stdout=full, stderr=subprocess.PIPE, text=True
        )


@pytest.mark.parametrize(
    "argv",
    [("goldsets", "list"), ("goldsets", "cite", "ws353"), ("goldsets", "template", "VOCAB", "--n", "6")],
)
def test_standard_output_on_a_full_device_is_one_line(argv, vocabulary):
    done = _run_to_dev_full(*[vocabulary if a == "VOCAB" else a for a in argv])
    assert done.returncode == 2
    assert done.stderr == "w2veval: error: cannot write output: No space left on device\n"


def test_score_to_dev_full(model_files):
    done = _run_to_dev_full("score", model_files["sg"], "-g", "ws353", "--no-progress")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "w2veval: error: cannot write output: No space left on device"
    assert "Traceback" not in done.stderr


# --- whole numbers print as integers -----------------------------------------------------------


def test_counts_and_ranks_print_as_integers_in_tables_csv_and_json():
    import json

    import numpy as np
    import pandas as pd

    from w2veval._output import render_frame, to_csv, to_table

    # What pandas makes of real results: an int column with a NaN becomes float64, a rank
    # computed with NaN is float, and numpy scalars come out of to_dict.
    frame = pd.DataFrame(
        {
            "rank": [1.0, np.nan],
            "vectors": ["a", "b"],
            "n_pairs": [353, 353],
            "n_scored": [np.float64(300.0), np.nan],
            "vector_dim": [100, None],
            "spearman": [1.0, 0.25],
        }
    )
    assert frame["vector_dim"].dtype.kind == "f"  # int with a NaN: float64
    table = render_frame(frame, "table").splitlines()
    assert table[0].split() == ["rank", "vectors", "n_pairs", "n_scored", "vector_dim", "spearman"]
    assert table[2].split() == ["1", "a", "353", "300", "100", "1.0000"]
    assert table[3].split() == ["nan", "b", "353", "nan", "nan", "0.2500"]
    assert render_frame(frame, "csv").splitlines()[1:] == ["1,a,353,300,100,1.0", ",b,353,,,0.25"]
    rows = json.loads(render_frame(frame, "json"))
    assert [type(rows[0][k]) for k in ("rank", "n_scored", "vector_dim", "spearman")] == [
        int,
        int,
        int,
        float,
    ]

    rows = [{"goldset": "ws353", "n_common": 30.0, "delta": 2.0}]
    assert to_table(rows, ("goldset", "n_common", "delta")).splitlines()[2].split() == [
        "ws353",
        "30",
        "2.0000",
    ]
    assert to_csv(rows).splitlines()[1] == "ws353,30,2.0"  # a float statistic stays a float
