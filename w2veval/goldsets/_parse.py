"""Reading word pairs with scores out of text, and checking them.

Everything here works on plain Python strings and lists (no numpy, no pandas) so
that importing :mod:`w2veval.goldsets` stays fast; SimVerb-3500 parses in a few
milliseconds. Files are read by :mod:`._textfile`; how a row is cut into cells and
a cell read as a word or a score is :mod:`._dialect`.
"""

from __future__ import annotations

import math
import numbers
import os
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from ..errors import GoldSetFormatError, option
from . import _dialect
from ._dialect import SplitError, detect_delimiter, split_row
from ._duplicates import DUPLICATE_POLICIES
from ._textfile import read_file, split_lines

__all__ = [
    "DroppedRowsWarning",
    "DuplicatePairWarning",
    "check_pairs",
    "detect_delimiter",
    "parse_rows",
    "parse_text",
    "read_file",
    "split_lines",
]

BAD_SCORE_POLICIES = ("error", "drop")
# MEN's lemma form tags every word: sun-n, shine-v, sunny-j.
POS_SUFFIXES = ("-n", "-v", "-j")


class DuplicatePairWarning(UserWarning):
    """A gold set lists the same word pair more than once and all rows were kept."""


class DroppedRowsWarning(UserWarning):
    """Rows of a gold-set file were dropped because the caller asked for it
    (``bad_scores="drop"``); the message counts them and names their lines."""


class Parsed(NamedTuple):
    """What :func:`parse_rows` read: the pairs and the rows it dropped."""

    word1: list[str]
    word2: list[str]
    scores: list[float]
    lines: list[int]
    dropped: list[tuple[int, str]]  # (line, offending score cell)


