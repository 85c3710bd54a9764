"""Reading word pairs with scores out of text, and checking them.

Everything here works on plain Python strings and lists (no numpy, no pandas) so
that importing :mod:`w2veval.goldsets` stays fast; SimVerb-3500 parses in a few
milliseconds.
"""

from __future__ import annotations

import math
import numbers
import os
import warnings
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..errors import GoldSetFormatError, GoldSetNotFoundError

__all__ = ["DuplicatePairWarning", "DroppedRowsWarning", "read_file", "parse_text", "parse_rows",
           "check_pairs"]

DUPLICATE_POLICIES = ("error", "warn", "keep")
BAD_SCORE_POLICIES = ("error", "drop")
# MEN's lemma form tags every word: sun-n, shine-v, sunny-j.
POS_SUFFIXES = ("-n", "-v", "-j")

# Tried in this order on the first row; tab wins because SemEval-style sets have
# multiword entries ("Promised Land") and some files carry decimal commas after ";".
_DELIMITERS = ("\t", ";", ",")


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

    def __init__(self, path=None, *, name: str | None = None, unit: str = "line"):
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


def read_file(path, encoding: str = "utf-8") -> tuple[str, bytes]:
    """The decoded text of ``path`` (without a leading BOM) and its raw bytes.

    Raises
    ------
    GoldSetNotFoundError
        If ``path`` does not exist or is not a regular file.
    GoldSetFormatError
        If the bytes are not valid in ``encoding``; names the line.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        what = "is a directory, not a file" if os.path.isdir(path) else "does not exist"
        raise GoldSetNotFoundError(
            f"gold-set file {os.fspath(path)!r} {what}; pass the path of a word-pair "
            "file or a built-in name (see w2veval.goldsets.names())",
            path=path,
        ) from exc
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        raise GoldSetFormatError(
            f"bytes {data[exc.start:exc.end]!r} are not valid {encoding}; "
            "pass encoding=... with the file's real encoding",
            path=path,
            line=before.count(b"\n") + 1,
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        hint = " (UTF-16? pass encoding='utf-16')" if text.count("\0") * 3 > len(text) else ""
        raise GoldSetFormatError(
            f"NUL byte in the line: a gold set is text and never holds one{hint}", path=path,
            line=len(split_lines(text[:nul])))
    return text.removeprefix("\ufeff"), data


def shown(cell: str, limit: int = 40) -> str:
    """``cell`` quoted for a message, cut at ``limit`` characters.

    Examples
    --------
    >>> shown("high"), shown("x" * 50, 5)
    ("'high'", "'xxxxx…'")
    """
    return repr(cell if len(cell) <= limit else cell[:limit] + "…")


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` for LF, CRLF and CR-only (old Mac) line ends alike.

    Unlike :meth:`str.splitlines` this does not break at form feeds, U+0085 or
    U+2028, so line numbers match what an editor shows.

    Examples
    --------
    >>> split_lines("a\\r\\nb\\rc\\nd")
    ['a', 'b', 'c', 'd']
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def detect_delimiter(row: str, n_columns: int) -> str | None:
    """The delimiter of ``row``: tab, ``;`` or ``,``; ``None`` means runs of whitespace.

    Examples
    --------
    >>> detect_delimiter("word1;word2;score", 3), detect_delimiter("sun sunlight 50", 3)
    (';', None)
    """
    for delim in _DELIMITERS:
        if row.count(delim) >= n_columns - 1:
            return delim
    return None


def parse_score(cell: str) -> float | None:
    """``cell`` as a float, or ``None`` if it is not a number (NaN and inf are numbers).

    Examples
    --------
    >>> parse_score(" 7.35"), parse_score("score"), parse_score("nan")
    (7.35, None, nan)
    """
    try:
        return float(cell)
    except ValueError:
        return None


def _not_a_number(cell: str, column: int) -> str:
    message = f"score {shown(cell)} in column {column + 1} is not a number"
    if cell.replace(",", "", 1).strip().lstrip("-").isdigit():
        message += " (a decimal comma? write the score with a decimal point or pass decimal_comma=True)"
    return message


def row_filter(spec) -> tuple[int, str] | None:
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
    if (not isinstance(spec, Mapping) or set(spec) != {"column", "equals"}
            or isinstance(column, bool) or not isinstance(column, int) or column < 0
            or not isinstance(value, str)):
        raise ValueError(
            "where must be a mapping {'column': <0-based int>, 'equals': <str>} that keeps the "
            f"rows whose cell in that column equals the string, got {spec!r}")
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
        "pass strip_pos_suffix=False for a file without them", line)


def parse_text(text: str, where: Where, **options) -> tuple[list[str], list[str], list[float], list[int]]:
    """Word pairs, scores and 1-based line numbers from the text of a gold-set file.

    The same as :func:`parse_rows` without the list of dropped rows.

    Examples
    --------
    >>> parse_text("# demo\\nw1,w2,s\\ncat,dog,7.5\\n", Where("demo.csv"))
    (['cat'], ['dog'], [7.5], [3])
    """
    return tuple(parse_rows(text, where, **options)[:4])


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
    decimal_comma: bool = False,
    bad_scores: str = "error",
) -> Parsed:
    """Word pairs, scores, line numbers and dropped rows from the text of a gold-set file.

    Blank lines and lines starting with ``#`` are skipped. ``delimiter=None`` splits
    at runs of whitespace; with ``detect`` the delimiter is taken from the first row
    instead. With ``header=None`` the first row is a header when its score cell is
    not a number. ``keep=(column, value)`` keeps only the rows whose cell in that
    column equals ``value`` (other rows are skipped, not errors). ``pos_suffix``
    strips a MEN-style ``-n``/``-v``/``-j`` from each word. ``decimal_comma`` reads
    ``0,58`` as 0.58. ``bad_scores="drop"`` skips a row whose score is not a finite
    number and reports it in :attr:`Parsed.dropped` instead of raising.

    Examples
    --------
    >>> parse_rows("a;b;0,5\\nc;d;1.elo\\n", Where("x.csv"), decimal_comma=True,
    ...            bad_scores="drop")
    Parsed(word1=['a'], word2=['b'], scores=[0.5], lines=[1], dropped=[(2, '1.elo')])
    """
    if bad_scores not in BAD_SCORE_POLICIES:
        raise ValueError(f"bad_scores must be one of {BAD_SCORE_POLICIES}, got {bad_scores!r}")
    if decimal_comma and delimiter == ",":
        raise ValueError("decimal_comma=True needs a delimiter other than ','")
    i1, i2, i3 = columns
    need = max(columns) + 1 if keep is None else max(*columns, keep[0]) + 1
    out = Parsed([], [], [], [], [])
    first = True
    delim = delimiter
    header_cell = None
    for lineno, raw in enumerate(split_lines(text), 1):
        row = raw.strip()
        if not row or row.startswith("#"):
            continue
        if first and detect:
            delim = detect_delimiter(row, need)
        if first and header:
            first = False
            continue
        cells = row.split() if delim is None else raw.split(delim)
        if len(cells) < need:
            shown = "whitespace" if delim is None else repr(delim)
            raise where.error(
                f"expected at least {need} columns separated by {shown}, found "
                f"{len(cells)} in {row[:60]!r}",
                lineno,
            )
        cell = cells[i3].strip()
        score = parse_score(cell.replace(",", ".", 1) if decimal_comma else cell)
        if first:
            first = False
            if header is None and score is None:
                header_cell = (cell, lineno)
                continue
        if keep is not None and cells[keep[0]].strip() != keep[1]:
            continue
        if score is None or not math.isfinite(score):
            if bad_scores == "drop":
                out.dropped.append((lineno, cell))
                continue
            raise where.error(_bad_score(cell, cells, columns, bool(out.scores), score), lineno)
        a = cells[i1].strip()
        b = cells[i2].strip()
        if not a or not b:
            raise where.error(f"empty word in column {(i1 if not a else i2) + 1}", lineno)
        if pos_suffix:
            a, b = strip_pos_suffix(a, where, lineno), strip_pos_suffix(b, where, lineno)
        out.word1.append(a)
        out.word2.append(b)
        out.scores.append(score)
        out.lines.append(lineno)
    if not out.scores and not out.dropped and header_cell is not None:
        cell, lineno = header_cell
        raise where.error(
            f"contains no word pairs: its only row was read as a header because its "
            f"score {cell!r} is not a number; pass header=False to read it as data",
            lineno,
        )
    return out


def _bad_score(cell: str, cells: list[str], columns: Sequence[int], seen: bool, score) -> str:
    """The message for a score cell that is not a finite number."""
    i1, i2, i3 = columns
    if score is not None:
        return f"score {shown(cell)} is not a finite number"
    message = _not_a_number(cell, i3)
    if not seen:  # the first data row: perhaps the score is in another column
        numeric = [k for k, c in enumerate(cells) if k not in columns and parse_score(c) is not None]
        if numeric:
            message += f"; if the scores are in column {numeric[0] + 1}, pass columns=({i1}, {i2}, {numeric[0]})"
    return message + "; or pass bad_scores='drop' to drop such rows with a warning"


def warn_dropped(where: Where, dropped: Sequence[tuple[int, str]], *,
                 reason: str = "row(s) whose score is not a number (bad_scores='drop')",
                 stacklevel: int = 3) -> None:
    """One :class:`DroppedRowsWarning` that counts the dropped rows and names each one.

    ``dropped`` holds ``(line, what)`` items; ``reason`` completes "dropped <n> ...".
    """
    if not dropped:
        return
    shown = ", ".join(f"{line} ({what!r})" for line, what in dropped[:10])
    more = f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
    source = where.path or f"gold set {where.name!r}"
    warnings.warn(f"{source}: dropped {len(dropped)} {reason}: {where.unit}s {shown}{more}",
                  DroppedRowsWarning, stacklevel=stacklevel)


def coerce_score(value, where: Where, line: int) -> float:
    """A real number as a float; strings, bools and other objects are errors."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise where.error(f"score {value!r} is not a number", line)
    score = float(value)
    if not math.isfinite(score):
        raise where.error(f"score {value!r} is not a finite number", line)
    return score


