"""Small helpers the HTML and Markdown writers share: numbers, slugs, names of figures."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._tables import TuningTable

__all__ = ["DASH", "front_columns", "number", "objective_label", "slugs", "totals_line", "tuning_columns"]

DASH = "–"


def number(value: Any, digits: int = 3) -> str:
    """``value`` with ``digits`` decimals; an en dash for NaN/None; integers as integers."""
    if value is None:
        return DASH
    if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b":
        return str(bool(value))
    if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        return str(int(value))
    if isinstance(value, float) or hasattr(value, "dtype"):
        value = float(value)
        if math.isnan(value):
            return DASH
        if value != 0 and (abs(value) < 10**-digits or abs(value) >= 1e6):
            return f"{value:.{digits}g}"
        return f"{value:.{digits}f}"
    return str(value)


def slugs(names: Iterable[object]) -> list[str]:
    """A unique ``[a-z0-9-]`` slug per name, in order (``x``, ``x-2`` for repeats)."""
    out, seen = [], set()
    for name in names:
        base = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-") or "item"
        slug, n = base, 1
        while slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        out.append(slug)
    return out


def tuning_columns(table: TuningTable) -> list[str]:
    """The columns of a tuning table worth showing, in reading order."""
    frame = table.frame
    first = (
        [table.label]
        + [c for c in ("state", "status") if c in frame]
        + [c for c in table.objectives if c != "objective"]
        + [c for c in ("pareto_optimal", "objective", "objective_std", "heldout_objective") if c in frame]
    )
    last = [
        c
        for c in (
            "n_scored",
            "coverage",
            "note",
            "steps",
            "wall_seconds",
            "cpu_seconds",
            "words_per_second",
            "peak_memory_mb",
            "cost",
            "seconds",
            "billable_seconds",
        )
        if c in frame
    ]
    return first + list(table.goldsets) + list(table.hyperparameters) + last


def objective_label(table: TuningTable, k: int, sep: str = " ") -> str:
    """How figures and the front's table name objective ``k`` (0-based): its name, with
    ``objective_k`` beside a name that differs, and which way is better when known; the
    parts joined by ``sep``."""
    column, name = table.objectives[k], table.objective_names[k]
    parts = [name] if name == column else [name, f"({column})"]
    if table.directions:
        parts.append("higher is better" if table.directions[k] == "maximize" else "lower is better")
    return sep.join(parts)


def front_columns(table: TuningTable) -> list[str]:
    """The columns of the Pareto front's table: who, the objectives, the hyperparameters, the cost."""
    spent = [c for c in ("wall_seconds", "cpu_seconds", "cost") if c in table.frame]
    return [table.label, *table.objectives, *table.hyperparameters, *spent]


def totals_line(table: TuningTable) -> str:
    """One sentence of what the table's trials spent (see :meth:`TuningTable.totals`)."""
    totals = table.totals()
    counted = ""
    if "state" in table.frame:
        states = table.frame["state"].astype(str).value_counts()
        order = {s: i for i, s in enumerate(("COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"))}
        named = sorted(
            ((str(state), int(n)) for state, n in states.items()),
            key=lambda item: (order.get(item[0], len(order)), item[0]),
        )
        counted = " (" + ", ".join(f"{n} {s.lower()}" for s, n in named) + ")"
    parts = [f"{totals['trials']} trials{counted}"]
    if totals["wall_seconds"] == totals["wall_seconds"]:
        parts.append(f"{totals['wall_seconds']:,.1f} wall seconds")
    if totals["cpu_seconds"] == totals["cpu_seconds"]:
        parts.append(f"{totals['cpu_seconds']:,.1f} CPU seconds")
    if totals["cost"] == totals["cost"]:
        price = table.frame.attrs.get("price_per_hour") if hasattr(table.frame, "attrs") else None
        at = f" at {price:g} per hour" if isinstance(price, (int, float)) else ""
        parts.append(f"estimated cost {totals['cost']:.4g}{at}")
    return "In all: " + ", ".join(parts) + "."


def cell(value: Any, digits: int = 4) -> str:
    """A table cell's text: numbers rounded, NaN as a dash, the rest as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return number(value, digits)
