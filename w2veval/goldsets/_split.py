"""Held-out splits of a gold set: tune on one part, report on the other.

Tuning word2vec on a gold set and reporting the score on the same set overstates
it. :func:`split` cuts a set in two, stratified by human score so that both parts
cover the whole range; :func:`tuning_split` prefers the authors' own dev/test split
where the catalog has one (SimVerb-3500, MEN).
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..errors import W2VEvalError, option
from ._goldset import GoldSet

if TYPE_CHECKING:
    from .._typing import AnyGoldSet, GoldSetSpec

__all__ = ["published_split", "split", "tuning_split"]


class SplitError(W2VEvalError, ValueError):
    """A split that would leave no pair on one side, or of a set that is not word pairs."""


def _check_test_size(test_size: object) -> float:
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float)) or not 0 < float(test_size) < 1:
        raise ValueError(f"test_size must be a fraction strictly between 0 and 1, got {test_size!r}")
    return float(test_size)


def _heldout_positions(
    scores: Sequence[float], test_size: float, seed: int | np.random.SeedSequence
) -> np.ndarray:
    """Boolean mask of the held-out pairs, stratified by score."""
    n = len(scores)
    order = np.lexsort((np.arange(n), np.asarray(scores, dtype=np.float64)))  # by score, then position
    # Bins of ~1/test_size consecutive pairs (1/(1 - test_size) above one half), so each bin
    # holds about one pair of the smaller part; the bin's share is fixed by cumulative
    # rounding, which makes the held-out count round(test_size * n) exactly.
    width = max(2, round(1 / min(test_size, 1 - test_size)))
    rng = np.random.default_rng(seed)
    heldout = np.zeros(n, dtype=bool)
    for start in range(0, n, width):
        stop = min(start + width, n)
        k = math.floor(test_size * stop + 0.5) - math.floor(test_size * start + 0.5)
        if k:
            heldout[order[start + rng.choice(stop - start, size=k, replace=False)]] = True
    return heldout


def _subset(goldset: GoldSet, mask: np.ndarray, part: str, how: str) -> GoldSet:
    keep = np.flatnonzero(mask).tolist()
    return dataclasses.replace(
        goldset,
        name=f"{goldset.name}:{part}",
        word1=tuple(goldset.word1[i] for i in keep),
        word2=tuple(goldset.word2[i] for i in keep),
        scores=tuple(goldset.scores[i] for i in keep),
        lines=tuple(goldset.lines[i] for i in keep),
        sha256=None,  # the digest names the whole file, not this part of it
        source=f"{goldset.source or goldset.name} ({part} part of {how})",
    )


def split(
    goldset: GoldSet, test_size: float = 0.5, seed: int | np.random.SeedSequence = 0
) -> tuple[GoldSet, GoldSet]:
    """Cut ``goldset`` into a tuning part and a held-out part, stratified by human score.

    The pairs are sorted by score (ties by position) and cut into consecutive bins of
    about ``1 / test_size`` pairs; the seeded random generator picks the held-out pairs
    within each bin. Both parts therefore span the score range alike, and the same
    ``(goldset, test_size, seed)`` always gives the same parts.

    Parameters
    ----------
    goldset : GoldSet
    test_size : float, default 0.5
        The held-out share, strictly between 0 and 1; the held-out part has
        ``round(test_size * n_pairs)`` pairs.
    seed : int or numpy SeedSequence, default 0
        Seeds :func:`numpy.random.default_rng`.

    Returns
    -------
    (GoldSet, GoldSet)
        ``<name>:tune`` and ``<name>:heldout``: disjoint, together the original pairs,
        each in the original order with the original line numbers and metadata
        (``sha256`` is ``None``: the digest belongs to the whole file).

    Raises
    ------
    ValueError
        If ``test_size`` is not in (0, 1), or either part would be empty.

    Examples
    --------
    >>> from w2veval import GoldSet
    >>> gold = GoldSet.from_pairs([(f"w{i}", f"v{i}", i % 7) for i in range(10)], name="toy")
    >>> tune, heldout = split(gold, test_size=0.3, seed=1)
    >>> tune.name, len(tune), heldout.name, len(heldout)
    ('toy:tune', 7, 'toy:heldout', 3)
    >>> sorted(tune.pairs + heldout.pairs) == sorted(gold.pairs)
    True
    """
    test_size = _check_test_size(test_size)
    n = len(goldset.scores)
    n_heldout = math.floor(test_size * n + 0.5)
    if n_heldout < 1 or n_heldout > n - 1:
        raise SplitError(
            f"{goldset.name}: {option('test_size', test_size)} of {n} pairs leaves "
            f"{'no held-out pair' if n_heldout < 1 else 'no pair to tune on'}; "
            f"choose a {option('test_size')} nearer one half or a larger gold set"
        )
    heldout = _heldout_positions(goldset.scores, test_size, seed)
    how = f"{goldset.name} split with test_size={test_size}, seed={seed!r}"
    return _subset(goldset, ~heldout, "tune", how), _subset(goldset, heldout, "heldout", how)


def published_split(name: str) -> tuple[str, str] | None:
    """``(dev name, test name)`` of the authors' split of catalogued set ``name``, if any.

    Examples
    --------
    >>> published_split("simverb3500"), published_split("men-lemma"), published_split("ws353")
    (('simverb3500-dev', 'simverb3500-test'), ('men-dev', 'men-test'), None)
    """
    from ._catalog import catalog

    parts = {
        item.split: n
        for n, item in catalog().items()
        if item.parent == name and item.split in ("dev", "test")
    }
    return (parts["dev"], parts["test"]) if set(parts) == {"dev", "test"} else None


def tuning_split(
    name_or_goldset: GoldSetSpec, test_size: float = 0.5, seed: int | np.random.SeedSequence = 0
) -> tuple[GoldSet, GoldSet]:
    """The gold set to tune on and the one to report on.

    Where the catalog records the authors' dev/test split of the set, that split is
    used, whatever ``test_size`` and ``seed``: ``simverb3500`` gives
    ``simverb3500-dev`` (500 pairs) to tune on and ``simverb3500-test`` (3000) held
    out; ``men-lemma`` gives ``men-dev`` (2000) and ``men-test`` (1000). Both keep their
    catalogued names and checksums. Any other set is cut by :func:`split`.

    Parameters
    ----------
    name_or_goldset : str, os.PathLike or GoldSet
        A catalogued name, a file path, or a gold set. A ``GoldSet`` uses the published
        split only when it is the catalogued file itself (same name and sha256).
    test_size, seed
        As for :func:`split`, when there is no published split.

    Returns
    -------
    (GoldSet, GoldSet)
        ``(tune, heldout)``.

    Raises
    ------
    GoldSetNotInstalledError
        The set has a published split whose files are not installed (run
        ``w2veval goldsets fetch`` for the two parts).
    """
    from . import load

    _check_test_size(test_size)
    published = _published_for(name_or_goldset)
    if published is not None:
        return _word_pairs(load(published[0])), _word_pairs(load(published[1]))
    goldset = _word_pairs(load(name_or_goldset))
    return split(goldset, test_size=test_size, seed=seed)


def _word_pairs(goldset: AnyGoldSet) -> GoldSet:
    """``goldset`` itself if it is a word-pair set; the other kinds have no scores to split by."""
    if not isinstance(goldset, GoldSet):
        raise SplitError(
            f"{goldset.name}: a held-out split cuts word-pair gold sets only, and this is a "
            f"{type(goldset).__name__}"
        )
    return goldset


def _published_for(spec: GoldSetSpec) -> tuple[str, str] | None:
    from ._catalog import catalog

    if isinstance(spec, str) and spec in catalog():
        return published_split(spec)
    name = getattr(spec, "name", None)
    if isinstance(spec, (str, os.PathLike)) or not isinstance(name, str) or name not in catalog():
        return None
    catalogued = {f.sha256 for f in catalog()[name].files}
    return published_split(name) if getattr(spec, "sha256", None) in catalogued else None
