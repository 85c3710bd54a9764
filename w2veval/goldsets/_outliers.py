"""`OutlierSet`: clusters of related words, each with words that do not belong.

This module holds data only; finding the outlier is the job of an evaluator
(:mod:`w2veval.scoring._outliers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ._goldset import check_language

__all__ = ["OutlierCluster", "OutlierSet"]


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

    def __post_init__(self):
        object.__setattr__(self, "words", tuple(self.words))
        object.__setattr__(self, "outliers", tuple(self.outliers))
        for word in self.words + self.outliers:
            if not isinstance(word, str) or not word.strip():
                raise ValueError(f"cluster {self.category!r}: words and outliers must be non-empty "
                                 f"strings, got {word!r}")
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

    kind = "outlier"

    def __post_init__(self):
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
        return (f"OutlierSet({self.name!r}, {k} cluster{'' if k == 1 else 's'}, "
                f"{n} test{'' if n == 1 else 's'}, {self.language})")
