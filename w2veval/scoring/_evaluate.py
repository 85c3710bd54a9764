"""`evaluate`: many vectors × many gold sets → one row each."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..vectors import WordVectors
from ._registry import evaluator_for

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import GoldSets, VectorsSources

__all__ = [
    "COLUMNS",
    "DEFAULT_GOLDSETS",
    "KIND_COLUMNS",
    "evaluate",
    "evaluate_rows",
    "goldset_kind",
    "with_file_options",
]

DEFAULT_GOLDSETS = ("ws353", "simlex999")
"""The gold sets scored when none are named: both work offline, from the copies gensim ships."""
COLUMNS = ("vectors", "goldset", "kind", "n_pairs", "n_scored", "coverage", "spearman", "pearson", "kendall")
"""The main columns, in order; p-values and provenance follow. ``kind`` is the gold set's
kind (``similarity``, ``relatedness``, ``mixed``, ``analogy``, ``categorization``,
``outlier``, ``classification``), so a file read as the wrong kind shows at once."""
PAIR_KINDS = ("similarity", "relatedness", "mixed")
KIND_COLUMNS = {
    "analogy": ("accuracy", "accuracy_3cosmul"),
    "categorization": ("purity", "adjusted_rand", "v_measure", "n_categories"),
    "outlier": ("accuracy", "opp"),
    "classification": ("accuracy", "macro_f1", "token_coverage", "n_no_known_token"),
}
"""The metric columns each kind other than word pairs adds (its evaluator's result keys)."""
CI_COLUMNS = ("spearman_lo", "spearman_hi", "pearson_lo", "pearson_hi")
"""Added after the main columns when ``evaluate(..., ci=0.95)`` asks for intervals."""
EXTRA_COLUMNS = (
    "spearman_p",
    "pearson_p",
    "kendall_p",
    "evaluator",
    "oov",
    "case_sensitive",
    "matching",
    "restrict_vocab",
    "goldset_sha256",
    "w2veval_version",
)


def _named_sources(vectors_or_sources) -> list[tuple[str, object]]:
    """``[(display name, source)]`` for one source, a list of them, or ``{name: source}``."""
    if (
        isinstance(vectors_or_sources, Mapping)
        and all(isinstance(k, str) for k in vectors_or_sources)
        and not _is_word_dict(vectors_or_sources)
    ):
        return [(name, src) for name, src in vectors_or_sources.items()]
    if isinstance(vectors_or_sources, (list, tuple)) and not _is_words_matrix_pair(vectors_or_sources):
        return [(_display_name(src, i), src) for i, src in enumerate(vectors_or_sources)]
    return [(_display_name(vectors_or_sources, 0), vectors_or_sources)]


def _is_word_dict(mapping) -> bool:
    first = next(iter(mapping.values()), None)
    return (
        first is not None
        and not isinstance(first, (str, os.PathLike, WordVectors))
        and hasattr(first, "__len__")
    )


def _is_words_matrix_pair(seq) -> bool:
    return len(seq) == 2 and hasattr(seq[1], "shape") and not isinstance(seq[0], (str, os.PathLike))


def _display_name(source, position: int) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    if isinstance(source, WordVectors):
        return source.source
    return f"vectors[{position}]"


def _resolve_goldsets(goldsets, file_options: Mapping | None = None) -> list:
    """Gold sets from names, paths, GoldSet objects and tags such as ``lang:de``.

    ``file_options`` are :meth:`GoldSet.from_file` keyword arguments for the gold
    sets given as file paths (catalogued sets have fixed settings).
    """
    from .. import goldsets as goldset_module

    resolved = []
    for spec in with_file_options(goldsets, file_options):
        resolved.extend(goldset_module.resolve(spec))
    return resolved


def with_file_options(goldsets, file_options: Mapping | None) -> list:
    """``goldsets`` as a list, each file path read with ``file_options`` into a GoldSet.

    Raises
    ------
    W2VEvalError
        If reading options are given but no gold set is a file path: they would
        change nothing, which is surely not what was meant.
    """
    from .. import goldsets as goldset_module
    from ..errors import W2VEvalError, option

    if goldsets is None:
        goldsets = DEFAULT_GOLDSETS
    if isinstance(goldsets, (str, os.PathLike)) or hasattr(goldsets, "name"):
        goldsets = [goldsets]
    goldsets = list(goldsets)
    if not file_options:
        return goldsets
    files = [spec for spec in goldsets if _is_file_path(spec, goldset_module)]
    if not files:
        given = ", ".join(option(name) for name in file_options)
        raise W2VEvalError(
            f"{given}: reading options apply to gold sets given as file paths, and "
            f"none of {', '.join(map(str, goldsets))} is one (catalogued gold sets are "
            "read with their own settings)"
        )
    return [goldset_module.load(spec, **file_options) if spec in files else spec for spec in goldsets]


def _is_file_path(spec, goldset_module) -> bool:
    if isinstance(spec, os.PathLike):
        return True
    return (
        isinstance(spec, str)
        and spec not in goldset_module.catalog()
        and not spec.startswith(goldset_module.TAG_PREFIXES)
    )


def goldset_kind(goldset: object) -> str | None:
    """The kind of a gold set: its ``kind`` attribute, ``"analogy"`` for analogy sets.

    Examples
    --------
    >>> from w2veval.goldsets._categories import CategorySet
    >>> goldset_kind(CategorySet(name="toy", items=[("cat", "animal"), ("oak", "tree")]))
    'categorization'
    """
    kind = getattr(goldset, "kind", None)
    if isinstance(kind, str):
        return kind
    return "analogy" if hasattr(goldset, "questions") else None


def table_columns(rows: list[dict]) -> tuple[str, ...]:
    """The columns worth showing for ``rows``: the main ones and the metrics of the kinds present.

    The word-pair correlations appear only when a row is a word-pair set, the
    metrics of :data:`KIND_COLUMNS` only for the kinds present, and an interval
    (``<metric>_lo``, ``<metric>_hi``) after its metric's block when rows have one.
    """
    kinds = list(dict.fromkeys(row.get("kind") for row in rows))
    pairs = not rows or any(k in PAIR_KINDS or k not in KIND_COLUMNS for k in kinds)
    metrics = list(COLUMNS[6:]) if pairs else []
    for kind in kinds:
        if kind is not None:  # a plug-in's set without a kind adds no metric columns
            metrics += [col for col in KIND_COLUMNS.get(kind, ()) if col not in metrics]
    present = set().union(*rows) if rows else set()
    bounds = [
        f"{m}_{end}"
        for m in metrics
        if m not in ("kendall",)
        for end in ("lo", "hi")
        if f"{m}_{end}" in present
    ]
    return COLUMNS[:6] + tuple(metrics) + tuple(bounds)


def _needed_words(goldsets: Iterable) -> set[str]:
    words: set[str] = set()
    for goldset in goldsets:
        if hasattr(goldset, "word1"):
            words.update(goldset.word1)
            words.update(goldset.word2)
        else:  # analogy sets and plug-in gold sets say which words they use
            words.update(goldset.words)
    return words


EVALUATOR_OPTIONS = {"clustering": "categorization", "folds": "classification", "features": "classification"}
"""Options of the built-in evaluators beyond the shared ones, and the evaluator that reads each."""


def _checked_evaluator_options(options: Mapping | None) -> dict:
    """``options`` as a dict; a name no built-in evaluator reads is an error, not silently ignored."""
    from ..errors import W2VEvalError

    options = dict(options or {})
    unknown = sorted(set(options) - set(EVALUATOR_OPTIONS))
    if unknown:
        known = ", ".join(f"{k} ({v})" for k, v in EVALUATOR_OPTIONS.items())
        raise W2VEvalError(f"unknown evaluator option(s) {', '.join(unknown)}; known: {known}")
    return options


def evaluate_rows(
    vectors_or_sources: VectorsSources,
    goldsets: GoldSets = None,
    *,
    oov: str = "drop",
    case_sensitive: bool = False,
    restrict_vocab: int | None = None,
    format: str = "auto",
    trust: bool = False,
    progress: bool = False,
    pvalues: bool = True,
    case: str | None = None,
    accents: bool = True,
    phrases: bool = True,
    ci: float | None = None,
    ci_method: str = "bca",
    n_resamples: int = 10_000,
    seed: int | None = 0,
    goldset_options: Mapping[str, Any] | None = None,
    evaluator_options: Mapping[str, Any] | None = None,
) -> list[dict]:
    """Like :func:`evaluate`, but returns plain dicts (no pandas import).

    ``pvalues=False`` leaves the p-value columns NaN and spares the scipy import
    (the command line's table shows no p-values).
    """
    evaluator_options = _checked_evaluator_options(evaluator_options)
    from .._progress import steps
    from ..io import load_vectors
    from ..matching import MatchRules

    rules = MatchRules.from_options(case_sensitive, case, accents, phrases)
    resolved = _resolve_goldsets(goldsets, goldset_options)
    # An analogy's answer is searched in the whole vocabulary: then every row is read.
    full = any(getattr(evaluator_for(g), "loads_full_vocabulary", False) for g in resolved)
    wanted = None if full else _needed_words(resolved)
    rows = []
    for name, source in _named_sources(vectors_or_sources):
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
        extra = {}
        if oov == "mean":  # an unknown word gets the mean of every vector in the source
            from ..io._mean import mean_vector

            extra["mean_vector"] = mean_vector(source, format=format, limit=restrict_vocab, trust=trust)
        # The bootstrap of --ci takes seconds per gold set: a bar (shown after a second).
        for goldset in steps(
            resolved, desc=f"bootstrap {name}", progress=progress and ci is not None, unit="gold set"
        ):
            evaluator = evaluator_for(goldset)
            scores = dict(
                evaluator.evaluate(
                    vectors,
                    goldset,
                    oov=oov,
                    case_sensitive=rules.case_sensitive,
                    matching=rules,
                    restrict_vocab=restrict_vocab,
                    pvalues=pvalues,
                    ci=ci,
                    ci_method=ci_method,
                    n_resamples=n_resamples,
                    seed=seed,
                    **extra,
                    **evaluator_options,
                )
            )
            row = {"vectors": name, "goldset": goldset.name, "kind": goldset_kind(goldset)}
            row.update({col: scores.pop(col, math.nan) for col in COLUMNS[3:]})
            if ci is not None:
                row.update({col: scores.pop(col, math.nan) for col in CI_COLUMNS})
            row.update({col: scores.pop(col, math.nan) for col in EXTRA_COLUMNS[:3]})
            applied = scores.pop("oov", oov)  # what was done: subword without n-grams is drop
            searched = scores.pop("restrict_vocab", restrict_vocab)  # analogies: 300000 when not given
            row.update(scores)
            row.update(
                {
                    "evaluator": evaluator.name,
                    "oov": applied,
                    "case_sensitive": rules.case_sensitive,
                    "matching": rules.describe(),
                    "restrict_vocab": searched,
                    "goldset_sha256": getattr(goldset, "sha256", None),
                    "w2veval_version": __version__,
                }
            )
            rows.append(row)
    return _uniform(rows)


def _uniform(rows: list[dict]) -> list[dict]:
    """Every row with the same columns, so one table holds sets of several kinds.

    The main columns first, then every metric any row has (in order of first
    appearance), then the provenance columns; a metric a row's kind does not have is NaN.
    """
    tail = EXTRA_COLUMNS[3:]
    metrics = [key for key in dict.fromkeys(k for row in rows for k in row) if key not in tail]
    columns = metrics + [k for k in tail if any(k in row for row in rows)]
    return [{col: row.get(col, math.nan) for col in columns} for row in rows]


def evaluate(
    vectors_or_sources: VectorsSources,
    goldsets: GoldSets = None,
    *,
    oov: str = "drop",
    case_sensitive: bool = False,
    restrict_vocab: int | None = None,
    format: str = "auto",
    trust: bool = False,
    progress: bool = False,
    case: str | None = None,
    accents: bool = True,
    phrases: bool = True,
    ci: float | None = None,
    ci_method: str = "bca",
    n_resamples: int = 10_000,
    seed: int | None = 0,
    goldset_options: Mapping[str, Any] | None = None,
    evaluator_options: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Score word vectors on gold sets.

    Parameters
    ----------
    vectors_or_sources : source, list of sources, or {name: source}
        Anything :func:`w2veval.load_vectors` reads (a path, ``s3://`` URL,
        BlazingText ``model.tar.gz``, gensim ``KeyedVectors``, ``(words, matrix)``,
        ``{word: vector}``) or a loaded :class:`~w2veval.WordVectors`. Only the
        words the gold sets use are read from files.
    goldsets : name, path, GoldSet, tag, or a list of them, optional
        Defaults to ``ws353`` and ``simlex999``. A tag selects every installed
        catalogued set with that language or kind: ``lang:de``, ``kind:similarity``.
    oov : {"drop", "zero", "mean", "subword", "coverage"}
        What to do with pairs that have an unknown word; ``drop`` is what gensim and
        BlazingText do. See ``docs/objectives.md``.
    case_sensitive : bool
        ``False`` (default): a word gets its exact form (after NFC) if the vocabulary
        has it, else its most frequent case variant by ``casefold``. ``True``: the
        exact form only.
    case : {"casefold", "sensitive", "gensim"}, optional
        The case rule by name; ``"gensim"`` reproduces gensim's ``upper()`` rule
        (fold first, the most frequent variant wins) exactly, for parity checks.
        Wins over ``case_sensitive``. See ``docs/matching.md``.
    accents : bool
        ``False`` matches words ignoring accents ("café" = "cafe").
    phrases : bool
        ``True`` (default) matches multi-word entries ("ice cream") to phrase tokens
        ("ice_cream"). See ``docs/matching.md``.
    ci : float, optional
        Confidence level, e.g. ``0.95``: adds ``spearman_lo, spearman_hi, pearson_lo,
        pearson_hi`` after the main columns.
    ci_method : {"bca", "percentile", "fisher"}
        Bootstrap of the scored pairs (``n_resamples``, default 10,000; ``seed``) or
        Fisher's z closed form. See ``docs/statistics.md``.
    restrict_vocab : int, optional
        Only the first N words of each vectors file count (gensim's ``restrict_vocab``).
    goldset_options : dict, optional
        Keyword arguments of :meth:`~w2veval.GoldSet.from_file` (``encoding``,
        ``decimal_comma``, ``bad_scores``, ``duplicates``, ``header``, ``columns``, ...)
        for the gold sets given as file paths; catalogued sets keep their own settings.
    evaluator_options : dict, optional
        Options of one kind's evaluator: ``clustering`` (categorization: ``"best"``,
        the default, or one method such as ``"kmeans"``; see ``docs/categorization.md``),
        ``folds`` and ``features`` (classification: 10 folds and ``"mean"`` by default,
        or ``"sif"``; see ``docs/tasks.md``). Other evaluators ignore them; an
        unknown name is an error.

    Returns
    -------
    pandas.DataFrame
        One row per (vectors, gold set): ``vectors, goldset, kind, n_pairs, n_scored,
        coverage, spearman, pearson, kendall`` (the correlations NaN for sets that
        are not word pairs), the metrics of the other kinds present
        (:data:`KIND_COLUMNS`: ``purity``, ``accuracy``, ``opp``, ``macro_f1``, ...), then
        the p-values (``spearman_p``, ``pearson_p``, ``kendall_p``) and how the numbers were
        made (``evaluator``, ``oov``, ``case_sensitive``, ``matching``, ``restrict_vocab``,
        ``goldset_sha256``, ``w2veval_version``).

    Examples
    --------
    >>> import numpy as np
    >>> from w2veval import GoldSet
    >>> gold = GoldSet.from_pairs([("cat", "dog", 8), ("dog", "car", 2), ("cat", "car", 1)], name="toy")
    >>> words = ["cat", "dog", "car"]
    >>> table = evaluate((words, np.array([[1, 0], [0.9, 0.1], [0, 1]])), gold)
    >>> row = table.iloc[0]
    >>> print(row["goldset"], row["n_scored"], round(row["spearman"], 6))
    toy 3 1.0
    """
    import pandas as pd

    rows = evaluate_rows(
        vectors_or_sources,
        goldsets,
        oov=oov,
        case_sensitive=case_sensitive,
        restrict_vocab=restrict_vocab,
        format=format,
        trust=trust,
        progress=progress,
        case=case,
        accents=accents,
        phrases=phrases,
        ci=ci,
        ci_method=ci_method,
        n_resamples=n_resamples,
        seed=seed,
        goldset_options=goldset_options,
        evaluator_options=evaluator_options,
    )
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else list(COLUMNS + EXTRA_COLUMNS))
    return frame
