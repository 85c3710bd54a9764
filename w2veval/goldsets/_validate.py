"""Checking a gold set before anyone tunes on it: :func:`validate`.

A gold set that is too small, full of ties, or full of words the vectors do not
know gives Spearman correlations that cannot tell two models apart. These checks
say so before the tuning run does, each with the lines at fault.
"""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import GoldSetFormatError, option
from ..matching import word_key
from ._goldset import GoldSet

if TYPE_CHECKING:
    from .._typing import StrPath, VectorsSource

__all__ = [
    "MAX_MISSING_SHARE",
    "MAX_TIE_SHARE",
    "MIN_PAIRS",
    "Issue",
    "ValidationFailedError",
    "ValidationReport",
    "spearman_ci",
    "validate",
]

MIN_PAIRS = 100  # below this a 95% CI of rho is wider than ~0.25 (see spearman_ci)
# "Many ties": more than half the pairs share their score with another pair AND there are
# fewer distinct scores than n/4 (WS-353's means have 57% tied pairs but 232 distinct
# scores for 353 pairs; one rater on a 0-10 half-point scale gives 21 at most).
MAX_TIE_SHARE = 0.5
MAX_MISSING_SHARE = 0.10  # more than 10% of the pairs have a word the vectors lack
_TYPICAL_RHO = 0.6  # a typical rho of good embeddings on WS-353-like sets, for the CI message
_Z_975 = 1.959963984540054  # the 97.5% quantile of the standard normal


