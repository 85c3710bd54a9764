"""`build_report`: the numbers of a report, and the :class:`Report` that renders them."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._output import write_atomic
from .._version import __version__
from ..errors import option
from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS
from ._format import slugs
from ._inputs import ReportInputError, ReportOutputError, split_inputs, study_table
from ._tables import TuningTable

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import AnyGoldSet, GoldSets, StrPath
    from ..goldsets import GoldSet
    from ._inputs import ReportInputs
__all__ = ["DEFAULT_PROBES", "Report", "build_report"]

DEFAULT_PROBES = ("family", "sad")
"""The words whose nearest neighbours a report shows when ``probes`` is not given."""


@dataclass
class Report:
    """Everything a report shows, as DataFrames, and ways to render it.

    Attributes
    ----------
    title : str
    models : list of str
        Display names of the vectors inputs, in input order.
    goldsets : list of str
        The word-similarity gold sets scored.
    scores : pandas.DataFrame
        :func:`w2veval.evaluate` with intervals: one row per (model, gold set).
    leaderboard : pandas.DataFrame
        One row per model, best mean Spearman over the rankable gold sets first
        (``rank, vectors, mean_spearman``, then per gold set ``<name>, <name>_lo,
        <name>_hi, <name>_n_scored, <name>_n_pairs, <name>_coverage, <name>_unrankable``);
        ``rank`` is NaN for every model when no gold set is rankable.
    ranked_goldsets : list of str
        The gold sets on which every model's score may rank (at least ``min_pairs``
        pairs scored and coverage at least ``min_coverage``); the leaderboard ranks on
        these alone.
    rank_reasons : dict
        ``{gold set: why it cannot rank}`` for the others.
    min_pairs, min_coverage
        The ranking rule's thresholds (see ``docs/statistics.md``, "Which scores may rank").
    comparisons : pandas.DataFrame
        Every model pair on every gold set (``a, b, goldset, n_common, spearman_a,
        spearman_b, delta, delta_lo, delta_hi, p_value, p_holm``); empty with one model.
    pairs : pandas.DataFrame
        Every gold-set pair in every model: ``human``, ``cosine`` and their ranks.
    worst : pandas.DataFrame
        The ``n_labels`` pairs of each (model, gold set) whose ranks differ most.
    neighbours : pandas.DataFrame
        ``probe, vectors, found, rank, neighbour, similarity``.
    coverage : pandas.DataFrame
        ``vectors, goldset, n_pairs, n_scored, coverage``.
    tuning : list of TuningTable
        The results files, frames and studies, each best first.
    notes : list of str
        The warnings raised while computing (low coverage, few pairs), once each.
    other_goldsets : list of str
        The categorization, outlier and classification sets scored (issue 13).
    kind_scores : pandas.DataFrame
        Their evaluate rows (with intervals where the evaluator gives them).
    categories : pandas.DataFrame
        Per (model, categorization set, category): ``n_items, n_scored, cluster, share,
        cluster_category`` (:func:`w2veval.scoring._categorization.category_table`).
    classes : pandas.DataFrame
        Per (model, task, class): ``support, precision, recall, f1`` of the out-of-fold
        predictions.
    """

    title: str
    models: list[str]
    goldsets: list[str]
    scores: pd.DataFrame = field(repr=False)
    leaderboard: pd.DataFrame = field(repr=False)
    comparisons: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    worst: pd.DataFrame = field(repr=False)
    neighbours: pd.DataFrame = field(repr=False)
    coverage: pd.DataFrame = field(repr=False)
    tuning: list[TuningTable] = field(default_factory=list)
    probes: tuple[str, ...] = DEFAULT_PROBES
    level: float = 0.95
    ci_method: str = "bca"
    n_resamples: int = 10_000
    seed: int | None = 0
    alpha: float = 0.05
    notes: list[str] = field(default_factory=list)
    ranked_goldsets: list[str] = field(default_factory=list)
    rank_reasons: dict[str, str] = field(default_factory=dict)
    min_pairs: int = MIN_RANK_PAIRS
    min_coverage: float = MIN_RANK_COVERAGE
    other_goldsets: list[str] = field(default_factory=list)
    kind_scores: pd.DataFrame | None = field(default=None, repr=False)
    categories: pd.DataFrame | None = field(default=None, repr=False)
    classes: pd.DataFrame | None = field(default=None, repr=False)
    version: str = __version__
    _figures: dict[str, bytes] | None = field(default=None, repr=False, compare=False)
    progress: bool = field(default=False, repr=False, compare=False)

    def figures(self) -> dict[str, bytes]:
        """``{file name: PNG bytes}`` of every figure, in report order (drawn once, then kept)."""
        if self._figures is None:
            from .._progress import steps
            from . import _plots, _tradeoffs

            _plots.require_matplotlib()
            figures: dict[str, bytes] = {}
            if self.models and self.goldsets:
                figures["leaderboard.png"] = _plots.leaderboard_png(
                    self.scores, self.level, self.min_pairs, self.min_coverage
                )
                rho = self.scores.set_index(["vectors", "goldset"])["spearman"].to_dict()
                for goldset, slug in steps(
                    list(zip(self.goldsets, slugs(self.goldsets), strict=True)),
                    desc="report: plots",
                    progress=self.progress,
                    unit="figure",
                ):
                    mine = {m: rho.get((m, goldset)) for m in self.models}
                    figures[f"pairs-{slug}.png"] = _plots.scatter_png(
                        self.pairs, self.worst, goldset, self.models, mine
                    )
            if self.classes is not None and not self.classes.empty:
                tasks = list(dict.fromkeys(self.classes["goldset"]))
                for goldset, slug in zip(tasks, slugs(tasks), strict=True):
                    figures[f"classes-{slug}.png"] = _plots.classes_png(self.classes, goldset, self.models)
            for table, slug in zip(self.tuning, self.tuning_slugs(), strict=True):
                for kind, draw in (
                    ("pareto", _tradeoffs.pareto_png),
                    ("hyperparameters", _plots.hyperparameters_png),
                    ("heldout", _plots.heldout_png),
                    ("cost", _tradeoffs.cost_png),
                ):
                    data = draw(table)
                    if data is not None:
                        figures[f"tuning-{slug}-{kind}.png"] = data
            self._figures = figures
        return self._figures

    def goldset_slugs(self) -> list[str]:
        """A unique file-name slug per word-similarity gold set, as the figures are named."""
        return slugs(self.goldsets)

    def tuning_slugs(self) -> list[str]:
        """A unique file-name slug per tuning table, as the figures are named."""
        return slugs(t.name for t in self.tuning)

    def to_html(self) -> str:
        """The report as one self-contained HTML page (figures inline, nothing fetched)."""
        from ._html import render_html

        return render_html(self)

    def to_markdown(self, image_dir: str | None = None) -> str:
        """The report as GitHub Markdown; with ``image_dir``, figures are linked from there
        (write them with :meth:`write_plots`)."""
        from ._markdown import render_markdown

        return render_markdown(self, image_dir)

    def write_plots(self, directory: StrPath) -> list[str]:
        """Write every figure as a PNG file into ``directory`` (created if needed); the paths."""
        figures = self.figures()
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as exc:
            raise ReportOutputError(
                f"cannot make the folder for the figures: {exc.strerror or exc}", path=directory
            ) from None
        paths = []
        for name, data in figures.items():
            path = os.path.join(os.fspath(directory), name)
            write_atomic(path, data, error=ReportOutputError)
            paths.append(path)
        return paths

    def write(self, path: StrPath, format: str = "html", image_dir: str | None = None) -> str:
        """Render and write the report to ``path`` atomically (``format`` "html" or "markdown")."""
        if format not in ("html", "markdown"):
            raise ReportInputError(f"unknown report format {format!r}; choose html or markdown")
        text = self.to_html() if format == "html" else self.to_markdown(image_dir)
        write_atomic(path, text.encode("utf-8"), error=ReportOutputError)
        return os.fspath(path)


def _goldsets(goldsets: GoldSets, notes: list[str]) -> tuple[list[GoldSet], list[AnyGoldSet]]:
    from ..scoring._evaluate import _resolve_goldsets

    resolved: list[Any] = []
    for goldset in _resolve_goldsets(goldsets):  # a set asked for twice (by name and by tag) once
        if goldset.name not in {g.name for g in resolved}:
            resolved.append(goldset)
    from ._kinds import is_other_kind

    pairs = [g for g in resolved if hasattr(g, "scores")]
    others = [g for g in resolved if is_other_kind(g)]
    skipped = [g.name for g in resolved if not hasattr(g, "scores") and not is_other_kind(g)]
    if skipped:
        notes.append(
            f"left out {', '.join(skipped)}: the report scores word-similarity gold sets, "
            "categorization, outlier and classification sets, not analogies (see `w2veval analogies`)"
        )
    if not pairs and not others:
        raise ReportInputError(
            "none of the gold sets is a word-similarity, categorization, outlier or "
            "classification set; give one with -g (e.g. -g ws353)"
        )
    return pairs, others


def build_report(
    inputs: ReportInputs = (),
    goldsets: GoldSets = None,
    *,
    storage: str | None = None,
    study: str | Sequence[str] | None = None,
    probes: Sequence[str] | None = DEFAULT_PROBES,
    k: int = 10,
    ci: float = 0.95,
    ci_method: str = "bca",
    n_resamples: int = 10_000,
    seed: int | None = 0,
    n_labels: int = 5,
    alpha: float = 0.05,
    case_sensitive: bool = False,
    restrict_vocab: int | None = None,
    format: str = "auto",
    trust: bool = False,
    title: str | None = None,
    progress: bool = False,
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
) -> Report:
    """Gather the numbers of a report on vectors and tuning results.

    Parameters
    ----------
    inputs : INPUT, list of INPUTs, or {name: INPUT}
        Vectors sources (anything :func:`w2veval.load_vectors` reads), results files
        (``.csv``/``.json`` written by ``w2veval tune results`` or ``w2veval sagemaker
        results``) and results DataFrames (``tune.results``, ``sagemaker tuning_results``).
    goldsets : names, paths, GoldSets or tags, optional
        Word-similarity gold sets; default ``ws353`` and ``simlex999``.
    storage, study : str, optional
        An Optuna storage URL and one study name (or a list of them), read with
        ``w2veval.tune.results``.
    probes : sequence of str
        Words whose nearest neighbours are shown side by side ("family", "sad"); a
        probe a model lacks shows as missing. ``()`` skips the section, and then only
        the words of the gold sets are read from each vectors file.
    k : int
        Neighbours per probe.
    ci, ci_method, n_resamples, seed
        Confidence level and method of the intervals (see :func:`w2veval.evaluate`);
        the pairwise comparisons use the same level, resamples and seed.
    n_labels : int
        Worst-ranked pairs labelled in each scatter plot and listed below it.
    alpha : float
        Holm-adjusted p-values below it are marked significant in the matrix.
    case_sensitive, restrict_vocab, format, trust
        As in :func:`w2veval.evaluate`.
    title : str, optional
        The report's title; default ``w2veval report:`` and the names of the models and
        tuning tables.
    min_pairs, min_coverage
        The ranking rule: a score ranks models only if it stands on at least
        ``min_pairs`` scored pairs (default 30) and at least ``min_coverage`` of its gold
        set's pairs (default 0.8). The leaderboard ranks by mean ρ over the gold sets on
        which every model passes; other scores are shown greyed with their reason. With
        no such gold set, no model is ranked. A study's trials are ranked (and its Pareto
        front marked) by the same rule (``w2veval.tune.results(..., min_pairs=,
        min_coverage=)``); a results file keeps the marks it was written with.
    progress : bool
        Progress bars on stderr for reading the files, the bootstrap, the pairs, the
        neighbours and (later, when the report is rendered) the figures; each appears
        only once its step has taken a second (see ``W2VEVAL_PROGRESS_DELAY``).

    Returns
    -------
    Report

    Raises
    ------
    ReportInputError, ReportSourceError
        Nothing to report, an unknown INPUT, an unreadable results file or one without
        the columns a report needs. Vectors and gold sets raise their own
        :class:`~w2veval.W2VEvalError` subclasses.

    Examples
    --------
    >>> import numpy as np
    >>> from w2veval import GoldSet
    >>> gold = GoldSet.from_pairs([("cat", "dog", 8), ("dog", "car", 2), ("cat", "car", 1)], name="toy")
    >>> vectors = (["cat", "dog", "car"], np.array([[1, 0], [0.9, 0.1], [0, 1]]))
    >>> report = build_report({"mine": vectors}, gold, probes=("cat", "gnu"), k=1, n_resamples=100)
    >>> report.leaderboard[["rank", "vectors", "toy"]].to_dict("records")  # 3 pairs: not ranked
    [{'rank': nan, 'vectors': 'mine', 'toy': 1.0}]
    >>> small = build_report({"mine": vectors}, gold, k=1, n_resamples=100, min_pairs=3)
    >>> small.leaderboard[["rank", "vectors", "toy"]].to_dict("records")
    [{'rank': 1, 'vectors': 'mine', 'toy': 1.0}]
    >>> report.neighbours[["probe", "found", "rank"]].values.tolist()
    [['cat', True, 1.0], ['gnu', False, nan]]
    >>> report.neighbours.at[0, "neighbour"]
    'dog'
    >>> print(report.to_markdown().splitlines()[0])
    # w2veval report: mine
    """
    import pandas as pd

    from ..matching import MatchRules
    from . import _data

    if k < 1 or n_labels < 0:
        raise ReportInputError(
            f"{option('k')} must be at least 1 and {option('n_labels')} at least 0, "
            f"got {option('k', k)}, {option('n_labels', n_labels)}"
        )
    if not 0 < ci < 1:
        raise ReportInputError(f"the confidence level must lie between 0 and 1, got {ci!r}")
    if isinstance(min_pairs, bool) or not isinstance(min_pairs, int) or min_pairs < 2:
        raise ReportInputError(
            f"{option('min_pairs')} is the fewest scored pairs a ranking score stands on, "
            f"an integer of at least 2; got {option('min_pairs', min_pairs)}"
        )
    if (
        isinstance(min_coverage, bool)
        or not isinstance(min_coverage, (int, float))
        or not 0 <= min_coverage <= 1
    ):
        raise ReportInputError(
            f"{option('min_coverage')} is a share of a gold set's pairs, between 0 and 1; "
            f"got {option('min_coverage', min_coverage)}"
        )
    named, tables = split_inputs(inputs)
    studies = [study] if isinstance(study, str) else list(study or ())
    if studies:
        if not storage:
            raise ReportInputError(
                f"a study INPUT needs its storage: give {option('storage', ...)} with {option('study', ...)}"
            )
        tables += [
            study_table(storage, name, min_pairs=min_pairs, min_coverage=min_coverage) for name in studies
        ]
    if not named and not tables:
        raise ReportInputError(
            "nothing to report: give vectors sources, results files (.csv/.json) "
            f"or a study ({option('storage', ...)} {option('study', ...)})"
        )
    probe_words = tuple(dict.fromkeys(p for p in (probes or ()) if p.strip()))
    notes: list[str] = []
    rules = MatchRules.from_options(case_sensitive)
    empty = pd.DataFrame()
    frames: dict[str, pd.DataFrame] = dict.fromkeys(
        ("scores", "leaderboard", "comparisons", "pairs", "worst", "neighbours", "coverage"), empty
    )
    kinds: dict[str, pd.DataFrame] = {}  # none without vectors: the Report's fields stay None
    from ._kinds import kind_frames

    resolved: list[GoldSet] = []
    others: list[AnyGoldSet] = []
    models: list[str] = []
    if named:
        resolved, others = _goldsets(goldsets, notes)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loaded, full = _data.load_all(
                named,
                resolved + others,
                rules=rules,
                probes=probe_words,
                restrict_vocab=restrict_vocab,
                format=format,
                trust=trust,
                progress=progress,
            )
            if resolved:
                scores, comparisons = _data.score_frames(
                    loaded,
                    resolved,
                    rules=rules,
                    ci=ci,
                    ci_method=ci_method,
                    n_resamples=n_resamples,
                    seed=seed,
                    restrict_vocab=restrict_vocab,
                    progress=progress,
                )
                pairs = _data.pair_frame(
                    loaded, resolved, rules=rules, restrict_vocab=restrict_vocab, progress=progress
                )
            kinds = kind_frames(
                loaded,
                others,
                rules=rules,
                ci=ci,
                n_resamples=n_resamples,
                seed=seed,
                restrict_vocab=restrict_vocab,
            )
        # w2veval's own warnings (coverage, few pairs, ties) become the report's notes; others,
        # such as a library's deprecation, go on as warnings.
        notes.extend(dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, UserWarning)))
        for w in caught:
            if not issubclass(w.category, UserWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        models = list(loaded)
    if named and resolved:
        frames.update(
            scores=scores,
            comparisons=comparisons,
            pairs=pairs,
            leaderboard=_data.leaderboard_frame(scores, min_pairs=min_pairs, min_coverage=min_coverage),
            worst=_data.worst_pairs(pairs, n_labels),
            neighbours=_data.neighbour_frame(
                full, probe_words, rules=rules, restrict_vocab=restrict_vocab, k=k, progress=progress
            ),
            coverage=scores[["vectors", "goldset", "n_pairs", "n_scored", "coverage"]].copy(),
        )
    if title is None:
        title = "w2veval report: " + ", ".join(models + [t.name for t in tables])
    return Report(
        title=title,
        models=models,
        goldsets=[g.name for g in resolved],
        tuning=list(tables),
        probes=probe_words,
        level=ci,
        ci_method=ci_method,
        n_resamples=n_resamples,
        seed=seed,
        alpha=alpha,
        notes=notes,
        progress=progress,
        min_pairs=min_pairs,
        min_coverage=float(min_coverage),
        other_goldsets=[g.name for g in others],
        ranked_goldsets=list(frames["leaderboard"].attrs.get("ranked_goldsets", [])),
        rank_reasons=dict(frames["leaderboard"].attrs.get("reasons", {})),
        scores=frames["scores"],
        leaderboard=frames["leaderboard"],
        comparisons=frames["comparisons"],
        pairs=frames["pairs"],
        worst=frames["worst"],
        neighbours=frames["neighbours"],
        coverage=frames["coverage"],
        kind_scores=kinds.get("kind_scores"),
        categories=kinds.get("categories"),
        classes=kinds.get("classes"),
    )
