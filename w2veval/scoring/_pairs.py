"""The built-in evaluator: cosine similarity of word pairs against human scores."""

from __future__ import annotations

import math
import unicodedata
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import W2VEvalError, option
from ..matching import MatchRules, vocabulary_lookup
from ._stats import kendall, pearson, spearman
from ._warnings import MAX_CI_WIDTH, MIN_COVERAGE, MIN_SCORED, UnreliableScoreWarning

if TYPE_CHECKING:
    from ..goldsets import GoldSet
    from ..vectors import WordVectors

__all__ = [
    "OOV_POLICIES",
    "UnreliableScoreWarning",
    "WordPairEvaluator",
    "pair_similarities",
    "vocabulary_lookup",
]

OOV_POLICIES = ("drop", "zero", "mean", "subword", "coverage")
"""What to do with a pair that has a word the vectors do not know; see :class:`WordPairEvaluator`."""
MIN_PAIRS = 2  # a correlation needs two pairs
_METRICS = ("spearman", "pearson", "kendall")


def _unit_rows(matrix: np.ndarray, rows: list[int]) -> dict[int, np.ndarray]:
    """Unit vectors rounded to float32 exactly as gensim's ``matutils.unitvec`` does."""
    units = {}
    for row in set(rows):
        vector = matrix[row].astype(np.float64)
        norm = math.sqrt(float(np.dot(vector, vector)))
        units[row] = (vector * (1.0 / norm)).astype(np.float32) if norm > 0 else matrix[row]
    return units


def _cosines(matrix: np.ndarray, rows_a: list, rows_b: list) -> np.ndarray:
    """Cosine of rows ``rows_a[i]`` and ``rows_b[i]`` of ``matrix``; NaN where a row is None."""
    known = [r for pair in zip(rows_a, rows_b, strict=True) if None not in pair for r in pair]
    units = _unit_rows(matrix, known)
    sims = np.full(len(rows_a), np.nan)
    for i, (a, b) in enumerate(zip(rows_a, rows_b, strict=True)):
        if a is not None and b is not None:
            # np.dot on float32 vectors: the same arithmetic as KeyedVectors.similarity.
            sims[i] = float(np.dot(units[a], units[b]))
    return sims


def _rows(vectors, goldset, rules: MatchRules, restrict_vocab) -> tuple[list, list]:
    lookup = vocabulary_lookup(vectors, rules, restrict_vocab)  # exact form first: see docs/matching.md
    return [lookup.get(w) for w in goldset.word1], [lookup.get(w) for w in goldset.word2]


def pair_similarities(vectors, goldset, *, rules: MatchRules = MatchRules(), restrict_vocab=None):
    """Cosine similarity of every gold-set pair (NaN where a word is unknown).

    Returns
    -------
    ndarray of float64, shape (n_pairs,)
    """
    rows_a, rows_b = _rows(vectors, goldset, rules, restrict_vocab)
    return _cosines(vectors.vectors, rows_a, rows_b)


def _filled(vectors, rows_a, rows_b, goldset, rules, fill) -> tuple[np.ndarray, list, list]:
    """The matrix with a row appended for each unknown word, and the rows of every pair.

    ``fill(word)`` gives the vector of an unknown gold-set word.
    """
    extra: dict[str, int] = {}
    added: list[np.ndarray] = []
    base = len(vectors.words)

    def row_of(word, row):
        if row is not None:
            return row
        form = _subword_form(word, rules)
        if form not in extra:
            extra[form] = base + len(added)
            added.append(np.asarray(fill(form), dtype=np.float32).reshape(-1))
        return extra[form]

    rows_a = [row_of(w, r) for w, r in zip(goldset.word1, rows_a, strict=True)]
    rows_b = [row_of(w, r) for w, r in zip(goldset.word2, rows_b, strict=True)]
    matrix = vectors.vectors if not added else np.vstack([vectors.vectors, *added])
    return matrix, rows_a, rows_b


