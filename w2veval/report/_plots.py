"""The report's figures, drawn with matplotlib's Agg canvas and returned as PNG bytes.

Figures are built with :class:`matplotlib.figure.Figure` directly, never through pyplot,
so drawing touches no global state and needs no display. Text that comes from data
(words, model names) is drawn with ``parse_math=False``: a ``$`` in a word is a dollar.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..errors import MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ._tables import TuningTable

__all__ = [
    "heldout_png",
    "hyperparameters_figure",
    "hyperparameters_png",
    "leaderboard_png",
    "require_matplotlib",
    "scatter_png",
]

_BEST = "#d62728"
_POINT = "#1f77b4"
_GREY = "#7f7f7f"


def require_matplotlib(purpose: str = "the report's figures") -> None:
    """Raise :class:`~w2veval.MissingDependencyError` naming ``w2veval[plot]`` without matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingDependencyError("matplotlib", "plot", purpose) from None


def _figure(width: float, height: float) -> Figure:
    require_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="tight")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a glyph the font lacks is drawn as a box
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _short(text: str, width: int = 28) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def leaderboard_png(
    scores: pd.DataFrame, level: float, min_pairs: int | None = None, min_coverage: float | None = None
) -> bytes:
    """Spearman's rho of each model on each gold set with its confidence interval; a score
    that may not rank (too few pairs, see :mod:`w2veval.scoring._ranking`) as a hollow grey point."""
    from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS, unrankable_reason

    min_pairs = MIN_RANK_PAIRS if min_pairs is None else min_pairs
    min_coverage = MIN_RANK_COVERAGE if min_coverage is None else min_coverage
    goldsets = list(dict.fromkeys(scores["goldset"]))
    models = list(dict.fromkeys(scores["vectors"]))
    figure = _figure(
        4.0 * min(len(goldsets), 3) + 1.5, (0.45 * len(models) + 1.1) * math.ceil(len(goldsets) / 3) + 0.3
    )
    axes = figure.subplots(
        math.ceil(len(goldsets) / 3), min(len(goldsets), 3), squeeze=False, sharey=True
    ).ravel()
    positions = np.arange(len(models))[::-1]
    # The grid's last row may have spare panels (hidden below): more axes than gold sets.
    for ax, goldset in zip(axes, goldsets, strict=False):
        mine = scores[scores["goldset"] == goldset].set_index("vectors").reindex(models)
        rho = mine["spearman"].to_numpy(dtype=float)
        low = mine["spearman_lo"].to_numpy(dtype=float)
        high = mine["spearman_hi"].to_numpy(dtype=float)
        errors = np.nan_to_num(np.vstack([np.clip(rho - low, 0, None), np.clip(high - rho, 0, None)]))
        greyed = np.array(
            [
                unrankable_reason(n, total, r, min_pairs=min_pairs, min_coverage=min_coverage) is not None
                for n, total, r in zip(
                    mine["n_scored"].fillna(0), mine["n_pairs"].fillna(0), rho, strict=True
                )
            ],
            dtype=np.bool_,
        )
        for keep, colour, face in ((~greyed, _POINT, _POINT), (greyed, _GREY, "none")):
            if keep.any():
                ax.errorbar(
                    rho[keep],
                    positions[keep],
                    xerr=errors[:, keep],
                    fmt="o",
                    color=colour,
                    ecolor=colour,
                    markerfacecolor=face,
                    capsize=3,
                )
        ax.axvline(0, color=_GREY, lw=0.8, ls="--")
        ax.set_title(_short(goldset, 40), parse_math=False, fontsize=10)
        ax.set_xlabel(f"Spearman ρ, {level:.0%} interval")
        ax.grid(axis="x", alpha=0.3)
    for ax in axes[len(goldsets) :]:
        ax.set_visible(False)
    axes[0].set_yticks(positions, [_short(m) for m in models])
    for label in axes[0].get_yticklabels():
        label.set_parse_math(False)
    axes[0].set_ylim(-0.6, len(models) - 0.4)
    return _png(figure)


