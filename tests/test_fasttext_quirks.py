"""fastText files and archives of ``tests/corpus/stream_quirks/``, and fastText cut anywhere.

Each corpus file goes through the library and through ``python -m w2veval score``. The
expected values are stated here from fastText's layout and gensim's reader (the oracle
for files that load), never from w2veval's output. gensim loops forever on some of these
files, so every load runs under a deadline: ``signal.alarm`` in process, a timeout for
subprocesses.
"""

from __future__ import annotations

import json
import re
import signal
import struct
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from _outcomes import value_or_error
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors
from hypothesis import given, settings
from hypothesis import strategies as st

from w2veval import evaluate
from w2veval.errors import VectorFormatError
from w2veval.io import load_vectors
from w2veval.io._fasttext import check_fasttext_layout

CORPUS = Path(__file__).parent / "corpus"
QUIRKS = CORPUS / "stream_quirks"
REFERENCE = QUIRKS / "fasttext.bin"
SECONDS = 20  # per load; gensim's own reader on a cut old-layout file never returns
CLI_SECONDS = 120  # a cold interpreter importing gensim on a loaded 2-core machine


@contextmanager
def deadline(seconds: int = SECONDS):
    """Fail the test instead of hanging when the block takes longer than ``seconds``."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def ref():
    """gensim's reading of fasttext.bin, and the numbers its layout implies."""
    kv = load_facebook_vectors(str(REFERENCE))
    words = kv.index_to_key
    return {
        "kv": kv,
        "nwords": len(words),
        "bucket": kv.bucket,
        "dim": kv.vector_size,
        "size": REFERENCE.stat().st_size,
        "cut_entry": cut_entry(words),
    }


def cut_entry(words: list[str]) -> int:
    """The 1-based vocabulary entry whose bytes reach past 100 bytes before the vocabulary's end.

    Entries are the word's UTF-8 bytes, a NUL, an int64 count and an int8 type.
    """
    ends = np.cumsum([len(w.encode()) + 10 for w in words])
    return int(np.searchsorted(ends, ends[-1] - 100, side="right")) + 1


def refused(pattern):
    return ("refused", pattern)


def expected_cases(ref) -> dict[str, tuple]:
    """file -> ("loads", oracle path, format) or ("refused", regex), from the layout rules."""
    n, b, dim, size = ref["nwords"], ref["bucket"], ref["dim"], ref["size"]
    return {
        "fasttext.bin": ("loads", REFERENCE, "auto"),
        "fasttext.bin.gz": ("loads", REFERENCE, "auto"),
        "old_layout.bin": ("loads", QUIRKS / "old_layout.bin", "fasttext"),
        "old_layout_cut_in_vocabulary.bin": refused(
            rf"truncated fastText file: it ends in vocabulary entry {ref['cut_entry']} of {n}$"
        ),
        # Read as the old layout, the 8 bytes of pruneidx_size join the first word, and the
        # matrix header is read one byte early (the quantised flag): columns come out x 256.
        "magic_stripped.bin": refused(
            rf"its input matrix has {dim * 256} columns, but the header's dimension is {dim}$"
        ),
        "cut_in_vocabulary.bin": refused(
            rf"truncated fastText file: it ends in vocabulary entry {ref['cut_entry']} of {n}$"
        ),
        "cut_in_output_matrix.bin": refused(
            rf"truncated fastText file: {size - 10} bytes, but its output matrix \({n} x {dim} "
            rf"float32\) ends at byte {size}$"
        ),
        "trailing_bytes.bin": refused(r"^4 bytes follow the output matrix"),
        "negative_matrix_rows.bin": refused(r"its input matrix declares -1 rows$"),
        "wrong_matrix_rows.bin": refused(
            rf"its input matrix has {n + b + 1} rows, but {n} words and {b} buckets make {n + b}$"
        ),
        "negative_vocabulary.bin": refused(r"the dictionary header's size is negative \(-1\)$"),
        "nwords_above_size.bin": refused(
            rf"contradicts itself: {n} entries, but {n + 1} words and 0 labels$"
        ),
        "huge_dim.bin": refused(r"dimension 1073741824 is not plausible"),
        "future_version.bin": refused(r"version 13 is not one fastText has written"),
        "supervised.bin": refused(r"supervised fastText model .*not word vectors"),
        "quantised_matrix.bin": refused(
            r"^quantised fastText \(\.ftz\) is not supported; .*"
            r"its input matrix is quantised"
        ),
        "pruned_dictionary.bin": refused(
            r"^quantised fastText \(\.ftz\) is not supported; .*"
            r"dictionary is pruned"
        ),
        # Two zero blocks end an archive, padded to tar's 20-block record: 10240 bytes.
        "empty.tar": refused(r"^this is an empty tar archive: 10240 zero bytes"),
        "empty.tar.gz": refused(r"^this is an empty tar archive: 10240 zero bytes"),
        "colon_member.tar.gz": refused(
            r"^unsafe tar member 'a:b/vectors\.txt': it starts with the Windows drive 'a:'"
        ),
        "colon_inside_name.tar.gz": ("loads", CORPUS / "clean.txt", "text"),
        "no_vectors_member.tar.gz": refused(
            r"^the tar archive has no vectors\.txt member; it contains: eval\.json, vectors\.bin$"
        ),
    }


