"""What a gold set does with a word pair listed more than once: keep, mean or error.

Published sets repeat pairs on purpose or by accident (WS-353 rates money-cash twice, 9.15 and
9.08; SimLex-999 rates sly-strange and strange-sly), and the catalog keeps their rows as
published. A file given by path is recognised as published by its sha256: a catalogued file,
or a published copy the catalog declares (``copies``: wordvectors.org's ``EN-WS-353-ALL.txt``,
which SageMaker BlazingText evaluates on). Such a file is read with its catalog entry's policy;
any other file with conflicting rows is an error unless the caller chooses.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

__all__ = ["DUPLICATE_POLICIES", "merge_mean", "resolve"]

DUPLICATE_POLICIES = ("keep", "mean", "error", "warn")
"""``warn`` is kept for old callers (``error`` that warns instead of raising); not documented."""


@functools.cache
def _published() -> dict[str, tuple[str, str]]:
    """``sha256 -> (entry name, duplicate policy)`` over every catalogued file and declared copy."""
    from ._catalog import catalog

    known: dict[str, tuple[str, str]] = {}
    for entry in catalog().values():
        policy = entry.parse.get("duplicates", "error")
        for file in (*entry.files, *entry.copies):
            known[file.sha256] = (entry.name, policy)
    return known


def resolve(duplicates: str | None, sha256: str) -> tuple[str, str]:
    """The policy to read a file with, and the rule that chose it (for messages).

    ``duplicates`` is the caller's choice, or ``None``: then a published file (recognised
    by ``sha256``) gets its catalog entry's policy and any other file ``"error"``.

    Examples
    --------
    >>> resolve("mean", "0" * 64)[0]
    'mean'
    >>> resolve(None, "0" * 64)[0]
    'error'
    """
    from ..errors import option

    if duplicates is not None:
        return duplicates, f"{option('duplicates', duplicates)} was asked for"
    found = _published().get(sha256)
    if found is not None:
        name, policy = found
        return policy, (
            f"a published file (the catalogued {name!r}, recognised by its sha256) "
            "is read as the catalog reads it"
        )
    return "error", "a user file with conflicting duplicate rows is an error by default"


def merge_mean(
    w1: Sequence[str], w2: Sequence[str], scores: Sequence[float], lines: Sequence[int]
) -> tuple[list[str], list[str], list[float], list[int]]:
    """One pair per word pair, with the mean of its scores, at the line of its first row.

    A pair and its reverse are the same pair (every score w2veval computes is symmetric).

    Examples
    --------
    >>> merge_mean(["cat", "dog", "cat"], ["dog", "car", "dog"], [8.0, 2.0, 6.0], [1, 2, 3])
    (['cat', 'dog'], ['dog', 'car'], [7.0, 2.0], [1, 2])
    """
    first: dict[frozenset[str] | tuple[str, str], int] = {}
    groups: list[list[float]] = []
    out1: list[str] = []
    out2: list[str] = []
    out_lines: list[int] = []
    for a, b, score, line in zip(w1, w2, scores, lines, strict=True):
        key = (a, b) if a == b else frozenset((a, b))
        index = first.get(key)
        if index is None:
            first[key] = len(groups)
            groups.append([score])
            out1.append(a)
            out2.append(b)
            out_lines.append(line)
        else:
            groups[index].append(score)
    return out1, out2, [math.fsum(g) / len(g) for g in groups], out_lines
