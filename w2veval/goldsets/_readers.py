"""Turning a catalog entry plus its local files into a :class:`GoldSet` or :class:`AnalogySet`.

:func:`read_entry` dispatches on the entry's ``[goldset.parse] reader``:

* ``table`` (default): one file of rows, read by :meth:`GoldSet.from_file` with the
  entry's parse options;
* ``semeval``: SemEval-2017 Task 2's ``*.data.txt`` (role ``data``) and
  ``*.gold.txt`` (role ``keys``) joined line by line;
* ``multisimlex``: the 1,888 pairs of one language rebuilt from Concepticon's
  one-row-per-concept ``Vulic-2020-2244.tsv``;
* ``google-analogy``, ``msr-analogy``, ``bats``: :mod:`._analogy`;
* ``categories`` (kind ``categorization``): :func:`._categories.read_categories`;
  ``n_pairs`` counts the items after collapsing repeated rows; parse options
  ``expect_empty`` / ``expect_duplicates`` are the rows with an empty word dropped and
  the repeated rows collapsed (both checked on every read);
* ``outliers`` (kind ``outlier``): :func:`._outliers.read_outliers`; ``n_pairs``
  counts the (cluster, outlier) tests;
* ``task`` (kind ``classification``): :func:`._taskfile.read_task`; ``n_pairs`` counts
  the texts. With several files, each file's ``role`` is the label of its texts.

``sha256`` of the result is the digest of the file read; for multi-file sets it is
the ``keys`` file's (SemEval) or the first file's (BATS). The rules of each reader
are in ``docs/catalog.md``.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._numbers import parse_number
from ..errors import GoldSetFormatError, GoldSetNotFoundError
from . import _analogy, _parse
from ._analogy import AnalogySet
from ._catalog import CatalogEntry
from ._dialect import why_not_a_number
from ._goldset import GoldSet
from ._parse import Where

if TYPE_CHECKING:
    from .._typing import AnyGoldSet
    from ._categories import CategorySet
    from ._outliers import OutlierSet
    from ._task import TextTask

__all__ = ["TABLE_OPTIONS", "read_entry"]

TABLE_OPTIONS = frozenset(
    {
        "delimiter",
        "header",
        "columns",
        "duplicates",
        "where",
        "strip_pos_suffix",
        "known_bad_lines",
        "bad_scores",
        "decimal_comma",
        "encoding",
    }
)
_SEMEVAL_OPTIONS = frozenset({"duplicates", "encoding"})
_MULTISIMLEX_OPTIONS = frozenset({"column", "missing_words", "duplicates"})
_ANALOGY_OPTIONS = frozenset({"encoding"})
_CATEGORY_OPTIONS = frozenset({"encoding", "empty_words", "expect_empty", "expect_duplicates"})
_OUTLIER_OPTIONS = frozenset({"encoding", "expect_trailing_empty"})
_TASK_OPTIONS = frozenset({"encoding", "header", "text_column", "label_column"})


def read_entry(entry: CatalogEntry, paths: Mapping[str, Path]) -> AnyGoldSet:
    """Read the catalogued set ``entry`` from local copies of its files.

    Parameters
    ----------
    entry : CatalogEntry
        The catalog record (metadata, parse options, files).
    paths : mapping of str to Path
        For each of the entry's files, its catalog ``path`` -> the local file to read.

    Returns
    -------
    GoldSet, AnalogySet, CategorySet, OutlierSet or TextTask
        With the entry's metadata. The number of pairs (questions) is checked
        against ``n_pairs`` minus the parse option ``expect_dropped`` (rows the entry
        documents as dropped), and the number of rows actually dropped against
        ``expect_dropped``.

    Raises
    ------
    GoldSetNotFoundError
        If ``paths`` lacks one of the entry's files.
    GoldSetFormatError
        With file and line, for every value that cannot be read (unless the entry
        asks for such rows to be dropped), and for a count that differs from the
        catalog's.
    """
    reader = _READERS.get(entry.reader)
    if reader is None:
        raise _catalog_error(entry, f"has no reader {entry.reader!r}; readers: {', '.join(_READERS)}")
    options = {k: v for k, v in entry.parse.items() if k not in ("reader", "expect_dropped")}
    allowed = _OPTIONS[entry.reader]
    if set(options) - allowed:
        raise _catalog_error(
            entry,
            f"unknown parse option(s) {sorted(set(options) - allowed)} for "
            f"reader {entry.reader!r}; known: {', '.join(sorted(allowed))}",
        )
    result = reader(entry, paths, options)
    declared = len(entry.parse.get("known_bad_lines", ()))  # lines the entry names are dropped rows
    _check_count(entry, result, entry.parse.get("expect_dropped", declared))
    return result


def _catalog_error(entry: CatalogEntry, message: str) -> GoldSetFormatError:
    return GoldSetFormatError(f"catalog entry {entry.name!r} {message}", path="catalog.toml")


def _check_count(entry: CatalogEntry, result: AnyGoldSet, expect_dropped: int) -> None:
    dropped = len(getattr(result, "dropped_lines", ()))
    want = entry.n_pairs - expect_dropped
    if len(result) != want or dropped != expect_dropped:
        unit = (
            "questions"
            if isinstance(result, AnalogySet)
            else {"categorization": "items", "outlier": "tests", "classification": "texts"}.get(
                getattr(result, "kind", ""), "pairs"
            )
        )
        raise GoldSetFormatError(
            f"gives {len(result)} {unit} ({dropped} dropped) but the catalog entry "
            f"{entry.name!r} expects {want} (n_pairs = {entry.n_pairs}, expect_dropped = "
            f"{expect_dropped}); the file differs from the catalogued one (check its sha256)",
            path=result.source,
        )


def _file(entry: CatalogEntry, paths: Mapping[str, Path], role: str = "pairs") -> Path:
    files = [f for f in entry.files if f.role == role]
    if len(files) != 1:
        raise _catalog_error(entry, f"needs exactly one file with role {role!r}, has {len(files)}")
    return _local(entry, paths, files[0].path)


def _local(entry: CatalogEntry, paths: Mapping[str, Path], catalog_path: str) -> Path:
    if catalog_path not in paths:
        raise GoldSetNotFoundError(
            f"no local copy of {catalog_path!r} (a file of gold set {entry.name!r}) was given; "
            "fetch the set first"
        )
    return Path(paths[catalog_path])


def _metadata(entry: CatalogEntry) -> dict[str, Any]:
    return {"language": entry.language, "citation": entry.citation, "licence": entry.licence}


def _pairs_metadata(entry: CatalogEntry) -> dict[str, Any]:
    if entry.kind == "analogy":
        raise _catalog_error(entry, f"has kind 'analogy' but reader {entry.reader!r} reads word pairs")
    return _metadata(entry) | {"kind": entry.kind, "scale": entry.scale, "illustrative": entry.illustrative}


_Reader = Callable[[CatalogEntry, Mapping[str, Path], dict[str, Any]], "AnyGoldSet"]
"""A reader of one catalog ``reader`` kind: entry, local paths and parse options in, a set out."""


# --- table --------------------------------------------------------------------------


def _table(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> GoldSet:
    if "columns" in options:
        options["columns"] = tuple(options["columns"])
    options.setdefault("duplicates", "error")  # the entry's own policy, not one found by checksum
    if "known_bad_lines" in options:
        options["known_bad_lines"] = tuple(options["known_bad_lines"])
    return GoldSet.from_file(_file(entry, paths), name=entry.name, **_pairs_metadata(entry), **options)


def _score(where: Where, cell: str, lineno: int, context: str = "") -> float:
    """``cell`` by the number grammar (:mod:`w2veval._numbers`), or an error at its line."""
    score = parse_number(cell)
    if score is None or not math.isfinite(score):
        why = (
            ""
            if score is not None
            else " ("
            + why_not_a_number(cell, delimiter=None, decimal_comma=None, offer_decimal_comma=False)
            + ")"
        )
        raise where.error(f"{context}score {_parse.shown(cell)} is not a finite number{why}", lineno)
    return score


# --- SemEval-2017 Task 2 -------------------------------------------------------------


def _rows(path: Path, encoding: str) -> tuple[list[str], bytes]:
    """The lines of ``path``; blank lines are allowed only at the end."""
    text, data = _parse.read_file(path, encoding)
    lines = _parse.split_lines(text)
    while lines and not lines[-1].strip():
        lines.pop()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            raise Where(path).error(
                "blank line inside the file; data and keys are joined line by line", lineno
            )
    return lines, data


def _semeval(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> GoldSet:
    encoding = options.get("encoding", "utf-8")
    data_path, keys_path = _file(entry, paths, "data"), _file(entry, paths, "keys")
    data_lines, _ = _rows(data_path, encoding)
    key_lines, key_bytes = _rows(keys_path, encoding)
    if len(data_lines) != len(key_lines):
        raise GoldSetFormatError(
            f"has {len(key_lines)} scores but {data_path} has {len(data_lines)} word pairs; "
            "the two files must have one line per pair",
            path=keys_path,
        )
    w1: list[str] = []
    w2: list[str] = []
    scores: list[float] = []
    for lineno, (pair, key) in enumerate(zip(data_lines, key_lines, strict=True), 1):
        words = [w.strip() for w in pair.split("\t")]
        if len(words) != 2 or not all(words):
            raise Where(data_path).error(f"expected 'word1<TAB>word2', found {pair[:60]!r}", lineno)
        score = _score(Where(keys_path), key.strip(), lineno)
        w1.append(words[0])
        w2.append(words[1])
        scores.append(score)
    lines = list(range(1, len(scores) + 1))
    _parse.check_pairs(
        w1,
        w2,
        scores,
        lines,
        Where(keys_path),
        duplicates=options.get("duplicates", "error"),
        scale=entry.scale,
    )
    return GoldSet(
        name=entry.name,
        word1=tuple(w1),
        word2=tuple(w2),
        scores=tuple(scores),
        lines=tuple(lines),
        source=str(keys_path),
        sha256=hashlib.sha256(key_bytes).hexdigest(),
        **_pairs_metadata(entry),
    )


# --- Multi-SimLex (Concepticon's Vulic-2020-2244.tsv) --------------------------------


def _variants(cell: str) -> frozenset[str]:
    """Spellings a concept row lists for one language: ``"main (alt1/alt2)"`` or ``"main"``.

    Concepticon writes the most frequent source word first and the others in
    parentheses, separated by ``/``. Runs of whitespace count as one space.
    """
    norm = " ".join(cell.split())
    out = {norm}
    if norm.endswith(")") and " (" in norm:
        main, rest = norm.split(" (", 1)
        out.add(main.strip())
        out.update(" ".join(v.split()) for v in rest[:-1].split("/"))
    return frozenset(out)


def _split_items(cell: str, n: int, variants: frozenset[str]) -> list[str] | None:
    """``cell`` (``n`` space-joined source words, each possibly several words long) cut
    into its ``n`` words, or ``None`` unless exactly one cut uses only ``variants``."""
    tokens = tuple(cell.split())
    if n == 1:
        return [" ".join(tokens)]

    @functools.cache
    def cuts(start: int, left: int) -> frozenset[tuple[str, ...]]:
        if left == 0:
            return frozenset({()}) if start == len(tokens) else frozenset()
        found: set[tuple[str, ...]] = set()
        for stop in range(start + 1, len(tokens) + 1):
            item = " ".join(tokens[start:stop])
            if item in variants:
                found.update((item, *rest) for rest in cuts(stop, left - 1))
        return frozenset(found)

    found = cuts(0, n)
    return list(next(iter(found))) if len(found) == 1 else None


def _msl_header(where: Where, header: list[str], language: str) -> dict[str, int]:
    need = {
        "ids": "SIMLEX_IDS",
        "variants": language,
        "words": f"{language}_IN_SOURCE",
        "scores": f"{language}_SCORE",
    }
    missing = [c for c in need.values() if c not in header]
    if missing:
        have = sorted(c[: -len("_SCORE")] for c in header if c.endswith("_SCORE"))
        raise where.error(f"no column(s) {missing}; the languages here are {', '.join(have)}", 1)
    return {key: header.index(column) for key, column in need.items()}


def _msl_slots(where: Where, lines: list[str], language: str) -> dict[tuple[int, int], tuple[str, str, int]]:
    """``(pair id, position) -> (word, score text, line)`` from every concept row."""
    col = _msl_header(where, lines[0].split("\t"), language)
    width = len(lines[0].split("\t"))
    slots: dict[tuple[int, int], tuple[str, str, int]] = {}
    for lineno, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise where.error(f"expected {width} TAB-separated columns, found {len(cells)}", lineno)
        ids = cells[col["ids"]].split()
        scores = cells[col["scores"]].split()
        words = _split_items(cells[col["words"]], len(ids), _variants(cells[col["variants"]]))
        if not ids or len(scores) != len(ids) or words is None:
            raise where.error(
                f"cannot align SIMLEX_IDS {cells[col['ids']]!r} with {language}_SCORE "
                f"{cells[col['scores']]!r} and {language}_IN_SOURCE {cells[col['words']]!r}",
                lineno,
            )
        for item, word, score in zip(ids, words, scores, strict=True):
            key = _msl_id(where, item, lineno)
            if key in slots:
                raise where.error(
                    f"pair {key[0]} position {key[1]} also appears on line {slots[key][2]}", lineno
                )
            slots[key] = (word, score, lineno)
    return slots


def _msl_id(where: Where, item: str, lineno: int) -> tuple[int, int]:
    pair, _, position = item.partition(":")
    if not (pair.isdigit() and int(pair) > 0 and position in ("1", "2")):
        raise where.error(f"SIMLEX_IDS item {item!r} is not '<pair id>:<1|2>'", lineno)
    return int(pair), int(position)


def _multisimlex(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> GoldSet:
    language = options.get("column")
    missing = options.get("missing_words", "error")
    if not isinstance(language, str) or missing not in ("error", "drop"):
        raise _catalog_error(
            entry,
            "needs parse options column = '<LANGUAGE>' (e.g. 'FINNISH') "
            "and missing_words = 'error' or 'drop'",
        )
    path = _file(entry, paths)
    where = Where(path)
    text, data = _parse.read_file(path, "utf-8")
    slots = _msl_slots(where, _parse.split_lines(text), language)
    if not slots:
        raise where.error("contains no concept rows (only a header)")
    w1: list[str] = []
    w2: list[str] = []
    scores: list[float] = []
    lines: list[int] = []
    dropped: list[tuple[int, str]] = []
    for pair in range(1, max(p for p, _ in slots) + 1):
        first, second = slots.get((pair, 1)), slots.get((pair, 2))
        if first is None or second is None:
            present = first or second
            raise where.error(
                f"pair {pair} has no position-{1 if first is None else 2} word",
                present[2] if present else None,
            )
        if first[1] != second[1]:
            raise where.error(
                f"pair {pair}: {language}_SCORE {first[1]} here but {second[1]} on line "
                f"{second[2]}; both rows of a pair must carry the same score",
                first[2],
            )
        score = _score(where, first[1], first[2], f"pair {pair}: ")
        if not first[0] or not second[0]:
            empty = first if not first[0] else second
            if missing == "error":
                raise where.error(
                    f"pair {pair}: empty {language}_IN_SOURCE word; pass "
                    "missing_words='drop' to drop such pairs with a warning",
                    empty[2],
                )
            dropped.append((empty[2], f"pair {pair}"))
            continue
        w1.append(first[0])
        w2.append(second[0])
        scores.append(score)
        lines.append(first[2])
    _parse.check_pairs(
        w1, w2, scores, lines, where, duplicates=options.get("duplicates", "error"), scale=entry.scale
    )
    _parse.warn_dropped(
        where, dropped, reason="pair(s) with an empty word (missing_words='drop')", stacklevel=4
    )
    return GoldSet(
        name=entry.name,
        word1=tuple(w1),
        word2=tuple(w2),
        scores=tuple(scores),
        lines=tuple(lines),
        source=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        dropped_lines=tuple(line for line, _ in dropped),
        **_pairs_metadata(entry),
    )


# --- analogies -------------------------------------------------------------------------


def _analogy_file(read: Callable[..., AnalogySet]) -> _Reader:
    def reader(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> AnalogySet:
        return read(_file(entry, paths), name=entry.name, **options, **_metadata(entry))

    return reader


def _bats(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> AnalogySet:
    files = [_local(entry, paths, f.path) for f in entry.files]
    return _analogy.read_bats(files, name=entry.name, **options, **_metadata(entry))


# --- categorization, outlier detection, labelled text ----------------------------------


def _kind(entry: CatalogEntry, kind: str) -> None:
    if entry.kind != kind:
        raise _catalog_error(
            entry, f"has kind {entry.kind!r} but reader {entry.reader!r} reads kind {kind!r}"
        )


def _expect(entry: CatalogEntry, what: str, found: int, want: int, path: str) -> None:
    if found != want:
        raise GoldSetFormatError(
            f"has {found} {what} but the catalog entry {entry.name!r} expects {want}; the file "
            "differs from the catalogued one (check its sha256)",
            path=path,
        )


def _categories(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> CategorySet:
    from ._categories import read_categories

    _kind(entry, "categorization")
    empty, duplicates = options.pop("expect_empty", 0), options.pop("expect_duplicates", 0)
    result = read_categories(_file(entry, paths), name=entry.name, **options, **_metadata(entry))
    _expect(entry, "rows with an empty word", len(result.empty_lines), empty, result.source)
    _expect(entry, "repeated (word, category) rows", len(result.duplicate_lines), duplicates, result.source)
    return result


def _outliers(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> OutlierSet:
    from ._outliers import read_outliers

    _kind(entry, "outlier")
    trailing = options.pop("expect_trailing_empty", 0)
    result = read_outliers(_file(entry, paths), name=entry.name, **options, **_metadata(entry))
    _expect(entry, "outlier lists ending in ''", result.n_trailing_empty, trailing, result.source)
    return result


def _task(entry: CatalogEntry, paths: Mapping[str, Path], options: dict[str, Any]) -> TextTask:
    from ._taskfile import read_task

    _kind(entry, "classification")
    files = [_local(entry, paths, f.path) for f in entry.files]
    if len(files) == 1:
        return read_task(files[0], name=entry.name, **options, **_metadata(entry))
    return read_task(
        files, labels=[f.role for f in entry.files], name=entry.name, **options, **_metadata(entry)
    )


_READERS: dict[str, _Reader] = {
    "table": _table,
    "semeval": _semeval,
    "multisimlex": _multisimlex,
    "google-analogy": _analogy_file(_analogy.read_google),
    "msr-analogy": _analogy_file(_analogy.read_msr),
    "bats": _bats,
    "categories": _categories,
    "outliers": _outliers,
    "task": _task,
}
_OPTIONS = {
    "table": TABLE_OPTIONS,
    "semeval": _SEMEVAL_OPTIONS,
    "multisimlex": _MULTISIMLEX_OPTIONS,
    "google-analogy": _ANALOGY_OPTIONS,
    "msr-analogy": _ANALOGY_OPTIONS,
    "bats": _ANALOGY_OPTIONS,
    "categories": _CATEGORY_OPTIONS,
    "outliers": _OUTLIER_OPTIONS,
    "task": _TASK_OPTIONS,
}
