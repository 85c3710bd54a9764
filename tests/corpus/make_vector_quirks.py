"""Regenerate ``tests/corpus/vector_quirks/``: one small vectors file per quirk of issue 10.

Run from the repository root::

    .venv/bin/python tests/corpus/make_vector_quirks.py

Every file is made from the committed clean vectors ``tests/corpus/clean.txt`` and
``clean.bin`` (8 rows, 8 dimensions; every word is in WordSim-353 and SimLex-999, so
``w2veval score FILE`` reads each row), changed by hand in one way per file: white
space before words, number spellings in and outside the number grammar, damaged
headers, UTF-16 text, a word of any script with a space on the first row, lines longer
than a (lowered) line limit. Nothing random and nothing timed: a rerun writes the same
bytes.

``vector_quirks/README.md`` is written from :data:`CASES`; the expected behaviour the
tests check is stated independently in ``tests/test_vector_quirks.py``.
"""

from __future__ import annotations

import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "vector_quirks"

WORDS = ["plane", "car", "coast", "hill", "century", "year", "game", "victory"]
DIM = 8
#: The line limit the tests set through W2VEVAL_MAX_LINE_BYTES for the long-line cases.
LOW_LIMIT = 1024
#: Values in ``single_line.txt`` (all 0.25) and extra values in ``ragged_row.txt``.
SINGLE_LINE_VALUES = 500
RAGGED_EXTRA_VALUES = 600
#: Bytes of the word of row 2 in ``long_word.bin``.
LONG_WORD_BYTES = 2000

#: file -> (case, expected behaviour), the table of ``vector_quirks/README.md``.
CASES: dict[str, tuple[str, str]] = {}


def case(name: str, what: str, expected: str):
    def register(make):
        CASES[name] = (what, expected)
        make.corpus_name = name
        return make

    return register


def lines() -> list[bytes]:
    """``clean.txt`` as lines (the header first), newlines kept."""
    return (HERE / "clean.txt").read_bytes().splitlines(keepends=True)


def rows() -> list[list[bytes]]:
    """The 8 data rows of ``clean.txt`` as fields: the word, then 8 values."""
    return [line.split() for line in lines()[1:]]


def text(header: bytes | None, fields: list[list[bytes]], sep: bytes = b" ", end: bytes = b"\n") -> bytes:
    body = b"".join(sep.join(f) + end for f in fields)
    return body if header is None else header + end + body


def with_value(row: int, column: int, value: bytes) -> bytes:
    """``clean.txt`` with value ``column`` (1-based) of data row ``row`` (1-based) replaced."""
    fields = rows()
    fields[row - 1][column] = value
    return text(b"8 8", fields)


def binary_rows() -> tuple[bytes, list[bytes]]:
    """The header line and the rows of ``clean.bin`` (gensim writes no newline after a row)."""
    data = (HERE / "clean.bin").read_bytes()
    header, _, body = data.partition(b"\n")
    out, pos = [], 0
    for word in WORDS:
        end = pos + len(word) + 1 + 4 * DIM
        out.append(body[pos:end])
        pos = end
    assert pos == len(body)
    return header + b"\n", out


# ------------------------------------------------------------------ white space


@case(
    "leading_space.txt",
    "every row starts with a space",
    "loads, equal to clean.txt (the word is the first field; white space before it is none of it)",
)
def leading_space():
    return text(b"8 8", [[b"", *f] for f in rows()])


@case("leading_tab.txt", "every row starts with a tab, fields separated by tabs", "loads, equal to clean.txt")
def leading_tab():
    return text(b"8 8", [[b"", *f] for f in rows()], sep=b"\t")


@case(
    "leading_mixed.glove.txt",
    "GloVe (no header); rows start with runs of spaces and tabs",
    "loads, equal to clean.txt (the first row sets dim 8)",
)
def leading_mixed_glove():
    return b"".join((b" \t " if i % 2 else b"\t  ") + b" ".join(f) + b"\n" for i, f in enumerate(rows()))


@case(
    "crlf_trailing_space.txt", "CRLF line ends, spaces and a tab before each CR", "loads, equal to clean.txt"
)
def crlf_trailing_space():
    return text(b"8 8", rows(), end=b" \t \r\n")


@case(
    "vt_ff_separators.txt",
    "fields separated by vertical tabs and form feeds (ASCII white space)",
    "loads, equal to clean.txt",
)
def vt_ff_separators():
    return b"8 8\n" + b"".join(b"\x0b".join(f[:4]) + b"\x0c" + b"\x0b".join(f[4:]) + b"\n" for f in rows())


@case(
    "nbsp_in_word.txt",
    "row 3's word is `ivory\\u00a0coast` (NBSP), row 4's `hill\\u2028top`",
    "loads; Unicode spaces are not ASCII white space: they are part of the word",
)
def nbsp_in_word():
    fields = rows()
    fields[2][0] = "ivory\u00a0coast".encode()
    fields[3][0] = "hill\u2028top".encode()
    return text(b"8 8", fields)


