"""Nearest neighbours of words, each word matched to the vocabulary as a gold-set word is.

``w2veval neighbours`` is this module plus formatting. A word is looked up by the
rules of :mod:`w2veval.matching` (by default its exact form first, then a case
variant), so ``neighbours`` and ``score`` agree on which vector a word has.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .matching import MatchRules, vocabulary_lookup

if TYPE_CHECKING:
    from .vectors import WordVectors

__all__ = ["NEIGHBOUR_COLUMNS", "WordNeighbours", "nearest_neighbours"]

NEIGHBOUR_COLUMNS = ("word", "match", "found", "rank", "neighbour", "similarity")
"""The columns of :meth:`WordNeighbours.rows`, in order."""


@dataclass(frozen=True)
class WordNeighbours:
    """The neighbours of one asked-for word.

    ``match`` is the vocabulary word it was matched to (``"apple"`` for ``"Apple"``
    in a lower-case vocabulary), ``None`` when the vocabulary does not know it;
    ``neighbours`` the ``(word, cosine)`` pairs, nearest first.
    """

    word: str
    match: str | None
    neighbours: tuple[tuple[str, float], ...] = ()

    @property
    def found(self) -> bool:
        return self.match is not None

    def rows(self) -> list[dict[str, Any]]:
        """One row per neighbour (:data:`NEIGHBOUR_COLUMNS`); one row with ``found=False``
        and no neighbour for a word the vocabulary does not know."""
        base = {"word": self.word, "match": self.match, "found": self.found}
        if not self.neighbours:
            return [{**base, "rank": None, "neighbour": None, "similarity": math.nan}]
        return [
            {**base, "rank": rank, "neighbour": word, "similarity": similarity}
            for rank, (word, similarity) in enumerate(self.neighbours, 1)
        ]


def nearest_neighbours(
    vectors: WordVectors,
    words: Iterable[str],
    *,
    k: int = 10,
    matching: MatchRules = MatchRules(),
    restrict_vocab: int | None = None,
) -> list[WordNeighbours]:
    """The ``k`` loaded words nearest by cosine to each of ``words``, one result per word.

    Parameters
    ----------
    vectors : WordVectors
        Neighbours are searched among its loaded words: load the whole vocabulary
        (``load_vectors`` without ``words=``).
    words : iterable of str
        Matched to the vocabulary by ``matching``, as gold-set words are (see
        ``docs/matching.md``); an unknown word gives a result with ``match=None``.
    k : int
    matching : MatchRules
    restrict_vocab : int, optional
        Only words ranked below it count as known (neighbours are still searched
        among every loaded word).

    Returns
    -------
    list of WordNeighbours
        In the order of ``words``.

    Examples
    --------
    >>> from w2veval import WordVectors
    >>> wv = WordVectors(["cat", "dog", "car"], [[1, 0], [0.8, 0.6], [0, 1]])
    >>> [(r.word, r.match, [w for w, _ in r.neighbours]) for r in nearest_neighbours(wv, ["CAT", "gnu"], k=1)]
    [('CAT', 'cat', ['dog']), ('gnu', None, [])]
    """
    lookup = vocabulary_lookup(vectors, matching, restrict_vocab)
    results = []
    for word in words:
        row = lookup.get(word)
        if row is None:
            results.append(WordNeighbours(word, None))
            continue
        match = vectors.words[row]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-zero vector
            found = vectors.most_similar(match, k=k)
        results.append(WordNeighbours(word, match, tuple(found)))
    return results
