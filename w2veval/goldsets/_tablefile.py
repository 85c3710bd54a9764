"""Header-led CSV/TSV tables for the categorization and outlier readers.

Both layouts name their columns in a header line (vecto's ``,category,word`` with an
unnamed index column, or a user's own ``category,word`` / ``word<TAB>category``). The
delimiter is a TAB when the header has one, else a comma (CSV quoting rules).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ._parse import Where
from ._textfile import read_file

if TYPE_CHECKING:
    from .._typing import StrPath

__all__ = ["file_lines", "read_table"]


def file_lines(text: str) -> list[str]:
    """Lines of ``text`` split at ``"\\n"`` (a ``"\\r"`` before it is dropped), without the
    empty string after a final newline.

    Unlike :meth:`str.splitlines` this never splits at U+0085 (Latin-1 NEL), U+2028 or
    a form feed, which may be part of a text.

    Examples
    --------
    >>> file_lines("a\\r\\nb\\u0085c\\n")
    ['a', 'b\\x85c']
    """
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_table(
    path: StrPath, need: tuple[str, ...], *, encoding: str = "utf-8", layout: str
) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]], bytes]:
    """The column index of each name in ``need``, the data rows ``(line, cells)`` and the bytes.

    Header names are matched case-insensitively after stripping spaces; other
    columns (vecto's unnamed index) are ignored. Blank lines are skipped. A row with
    another number of cells than the header, or a CSV quoting error, raises
    :class:`~w2veval.errors.GoldSetFormatError` naming the line.
    """
    text, data = read_file(path, encoding)
    where = Where(path)
    lines = file_lines(text)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise where.error(
            f"the file is empty; a {layout} file starts with a header naming the columns {', '.join(need)}"
        )
    delimiter = "\t" if "\t" in lines[0] else ","
    rows = _csv_rows(lines, delimiter, where)
    first_line, header = next(rows)
    names = [cell.strip().lower() for cell in header]
    missing = [n for n in need if n not in names]
    if missing:
        raise where.error(
            f"the header {_shown(lines[0])} lacks the column(s) {', '.join(repr(m) for m in missing)}; "
            f"a {layout} file starts with a header naming the columns {', '.join(need)} "
            f"(e.g. {delimiter.join(need)!r})",
            first_line,
        )
    for n in need:
        if names.count(n) > 1:
            raise where.error(f"the header names the column {n!r} twice", first_line)
    columns = {n: names.index(n) for n in need}

    def data_rows():
        for lineno, cells in rows:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise where.error(
                    f"expected {len(header)} {_sep(delimiter)}-separated cells as in the "
                    f"header, found {len(cells)}; quote a cell that holds the delimiter",
                    lineno,
                )
            yield lineno, cells

    return columns, data_rows(), data


def _sep(delimiter: str) -> str:
    return "TAB" if delimiter == "\t" else "comma"


def _shown(line: str, limit: int = 60) -> str:
    return repr(line if len(line) <= limit else line[:limit] + "...")


def _csv_rows(lines: list[str], delimiter: str, where: Where) -> Iterator[tuple[int, list[str]]]:
    if delimiter == "\t":
        for lineno, line in enumerate(lines, 1):
            yield lineno, line.split("\t")
        return
    reader = csv.reader(lines, delimiter=",", strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise where.error(
                f"CSV quoting error ({exc}); a quoted cell must end with a quote "
                "and a quote inside it must be doubled",
                reader.line_num,
            ) from None
        yield start, cells
        start = reader.line_num + 1


def stem_name(path: StrPath) -> str:
    """A set name from a file name: its stem."""
    return Path(path).stem or Path(path).name