def coerce_word(value, where: Where, line: int) -> str:
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
) -> None:
    """Check parsed pairs: at least one, finite scores within ``scale``, duplicates.

    A pair repeated in the same order with a different score is a conflict: an error
    under ``duplicates="error"``. Any other repeat (same order and same score, or the
    reversed order with any score) is kept with a :class:`DuplicatePairWarning`, because
    published sets rate both orders as separate items (SimLex-999 has sly/strange and
    strange/sly). ``duplicates="warn"`` turns conflicts into warnings too and
    ``duplicates="keep"`` keeps every row silently.
    """
    if duplicates not in DUPLICATE_POLICIES:
        raise ValueError(
            f"duplicates must be one of {DUPLICATE_POLICIES}, got {duplicates!r}"
        )
    if not scores:
        raise where.error("contains no word pairs (only blank, comment or header lines)")
    for score, line in zip(scores, lines):
        if not math.isfinite(score):
            raise where.error(f"score {score!r} is not a finite number", line)
    if scale is not None:
        low, high = scale
        for score, line in zip(scores, lines):
            if not low <= score <= high:
                raise where.error(
                    f"score {score!r} is outside the declared scale {scale!r}", line
                )
    if duplicates == "keep":
        return
    seen: dict[tuple[str, str], int] = {}
    repeats: list[str] = []
    for i, pair in enumerate(zip(w1, w2)):
        j = seen.get(pair)
        reversed_ = j is None
        if reversed_:
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
                f"conflicting duplicate pair {text}; fix the file or pass "
                "duplicates='keep' to keep every row (as gensim does)",
                lines[i],
            )
        repeats.append(text)
    if repeats:
        shown = "; ".join(repeats[:3]) + ("; ..." if len(repeats) > 3 else "")
        source = where.path or f"gold set {where.name!r}"
        warnings.warn(
            f"{source}: {len(repeats)} repeated pair(s) kept as separate rows: {shown}. "
            "Pass duplicates='keep' to silence this.",
            DuplicatePairWarning,
            stacklevel=3,
        )