def scatter_png(
    pairs: pd.DataFrame,
    worst: pd.DataFrame,
    goldset: str,
    models: list[str],
    rho: Mapping[str, float | None],
) -> bytes:
    """Human score (x) against cosine similarity (y) for one gold set, a panel per model;
    the worst-ranked pairs (``worst``) in red, labelled ``word1–word2``."""
    columns = min(len(models), 3)
    rows = math.ceil(len(models) / columns)
    figure = _figure(4.2 * columns + 0.4, 3.8 * rows)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, model in zip(axes, models, strict=False):  # spare panels of the grid are hidden below
        mine = pairs[(pairs["vectors"] == model) & (pairs["goldset"] == goldset) & pairs["cosine"].notna()]
        bad = worst[(worst["vectors"] == model) & (worst["goldset"] == goldset)]
        ax.scatter(mine["human"], mine["cosine"], s=12, color=_POINT, alpha=0.55, linewidths=0)
        ax.scatter(bad["human"], bad["cosine"], s=22, color=_BEST, zorder=3)
        _label(ax, bad)
        value = rho.get(model, math.nan)
        ax.set_title(
            f"{_short(model, 34)}\nρ = {value:.3f}, {len(mine)} pairs scored", fontsize=9, parse_math=False
        )
        ax.set_xlabel("human score")
        ax.set_ylabel("cosine similarity")
        ax.grid(alpha=0.3)
        if mine.empty:
            ax.text(0.5, 0.5, "no pair scored", ha="center", va="center", transform=ax.transAxes, color=_GREY)
    for ax in axes[len(models) :]:
        ax.set_visible(False)
    return _png(figure)


def _label(ax: Axes, bad: pd.DataFrame) -> None:
    """Label each point ``word1–word2``, moving labels apart so that none covers another.

    Labels are placed in axes fractions beside their point (left of it near the right
    edge) and pushed down, then up, by a line height until they overlap no placed label;
    a thin line joins a moved label to its point.
    """
    if bad.empty:
        return
    ax.autoscale_view()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    placed: list[tuple[float, float, float]] = []  # (left, right, y) in axes fractions
    height = 0.055
    points = sorted(
        zip(
            bad["word1"].tolist(),
            bad["word2"].tolist(),
            bad["human"].tolist(),
            bad["cosine"].tolist(),
            strict=True,
        ),
        key=lambda point: -point[3],
    )
    for word1, word2, human, cosine in points:
        text = _short(f"{word1}–{word2}", 30)
        fx = (human - x0) / ((x1 - x0) or 1)
        fy = (cosine - y0) / ((y1 - y0) or 1)
        width = 0.017 * len(text) + 0.02
        right_side = fx + 0.02 + width < 0.99
        left = fx + 0.02 if right_side else fx - 0.02 - width
        for step in [0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6]:
            y = min(max(fy + 0.02 + step * height, 0.03), 0.95)
            if all(
                y - height >= py or y + height <= py or left + width <= pl or left >= pr
                for pl, pr, py in placed
            ):
                break
        placed.append((left, left + width, y))
        ax.annotate(
            text,
            (human, cosine),
            xytext=(left if right_side else left + width, y),
            textcoords="axes fraction",
            fontsize=8,
            color=_BEST,
            parse_math=False,
            ha="left" if right_side else "right",
            va="center",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
            arrowprops={
                "arrowstyle": "-",
                "color": _BEST,
                "lw": 0.6,
                "alpha": 0.7,
                "shrinkA": 0,
                "shrinkB": 3,
            },
        )


def _categorical(values: pd.Series) -> bool:
    import pandas as pd

    return not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)


def hyperparameters_png(table: TuningTable) -> bytes | None:
    """:func:`hyperparameters_figure` as PNG bytes, or None."""
    figure = hyperparameters_figure(table)
    return None if figure is None else _png(figure)


def hyperparameters_figure(table: TuningTable) -> Figure | None:
    """Objective against each hyperparameter that varies (None when none varies); the best
    trial a red star (``gid`` ``best``). A multi-objective table gets a row of panels per
    objective, its Pareto-optimal trials as the stars (``gid`` ``front``)."""
    frame = table.defined()
    varying = [h for h in table.hyperparameters if frame[h].nunique(dropna=True) > 1]
    if frame.empty or not varying:
        return None
    if table.multi:
        columns, rows = len(varying), len(table.objectives)
        starred = frame[frame["pareto_optimal"]]
    else:
        columns = min(len(varying), 3)
        rows = math.ceil(len(varying) / columns)
        best = table.best  # None when no row may rank: no star
        starred = frame.iloc[0:0] if best is None else best.to_frame().T
    figure = _figure(4.0 * columns + 0.4, 3.2 * rows)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    panels = [(objective, name) for objective in table.objectives for name in varying]
    for ax, (objective, name) in zip(axes, panels, strict=False):  # spare panels are hidden below
        x, star_x = _hyperparameter_axis(ax, frame[name], starred[name])
        ax.scatter(x, frame[objective], s=16, color=_POINT, alpha=0.7, linewidths=0, gid="trials")
        if not starred.empty:
            ax.scatter(
                star_x,
                starred[objective].to_numpy(dtype=float),
                s=50,
                marker="*",
                color=_BEST,
                zorder=3,
                gid="front" if table.multi else "best",
            )
        ax.set_xlabel(name)
        ax.set_ylabel(objective)
        ax.grid(alpha=0.3)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    return figure


