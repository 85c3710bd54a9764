"""Features of texts from word vectors: the mean of the unit vectors of a text's tokens.

A text's tokens are :attr:`TextTask.tokens <w2veval.goldsets.TextTask.tokens>`; each is
looked up with :func:`w2veval.matching.vocabulary_lookup`, so casing, accents and
phrases follow the vectors' matching rules exactly as for gold-set words. Every
occurrence counts. The features are built with array operations: a sparse count
matrix (texts x distinct tokens) times the matrix of the distinct tokens' unit vectors,
divided by each text's number of counted tokens. See ``docs/tasks.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..errors import W2VEvalError
from ..matching import MatchRules, vocabulary_lookup

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["FEATURES", "FEATURE_OOV", "SIF_A", "TextFeatures", "text_features", "token_coverage"]

FEATURES = ("mean", "sif")
"""``mean``: the mean of the unit vectors of the known tokens; ``sif``: Arora et al.'s
smooth inverse frequency weighting with the first principal component removed."""
FEATURE_OOV = ("drop", "zero", "mean", "subword", "coverage")
SIF_A = 1e-3
"""The ``a`` of SIF's weight ``a / (a + p(w))`` (Arora, Liang and Ma 2017's default)."""


class TextFeatures(NamedTuple):
    """The feature matrix of a task's texts and what the vocabulary knew.

    Attributes
    ----------
    matrix : ndarray of float64, shape (n_texts, dim)
        One row per text; a zero row for a text of which no token got a vector.
    known_tokens : ndarray of int64, shape (n_texts,)
        Token occurrences of each text that the vocabulary knows.
    all_tokens : ndarray of int64, shape (n_texts,)
        Token occurrences of each text.
    policy : str
        The OOV policy applied (``subword`` without n-gram vectors is ``drop``).
    """

    matrix: np.ndarray
    known_tokens: np.ndarray
    all_tokens: np.ndarray
    policy: str


def _token_counts(tokens_per_text: Sequence[Sequence[str]]) -> tuple[list[str], sparse.csr_matrix]:
    """The distinct tokens (first-seen order) and the CSR count matrix texts x distinct tokens."""
    from scipy import sparse

    index: dict[str, int] = {}
    columns = [index.setdefault(token, len(index)) for tokens in tokens_per_text for token in tokens]
    indptr = np.zeros(len(tokens_per_text) + 1, dtype=np.int64)
    np.cumsum([len(tokens) for tokens in tokens_per_text], out=indptr[1:])
    data = np.ones(len(columns), dtype=np.float64)
    counts = sparse.csr_matrix(
        (data, np.asarray(columns, dtype=np.int64), indptr), shape=(len(tokens_per_text), len(index))
    )
    counts.sum_duplicates()  # a token repeated in a text: one entry, its count
    return list(index), counts


def _unit(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (float64); a zero row stays zero."""
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    return np.divide(matrix, norms[:, None], out=np.zeros_like(matrix), where=norms[:, None] > 0)


