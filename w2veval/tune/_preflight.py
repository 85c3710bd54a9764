"""Before the first trial: can the corpus, under the space's ``min_count``, cover the objective?

A trial trains on the words that occur at least ``min_count`` times; a gold-set pair is
scored only if both its words survive. On a small corpus, SageMaker's default range
(``min_count`` 20 to 50) leaves a vocabulary that knows a handful of pairs: most trials
fail (undefined objective) and the "best" stands on a few pairs. This check counts the
corpus's tokens once (streamed) and tells, per gold set, how many pairs survive the
smallest and the largest ``min_count`` of the space, before any training.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..scoring._pairs import MIN_PAIRS
from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS
from ._errors import TuneError

if TYPE_CHECKING:
    from .._typing import StrPath
    from ..matching import MatchRules
    from ..space import SearchSpace

__all__ = ["Coverage", "WordPairSet", "corpus_coverage", "min_count_range", "preflight"]


@runtime_checkable
class WordPairSet(Protocol):
    """What the check reads of a word-pair gold set (a :class:`~w2veval.GoldSet`): its pairs' words."""

    @property
    def name(self) -> str: ...

    @property
    def word1(self) -> Sequence[str]: ...

    @property
    def word2(self) -> Sequence[str]: ...


def min_count_range(space: SearchSpace, fixed_min_count: int) -> tuple[int, int]:
    """The smallest and largest ``min_count`` a trial of ``space`` trains with.

    Examples
    --------
    >>> from w2veval.space import Categorical, Integer, SearchSpace
    >>> min_count_range(SearchSpace([Integer("min_count", 20, 50)]), 5)
    (20, 50)
    >>> min_count_range(SearchSpace([Categorical("min_count", (2, 10, 5))]), 5)
    (2, 10)
    >>> min_count_range(SearchSpace([Integer("epochs", 1, 5)]), 5)
    (5, 5)
    """
    if "min_count" not in space:
        return fixed_min_count, fixed_min_count
    r = space["min_count"]
    if hasattr(r, "values"):
        values = [int(v) for v in r.values]
        return min(values), max(values)
    return math.ceil(r.low), math.floor(r.high)


@dataclass
class Coverage:
    """The corpus's vocabulary against the objective's gold sets, for any ``min_count``.

    ``thresholds[name]`` holds, per pair of gold set ``name``, the largest ``min_count``
    under which both its words survive (0 when a word never occurs): the pair is scored
    exactly when ``min_count <= threshold``.
    """

    distinct: int
    counts: list[int] = field(repr=False)  # the count of every distinct word (match key), descending
    thresholds: dict[str, list[int]] = field(repr=False)

    def vocabulary(self, min_count: int) -> int:
        """Words that survive ``min_count``."""
        return sum(1 for c in self.counts if c >= max(min_count, 1))

    def n_scored(self, name: str, min_count: int) -> int:
        """Pairs of gold set ``name`` scored under ``min_count``."""
        return sum(1 for t in self.thresholds[name] if t >= max(min_count, 1))

    def largest_min_count(self, name: str, need: int) -> int:
        """The largest ``min_count`` that leaves ``need`` pairs of ``name`` scored (0: none does)."""
        ordered = sorted(self.thresholds[name], reverse=True)
        return ordered[need - 1] if 0 < need <= len(ordered) else 0


def corpus_coverage(
    corpus: StrPath, goldsets: Iterable[WordPairSet], *, rules: MatchRules | None = None
) -> Coverage:
    """Count the tokens of ``corpus`` (a file or folder, streamed) and match them to ``goldsets``.

    Tokens are matched to gold-set words by the scoring's rules (case-folded, NFC,
    phrases), as a trained model's words are.
    """
    from ..matching import MatchRules
    from ..sagemaker._train import Corpus

    rules = rules or MatchRules.from_options(False)
    counts: Counter[str] = Counter()
    for tokens in Corpus(corpus):
        counts.update(tokens)
    by_key: dict[str, int] = {}
    for word, count in counts.items():  # a key survives when its most frequent form does
        key = rules.key(word)
        if count > by_key.get(key, 0):
            by_key[key] = count
    thresholds: dict[str, list[int]] = {}
    for goldset in goldsets:
        thresholds[goldset.name] = [
            min(by_key.get(rules.key(a), 0), by_key.get(rules.key(b), 0))
            for a, b in zip(goldset.word1, goldset.word2, strict=True)
        ]
    return Coverage(distinct=len(counts), counts=sorted(counts.values(), reverse=True), thresholds=thresholds)


