"""How a gold-set row is cut into cells and how a cell becomes a word or a score.

The rules (documented for users in ``docs/errors.md``, "Gold sets"):

* **Delimiter.** Tab, ``;`` or ``,`` (tried in that order on the first data row: the
  first that gives enough cells wins), else runs of ASCII white space (space, tab,
  vertical tab, form feed). Other Unicode spaces (NBSP, U+2028, U+0085, ...) never
  separate cells.
* **Quoting.** In every dialect a cell may be quoted as the ``csv`` module writes it
  (``"plane","car",7.5``; ``"a,b"``; ``""`` for a quote inside), with white space allowed
  around the quotes; anything else after a closing quote is an error. Cells that do not
  start with ``"`` are taken literally (``5"``, ``don't``).
* **Edges.** A cell loses white space at both ends (any Unicode white space: Russian
  WS-353 has ``ягуар\\u00a0`` before its tab). Inside a word, white space other than an
  ASCII space, and control or invisible separator characters, are errors.
* **Numbers.** A score follows :mod:`w2veval._numbers`; with ``decimal_comma`` its one
  comma is the decimal point and a ``.`` is refused as ambiguous.
* **Header.** Unless told, the first row is a header only when its score cell is a
  word: it starts with a letter and is not a number or a missing-value marker
  (``n/a``, ``none``...). A malformed number never makes a header.
"""

from __future__ import annotations

import re
import unicodedata

from .._numbers import parse_number
from ..errors import option
from ._textfile import describe_char

__all__ = [
    "DELIMITERS",
    "SplitError",
    "detect_delimiter",
    "is_header_cell",
    "odd_character",
    "score_of",
    "split_number_tail",
    "split_row",
    "why_not_a_number",
]

# Tried in this order on the first row; tab wins because SemEval-style sets have
# multiword entries ("Promised Land") and some files carry decimal commas after ";".
DELIMITERS = ("\t", ";", ",")
ASCII_SPACE = " \t\x0b\x0c"
_UNQUOTED = re.compile(r"[^ \t\x0b\x0c]+")
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_MISSING_MARKERS = frozenset({"na", "n/a", "n.a.", "none", "null", "nil", "missing", "unknown"})
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_COMMA_NUMBER = re.compile(r"[+-]?[0-9]*,[0-9]+")
# Control characters (Cc), Unicode spaces (Zs) but the ASCII space, line and paragraph
# separators (Zl, Zp), and three invisible characters that are not white space to Python
# (ZERO WIDTH SPACE, WORD JOINER, ZERO WIDTH NO-BREAK SPACE). ZWNJ and ZWJ (U+200C, U+200D)
# are left alone: Persian and Indic words need them. tests/test_goldset_properties.py
# checks this class against unicodedata over every code point.
_ODD = re.compile("[\x00-\x1f\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]")


class SplitError(ValueError):
    """A row whose quoting is malformed; the message says how."""


def split_row(row: str, delimiter: str | None) -> list[str]:
    """The cells of ``row``, unquoted, with white space stripped from both ends.

    Quoting follows the ``csv`` module's default dialect (``"`` quotes a cell, ``""``
    inside it is one quote, a quote inside an unquoted cell is a character), and like
    ``csv.reader(skipinitialspace=True)`` white space before an opening quote is skipped;
    white space after a closing quote is skipped too, where ``csv`` in strict mode would
    refuse the row.

    Examples
    --------
    >>> split_row('"plane", "car" ,7.5', ",")
    ['plane', 'car', '7.5']
    >>> split_row('"ivory coast"  nation\t 7', None)
    ['ivory coast', 'nation', '7']
    >>> split_row('a\u00a0b c 5', None)
    ['a\xa0b', 'c', '5']
    """
    if delimiter is None:
        cells = _split_whitespace(row)
    elif '"' not in row:
        cells = row.split(delimiter)
    else:
        cells = _split_quoted(row, delimiter)
    return list(map(str.strip, cells))


