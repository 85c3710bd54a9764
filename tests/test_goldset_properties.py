"""Property-based tests of the gold-set parser (hypothesis): read right, or refused with file:line.

* Rows written in each dialect (tab, ``;``, ``,`` with csv quoting, runs of white space),
  with random words (non-ASCII, quotes, delimiters inside quoted cells) and random finite
  scores written in several valid ways (exponent, sign, leading dot, decimal comma), read
  back as exactly the words and numbers written.
* A score that is not a number by the grammar (or not finite), written as one cell on a
  random row, is refused with a GoldSetFormatError naming the file and that row's line.
* Any text at all gives pairs or a GoldSetFormatError naming the file (and a line that
  exists), never another exception.

The expectations come from the format rules (docs/errors.md, "Gold sets") and from Python's
``csv`` module and ``float`` on strings that follow the grammar, not from w2veval.
"""

from __future__ import annotations

import csv
import io
import math
import sys
import tempfile
import unicodedata
import warnings
from pathlib import Path

import pytest
from _outcomes import value_or_error
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from w2veval._numbers import is_number
from w2veval.errors import GoldSetFormatError
from w2veval.goldsets import GoldSet
from w2veval.goldsets._agreement import agreement
from w2veval.goldsets._dialect import odd_character

SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
DIALECTS = ("\t", ";", ",", " ")

# Word characters: anything but what the rules make special. White space other than the ASCII
# space, control and invisible separator characters are refused inside words (tested below);
# surrogates cannot be encoded.
_plain = st.characters(
    blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="\u200b\u2060\ufeff"
)
_special = st.sampled_from(['"', "'", ",", ";", "#", " ", "\u200c", "é", "ß", "中", "٣", "７"])


def _words(dialect: str, detect: bool):
    """A word as written: no white space at its ends, no leading ``#`` (a comment line);
    with a detected delimiter, no delimiter that is tried before the row's own."""
    banned = set()
    if detect:
        banned = {"\t", ";", ","} if dialect == " " else set(DIALECTS[: DIALECTS.index(dialect)])
    return (
        st.text(st.one_of(_plain, _special), min_size=1, max_size=8)
        .map(lambda w: w.strip(" "))
        .filter(lambda w: w and not w.startswith("#") and not banned & set(w))
    )


def _scores():
    """``(text, value)``: a finite number written in one of several valid ways."""

    def write(draw):
        value = draw(st.floats(allow_nan=False, allow_infinity=False, width=64))
        style = draw(
            st.sampled_from(["repr", "exponent", "sign", "fixed", "leading_dot", "integer", "upper"])
        )
        if style == "exponent":
            text = f"{value:.6e}"
        elif style == "sign":
            text = f"{value:+.17g}"
        elif style == "fixed" and abs(value) < 1e15:
            text = f"{value:.4f}"
        elif style == "leading_dot" and 0 < abs(value) < 1:
            text = ("-" if value < 0 else "") + f"{abs(value):.6f}".lstrip("0")
        elif style == "integer" and abs(value) < 1e15:
            text = str(int(value))
        elif style == "upper":
            text = f"{value:.3E}"
        else:
            text = repr(value)
        if not math.isfinite(float(text)):  # 1.798E+308: rounding the text overflowed
            text = repr(value)
        return text, float(text)  # the text follows the grammar, so float() is its value

    return st.composite(lambda draw: write(draw))()


def _write(rows: list[list[str]], dialect: str, quoting: int, newline: str, space: str = " ") -> str:
    """``rows`` as a file in ``dialect``: csv quoting for delimiters, ``"..."`` for white space
    (cells separated by ``space``, a run of ASCII white space)."""
    if dialect != " ":
        out = io.StringIO()
        csv.writer(out, delimiter=dialect, quoting=quoting, lineterminator=newline).writerows(rows)
        return out.getvalue()
    return "".join(space.join(_quote_for_whitespace(cell) for cell in row) + newline for row in rows)


def _quote_for_whitespace(cell: str) -> str:
    if cell and " " not in cell and not cell.startswith('"'):
        return cell
    return '"' + cell.replace('"', '""') + '"'