def oracle(path: Path, fmt: str) -> KeyedVectors:
    if fmt == "text":
        return KeyedVectors.load_word2vec_format(str(path))
    return load_facebook_vectors(str(path))


CASE_FILES = sorted(p.name for p in QUIRKS.iterdir() if p.name != "README.md")
FORMAT = {
    "old_layout.bin": "fasttext",
    "old_layout_cut_in_vocabulary.bin": "fasttext",
    "magic_stripped.bin": "fasttext",
}


def test_every_corpus_file_has_an_expectation(ref):
    assert sorted(expected_cases(ref)) == CASE_FILES


@pytest.mark.parametrize("name", CASE_FILES)
def test_corpus_file_through_the_library(name, ref):
    expected = expected_cases(ref)[name]
    path = QUIRKS / name
    with deadline():
        if expected[0] == "refused":
            with pytest.raises(VectorFormatError) as info:
                load_vectors(path, format=FORMAT.get(name, "auto"))
            assert info.value.path == str(path) and info.value.line is None
            assert re.search(expected[1], info.value.message), info.value.message
            return
        wv = load_vectors(path, format=FORMAT.get(name, "auto"))
    kv = oracle(expected[1], expected[2])
    assert wv.words == kv.index_to_key
    np.testing.assert_array_equal(wv.vectors, kv.vectors)


def gold_file(kv: KeyedVectors, folder: Path) -> Path:
    """A small gold set of pairs of the vocabulary's first words (the corpus knows few
    words of the published sets)."""
    words = kv.index_to_key[:6]
    pairs = [
        (words[0], words[1]),
        (words[2], words[3]),
        (words[4], words[5]),
        (words[0], words[5]),
        (words[1], words[4]),
    ]
    path = folder / "pairs.tsv"
    path.write_text("".join(f"{a}\t{b}\t{i}.5\n" for i, (a, b) in enumerate(pairs)))
    return path


@pytest.mark.filterwarnings("ignore::UserWarning")  # few pairs: an unreliable score
@pytest.mark.parametrize("name", CASE_FILES)
def test_corpus_file_through_the_cli(name, ref, tmp_path):
    expected = expected_cases(ref)[name]
    path = QUIRKS / name
    goldset = gold_file(ref["kv"] if expected[0] == "refused" else oracle(*expected[1:]), tmp_path)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "w2veval",
            "score",
            str(path),
            "--vectors-format",
            FORMAT.get(name, "auto"),
            "-g",
            goldset,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=CLI_SECONDS,
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    if expected[0] == "refused":
        assert out.returncode == 2, out.stderr
        assert out.stdout == "" and "Traceback" not in out.stderr
        lines = out.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"w2veval: error: {path}: ")
        assert re.search(expected[1], lines[0][len(f"w2veval: error: {path}: ") :]), lines[0]
        return
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    truth = evaluate(oracle(expected[1], expected[2]), str(goldset)).iloc[0]
    assert row["vectors"] == str(path)
    assert row["n_scored"] == truth["n_scored"] == 5
    assert row["spearman"] == pytest.approx(truth["spearman"], abs=1e-12)


def _env(tmp_path: Path) -> dict:
    import os

    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return dict(os.environ, W2VEVAL_HOME=str(home), TMPDIR=str(tmp_path))


