"""The warnings that change how a score should be read, structured so that a caller can group them.

Scoring warns only when a number needs another reading: it is undefined, it stands on
too few pairs, on too small a part of the gold set, or its interval is too wide to rank
models. The thresholds are calibrated in ``docs/statistics.md``
(``benchmarks/warning_thresholds.py``); the pair and coverage thresholds are the ranking
rule's (:mod:`w2veval.scoring._ranking`), so a warned score is one a leaderboard leaves out.

Each warning is an :class:`UnreliableScoreWarning` carrying ``kind``, ``goldset``,
``vectors`` and ``detail``; :func:`summarise` turns many of them into one line per kind,
as the command line prints them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS

__all__ = ["KINDS", "MAX_CI_WIDTH", "MIN_COVERAGE", "MIN_SCORED", "UnreliableScoreWarning", "summarise"]

MIN_SCORED = MIN_RANK_PAIRS
"""Fewer scored pairs than this: a 95% interval of rho is 0.4 to 0.7 wide (GloVe, 30 pairs)."""
MIN_COVERAGE = MIN_RANK_COVERAGE
"""Below this coverage, the vocabulary's choice of pairs moves rho by 0.02 to 0.2: as much as
two real models differ, or more."""
MAX_CI_WIDTH = 0.2
"""A 95% interval of rho wider than this cannot separate models that differ as real ones do
(GloVe 50d and its 25-dimension cut differ by 0.002 to 0.105 across 11 English sets)."""

KINDS = {
    # kind: (heading of the summary, advice)
    "undefined": (
        "undefined score (NaN, null in JSON)",
        "the vectors know too few of their words, or a task has a class with fewer texts than folds",
    ),
    "few_pairs": (f"few pairs scored (fewer than {MIN_SCORED})", "treat these scores with care"),
    "low_coverage": (f"low coverage (below {MIN_COVERAGE:g})", "treat these scores with care"),
    "wide_interval": (
        f"confidence interval wider than {MAX_CI_WIDTH:g}",
        "too wide to tell apart models that differ by less",
    ),
}
"""Every kind of :class:`UnreliableScoreWarning`, with how a summary line reads."""


class UnreliableScoreWarning(UserWarning):
    """A score that must be read with care: undefined, on few pairs, low coverage, wide interval.

    The message is a full sentence; the attributes let a caller group warnings
    (:func:`summarise`).

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`: ``"undefined"``, ``"few_pairs"``, ``"low_coverage"``,
        ``"wide_interval"``.
    goldset : str
        The gold set's name.
    vectors : str
        The vectors' source.
    detail : str
        The number behind the warning, short (``"0.61"``, ``"12 of 65 pairs"``).
    """

    def __init__(
        self, message: str, *, kind: str = "", goldset: str = "", vectors: str = "", detail: str = ""
    ):
        super().__init__(message)
        self.kind, self.goldset, self.vectors, self.detail = kind, goldset, vectors, detail


def summarise(caught: Iterable[UnreliableScoreWarning]) -> list[str]:
    """One line per kind of warning, naming every gold set (and vectors) it concerns.

    Examples
    --------
    >>> w = [UnreliableScoreWarning("...", kind="low_coverage", goldset=g, vectors="v.txt", detail=d)
    ...      for g, d in (("rw", "0.61"), ("men", "0.74"))]
    >>> summarise(w)
    ['low coverage (below 0.8) on 2 gold sets of v.txt: rw (0.61), men (0.74); treat these scores with care']
    """
    groups: dict[str, list[UnreliableScoreWarning]] = {}
    for warning in caught:
        if warning.kind in KINDS:
            groups.setdefault(warning.kind, []).append(warning)
    lines = []
    for kind, (heading, advice) in KINDS.items():
        items = groups.get(kind)
        if not items:
            continue
        seen, unique = set(), []
        for w in items:  # the same set scored twice by the same vectors is one item
            if (w.goldset, w.vectors) not in seen:
                seen.add((w.goldset, w.vectors))
                unique.append(w)
        sources = {w.vectors for w in unique}
        of = f" of {next(iter(sources))}" if len(sources) == 1 else ""
        named = ", ".join(
            (w.goldset if of else f"{w.goldset} on {w.vectors}") + (f" ({w.detail})" if w.detail else "")
            for w in unique
        )
        count = f"{len(unique)} gold set{'' if len(unique) == 1 else 's'}"
        lines.append(f"{heading} on {count}{of}: {named}; {advice}")
    return lines
