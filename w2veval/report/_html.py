"""The report as one self-contained HTML page.

Every figure is inline (``data:image/png;base64``), the style sheet is in the page and
there is no script, font or link to anything outside it. All text from data is escaped.
Tables carry stable ids and classes (``leaderboard``, ``matrix-<goldset>``,
``pairs-<goldset>``, ``neighbours-<probe>``, ``coverage``, ``tuning-<name>``, ``pareto-<name>``)
and each number cell its full-precision value in ``data-*`` attributes, for programs that
read the page. This module assembles the page and writes the tuning sections; the sections
on scored vectors are :mod:`._html_scores`, the small pieces :mod:`._html_parts`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from ._format import DASH, cell, front_columns, number, objective_label, totals_line, tuning_columns
from ._html_parts import data_attrs, esc, figure_tag, interval_method
from ._html_scores import (
    coverage_section,
    leaderboard_section,
    matrix_section,
    neighbours_section,
    pairs_section,
)

if TYPE_CHECKING:
    from ._report import Report
    from ._tables import TuningTable

__all__ = ["render_html"]

_STYLE = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d8dde6; --soft: #f4f6f9; --accent: #1f5fbf;
        --good: #d9f2e1; --bad: #fbe0de; --warn: #fff3cd; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: #fff; }
header { background: #1d2433; color: #fff; padding: 22px 32px 16px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 600; }
header p { margin: 0; color: #c9d1e0; font-size: 13px; }
nav { padding: 8px 32px; background: var(--soft); border-bottom: 1px solid var(--line); font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 18px; }
main { padding: 8px 32px 32px; max-width: 1400px; }
section { margin-top: 26px; }
h2 { font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-bottom: 8px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.how { color: var(--muted); margin: 4px 0 10px; max-width: 70em; font-size: 14px; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13.5px; }
th, td { border: 1px solid var(--line); padding: 4px 9px; vertical-align: top; }
th { background: var(--soft); text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
span.ci, span.sub { color: var(--muted); font-size: 12px; }
td.better { background: var(--good); } td.worse { background: var(--bad); }
td.diag { color: var(--muted); text-align: center; }
td.low { background: var(--warn); } td.missing { color: #a33; font-style: italic; }
td.unrankable { color: #8a909c; background: #f2f3f5; }
td.unrankable span.ci, td.unrankable span.sub { color: #a3a8b2; }
sup.fn a { color: var(--muted); text-decoration: none; } p.unranked { color: #a33; }
tr.best td, tr.pareto td { font-weight: 600; }
h4 { font-size: 14px; margin: 14px 0 4px; }
figure { margin: 8px 0 16px; } figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 13px; }
div.scroll { overflow-x: auto; max-width: 100%; }
div.probes { display: flex; flex-wrap: wrap; gap: 24px; }
ul.notes { color: var(--muted); font-size: 13px; }
footer { color: var(--muted); font-size: 12px; padding: 16px 32px; border-top: 1px solid var(--line); }
"""


def _cells(record: Mapping[Hashable, Any], columns: list[str]) -> str:
    return "".join(
        f'<td class="num"{data_attrs(value=record[c])}>{esc(cell(record[c]))}</td>'
        if isinstance(record[c], (int, float)) and not isinstance(record[c], bool)
        else f"<td>{esc(cell(record[c]))}</td>"
        for c in columns
    )


def _summary(table: TuningTable) -> str:
    frame = table.frame
    finite = len(table.defined())
    if table.multi:
        return (
            f"{len(frame)} rows, {finite} with every objective; {len(table.front)} on the Pareto front "
            f"of {', '.join(table.objective_names)}"
        )
    best = table.best
    if best is not None:
        return (
            f"{len(frame)} rows, {finite} with an objective; best objective "
            f"{number(best['objective'], 4)} ({table.label} {cell(best[table.label])})"
        )
    if finite:
        return (
            f"{len(frame)} rows, {finite} with an objective, none of which stands on enough pairs "
            f"to rank (see the note column): no best"
        )
    return f"{len(frame)} rows, none with an objective"