class Where:
    """Where pairs come from, for error messages: a file (lines) or memory (pairs/rows)."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, name: str | None = None, unit: str = "line"
    ) -> None:
        self.path = None if path is None else str(path)
        self.name = name
        self.unit = unit

    def error(self, message: str, line: int | None = None) -> GoldSetFormatError:
        if self.path is not None:
            return GoldSetFormatError(message, path=self.path, line=line)
        where = f"gold set {self.name!r}" if self.name else "gold set"
        if line is not None:
            where = f"{where}, {self.unit} {line}"
        return GoldSetFormatError(f"{where}: {message}")

    def lines(self, *numbers: int) -> str:
        plural = self.unit + "s" if len(numbers) > 1 else self.unit
        return f"{plural} {' and '.join(map(str, numbers))}"


def shown(cell: str, limit: int = 40) -> str:
    """``cell`` quoted for a message, cut at ``limit`` characters.

    Examples
    --------
    >>> shown("high"), shown("x" * 50, 5)
    ("'high'", "'xxxxx…'")
    """
    return repr(cell if len(cell) <= limit else cell[:limit] + "…")


def row_filter(spec: object) -> tuple[int, str] | None:
    """``(column, value)`` from a ``where={"column": 2, "equals": "N"}`` option.

    Examples
    --------
    >>> row_filter({"column": 2, "equals": "N"}), row_filter(None)
    ((2, 'N'), None)
    """
    if spec is None:
        return None
    column = spec.get("column") if isinstance(spec, Mapping) else None
    value = spec.get("equals") if isinstance(spec, Mapping) else None
    if (
        not isinstance(spec, Mapping)
        or set(spec) != {"column", "equals"}
        or isinstance(column, bool)
        or not isinstance(column, int)
        or column < 0
        or not isinstance(value, str)
    ):
        raise ValueError(
            "where must be a mapping {'column': <0-based int>, 'equals': <str>} that keeps the "
            f"rows whose cell in that column equals the string, got {spec!r}"
        )
    return column, value


def strip_pos_suffix(word: str, where: Where, line: int) -> str:
    """``word`` without its MEN-style part-of-speech suffix (``-n``, ``-v``, ``-j``).

    Examples
    --------
    >>> strip_pos_suffix("sunlight-n", Where("men.txt"), 1)
    'sunlight'
    """
    for suffix in POS_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    raise where.error(
        f"word {shown(word)} has no part-of-speech suffix ({', '.join(POS_SUFFIXES)}); "
        f"pass {option('strip_pos_suffix', False)} for a file without them",
        line,
    )


def parse_text(
    text: str, where: Where, **options: Any
) -> tuple[list[str], list[str], list[float], list[int]]:
    """Word pairs, scores and 1-based line numbers from the text of a gold-set file.

    The same as :func:`parse_rows` without the list of dropped rows.

    Examples
    --------
    >>> parse_text("# demo\\nw1,w2,s\\ncat,dog,7.5\\n", Where("demo.csv"))
    (['cat'], ['dog'], [7.5], [3])
    """
    parsed = parse_rows(text, where, **options)
    return parsed.word1, parsed.word2, parsed.scores, parsed.lines


def parse_rows(
    text: str,
    where: Where,
    *,
    delimiter: str | None = None,
    detect: bool = True,
    header: bool | None = None,
    columns: Sequence[int] = (0, 1, 2),
    keep: tuple[int, str] | None = None,
    pos_suffix: bool = False,
    decimal_comma: bool | None = None,
    bad_scores: str = "error",
    known_bad: frozenset[int] = frozenset(),
) -> Parsed:
    """Word pairs, scores, line numbers and dropped rows from the text of a gold-set file.

    Blank lines and lines starting with ``#`` are skipped. ``delimiter=None`` splits
    at runs of ASCII white space; with ``detect`` the delimiter is taken from the first
    row instead (:func:`~._dialect.detect_delimiter`). Cells may be quoted as the
    ``csv`` module writes them. With ``header=None`` the first row is a header when its
    score cell is a word (:func:`~._dialect.is_header_cell`); a malformed number there
    is an error. ``keep=(column, value)`` keeps only the rows whose cell in that column
    equals ``value`` (other rows are skipped, not errors). ``pos_suffix`` strips a
    MEN-style ``-n``/``-v``/``-j`` from each word. ``decimal_comma=True`` reads
    ``0,58`` as 0.58; ``None`` (the default) reads decimal points and refuses a
    ``,``-separated row whose score looks cut at a decimal comma (``7,5``), which
    ``False`` reads as two columns. ``bad_scores="drop"`` skips a row whose score is
    not a finite number and reports it in :attr:`Parsed.dropped` instead of raising; so
    does ``known_bad``, the lines whose bad scores a catalog entry declares.

    Examples
    --------
    >>> parse_rows('a;b;0,5\\nc;d;1.elo\\n"e";"f";"1,5"\\n', Where("x.csv"), decimal_comma=True,
    ...            bad_scores="drop")
    Parsed(word1=['a', 'e'], word2=['b', 'f'], scores=[0.5, 1.5], lines=[1, 3], dropped=[(2, '1.elo')])
    >>> parse_rows("plane,car,7,5\\n", Where("x.csv"))
    Traceback (most recent call last):
    ...
    w2veval.errors.GoldSetFormatError: x.csv:1: the score looks like a number cut at a decimal comma: ...
    """
    if bad_scores not in BAD_SCORE_POLICIES:
        raise ValueError(f"bad_scores must be one of {BAD_SCORE_POLICIES}, got {bad_scores!r}")
    rows = _Rows(
        where,
        delimiter=delimiter,
        detect=detect,
        header=header,
        columns=tuple(columns),
        keep=keep,
        decimal_comma=decimal_comma,
    )
    out = Parsed([], [], [], [], [])
    i1, i2, i3 = rows.columns
    odd = _dialect.odd_character
    score_of = _dialect.score_of
    isfinite = math.isfinite
    known: dict[str, float | None] = {}  # gold sets repeat their scores; the grammar's regex is the cost
    for lineno, cells in rows.data(split_lines(text)):
        cell = cells[i3]
        try:
            score = known[cell]
        except KeyError:
            score = known[cell] = score_of(cell, decimal_comma)
        if score is None or not isfinite(score):
            if bad_scores == "drop" or lineno in known_bad:
                out.dropped.append((lineno, cell))
                continue
            raise where.error(rows.bad_score(cell, cells, bool(out.scores), score), lineno)
        a, b = cells[i1], cells[i2]
        # no odd character is printable, so most words skip the search
        if not a or not b or (not (pair := f"{a} {b}").isprintable() and odd(pair)):
            raise _word_error(where, cells, (i1, i2), lineno)
        if pos_suffix:
            a, b = strip_pos_suffix(a, where, lineno), strip_pos_suffix(b, where, lineno)
        out.word1.append(a)
        out.word2.append(b)
        out.scores.append(score)
        out.lines.append(lineno)
    if not out.scores and not out.dropped and rows.header_cell is not None:
        cell, lineno = rows.header_cell
        raise where.error(
            f"contains no word pairs: its only row was read as a header because its "
            f"score {shown(cell)} is a word; pass {option('header', False)} to read it as data",
            lineno,
        )
    return out


class _Rows:
    """Turns the lines of one file into data cells: comments, header, delimiter, quoting."""

    def __init__(
        self,
        where: Where,
        *,
        delimiter: str | None,
        detect: bool,
        header: bool | None,
        columns: tuple[int, ...],
        keep: tuple[int, str] | None,
        decimal_comma: bool | None,
    ) -> None:
        self.where = where
        self.delimiter = delimiter
        self.detect = detect
        self.header = header
        self.columns = columns
        self.keep = keep
        self.decimal_comma = decimal_comma
        self.need = max(columns) + 1 if keep is None else max(*columns, keep[0]) + 1
        self.first = True
        self.header_cell: tuple[str, int] | None = None
        self.header_width: int | None = None

    def data(self, lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
        """``(line number, cells)`` of each data row; comments, blank lines and a header skipped."""
        keep, need, score_column = self.keep, self.need, self.columns[2]
        for lineno, raw in enumerate(lines, 1):
            row = raw.strip()
            if not row or row[0] == "#":
                continue
            if self.first:
                self.first = False
                cells = self._first(lineno, raw, row)
                if cells is None:
                    continue
            elif self.delimiter is not None and '"' not in raw:
                cells = list(map(str.strip, raw.split(self.delimiter)))
                if len(cells) < need:
                    self._split(raw, lineno)  # raises the error that names the columns
            else:
                cells = self._split(raw, lineno)
            if keep is not None and cells[keep[0]] != keep[1]:
                continue
            if (
                self.delimiter == ","
                and self.decimal_comma is not False
                and len(cells) != self.header_width
                and _dialect.split_number_tail(cells, score_column)
            ):
                raise self.where.error(self._split_number_message(cells), lineno)
            yield lineno, cells

    def _first(self, lineno: int, raw: str, row: str) -> list[str] | None:
        """The cells of the first row, or ``None`` when it is a header (which sets the dialect)."""
        if self.detect:
            self.delimiter = detect_delimiter(raw, self.need)  # raw: a trailing empty cell counts
        if self.header:
            self.header_width = self._width(raw)
            return None
        cells = self._split(raw, lineno)
        if self.header is None and _dialect.is_header_cell(cells[self.columns[2]]):
            self.header_cell = (cells[self.columns[2]], lineno)
            self.header_width = len(cells)
            return None
        return cells

    def _width(self, raw: str) -> int | None:
        try:
            return len(split_row(raw, self.delimiter))
        except SplitError:
            return None

    def _split(self, raw: str, lineno: int) -> list[str]:
        try:
            cells = split_row(raw, self.delimiter)
        except SplitError as exc:
            raise self.where.error(str(exc), lineno) from None
        if len(cells) < self.need:
            sep = "ASCII white space" if self.delimiter is None else repr(self.delimiter)
            odd = _dialect.odd_character(raw.strip(_dialect.ASCII_SPACE).replace("\t", " "))
            note = (
                ""
                if odd is None
                else f" (the row holds {_dialect.describe_char(odd)}, which separates nothing)"
            )
            raise self.where.error(
                f"expected at least {self.need} columns separated by {sep}, found "
                f"{len(cells)} in {shown(raw.strip(), 60)}{note}",
                lineno,
            )
        return cells

    def _split_number_message(self, cells: list[str]) -> str:
        i3 = self.columns[2]
        whole, tail = f"{cells[i3]},{cells[i3 + 1]}", i3 + 2
        fix = option("decimal_comma", True)
        return (
            f"the score looks like a number cut at a decimal comma: {whole!r} split by the ',' "
            f"delimiter into {cells[i3]!r} and {cells[i3 + 1]!r}, and w2veval does not guess which "
            f"is meant; quote the score (\"{whole}\") and pass {fix}, or use ';' or a tab as the "
            f"delimiter with {fix}, or write a decimal point; if column {tail} is a column of its "
            f"own, pass {option('decimal_comma', False)} or add a header row naming every column"
        )

    def bad_score(self, cell: str, cells: list[str], seen: bool, score: float | None) -> str:
        """The message for a score cell that is not a finite number."""
        i1, i2, i3 = self.columns
        if score is not None:
            return f"score {shown(cell)} is not a finite number"
        why = _dialect.why_not_a_number(cell, delimiter=self.delimiter, decimal_comma=self.decimal_comma)
        message = f"score {shown(cell)} in column {i3 + 1} is not a number: {why}"
        if not seen:  # the first data row: perhaps the score is in another column
            numeric = [
                k
                for k, c in enumerate(cells)
                if k not in self.columns and _dialect.score_of(c, self.decimal_comma) is not None
            ]
            if numeric:
                message += (
                    f"; if the scores are in column {numeric[0] + 1}, pass "
                    f"{option('columns', (i1, i2, numeric[0]))}"
                )
            if self.header is None and self.header_cell is None and self.header_width is None:
                message += (
                    f"; a first row is a header only when its score cell is a word "
                    f"(pass {option('header', True)} if this row is one)"
                )
        return message + f"; or pass {option('bad_scores', 'drop')} to drop such rows with a warning"


def _word_error(where: Where, cells: list[str], columns: tuple[int, int], lineno: int) -> GoldSetFormatError:
    """The error for the first of the two word cells that is empty or holds an odd character."""
    for column in columns:
        word = cells[column]
        if not word:
            return where.error(f"empty word in column {column + 1}", lineno)
        problem = _dialect.word_problem(word)
        if problem is not None:
            return where.error(f"word {shown(word)} in column {column + 1}: {problem}", lineno)
    raise AssertionError("no word problem found")  # pragma: no cover


def unexpected_drops(
    where: Where, dropped: Sequence[tuple[int, str]], known_bad: Sequence[int]
) -> list[tuple[int, str]]:
    """The dropped rows that are not among the ``known_bad`` lines (those go without a warning).

    Raises
    ------
    GoldSetFormatError
        At the first known-bad line that was not dropped: its score is a number (or it is no
        data row), so the file is not the one the lines were declared for.
    """
    lines = {line for line, _ in dropped}
    for line in sorted(known_bad):
        if line not in lines:
            raise where.error(
                f"line {line} is declared a known bad row (known_bad_lines) but holds a "
                "pair with a valid score; the file differs from the catalogued one",
                line,
            )
    known = set(known_bad)
    return [(line, what) for line, what in dropped if line not in known]


def warn_dropped(
    where: Where, dropped: Sequence[tuple[int, str]], *, reason: str | None = None, stacklevel: int = 3
) -> None:
    """One :class:`DroppedRowsWarning` that counts the dropped rows and names each one.

    ``dropped`` holds ``(line, what)`` items; ``reason`` completes "dropped <n> ...".
    """
    if not dropped:
        return
    if reason is None:
        reason = f"row(s) whose score is not a number ({option('bad_scores', 'drop')})"
    shown = ", ".join(f"{line} ({what!r})" for line, what in dropped[:10])
    more = f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
    source = where.path or f"gold set {where.name!r}"
    warnings.warn(
        f"{source}: dropped {len(dropped)} {reason}: {where.unit}s {shown}{more}",
        DroppedRowsWarning,
        stacklevel=stacklevel,
    )


def coerce_score(value: object, where: Where, line: int) -> float:
    """A real number as a float; strings, bools and other objects are errors."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise where.error(f"score {value!r} is not a number", line)
    score = float(value)
    if not math.isfinite(score):
        raise where.error(f"score {value!r} is not a finite number", line)
    return score


