"""Reading labelled text files into a :class:`~w2veval.goldsets.TextTask`.

Three layouts (``docs/goldsets.md``):

* ``label<TAB>text`` lines, no header (the SMS Spam Collection's original layout);
* a CSV or TSV file whose header names a ``text`` and a ``label`` column (any order,
  any case, other columns ignored; other column names with ``text_column=`` /
  ``label_column=``);
* one file per label, one text per line (the sentence-polarity layout): the label of
  each file is given, or is the file's suffix (``rt-polarity.pos`` -> ``pos``), or its
  stem when the suffix is ``.txt``/``.tsv``/``.csv`` or absent.

Lines are split at ``"\\n"`` only (``"\\r\\n"`` too), never at U+0085 (Latin-1 NEL),
so a Windows-1252 file read as Latin-1 keeps its line count. Texts and labels are kept
verbatim; only the line terminator is removed.
"""

from __future__ import annotations

import csv
import hashlib
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GoldSetFormatError
from ._parse import Where
from ._tablefile import _csv_rows, file_lines, stem_name
from ._task import TextTask
from ._textfile import read_file

if TYPE_CHECKING:
    from .._typing import StrPath

__all__ = ["HeaderLineWarning", "header_columns", "label_of_file", "read_task"]


class HeaderLineWarning(UserWarning):
    """The first line of a ``label<TAB>text`` file was taken for a header and skipped."""


_PLAIN_SUFFIXES = ("", ".txt", ".text", ".tsv", ".csv")


def label_of_file(path: StrPath) -> str:
    """The label a file stands for in the one-file-per-label layout.

    Examples
    --------
    >>> label_of_file("rt-polarity.pos"), label_of_file("spam.txt"), label_of_file("ham")
    ('pos', 'spam', 'ham')
    """
    file = Path(path)
    return file.stem if file.suffix.lower() in _PLAIN_SUFFIXES else file.suffix[1:]


def header_columns(line: str) -> tuple[str, list[str]]:
    """The delimiter and the cells of a header line: TAB if it holds one, else comma (CSV)."""
    if "\t" in line:
        return "\t", line.split("\t")
    try:
        return ",", next(csv.reader([line]), [])
    except csv.Error:  # a stray CR or an open quote: not a header anyway
        return ",", line.split(",")


