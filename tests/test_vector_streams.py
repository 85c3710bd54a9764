"""Vectors from what cannot seek: standard input (``-``), pipes, process substitution, FIFOs.

Every stream here is a real pipe (``os.pipe``, ``subprocess`` with ``stdin=PIPE``, bash's
``<(...)``) and every FIFO a real one (``os.mkfifo``). The expected vectors come from
gensim reading the same bytes from a regular file.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import pty
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors

from w2veval import evaluate
from w2veval.errors import VectorFormatError, VectorSourceError
from w2veval.io import _spool, _streams, load_vectors

CORPUS = Path(__file__).parent / "corpus"
CLEAN_TXT, CLEAN_BIN = CORPUS / "clean.txt", CORPUS / "clean.bin"
FASTTEXT = CORPUS / "stream_quirks" / "fasttext.bin"
CLI_SECONDS = 120  # a cold interpreter importing gensim on a loaded 2-core machine


def tar_gz(members) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


TEXT, BINARY = CLEAN_TXT.read_bytes(), CLEAN_BIN.read_bytes()
#: name -> (bytes piped in, the plain file gensim reads as the oracle)
STREAMS = {
    "text": (TEXT, CLEAN_TXT),
    "text.gz": (gzip.compress(TEXT), CLEAN_TXT),
    "text.bz2": (bz2.compress(TEXT), CLEAN_TXT),
    "text.xz": (lzma.compress(TEXT), CLEAN_TXT),
    "binary": (BINARY, CLEAN_BIN),
    "binary.gz": (gzip.compress(BINARY), CLEAN_BIN),
    "model.tar.gz": (
        tar_gz([("vectors.bin", BINARY), ("eval.json", b"{}"), ("vectors.txt", TEXT)]),
        CLEAN_TXT,
    ),
    "plain.tar": (gzip.decompress(tar_gz([("out/vectors.txt", TEXT)])), CLEAN_TXT),
}


def gensim_view(path: Path) -> KeyedVectors:
    if path == FASTTEXT:
        return load_facebook_vectors(str(path))
    return KeyedVectors.load_word2vec_format(str(path), binary=path.suffix == ".bin")


def assert_same(wv, kv, words=None):
    expected = [w for w in kv.index_to_key if words is None or w in words]
    assert wv.words == expected
    np.testing.assert_array_equal(wv.vectors, np.array([kv[w] for w in expected]))


@contextmanager
def pipe_feeding(data: bytes, *, pause_after: int | None = None, pause: float = 0.0):
    """The read end of a real pipe that a thread fills with ``data``, then closes."""
    read, write = os.pipe()

    def feed():
        with os.fdopen(write, "wb") as out:
            try:
                out.write(data[:pause_after])
                out.flush()
                time.sleep(pause)
                out.write(data[pause_after:] if pause_after is not None else b"")
            except BrokenPipeError:  # the reader stopped early: fine
                pass

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        yield read
    finally:
        os.close(read)
        thread.join(10)


@contextmanager
def stdin_from(monkeypatch, data: bytes):
    """``sys.stdin`` reading ``data`` through a real pipe."""
    with pipe_feeding(data) as read:
        stream = os.fdopen(os.dup(read), "rb")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
        try:
            yield
        finally:
            stream.close()


def cli(*args, stdin=None, tmp_path: Path, timeout=CLI_SECONDS, **kwargs):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, W2VEVAL_HOME=str(home), **kwargs.pop("env", {}))
    return subprocess.run(
        [sys.executable, "-m", "w2veval", *map(str, args)],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        cwd=tmp_path,
        env=env,
        **kwargs,
    )


def one_error_line(out, fragment: str) -> str:
    """The single ``w2veval: error:`` line of a refused run (exit 2, no traceback)."""
    stderr = out.stderr.decode() if isinstance(out.stderr, bytes) else out.stderr
    assert out.returncode == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("w2veval: error: "), stderr
    assert fragment in lines[0]
    return lines[0]


# ----------------------------------------------------------------- standard input


@pytest.mark.parametrize("kind", sorted(STREAMS))
def test_stdin_formats_read_as_from_the_file(kind, monkeypatch):
    data, plain = STREAMS[kind]
    kv = gensim_view(plain)
    with stdin_from(monkeypatch, data):
        wv = load_vectors("-")
    assert_same(wv, kv)
    assert wv.source == "<stdin>" or wv.source.startswith("<stdin>[")


def test_stdin_with_a_word_subset(monkeypatch):
    kv = gensim_view(CLEAN_TXT)
    with stdin_from(monkeypatch, gzip.compress(TEXT)):
        wv = load_vectors("-", words=["coast", "plane"])
    assert_same(wv, kv, words={"coast", "plane"})


def test_fasttext_from_stdin_goes_through_a_copy_that_disappears(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    kv = gensim_view(FASTTEXT)
    with stdin_from(monkeypatch, FASTTEXT.read_bytes()):
        wv = load_vectors("-")
    assert_same(wv, kv)
    np.testing.assert_array_equal(wv.subword_vector("unseenword"), kv["unseenword"])
    assert os.listdir(tmp_path) == []


def test_damaged_fasttext_from_stdin_is_refused_before_it_is_copied(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = bytearray(FASTTEXT.read_bytes())
    data[8:12] = (1 << 30).to_bytes(4, "little")  # the dimension
    copies = []
    monkeypatch.setattr(_spool, "_copy", lambda *args: copies.append(args))
    with stdin_from(monkeypatch, bytes(data)), pytest.raises(VectorFormatError, match="not plausible"):
        load_vectors("-")
    assert copies == []


def test_stdin_reads_once_and_says_so(monkeypatch):
    with stdin_from(monkeypatch, TEXT):
        load_vectors("-")
        with pytest.raises(VectorSourceError, match="standard input is empty") as info:
            load_vectors("-")
    assert info.value.path == "<stdin>"


def test_a_pipe_named_by_path(tmp_path):
    """What ``<(zcat v.txt.gz)`` hands over: /dev/fd/N, a pipe that cannot seek."""
    kv = gensim_view(CLEAN_TXT)
    with pipe_feeding(gzip.compress(TEXT)) as read:
        wv = load_vectors(f"/dev/fd/{read}")
    assert_same(wv, kv)


def test_a_pipe_that_breaks_off_inside_gzip_is_a_format_error():
    with (
        pipe_feeding(gzip.compress(TEXT)[:-30]) as read,
        pytest.raises(VectorFormatError, match="damaged or truncated gzip"),
    ):
        load_vectors(f"/dev/fd/{read}")


# ------------------------------------------------------------------- the command line


@pytest.fixture(autouse=True)
def _few_pairs_are_expected():
    """The corpus vocabularies are tiny: the oracle's coverage warnings are expected."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def truth(plain: Path, goldset: str = "ws353") -> dict:
    row = evaluate(gensim_view(plain), goldset).iloc[0]
    return {"n_scored": int(row["n_scored"]), "spearman": float(row["spearman"])}


