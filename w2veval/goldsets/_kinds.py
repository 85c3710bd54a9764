"""Which reader a user's file goes to: a ``kind:`` prefix, or the file's header.

``task:PATH``, ``categorization:PATH`` and ``outlier:PATH`` force the kind. An
unprefixed path is told by its first line (``docs/goldsets.md``):

* a header with ``text`` and ``label`` columns -> a classification task;
* ``category``, ``outliers`` and ``words`` -> outlier detection;
* ``category`` and ``word`` -> categorization;
* anything else -> word pairs (:meth:`GoldSet.from_file`). A header-less
  ``label<TAB>text`` file fails there, with an error that says to write ``task:PATH``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import GoldSetFormatError

if TYPE_CHECKING:
    from .._typing import AnyGoldSet, StrPath

__all__ = ["FILE_PREFIXES", "detect_kind", "read_kind", "split_prefix"]

FILE_PREFIXES = {"task:": "classification", "categorization:": "categorization", "outlier:": "outlier"}
_PEEK_BYTES = 1 << 16


def split_prefix(spec: StrPath) -> tuple[str | None, StrPath]:
    """``(kind, path)`` for ``"task:PATH"`` and the like, else ``(None, spec)``.

    Examples
    --------
    >>> split_prefix("task:my.tsv"), split_prefix("pairs.csv")
    (('classification', 'my.tsv'), (None, 'pairs.csv'))
    """
    if isinstance(spec, str):
        for prefix, kind in FILE_PREFIXES.items():
            if spec.startswith(prefix):
                return kind, spec[len(prefix) :]
    return None, spec


def _header_names(path: StrPath) -> set[str]:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_PEEK_BYTES)
    except OSError:
        return set()
    line = head.split(b"\n", 1)[0].removesuffix(b"\r").decode("utf-8", errors="replace")
    from ._taskfile import header_columns

    return {cell.strip().lower() for cell in header_columns(line.removeprefix("\ufeff"))[1]}


def detect_kind(path: StrPath) -> str:
    """``"classification"``, ``"outlier"``, ``"categorization"`` or ``"pairs"`` from the header."""
    names = _header_names(path)
    if {"text", "label"} <= names:
        return "classification"
    if {"category", "outliers", "words"} <= names:
        return "outlier"
    if {"category", "word"} <= names:
        return "categorization"
    return "pairs"


def looks_like_labelled_text(path: StrPath) -> bool:
    """Whether the first lines are ``label<TAB>some words``: a task without a header."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_PEEK_BYTES)
    except OSError:
        return False
    lines = [ln for ln in head.decode("utf-8", errors="replace").split("\n")[:6] if ln.strip()]
    return any(len(ln.partition("\t")[2].split()) >= 3 for ln in lines)


_OPTIONS = {
    "classification": {
        "name",
        "encoding",
        "header",
        "text_column",
        "label_column",
        "labels",
        "language",
        "citation",
        "licence",
    },
    "categorization": {"name", "encoding", "empty_words", "language", "citation", "licence"},
    "outlier": {"name", "encoding", "language", "citation", "licence"},
}


def read_kind(kind: str, path: StrPath, /, **options: Any) -> AnyGoldSet:
    """Read ``path`` with the reader of ``kind`` (``"pairs"`` for word pairs).

    Options a reader does not take (``decimal_comma`` for a task file, say) are an
    error naming the file, not silently ignored.
    """
    unknown = sorted(set(options) - _OPTIONS.get(kind, set(options)))
    if unknown:
        raise GoldSetFormatError(
            f"read as a {kind} file, which takes no option(s) {', '.join(unknown)} (those are for "
            f"word-pair files); it takes: {', '.join(sorted(_OPTIONS[kind]))}",
            path=path,
        )
    if kind == "classification":
        from ._taskfile import read_task

        return read_task(path, **options)
    if kind == "categorization":
        from ._categories import read_categories

        return read_categories(path, **options)
    if kind == "outlier":
        from ._outliers import read_outliers

        return read_outliers(path, **options)
    from ._goldset import GoldSet

    try:
        return GoldSet.from_file(path, **options)
    except GoldSetFormatError as exc:
        if not looks_like_labelled_text(path):
            raise
        raise GoldSetFormatError(
            f"{exc.message}; this looks like labelled text (label<TAB>text); write "
            f"task:{os.fspath(path)} to score it as a classification task",
            path=exc.path,
            line=exc.line,
        ) from None
