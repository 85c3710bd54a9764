"""Small helpers the HTML and Markdown writers share: numbers, slugs, names of figures."""

from __future__ import annotations

import math
import re

__all__ = ["number", "slugs", "tuning_columns", "DASH"]

DASH = "–"


def number(value, digits: int = 3) -> str:
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
        if value != 0 and (abs(value) < 10 ** -digits or abs(value) >= 1e6):
            return f"{value:.{digits}g}"
        return f"{value:.{digits}f}"
    return str(value)


def slugs(names) -> list[str]:
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


def tuning_columns(table) -> list[str]:
    """The columns of a tuning table worth showing, in reading order."""
    frame = table.frame
    first = [table.label] + [c for c in ("state", "status", "objective", "objective_std", "heldout_objective")
                             if c in frame]
    last = [c for c in ("n_scored", "coverage", "note", "seconds", "billable_seconds") if c in frame]
    return first + list(table.goldsets) + list(table.hyperparameters) + last


def cell(value, digits: int = 4) -> str:
    """A table cell's text: numbers rounded, NaN as a dash, the rest as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return number(value, digits)
