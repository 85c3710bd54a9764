"""`CategorySet`: words labelled with concept categories, for concept categorization.

This module holds data only; clustering the words is the job of an evaluator
(:mod:`w2veval.scoring._categorization`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ._goldset import check_language

__all__ = ["CategorySet"]


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

    kind = "categorization"

    def __post_init__(self):
        object.__setattr__(self, "items", tuple(tuple(item) for item in self.items))
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
        return (f"CategorySet({self.name!r}, {len(self)} word{'' if len(self) == 1 else 's'}, "
                f"{len(self.categories)} categor{'y' if len(self.categories) == 1 else 'ies'}, "
                f"{self.language})")