def _front(table: TuningTable, slug: str, figures: Mapping[str, bytes]) -> str:
    """The Pareto front of a multi-objective table: its figure and the table of its trials."""
    columns = front_columns(table)
    head = "".join(
        f"<th>{esc(objective_label(table, table.objectives.index(c)) if c in table.objectives else c)}</th>"
        for c in columns
    )
    rows = "".join(
        f"<tr{data_attrs(trial=r[table.label])}>{_cells(r, columns)}</tr>"
        for r in table.front.to_dict("records")
    )
    caption = (
        "The Pareto front: each point a complete trial; red, joined and labelled, those on the front."
        if len(table.objectives) == 2
        else "The Pareto front in parallel coordinates: one axis per objective, scaled from its lowest to "
        "its highest value over the complete trials; bold and labelled, the trials on the front."
    )
    count = f"{len(table.front)} {'trial' if len(table.front) == 1 else 'trials'}"
    return (
        f'<h4>Pareto front</h4><p class="how">{count} on the front, as w2veval tune '
        f"results marks them (pareto_optimal): no other complete trial is at least as good on every "
        f"objective and better on one.</p>"
        f"{figure_tag(figures.get(f'tuning-{slug}-pareto.png'), f'Pareto front, {table.name}', caption)}"
        f'<table id="pareto-{slug}" class="w2v-table w2v-pareto"{data_attrs(name=table.name)}><thead><tr>'
        f"{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


_HELDOUT_CAPTION = (
    "Held-out objective against the objective the tuner saw: points below y = x did better on the "
    "tuning part than on unseen pairs."
)


def _tuning(report: Report, max_rows: int = 25) -> str:
    from ._tradeoffs import COST_LABELS

    figures = report.figures()
    blocks = []
    for table, slug in zip(report.tuning, report.tuning_slugs(), strict=True):
        frame, columns = table.frame, tuning_columns(table)
        head = "".join(f"<th>{esc(c)}</th>" for c in columns)
        rows = []
        for i, r in enumerate(frame.head(max_rows).to_dict("records")):
            tds = _cells(r, columns)
            marked = (i == 0 and table.best is not None) or (table.multi and r["pareto_optimal"])
            rows.append(
                f'<tr class="{"pareto" if table.multi else "best"}">{tds}</tr>'
                if marked
                else f"<tr>{tds}</tr>"
            )
        shown = (
            f" The {max_rows} {'first' if table.multi else 'best'} are listed."
            if len(frame) > max_rows
            else ""
        )
        hyper_caption = (
            "Each objective against each hyperparameter that varies; the stars are the Pareto-optimal trials."
            if table.multi
            else "Objective against each hyperparameter that varies; the star is the best trial."
        )
        cost = table.cost_axis()
        cost_caption = (
            f"Objective against {COST_LABELS.get(cost, cost)} per trial: filled, the complete trials "
            f"(the star: {'the Pareto-optimal ones' if table.multi else 'the best'}); hollow grey, "
            f"the pruned ones (a tick on the axis when they reported no objective)."
            if cost is not None
            else ""  # no cost figure to caption
        )
        images = (
            figure_tag(
                figures.get(f"tuning-{slug}-hyperparameters.png"),
                f"objective against each hyperparameter, {table.name}",
                hyper_caption,
            )
            + figure_tag(
                figures.get(f"tuning-{slug}-heldout.png"),
                f"held-out against tuning objective, {table.name}",
                _HELDOUT_CAPTION,
            )
            + figure_tag(
                figures.get(f"tuning-{slug}-cost.png"), f"objective against cost, {table.name}", cost_caption
            )
        )
        blocks.append(
            f'<h3>{esc(table.name)}</h3><p class="how">{esc(_summary(table))}. '
            f"Source: {esc(table.source)}.{shown}</p>"
            f'<p class="how totals">{esc(totals_line(table))}</p>'
            f"{_front(table, slug, figures) if table.multi else ''}"
            f"{images}"
            f'<table id="tuning-{slug}" class="w2v-table w2v-tuning"{data_attrs(name=table.name)}><thead><tr>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return (
        f'<section id="section-tuning"><h2>Tuning results</h2>'
        f'<p class="how">Best first (higher objective is better); a row whose objective stands on too '
        f"few pairs (n_scored, coverage) is listed after those that may rank and is never the best. "
        f"Look for hyperparameters whose value moves the objective, and, with a held-out part, for a "
        f"best trial whose held-out score falls well below its tuning score: it was tuned to the gold "
        f"set&#8217;s noise. A table of several objectives has no single best: its Pareto-optimal "
        f"trials come first and are drawn as a front; choose among them by the trade-off you want.</p>"
        f"{''.join(blocks)}</section>"
    )


def _notes(report: Report) -> str:
    if not report.notes:
        return ""
    items = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    return (
        f'<section id="section-notes"><h2>Notes</h2><p class="how">Warnings raised while the '
        f'numbers were computed.</p><ul id="notes" class="notes">{items}</ul></section>'
    )


def _kind_sections(report: Report) -> list[tuple[str, str, str]]:
    """``(id, title, html)`` of the categorization, outlier-detection and task sections."""
    from ._kinds import kind_sections

    out = []
    for section in kind_sections(report):
        tables = []
        for i, (caption, header, rows) in enumerate(section["tables"]):
            head = "".join(f"<th>{esc(h)}</th>" for h in header)
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="num">{esc(c)}</td>' if j >= (1 if caption else 2) else f"<td>{esc(c)}</td>"
                    for j, c in enumerate(r)
                )
                + "</tr>"
                for r in rows
            )
            title = f"<h3>{esc(caption)}</h3>" if caption else ""
            tables.append(
                f'{title}<table id="{section["id"][8:]}-{i}" class="w2v-table"><thead><tr>{head}'
                f"</tr></thead><tbody>{body}</tbody></table>"
            )
        images = "".join(figure_tag(report.figures().get(name), alt, alt) for name, alt in section["figures"])
        out.append(
            (
                section["id"],
                section["title"],
                f'<section id="{section["id"]}"><h2>{esc(section["title"])}</h2>'
                f'<p class="how">{esc(section["how"])}</p>{images}{"".join(tables)}</section>',
            )
        )
    return out


