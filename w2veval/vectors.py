"""`WordVectors`: the in-memory word vectors every loader returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["WordVectors"]


class WordVectors:
    """Words and their vectors, as read from one source.

    A loader may read only part of a file (the words a gold set needs); ``ranks``
    then keeps each word's 0-based position in the full file, so that a vocabulary
    restriction (``restrict_vocab``: the N most frequent words, i.e. the first N
    rows) and "the most frequent case variant wins" behave as on the full file.

    Parameters
    ----------
    words : sequence of str
        The words, kept exactly as written in the source.
    vectors : array_like, shape (n_words, dim)
        One row per word; stored as C-contiguous float32.
    ranks : array_like of int, optional
        Position of each word in the full source. Defaults to ``0 .. n_words-1``.
    source : str, optional
        A human-readable name of where the vectors came from.
    vocab_size : int, optional
        Number of words in the full source (the loaded words may be fewer).
    subword_vector : callable, optional
        ``word -> ndarray`` for words outside the vocabulary (fastText n-grams).

    Examples
    --------
    >>> wv = WordVectors(["cat", "dog", "car"], [[1, 0], [0.8, 0.6], [0, 1]])
    >>> "dog" in wv, wv.dim
    (True, 2)
    >>> round(wv.similarity("cat", "dog"), 3)
    0.8
    >>> [w for w, _ in wv.most_similar("cat", k=1)]
    ['dog']
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: npt.ArrayLike,
        *,
        ranks: npt.ArrayLike | None = None,
        source: str | None = None,
        vocab_size: int | None = None,
        subword_vector: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        self.words = list(words)
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != len(self.words):
            raise ValueError(f"vectors must have shape ({len(self.words)}, dim), got {matrix.shape}")
        self.vectors = matrix
        self.ranks = (
            np.arange(len(self.words), dtype=np.int64) if ranks is None else np.asarray(ranks, dtype=np.int64)
        )
        self.source = source or "<memory>"
        self.vocab_size = len(self.words) if vocab_size is None else int(vocab_size)
        self.subword_vector = subword_vector
        self._index: dict[str, int] | None = None
        self._unit: np.ndarray | None = None

    @property
    def dim(self) -> int:
        """Number of dimensions of each vector."""
        return int(self.vectors.shape[1])

    @property
    def index(self) -> dict[str, int]:
        """``word -> row``; for a word listed twice, its first row."""
        if self._index is None:
            index: dict[str, int] = {}
            for row, word in enumerate(self.words):
                index.setdefault(word, row)
            self._index = index
        return self._index

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        row = self.index.get(word)
        if row is not None:
            return self.vectors[row]
        if self.subword_vector is not None:
            return np.asarray(self.subword_vector(word), dtype=np.float32)
        raise KeyError(f"word {word!r} is not in the vectors from {self.source}")

    def __repr__(self) -> str:
        return f"WordVectors({len(self)} words of {self.vocab_size}, dim={self.dim}, source={self.source!r})"

    def similarity(self, word1: str, word2: str) -> float:
        """Cosine similarity of two words (0.0 when either vector is all zeros)."""
        a = self[word1].astype(np.float64)
        b = self[word2].astype(np.float64)
        norm = np.linalg.norm(a) * np.linalg.norm(b)
        return float(a @ b / norm) if norm > 0 else 0.0

    def most_similar(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` loaded words nearest to ``word`` by cosine, best first.

        Only the loaded words are candidates: load without ``words=`` to search
        the whole vocabulary.
        """
        query = self[word].astype(np.float32)
        norm = np.linalg.norm(query)
        scores = self._unit_vectors() @ (query / norm if norm > 0 else query)
        own = self.index.get(word)
        if own is not None:
            scores[own] = -np.inf
        k = max(0, min(k, len(self) - (own is not None)))
        top = np.argpartition(-scores, k - 1)[:k] if k else np.array([], dtype=int)
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.words[i], float(scores[i])) for i in top]

    def _unit_vectors(self) -> np.ndarray:
        if self._unit is None:
            norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
            self._unit = self.vectors / np.where(norms > 0, norms, 1)
        return self._unit