def text_features(
    vectors,
    task,
    *,
    rules: MatchRules = MatchRules(),
    restrict_vocab=None,
    oov: str = "drop",
    features: str = "mean",
    mean_vector=None,
    warn=None,
) -> TextFeatures:
    """The features of every text of ``task`` from ``vectors``.

    Parameters
    ----------
    vectors : WordVectors
    task : TextTask
    rules : MatchRules
        How a token is matched to the vocabulary (``docs/matching.md``).
    restrict_vocab : int, optional
        Only the first ``restrict_vocab`` words count as known.
    oov : {"drop", "zero", "mean", "subword", "coverage"}
        What an unknown token contributes: nothing (``drop`` and ``coverage``), a
        zero vector that still counts in the mean's denominator (``zero``), the unit
        vector of ``mean_vector`` (``mean``), or the unit vector of its fastText
        n-gram vector (``subword``; vectors without n-grams fall back to ``drop``).
    features : {"mean", "sif"}
        The mean of unit vectors, or SIF weighting (weights ``a / (a + p(w))`` with
        ``p(w)`` the token's frequency in the task's own texts, then the projection
        on the first principal component of the texts' features removed).
    mean_vector : array, optional
        The mean of every vector of the source, for ``oov="mean"``.
    warn : callable, optional
        Called with a message when ``subword`` falls back to ``drop``.

    Returns
    -------
    TextFeatures

    Examples
    --------
    >>> from w2veval import WordVectors
    >>> from w2veval.goldsets._task import TextTask
    >>> wv = WordVectors(["good", "film"], np.array([[3.0, 4.0], [0.0, 2.0]]))
    >>> task = TextTask(name="toy", texts=["good good film", "dull"], labels=["p", "n"])
    >>> f = text_features(wv, task)
    >>> f.matrix.round(4).tolist(), f.known_tokens.tolist(), f.all_tokens.tolist()
    ([[0.4, 0.8667], [0.0, 0.0]], [3, 0], [3, 1])
    """
    if features not in FEATURES:
        raise W2VEvalError(f"unknown features {features!r}; choose one of {', '.join(FEATURES)}")
    if oov not in FEATURE_OOV:
        raise W2VEvalError(f"unknown OOV policy {oov!r}; choose one of {', '.join(FEATURE_OOV)}")
    distinct, counts = _token_counts(task.tokens)
    lookup = vocabulary_lookup(vectors, rules, restrict_vocab)
    rows = [lookup.get(token) for token in distinct]
    known = np.array([row is not None for row in rows], dtype=bool)
    units = np.zeros((len(distinct), vectors.dim), dtype=np.float64)
    if known.any():
        units[known] = _unit(vectors.vectors[[row for row in rows if row is not None]])
    policy = oov
    if policy == "subword" and vectors.subword_vector is None:
        if warn is not None:
            warn(
                f"{task.name}: oov='subword' but {vectors.source} has no subword (fastText n-gram) "
                "vectors; unknown tokens are ignored and the result's oov says 'drop' "
                "(a fastText .bin model has subwords)"
            )
        policy = "drop"
    counted = known.copy()  # tokens that contribute a vector
    if policy == "subword":
        from ._pairs import _subword_form

        for i in np.flatnonzero(~known):
            units[i] = _unit(
                np.asarray(
                    vectors.subword_vector(_subword_form(distinct[i], rules)), dtype=np.float64
                ).reshape(1, -1)
            )[0]
        counted = np.einsum("ij,ij->i", units, units) > 0
    elif policy == "mean":
        from ._pairs import _checked_mean

        units[~known] = _unit(_checked_mean(mean_vector, vectors, task).reshape(1, -1))[0]
        counted = np.ones(len(distinct), dtype=bool)
    elif policy == "zero":
        counted = np.ones(len(distinct), dtype=bool)  # zero vectors, counted in the mean
    weights = _sif_weights(counts) if features == "sif" else None
    weighted = counts if weights is None else counts.multiply(weights[None, :]).tocsr()
    sums = np.asarray(weighted @ units)
    denominators = np.asarray(counts @ counted.astype(np.float64)).ravel()
    matrix = np.divide(sums, denominators[:, None], out=np.zeros_like(sums), where=denominators[:, None] > 0)
    if features == "sif":
        matrix = _remove_first_component(matrix)
    known_tokens = np.asarray(counts @ known.astype(np.float64)).ravel().round().astype(np.int64)
    all_tokens = np.asarray(counts.sum(axis=1)).ravel().round().astype(np.int64)
    return TextFeatures(matrix, known_tokens, all_tokens, policy)


def _sif_weights(counts: sparse.csr_matrix) -> np.ndarray:
    """``a / (a + p(w))`` per distinct token, ``p(w)`` its share of the task's token occurrences."""
    totals = np.asarray(counts.sum(axis=0)).ravel()
    p = totals / totals.sum() if totals.sum() else totals
    return SIF_A / (SIF_A + p)


def _remove_first_component(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` minus its projection on its first right singular vector (uncentred, as SIF does)."""
    if not np.any(matrix):
        return matrix
    _, _, vt = np.linalg.svd(matrix, full_matrices=False)
    u = vt[0]
    return matrix - np.outer(matrix @ u, u)


def token_coverage(result: TextFeatures) -> float:
    """Known token occurrences over all token occurrences (NaN when the texts have no token)."""
    total = int(result.all_tokens.sum())
    return int(result.known_tokens.sum()) / total if total else math.nan
