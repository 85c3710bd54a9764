"""`CategorySet`: words labelled with concept categories, for concept categorization.

This module holds data only; clustering the words is the job of an evaluator
(:mod:`w2veval.scoring._categorization`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ._goldset import check_language
from ._tablefile import read_table, stem_name

if TYPE_CHECKING:
    from .._typing import StrPath

__all__ = ["CategorySet", "read_categories"]


@dataclass(frozen=True, kw_only=True, repr=False)
class CategorySet:
    """Words and the concept category each belongs to (AP, Battig, BLESS, ESSLLI-2008).

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"ap"``.
    items : tuple of (word, category)
        One entry per (word, category), in file order. A row that repeats an earlier
        (word, category) is not an item again; a word listed under two categories is
        two items (as word-embeddings-benchmarks scores it).
    language, citation, licence, source, sha256
        As in :class:`~w2veval.goldsets.GoldSet`.

    Examples
    --------
    >>> s = CategorySet(name="toy", items=[("cat", "animal"), ("dog", "animal"), ("oak", "tree")])
    >>> s, len(s), s.categories, sorted(s.words)
    (CategorySet('toy', 3 words, 2 categories, en), 3, ('animal', 'tree'), ['cat', 'dog', 'oak'])
    """

    name: str
    items: tuple[tuple[str, str], ...]
    language: str = "en"
    citation: str = ""
    licence: str = ""
    source: str = ""
    sha256: str | None = None
    empty_lines: tuple[int, ...] = ()
    """Lines of rows with an empty word that were dropped (``empty_words="drop"``)."""
    duplicate_lines: tuple[int, ...] = ()
    """Lines of rows that repeat an earlier (word, category) and were collapsed into it."""

    kind = "categorization"

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(tuple(item) for item in self.items))
        object.__setattr__(self, "empty_lines", tuple(self.empty_lines))
        object.__setattr__(self, "duplicate_lines", tuple(self.duplicate_lines))
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        check_language(self.language)
        for i, item in enumerate(self.items, 1):
            if len(item) != 2 or not all(isinstance(x, str) and x.strip() for x in item):
                raise ValueError(f"item {i} must be a non-empty (word, category), got {item!r}")
        if len(set(self.items)) != len(self.items):
            raise ValueError("items must not repeat a (word, category)")

    def __len__(self) -> int:
        return len(self.items)

    @property
    def n_items(self) -> int:
        """Number of (word, category) items."""
        return len(self.items)

    @cached_property
    def categories(self) -> tuple[str, ...]:
        """The distinct categories, in order of first appearance."""
        return tuple(dict.fromkeys(category for _, category in self.items))

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of the set."""
        return frozenset(word for word, _ in self.items)

    def __repr__(self) -> str:
        return (
            f"CategorySet({self.name!r}, {len(self)} word{'' if len(self) == 1 else 's'}, "
            f"{len(self.categories)} categor{'y' if len(self.categories) == 1 else 'ies'}, "
            f"{self.language})"
        )


def read_categories(
    path: StrPath,
    *,
    name: str | None = None,
    encoding: str = "utf-8",
    empty_words: str = "error",
    language: str = "en",
    citation: str = "",
    licence: str = "",
) -> CategorySet:
    """A :class:`CategorySet` from a CSV/TSV file with ``category`` and ``word`` columns.

    Parameters
    ----------
    path : str or os.PathLike
        A header line names the columns ``category`` and ``word`` (any order, any
        case; other columns such as vecto's unnamed index are ignored). TAB-separated
        when the header holds a TAB, else comma-separated with CSV quoting.
    name : str, optional
        Defaults to the file's stem.
    encoding : str
        The file's text encoding.
    empty_words : {"error", "drop"}
        What a row with an empty word is: an error naming its line, or dropped and
        its line kept in ``empty_lines`` (vecto's AP and BLESS files end every
        category with such a row).
    language, citation, licence
        Metadata of the result.

    Returns
    -------
    CategorySet
        Words and categories stripped of surrounding spaces. A row repeating an earlier
        (word, category) is collapsed into it (its line kept in ``duplicate_lines``);
        a word under two categories is two items.

    Raises
    ------
    GoldSetFormatError
        Naming the file and line: no header with both columns, a row with another
        number of cells, an empty category, an empty word (unless dropped), no rows.
    """
    if empty_words not in ("error", "drop"):
        raise ValueError(f"empty_words must be 'error' or 'drop', got {empty_words!r}")
    from ._parse import Where

    where = Where(path)
    columns, rows, data = read_table(path, ("category", "word"), encoding=encoding, layout="categorization")
    items: dict[tuple[str, str], int] = {}
    empty, duplicate = [], []
    for lineno, cells in rows:
        word, category = cells[columns["word"]].strip(), cells[columns["category"]].strip()
        if not category:
            raise where.error("empty category; every row needs a word and its category", lineno)
        if not word:
            if empty_words == "drop":
                empty.append(lineno)
                continue
            raise where.error(
                f"empty word (category {category!r}); delete the row, or pass "
                "empty_words='drop' to drop such rows",
                lineno,
            )
        if (word, category) in items:
            duplicate.append(lineno)
            continue
        items[(word, category)] = lineno
    if not items:
        raise where.error("no (category, word) rows after the header")
    return CategorySet(
        name=name or stem_name(path),
        items=tuple(items),
        language=language,
        citation=citation,
        licence=licence,
        source=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        empty_lines=tuple(empty),
        duplicate_lines=tuple(duplicate),
    )