def _file(text: str, bom: bool = False) -> Path:
    handle = tempfile.NamedTemporaryFile(prefix="w2veval-gold-", suffix=".txt", delete=False)
    with handle:
        handle.write((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return Path(handle.name)


@st.composite
def goldset_files(draw, detect: bool = True):
    """``(text, pairs, options, first data line)`` of a well-formed file in a random dialect."""
    dialect = draw(st.sampled_from(DIALECTS))
    words = _words(dialect, detect)
    n = draw(st.integers(1, 8))
    pairs = draw(
        st.lists(
            st.tuples(words, words, _scores()), min_size=n, max_size=n, unique_by=lambda p: frozenset(p[:2])
        )
    )
    decimal_comma = dialect != " " and draw(st.booleans())
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    rows = []
    for a, b, (text, _) in pairs:
        rows.append([a, b, text.replace(".", ",") if decimal_comma else text])
    header = draw(st.booleans())
    if header:
        rows.insert(0, ["word1", "word2", "score"])
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    comment = draw(st.booleans())
    space = draw(st.sampled_from([" ", "  ", "\t", " \t "]))
    text = ("# a comment" + newline if comment else "") + _write(rows, dialect, quoting, newline, space)
    options = {"decimal_comma": True} if decimal_comma else {}
    if not detect:
        options["delimiter"] = dialect
    expected = [(a, b, value) for a, b, (_, value) in pairs]
    return text, expected, options, 1 + comment + header


@settings(max_examples=150, **SETTINGS)
@given(case=goldset_files(), bom=st.booleans())
def test_well_formed_files_read_back_exactly(case, bom):
    text, expected, options, first = case
    path = _file(text, bom)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            gs = GoldSet.from_file(path, **options)
    finally:
        path.unlink()
    assert gs.pairs == expected
    assert [math.copysign(1, s) for s in gs.scores] == [math.copysign(1, s) for _, _, s in expected]
    assert gs.lines == tuple(range(first, first + len(expected)))


@settings(max_examples=80, **SETTINGS)
@given(case=goldset_files(detect=False))
def test_any_word_reads_back_with_an_explicit_delimiter(case):
    text, expected, options, _ = case
    path = _file(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            gs = GoldSet.from_file(path, **options)
    finally:
        path.unlink()
    assert gs.pairs == expected


# A cell that is not a finite number by the grammar: near-misses of real numbers, and noise.
_near_misses = st.sampled_from(
    [
        "7_5",
        "1_000",
        "0x7",
        "0X1F",
        "7.5.1",
        "1..2",
        "1e",
        "1e+",
        ".",
        "-",
        "+",
        "--1",
        "1-",
        "7,5",
        "1,000.5",
        "\u0667",
        "\u0667.\u0665",
        "\uff17.\uff15",
        "\u0967",
        "7\u00a05",
        "7\u2028",
        "n/a",
        "NA",
        "-",
        "?",
        "",
        "nan",
        "NaN",
        "inf",
        "-Infinity",
        "1e999",
        "-1e400",
        "1.elo",
        "+-1",
        "1e1.5",
        "½",
        "²",
        "Ⅻ",
        "7 5",
        '7"5',
        "(7)",
        "$7",
    ]
)
_noise = st.text(st.sampled_from("0123456789.eE+-_,x ٣７\u00a0abn/"), min_size=1, max_size=6)
bad_scores = st.one_of(_near_misses, _noise).filter(
    lambda t: t == t.strip() and (not is_number(t) or not math.isfinite(float(t)))
)


@settings(max_examples=120, **SETTINGS)
@given(case=goldset_files(), bad=bad_scores, data=st.data())
def test_a_score_that_is_not_a_finite_number_is_refused_at_its_line(case, bad, data):
    text, expected, options, first = case
    if options.get("decimal_comma"):  # then "7,5" is a number
        comma = bad.replace(",", ".")
        assume(
            not (bad.count(",") == 1 and "." not in bad and is_number(comma) and math.isfinite(float(comma)))
        )
    dialect = options.get("delimiter")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    row = data.draw(st.integers(0, len(expected) - 1))
    # Write the bad cell as one quoted cell of the row (so that its white space, commas or
    # quotes cannot move the columns); a letter-initial cell on the first line with no
    # header before it would be read as a header, by design.
    assume(not (row == 0 and first == 1 + text.startswith("#") and bad[:1].isalpha()))
    lineno = first + row
    a, b, _ = expected[row]
    sep = _separator(lines[0] if not text.startswith("#") else lines[1], dialect)
    cells = [_quote_any(a), _quote_any(b), _quote_any(bad)]
    lines[lineno - 1] = sep.join(cells)
    path = _file("\n".join(lines))
    try:
        with pytest.raises(GoldSetFormatError) as info:
            _quietly(GoldSet.from_file, path, **options)
    finally:
        path.unlink()
    assert info.value.path == str(path)
    assert info.value.line == lineno, str(info.value)
    assert str(info.value).startswith(f"{path}:{lineno}: ")


def _quietly(call, *args, **kwargs):
    """``call(*args, **kwargs)`` with warnings silenced: these tests check values and errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


def _separator(first_line: str, dialect: str | None) -> str:
    if dialect is not None:
        return dialect
    for delim in ("\t", ";", ","):
        if first_line.count(delim) >= 2:
            return delim
    return " "


def _quote_any(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@settings(max_examples=300, **SETTINGS)
@given(
    text=st.text(
        st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from('\t;,"\n\r #.0123456789e-')),
        max_size=80,
    ),
    header=st.sampled_from([None, True, False]),
    decimal_comma=st.sampled_from([None, True, False]),
)
def test_any_text_gives_pairs_or_an_error_at_a_line_that_exists(text, header, decimal_comma):
    path = _file(text)
    try:
        _, exc = value_or_error(
            _quietly,
            GoldSet.from_file,
            path,
            header=header,
            decimal_comma=decimal_comma,
            catching=GoldSetFormatError,
        )
    finally:
        path.unlink()
    if exc is not None:
        assert exc.path == str(path)
        n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        assert exc.line is None or 1 <= exc.line <= n_lines
        assert str(exc).count("\n") == 0


@settings(max_examples=100, **SETTINGS)
@given(
    text=st.text(
        st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from('\t;,"\n #.0123456789')),
        max_size=80,
    )
)
def test_agreement_on_any_text_gives_a_report_or_a_goldset_error(text):
    path = _file(text)
    try:
        _, exc = value_or_error(_quietly, agreement, path, catching=GoldSetFormatError)
    finally:
        path.unlink()
    if exc is not None:
        assert exc.path == str(path)


@settings(max_examples=100, **SETTINGS)
@given(
    word=st.text(min_size=1, max_size=6),
    odd=st.sampled_from("\u00a0\u2028\u2029\u0085\u3000\u2009\u200b\ufeff\u0007\u000b\u000c\u001f"),
)
def test_a_word_with_an_odd_character_inside_is_refused(word, odd):
    word = word.strip()
    assume(
        word
        and odd_character(word) is None
        and not word.startswith("#")
        and not set(word) & {"\t", "\n", "\r", '"'}
    )
    path = _file(f"{word}{odd}x\tcar\t7.5\n")
    try:
        with pytest.raises(GoldSetFormatError) as info:
            GoldSet.from_file(path, delimiter="\t")
    finally:
        path.unlink()
    assert info.value.line == 1
    assert f"U+{ord(odd):04X}" in str(info.value)


def test_the_odd_character_class_is_what_the_rules_say():
    def odd(char: str) -> bool:
        return char != " " and (
            char.isspace()
            or char in "\u200b\u2060\ufeff"
            or unicodedata.category(char) in ("Cc", "Zs", "Zl", "Zp")
        )

    mismatches = [
        hex(c) for c in range(sys.maxunicode + 1) if odd(chr(c)) != (odd_character(chr(c)) is not None)
    ]
    assert mismatches == []
    # the parser skips the search for words that are printable: no odd character is
    assert not [hex(c) for c in range(sys.maxunicode + 1) if odd(chr(c)) and chr(c).isprintable()]