def _subword_form(word: str, rules: MatchRules) -> str:
    """The form of an unknown gold-set word whose n-grams are looked up.

    NFC, and lower-case unless matching is case-sensitive (fastText vocabularies are
    usually lower-cased text; ``lower`` rather than ``casefold`` keeps "ß" intact).
    """
    word = unicodedata.normalize("NFC", word.strip())
    return word if rules.case == "sensitive" else word.lower()


class WordPairEvaluator:
    """Spearman, Pearson and Kendall correlation of cosine similarity with human scores.

    Options
    -------
    oov : {"drop", "zero", "mean", "subword", "coverage"}
        What a pair with a word the vectors do not know counts as:

        - ``drop`` (default): it is left out (gensim, BlazingText).
        - ``zero``: similarity 0 (gensim's ``dummy4unknown=True``).
        - ``mean``: the unknown word gets the mean of all the file's vectors, as
          word-embeddings-benchmarks does; needs ``mean_vector``. A pair of two
          unknown words gets similarity 0, as under ``zero`` (the mean vector with
          itself would give cosine 1: a block of "most similar" pairs ordered by
          float rounding).
        - ``subword``: the unknown word gets its fastText n-gram vector
          (``vectors.subword_vector``); vectors without n-grams are scored as
          ``drop`` with a warning, and the result's ``oov`` says ``"drop"``.
        - ``coverage``: each correlation is ``coverage × rho`` over the scored pairs,
          so a smaller vocabulary cannot buy a better score by leaving the hard
          pairs out; NaN when rho over the scored pairs is (fewer than two pairs).

        Under every policy, a gold set of which no pair has both words in the
        vocabulary (``n_scored == 0``) scores NaN, with a warning: a model that
        knows nothing of a set has no score on it, not a score of 0.
    case_sensitive : bool
        Match words exactly (after NFC) instead of by ``casefold``.
    matching : MatchRules, optional
        The full matching rules (case mode, accents, phrases); wins over ``case_sensitive``.
    restrict_vocab : int, optional
        Only the first ``restrict_vocab`` words of the file count as known.
    pvalues : bool
        ``False`` skips the p-values (NaN), which saves importing scipy.
    mean_vector : ndarray, optional
        The mean of all the file's vectors, for ``oov="mean"``
        (:func:`w2veval.io._mean.mean_vector`; :func:`~w2veval.evaluate` supplies it).
    ci : float, optional
        Confidence level (e.g. 0.95) of intervals for Spearman and Pearson, added as
        ``spearman_lo``, ``spearman_hi``, ``pearson_lo``, ``pearson_hi``.
    ci_method : {"bca", "percentile", "fisher"}
        Bootstrap over the scored pairs (BCa or percentile, ``n_resamples`` resamples,
        ``seed``), or Fisher's z closed form. See ``docs/statistics.md``.

    Whatever the policy, ``n_scored`` counts the pairs whose both words the
    vocabulary knows and ``coverage = n_scored / n_pairs``. An
    :class:`~w2veval.scoring._warnings.UnreliableScoreWarning` (its ``kind`` in
    brackets) names the gold set and the vectors when the score is NaN
    (``undefined``), when fewer than 30 pairs are scored (``few_pairs``), when
    coverage is below 0.8 (``low_coverage``; the ranking rule's thresholds), or when
    the interval asked for with ``ci`` is wider than 0.2 (``wide_interval``): one
    warning per kind. Tied human scores are no reason to warn: Spearman and Kendall
    use tie-averaged ranks (``w2veval goldsets validate`` reports ties). The
    calibration is in ``docs/statistics.md``.

    Examples
    --------
    >>> import numpy as np
    >>> from w2veval import GoldSet, WordVectors
    >>> wv = WordVectors(["cat", "dog", "car"], np.array([[1, 0], [0.9, 0.1], [0, 1]]))
    >>> gold = GoldSet.from_pairs([("cat", "dog", 8), ("dog", "car", 2), ("cat", "car", 1),
    ...                            ("cat", "gnu", 5)], name="toy")
    >>> with warnings.catch_warnings():  # 3 scored pairs: an UnreliableScoreWarning
    ...     warnings.simplefilter("ignore", UnreliableScoreWarning)
    ...     drop = WordPairEvaluator().evaluate(wv, gold)
    ...     cov = WordPairEvaluator().evaluate(wv, gold, oov="coverage")
    >>> drop["coverage"], drop["spearman"], cov["spearman"]
    (0.75, 1.0, 0.75)
    """

    name = "word-pairs"

    def accepts(self, goldset: object) -> bool:
        return all(hasattr(goldset, a) for a in ("word1", "word2", "scores"))

    def evaluate(
        self,
        vectors: WordVectors,
        goldset: GoldSet,
        *,
        oov: str = "drop",
        case_sensitive: bool = False,
        restrict_vocab: int | None = None,
        pvalues: bool = True,
        matching: MatchRules | None = None,
        mean_vector: npt.ArrayLike | None = None,
        ci: float | None = None,
        ci_method: str = "bca",
        n_resamples: int = 10_000,
        seed: int | None = 0,
        **_ignored: Any,
    ) -> dict[str, Any]:
        if oov not in OOV_POLICIES:
            raise W2VEvalError(f"unknown OOV policy {oov!r}; choose one of {', '.join(OOV_POLICIES)}")
        rules = matching or MatchRules.from_options(case_sensitive)
        rows_a, rows_b = _rows(vectors, goldset, rules, restrict_vocab)
        gold = np.asarray(goldset.scores, dtype=np.float64)
        known = np.array(
            [a is not None and b is not None for a, b in zip(rows_a, rows_b, strict=True)], dtype=bool
        )
        n_pairs, n_scored = len(gold), int(known.sum())
        policy = oov
        if oov == "subword" and vectors.subword_vector is None:
            # Scored as drop, and recorded as drop: the row must say what was done.
            warnings.warn(
                f"{goldset.name}: {option('oov', 'subword')} but {vectors.source} has no "
                "subword (fastText n-gram) vectors; pairs with an unknown word are dropped "
                "and the result's oov says 'drop' (a fastText .bin model has subwords)",
                UserWarning,
                stacklevel=2,
            )
            policy = "drop"
        if policy == "mean":
            fill = _checked_mean(mean_vector, vectors, goldset)
            sims = _cosines(*_filled(vectors, rows_a, rows_b, goldset, rules, lambda _: fill))
            # Two unknown words are both the mean vector: similarity 0 (as under zero), not 1.
            sims[[a is None and b is None for a, b in zip(rows_a, rows_b, strict=True)]] = 0.0
        elif policy == "subword":
            sims = _cosines(*_filled(vectors, rows_a, rows_b, goldset, rules, vectors.subword_vector))
        else:
            sims = _cosines(vectors.vectors, rows_a, rows_b)
        if policy == "zero":
            model, human = np.where(known, sims, 0.0), gold
        elif policy in ("drop", "coverage"):
            model, human = sims[known], gold[known]
        else:
            model, human = sims, gold
        coverage = n_scored / n_pairs if n_pairs else math.nan
        if n_scored == 0:  # nothing known: no policy can make a score of it
            model, human = model[:0], human[:0]
        stats = [fn(model, human, pvalue=pvalues) for fn in (spearman, pearson, kendall)]
        values = [s.statistic for s in stats]
        if policy == "coverage":
            values = [coverage * v for v in values]  # NaN stays NaN
        result: dict[str, Any] = {
            "n_pairs": n_pairs,
            "n_scored": n_scored,
            "coverage": coverage,
            "oov": policy,
        }
        result.update(zip(_METRICS, values, strict=True))
        result.update({f"{m}_p": s.pvalue for m, s in zip(_METRICS, stats, strict=True)})
        if ci is not None:
            scale = coverage if policy == "coverage" else 1.0
            for metric in ("spearman", "pearson"):
                low, high = (
                    (math.nan, math.nan)
                    if math.isnan(result[metric])
                    else _interval(human, model, metric, ci, ci_method, n_resamples, seed)
                )
                result[f"{metric}_lo"], result[f"{metric}_hi"] = scale * low, scale * high
        for message, kind, detail in _reasons(result, policy, ci):
            warnings.warn(
                UnreliableScoreWarning(
                    f"{goldset.name} on {vectors.source} (OOV policy {policy}): {message}",
                    kind=kind,
                    goldset=goldset.name,
                    vectors=str(vectors.source),
                    detail=detail,
                ),
                stacklevel=2,
            )
        return result