@case(
    "nonascii_spaced_word.vec",
    "fastText .vec whose FIRST row's word is `Côte d’Ivoire`",
    "loads as text (not binary): the word is everything before the last 8 values",
)
def nonascii_spaced_word():
    fields = rows()
    fields[0][0:1] = ["Côte".encode(), "d’Ivoire".encode()]
    return text(b"8 8", fields)


@case(
    "nonascii_spaced_word.glove.txt",
    "GloVe (no header) whose first row's word is `Côte d’Ivoire`",
    "VectorFormatError at line 1: the first row of a file without header sets dim, "
    "its word cannot have a space",
)
def nonascii_spaced_glove():
    fields = rows()
    fields[0][0:1] = ["Côte".encode(), "d’Ivoire".encode()]
    return text(None, fields)


@case(
    "number_word.glove.txt",
    "GloVe (no header) whose first row's word is `1990`",
    "loads; a row of a word and 8 values is no header, whatever the word",
)
def number_word():
    fields = rows()
    fields[0][0] = b"1990"
    return text(None, fields)


# ---------------------------------------------------------------- number spellings


def _float32(value: bytes) -> float:
    """The float32 nearest to ``value``, exactly, as a Python float."""
    return struct.unpack("<f", struct.pack("<f", float(value)))[0]


def _spelled(value: bytes, column: int) -> bytes:
    """``value`` (as gensim wrote it) in another spelling of the same float32.

    Nine significant digits put each spelling within 0.01 ulp of the float32, so it
    reads back as that float32 under any correct rounding.
    """
    number = _float32(value)
    plain = f"{number:.9f}"
    spellings = [
        f"{number:+.9e}",  # sign and exponent
        f"{number:.9E}".replace("E-0", "E-"),  # capital E, one-digit exponent
        f"{number:.12f}",  # more digits, trailing zeros
        plain + "000",
        f"{number * 10:.9g}e-1",  # mantissa shifted
        plain.replace("0.", ".", 1) if plain.startswith(("0.", "-0.")) else plain,  # `.068`
        f"{number:+.9g}",
        f"{number:.9g}",
    ]
    spelled = spellings[column - 1].encode()
    assert _float32(spelled) == number, (value, spelled)
    return spelled


@case(
    "number_spellings.txt",
    "every value respelled: `+6.81326920e-02`, `1.3000360E-1`, `.068`, trailing zeros",
    "loads; each value is the float32 of the number written (equal to clean.txt)",
)
def number_spellings():
    fields = rows()
    for f in fields:
        f[1:] = [_spelled(v, c) for c, v in enumerate(f[1:], start=1)]
    return text(b"8 8", fields)


@case(
    "underscore.txt",
    "row 2 (`car`) has the value `7_5`",
    "VectorFormatError at line 3 quoting '7_5' (numpy would read 75)",
)
def underscore():
    return with_value(2, 3, b"7_5")


@case(
    "underscore_decimal.txt",
    "row 5 (`century`) has the value `0.1_5`",
    "VectorFormatError at line 6 quoting '0.1_5'",
)
def underscore_decimal():
    return with_value(5, 8, b"0.1_5")


@case(
    "arabic_digits.txt",
    "row 4 (`hill`) has the value `٠٫٥` (Arabic-Indic digits)",
    "VectorFormatError at line 5 (only ASCII digits)",
)
def arabic_digits():
    return with_value(4, 2, "٠٫٥".encode())


@case(
    "fullwidth_digits.txt",
    "row 6 (`year`) has the value `０.５` (full-width digits)",
    "VectorFormatError at line 7",
)
def fullwidth_digits():
    return with_value(6, 5, "０.５".encode())


@case("hex_value.txt", "row 1 (`plane`) has the value `0x7`", "VectorFormatError at line 2")
def hex_value():
    return with_value(1, 1, b"0x7")


@case("decimal_comma.txt", "row 7 (`game`) has the value `0,5`", "VectorFormatError at line 8")
def decimal_comma():
    return with_value(7, 4, b"0,5")


@case(
    "float32_overflow.txt",
    "row 8 (`victory`) has the value `1e39`, beyond float32",
    "VectorFormatError at line 9: beyond the float32 range",
)
def float32_overflow():
    return with_value(8, 6, b"1e39")


# -------------------------------------------------------------------------- headers


def _with_header(header: bytes) -> bytes:
    return header + b"\n" + b"".join(lines()[1:])


@case("header_negative.txt", "header `-1 8`", "VectorFormatError at line 1: the row count -1 is negative")
def header_negative():
    return _with_header(b"-1 8")


@case("header_float.txt", "header `8.0 8`", "VectorFormatError at line 1: '8.0' is not a whole number")
def header_float():
    return _with_header(b"8.0 8")


@case("header_three.txt", "header `8 8 8`", "VectorFormatError at line 1: three numbers")
def header_three():
    return _with_header(b"8 8 8")


