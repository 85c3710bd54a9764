"""`compare`: is model A really better than model B on the same pairs?"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._evaluate import PAIR_KINDS, _named_sources, _needed_words, _resolve_goldsets, goldset_kind
from ._pairs import pair_similarities
from ._stats import spearman

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import GoldSets, VectorsSource, VectorsSources

__all__ = ["COMPARE_COLUMNS", "compare", "compare_many_rows", "compare_rows"]

COMPARE_COLUMNS = (
    "model_a",
    "model_b",
    "goldset",
    "kind",
    "metric",
    "n_common",
    "score_a",
    "score_b",
    "spearman_a",
    "spearman_b",
    "delta",
    "delta_lo",
    "delta_hi",
    "p_value",
    "p_mcnemar",
    "p_holm",
)
"""One row per model pair × set: ``delta = score_a - score_b`` (positive: A is better).

``metric`` names the score: ``spearman`` for word pairs (then ``score_a``/``score_b``
equal ``spearman_a``/``spearman_b``), ``macro_f1`` for tasks, ``accuracy`` for outlier
sets, ``purity`` for categorization sets (no test: NaN interval and p-values).
``p_mcnemar`` is McNemar's exact test on right/wrong items (tasks, outliers)."""
_STATISTICS = COMPARE_COLUMNS[COMPARE_COLUMNS.index("score_a") :]
_COMPARED_KINDS = (*PAIR_KINDS, "classification", "outlier", "categorization")
MIN_COMMON = 30


def _load(named_sources, goldsets, rules, restrict_vocab, format, trust, progress=False):
    from ..io import load_vectors
    from ..vectors import WordVectors

    wanted = _needed_words(goldsets)
    loaded = []
    for name, source in named_sources:
        vectors = (
            source
            if isinstance(source, WordVectors)
            else load_vectors(
                source,
                format=format,
                words=wanted,
                rules=rules,
                limit=restrict_vocab,
                trust=trust,
                progress=progress,
            )
        )
        loaded.append((name, vectors))
    return loaded


def _compare_one(goldset, vectors_a, vectors_b, *, rules, restrict_vocab, level, n_resamples, method, seed):
    human = np.asarray(goldset.scores, dtype=np.float64)
    sims_a = pair_similarities(vectors_a, goldset, rules=rules, restrict_vocab=restrict_vocab)
    sims_b = pair_similarities(vectors_b, goldset, rules=rules, restrict_vocab=restrict_vocab)
    common = ~np.isnan(sims_a) & ~np.isnan(sims_b)
    n = int(common.sum())
    row = {"goldset": goldset.name, "kind": goldset_kind(goldset), "metric": "spearman", "n_common": n}
    if n < 4:
        warnings.warn(
            f"{goldset.name}: only {n} pairs are known to both models; nothing to compare",
            UserWarning,
            stacklevel=3,
        )
        return row | dict.fromkeys(_STATISTICS, math.nan)
    return row | _pair_statistics(
        human,
        sims_a,
        sims_b,
        common,
        n,
        goldset,
        level=level,
        n_resamples=n_resamples,
        method=method,
        seed=seed,
    )


def _pair_statistics(human, sims_a, sims_b, common, n, goldset, *, level, n_resamples, method, seed):
    from ._bootstrap import paired_bootstrap_delta
    from ._significance import steiger_z

    if n < MIN_COMMON:
        warnings.warn(
            f"{goldset.name}: the comparison stands on only {n} pairs known to both models "
            f"(fewer than {MIN_COMMON}); treat it with care",
            UserWarning,
            stacklevel=4,
        )
    h, a, b = human[common], sims_a[common], sims_b[common]
    rho_a, rho_b = spearman(h, a, pvalue=False).statistic, spearman(h, b, pvalue=False).statistic
    rho_ab = spearman(a, b, pvalue=False).statistic
    delta = paired_bootstrap_delta(h, a, b, level=level, n_resamples=n_resamples, method=method, seed=seed)
    _, p = steiger_z(rho_a, rho_b, rho_ab, n)
    return {
        "score_a": rho_a,
        "score_b": rho_b,
        "spearman_a": rho_a,
        "spearman_b": rho_b,
        "delta": rho_a - rho_b,
        "delta_lo": delta.low,
        "delta_hi": delta.high,
        "p_value": p,
        "p_mcnemar": math.nan,
        "p_holm": math.nan,
    }


