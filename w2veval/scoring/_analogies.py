"""Word analogies ``a : b :: c : ?`` answered by vector arithmetic (3CosAdd, 3CosMul).

The counts of correct answers equal those of gensim's
``KeyedVectors.evaluate_word_analogies`` exactly. Questions are scored 128 at a time,
with one matrix product per chunk of the vocabulary; the few whose best two
candidates are too close for float32 rounding to decide are decided again with
gensim's own per-question arithmetic. See ``docs/analogies.md``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._version import __version__
from ..errors import W2VEvalError, option
from ..matching import MatchRules, VocabularyLookup

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import AnyGoldSet, VectorsSource
    from ..goldsets._analogy import AnalogySet
    from ..vectors import WordVectors

__all__ = [
    "COSMUL_EPSILON",
    "METHODS",
    "TIE_MARGIN",
    "AnalogyEvaluator",
    "AnalogyResult",
    "SectionScore",
    "evaluate_analogies",
]

METHODS = ("3cosadd", "3cosmul")
COSMUL_EPSILON = 1e-6
"""Added to 3CosMul's denominator: gensim's ``most_similar_cosmul`` value (the paper used 1e-3)."""
TIE_MARGIN = 1e-5
"""Best-vs-runner-up cosine gap below which a question is decided again the gensim way."""
TOTAL = "Total accuracy"
_TOPN = 5  # evaluate_word_analogies keeps the first acceptable of most_similar(topn=5)
_BLOCK_CELLS = 1 << 21  # score cells per tile: 8 MB of float32
_BLOCK_QUESTIONS = 128  # questions per matrix product; fewer make it slow (memory-bound)


@dataclass(frozen=True)
class SectionScore:
    """One row of an :class:`AnalogyResult`: a section, or the total (``"Total accuracy"``).

    ``accuracy`` is ``n_correct`` over the questions gensim counts: the answered ones,
    or all of them with ``dummy4unknown``; NaN when that is none (gensim says 0.0).
    """

    section: str
    n_questions: int
    n_answered: int
    n_correct: int
    accuracy: float


@dataclass(frozen=True)
class AnalogyResult:
    """Accuracy per section and in total, with how it was computed.

    ``rows`` holds one :class:`SectionScore` per section, in the set's order, and the
    total last; ``predictions`` the answer given to each question (``None`` when the
    question was not answered: one of its words is unknown), and ``correct`` whether
    it was right.
    """

    goldset: str
    method: str
    rows: tuple[SectionScore, ...]
    predictions: tuple[str | None, ...] = field(repr=False)
    correct: tuple[bool, ...] = field(repr=False)
    restrict_vocab: int | None
    matching: str
    dummy4unknown: bool
    n_candidates: int
    goldset_sha256: str | None = None
    vectors: str = "<memory>"
    w2veval_version: str = __version__

    @property
    def total(self) -> SectionScore:
        return self.rows[-1]

    @property
    def accuracy(self) -> float:
        """Overall accuracy as gensim's ``evaluate_word_analogies`` returns it."""
        return self.total.accuracy

    @property
    def n_questions(self) -> int:
        return self.total.n_questions

    @property
    def n_answered(self) -> int:
        return self.total.n_answered

    @property
    def n_correct(self) -> int:
        return self.total.n_correct

    @property
    def coverage(self) -> float:
        """Fraction of the questions answered (all four words known)."""
        return self.n_answered / self.n_questions if self.n_questions else math.nan

    def to_frame(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (``section, n_questions, n_answered, n_correct, accuracy``)."""
        import pandas as pd

        return pd.DataFrame(
            [vars(row) for row in self.rows],
            columns=["section", "n_questions", "n_answered", "n_correct", "accuracy"],
        )

    def to_dict(self) -> dict[str, Any]:
        """Provenance and rows as plain JSON-ready values (without the per-question fields)."""
        out = {k: v for k, v in vars(self).items() if k not in ("rows", "predictions", "correct")}
        out["rows"] = [vars(row) for row in self.rows]
        return out


class _Candidates:
    """The searchable vocabulary: loaded words ranked below ``restrict_vocab``, in rank order.

    Words sharing a ``key`` are case variants of each other: one class. A question word
    gets the class's first (most frequent) word, as gensim's ``ok_vocab`` does, unless
    ``rules`` look for the exact form first (``case="casefold"``).
    """

    def __init__(self, vectors, restrict_vocab, key, rules: MatchRules | None = None):
        ranks = vectors.ranks
        rows = np.arange(len(vectors)) if restrict_vocab is None else np.flatnonzero(ranks < restrict_vocab)
        if np.any(np.diff(ranks[rows]) < 0):
            rows = rows[np.argsort(ranks[rows], kind="stable")]
        prefix = np.array_equal(rows, np.arange(len(rows)))  # then views, no copies
        pick = slice(0, len(rows)) if prefix else rows
        # gensim keeps float32 norms and divides by them; the same arrays, bit for bit.
        self.raw = vectors.vectors[pick]
        self.norms = np.linalg.norm(self.raw, axis=1)
        self.unit = self.raw / np.where(self.norms > 0, self.norms, 1)[:, None]
        self.words = [vectors.words[i] for i in rows] if not prefix else vectors.words[: len(rows)]
        self.keys = [key(w) for w in self.words]
        self.first: dict[str, int] = {}  # key -> its first (most frequent) word, as gensim's ok_vocab
        for pos, k in enumerate(self.keys):
            self.first.setdefault(k, pos)
        self.zero_rows = np.flatnonzero(self.norms == 0)
        self.key = key
        self.lookup = VocabularyLookup(self.words, rules) if rules is not None and rules.exact_first else None
        self.variants: dict[int, list[int]] = {}  # first position -> the other words with its key
        if len(self.first) < len(self.keys):
            for pos, k in enumerate(self.keys):
                if self.first[k] != pos:
                    self.variants.setdefault(self.first[k], []).append(pos)

    def __len__(self) -> int:
        return len(self.words)

    def canon(self, pos: int) -> int:
        return self.first[self.keys[pos]]

    def find(self, word: str) -> int:
        """The position ``word`` gets (-1: unknown): the exact form first under casefold rules."""
        if self.lookup is not None:
            return self.lookup.get(word, -1)
        return self.first.get(self.key(word), -1)

    def members(self, pos: int) -> list[int]:
        """The positions of every word of ``pos``'s class (its case variants and itself)."""
        first = self.canon(pos)
        return [first, *self.variants.get(first, ())]


def evaluate_analogies(
    vectors: VectorsSource,
    analogy_set: AnyGoldSet | str,
    *,
    method: str = "3cosadd",
    restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    matching: MatchRules | None = None,
) -> AnalogyResult:
    """Answer analogy questions ``a : b :: c : ?`` and count the correct answers.

    Parameters
    ----------
    vectors : WordVectors or any source :func:`w2veval.load_vectors` reads
        The answer is searched among all loaded words ranked below ``restrict_vocab``;
        load the whole vocabulary (not only the set's words) to compare with gensim.
    analogy_set : AnalogySet or str
        The questions, or a catalogued name such as ``"google-analogy"``; a gold set
        of another kind is a :class:`~w2veval.W2VEvalError`.
    method : {"3cosadd", "3cosmul"}
        3CosAdd: the word nearest to ``b - a + c`` (gensim's ``most_similar``).
        3CosMul: ``cos(d,b) cos(d,c) / (cos(d,a) + 1e-6)`` with cosines shifted to
        [0, 1] (Levy & Goldberg 2014, as gensim's ``most_similar_cosmul``).
    restrict_vocab : int or None
        Only the first N words of the vectors file count, for the questions and as
        answers (gensim's default, 300000). ``None``: every loaded word.
    case_insensitive : bool
        Compare words by ``str.upper()``; among case variants the most frequent
        stands for the word, and no variant of a question word is an answer (gensim).
        This function's default is gensim's rule, for parity checks; ``w2veval.evaluate``
        and ``w2veval analogies`` match by ``MatchRules()`` (the exact form first), as
        ``matching=MatchRules()`` does here. On a lower-case vocabulary they agree.
    dummy4unknown : bool
        Count questions with an unknown word as wrong instead of leaving them out.
    matching : MatchRules, optional
        Match words by these rules' keys instead (wins over ``case_insensitive``).

    Returns
    -------
    AnalogyResult

    Examples
    --------
    >>> from w2veval import WordVectors
    >>> from w2veval.goldsets._analogy import AnalogySet
    >>> wv = WordVectors(["man", "woman", "king", "queen", "apple"],
    ...                  [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 0, 1]])
    >>> qs = AnalogySet(name="toy", questions=[("man", "woman", "king", "queen"),
    ...                 ("man", "king", "pear", "apple")], sections=["royalty"], question_sections=[0, 0])
    >>> result = evaluate_analogies(wv, qs)
    >>> result.predictions, result.n_correct, result.accuracy
    (('queen', None), 1, 1.0)
    """
    if method not in METHODS:
        raise W2VEvalError(f"unknown analogy method {method!r}; choose one of {', '.join(METHODS)}")
    vectors, analogy_set, key, label = _prepare(
        vectors, analogy_set, restrict_vocab, case_insensitive, matching
    )
    cands = _Candidates(vectors, restrict_vocab, key, matching)
    _warn_if_partial(vectors, len(cands), restrict_vocab)
    return _score(
        vectors, cands, analogy_set, key, method, dummy4unknown, restrict_vocab=restrict_vocab, matching=label
    )


def _prepare(vectors, analogy_set, restrict_vocab, case_insensitive, matching):
    if isinstance(analogy_set, str):
        from .. import goldsets

        analogy_set = goldsets.load(analogy_set)
    if not hasattr(analogy_set, "questions"):
        raise W2VEvalError(
            f"{getattr(analogy_set, 'name', analogy_set)!r} is not an analogy set "
            "(it has no questions); word-pair sets are scored by w2veval.evaluate"
        )
    if not hasattr(vectors, "ranks"):
        from ..io import load_vectors

        vectors = load_vectors(vectors, limit=restrict_vocab)
    if matching is not None:
        return vectors, analogy_set, matching.key, matching.describe()
    if case_insensitive:
        return vectors, analogy_set, str.upper, "upper"
    return vectors, analogy_set, (lambda word: word), "exact"


def _score(vectors, cands, analogy_set, key, method, dummy4unknown, **provenance) -> AnalogyResult:
    index = [[cands.find(w) for w in q] for q in analogy_set.questions]
    qa, qb, qc, qd = np.array(index, dtype=np.int64).reshape(-1, 4).T
    answered = (qa >= 0) & (qb >= 0) & (qc >= 0) & (qd >= 0)
    todo = np.flatnonzero(answered)
    predicted = np.full(len(qa), -1, dtype=np.int64)
    predicted[todo] = _solve(cands, qa[todo], qb[todo], qc[todo], method)

    correct = np.zeros(len(qa), dtype=bool)
    alternatives = analogy_set.alternatives
    for q in todo:
        guess = predicted[q]
        if guess < 0:
            continue
        if alternatives:
            accept = {cands.first.get(key(w)) for w in alternatives[q]}
            correct[q] = cands.canon(guess) in accept
        else:
            correct[q] = cands.canon(guess) == cands.canon(qd[q])  # a case variant of d is right

    return AnalogyResult(
        goldset=analogy_set.name,
        method=method,
        rows=_rows(analogy_set, answered, correct, dummy4unknown),
        predictions=tuple(cands.words[p] if p >= 0 else None for p in predicted),
        correct=tuple(correct.tolist()),
        dummy4unknown=dummy4unknown,
        n_candidates=len(cands),
        goldset_sha256=getattr(analogy_set, "sha256", None),
        vectors=getattr(vectors, "source", "<memory>"),
        **provenance,
    )


def _warn_if_partial(vectors, n_candidates: int, restrict_vocab) -> None:
    expected = vectors.vocab_size if restrict_vocab is None else min(restrict_vocab, vectors.vocab_size)
    if n_candidates < expected:
        warnings.warn(
            f"only {n_candidates} of the {expected} words ranked below {option('restrict_vocab')} are "
            f"loaded from {vectors.source}; analogy answers are searched among those only, which makes "
            "the task easier than gensim's. Load the whole vocabulary (load_vectors without words=) to "
            "compare.",
            UserWarning,
            stacklevel=3,
        )


def _rows(analogy_set, answered, correct, dummy4unknown) -> tuple[SectionScore, ...]:
    k = len(analogy_set.sections)
    sec = np.asarray(analogy_set.question_sections, dtype=np.int64)
    n_q = np.bincount(sec, minlength=k)
    n_a = np.bincount(sec, weights=answered, minlength=k).astype(int)
    n_c = np.bincount(sec, weights=correct, minlength=k).astype(int)

    def row(name, q, a, c):
        q, a, c = int(q), int(a), int(c)
        counted = q if dummy4unknown else a
        return SectionScore(name, q, a, c, c / counted if counted else math.nan)

    rows = [row(name, *counts) for name, *counts in zip(analogy_set.sections, n_q, n_a, n_c, strict=True)]
    rows.append(row(TOTAL, n_q.sum(), n_a.sum(), n_c.sum()))
    return tuple(rows)


def _solve(cands: _Candidates, qa, qb, qc, method: str) -> np.ndarray:
    """The predicted candidate position for each question (all words known)."""
    out = np.empty(len(qa), dtype=np.int64)
    if len(qa) == 0:
        return out
    exact = _gensim_add if method == "3cosadd" else _gensim_mul
    if len(cands) <= _TOPN + 3:  # too few words for the shortcut's assumptions
        return np.array([exact(cands, a, b, c) for a, b, c in zip(qa, qb, qc, strict=True)], dtype=np.int64)
    block = max(_BLOCK_QUESTIONS, _BLOCK_CELLS // len(cands))
    for start in range(0, len(qa), block):
        part = slice(start, start + block)
        guess, redo = _block(cands, qa[part], qb[part], qc[part], method)
        for j in np.flatnonzero(redo):
            q = start + j
            guess[j] = exact(cands, qa[q], qb[q], qc[q])
        out[part] = guess
    return out


def _masks(cands: _Candidates, qa, qb, qc):
    """(question, candidate) cells to exclude, by candidate: the question words and their case variants."""
    n = len(qa)
    qs = [np.arange(n)] * 3
    cols = [qa, qb, qc]
    if cands.variants:
        extra_q, extra_c = [], []
        for j, words in enumerate(zip(qa, qb, qc, strict=True)):
            own = {int(w) for w in words}
            for v in {v for w in own for v in cands.members(w)} - own:
                extra_q.append(j)
                extra_c.append(v)
        qs.append(np.array(extra_q, dtype=np.int64))
        cols.append(np.array(extra_c, dtype=np.int64))
    mask_q, mask_c = np.concatenate(qs), np.concatenate(cols)
    order = np.argsort(mask_c, kind="stable")
    return mask_q[order], mask_c[order]


def _tile_scores(unit_chunk, method, query):
    """Scores of a block of questions against a chunk of candidates (higher is better)."""
    if method == "3cosadd":
        return query @ unit_chunk.T
    # (1+cos_b)(1+cos_c) / (1+cos_a+2e): twice gensim's ratio, in five in-place passes.
    n = len(query) // 3
    cos = query @ unit_chunk.T
    plus_a, scores, plus_c = cos[:n], cos[n : 2 * n], cos[2 * n :]
    scores += 1
    plus_c += 1
    scores *= plus_c
    plus_a += 1 + 2 * COSMUL_EPSILON
    scores /= plus_a
    return scores


def _block(cands: _Candidates, qa, qb, qc, method: str):
    """Best candidate for a block of questions, and which of them need deciding the gensim way.

    The vocabulary is scanned in chunks, keeping each question's best score, where it
    is, and the runner-up's score.
    """
    n, unit = len(qa), cands.unit
    if method == "3cosadd":
        query = unit[qb] + unit[qc] - unit[qa]
        length = np.linalg.norm(query, axis=1, keepdims=True)
        query /= np.where(length > 0, length, 1)
    else:
        query = np.concatenate([unit[qa], unit[qb], unit[qc]])
    mask_q, mask_c = _masks(cands, qa, qb, qc)
    masked = np.empty(len(mask_q), dtype=np.float32)
    rows = np.arange(n)
    best = np.zeros(n, dtype=np.int64)
    top = np.full(n, -np.inf, dtype=np.float32)
    second = np.full(n, -np.inf, dtype=np.float32)
    width = max(1, _BLOCK_CELLS // n)
    for lo in range(0, len(cands), width):
        hi = min(lo + width, len(cands))
        scores = _tile_scores(unit[lo:hi], method, query)
        cells = slice(*np.searchsorted(mask_c, [lo, hi]))
        masked[cells] = scores[mask_q[cells], mask_c[cells] - lo]
        scores[mask_q[cells], mask_c[cells] - lo] = -np.inf
        zero = cands.zero_rows[(cands.zero_rows >= lo) & (cands.zero_rows < hi)]
        scores[:, zero - lo] = -np.inf  # gensim's 0/0 = NaN sorts last
        here = scores.argmax(axis=1)
        high = scores[rows, here]
        scores[rows, here] = -np.inf
        better = high > top  # on equal scores the earlier word stays first, as in argmax
        second = np.maximum(np.maximum(second, scores.max(axis=1)), np.where(better, top, high))
        best = np.where(better, here + lo, best)
        top = np.where(better, high, top)
    if method == "3cosadd":
        tol = np.full(n, TIE_MARGIN)
    else:  # a cosine error e moves the ratio by about e/2 times the sum of its factors' inverses
        shifted = [(1 + np.einsum("ij,ij->i", unit[q], unit[best])) / 2 for q in (qa, qb, qc)]
        with np.errstate(divide="ignore"):
            tol = 2 * TIE_MARGIN * top * sum(1 / (f + COSMUL_EPSILON) for f in shifted)
    near = ~(second < top - tol)  # also true for NaN or -inf scores
    # gensim looks at 5 words only; if question-word variants crowd them, redo.
    crowd = np.bincount(mask_q, weights=masked >= top[mask_q] - tol[mask_q], minlength=n) >= _TOPN
    return best, near | crowd


def _gensim_argsort(x, topn):
    """``gensim.matutils.argsort(x, topn, reverse=True)``, ties broken the same way."""
    x = -x
    if topn >= x.size:
        return np.argsort(x)[:topn]
    most_extreme = np.argpartition(x, topn)[:topn]
    return most_extreme.take(np.argsort(x.take(most_extreme)))


def _gensim_pick(cands: _Candidates, ranked, own) -> int:
    """evaluate_word_analogies: the first of the top 5 that is no variant of a question word."""
    ignore = {cands.canon(w) for w in own}
    predicted = -1
    for pos in ranked:
        predicted = int(pos)
        if cands.canon(predicted) not in ignore:
            break
    return predicted


def _gensim_add(cands: _Candidates, a, b, c) -> int:
    """One question exactly as ``most_similar(positive=[b, c], negative=[a], topn=5)``."""
    from scipy.linalg.blas import dnrm2, dscal  # gensim.matutils.unitvec's BLAS calls

    weights = np.array([1.0, 1.0, -1.0])
    mean = np.zeros(cands.raw.shape[1], dtype=cands.raw.dtype)
    total = 0
    for weight, pos in zip(weights, (b, c, a), strict=True):
        mean += weight * (cands.raw[pos] / cands.norms[pos])
        total += abs(weight)
    mean = mean / total
    length = dnrm2(mean)
    if length > 0.0:
        mean = dscal(1.0 / length, mean).astype(mean.dtype)
    mean = mean.astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        dists = np.dot(cands.raw, mean) / cands.norms
    own = [b, c, a]
    ranked = [i for i in _gensim_argsort(dists, _TOPN + len(own)) if i not in own][:_TOPN]
    return _gensim_pick(cands, ranked, own)


def _gensim_mul(cands: _Candidates, a, b, c) -> int:
    """One question exactly as ``most_similar_cosmul(positive=[b, c], negative=[a], topn=5)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = [cands.raw[pos] / cands.norms[pos] for pos in (b, c, a)]
        shifted = [(1 + np.dot(cands.raw, term) / cands.norms) / 2 for term in terms]
        dists = np.prod(shifted[:2], axis=0) / (np.prod(shifted[2:], axis=0) + COSMUL_EPSILON)
    own = {int(b), int(c), int(a)}
    ranked = [i for i in _gensim_argsort(dists, _TOPN + len(own)) if i not in own][:_TOPN]
    return _gensim_pick(cands, ranked, own)


DEFAULT_RESTRICT_VOCAB = 300000
"""What the analogy evaluator searches when ``restrict_vocab`` is not given (gensim's default)."""


class AnalogyEvaluator:
    """Accuracy on analogy sets, by 3CosAdd (``accuracy``) and 3CosMul (``accuracy_3cosmul``).

    Options
    -------
    oov : str
        ``drop`` leaves out questions with an unknown word (gensim's default); every
        other policy (``zero``, ``coverage``, ``mean``, ``subword``) counts them as wrong
        (gensim's ``dummy4unknown=True``): an answer cannot be made up for a missing word.
    case_sensitive, matching
        How words are matched, as for word pairs (default: the exact form first, else
        the most frequent case variant by ``casefold``), as ``w2veval analogies`` does.
    restrict_vocab : int, optional
        Only the first N words count. ``None`` means gensim's default, 300000, the
        default of ``w2veval analogies`` too (searching all 400k+ words of a large
        file costs a minute and mostly adds rare words as wrong answers); the result's
        ``restrict_vocab`` says which was used.

    The answer is searched among the loaded words, so the vectors must be loaded
    whole (``loads_full_vocabulary``), not only the set's words. Correlations do not
    apply: ``spearman``, ``pearson`` and ``kendall`` are NaN.
    """

    name = "analogy"
    loads_full_vocabulary = True

    def accepts(self, goldset: object) -> bool:
        return hasattr(goldset, "questions")

    def evaluate(
        self,
        vectors: WordVectors,
        goldset: AnalogySet,
        *,
        oov: str = "drop",
        case_sensitive: bool = False,
        matching: MatchRules | None = None,
        restrict_vocab: int | None = None,
        **_ignored: Any,
    ) -> dict[str, Any]:
        from ._pairs import OOV_POLICIES

        if oov not in OOV_POLICIES:
            raise W2VEvalError(f"unknown OOV policy {oov!r}; choose one of {', '.join(OOV_POLICIES)}")
        restrict_vocab = DEFAULT_RESTRICT_VOCAB if restrict_vocab is None else restrict_vocab
        rules = matching or MatchRules.from_options(case_sensitive)
        vectors, goldset, key, label = _prepare(vectors, goldset, restrict_vocab, True, rules)
        cands = _Candidates(vectors, restrict_vocab, key, rules)
        _warn_if_partial(vectors, len(cands), restrict_vocab)
        add, mul = (
            _score(
                vectors,
                cands,
                goldset,
                key,
                method,
                oov != "drop",
                restrict_vocab=restrict_vocab,
                matching=label,
            )
            for method in METHODS
        )
        return {
            "n_pairs": add.n_questions,
            "n_scored": add.n_answered,
            "coverage": add.coverage,
            "accuracy": add.accuracy,
            "accuracy_3cosmul": mul.accuracy,
            "n_correct": add.n_correct,
            "n_correct_3cosmul": mul.n_correct,
            "spearman": math.nan,
            "pearson": math.nan,
            "kendall": math.nan,
            "restrict_vocab": restrict_vocab,
        }