def coerce_word(value: object, where: Where, line: int) -> str:
    """A non-empty string, or an error naming the pair."""
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"word {value!r} is not a non-empty string", line)
    return value


def check_pairs(
    w1: Sequence[str],
    w2: Sequence[str],
    scores: Sequence[float],
    lines: Sequence[int],
    where: Where,
    *,
    duplicates: str = "error",
    scale: tuple[float, float] | None = None,
    rule: str | None = None,
) -> None:
    """Check parsed pairs: at least one, finite scores within ``scale``, duplicates.

    A pair repeated in the same order with a different score is a conflict: an error
    under ``duplicates="error"``, whose message quotes ``rule`` (why that policy applies).
    Any other repeat (same order and same score, or the reversed order with any score) is
    kept with a :class:`DuplicatePairWarning`, because published sets rate both orders as
    separate items (SimLex-999 has sly/strange and strange/sly). ``duplicates="warn"``
    turns conflicts into warnings too; ``"keep"`` keeps every row silently and ``"mean"``
    leaves the merging to :func:`~._duplicates.merge_mean`.
    """
    if duplicates not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicates must be one of {DUPLICATE_POLICIES}, got {duplicates!r}")
    if not scores:
        raise where.error("contains no word pairs (only blank, comment or header lines)")
    for score, line in zip(scores, lines, strict=True):
        if not math.isfinite(score):
            raise where.error(f"score {score!r} is not a finite number", line)
    if scale is not None:
        low, high = scale
        for score, line in zip(scores, lines, strict=True):
            if not low <= score <= high:
                raise where.error(f"score {score!r} is outside the declared scale {scale!r}", line)
    if duplicates in ("keep", "mean"):
        return
    seen: dict[tuple[str, str], int] = {}
    repeats: list[str] = []
    for i, pair in enumerate(zip(w1, w2, strict=True)):
        j = seen.get(pair)
        reversed_ = j is None
        if j is None:
            j = seen.get(pair[::-1])
            if j is None:
                seen[pair] = i
                continue
        same = scores[i] == scores[j]
        text = (
            f"{pair!r} at {where.lines(lines[j], lines[i])} "
            f"({'reversed, ' if reversed_ else ''}scores {scores[j]:g} and {scores[i]:g})"
        )
        if duplicates == "error" and not same and not reversed_:
            raise where.error(
                f"conflicting duplicate pair {text}: "
                f"{rule or 'conflicting duplicate rows are an error by default'}; pass "
                f"{option('duplicates', 'keep')} to keep every row (as gensim and the catalog do) or "
                f"{option('duplicates', 'mean')} to merge them into one pair with the mean score",
                lines[i],
            )
        repeats.append(text)
    if repeats:
        shown = "; ".join(repeats[:3]) + ("; ..." if len(repeats) > 3 else "")
        source = where.path or f"gold set {where.name!r}"
        warnings.warn(
            f"{source}: {len(repeats)} repeated pair(s) kept as separate rows: {shown}. "
            f"Pass {option('duplicates', 'keep')} to silence this.",
            DuplicatePairWarning,
            stacklevel=3,
        )