def render_html(report: Report) -> str:
    """The whole page."""
    sections, nav = [], []
    if report.models and report.goldsets:
        sections.append(leaderboard_section(report))
        nav.append(("section-leaderboard", "Leaderboard"))
        if len(report.models) > 1:
            sections.append(matrix_section(report))
            nav.append(("section-matrix", "Significance"))
        sections.append(pairs_section(report))
        nav.append(("section-pairs", "Pairs"))
        if report.probes:
            sections.append(neighbours_section(report))
            nav.append(("section-neighbours", "Neighbours"))
        sections.append(coverage_section(report))
        nav.append(("section-coverage", "Coverage"))
    for section in _kind_sections(report):
        sections.append(section[2])
        nav.append(section[:2])
    if report.tuning:
        sections.append(_tuning(report))
        nav.append(("section-tuning", "Tuning"))
    if report.notes:
        sections.append(_notes(report))
        nav.append(("section-notes", "Notes"))
    links = "".join(f'<a href="#{i}">{esc(t)}</a>' for i, t in nav)
    # A wide table (many hyperparameters or models) scrolls by itself, not the whole page.
    body = (
        "".join(sections)
        .replace("<table ", '<div class="scroll"><table ')
        .replace("</table>", "</table></div>")
    )
    meta = [f"w2veval {report.version}"]
    if report.goldsets:
        meta += [f"gold sets: {', '.join(report.goldsets)}", interval_method(report)]
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="w2veval {esc(report.version)}">'
        f"<title>{esc(report.title)}</title><style>{_STYLE}</style></head>\n<body>"
        f"<header><h1>{esc(report.title)}</h1><p>{esc(' · '.join(meta))}</p></header>"
        f"<nav>{links}</nav><main>{body}</main>"
        f"<footer>Made by w2veval {esc(report.version)}. Self-contained: figures are inline and "
        f"nothing is fetched from elsewhere. {DASH} marks a value that is not defined.</footer>"
        f"</body></html>\n"
    )
