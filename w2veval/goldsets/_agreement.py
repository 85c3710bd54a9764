"""How well the raters of a gold set agree: :func:`agreement`.

The raters' agreement with each other is the practical ceiling for a model: a
Spearman rho near the leave-one-out agreement is as good as one more person.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._numbers import parse_number
from ..errors import GoldSetFormatError, option
from . import _dialect, _parse

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AgreementReport", "agreement"]

_MEAN_HEADER = re.compile(r"\b(mean|average|avg)\b", re.IGNORECASE)
_MISSING = {"", "na", "nan", "n/a"}


@dataclass
class AgreementReport:
    """What :func:`agreement` measured. Statistics that cannot be computed are NaN.

    Attributes
    ----------
    source : str
        The file read, or ``"<DataFrame>"``.
    n_pairs, n_raters, n_ratings : int
        Rows, rating columns, and non-missing ratings.
    rater_names : list of str
        The header cell of each rating column (``r1``, ``r2``, ... without a header).
    excluded_columns : list of str
        Columns after the two words that were not read as raters (a mean column).
    anonymous : bool
        Whether the columns hold anonymous ratings rather than one rater each.
    pairwise_spearman : ndarray, shape (n_raters, n_raters)
        Spearman's rho of each two raters over the pairs both rated (diagonal 1).
    mean_pairwise_spearman : float
        Mean over the rater pairs with at least ``min_overlap`` pairs in common.
    loo_spearman : ndarray, shape (n_raters,)
        Each rater against the mean of the others, over the pairs the rater rated.
    mean_loo_spearman : float
        Mean of ``loo_spearman`` over the raters where it is defined.
    krippendorff_alpha : float
        Krippendorff's alpha at the interval level (``krippendorff`` package).
    """

    source: str
    n_pairs: int
    n_raters: int
    n_ratings: int
    rater_names: list[str]
    excluded_columns: list[str]
    anonymous: bool
    pairwise_spearman: np.ndarray
    mean_pairwise_spearman: float
    loo_spearman: np.ndarray
    mean_loo_spearman: float
    krippendorff_alpha: float
    min_overlap: int

    @property
    def ceiling(self) -> str:
        """One sentence on what these numbers mean for a model's score."""
        alpha = f"Krippendorff's alpha (interval) is {self.krippendorff_alpha:.2f}"
        if self.anonymous:
            return (
                f"The rating columns are not individual raters, so rater-to-rater "
                f"correlations cannot be computed; {alpha} (1 = perfect agreement, "
                f"0 = chance). The raters' own agreement is the ceiling a model's "
                f"Spearman rho can be expected to reach."
            )
        return (
            f"These are the ceiling a model can be expected to reach: its Spearman rho "
            f"against the mean rating is as good as a person's once it nears "
            f"{self.mean_loo_spearman:.2f} (one rater against the mean of the others); two "
            f"raters agree at {self.mean_pairwise_spearman:.2f} on average; {alpha}."
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able types; NaN becomes ``None``."""
        return {
            "source": self.source,
            "n_pairs": self.n_pairs,
            "n_raters": self.n_raters,
            "n_ratings": self.n_ratings,
            "rater_names": list(self.rater_names),
            "excluded_columns": list(self.excluded_columns),
            "anonymous": self.anonymous,
            "min_overlap": self.min_overlap,
            "mean_pairwise_spearman": _json(self.mean_pairwise_spearman),
            "mean_loo_spearman": _json(self.mean_loo_spearman),
            "krippendorff_alpha": _json(self.krippendorff_alpha),
            "loo_spearman": {
                name: _json(v) for name, v in zip(self.rater_names, self.loo_spearman, strict=True)
            },
            "pairwise_spearman": [[_json(v) for v in row] for row in self.pairwise_spearman],
            "ceiling": self.ceiling,
        }

    def to_text(self) -> str:
        """A summary for people."""
        out = [
            f"{self.source}: {self.n_pairs} pairs, {self.n_raters} "
            f"{'rating columns (anonymous)' if self.anonymous else 'raters'}, "
            f"{self.n_ratings} ratings"
        ]
        if self.excluded_columns:
            out.append(f"  not raters:          {', '.join(self.excluded_columns)}")
        if not self.anonymous:
            out.append(f"  mean pairwise rho:   {self.mean_pairwise_spearman:.3f}")
            out.append(
                f"  leave-one-out rho:   {self.mean_loo_spearman:.3f} (mean over raters; "
                f"range {np.nanmin(self.loo_spearman):.3f} to {np.nanmax(self.loo_spearman):.3f})"
            )
        out.append(f"  Krippendorff alpha:  {self.krippendorff_alpha:.3f} (interval)")
        out.append(self.ceiling)
        return "\n".join(out)


def agreement(
    path_or_frame: str | os.PathLike[str] | pd.DataFrame,
    *,
    columns: Sequence[str | int] | None = None,
    anonymous: bool = False,
    header: bool | None = None,
    min_overlap: int = 5,
) -> AgreementReport:
    """Inter-rater agreement of a file with one score column per rater.

    The file is CSV, TSV, ``;``- or space-separated: word1, word2, then the rating
    columns; an empty cell (or ``NA``) is a missing rating. A column whose header
    says ``mean``, ``average`` or ``avg`` (WS-353's ``Human (mean)``) is not a rater.

    Parameters
    ----------
    path_or_frame : str, os.PathLike or pandas.DataFrame
        The file, or a frame whose first two columns are the words.
    columns : sequence of str or int, optional
        The rating columns, by header name or 0-based column number; by default
        every column after the two words except a mean column.
    anonymous : bool, default False
        The columns hold the ratings of each pair in no particular rater order
        (SimVerb-3500-ratings.txt): rows may then differ in length, and only
        Krippendorff's alpha, which needs no rater identities, is computed.
    header : bool, optional
        Whether the first row is a header; by default it is when a cell after
        the words is not a number.
    min_overlap : int, default 5
        Fewest pairs two raters (or a rater and the others) must share for their
        Spearman's rho to count; over fewer pairs it is mostly noise.

    Returns
    -------
    AgreementReport

    Raises
    ------
    GoldSetFormatError
        Naming file and line: a rating that is not a number, a missing word, or
        (unless ``anonymous``) a row with a different number of cells than the
        header.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"w1": ["a", "b", "c", "d", "e"], "w2": ["f", "g", "h", "i", "j"],
    ...                       "ann": [1, 2, 3, 4, 5], "bob": [1, 2, 3, 5, 4], "cy": [2, 1, 3, 4, 5]})
    >>> report = agreement(frame)
    >>> report.n_raters, round(report.mean_pairwise_spearman, 3), round(report.krippendorff_alpha, 3)
    (3, 0.867, 0.876)
    """
    if isinstance(min_overlap, bool) or not isinstance(min_overlap, int) or min_overlap < 3:
        raise ValueError(f"min_overlap must be an int >= 3, got {min_overlap!r}")
    if isinstance(path_or_frame, (str, os.PathLike)):
        names, ratings, source = _from_file(path_or_frame, anonymous=anonymous, header=header)
    elif hasattr(path_or_frame, "columns") and hasattr(path_or_frame, "iloc"):
        names, ratings, source = _from_frame(path_or_frame)
    else:
        raise TypeError(f"agreement() takes a path or a pandas DataFrame, got {type(path_or_frame).__name__}")
    names, ratings, excluded = _select(names, ratings, columns, source)
    n_pairs, n_raters = ratings.shape
    if n_raters < 2:
        raise _error(source, _too_few_raters(names, excluded))

    pairwise = np.full((n_raters, n_raters), math.nan)
    loo = np.full(n_raters, math.nan)
    if not anonymous:
        pairwise, loo = _correlations(ratings, min_overlap)
    upper = pairwise[np.triu_indices(n_raters, k=1)]
    return AgreementReport(
        source=source,
        n_pairs=n_pairs,
        n_raters=n_raters,
        n_ratings=int(np.isfinite(ratings).sum()),
        rater_names=names,
        excluded_columns=excluded,
        anonymous=anonymous,
        pairwise_spearman=pairwise,
        mean_pairwise_spearman=_nanmean(upper),
        loo_spearman=loo,
        mean_loo_spearman=_nanmean(loo),
        krippendorff_alpha=_alpha(ratings),
        min_overlap=min_overlap,
    )


def _error(source: str, message: str) -> GoldSetFormatError:
    """A :class:`GoldSetFormatError` about ``source`` (a file, or ``"<DataFrame>"``)."""
    if source == "<DataFrame>":
        return GoldSetFormatError(f"the frame: {message}")
    return GoldSetFormatError(message, path=source)


def _too_few_raters(names: list[str], excluded: list[str]) -> str:
    found = f"{len(names)} rating column{'' if len(names) == 1 else 's'}"
    if names:
        found += f" ({', '.join(map(repr, names))})"
    if excluded:
        found += f", and {', '.join(map(repr, excluded))}, which {'is' if len(excluded) == 1 else 'are'} not"
        found += " a rater" if len(excluded) == 1 else " raters"
    return (
        f"agreement compares raters, one column of ratings each, and needs at least 2; found "
        f"{found}. A file with a single score column (a gold set of mean scores) has no "
        "agreement to measure: give the file of per-rater ratings"
    )


def _correlations(ratings: np.ndarray, min_overlap: int) -> tuple[np.ndarray, np.ndarray]:
    from ..scoring._stats import spearman

    n_raters = ratings.shape[1]
    rated = np.isfinite(ratings)
    pairwise = np.eye(n_raters)
    for i in range(n_raters):
        for j in range(i + 1, n_raters):
            both = rated[:, i] & rated[:, j]
            rho = math.nan
            if both.sum() >= min_overlap:
                rho = spearman(ratings[both, i], ratings[both, j], pvalue=False).statistic
            pairwise[i, j] = pairwise[j, i] = rho
    loo = np.full(n_raters, math.nan)
    for i in range(n_raters):
        others = np.delete(ratings, i, axis=1)
        has_other = np.isfinite(others).any(axis=1)
        use = rated[:, i] & has_other
        if use.sum() >= min_overlap:
            mean_others = np.nanmean(others[use], axis=1)
            loo[i] = spearman(ratings[use, i], mean_others, pvalue=False).statistic
    return pairwise, loo


def _alpha(ratings: np.ndarray) -> float:
    import krippendorff  # a core dependency, imported here because only agreement needs it

    pairable = np.isfinite(ratings).sum(axis=1) >= 2
    values = ratings[pairable]
    if not pairable.any() or np.unique(values[np.isfinite(values)]).size < 2:
        return math.nan  # no unit rated twice, or a single value: alpha is undefined
    return float(krippendorff.alpha(reliability_data=ratings.T, level_of_measurement="interval"))


def _nanmean(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else math.nan


def _json(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _select(
    names: list[str], ratings: np.ndarray, columns: Sequence[str | int] | str | int | None, source: str
) -> tuple[list[str], np.ndarray, list[str]]:
    if columns is None:
        keep = [k for k, name in enumerate(names) if not _MEAN_HEADER.search(name)]
    else:
        if isinstance(columns, (str, int)):
            columns = [columns]
        keep = []
        for c in columns:
            if isinstance(c, str):
                if c not in names:
                    raise _error(
                        source, f"no rating column {c!r}; the columns after the two words are {names}"
                    )
                keep.append(names.index(c))
            elif isinstance(c, int) and not isinstance(c, bool) and 2 <= c < len(names) + 2:
                keep.append(c - 2)
            else:
                raise _error(
                    source,
                    f"column {c!r} is not a rating column; give header "
                    f"names or 0-based column numbers 2..{len(names) + 1}",
                )
    excluded = [name for k, name in enumerate(names) if k not in keep]
    return [names[k] for k in keep], ratings[:, keep], excluded


def _from_frame(frame: pd.DataFrame) -> tuple[list[str], np.ndarray, str]:
    if frame.shape[1] < 3:
        raise _error(
            "<DataFrame>",
            f"it needs two word columns and at least one rating column, has {list(frame.columns)}",
        )
    names = [str(c) for c in frame.columns[2:]]
    try:
        ratings = frame.iloc[:, 2:].to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise _error("<DataFrame>", f"rating columns must hold numbers or NaN: {exc}") from None
    if np.isinf(ratings).any():
        raise _error("<DataFrame>", "rating columns must not hold infinity")
    return names, ratings, "<DataFrame>"


def _from_file(
    path: str | os.PathLike[str], *, anonymous: bool, header: bool | None
) -> tuple[list[str], np.ndarray, str]:
    text, _ = _parse.read_file(path)
    where = _parse.Where(path)
    delim: str | None = None
    names: list[str] | None = None
    rows: list[list[float]] = []
    first = True
    for lineno, raw in enumerate(_parse.split_lines(text), 1):
        row = raw.strip()
        if not row or row.startswith("#"):
            continue
        if first:
            delim = _dialect.detect_delimiter(raw, 3)
        try:
            cells = _dialect.split_row(raw, delim)
        except _dialect.SplitError as exc:
            raise where.error(str(exc), lineno) from None
        if first:
            first = False
            # a header names its raters with words (WS-353: "Human (mean)", then 1 .. 13)
            is_header = header if header is not None else any(map(_dialect.is_header_cell, cells[2:]))
            if is_header:
                names = cells[2:]
                continue
        _check_row(where, cells, row, lineno)
        width = len(names) if names is not None else (len(rows[0]) if rows else len(cells) - 2)
        if not anonymous and len(cells) - 2 != width:
            raise where.error(
                f"{len(cells) - 2} rating cells where the {'header' if names else 'first row'} "
                f"has {width}; each column is one rater, so every row needs the same number of "
                "cells (empty cells for missing ratings). If the columns are not raters, pass "
                f"{option('anonymous', True)}",
                lineno,
            )
        rows.append([_rating(where, cell, k, lineno) for k, cell in enumerate(cells[2:], 3)])
    if not rows:
        raise GoldSetFormatError("contains no rated pairs", path=path)
    width = max(len(r) for r in rows)
    ratings = np.full((len(rows), width), math.nan)
    for i, values in enumerate(rows):
        ratings[i, : len(values)] = values
    names = list(names or [])
    names += [f"r{k}" for k in range(len(names) + 1, width + 1)]
    return names[:width], ratings, os.fspath(path)


def _check_row(where: _parse.Where, cells: list[str], row: str, lineno: int) -> None:
    if len(cells) < 3:
        raise where.error(
            f"expected two words and at least one rating, found {len(cells)} "
            f"cell(s) in {_parse.shown(row, 60)}",
            lineno,
        )
    for k in (0, 1):
        if not cells[k]:
            raise where.error(f"empty word in column {k + 1}", lineno)
        problem = _dialect.word_problem(cells[k])
        if problem is not None:
            raise where.error(f"word {_parse.shown(cells[k])} in column {k + 1}: {problem}", lineno)


def _rating(where: _parse.Where, cell: str, column: int, lineno: int) -> float:
    """A rating by the number grammar; an empty cell, ``NA`` or ``NaN`` is a missing one."""
    if cell.lower() in _MISSING:
        return math.nan
    value = parse_number(cell)
    if value is None or not math.isfinite(value):
        why = (
            ""
            if value is not None
            else (
                ": "
                + _dialect.why_not_a_number(
                    cell, delimiter=None, decimal_comma=None, offer_decimal_comma=False
                )
            )
        )
        raise where.error(
            f"rating {_parse.shown(cell)} in column {column} is not a finite number{why}", lineno
        )
    return value