def _compare_set(goldset, vectors_a, vectors_b, **options) -> dict:
    """One row (without the model names) for a set of any compared kind."""
    from . import _compare_kinds

    kind = goldset_kind(goldset)
    if kind in PAIR_KINDS or hasattr(goldset, "scores"):
        return _compare_one(goldset, vectors_a, vectors_b, **options)
    compare_kind: dict[str | None, Callable[..., dict[str, Any]]] = {
        "classification": _compare_kinds.compare_task,
        "outlier": _compare_kinds.compare_outliers,
        "categorization": _compare_kinds.compare_categories,
    }
    one = compare_kind[kind]
    options = {k: v for k, v in options.items() if k != "method"}  # percentile intervals only
    row = {"goldset": goldset.name, "kind": kind} | one(goldset, vectors_a, vectors_b, **options)
    return row | {"spearman_a": math.nan, "spearman_b": math.nan, "p_holm": math.nan}


def _with_holm(rows: list[dict]) -> list[dict]:
    from ._significance import holm

    adjusted = holm([r["p_value"] for r in rows])
    for row, p in zip(rows, adjusted, strict=True):
        row["p_holm"] = float(p)
    return rows


def compare_many_rows(
    vectors_or_sources: VectorsSources,
    goldsets: GoldSets = None,
    *,
    case_sensitive: bool = False,
    case: str | None = None,
    accents: bool = True,
    phrases: bool = True,
    restrict_vocab: int | None = None,
    level: float = 0.95,
    n_resamples: int = 10_000,
    method: str = "percentile",
    seed: int | None = 0,
    format: str = "auto",
    trust: bool = False,
    progress: bool = False,
) -> list[dict]:
    """Every pair of models on every gold set, as rows of :data:`COMPARE_COLUMNS`.

    ``model_a`` and ``model_b`` name the two models of a row (the display names of the
    sources, in the order given), ``delta = spearman_a - spearman_b``. Holm's correction
    runs over all the comparisons of the call (every model pair × gold set), the family
    a reader of the resulting matrix looks at. ``progress=True`` shows progress bars on
    stderr for reading the files and for the bootstrap (only when it takes over a second).
    """
    from .._progress import steps
    from ..matching import MatchRules

    rules = MatchRules.from_options(case_sensitive, case, accents, phrases)
    resolved = [
        g for g in _resolve_goldsets(goldsets) if hasattr(g, "scores") or goldset_kind(g) in _COMPARED_KINDS
    ]
    named = _named_sources(vectors_or_sources)
    if len(named) < 2:
        raise ValueError("compare needs at least two vectors sources")
    loaded = _load(named, resolved, rules, restrict_vocab, format, trust, progress)
    rows = []
    tasks = [(a, b, goldset) for a, b in itertools.combinations(loaded, 2) for goldset in resolved]
    for (name_a, va), (name_b, vb), goldset in steps(
        tasks, desc="compare: bootstrap", progress=progress, unit="comparison"
    ):
        one = _compare_set(
            goldset,
            va,
            vb,
            rules=rules,
            restrict_vocab=restrict_vocab,
            level=level,
            n_resamples=n_resamples,
            method=method,
            seed=seed,
        )
        rows.append(
            {
                col: ({"model_a": name_a, "model_b": name_b} | one).get(col, math.nan)
                for col in COMPARE_COLUMNS
            }
        )
    return _with_holm(rows)


def compare_rows(
    a: VectorsSource, b: VectorsSource, goldsets: GoldSets = None, **options: Any
) -> list[dict[str, Any]]:
    """:func:`compare` as plain dicts (no pandas)."""
    return compare_many_rows([a, b], goldsets, **options)


def compare(a: VectorsSource, b: VectorsSource, goldsets: GoldSets = None, **options: Any) -> pd.DataFrame:
    """Is model A better than model B on the same pairs?

    For each gold set, on the pairs both models know: Spearman's rho of each model,
    ``delta = spearman_a - spearman_b`` (positive when A is better), a paired bootstrap
    interval of delta (``delta_lo``, ``delta_hi``: the same resampled pairs for both
    models), the p-value of Steiger's test for two dependent correlations that share
    the human scores, in Meng, Rosenthal & Rubin's (1992) form, and that p-value after
    Holm's correction across the gold sets (``p_holm``). See ``docs/statistics.md``.
    ``model_a`` and ``model_b`` name the two models (a path, or a loaded vectors'
    ``source``), so a saved table says which was A.

    Parameters
    ----------
    a, b : vectors sources
        Anything :func:`w2veval.load_vectors` reads, or loaded WordVectors.
    goldsets : names, paths, GoldSets or tags, optional
        Defaults to ``ws353`` and ``simlex999``.
    **options
        ``level`` (0.95), ``n_resamples`` (10,000), ``method`` ("percentile" or "bca"),
        ``seed`` (0), ``restrict_vocab`` and the matching options of :func:`evaluate`.

    Returns
    -------
    pandas.DataFrame
        Columns ``model_a, model_b, goldset, n_common, spearman_a, spearman_b, delta,
        delta_lo, delta_hi, p_value, p_holm``.
    """
    import pandas as pd

    return pd.DataFrame(compare_rows(a, b, goldsets, **options), columns=list(COMPARE_COLUMNS))