def json_row(out) -> dict:
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    return row


@pytest.mark.parametrize("kind", ["text.gz", "binary", "model.tar.gz"])
def test_cli_score_reads_stdin(kind, tmp_path):
    data, plain = STREAMS[kind]
    row = json_row(cli("score", "-", "-g", "ws353", "--format", "json", stdin=data, tmp_path=tmp_path))
    expected = truth(plain)
    assert row["vectors"] == "-" and row["n_scored"] == expected["n_scored"] > 0
    assert row["spearman"] == pytest.approx(expected["spearman"], abs=1e-12)
    assert os.listdir(tmp_path) == ["home"]


def test_cli_score_fasttext_from_stdin(tmp_path):
    spool = tmp_path / "tmp"
    spool.mkdir()
    words = gensim_view(FASTTEXT).index_to_key  # the published sets know few of its words
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(f"{words[0]}\t{words[1]}\t1\n{words[2]}\t{words[3]}\t2\n{words[0]}\t{words[3]}\t3\n")
    row = json_row(
        cli(
            "score",
            "-",
            "-g",
            pairs,
            "--format",
            "json",
            stdin=FASTTEXT.read_bytes(),
            tmp_path=tmp_path,
            env={"TMPDIR": str(spool)},
        )
    )
    expected = truth(FASTTEXT, str(pairs))
    assert row["n_scored"] == expected["n_scored"] == 3
    assert row["spearman"] == pytest.approx(expected["spearman"], abs=1e-12)
    assert os.listdir(spool) == []