def _how(searched: bool, largest: int) -> str:
    """How a command-line user sets that ``min_count`` (nothing for a Python caller)."""
    from ..errors import for_cli

    if not for_cli():
        return ""
    return (
        f" (--range min_count=1:{largest})" if searched and largest > 1 else f" (--set min_count={largest})"
    )


def _need(n_pairs: int, min_pairs: int, min_coverage: float) -> int:
    """Pairs a gold set of ``n_pairs`` must have scored to pass the ranking rule."""
    return max(min_pairs, math.ceil(min_coverage * n_pairs - 1e-9))


def preflight(
    corpus: StrPath,
    goldsets: Sequence[WordPairSet],
    space: SearchSpace,
    fixed_min_count: int,
    *,
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
    coverage: Coverage | None = None,
) -> str | None:
    """Check ``corpus`` against the space's ``min_count`` range and the objective's gold sets.

    Returns
    -------
    str or None
        A one-line warning when part (or all) of the range leaves a gold set with too few
        pairs to rank a trial (:mod:`w2veval.scoring._ranking`), naming the range that
        works; None when every trial may rank.

    Raises
    ------
    TuneError
        No trial could be scored: even the smallest ``min_count`` leaves an empty
        vocabulary, or a gold set with fewer than two pairs (an undefined correlation).
        The message names what to change.
    """
    coverage = coverage or corpus_coverage(corpus, goldsets)
    low, high = min_count_range(space, fixed_min_count)
    name = os.path.basename(os.path.normpath(os.fspath(corpus)))
    searched = low != high

    def state(min_count: int, names: list[str]) -> str:
        worst = min(
            names, key=lambda g: coverage.n_scored(g, min_count) / max(len(coverage.thresholds[g]), 1)
        )
        return (
            f"{name} has {coverage.distinct:,} distinct words; with min_count "
            f"{'up to ' if searched and min_count == high else ''}{min_count} only "
            f"{coverage.vocabulary(min_count):,} survive and {worst} has "
            f"{coverage.n_scored(worst, min_count):,} of {len(coverage.thresholds[worst]):,} pairs covered"
        )

    names = list(coverage.thresholds)
    defined = min((coverage.largest_min_count(g, MIN_PAIRS) for g in names), default=0)
    if coverage.vocabulary(low) == 0 or low > defined:
        fix = (
            f"lower the min_count {'range ' if searched else ''}to ≤ {defined}{_how(searched, defined)}"
            if defined >= 1
            else "use a larger corpus, or gold sets whose words it contains"
        )
        raise TuneError(f"{state(low, names)}: no trial can be scored; {fix}")
    needs = {g: _need(len(coverage.thresholds[g]), min_pairs, min_coverage) for g in names}
    rankable = min((coverage.largest_min_count(g, needs[g]) for g in names), default=0)
    if high <= rankable:
        return None
    rule = f"a trial ranks with {min_pairs} pairs and coverage {min_coverage:g} on each gold set"
    if low > rankable:
        found = f"no trial can rank ({rule})"
    else:
        found = f"trials with min_count above {rankable} cannot rank ({rule})"
    if high > defined:
        found += f", and above {defined} none can be scored (fewer than {MIN_PAIRS} pairs)"
    if rankable >= 1:
        fix = (
            f"lower the min_count {'range ' if searched else ''}to ≤ {rankable}{_how(searched, rankable)} "
            "or use a larger corpus"
        )
    elif high > defined:
        fix = (
            f"lower the min_count {'range ' if searched else ''}to ≤ {defined}{_how(searched, defined)} "
            "for trials to be scored, "
            "and use a larger corpus (or gold sets its words cover) for them to rank"
        )
    else:
        fix = "use a larger corpus, or gold sets its words cover"
    return f"{state(high, names)}: {found}; {fix}"