def read_task(
    source: StrPath | Sequence[StrPath] | Mapping[str, StrPath],
    *,
    name: str | None = None,
    encoding: str = "utf-8",
    header: bool | None = None,
    text_column: str | None = None,
    label_column: str | None = None,
    labels: Sequence[str] | None = None,
    language: str = "en",
    citation: str = "",
    licence: str = "",
) -> TextTask:
    """A :class:`TextTask` from a labelled text file, or from one file per label.

    Parameters
    ----------
    source : path, sequence of paths, or mapping of label to path
        One path: ``label<TAB>text`` lines or a CSV/TSV with a header. Several paths
        (or a mapping ``{label: path}``): one file per label, one text per line.
    name : str, optional
        Defaults to the (first) file's stem.
    encoding : str
        The files' encoding (``"cp1252"`` for the polarity set). Undecodable bytes are
        an error naming the file and line.
    header : bool, optional
        One file only. ``None`` (default) detects a header: the first line names a
        ``text`` and a ``label`` column (or ``text_column`` / ``label_column``).
        ``False`` reads ``label<TAB>text`` lines; ``True`` requires the header.
    text_column, label_column : str, optional
        The header's names of the two columns (default ``text`` and ``label``, any
        case); e.g. ``label_column="Label", text_column="SMS"``.
    labels : sequence of str, optional
        Several files only: the label of each file, in order (default:
        :func:`label_of_file`).
    language, citation, licence
        Metadata of the result.

    Raises
    ------
    GoldSetFormatError
        Naming the file and line: undecodable bytes, a line without a TAB, an empty
        label or text, a row with too few cells, a blank line inside the data, fewer
        than two labels.
    """
    paths: list[StrPath]
    if isinstance(source, Mapping):
        labels, paths = list(source), list(source.values())
    elif isinstance(source, (str, os.PathLike)):
        paths = [source]
    else:
        paths = list(source)
    if not paths:
        raise ValueError("read_task needs at least one file")
    if len(paths) == 1 and labels is None:
        texts, tags, data = _one_file(paths[0], encoding, header, text_column, label_column)
    else:
        if header or text_column or label_column:
            raise ValueError(
                "header, text_column and label_column apply to one labelled file, not to one file per label"
            )
        labels = [label_of_file(p) for p in paths] if labels is None else list(labels)
        if len(labels) != len(paths):
            raise ValueError(f"{len(paths)} files but {len(labels)} labels")
        texts, tags = [], []
        first_data: bytes | None = None
        for path, label in zip(paths, labels, strict=True):
            more, raw = _per_label_file(path, label, encoding)
            texts += more
            tags += [label] * len(more)
            first_data = raw if first_data is None else first_data
        assert first_data is not None, "paths is not empty, so one file was read"
        data = first_data
    where = Where(paths[0])
    if len(set(tags)) < 2:
        raise where.error(
            f"a classification task needs at least two labels, found "
            f"{sorted(set(tags))}"
            + ("" if len(paths) > 1 else "; is the file 'label<TAB>text' with the label first?")
        )
    return TextTask(
        name=name or stem_name(paths[0]),
        texts=tuple(texts),
        labels=tuple(tags),
        language=language,
        citation=citation,
        licence=licence,
        source=str(paths[0]),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _lines(path: StrPath, encoding: str) -> tuple[list[str], bytes]:
    text, data = read_file(path, encoding)
    lines = file_lines(text)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines, data


def _blank(where: Where, lineno: int) -> GoldSetFormatError:
    return where.error("blank line inside the data: every line is one labelled text; delete it", lineno)


def _empty_text(where: Where, lineno: int) -> GoldSetFormatError:
    return where.error(
        "empty text: every labelled text needs at least one character besides "
        "spaces; delete the line or write the text",
        lineno,
    )


def _per_label_file(path: StrPath, label: str, encoding: str) -> tuple[list[str], bytes]:
    where = Where(path)
    if not isinstance(label, str) or not label.strip():
        raise where.error(f"the label of this file must be a non-empty string, got {label!r}")
    lines, data = _lines(path, encoding)
    if not lines:
        raise where.error("the file holds no text; one file per label holds one text per line")
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            raise _blank(where, lineno)
    return lines, data


def _one_file(
    path: StrPath, encoding: str, header: bool | None, text_column: str | None, label_column: str | None
) -> tuple[list[str], list[str], bytes]:
    """The texts, labels and bytes of one labelled file (``label<TAB>text``, or a table)."""
    where = Where(path)
    lines, data = _lines(path, encoding)
    if not lines:
        raise where.error("the file is empty; write one 'label<TAB>text' line per text")
    want_text, want_label = (text_column or "text"), (label_column or "label")
    delimiter, cells = header_columns(lines[0])
    names = [c.strip() for c in cells]
    found = _find_columns(names, want_text, want_label, exact=bool(text_column or label_column))
    detect = header is None
    if detect:
        header = found is not None
    if header:
        if found is None:
            raise where.error(
                f"the header {lines[0][:80]!r} has no columns named {want_text!r} and "
                f"{want_label!r}; name them so, pass text_column= / label_column=, "
                "or read 'label<TAB>text' lines with header=False",
                1,
            )
        texts, labels = _table_rows(where, lines, delimiter, len(names), *found)
    else:
        texts, labels = _label_tab_text(where, lines, may_skip=detect)
    return texts, labels, data


def _find_columns(names: list[str], text: str, label: str, *, exact: bool) -> tuple[int, int] | None:
    def index(want: str) -> int | None:
        hits = [i for i, n in enumerate(names) if (n == want if exact else n.lower() == want.lower())]
        return hits[0] if len(hits) == 1 else None

    t, lab = index(text), index(label)
    return None if t is None or lab is None or t == lab else (t, lab)


_HEADER_WORDS = frozenset({"label", "labels", "class", "category", "target", "y"})


def _label_tab_text(where: Where, lines: list[str], may_skip: bool) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    first = lines[0].partition("\t")[0]
    skip = (
        may_skip
        and "\t" in lines[0]
        and first.strip().lower() in _HEADER_WORDS
        and not any(line.partition("\t")[0] == first for line in lines[1:])
    )
    if skip:  # e.g. the SMS mirror's 'Label<TAB>SMS': a header whose names are not text/label
        warnings.warn(
            f"{where.path}: line 1 {lines[0][:60]!r} is read as a header, not as a text: its "
            f"first cell {first!r} names a column and appears on no other line; name the "
            "columns 'label' and 'text' (or pass header=True with label_column= and "
            "text_column=) to silence this",
            HeaderLineWarning,
            stacklevel=5,
        )
    for lineno, line in enumerate(lines, 1):
        if skip and lineno == 1:
            continue
        if not line.strip():
            raise _blank(where, lineno)
        label, tab, text = line.partition("\t")
        if not tab:
            raise where.error(
                f"no TAB in {line[:60]!r}: expected 'label<TAB>text' (or a CSV/TSV "
                "with a header naming 'text' and 'label' columns)",
                lineno,
            )
        if not label.strip():
            raise where.error("empty label before the TAB: expected 'label<TAB>text'", lineno)
        if not text.strip():
            raise _empty_text(where, lineno)
        texts.append(text)
        labels.append(label.strip())  # "spam " is "spam": a stray space must not make a class
    return texts, labels


def _table_rows(
    where: Where, lines: list[str], delimiter: str, width: int, text_at: int, label_at: int
) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    last = width - 1
    for lineno, cells in _csv_rows(lines, delimiter, where):
        if lineno == 1:
            continue
        if not any(c.strip() for c in cells):
            raise _blank(where, lineno)
        if delimiter == "\t" and len(cells) > width and text_at == last:
            cells = [*cells[:last], "\t".join(cells[last:])]  # TABs inside the last column's text
        if len(cells) != width:
            raise where.error(
                f"expected {width} {'TAB' if delimiter == chr(9) else 'comma'}-separated "
                f"cells as in the header, found {len(cells)}",
                lineno,
            )
        label, text = cells[label_at], cells[text_at]
        if not label.strip():
            raise where.error("empty label", lineno)
        if not text.strip():
            raise _empty_text(where, lineno)
        texts.append(text)
        labels.append(label.strip())  # "spam " is "spam": a stray space must not make a class
    return texts, labels
