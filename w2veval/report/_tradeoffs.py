"""The figures of what tuning traded: the Pareto front of a multi-objective table, and
each objective against what its trial cost.

Each figure has a ``*_figure`` function returning the :class:`matplotlib.figure.Figure`
(for programs and tests that look at its artists: the point sets carry a ``gid``,
``trials``, ``front``, ``pruned``, ``pruned-undefined`` and ``best``) and a ``*_png``
function returning its PNG bytes, or None when the table has nothing to draw. Which
trials are Pareto-optimal is read from the table's ``pareto_optimal`` column (marked by
:mod:`w2veval.tune`), never recomputed here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ._format import objective_label
from ._plots import _BEST, _GREY, _POINT, _figure, _png, _short

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ._tables import TuningTable

__all__ = ["COST_LABELS", "cost_figure", "cost_png", "pareto_figure", "pareto_png"]

COST_LABELS = {
    "cost": "estimated cost (wall hours × price per hour)",
    "cpu_seconds": "CPU seconds",
    "wall_seconds": "wall seconds",
    "seconds": "wall seconds",
}
"""The x-axis label of the objective-against-cost figure, by the column drawn."""

_FRONT_COLOURS = ("#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def _complete(table: TuningTable) -> pd.DataFrame:
    """The complete trials whose every objective is a number (all of them without ``state``)."""
    frame = table.defined()
    if "state" in frame:
        frame = frame[frame["state"].astype(str) == "COMPLETE"]
    return frame


def _front_of(table: TuningTable, complete: pd.DataFrame) -> pd.DataFrame:
    return complete[complete["pareto_optimal"]]


def pareto_figure(table: TuningTable) -> Figure | None:
    """The Pareto front of a multi-objective table, or None (single objective, one
    objective, or no complete trial).

    Two objectives: every complete trial as a point (objective_1 on x, objective_2 on y),
    the Pareto-optimal ones in red, joined in order of objective_1 and labelled with their
    trial. Three or more: parallel coordinates, one vertical axis per objective, each
    scaled to [0, 1] between its lowest and highest value over the complete trials; the
    front's trials drawn bold, each in its colour and labelled, the others thin and grey.
    """
    if not table.multi or len(table.objectives) < 2:
        return None
    complete = _complete(table)
    if complete.empty:
        return None
    if len(table.objectives) == 2:
        return _scatter_front(table, complete)
    return _parallel_front(table, complete)


def pareto_png(table: TuningTable) -> bytes | None:
    """:func:`pareto_figure` as PNG bytes, or None."""
    figure = pareto_figure(table)
    return None if figure is None else _png(figure)


def _scatter_front(table: TuningTable, complete: pd.DataFrame) -> Figure:
    x_name, y_name = table.objectives
    front = _front_of(table, complete).sort_values([x_name, y_name], kind="mergesort")
    others = complete[~complete["pareto_optimal"]]
    figure = _figure(5.6, 4.6)
    ax = figure.subplots()
    ax.scatter(
        others[x_name],
        others[y_name],
        s=18,
        color=_POINT,
        alpha=0.6,
        linewidths=0,
        label="other complete trials",
        gid="trials",
    )
    if not front.empty:
        ax.plot(front[x_name], front[y_name], color=_BEST, lw=1.2, alpha=0.8, zorder=2, gid="front-line")
        ax.scatter(
            front[x_name], front[y_name], s=46, color=_BEST, zorder=3, label="Pareto-optimal", gid="front"
        )
        for row in front.itertuples(index=False):
            ax.annotate(
                _short(getattr(row, table.label), 16),
                (getattr(row, x_name), getattr(row, y_name)),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
                color=_BEST,
                parse_math=False,
                gid="front-label",
            )
    ax.set_xlabel(objective_label(table, 0), parse_math=False)
    ax.set_ylabel(objective_label(table, 1), parse_math=False)
    ax.set_title(
        f"{_short(table.name, 40)}: {len(front)} of {len(complete)} complete trials on the front",
        fontsize=10,
        parse_math=False,
    )
    ax.legend(fontsize=8, loc="best")
    ax.grid(alpha=0.3)
    return figure


def _scaled(values: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.full_like(values, 0.5) if high == low else (values - low) / (high - low)


def _parallel_front(table: TuningTable, complete: pd.DataFrame) -> Figure:
    names = list(table.objectives)
    values = complete[names].to_numpy(dtype=float)
    low, high = values.min(axis=0), values.max(axis=0)
    scaled = np.column_stack([_scaled(values[:, k], low[k], high[k]) for k in range(len(names))])
    on_front = complete["pareto_optimal"].to_numpy(dtype=bool)
    positions = np.arange(len(names), dtype=float)
    figure = _figure(1.9 * len(names) + 2.6, 4.6)
    ax = figure.subplots()
    for row in scaled[~on_front]:
        ax.plot(positions, row, color=_GREY, lw=0.8, alpha=0.45, zorder=1, gid="trials")
    labels = complete[table.label].tolist()
    front_labels = [label for label, on in zip(labels, on_front, strict=True) if on]
    for i, (row, label) in enumerate(zip(scaled[on_front], front_labels, strict=True)):
        colour = _FRONT_COLOURS[i % len(_FRONT_COLOURS)]
        ax.plot(positions, row, color=colour, lw=2.2, marker="o", ms=4, zorder=3, gid="front")
        ax.annotate(
            _short(label, 12),
            (positions[-1], row[-1]),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=colour,
            parse_math=False,
            gid="front-label",
        )
    for k, position in enumerate(positions):
        ax.axvline(position, color="black", lw=0.8, zorder=0)
        for y, value, where in ((-0.04, low[k], "top"), (1.04, high[k], "bottom")):
            ax.text(
                position,
                y,
                f"{value:.4g}",
                ha="center",
                va=where,
                fontsize=7,
                color=_GREY,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"},
            )
    ax.set_xticks(positions, [objective_label(table, k, sep="\n") for k in range(len(names))])
    for text in ax.get_xticklabels():
        text.set_parse_math(False)
    ax.set_xlim(-0.3, positions[-1] + 0.6)
    ax.set_ylim(-0.12, 1.12)
    ax.set_yticks([])
    ax.set_ylabel("scaled to [0, 1] over the complete trials")
    ax.set_title(
        f"{_short(table.name, 40)}: {int(on_front.sum())} of {len(complete)} complete trials on "
        f"the front (bold)",
        fontsize=10,
        parse_math=False,
    )
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return figure


def cost_figure(table: TuningTable) -> Figure | None:
    """Each objective (y) against what its trial cost (x: :meth:`TuningTable.cost_axis`), or
    None when the table records no cost or time, or no complete or pruned trial has one.

    Complete trials are filled points (the best, or the Pareto-optimal ones, in red);
    pruned trials hollow grey diamonds at the objective they last reported, or, without
    one, grey crosses below every other point, at their cost. A multi-objective table gets a panel
    per objective.
    """
    x_name = table.cost_axis()
    if x_name is None:
        return None
    frame = table.frame[table.frame[x_name].notna()]
    state = frame["state"].astype(str) if "state" in frame else None
    complete = frame if state is None else frame[state == "COMPLETE"]
    pruned = frame.iloc[0:0] if state is None else frame[state == "PRUNED"]
    if not complete[list(table.objectives)].notna().to_numpy().any() and pruned.empty:
        return None
    panels = len(table.objectives)
    columns = min(panels, 3)
    figure = _figure(4.4 * columns + 0.4, 3.6 * math.ceil(panels / columns))
    axes = figure.subplots(math.ceil(panels / columns), columns, squeeze=False).ravel()
    for k, (ax, name) in enumerate(zip(axes, table.objectives, strict=False)):  # spare panels: hidden
        _cost_panel(ax, table, name, x_name, complete, pruned)
        ax.set_ylabel(objective_label(table, k), parse_math=False)
        ax.set_xlabel(COST_LABELS[x_name])
    for ax in axes[panels:]:
        ax.set_visible(False)
    axes[0].legend(fontsize=8, loc="best")
    return figure


def cost_png(table: TuningTable) -> bytes | None:
    """:func:`cost_figure` as PNG bytes, or None."""
    figure = cost_figure(table)
    return None if figure is None else _png(figure)


def _cost_panel(
    ax: Axes, table: TuningTable, name: str, x_name: str, complete: pd.DataFrame, pruned: pd.DataFrame
) -> None:
    done = complete[complete[name].notna()]
    if table.multi:
        star = done[done["pareto_optimal"]]
        rest = done[~done["pareto_optimal"]]
    else:
        best = table.best
        star = done.iloc[0:0] if best is None else done[done[table.label] == best[table.label]]
        rest = done.drop(star.index)
    ax.scatter(
        rest[x_name],
        rest[name],
        s=20,
        color=_POINT,
        alpha=0.75,
        linewidths=0,
        label=f"complete ({len(done)})",
        gid="trials",
    )
    if not star.empty:
        ax.scatter(
            star[x_name],
            star[name],
            s=60,
            marker="*",
            color=_BEST,
            zorder=3,
            label="Pareto-optimal" if table.multi else "best",
            gid="front" if table.multi else "best",
        )
    reported = pruned[pruned[name].notna()]
    if not reported.empty:
        ax.scatter(
            reported[x_name],
            reported[name],
            s=28,
            marker="D",
            facecolors="none",
            edgecolors=_GREY,
            linewidths=1.0,
            label=f"pruned ({len(reported)})",
            gid="pruned",
        )
    silent = pruned[pruned[name].isna()]
    if not silent.empty:
        # A pruned trial without an objective still spent its cost: a cross below every point.
        drawn = np.concatenate([done[name].to_numpy(dtype=float), reported[name].to_numpy(dtype=float)])
        low, high = (drawn.min(), drawn.max()) if drawn.size else (0.0, 1.0)
        ax.scatter(
            silent[x_name],
            np.full(len(silent), low - 0.08 * ((high - low) or 1.0)),
            marker="x",
            s=26,
            color=_GREY,
            linewidths=1.0,
            label=f"pruned, no {name} (drawn below)",
            gid="pruned-undefined",
        )
    ax.grid(alpha=0.3)
