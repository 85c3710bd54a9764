"""Property-based tests of the vector readers: parsed = intended values, or an error naming file and line.

For each parser (word2vec text with a header, GloVe text, word2vec binary) and each way
of reading (full load, load of a subset of words through the vectorised candidate
search, the streaming mean pass of ``oov="mean"``), hypothesis writes files row by row
from intended words and float32 values: words of any script, words that look like
numbers or hold Unicode spaces, values in several valid spellings, any ASCII white
space between fields, before the word and after the last value, LF or CRLF. What a
file must load is the intended rows; gensim, where it can read the file (single spaces,
no spaced words), must load the same. Invalid numbers (underscores, non-ASCII digits,
hexadecimal, decimal commas) and lines over the line limit must be refused with a
VectorFormatError naming the file and the line.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from _outcomes import value_or_error
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from w2veval.errors import VectorFormatError
from w2veval.io import _text, load_vectors
from w2veval.io._mean import mean_vector
from w2veval.matching import token_matcher

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ASCII_SPACE = " \t\n\r\x0b\x0c"
NUMBERS = st.floats(width=32, allow_nan=False, allow_infinity=False)


# ----------------------------------------------------------------------- generation


def _word_char() -> st.SearchStrategy[str]:
    # Any character but ASCII white space, controls and surrogates: Unicode spaces
    # (NBSP, U+2028, U+3000) are part of a word, never a separator.
    return st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=ASCII_SPACE + "\ufeff")


TRICKY_WORDS = [
    "1990",
    "-1",
    "7_5",
    "nan",
    "inf",
    "0x7",
    "1,5",
    "#",
    "\u00a0",
    "a\u2028b",
    "日本",
    "Côte",
    "ß",
    "İ",
    "ﬁ",
    "e\u0301",
    "a_b",
]
WORDS = st.one_of(st.text(_word_char(), min_size=1, max_size=12), st.sampled_from(TRICKY_WORDS))
#: A word with a space: its later parts are no numbers (else the row is ragged, by the rules).
SPACED_WORDS = st.builds(
    lambda a, b: f"{a} {b}",
    WORDS,
    st.text(st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=6).filter(
        lambda t: not _is_float(t)
    ),
)


def _is_float(text) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _float32(text: str) -> np.float32:
    return np.float32(struct.unpack("<f", struct.pack("<f", float(text)))[0])


def spelling_candidates(value: float) -> list[str]:
    """Spellings of float32 ``value``, each within 0.01 ulp of it: they read back as it."""
    v = float(np.float32(value))
    mantissa, exponent = f"{v:.9e}".split("e")
    short = str(np.float32(value))  # numpy's shortest round-trip spelling
    candidates = [
        short,
        f"{v:.9g}",
        f"{v:+.9e}",
        f"{v:.9E}",
        mantissa + "e" + str(int(exponent)),
        f"{mantissa.replace('.', '')}e{int(exponent) - 9}",
    ]  # a whole mantissa
    if "." in short and "e" not in short.lower():
        candidates.append(short + "000")  # trailing zeros
        if short.lstrip("-").startswith("0."):
            candidates.append(short.replace("0.", ".", 1))  # `.068`, `-.5`
    if v == int(v) and abs(v) < 1e15:
        candidates += [str(int(v)), f"{int(v)}."]
    return candidates


@st.composite
def spellings(draw, value: float) -> str:
    """A spelling of float32 ``value`` that reads back as exactly that float32."""
    return draw(st.sampled_from(spelling_candidates(value)))


def test_the_spellings_are_of_the_intended_float32():
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 1 << 32, 3_000, dtype=np.uint64).astype(np.uint32)
    values = bits.view(np.float32)
    values = [
        *values[np.isfinite(values)].tolist(),
        0.0,
        -0.0,
        1.0,
        1e-45,
        3.4028234663852886e38,
        1.1920929e-07,
    ]
    for value in values:
        for text in spelling_candidates(value):
            assert (
                _float32(text) == np.float32(value)
                and _float32(text).tobytes() == np.float32(value).tobytes()
            ) or value == 0.0, (value, text)


SEPARATORS = st.sampled_from([" ", " ", " ", "\t", "  ", " \t ", "\x0b", "\x0c"])
EDGES = st.sampled_from(["", "", "", " ", "\t", "  \t", "\x0c"])


@dataclass
class Written:
    """A file written from intended rows, and the line of each row in it."""

    data: bytes
    words: list[str]
    matrix: np.ndarray
    lines: list[int]
    header: bool


@st.composite
def text_files(draw, *, header: bool, plain: bool = False) -> Written:
    dim = draw(st.integers(1, 6))
    n = draw(st.integers(1, 8))
    words = draw(
        st.lists(
            WORDS if plain else st.one_of(WORDS, WORDS, SPACED_WORDS),
            min_size=n,
            max_size=n,
            unique_by=lambda w: unicodedata.normalize("NFC", w),
        )
    )
    if not header:  # the first row of a GloVe file sets dim: its word has no space
        assume(" " not in words[0])
    matrix = np.array(
        draw(st.lists(st.lists(NUMBERS, min_size=dim, max_size=dim), min_size=n, max_size=n)),
        dtype=np.float32,
    )
    end = "\n" if plain else draw(st.sampled_from(["\n", "\r\n"]))
    out, lines = [f"{n} {dim}{end}"] if header else [], []
    for word, row in zip(words, matrix, strict=True):
        if out and not plain and draw(st.integers(0, 9)) == 0:
            out.append(draw(EDGES) + end)  # a blank line (a blank first line is refused, at line 1)
        fields = [word] + [draw(spellings(float(v))) for v in row]
        sep = (lambda: " ") if plain else (lambda: draw(SEPARATORS))
        text = fields[0] + "".join(sep() + f for f in fields[1:])
        if not plain:
            text = draw(EDGES) + text + draw(EDGES)
        out.append(text + end)
        lines.append(len(out))
    return Written("".join(out).encode("utf-8"), words, matrix, lines, header)


@st.composite
def binary_files(draw) -> Written:
    dim = draw(st.integers(1, 6))
    n = draw(st.integers(1, 8))
    words = draw(
        st.lists(
            WORDS.filter(lambda w: " " not in w),
            min_size=n,
            max_size=n,
            unique_by=lambda w: unicodedata.normalize("NFC", w),
        )
    )
    matrix = np.array(
        draw(st.lists(st.lists(NUMBERS, min_size=dim, max_size=dim), min_size=n, max_size=n)),
        dtype=np.float32,
    )
    newline = draw(st.booleans())  # the C tool ends each row with a newline; gensim does not
    body = b"".join(
        w.encode() + b" " + r.astype("<f4").tobytes() + (b"\n" if newline else b"")
        for w, r in zip(words, matrix, strict=True)
    )
    return Written(f"{n} {dim}\n".encode() + body, words, matrix, list(range(1, n + 1)), True)


# -------------------------------------------------------------------------- checking


@contextmanager
def written(data: bytes, suffix: str = ".txt"):
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="w2veval-prop-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        yield Path(name)
    finally:
        os.unlink(name)


@contextmanager
def chunk_bytes(size: int):
    old = _text.CHUNK_BYTES
    _text.CHUNK_BYTES = size
    try:
        yield
    finally:
        _text.CHUNK_BYTES = old


def _wanted_rows(words: list[str], wanted: list[str]) -> list[int]:
    """Rows a subset load finds: by their first field, then (a word with a space) the whole word."""
    match = token_matcher(wanted, True)
    return [
        i
        for i, w in enumerate(words)
        if match(w.encode().split()[0]) is not None and match(w.encode()) is not None
    ]


def check_reads(path: Path, file: Written, fmt: str, wanted: list[str]) -> None:
    """Full load, subset load and mean pass all give the intended rows."""
    full = load_vectors(path, format=fmt)
    assert full.words == file.words
    np.testing.assert_array_equal(full.vectors, file.matrix)
    assert full.ranks.tolist() == list(range(len(file.words)))
    subset = load_vectors(path, format=fmt, words=wanted, case_sensitive=True)
    rows = _wanted_rows(file.words, wanted)
    assert subset.words == [file.words[i] for i in rows]
    assert subset.ranks.tolist() == rows
    np.testing.assert_array_equal(subset.vectors, file.matrix[rows])
    mean = mean_vector(path, format=fmt)
    expected = file.matrix.astype(np.float64).mean(axis=0)
    scale = float(np.abs(file.matrix).max(initial=0.0))
    np.testing.assert_allclose(mean, expected, rtol=1e-9, atol=1e-12 * scale)


def check_gensim(path: Path, file: Written, *, binary: bool = False, no_header: bool = False) -> None:
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(str(path), binary=binary, no_header=no_header)
    assert kv.index_to_key == file.words
    np.testing.assert_array_equal(kv.vectors, file.matrix)


def check_refused(path: Path, fmt: str, line: int, fragment: str, words: list[str] | None) -> None:
    """Refused by a full load, a load of ``words`` (unless ``None``) and the mean pass."""
    reads = [lambda: load_vectors(path, format=fmt), lambda: mean_vector(path, format=fmt)]
    if words is not None:
        reads.append(lambda: load_vectors(path, format=fmt, words=words, case_sensitive=True))
    for read in reads:
        with pytest.raises(VectorFormatError) as info:
            read()
        assert info.value.path == str(path) and info.value.line == line, str(info.value)
        assert str(info.value).startswith(f"{path}:{line}: ") and fragment in str(info.value)


# ----------------------------------------------------------------------------- valid


@SETTINGS
@given(
    file=text_files(header=True),
    data=st.data(),
    chunk=st.sampled_from([7, 64, 1 << 22]),
    fmt=st.sampled_from(["auto", "text"]),
)
def test_word2vec_text_reads_the_intended_rows(file, data, chunk, fmt):
    wanted = data.draw(st.lists(st.sampled_from([*file.words, "absent"]), max_size=6))
    with written(file.data) as path, chunk_bytes(chunk):
        check_reads(path, file, fmt, wanted)


@SETTINGS
@given(file=text_files(header=False), data=st.data(), chunk=st.sampled_from([7, 64, 1 << 22]))
def test_glove_text_reads_the_intended_rows(file, data, chunk):
    wanted = data.draw(st.lists(st.sampled_from([*file.words, "absent"]), max_size=6))
    with written(file.data) as path, chunk_bytes(chunk):
        check_reads(path, file, "glove", wanted)
        first = file.data.split(b"\n", 1)[0].split()
        # auto-detection: a first row of only numbers is a (damaged) header, at line 1
        _, err = value_or_error(check_reads, path, file, "auto", wanted, catching=VectorFormatError)
        if err is not None:
            assert all(_is_numberish(f) for f in first) and err.line == 1, str(err)


def _is_numberish(field: bytes) -> bool:
    """A number of the grammar, or digits of any script: what a header is made of."""
    from w2veval._numbers import is_number_bytes

    return is_number_bytes(field) or field.decode("utf-8", "replace").lstrip("+-").isdecimal()


@SETTINGS
@given(file=binary_files(), data=st.data())
def test_word2vec_binary_reads_the_intended_rows(file, data):
    wanted = data.draw(st.lists(st.sampled_from([*file.words, "absent"]), max_size=6))
    with written(file.data, ".bin") as path:
        check_reads(path, file, "binary", wanted)
        check_reads(path, file, "auto", wanted)
        check_gensim(path, file, binary=True)


@SETTINGS
@given(file=st.one_of(text_files(header=True, plain=True), text_files(header=False, plain=True)))
def test_gensim_reads_the_plain_files_the_same(file):
    with written(file.data) as path:
        check_gensim(path, file, no_header=not file.header)


# --------------------------------------------------------------------------- invalid

INVALID_NUMBERS = st.one_of(
    st.builds(lambda a, b: f"{a}_{b}", st.integers(0, 999), st.integers(0, 999)),
    st.builds(lambda a, b: f"{a}.{b}_1", st.integers(0, 9), st.integers(0, 99)),
    st.builds(
        lambda d: d, st.text(st.sampled_from("٠١٢٣٤٥٦٧٨٩۰۱۲۳０１２３４５６７８９०१२"), min_size=1, max_size=3)
    ),
    st.builds(lambda a, d: f"{a}.{d}", st.integers(0, 9), st.sampled_from("٣７३")),
    st.sampled_from(["0x7", "-0x1p3", "1,5", "-0,25", "1.5.1", "--1", "1e", "e5", "+-1", "1d5", "٫٥"]),
)


@SETTINGS
@given(file=st.one_of(text_files(header=True), text_files(header=False)), data=st.data(), bad=INVALID_NUMBERS)
def test_invalid_numbers_are_refused_at_their_line(file, data, bad):
    dim = file.matrix.shape[1]
    # the first row of a GloVe file is read by detection too; a fixed format reads it as a row
    row = data.draw(st.integers(0, len(file.words) - 1))
    column = data.draw(st.integers(0, dim - 1))
    lines = file.data.split(b"\n")
    line = lines[file.lines[row] - 1]
    fields = list(re.finditer(rb"\S+", line))
    value = fields[len(fields) - dim + column]  # the values are the last dim fields, whatever the word
    lines[file.lines[row] - 1] = line[: value.start()] + bad.encode() + line[value.end() :]
    wanted = None if " " in file.words[row] else file.words  # a subset load finds rows by their first field
    with written(b"\n".join(lines)) as path:
        check_refused(path, "text" if file.header else "glove", file.lines[row], repr(bad), wanted)


# -------------------------------------------------------------------------- line limit


@SETTINGS
@given(file=st.one_of(text_files(header=True), text_files(header=False)), data=st.data())
def test_lines_over_the_limit_are_refused_at_the_first_one(file, data):
    lengths = [len(line) for line in file.data.split(b"\n")]
    limit = data.draw(st.integers(max(1, min(lengths)), max(lengths) + 1))
    fmt = "text" if file.header else "glove"
    too_long = [i + 1 for i, n in enumerate(lengths) if n > limit]
    if file.header and 2 * file.matrix.shape[1] > limit:
        too_long = [1]  # no row of dim values fits: the header is refused, before any row
    before = os.environ.get("W2VEVAL_MAX_LINE_BYTES")
    os.environ["W2VEVAL_MAX_LINE_BYTES"] = str(limit)
    try:
        with written(file.data) as path:
            if too_long:
                check_refused(
                    path, fmt, too_long[0], f"longer than the line limit of {limit} bytes", file.words
                )
            else:
                check_reads(path, file, fmt, file.words[:3])
    finally:
        if before is None:
            del os.environ["W2VEVAL_MAX_LINE_BYTES"]
        else:
            os.environ["W2VEVAL_MAX_LINE_BYTES"] = before