@case(
    "header_huge_dim.txt",
    "header `8 99999999999999999999` (dim beyond any integer type)",
    "VectorFormatError at line 1: a row would be longer than the line limit",
)
def header_huge_dim():
    return _with_header(b"8 99999999999999999999")


@case(
    "header_huge_count.txt",
    "header `99999999999999999999999 8`",
    "VectorFormatError at line 1: the row count is too large",
)
def header_huge_count():
    return _with_header(b"99999999999999999999999 8")


@case(
    "header_huge_dim.bin",
    "word2vec binary with header `8 4611686018427387904` (2**62)",
    "VectorFormatError at line 1, also when only 0 rows are wanted (`limit=0`)",
)
def header_huge_dim_bin():
    _header, body = binary_rows()
    return b"8 4611686018427387904\n" + b"".join(body)


# ------------------------------------------------------------------------ encodings


def _utf16(encoding: str, bom: bool) -> bytes:
    content = (HERE / "clean.txt").read_text(encoding="utf-8")
    data = content.encode(encoding)
    if bom:
        data = ("\ufeff" + content).encode(encoding)
    return data


@case(
    "utf16le_bom.txt",
    "clean.txt as UTF-16 little-endian with a byte-order mark",
    "VectorFormatError, no line: 'UTF-16' named, convert to UTF-8",
)
def utf16le_bom():
    return _utf16("utf-16-le", bom=True)


@case(
    "utf16be_bom.txt",
    "clean.txt as UTF-16 big-endian with a byte-order mark",
    "VectorFormatError, no line: 'UTF-16' named",
)
def utf16be_bom():
    return _utf16("utf-16-be", bom=True)


@case(
    "utf16le.txt",
    "clean.txt as UTF-16 little-endian, no byte-order mark",
    "VectorFormatError, no line: 'UTF-16' named",
)
def utf16le():
    return _utf16("utf-16-le", bom=False)


@case(
    "utf16be.txt",
    "clean.txt as UTF-16 big-endian, no byte-order mark",
    "VectorFormatError, no line: 'UTF-16' named",
)
def utf16be():
    return _utf16("utf-16-be", bom=False)


# ----------------------------------------------------------------------- line limit


@case(
    "single_line.txt",
    f"one line without newline: `plane` and {SINGLE_LINE_VALUES} values `0.25`",
    f"loads (1 word, dim {SINGLE_LINE_VALUES}); with W2VEVAL_MAX_LINE_BYTES={LOW_LIMIT}: "
    "VectorFormatError at line 1 stating the limit",
)
def single_line():
    return b"plane" + b" 0.25" * SINGLE_LINE_VALUES


@case(
    "ragged_row.txt",
    f"row 3 (`coast`) has {RAGGED_EXTRA_VALUES} values `0.5` after its 8",
    f"VectorFormatError at line 4: ragged row; with W2VEVAL_MAX_LINE_BYTES={LOW_LIMIT}: "
    "at line 4 stating the limit",
)
def ragged_row():
    fields = rows()
    fields[2] += [b"0.5"] * RAGGED_EXTRA_VALUES
    return text(b"8 8", fields)


@case(
    "long_word.bin",
    f"word2vec binary whose row 2 word is {LONG_WORD_BYTES} bytes `x`",
    f"loads (row 2's word is {LONG_WORD_BYTES} x); with W2VEVAL_MAX_LINE_BYTES={LOW_LIMIT}: "
    "VectorFormatError at line 2 stating the limit",
)
def long_word():
    header, body = binary_rows()
    body[1] = b"x" * LONG_WORD_BYTES + body[1][len(b"car") :]
    return header + b"".join(body)


# ---------------------------------------------------------------------------- writing


def write_readme() -> None:
    table = "\n".join(f"| `{name}` | {what} | {expected} |" for name, (what, expected) in CASES.items())
    (OUT / "README.md").write_text(
        f"""# Vector-file quirks corpus

One small file per quirk of a vectors file (issue 10), written by
`tests/corpus/make_vector_quirks.py` (rerun it to regenerate them all; do not edit them
by hand). Each is `../clean.txt` or `../clean.bin` (8 rows of 8 dimensions, words from
WS-353 and SimLex-999) changed in one way. `tests/test_vector_quirks.py` checks every
file through the library and through `python -m w2veval score`; `docs/errors.md`
explains the errors.

"Line" is the 1-based line of a text file (the header is line 1) and the 1-based row
of a word2vec binary file (the header not counted). The long-line cases are read with
the line limit lowered to {LOW_LIMIT} bytes through `W2VEVAL_MAX_LINE_BYTES`.

| file | case | expected behaviour |
|---|---|---|
{table}
""",
        encoding="utf-8",
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    makers = [v for v in globals().values() if callable(v) and hasattr(v, "corpus_name")]
    for make in makers:
        (OUT / make.corpus_name).write_bytes(make())
    write_readme()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(makers)} files, {total} bytes, into {OUT}")


if __name__ == "__main__":
    main()