@pytest.mark.parametrize("producer", ["cat {file}", "gzip -dc {file}.gz"])
def test_cli_score_process_substitution(producer, tmp_path):
    (tmp_path / "v.txt.gz").write_bytes(gzip.compress(TEXT))
    (tmp_path / "v.txt").write_bytes(TEXT)
    command = (
        f"exec {sys.executable} -m w2veval score "
        f"<({producer.format(file=tmp_path / 'v.txt')}) -g ws353 --format json"
    )
    out = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        timeout=CLI_SECONDS,
        cwd=tmp_path,
        env=dict(os.environ, W2VEVAL_HOME=str(tmp_path / "home")),
    )
    row = json_row(out)
    assert row["vectors"].startswith("/dev/fd/")
    assert (row["n_scored"], row["spearman"]) == pytest.approx(tuple(truth(CLEAN_TXT).values()))


def test_cli_neighbours_from_stdin(tmp_path):
    kv = gensim_view(CLEAN_TXT)
    out = cli("neighbours", "-", "plane", "-k", "3", "--format", "json", stdin=TEXT, tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    found = [(r["neighbour"], r["similarity"]) for r in json.loads(out.stdout)]
    expected = kv.most_similar("plane", topn=3)
    assert [w for w, _ in found] == [w for w, _ in expected]
    assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-6)


@pytest.mark.parametrize(
    ("args", "data"),
    [
        (["score", "-"], b""),
        (["score", "-", "-", "-g", "ws353"], TEXT),  # the second '-' finds it read
        (["score", "-", "--oov", "mean", "-g", "ws353"], TEXT),  # the mean pass reads it again
    ],
    ids=["nothing piped", "given twice", "oov mean"],
)
def test_cli_stdin_read_once(args, data, tmp_path):
    out = cli(*args, stdin=data, tmp_path=tmp_path)
    assert out.returncode == 2 and out.stdout == b""
    errors = [line for line in out.stderr.decode().splitlines() if "error" in line]
    assert errors == [
        "w2veval: error: <stdin>: standard input is empty: nothing was piped in, "
        "or it was already read ('-' can be read only once)"
    ]


def test_cli_stdin_that_is_a_terminal(tmp_path):
    main, secondary = pty.openpty()
    try:
        out = subprocess.run(
            [sys.executable, "-m", "w2veval", "score", "-"],
            stdin=secondary,
            capture_output=True,
            text=True,
            timeout=CLI_SECONDS,
            cwd=tmp_path,
        )
    finally:
        os.close(main)
        os.close(secondary)
    one_error_line(out, "<stdin>: standard input is a terminal; pipe the vectors in")


# ---------------------------------------------------------------- FIFOs and devices


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "vectors.fifo"
    os.mkfifo(path)
    return path


def test_fifo_without_a_writer_is_refused_in_bounded_time(fifo, monkeypatch):
    monkeypatch.setenv(_streams.FIFO_WAIT_ENV, "0.3")
    started = time.monotonic()
    with pytest.raises(VectorSourceError, match="is a FIFO with no writer") as info:
        load_vectors(fifo)
    assert time.monotonic() - started < 5
    assert info.value.path == str(fifo) and "'-'" in info.value.message


def write_fifo(path: Path, data: bytes, *, delay_open=0.0, delay_write=0.0):
    def writer():
        time.sleep(delay_open)
        with open(path, "wb") as out:  # blocks until the reader has opened it
            time.sleep(delay_write)
            out.write(data)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(
    ("delay_open", "delay_write"),
    [(0, 0), (0.2, 0), (0, 1.0)],
    ids=["writer waiting", "writer comes soon", "slow writer"],
)
def test_fifo_with_a_writer(fifo, monkeypatch, delay_open, delay_write):
    """A writer that opens within the wait is read; once it is there, it may take its time."""
    monkeypatch.setenv(_streams.FIFO_WAIT_ENV, "0.5")
    thread = write_fifo(fifo, gzip.compress(TEXT), delay_open=delay_open, delay_write=delay_write)
    wv = load_vectors(fifo)
    thread.join(5)
    assert_same(wv, gensim_view(CLEAN_TXT))


