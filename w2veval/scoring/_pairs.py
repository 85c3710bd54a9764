"""The built-in evaluator: cosine similarity of word pairs against human scores."""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..errors import W2VEvalError
from ..matching import MatchRules
from ._stats import kendall, pearson, spearman

__all__ = ["WordPairEvaluator", "OOV_POLICIES", "vocabulary_lookup", "pair_similarities"]

OOV_POLICIES = ("drop", "zero")
MIN_PAIRS = 2


def vocabulary_lookup(vectors, *, rules: MatchRules = MatchRules(),
                      restrict_vocab: int | None = None) -> dict[str, int]:
    """``match key -> row`` over the words ranked below ``restrict_vocab``.

    When several words share a key (``Apple`` and ``apple`` case-insensitively, or
    a word listed twice), the one nearest the top of the file wins, as in gensim.
    """
    lookup: dict[str, tuple[int, int]] = {}
    ranks = vectors.ranks.tolist()
    for row, (word, rank) in enumerate(zip(vectors.words, ranks)):
        if restrict_vocab is not None and rank >= restrict_vocab:
            continue
        key = rules.key(word)
        best = lookup.get(key)
        if best is None or rank < best[0]:
            lookup[key] = (rank, row)
    return {key: row for key, (_, row) in lookup.items()}


def _unit_rows(matrix: np.ndarray, rows: list[int]) -> dict[int, np.ndarray]:
    """Unit vectors rounded to float32 exactly as gensim's ``matutils.unitvec`` does."""
    units = {}
    for row in set(rows):
        vector = matrix[row].astype(np.float64)
        norm = math.sqrt(float(np.dot(vector, vector)))
        units[row] = (vector * (1.0 / norm)).astype(np.float32) if norm > 0 else matrix[row]
    return units


def pair_similarities(vectors, goldset, *, rules: MatchRules = MatchRules(), restrict_vocab=None):
    """Cosine similarity of every gold-set pair (NaN where a word is unknown).

    Returns
    -------
    ndarray of float64, shape (n_pairs,)
    """
    lookup = vocabulary_lookup(vectors, rules=rules, restrict_vocab=restrict_vocab)
    rows_a = [lookup.get(rules.key(w)) for w in goldset.word1]
    rows_b = [lookup.get(rules.key(w)) for w in goldset.word2]
    known = [r for pair in zip(rows_a, rows_b) if None not in pair for r in pair]
    units = _unit_rows(vectors.vectors, known)
    sims = np.full(len(rows_a), np.nan)
    for i, (a, b) in enumerate(zip(rows_a, rows_b)):
        if a is not None and b is not None:
            # np.dot on float32 vectors: the same arithmetic as KeyedVectors.similarity.
            sims[i] = float(np.dot(units[a], units[b]))
    return sims


class WordPairEvaluator:
    """Spearman, Pearson and Kendall correlation of cosine similarity with human scores.

    Options
    -------
    oov : {"drop", "zero"}
        ``drop`` leaves out pairs with an unknown word (gensim, BlazingText);
        ``zero`` scores them as similarity 0, charging the model for them.
    case_sensitive : bool
        Match words exactly (after NFC) instead of by ``casefold``.
    matching : MatchRules, optional
        The full matching rules (case mode, accents, phrases); wins over ``case_sensitive``.
    restrict_vocab : int, optional
        Only the first ``restrict_vocab`` words of the file count as known.
    pvalues : bool
        ``False`` skips the p-values (NaN), which saves importing scipy.
    """

    name = "word-pairs"

    def accepts(self, goldset) -> bool:
        return all(hasattr(goldset, a) for a in ("word1", "word2", "scores"))

    def evaluate(self, vectors, goldset, *, oov="drop", case_sensitive=False,
                 restrict_vocab=None, pvalues=True, matching=None, **_ignored) -> dict:
        if oov not in OOV_POLICIES:
            raise W2VEvalError(f"unknown OOV policy {oov!r}; choose one of {', '.join(OOV_POLICIES)}")
        rules = matching or MatchRules.from_options(case_sensitive)
        sims = pair_similarities(vectors, goldset, rules=rules, restrict_vocab=restrict_vocab)
        gold = np.asarray(goldset.scores, dtype=np.float64)
        known = ~np.isnan(sims)
        n_pairs, n_scored = len(gold), int(known.sum())
        if oov == "zero":
            model, human = np.where(known, sims, 0.0), gold
        else:
            model, human = sims[known], gold[known]
        if len(model) < MIN_PAIRS:
            warnings.warn(f"{goldset.name}: only {n_scored} of {n_pairs} pairs have both words "
                          f"in {vectors.source}; correlations are undefined (NaN)", UserWarning, stacklevel=2)
        rho, r, tau = (fn(model, human, pvalue=pvalues) for fn in (spearman, pearson, kendall))
        return {
            "n_pairs": n_pairs, "n_scored": n_scored,
            "coverage": n_scored / n_pairs if n_pairs else math.nan,
            "spearman": rho.statistic, "pearson": r.statistic, "kendall": tau.statistic,
            "spearman_p": rho.pvalue, "pearson_p": r.pvalue, "kendall_p": tau.pvalue,
        }