def _split_quoted(row: str, delimiter: str) -> list[str]:
    """Cells separated by ``delimiter``, honouring ``"..."`` quoting."""
    pad = ASCII_SPACE.replace(delimiter, "")
    cells, at, end = [], 0, len(row)
    while True:
        start = at
        while start < end and row[start] in pad:
            start += 1
        if start < end and row[start] == '"':
            match = _quoted(row, start)
            at = match.end()
            while at < end and row[at] in pad:
                at += 1
            cells.append(match.group(1).replace('""', '"'))
            if at == end:
                return cells
            if row[at] != delimiter:
                raise SplitError(
                    f"malformed quoting: {delimiter!r} expected after the quoted cell "
                    f"{match.group(0)[:40]!r}, found {row[at]!r}"
                )
            at += 1
            continue
        stop = row.find(delimiter, at)
        if stop < 0:
            cells.append(row[at:])
            return cells
        cells.append(row[at:stop])
        at = stop + 1


def _quoted(row: str, start: int) -> re.Match[str]:
    match = _QUOTED.match(row, start)
    if match is None:
        raise SplitError(f"malformed quoting: the quote opened at character {start + 1} is never closed")
    return match


def _split_whitespace(row: str) -> list[str]:
    """Cells separated by runs of ASCII white space, honouring ``"..."`` quoting."""
    if '"' not in row:
        return _UNQUOTED.findall(row)
    cells: list[str] = []
    at = 0
    while True:
        while at < len(row) and row[at] in ASCII_SPACE:
            at += 1
        if at == len(row):
            return cells
        if row[at] == '"':
            match = _quoted(row, at)
            at = match.end()
            if at < len(row) and row[at] not in ASCII_SPACE:
                raise SplitError(
                    f"malformed quoting: white space expected after the quoted cell "
                    f"{match.group(0)[:40]!r}, found {row[at]!r}"
                )
            cells.append(match.group(1).replace('""', '"'))
        else:
            unquoted = _UNQUOTED.match(row, at)
            assert unquoted is not None, "row[at] is not white space, so a cell starts there"
            cells.append(unquoted.group(0))
            at = unquoted.end()


def detect_delimiter(row: str, n_columns: int) -> str | None:
    """The delimiter of ``row``: tab, ``;`` or ``,``; ``None`` means runs of white space.

    A delimiter is chosen when splitting at it gives at least ``n_columns`` cells (or
    when it occurs often enough but the row's quoting is malformed for it, so that
    the error names that delimiter).

    Examples
    --------
    >>> detect_delimiter("word1;word2;score", 3), detect_delimiter("sun sunlight 50", 3)
    (';', None)
    >>> detect_delimiter('"a;b","c",5', 3)
    ','
    """
    for delim in DELIMITERS:
        if row.count(delim) < n_columns - 1:
            continue
        try:
            if len(split_row(row, delim)) >= n_columns:
                return delim
        except SplitError:
            return delim
    return None


def is_header_cell(cell: str) -> bool:
    """Whether a first row with this score cell is a header (when not told).

    Examples
    --------
    >>> [is_header_cell(c) for c in ("score", "SimLex999", "Human (mean)", "Ähnlichkeit")]
    [True, True, True, True]
    >>> [is_header_cell(c) for c in ("7.5.1", "n/a", "0x7", "7,5", "1.elo", "nan", "", "_s")]
    [False, False, False, False, False, False, False, False]
    """
    return cell[:1].isalpha() and cell.casefold() not in _MISSING_MARKERS and parse_number(cell) is None


def score_of(cell: str, decimal_comma: bool | None) -> float | None:
    """``cell`` as a number (NaN and infinity included), or ``None``.

    Examples
    --------
    >>> score_of("7.5", None), score_of("7,5", True), score_of("7.5", True), score_of("7_5", None)
    (7.5, 7.5, None, None)
    """
    if decimal_comma:
        if "." in cell or cell.count(",") > 1:
            return None
        cell = cell.replace(",", ".")
    return parse_number(cell)


