"""The small pieces the HTML report is built of: escaped text, ``data-*`` attributes, inline
figures, and the sentence naming how the intervals were made."""

from __future__ import annotations

import base64
import math
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._report import Report

__all__ = ["data_attrs", "esc", "figure_tag", "interval_method"]


def esc(text: object) -> str:
    """``text`` as HTML text or attribute value, every special character escaped."""
    return escape(str(text), quote=True)


def data_attrs(**values: object) -> str:
    """``data-*`` attributes with full-precision values (``nan`` for NaN)."""
    parts = []
    for key, value in values.items():
        if isinstance(value, float) and math.isnan(value):
            value = "nan"
        elif hasattr(value, "item"):
            value = value.item()
        parts.append(f' data-{key.replace("_", "-")}="{esc(value)}"')
    return "".join(parts)


def figure_tag(data: bytes | None, alt: str, caption: str = "") -> str:
    """A PNG inline as a ``<figure>`` (``data:`` URL), with its caption; nothing without data."""
    if data is None:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    text = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="data:image/png;base64,{encoded}" alt="{esc(alt)}">{text}</figure>'


def interval_method(report: Report) -> str:
    """How the report's intervals were made, e.g. "95% BCa bootstrap intervals, 1,000 resamples, seed 0"."""
    if report.ci_method == "fisher":
        return f"{report.level:.0%} intervals by Fisher's z"
    return (
        f"{report.level:.0%} {'BCa' if report.ci_method == 'bca' else report.ci_method} "
        f"bootstrap intervals, {report.n_resamples:,} resamples, seed {report.seed}"
    )