def _hyperparameter_axis(ax: Axes, values: pd.Series, starred: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """x positions of ``values`` and of the ``starred`` rows' values: categories in order,
    numbers on a log axis when they span more than 50x."""
    if _categorical(values):
        categories = sorted(values.dropna().astype(str).unique())
        where = {c: i for i, c in enumerate(categories)}
        ax.set_xticks(range(len(categories)), [_short(c, 12) for c in categories])
        ax.set_xlim(-0.5, len(categories) - 0.5)
        return (
            values.astype(str).map(where).to_numpy(dtype=float),
            np.array([where.get(str(v), math.nan) for v in starred], dtype=float),
        )
    x = values.to_numpy(dtype=float)
    positive = x[np.isfinite(x)]
    if positive.size and positive.min() > 0 and positive.max() / positive.min() > 50:
        ax.set_xscale("log")
    return x, starred.to_numpy(dtype=float)


def heldout_png(table: TuningTable) -> bytes | None:
    """Held-out objective (y) against tuning objective (x), with the line y = x."""
    if table.multi:
        return None
    frame = (
        table.frame[table.frame["objective"].notna() & table.frame["heldout_objective"].notna()]
        if table.has_heldout
        else None
    )
    if frame is None or frame.empty:
        return None
    figure = _figure(5.2, 4.4)
    ax = figure.subplots()
    x = frame["objective"].to_numpy(dtype=float)
    y = frame["heldout_objective"].to_numpy(dtype=float)
    ax.scatter(x, y, s=18, color=_POINT, alpha=0.7, linewidths=0)
    best = table.best
    if best is not None and best["heldout_objective"] == best["heldout_objective"]:
        ax.scatter(
            [best["objective"]],
            [best["heldout_objective"]],
            s=60,
            marker="*",
            color=_BEST,
            zorder=3,
            label="best by tuning objective",
        )
    low, high = float(min(x.min(), y.min())), float(max(x.max(), y.max()))
    pad = (high - low) * 0.05 or 0.01
    ax.plot([low - pad, high + pad], [low - pad, high + pad], color=_GREY, ls="--", lw=0.8, label="y = x")
    ax.set_xlabel("tuning objective")
    ax.set_ylabel("held-out objective")
    ax.set_title(_short(table.name, 50), fontsize=10, parse_math=False)
    ax.legend(fontsize=8, loc="best")
    ax.grid(alpha=0.3)
    return _png(figure)


def classes_png(classes: pd.DataFrame, goldset: str, models: Sequence[str]) -> bytes:
    """F1 of each class of task ``goldset`` (bars), one group per class, a bar per model; a
    class with undefined F1 (never predicted and no text) is left without a bar."""
    import numpy as np

    mine = classes[classes["goldset"] == goldset]
    labels = list(dict.fromkeys(mine["label"]))
    figure = _figure(max(4.0, 0.9 * len(labels) * max(len(models), 1) + 1.5), 3.0)
    ax = figure.add_subplot()
    width = 0.8 / max(len(models), 1)
    for i, model in enumerate(models):
        f1 = mine[mine["vectors"] == model].set_index("label")["f1"].to_dict()
        values = [float(f1[label]) if label in f1 else np.nan for label in labels]
        ax.bar(np.arange(len(labels)) + i * width - 0.4 + width / 2, values, width, label=_short(model))
    ax.set_xticks(np.arange(len(labels)), [_short(label, 16) for label in labels])
    ax.set_ylim(0, 1)
    ax.set_ylabel("F1 (out-of-fold)")
    ax.set_title(_short(goldset, 40))
    if len(models) > 1:
        ax.legend(fontsize="small")
    return _png(figure)