def why_not_a_number(
    cell: str, *, delimiter: str | None, decimal_comma: bool | None, offer_decimal_comma: bool = True
) -> str:
    """Why ``cell`` is not a number, and the fix, for an error message.

    ``offer_decimal_comma=False`` for readers that have no ``decimal_comma`` option.

    Examples
    --------
    >>> why_not_a_number("7_5", delimiter="\\t", decimal_comma=None)
    "'_' is not part of a number (7_5 is not 75): write the score without it"
    >>> why_not_a_number("\\uff17", delimiter="\\t", decimal_comma=None)
    'it has the non-ASCII digit U+FF17 FULLWIDTH DIGIT SEVEN: write scores with the ASCII digits 0-9'
    """
    if not cell:
        return "the cell is empty"
    digit = next(
        (c for c in cell if not c.isascii() and (c.isdigit() or unicodedata.digit(c, None) is not None)), None
    )
    if digit is not None:
        return f"it has the non-ASCII digit {describe_char(digit)}: write scores with the ASCII digits 0-9"
    odd = odd_character(cell)
    if odd is not None:
        return _odd_character_reason(odd)
    if "_" in cell and parse_number(cell.replace("_", "")) is not None:
        return (
            f"'_' is not part of a number ({cell} is not {cell.replace('_', '')}): write the score without it"
        )
    if cell.lower().lstrip("+-").startswith("0x"):
        return "hexadecimal is not a number here: write the score in decimal"
    if decimal_comma and "." in cell and parse_number(cell.replace(",", "")) is not None:
        return (
            "it has a '.' while the file is read with decimal commas (a thousands separator? "
            "a decimal point?): write every score with one decimal comma"
        )
    if not decimal_comma and _COMMA_NUMBER.fullmatch(cell):
        if not offer_decimal_comma:
            return "a decimal comma? write the number with a decimal point"
        if delimiter == ",":
            return (
                f"a decimal comma? pass {option('decimal_comma', True)} (the cell is quoted, so "
                "its comma is not a delimiter) or write the score with a decimal point"
            )
        return (
            f"a decimal comma? pass {option('decimal_comma', True)} or write the score with a decimal point"
        )
    return "numbers are written like 7, -0.5, .25 or 1e-3"


def odd_character(text: str) -> str | None:
    """The first character of ``text`` that is white space other than an ASCII space, a
    control character, or an invisible separator, or ``None``.

    Examples
    --------
    >>> odd_character("ivory coast"), odd_character("ivory\\u00a0coast")
    (None, '\\xa0')
    >>> odd_character("می\\u200cخواهم") is None  # ZWNJ belongs in Persian words
    True
    """
    match = _ODD.search(text)
    return None if match is None else match.group(0)


def word_problem(word: str) -> str | None:
    """Why ``word`` (a stripped cell) cannot be a word, or ``None``."""
    odd = odd_character(word)
    return None if odd is None else _odd_character_reason(odd)


def _odd_character_reason(char: str) -> str:
    if char in "\x85\u2028\u2029\x0b\x0c":
        return (
            f"it holds {describe_char(char)}, which does not end a line here (lines end only "
            "at LF, CRLF or CR) and does not separate cells: remove it or make it a line end"
        )
    return (
        f"it holds {describe_char(char)}, which does not separate cells (only the delimiter or "
        "ASCII spaces and tabs do): remove it or replace it by the delimiter or a space"
    )


def split_number_tail(cells: list[str], score_column: int) -> bool:
    """Whether the score cell and the cell after it look like one number cut at a comma.

    ``plane,car,7,5``: the score ``7`` is an integer and the next cell ``5`` only
    digits, the tell of a decimal comma read as a delimiter.

    Examples
    --------
    >>> split_number_tail(["plane", "car", "7", "5"], 2), split_number_tail(["a", "b", "7.5", "5"], 2)
    (True, False)
    """
    return (
        len(cells) > score_column + 1
        and _INTEGER.fullmatch(cells[score_column]) is not None
        and _DIGITS.fullmatch(cells[score_column + 1]) is not None
    )
