"""Rendering result rows as a text table, JSON or CSV (no pandas needed)."""

from __future__ import annotations

import csv
import io
import json
import math

__all__ = ["to_table", "to_json", "to_csv", "json_safe", "render_frame"]


def json_safe(value):
    """``value`` with NaN/inf replaced by ``None`` and numpy scalars made Python."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(rows: list[dict]) -> str:
    """A JSON list of row objects; NaN is written as ``null``."""
    return json.dumps(json_safe(rows), indent=2, allow_nan=False, ensure_ascii=False)


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(json_safe(rows))
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def to_table(rows: list[dict], columns) -> str:
    """A fixed-width text table of ``columns``; numbers right-aligned."""
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    numeric = [all(isinstance(row.get(col), (int, float)) or row.get(col) is None for row in rows)
               for col in columns]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells])


def render_frame(frame, fmt: str) -> str:
    """A DataFrame as the command line prints it: ``table``, ``json`` (row objects) or ``csv``."""
    rows = frame.to_dict(orient="records")
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows).rstrip("\n")
    return to_table(rows, tuple(frame.columns))
