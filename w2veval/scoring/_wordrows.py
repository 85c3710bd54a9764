"""Unit vectors of a list of gold-set words under an OOV policy (categorization, outliers).

The word-pair evaluator works pair by pair; the categorization and outlier evaluators
need one unit vector per word of a list, with the unknown words left out, filled with
the mean vector or with fastText n-grams. This module does that once for both.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from ..errors import W2VEvalError, option
from ..matching import MatchRules, vocabulary_lookup
from ._pairs import _checked_mean, _subword_form

__all__ = ["SET_OOV_POLICIES", "WordRows", "applied_policy", "check_policy", "word_rows"]

SET_OOV_POLICIES = ("drop", "zero", "mean", "subword", "coverage")
"""The ``oov`` values the categorization and outlier evaluators accept (``zero`` scores as ``drop``)."""


class WordRows(NamedTuple):
    """Unit vectors of a list of words.

    Attributes
    ----------
    units : ndarray of float64, shape (n_words, dim)
        The unit vector of each word; a zero row for an unknown word that was not filled
        (and for a word whose vector is all zeros).
    known : ndarray of bool, shape (n_words,)
        Whether the vocabulary knows the word (whatever the policy).
    usable : ndarray of bool, shape (n_words,)
        Whether the word has a vector to score with: known, or filled by the policy.
    policy : str
        The policy applied (``"drop"`` when ``zero`` or ``subword`` could not be applied).
    """

    units: np.ndarray
    known: np.ndarray
    usable: np.ndarray
    policy: str


def check_policy(oov: str) -> None:
    """Raise a :class:`W2VEvalError` for an ``oov`` value these evaluators do not know."""
    if oov not in SET_OOV_POLICIES:
        raise W2VEvalError(f"unknown OOV policy {oov!r}; choose one of {', '.join(SET_OOV_POLICIES)}")


def applied_policy(oov: str, vectors, name: str, what: str) -> str:
    """The policy actually applied: ``zero`` and an impossible ``subword`` become ``drop``, with a warning.

    ``what`` names the unit that is dropped ("items", "words") in the warning.
    """
    check_policy(oov)
    if oov == "zero":
        warnings.warn(
            f"{name}: {option('oov', 'zero')} gives unknown words the zero vector, which has "
            f"no direction for cosine geometry; {what} with an unknown word are dropped and the "
            "result's oov says 'drop' (oov='mean' keeps every word)",
            UserWarning,
            stacklevel=3,
        )
        return "drop"
    if oov == "subword" and vectors.subword_vector is None:
        warnings.warn(
            f"{name}: {option('oov', 'subword')} but {vectors.source} has no subword "
            f"(fastText n-gram) vectors; {what} with an unknown word are dropped and the "
            "result's oov says 'drop' (a fastText .bin model has subwords)",
            UserWarning,
            stacklevel=3,
        )
        return "drop"
    return oov


def _unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def word_rows(
    vectors,
    words,
    *,
    rules: MatchRules = MatchRules(),
    restrict_vocab=None,
    policy: str = "drop",
    mean_vector=None,
    name: str = "",
) -> WordRows:
    """Unit vectors of ``words`` under an applied ``policy`` (see :func:`applied_policy`).

    Parameters
    ----------
    vectors : WordVectors
    words : sequence of str
    rules : MatchRules
        How a word is matched to the vocabulary (:func:`w2veval.matching.vocabulary_lookup`).
    restrict_vocab : int, optional
        Only the first ``restrict_vocab`` words of the file count as known.
    policy : {"drop", "coverage", "mean", "subword"}
        ``mean`` fills unknown words with ``mean_vector``; ``subword`` with
        ``vectors.subword_vector``; the others leave them unusable.
    mean_vector : ndarray, optional
        Needed for ``policy="mean"``.
    name : str
        The gold set's name, for error messages.

    Returns
    -------
    WordRows
    """
    lookup = vocabulary_lookup(vectors, rules, restrict_vocab)
    rows = [lookup.get(w) for w in words]
    known = np.array([r is not None for r in rows], dtype=bool)
    matrix = np.zeros((len(rows), vectors.dim), dtype=np.float64)
    if known.any():
        matrix[known] = vectors.vectors[[r for r in rows if r is not None]]
    usable = known.copy()
    if policy == "mean" and not known.all():
        matrix[~known] = _checked_mean(mean_vector, vectors, SimpleNamespace(name=name))
        usable[:] = True
    elif policy == "subword" and not known.all():
        filled: dict[str, np.ndarray] = {}
        for i in np.flatnonzero(~known):
            form = _subword_form(words[i], rules)
            if form not in filled:
                filled[form] = np.asarray(vectors.subword_vector(form), dtype=np.float64).reshape(-1)
            matrix[i] = filled[form]
        usable[:] = True
    return WordRows(_unit(matrix), known, usable, policy)
