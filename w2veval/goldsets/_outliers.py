"""`OutlierSet`: clusters of related words, each with words that do not belong.

This module holds data only; finding the outlier is the job of an evaluator
(:mod:`w2veval.scoring._outliers`).
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ._goldset import check_language
from ._tablefile import read_table, stem_name

if TYPE_CHECKING:
    from .._typing import StrPath
    from ._parse import Where

__all__ = ["OutlierCluster", "OutlierSet", "read_outliers"]


@dataclass(frozen=True)
class OutlierCluster:
    """One cluster: its words, and the outliers each tested against them.

    Attributes
    ----------
    category : str
        The cluster's name (``"German_car_manufacturers"``, a Wikidata id).
    words : tuple of str
        The words that belong together.
    outliers : tuple of str
        Words that do not belong; each makes one test ``words + [outlier]``.
    """

    category: str
    words: tuple[str, ...]
    outliers: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.words))
        object.__setattr__(self, "outliers", tuple(self.outliers))
        for word in self.words + self.outliers:
            if not isinstance(word, str) or not word.strip():
                raise ValueError(
                    f"cluster {self.category!r}: words and outliers must be non-empty strings, got {word!r}"
                )
        if len(self.words) < 3:
            raise ValueError(f"cluster {self.category!r} needs at least 3 words, has {len(self.words)}")
        if not self.outliers:
            raise ValueError(f"cluster {self.category!r} has no outlier")


@dataclass(frozen=True, kw_only=True, repr=False)
class OutlierSet:
    """Outlier-detection tests (8-8-8, WikiSem500): clusters with outliers.

    Parameters
    ----------
    name : str
    clusters : tuple of OutlierCluster
    language, citation, licence, source, sha256
        As in :class:`~w2veval.goldsets.GoldSet`.

    Examples
    --------
    >>> s = OutlierSet(name="toy", clusters=[OutlierCluster("pets", ("cat", "dog", "hamster"), ("car",))])
    >>> s, s.n_tests, sorted(s.words)
    (OutlierSet('toy', 1 cluster, 1 test, en), 1, ['car', 'cat', 'dog', 'hamster'])
    """

    name: str
    clusters: tuple[OutlierCluster, ...]
    language: str = "en"
    citation: str = ""
    licence: str = ""
    source: str = ""
    sha256: str | None = None
    n_trailing_empty: int = 0
    """How many outlier lists ended with vecto's ``''`` artefact (dropped)."""

    kind = "outlier"

    def __post_init__(self) -> None:
        object.__setattr__(self, "clusters", tuple(self.clusters))
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        check_language(self.language)
        if not self.clusters or not all(isinstance(c, OutlierCluster) for c in self.clusters):
            raise ValueError("clusters must be a non-empty sequence of OutlierCluster")

    @property
    def n_tests(self) -> int:
        """Number of (cluster, outlier) tests."""
        return sum(len(c.outliers) for c in self.clusters)

    def __len__(self) -> int:
        return self.n_tests

    @cached_property
    def words(self) -> frozenset[str]:
        """Every cluster word and outlier."""
        return frozenset(w for c in self.clusters for w in c.words + c.outliers)

    def __repr__(self) -> str:
        k, n = len(self.clusters), self.n_tests
        return (
            f"OutlierSet({self.name!r}, {k} cluster{'' if k == 1 else 's'}, "
            f"{n} test{'' if n == 1 else 's'}, {self.language})"
        )


_MAX_LIST_CHARS = 100_000


def _word_list(cell: str, column: str, where: Where, lineno: int) -> list[str]:
    """``cell`` read as a Python list of strings with :func:`ast.literal_eval` (never eval)."""
    text = cell.strip()
    if len(text) > _MAX_LIST_CHARS:
        raise where.error(f"the {column} cell is longer than {_MAX_LIST_CHARS} characters", lineno)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = None
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        shown = text if len(text) <= 60 else text[:60] + "..."
        raise where.error(
            f"the {column} cell {shown!r} is not a list of strings; write it as a "
            "Python list literal, e.g. \"['tiger', 'lion', 'lynx']\"",
            lineno,
        )
    return [w.strip() for w in value]


def read_outliers(
    path: StrPath,
    *,
    name: str | None = None,
    encoding: str = "utf-8",
    language: str = "en",
    citation: str = "",
    licence: str = "",
) -> OutlierSet:
    """An :class:`OutlierSet` from vecto's outlier CSV (``,category,outliers,words``).

    Parameters
    ----------
    path : str or os.PathLike
        A header names the columns ``category``, ``outliers`` and ``words`` (any order,
        any case; other columns are ignored); comma-separated with CSV quoting, or
        TAB-separated when the header holds a TAB. ``outliers`` and ``words`` are
        Python list literals of strings, read with :func:`ast.literal_eval` only.
    name : str, optional
        Defaults to the file's stem.
    encoding, language, citation, licence
        As for the other readers.

    Returns
    -------
    OutlierSet
        One cluster per row, words stripped of surrounding spaces and kept otherwise
        (multi-word entries keep their ``_``). An empty string at the *end* of an
        outlier list (vecto's re-formatting artefact) is dropped and counted in
        ``n_trailing_empty``; an empty string anywhere else is an error.

    Raises
    ------
    GoldSetFormatError
        Naming the file and line, for a missing column, a cell that is not a list of
        strings, an empty word, fewer than 3 words or no outlier in a row.
    """
    from ._parse import Where

    where = Where(path)
    columns, rows, data = read_table(
        path, ("category", "outliers", "words"), encoding=encoding, layout="outlier"
    )
    clusters, trailing = [], 0
    for lineno, cells in rows:
        category = cells[columns["category"]].strip()
        if not category:
            raise where.error("empty category; every row names its cluster", lineno)
        words = _word_list(cells[columns["words"]], "words", where, lineno)
        outliers = _word_list(cells[columns["outliers"]], "outliers", where, lineno)
        if outliers and outliers[-1] == "":
            outliers.pop()
            trailing += 1
        if "" in words or "" in outliers:
            column = "words" if "" in words else "outliers"
            raise where.error(f"empty string in the {column} list; delete it", lineno)
        try:
            clusters.append(OutlierCluster(category, tuple(words), tuple(outliers)))
        except ValueError as exc:
            raise where.error(f"{exc}; a cluster needs at least 3 words and 1 outlier", lineno) from None
    if not clusters:
        raise where.error("no cluster rows after the header")
    return OutlierSet(
        name=name or stem_name(path),
        clusters=tuple(clusters),
        language=language,
        citation=citation,
        licence=licence,
        source=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        n_trailing_empty=trailing,
    )
