"""Word vectors that are already in memory: ``(words, matrix)`` pairs and dicts.

The input is never modified and never shared: the result holds copies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..errors import VectorFormatError
from ..vectors import WordVectors

if TYPE_CHECKING:
    from .._typing import VectorsSource

__all__ = ["checked_matrix", "from_memory", "is_in_memory", "select_rows"]


def is_in_memory(source: object) -> bool:
    """Whether ``source`` is an object to convert rather than a place to read."""
    return (
        isinstance(source, Mapping)
        or _is_gensim(source)
        or (isinstance(source, tuple) and len(source) == 2 and hasattr(source[1], "shape"))
    )


def from_memory(
    source: VectorsSource, *, match: Callable[[bytes], object] | None, limit: int | None
) -> WordVectors:
    """Convert a KeyedVectors, gensim model, ``(words, matrix)`` pair or dict.

    Examples
    --------
    >>> wv = from_memory({"cat": [1.0, 0.0], "dog": [0.0, 1.0]}, match=None, limit=1)
    >>> wv.words, wv.vocab_size
    (['cat'], 2)
    """
    if _is_gensim(source):
        from ._gensim import from_keyed_vectors

        return from_keyed_vectors(source, match=match, limit=limit, source=None)
    if isinstance(source, Mapping):
        return _from_mapping(source, match=match, limit=limit)
    assert isinstance(source, tuple), "is_in_memory accepts no other in-memory source"
    words, matrix = source
    return from_pairs(list(words), np.asarray(matrix), match=match, limit=limit, source=None)


def select_rows(
    words: Sequence[str], match: Callable[[bytes], object] | None, limit: int | None
) -> list[int]:
    """Row positions among the first ``limit`` words whose word ``match`` accepts."""
    n = len(words) if limit is None else min(limit, len(words))
    if match is None:
        return list(range(n))
    return [i for i in range(n) if match(words[i].encode("utf-8", "surrogatepass")) is not None]


def checked_matrix(matrix, rows, words: Sequence[str], source: str | None) -> np.ndarray:
    """``matrix[rows]`` as a new float32 matrix, refusing NaN and infinity by word.

    ``words`` are the words of the selected rows, for the message.
    """
    selected = np.asarray(matrix)[rows]
    if np.may_share_memory(selected, matrix):
        selected = selected.copy()
    selected = selected.astype(np.float32, copy=False)
    bad = ~np.isfinite(selected).all(axis=1)
    if bad.any():
        word = words[int(np.argmax(bad))]
        raise VectorFormatError(f"the vector of {word!r} contains NaN or infinity", path=source)
    return selected


def from_pairs(
    words: list, matrix: np.ndarray, *, match, limit: int | None, source: str | None
) -> WordVectors:
    """WordVectors from parallel ``words`` and a 2-D ``matrix`` (copied)."""
    if matrix.ndim != 2 or matrix.shape[0] != len(words):
        raise VectorFormatError(
            f"expected a matrix of shape ({len(words)}, dim) for {len(words)} words, "
            f"got shape {matrix.shape}",
            path=source,
        )
    _check_words(words, source)
    rows = select_rows(words, match, limit)
    kept = [words[i] for i in rows]
    return WordVectors(
        kept, checked_matrix(matrix, rows, kept, source), ranks=rows, source=source, vocab_size=len(words)
    )


def _from_mapping(mapping: Mapping, *, match, limit: int | None) -> WordVectors:
    words = list(mapping)
    if not words:
        raise VectorFormatError("the dict of vectors is empty")
    _check_words(words, None)
    rows = select_rows(words, match, limit)
    dim = np.shape(mapping[words[rows[0] if rows else 0]])
    vectors = []
    for i in rows:
        vector = np.asarray(mapping[words[i]])
        if vector.shape != dim:
            raise VectorFormatError(
                f"the vector of {words[i]!r} has shape {vector.shape}, the vector of {words[rows[0]]!r} {dim}"
            )
        vectors.append(vector)
    if len(dim) != 1:
        raise VectorFormatError(f"expected 1-D vectors, found shape {dim}")
    kept = [words[i] for i in rows]
    matrix = np.stack(vectors) if vectors else np.zeros((0, dim[0]), dtype=np.float32)
    return WordVectors(
        kept, checked_matrix(matrix, slice(None), kept, None), ranks=rows, vocab_size=len(words)
    )


def _check_words(words: list, source: str | None) -> None:
    for word in words:
        if not isinstance(word, str):
            raise VectorFormatError(
                f"words must be str, found {word!r} of type {type(word).__name__}", path=source
            )


def _is_gensim(obj) -> bool:
    """A KeyedVectors, or a model with ``.wv`` (checked without importing gensim)."""
    kv = getattr(obj, "wv", obj)
    return hasattr(kv, "index_to_key") and hasattr(kv, "vectors")
