"""Gold sets: word pairs with human similarity or relatedness scores.

>>> from w2veval import goldsets
>>> goldsets.names()
['jobs-domain', 'simlex999', 'ws353']
>>> goldsets.load("simlex999")
GoldSet('simlex999', 999 pairs, similarity, en, scale=(0, 10))
"""

from __future__ import annotations

import os

from ._builtin import BUILTINS, builtin, names, unknown_name_error
from ._goldset import KINDS, GoldSet
from ._parse import DuplicatePairWarning

__all__ = ["GoldSet", "DuplicatePairWarning", "KINDS", "load", "names"]


def load(spec: GoldSet | str | os.PathLike, **options) -> GoldSet:
    """A gold set from a :class:`GoldSet`, a built-in name or a file path.

    Parameters
    ----------
    spec : GoldSet, str or os.PathLike
        A ``GoldSet`` is returned as is. A string is first looked up among the
        built-in names (:func:`names`), then read as a file path with
        :meth:`GoldSet.from_file`; an ``os.PathLike`` is always a file path.
    **options
        Passed to :meth:`GoldSet.from_file` (only for file paths).

    Raises
    ------
    GoldSetNotFoundError
        If ``spec`` is neither a built-in name nor an existing file; suggests the
        closest built-in name.

    Examples
    --------
    >>> load("ws353").n_pairs
    353
    >>> load("simlex99")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    w2veval.errors.GoldSetNotFoundError: no gold set 'simlex99'; did you mean 'simlex999'? ...
    """
    if isinstance(spec, GoldSet):
        if options:
            raise TypeError(f"options {sorted(options)} apply only to file paths, not to a GoldSet")
        return spec
    if isinstance(spec, str) and spec in BUILTINS:
        if options:
            raise TypeError(
                f"options {sorted(options)} apply only to file paths; the built-in "
                f"gold set {spec!r} has fixed settings")
        return builtin(spec)
    if not isinstance(spec, (str, os.PathLike)):
        raise TypeError(f"spec must be a GoldSet, a built-in name or a path, got {type(spec).__name__}")
    if not os.path.exists(spec):
        raise unknown_name_error(os.fspath(spec))
    return GoldSet.from_file(spec, **options)


def resolve(spec) -> list[GoldSet]:
    """The gold sets ``spec`` names (a list, so that tags can name several)."""
    return [load(spec)]