def test_cli_fifo_without_a_writer(fifo, tmp_path):
    started = time.monotonic()
    out = cli("score", fifo, tmp_path=tmp_path, env={_streams.FIFO_WAIT_ENV: "0.5"}, text=True)
    line = one_error_line(out, f"w2veval: error: {fifo}: this is a FIFO with no writer")
    assert "stream the vectors with '-' or a pipe" in line
    assert time.monotonic() - started < CLI_SECONDS


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_character_devices_are_refused(device, tmp_path):
    with pytest.raises(VectorSourceError, match="this is a character device, not a file"):
        load_vectors(device)
    one_error_line(
        cli("score", device, tmp_path=tmp_path, text=True),
        f"w2veval: error: {device}: this is a character device",
    )


# --------------------------------------------------------- the spooled fastText copy


SPOOL_SCRIPT = """
import sys
import w2veval.io._spool as spool
if sys.argv[1] == "named":
    spool._fd_alias = lambda fd: None
from w2veval.cli import main
raise SystemExit(main(["score", "-", "-g", "simlex999"]))
"""


def _streams_sample() -> int:
    from w2veval.io._detect import SAMPLE_BYTES

    return SAMPLE_BYTES


def open_spools(pid: int, folder: Path) -> list[str]:
    """Files in ``folder`` (named or deleted) that process ``pid`` holds open."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


@pytest.fixture(scope="module")
def big_fasttext(tmp_path_factory, fasttext_model) -> bytes:
    """A fastText .bin of a few MB (conftest's Lee-corpus model): longer than the peek."""
    from gensim.models.fasttext import save_facebook_model

    path = tmp_path_factory.mktemp("fasttext") / "big.bin"
    save_facebook_model(fasttext_model, str(path))
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["unnamed", "named"])
def test_sigterm_while_copying_fasttext_leaves_no_file(kind, tmp_path, big_fasttext):
    """SIGTERM to a process copying fastText from a pipe: the temporary folder stays empty."""
    spool = tmp_path / "tmp"
    spool.mkdir()
    data = big_fasttext
    assert len(data) > 4 * _streams_sample()
    proc = subprocess.Popen(
        [sys.executable, "-c", SPOOL_SCRIPT, kind],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=dict(os.environ, TMPDIR=str(spool), W2VEVAL_HOME=str(tmp_path / "home")),
    )
    try:
        proc.stdin.write(data[: len(data) // 2])  # the copy has begun and waits for more
        proc.stdin.flush()
        deadline = time.monotonic() + CLI_SECONDS
        while not open_spools(proc.pid, spool):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the copy never started"
            time.sleep(0.05)
        held = open_spools(proc.pid, spool)
        if kind == "unnamed":
            assert held[0].endswith("(deleted)") and os.listdir(spool) == []
        else:
            assert [Path(p).name for p in held] == os.listdir(spool)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        proc.kill()
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()
        proc.stderr.close()
    assert os.listdir(spool) == []


def test_named_copy_is_removed_after_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(_spool, "_fd_alias", lambda fd: None)
    data = FASTTEXT.read_bytes()[:-10]
    with stdin_from(monkeypatch, data), pytest.raises(VectorFormatError, match="truncated"):
        load_vectors("-")
    assert os.listdir(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


# ------------------------------------------------------------------------ memory


MEMORY_SCRIPT = """
import resource, sys
from w2veval.io import load_vectors
wv = load_vectors("-", words=["w7"])
assert wv.words == ["w7"], wv.words
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(data: bytes, tmp_path: Path) -> int:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT],
        input=data,
        capture_output=True,
        timeout=CLI_SECONDS,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr.decode()
    return int(out.stdout)


def test_a_stream_is_not_read_whole_into_memory(tmp_path):
    row = " ".join(["0.123456"] * 100)
    small = "".join(f"w{i} {row}\n" for i in range(10)).encode()
    big = "".join(f"w{i} {row}\n" for i in range(70_000)).encode()  # ~ 63 MB
    assert len(big) > 60 << 20
    grown = peak_kib(gzip.compress(big, compresslevel=1), tmp_path) - peak_kib(small, tmp_path)
    assert grown < 30 << 10, f"peak memory grew by {grown} KiB for a {len(big) >> 20} MB stream"