def _reasons(result: dict, policy: str, ci) -> list[tuple[str, str, str]]:
    """``(message, kind, detail)`` for each way the score in ``result`` must be read with care."""
    n_scored, n_pairs, coverage = result["n_scored"], result["n_pairs"], result["coverage"]
    if math.isnan(result["spearman"]):
        why = (
            f"0 of {n_pairs} pairs have both words in the vocabulary, and no OOV policy makes a "
            "score of nothing known"
            if n_scored == 0
            else f"only {n_scored} of {n_pairs} pairs have both words in the vocabulary, and a correlation "
            "needs at least 2 pairs whose scores and similarities are not all equal"
        )
        return [(f"the score is undefined (NaN): {why}", "undefined", f"{n_scored} of {n_pairs} pairs")]
    reasons = []
    if n_scored < MIN_SCORED:
        reasons.append(
            (
                f"only {n_scored} pairs are scored (fewer than {MIN_SCORED}): a 95% interval of "
                "rho is wider than about 0.4; treat the score with care",
                "few_pairs",
                f"{n_scored} of {n_pairs} pairs",
            )
        )
    if coverage < MIN_COVERAGE:
        reasons.append(
            (
                f"coverage {coverage:.2f} is below {MIN_COVERAGE:g} ({n_scored} of {n_pairs} pairs "
                "have both words in the vocabulary): the vocabulary chose which pairs count; "
                "treat the score with care",
                "low_coverage",
                f"{coverage:.2f}",
            )
        )
    if ci is not None:
        scale = coverage if policy == "coverage" else 1.0  # the interval of rho itself
        width = (result["spearman_hi"] - result["spearman_lo"]) / scale
        if width > MAX_CI_WIDTH:
            reasons.append(
                (
                    f"the {ci:g} interval of spearman is {width:.2f} wide (more than "
                    f"{MAX_CI_WIDTH:g}): it cannot separate models that differ as real ones do",
                    "wide_interval",
                    f"{width:.2f}",
                )
            )
    return reasons


