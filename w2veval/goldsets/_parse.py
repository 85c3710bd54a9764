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
from collections.abc import Sequence

from ..errors import GoldSetFormatError, GoldSetNotFoundError

__all__ = ["DuplicatePairWarning", "read_file", "parse_text", "check_pairs"]

DUPLICATE_POLICIES = ("error", "warn", "keep")

# Tried in this order on the first row; tab wins because SemEval-style sets have
# multiword entries ("Promised Land") and some files carry decimal commas after ";".
_DELIMITERS = ("\t", ";", ",")


class DuplicatePairWarning(UserWarning):
    """A gold set lists the same word pair more than once and all rows were kept."""


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
    return text.removeprefix("\ufeff"), data


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
    message = f"score {cell!r} in column {column + 1} is not a number"
    if cell.replace(",", "", 1).strip().lstrip("-").isdigit():
        message += " (a decimal comma? write the score with a decimal point)"
    return message


def parse_text(
    text: str,
    where: Where,
    *,
    delimiter: str | None = None,
    detect: bool = True,
    header: bool | None = None,
    columns: Sequence[int] = (0, 1, 2),
) -> tuple[list[str], list[str], list[float], list[int]]:
    """Word pairs, scores and 1-based line numbers from the text of a gold-set file.

    Blank lines and lines starting with ``#`` are skipped. ``delimiter=None`` splits
    at runs of whitespace; with ``detect`` the delimiter is taken from the first row
    instead. With ``header=None`` the first row is a header when its score cell is
    not a number.

    Examples
    --------
    >>> parse_text("# demo\\nw1,w2,s\\ncat,dog,7.5\\n", Where("demo.csv"))
    (['cat'], ['dog'], [7.5], [3])
    """
    i1, i2, i3 = columns
    need = max(columns) + 1
    w1: list[str] = []
    w2: list[str] = []
    scores: list[float] = []
    lines: list[int] = []
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
        score = parse_score(cell)
        if first:
            first = False
            if header is None and score is None:
                header_cell = (cell, lineno)
                continue
        if score is None:
            message = _not_a_number(cell, i3)
            if not scores:  # the first data row: perhaps the score is in another column
                numeric = [k for k, c in enumerate(cells)
                           if k not in columns and parse_score(c) is not None]
                if numeric:
                    k = numeric[0]
                    message += f"; if the scores are in column {k + 1}, pass columns=({i1}, {i2}, {k})"
            raise where.error(message, lineno)
        if not math.isfinite(score):
            raise where.error(f"score {cell!r} is not a finite number", lineno)
        a = cells[i1].strip()
        b = cells[i2].strip()
        if not a or not b:
            raise where.error(f"empty word in column {(i1 if not a else i2) + 1}", lineno)
        w1.append(a)
        w2.append(b)
        scores.append(score)
        lines.append(lineno)
    if not scores and header_cell is not None:
        cell, lineno = header_cell
        raise where.error(
            f"contains no word pairs: its only row was read as a header because its "
            f"score {cell!r} is not a number; pass header=False to read it as data",
            lineno,
        )
    return w1, w2, scores, lines


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