def test_old_layout_equals_the_current_layout(ref):
    old = load_vectors(QUIRKS / "old_layout.bin", format="fasttext")
    assert old.words == ref["kv"].index_to_key
    np.testing.assert_array_equal(old.vectors, ref["kv"].vectors)
    np.testing.assert_array_equal(old.subword_vector("unseenword"), ref["kv"]["unseenword"])


def test_layout_summary_matches_gensim(ref):
    layout = check_fasttext_layout(REFERENCE, "fasttext.bin")
    old = check_fasttext_layout(QUIRKS / "old_layout.bin", "old_layout.bin")
    assert (layout.version, old.version) == (12, None)
    for found in (layout, old):
        assert (found.dim, found.nwords, found.bucket) == (ref["dim"], ref["nwords"], ref["bucket"])
        assert (found.input_rows, found.output_rows) == (ref["nwords"] + ref["bucket"], ref["nwords"])


@pytest.mark.parametrize("name", ["fasttext.bin", "old_layout.bin"])
def test_cut_anywhere_is_refused_quickly(name, tmp_path):
    """Every cut, in either layout, is refused by the layout check, before gensim."""
    data = (QUIRKS / name).read_bytes()
    path = tmp_path / "cut.bin"
    with deadline():
        for keep in [*range(0, 200, 7), *range(200, len(data), 97), len(data) - 1]:
            path.write_bytes(data[:keep])
            with pytest.raises(VectorFormatError, match="truncated fastText file"):
                check_fasttext_layout(path, "cut.bin")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # gensim on a flipped sample threshold
def test_header_bytes_flipped_never_hang(tmp_path):
    """Any one header byte changed: refused with a VectorFormatError, or loaded; never stuck."""
    data = bytearray(REFERENCE.read_bytes())
    path = tmp_path / "flipped.bin"
    with deadline(60):
        for offset in range(0, 92):
            damaged = bytearray(data)
            damaged[offset] ^= 0xFF
            path.write_bytes(bytes(damaged))
            _, err = value_or_error(load_vectors, path, format="fasttext", catching=VectorFormatError)
            if err is not None:
                assert err.path == str(path)


def test_gensim_alone_loops_forever_on_the_cut_old_layout():
    """Why the check exists: gensim's reader never returns on this file."""
    code = (
        "import sys; from gensim.models.fasttext import load_facebook_vectors; "
        "print('ready', flush=True); load_facebook_vectors(sys.argv[1])"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, str(QUIRKS / "old_layout_cut_in_vocabulary.bin")],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout.readline() == "ready\n"
            with pytest.raises(subprocess.TimeoutExpired):
                proc.wait(timeout=3)
        finally:
            proc.kill()


def test_struct_offsets_the_corpus_uses():
    """The generator patches fields at offsets that fastText's layout puts them."""
    data = REFERENCE.read_bytes()
    magic, version, dim = struct.unpack_from("<3i", data, 0)
    assert (magic, version, dim) == (793712314, 12, 4)
    assert struct.unpack_from("<q", data, 84) == (-1,)  # pruneidx_size: none


SIZE = REFERENCE.stat().st_size


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=40, deadline=None)
@given(
    edits=st.lists(st.tuples(st.integers(0, SIZE - 1), st.integers(0, 255)), max_size=4),
    keep=st.one_of(st.none(), st.integers(0, SIZE)),
    old=st.booleans(),
)
def test_damaged_fasttext_is_read_as_gensim_reads_it_or_refused(edits, keep, old):
    """Random bytes changed and a random cut: gensim's words and vectors, or a VectorFormatError.

    A file the layout check passes is one gensim reads to its end without hanging.
    """
    import tempfile

    data = bytearray((QUIRKS / ("old_layout.bin" if old else "fasttext.bin")).read_bytes())
    for offset, value in edits:
        if offset < len(data):
            data[offset] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.bin"
        path.write_bytes(bytes(data[:keep]))
        with deadline():
            wv, err = value_or_error(load_vectors, path, format="fasttext", catching=VectorFormatError)
            if err is not None:
                assert err.path == str(path)
                return
            kv = load_facebook_vectors(str(path))
    assert wv.words == kv.index_to_key
    np.testing.assert_array_equal(wv.vectors, kv.vectors)