def spearman_ci(rho: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Approximate confidence interval of a correlation, by Fisher's z transform.

    ``tanh(atanh(rho) ± z / sqrt(n - 3))``, the textbook formula for Pearson's r,
    used here for Spearman's rho as well (Fieller, Hartley & Pearson's 1957
    refinement multiplies the variance by 1.06, widening the interval by ~3%).

    Examples
    --------
    >>> [round(x, 3) for x in spearman_ci(0.6, 50)]
    [0.386, 0.753]
    """
    if n <= 3:
        raise ValueError(f"a confidence interval needs n > 3 pairs, got n={n}")
    if not -1 < rho < 1:
        raise ValueError(f"rho must lie strictly between -1 and 1, got {rho}")
    if level == 0.95:
        z = _Z_975
    else:
        from scipy.special import ndtri

        z = float(ndtri(0.5 + level / 2))
    half = z / math.sqrt(n - 3)
    centre = math.atanh(rho)
    return math.tanh(centre - half), math.tanh(centre + half)


class ValidationFailedError(GoldSetFormatError):
    """:func:`validate` with ``strict=True`` found an issue; ``report`` holds all of them."""

    def __init__(self, message: str, *, path: str | None, line: int | None, report: ValidationReport) -> None:
        super().__init__(message, path=path, line=line)
        self.report = report


@dataclass(frozen=True)
class Issue:
    """One finding: ``severity`` is ``"error"`` or ``"warning"``; ``code`` is stable."""

    severity: str
    code: str
    message: str
    lines: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "lines": list(self.lines),
        }


@dataclass
class ValidationReport:
    """What :func:`validate` found. Counts are ``n_*``, fractions in [0, 1] are ``*_share``.

    Attributes
    ----------
    name, source : str
        The gold set's name and the file (or description) it came from.
    n_pairs, n_words : int
        Rows, and distinct words (by :func:`~w2veval.matching.word_key`).
    scale : (low, high) or None
        The declared score range; ``None`` when none was declared.
    score_min, score_max : float
        The observed score range.
    out_of_scale : list of dict
        ``{"line", "word1", "word2", "score"}`` of each score outside ``scale``.
    duplicates : list of dict
        One entry per pair listed more than once, in either order and in any case:
        ``{"word1", "word2", "lines", "scores", "reversed", "conflicting"}``.
    self_pairs : list of dict
        ``{"line", "word1", "word2", "score"}`` of each pair of a word with itself.
    vocabulary_checked : bool
        Whether a vocabulary was given; the next three fields are empty if not.
    missing_words : list of str
        Gold-set words (as written) that the vocabulary lacks, case-insensitively.
    missing_pair_lines : list of int
        Lines of the pairs with at least one missing word.
    missing_pair_share : float or None
        ``len(missing_pair_lines) / n_pairs``.
    quartiles : (q1, median, q3)
        Of the scores, linear interpolation (numpy's default).
    histogram, histogram_edges : list
        Counts over 10 equal bins spanning ``scale`` (or the observed range);
        scores outside ``scale`` are not counted.
    tie_share : float
        Share of pairs whose score equals that of at least one other pair.
    n_distinct_scores : int
        Number of different score values.
    issues : list of Issue
        Errors first, then warnings, each group by line.
    """

    name: str
    source: str
    n_pairs: int
    n_words: int
    scale: tuple[float, float] | None
    score_min: float
    score_max: float
    out_of_scale: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]
    self_pairs: list[dict[str, Any]]
    vocabulary_checked: bool
    missing_words: list[str]
    missing_pair_lines: list[int]
    missing_pair_share: float | None
    quartiles: tuple[float, float, float]
    histogram: list[int]
    histogram_edges: list[float]
    tie_share: float
    n_distinct_scores: int
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no issue has severity ``"error"``."""
        return not any(issue.severity == "error" for issue in self.issues)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able types only (lists, not tuples; ``None`` for "not checked")."""
        return {
            "name": self.name,
            "source": self.source,
            "ok": self.ok,
            "n_pairs": self.n_pairs,
            "n_words": self.n_words,
            "scale": None if self.scale is None else [float(x) for x in self.scale],
            "score_min": self.score_min,
            "score_max": self.score_max,
            "out_of_scale": [dict(item) for item in self.out_of_scale],
            "duplicates": [
                {**item, "lines": list(item["lines"]), "scores": list(item["scores"])}
                for item in self.duplicates
            ],
            "self_pairs": [dict(item) for item in self.self_pairs],
            "vocabulary_checked": self.vocabulary_checked,
            "missing_words": list(self.missing_words),
            "missing_pair_lines": list(self.missing_pair_lines),
            "missing_pair_share": self.missing_pair_share,
            "quartiles": list(self.quartiles),
            "histogram": list(self.histogram),
            "histogram_edges": list(self.histogram_edges),
            "tie_share": self.tie_share,
            "n_distinct_scores": self.n_distinct_scores,
            "issues": [issue.to_dict() for issue in self.issues],
        }

    def to_text(self) -> str:
        """A summary for people: the numbers, then one line per issue."""
        scale = "not declared" if self.scale is None else f"{self.scale[0]:g}–{self.scale[1]:g}"
        q1, q2, q3 = self.quartiles
        out = [
            f"{self.name}: {self.n_pairs} pairs, {self.n_words} distinct words ({self.source})",
            f"  scores     {self.score_min:g} to {self.score_max:g}; scale {scale}",
            f"  quartiles  {q1:.3g} / {q2:.3g} / {q3:.3g}; tied scores {self.tie_share:.0%} of pairs "
            f"({self.n_distinct_scores} distinct)",
            f"  histogram  {' '.join(map(str, self.histogram))}  "
            f"(10 bins, {self.histogram_edges[0]:g} to {self.histogram_edges[-1]:g})",
            f"  duplicates {len(self.duplicates)}; self-pairs {len(self.self_pairs)}; "
            f"outside scale {len(self.out_of_scale)}",
        ]
        if self.vocabulary_checked:
            shown = ", ".join(self.missing_words[:10]) + (", ..." if len(self.missing_words) > 10 else "")
            out.append(
                f"  vocabulary {len(self.missing_words)} unknown words in "
                f"{len(self.missing_pair_lines)} pairs ({self.missing_pair_share:.0%})"
                + (f": {shown}" if shown else "")
            )
        if not self.issues:
            out.append("no issues found")
        for issue in self.issues:
            lines = _lines_text(issue.lines)
            out.append(f"{issue.severity}: {issue.message}" + (f" [{lines}]" if lines else ""))
        return "\n".join(out)


def validate(
    goldset_or_path: GoldSet | StrPath,
    *,
    vocabulary: Iterable[str] | VectorsSource | None = None,
    strict: bool = False,
    scale: tuple[float, float] | None = None,
    progress: bool = False,
) -> ValidationReport:
    """Check a gold set for what makes its correlations unreliable.

    Warnings: fewer than :data:`MIN_PAIRS` pairs (the CI of rho is too wide to tell
    models apart), many ties (more than :data:`MAX_TIE_SHARE` of the pairs tied, and
    fewer distinct scores than a quarter of the pairs), more than
    :data:`MAX_MISSING_SHARE` of the pairs with a word the vocabulary lacks,
    self-pairs, and pairs listed twice (in either order, or with the same score).
    Errors: scores outside the declared scale, and a pair listed twice in the
    same order with different scores. Words are compared with
    :func:`~w2veval.matching.word_key` (NFC, case-folded).

    Parameters
    ----------
    goldset_or_path : GoldSet, str or os.PathLike
        A gold set, a built-in name, or a file (read with every row kept, so that
        repeated pairs are reported here rather than raised by the reader).
    vocabulary : optional
        The words a model knows: an iterable of words, a
        :class:`~w2veval.WordVectors`, a gensim KeyedVectors, a vocabulary file
        (one word per line, optionally followed by a count), or any vectors source
        :func:`~w2veval.load_vectors` reads. Words a fastText model would build from
        subwords still count as missing.
    strict : bool, default False
        Raise on any issue, warnings included.
    scale : (low, high), optional
        The declared score range, for a file; a :class:`GoldSet` brings its own.
    progress : bool, default False
        A progress bar on stderr while a vectors ``vocabulary`` is read (after a second).

    Returns
    -------
    ValidationReport

    Raises
    ------
    GoldSetFormatError
        With ``strict=True``, if there is any issue: the first one (errors before
        warnings), naming the file and its first line, as a :class:`ValidationFailedError`
        (a subclass) with the report attached as ``exc.report``. Always, if the file
        cannot be read as pairs at all.

    Examples
    --------
    >>> gs = GoldSet.from_pairs([("cat", "dog", 7), ("dog", "cat", 7), ("cat", "cat", 10)],
    ...                         name="toy", duplicates="keep", scale=(0, 10))
    >>> report = validate(gs, vocabulary=["Cat", "dog"])
    >>> report.n_pairs, len(report.duplicates), len(report.self_pairs), report.missing_words
    (3, 1, 1, [])
    >>> [issue.code for issue in report.issues]
    ['few_pairs', 'duplicate', 'self_pair']
    """
    goldset = _as_goldset(goldset_or_path)
    scale = goldset.scale if scale is None else scale
    scores = [float(s) for s in goldset.scores]
    n = len(scores)
    keys1 = [word_key(w) for w in goldset.word1]
    keys2 = [word_key(w) for w in goldset.word2]
    issues: list[Issue] = []

    out_of_scale: list[dict[str, Any]] = []
    if scale is not None:
        low, high = scale
        out_of_scale = [_row(goldset, i) for i in range(n) if not low <= scores[i] <= high]
        if out_of_scale:
            issues.append(
                Issue(
                    "error",
                    "out_of_scale",
                    f"{len(out_of_scale)} score(s) outside the declared scale {low:g}–{high:g}, "
                    f"e.g. {out_of_scale[0]['score']:g} for {out_of_scale[0]['word1']}–"
                    f"{out_of_scale[0]['word2']}; fix the scores or the declared scale",
                    tuple(item["line"] for item in out_of_scale),
                )
            )

    duplicates = _duplicates(goldset, keys1, keys2)
    for item in duplicates:
        same_order_conflict = item["conflicting"] and not item["reversed"]
        what = "with conflicting scores" if item["conflicting"] else "with the same score, so it counts twice"
        how = " (in the reversed order)" if item["reversed"] else ""
        issues.append(
            Issue(
                "error" if same_order_conflict else "warning",
                "duplicate",
                f"{item['word1']}–{item['word2']} is listed {len(item['lines'])} times{how} {what} "
                f"({', '.join(f'{s:g}' for s in item['scores'])}); keep one row",
                tuple(item["lines"]),
            )
        )

    self_pairs = [_row(goldset, i) for i in range(n) if keys1[i] == keys2[i]]
    for item in self_pairs:
        issues.append(
            Issue(
                "warning",
                "self_pair",
                f"{item['word1']}–{item['word2']} pairs a word with itself: every model scores it "
                "1.0, so it only measures the scale's top; drop it",
                (item["line"],),
            )
        )

    missing_words: list[str] = []
    missing_lines: list[int] = []
    missing_share = None
    if vocabulary is not None:
        known = _vocabulary_keys(vocabulary, goldset.words, progress)
        missing_keys = {k for k in keys1 + keys2 if k not in known}
        missing_words = sorted(
            {
                w
                for w, k in zip(goldset.word1 + goldset.word2, keys1 + keys2, strict=True)
                if k in missing_keys
            }
        )
        missing_lines = [
            goldset.lines[i] for i in range(n) if keys1[i] in missing_keys or keys2[i] in missing_keys
        ]
        missing_share = len(missing_lines) / n
        if missing_share > MAX_MISSING_SHARE:
            issues.append(
                Issue(
                    "warning",
                    "missing_words",
                    f"{len(missing_lines)} of {n} pairs ({missing_share:.0%}) have a word the "
                    f"vocabulary lacks ({len(missing_words)} words, e.g. "
                    f"{', '.join(missing_words[:5])}); the score then rests on the other pairs "
                    "only, and models with different vocabularies are scored on different pairs",
                    tuple(missing_lines),
                )
            )

    counts = Counter(scores)
    tie_share = sum(c for c in counts.values() if c > 1) / n
    if n < MIN_PAIRS:
        lo, hi = spearman_ci(_TYPICAL_RHO, max(n, 4))
        lo50, hi50 = spearman_ci(_TYPICAL_RHO, 50)
        issues.append(
            Issue(
                "warning",
                "few_pairs",
                f"only {n} pairs: too few to tell models apart. By Fisher's z, the 95% "
                f"confidence interval of a Spearman rho of {_TYPICAL_RHO} is {lo:.2f}–{hi:.2f} at "
                f"n={max(n, 4)} (at n=50: {lo50:.2f}–{hi50:.2f}, width {hi50 - lo50:.2f}); aim "
                f"for at least 200 pairs",
            )
        )
    if tie_share > MAX_TIE_SHARE and len(counts) < n / 4:
        issues.append(
            Issue(
                "warning",
                "ties",
                f"{tie_share:.0%} of the pairs share their score with another pair "
                f"({len(counts)} distinct scores): Spearman cannot rank tied pairs; average "
                "more raters or use a finer scale",
            )
        )

    q1, median, q3 = _percentiles(scores, (25, 50, 75))
    histogram, edges = _histogram(scores, scale)
    issues.sort(key=lambda i: (i.severity != "error", i.lines[0] if i.lines else 0))
    report = ValidationReport(
        name=goldset.name,
        source=goldset.source,
        n_pairs=n,
        n_words=len(set(keys1) | set(keys2)),
        scale=scale,
        score_min=min(scores),
        score_max=max(scores),
        out_of_scale=out_of_scale,
        duplicates=duplicates,
        self_pairs=self_pairs,
        vocabulary_checked=vocabulary is not None,
        missing_words=missing_words,
        missing_pair_lines=missing_lines,
        missing_pair_share=missing_share,
        quartiles=(q1, median, q3),
        histogram=histogram,
        histogram_edges=edges,
        tie_share=tie_share,
        n_distinct_scores=len(counts),
        issues=issues,
    )
    if strict and issues:
        first = issues[0]
        more = len(issues) - 1
        path = goldset.source if goldset.sha256 is not None else None  # None: not from a file
        raise ValidationFailedError(
            f"{first.message}"
            + (
                f" (and {more} more issue{'s' if more > 1 else ''}; "
                f"run without {option('strict', True)} to see them all)"
                if more
                else ""
            ),
            path=path,
            line=first.lines[0] if first.lines else None,
            report=report,
        )
    return report


def _as_goldset(spec: object) -> GoldSet:
    if isinstance(spec, GoldSet):
        return spec
    from . import catalog, load  # the package's resolver: a catalogued name, else a file

    if isinstance(spec, str) and (spec in catalog() or not os.path.exists(spec)):
        loaded = load(spec)  # a catalogued name, or a "did you mean" error
        if not isinstance(loaded, GoldSet):
            raise GoldSetFormatError(
                f"the catalogued set {spec!r} is a {type(loaded).__name__}, not word pairs; "
                "validate checks word-pair gold sets (word1, word2, score) only"
            )
        return loaded
    if not isinstance(spec, (str, os.PathLike)):
        raise TypeError(f"validate() takes a GoldSet, a built-in name or a path, got {type(spec).__name__}")
    # every row kept and no scale given: validate reports repeats and out-of-scale rows itself
    return GoldSet.from_file(spec, duplicates="keep")


def _row(goldset: GoldSet, i: int) -> dict[str, Any]:
    return {
        "line": goldset.lines[i],
        "word1": goldset.word1[i],
        "word2": goldset.word2[i],
        "score": goldset.scores[i],
    }


def _duplicates(goldset: GoldSet, keys1: list[str], keys2: list[str]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (a, b) in enumerate(zip(keys1, keys2, strict=True)):
        groups[(a, b) if a <= b else (b, a)].append(i)
    out = []
    for rows in groups.values():
        if len(rows) < 2:
            continue
        first = rows[0]
        scores = [goldset.scores[i] for i in rows]
        out.append(
            {
                "word1": goldset.word1[first],
                "word2": goldset.word2[first],
                "lines": [goldset.lines[i] for i in rows],
                "scores": scores,
                "reversed": any(keys1[i] != keys1[first] for i in rows),
                "conflicting": len(set(scores)) > 1,
            }
        )
    return sorted(out, key=lambda item: item["lines"][0])


def _vocabulary_keys(
    vocabulary: Iterable[str] | VectorsSource, wanted: Iterable[str], progress: bool = False
) -> set[str]:
    """The word keys of ``vocabulary`` (loading from a vectors file only the wanted words)."""
    from ..vectors import WordVectors

    if isinstance(vocabulary, WordVectors):
        return {word_key(w) for w in vocabulary.words}
    if isinstance(vocabulary, (str, bytes, os.PathLike)):
        from ._template import is_vocabulary_file, read_vocabulary_file

        if isinstance(vocabulary, (str, os.PathLike)) and is_vocabulary_file(vocabulary):
            return {word_key(w) for w in read_vocabulary_file(vocabulary)}
        from ..io import load_vectors

        return {
            word_key(w)
            for w in load_vectors(vocabulary, words=wanted, case_sensitive=False, progress=progress).words
        }
    from ..io._memory import is_in_memory

    if is_in_memory(vocabulary):
        from ..io import load_vectors

        return {word_key(w) for w in load_vectors(vocabulary, words=wanted, case_sensitive=False).words}
    words = list(vocabulary)
    bad = next((w for w in words if not isinstance(w, str)), None)
    if bad is not None:
        raise TypeError(f"vocabulary must hold words (str), found {type(bad).__name__} {bad!r}")
    return {word_key(w) for w in words}


def _percentiles(values: Sequence[float], qs: Sequence[float]) -> tuple[float, ...]:
    import numpy as np

    scaled, exponent = _scaled(values)
    return tuple(math.ldexp(float(x), exponent) for x in np.percentile(np.asarray(scaled), qs))


def _histogram(values: Sequence[float], scale: tuple[float, float] | None) -> tuple[list[int], list[float]]:
    import numpy as np

    low, high = (min(values), max(values)) if scale is None else scale
    if high <= low:  # every score equal: a range around it, unit-wide unless the value is huge
        half = max(0.5, abs(low) * 2.0**-20)
        low, high = low - half, high + half
    (scaled_low, scaled_high, *scaled), exponent = _scaled([low, high, *values])
    counts, edges = np.histogram(np.asarray(scaled), bins=10, range=(scaled_low, scaled_high))
    return [int(c) for c in counts], [math.ldexp(float(e), exponent) for e in edges]


def _scaled(values: Sequence[float]) -> tuple[list[float], int]:
    """``values`` times a power of two that keeps their differences finite, and its exponent.

    Scores near the largest float (1.7e308) overflow when subtracted; scaling by a power
    of two is exact, so quartiles and bin edges are those of the unscaled scores.
    """
    largest = max(abs(float(v)) for v in values)
    exponent = math.frexp(largest)[1] - 1 if largest > 2.0**1000 else 0
    return [math.ldexp(float(v), -exponent) for v in values], exponent


def _lines_text(lines: Sequence[int]) -> str:
    if not lines:
        return ""
    shown = ", ".join(map(str, lines[:8]))
    return ("line " if len(lines) == 1 else "lines ") + shown + (", ..." if len(lines) > 8 else "")