def _interval(human, model, metric, level, method, n_resamples, seed) -> tuple[float, float]:
    """A confidence interval of ``metric`` between human scores and model similarities."""
    from ._bootstrap import bootstrap_correlation, fisher_interval

    if method == "fisher":
        statistic = (spearman if metric == "spearman" else pearson)(model, human, pvalue=False).statistic
        return fisher_interval(statistic, len(model), level=level, statistic=metric)
    result = bootstrap_correlation(
        human, model, statistic=metric, level=level, n_resamples=n_resamples, method=method, seed=seed
    )
    return result.low, result.high


def _checked_mean(mean_vector, vectors, goldset) -> np.ndarray:
    if mean_vector is None:
        raise W2VEvalError(
            f"{goldset.name}: oov='mean' needs the mean of all the vectors of {vectors.source}: "
            "pass mean_vector=w2veval.io._mean.mean_vector(source) (w2veval.evaluate does this)"
        )
    mean = np.asarray(mean_vector, dtype=np.float64).reshape(-1)
    if mean.shape != (vectors.dim,) or not np.isfinite(mean).all():
        raise W2VEvalError(
            f"mean_vector must be {vectors.dim} finite numbers (the vectors' "
            f"dimension), got shape {np.shape(mean_vector)}"
        )
    return mean.astype(np.float32)
