"""The report as one self-contained HTML page.

Every figure is inline (``data:image/png;base64``), the style sheet is in the page and
there is no script, font or link to anything outside it. All text from data is escaped.
Tables carry stable ids and classes (``leaderboard``, ``matrix-<goldset>``,
``pairs-<goldset>``, ``neighbours-<probe>``, ``coverage``, ``tuning-<name>``, ``pareto-<name>``) and each
number cell its full-precision value in ``data-*`` attributes, for programs that read
the page.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Hashable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

from ._format import DASH, cell, front_columns, number, objective_label, slugs, totals_line, tuning_columns

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


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _data(**values: object) -> str:
    """``data-*`` attributes with full-precision values (``nan`` for NaN)."""
    parts = []
    for key, value in values.items():
        if isinstance(value, float) and math.isnan(value):
            value = "nan"
        elif hasattr(value, "item"):
            value = value.item()
        parts.append(f' data-{key.replace("_", "-")}="{_e(value)}"')
    return "".join(parts)


def _img(data: bytes | None, alt: str, caption: str = "") -> str:
    if data is None:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    text = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="data:image/png;base64,{encoded}" alt="{_e(alt)}">{text}</figure>'


def _method(report: Report) -> str:
    if report.ci_method == "fisher":
        return f"{report.level:.0%} intervals by Fisher's z"
    return (
        f"{report.level:.0%} {'BCa' if report.ci_method == 'bca' else report.ci_method} "
        f"bootstrap intervals, {report.n_resamples:,} resamples, seed {report.seed}"
    )


def _leaderboard(report: Report) -> str:
    board = report.leaderboard
    head = "".join(f"<th>{_e(g)}</th>" for g in report.goldsets)
    ranked = bool(report.ranked_goldsets)
    footnotes: dict[str, int] = {}  # reason -> footnote number, in order of first use
    rows = []
    for row in board.to_dict("records"):
        cells = []
        for goldset in report.goldsets:
            rho, low, high = row[goldset], row[f"{goldset}_lo"], row[f"{goldset}_hi"]
            n_scored, n_pairs = row[f"{goldset}_n_scored"], row[f"{goldset}_n_pairs"]
            coverage, reason = row[f"{goldset}_coverage"], row[f"{goldset}_unrankable"]
            reason = reason if isinstance(reason, str) else None  # NaN from to_dict
            attrs = _data(
                goldset=goldset,
                spearman=rho,
                lo=low,
                hi=high,
                n_scored=n_scored,
                n_pairs=n_pairs,
                coverage=coverage,
            )
            sub = (
                f'<br><span class="sub">{int(n_scored)}/{int(n_pairs)} pairs, coverage {number(coverage, 2)}'
            )
            if reason is not None:
                mark = footnotes.setdefault(reason, len(footnotes) + 1)
                cells.append(
                    f'<td class="num unrankable" title="not ranked: {_e(reason)}"'
                    f'{attrs}{_data(unrankable=reason)}>{number(rho)} <span class="ci">[{number(low)}, '
                    f'{number(high)}]</span><sup class="fn"><a href="#leaderboard-note-{mark}">{mark}'
                    f"</a></sup>{sub}</span></td>"
                )
            else:
                cells.append(
                    f'<td class="num"{attrs}>{number(rho)} <span class="ci">[{number(low)}, '
                    f"{number(high)}]</span>{sub}</span></td>"
                )
        best = ' class="best"' if ranked and row["rank"] == 1 and len(board) > 1 else ""
        rank = int(row["rank"]) if ranked else "–"
        rows.append(
            f'<tr{best}{_data(vectors=row["vectors"])}><td class="num">{rank}</td>'
            f'<td class="model">{_e(row["vectors"])}</td>'
            f'<td class="num"{_data(mean_spearman=row["mean_spearman"])}>{number(row["mean_spearman"])}'
            f"</td>{''.join(cells)}</tr>"
        )
    rule = (
        f"a score ranks only if it stands on at least {report.min_pairs} scored pairs and at least "
        f"{report.min_coverage:g} of its gold set&#8217;s pairs"
    )
    if ranked:
        how = (
            f"Models are ranked by their mean ρ over the gold sets on which every model&#8217;s score "
            f"may rank ({_e(', '.join(report.ranked_goldsets))}): {rule}."
        )
    else:
        how = (
            f"<strong>No model is ranked: no gold set is one on which every model&#8217;s score may "
            f"rank</strong> ({rule}). Lower the thresholds (--min-pairs, --min-coverage on the command "
            f"line; min_pairs, min_coverage in Python) to rank anyway, or add gold sets the "
            f"vocabularies cover."
        )
    why = "".join(f"<li>{_e(g)}: {_e(r)}</li>" for g, r in report.rank_reasons.items())
    why = f'<ul id="leaderboard-left-out" class="notes">{why}</ul>' if why else ""
    notes = "".join(f'<li id="leaderboard-note-{n}">not ranked: {_e(r)}</li>' for r, n in footnotes.items())
    notes = f'<ol id="leaderboard-notes" class="notes">{notes}</ol>' if notes else ""
    return (
        f'<section id="section-leaderboard"><h2>Leaderboard</h2>'
        f'<p class="how">Spearman&#8217;s ρ between cosine similarity and the human scores, on the pairs '
        f"each model knows, with {_e(_method(report))} in brackets; below it the pairs scored and the "
        f"coverage. {how} Greyed scores stand on too few pairs and rank nothing. Overlapping intervals "
        f"do not settle which model is better: the pairwise matrix below tests that on the pairs both "
        f"models know.</p>"
        f'<p id="leaderboard-ranking" class="how ranking{"" if ranked else " unranked"}">'
        f"{'Ranked on: ' + _e(', '.join(report.ranked_goldsets)) + '.' if ranked else 'Not ranked.'}"
        f"{' Left out of the ranking:' if why else ''}</p>"
        f"{why}"
        f'<table id="leaderboard" class="w2v-table w2v-leaderboard"><thead><tr><th>#</th><th>model</th>'
        f"<th>mean ρ</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{notes}"
        f"{_img(report.figures().get('leaderboard.png'), 'Spearman rho with intervals per gold set')}"
        f"</section>"
    )


def _matrix(report: Report) -> str:
    cmp = report.comparisons
    blocks = []
    for goldset, slug in zip(report.goldsets, report.goldset_slugs(), strict=True):
        cells = {}
        for r in cmp[cmp["goldset"] == goldset].to_dict("records"):
            cells[(r["a"], r["b"])] = (r, 1.0)
            cells[(r["b"], r["a"])] = (r, -1.0)
        head = "".join(f"<th>{_e(m)}</th>" for m in report.models)
        rows = []
        for a in report.models:
            tds = []
            for b in report.models:
                if a == b:
                    tds.append('<td class="diag">—</td>')
                    continue
                r, sign = cells[(a, b)]
                delta, p = sign * r["delta"], r["p_holm"]
                low, high = (sign * r["delta_lo"], sign * r["delta_hi"])[:: int(sign)]
                kind = "not-sig"
                if p == p and p < report.alpha:
                    kind = "better" if delta > 0 else "worse"
                attrs = _data(
                    a=a,
                    b=b,
                    delta=delta,
                    delta_lo=low,
                    delta_hi=high,
                    p_value=r["p_value"],
                    p_holm=p,
                    n_common=r["n_common"],
                )
                tds.append(
                    f'<td class="num {kind}"{attrs}>{number(delta, 3)}'
                    f'<br><span class="sub">p = {number(p, 3)}, n = {r["n_common"]}</span></td>'
                )
            rows.append(f"<tr><th>{_e(a)}</th>{''.join(tds)}</tr>")
        blocks.append(
            f'<h3>{_e(goldset)}</h3><table id="matrix-{slug}" class="w2v-table w2v-matrix"'
            f"{_data(goldset=goldset)}><thead><tr><th>row − column</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return (
        f'<section id="section-matrix"><h2>Pairwise significance</h2>'
        f'<p class="how">Each cell is Δρ = ρ(row) − ρ(column) on the pairs both models know (n), '
        f"with the p-value of Steiger&#8217;s test for dependent correlations after Holm&#8217;s "
        f"correction over every cell of every matrix. Green: the row model is significantly better "
        f"(p &lt; {report.alpha:g}); red: significantly worse; white: no significant difference."
        f"</p>{''.join(blocks)}</section>"
    )


def _pairs(report: Report) -> str:
    blocks = []
    figures = report.figures()
    for goldset, slug in zip(report.goldsets, report.goldset_slugs(), strict=True):
        worst = report.worst[report.worst["goldset"] == goldset]
        rows = []
        for r in worst.to_dict("records"):
            attrs = _data(
                vectors=r["vectors"],
                line=r["line"],
                human=r["human"],
                cosine=r["cosine"],
                rank_gap=r["rank_gap"],
            )
            rows.append(
                f'<tr{attrs}><td class="model">{_e(r["vectors"])}</td>'
                f'<td class="pair">{_e(r["word1"])} – {_e(r["word2"])}</td>'
                f'<td class="num">{number(r["human"], 2)}</td><td class="num">{number(r["cosine"])}</td>'
                f'<td class="num">{number(r["human_rank"], 1)}</td>'
                f'<td class="num">{number(r["cosine_rank"], 1)}</td>'
                f'<td class="num">{r["rank_gap"]:+.2f}</td></tr>'
            )
        table = (
            f'<table id="pairs-{slug}" class="w2v-table w2v-worst"{_data(goldset=goldset)}><thead><tr>'
            f"<th>model</th><th>pair</th><th>human</th><th>cosine</th><th>human rank</th>"
            f"<th>model rank</th><th>rank gap</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            if rows
            else '<p class="how">No pair is scored.</p>'
        )
        blocks.append(
            f"<h3>{_e(goldset)}</h3>"
            f"{_img(figures.get(f'pairs-{slug}.png'), f'human score against cosine, {goldset}')}"
            f"{table}"
        )
    return (
        f'<section id="section-pairs"><h2>Human score against cosine similarity</h2>'
        f'<p class="how">One point per scored pair. The red, labelled pairs are the worst ranked: '
        f"their rank among the model&#8217;s similarities is furthest from their rank among the "
        f"human scores. Rank gap = (model rank − human rank) / pairs scored: positive where the "
        f"model finds a pair more similar than people do, negative where less.</p>"
        f"{''.join(blocks)}</section>"
    )


def _neighbours(report: Report) -> str:
    frame = report.neighbours
    blocks = []
    for probe, slug in zip(report.probes, slugs(report.probes), strict=True):
        mine = frame[frame["probe"] == probe]
        columns = {m: mine[mine["vectors"] == m] for m in report.models}
        depth = max([int(c["rank"].max()) for c in columns.values() if c["rank"].notna().any()] or [1])
        head = "".join(f"<th>{_e(m)}</th>" for m in report.models)
        rows = []
        for rank in range(1, depth + 1):
            tds = []
            for model, rows_of in columns.items():
                hit = rows_of[rows_of["rank"] == rank]
                if not rows_of.empty and not bool(rows_of["found"].iloc[0]):
                    tds.append(
                        f'<td class="missing"{_data(vectors=model)}>not in the vocabulary</td>'
                        if rank == 1
                        else '<td class="missing"></td>'
                    )
                elif hit.empty:
                    tds.append("<td></td>")
                else:
                    h = hit.iloc[0]
                    tds.append(
                        f"<td{_data(vectors=model, similarity=h['similarity'])}>{_e(h['neighbour'])} "
                        f'<span class="sub">{number(h["similarity"])}</span></td>'
                    )
            rows.append(f'<tr><td class="num">{rank}</td>{"".join(tds)}</tr>')
        blocks.append(
            f'<div class="probe"><h3>{_e(probe)}</h3><table id="neighbours-{slug}" '
            f'class="w2v-table w2v-neighbours"{_data(probe=probe)}><thead><tr><th>#</th>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
    return (
        f'<section id="section-neighbours"><h2>Nearest neighbours</h2>'
        f'<p class="how">The nearest words by cosine similarity to each probe word, side by side: a '
        f"quick look at whether the vectors learned anything sensible.</p>"
        f'<div id="neighbours" class="probes">{"".join(blocks)}</div></section>'
    )


def _coverage(report: Report) -> str:
    frame = report.coverage
    head = "".join(f"<th>{_e(g)}</th>" for g in report.goldsets)
    rows = []
    for model in report.models:
        by_goldset = {row["goldset"]: row for row in frame[frame["vectors"] == model].to_dict("records")}
        tds = []
        for goldset in report.goldsets:
            r = by_goldset[goldset]
            low = " low" if r["coverage"] < report.min_coverage else ""
            attrs = _data(
                goldset=goldset, coverage=r["coverage"], n_scored=r["n_scored"], n_pairs=r["n_pairs"]
            )
            tds.append(
                f'<td class="num{low}"{attrs}>'
                f'{number(r["coverage"])} <span class="sub">{int(r["n_scored"])}/{int(r["n_pairs"])}'
                f"</span></td>"
            )
        rows.append(f"<tr{_data(vectors=model)}><th>{_e(model)}</th>{''.join(tds)}</tr>")
    return (
        f'<section id="section-coverage"><h2>Coverage</h2>'
        f'<p class="how">The share of each gold set&#8217;s pairs whose both words the model knows '
        f"(scored / all). Below {report.min_coverage:g} (yellow) a score rests on pairs the vocabulary "
        f"chose, usually the frequent, easy ones, and does not rank models (the leaderboard&#8217;s rule): "
        f"compare models on the pairs both know (matrix above).</p>"
        f'<table id="coverage" class="w2v-table w2v-coverage"><thead><tr><th>model</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _cells(record: Mapping[Hashable, Any], columns: list[str]) -> str:
    return "".join(
        f'<td class="num"{_data(value=record[c])}>{_e(cell(record[c]))}</td>'
        if isinstance(record[c], (int, float)) and not isinstance(record[c], bool)
        else f"<td>{_e(cell(record[c]))}</td>"
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
        f"<th>{_e(objective_label(table, table.objectives.index(c)) if c in table.objectives else c)}</th>"
        for c in columns
    )
    rows = "".join(
        f"<tr{_data(trial=r[table.label])}>{_cells(r, columns)}</tr>" for r in table.front.to_dict("records")
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
        f"{_img(figures.get(f'tuning-{slug}-pareto.png'), f'Pareto front, {table.name}', caption)}"
        f'<table id="pareto-{slug}" class="w2v-table w2v-pareto"{_data(name=table.name)}><thead><tr>{head}'
        f"</tr></thead><tbody>{rows}</tbody></table>"
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
        head = "".join(f"<th>{_e(c)}</th>" for c in columns)
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
            _img(
                figures.get(f"tuning-{slug}-hyperparameters.png"),
                f"objective against each hyperparameter, {table.name}",
                hyper_caption,
            )
            + _img(
                figures.get(f"tuning-{slug}-heldout.png"),
                f"held-out against tuning objective, {table.name}",
                _HELDOUT_CAPTION,
            )
            + _img(
                figures.get(f"tuning-{slug}-cost.png"), f"objective against cost, {table.name}", cost_caption
            )
        )
        blocks.append(
            f'<h3>{_e(table.name)}</h3><p class="how">{_e(_summary(table))}. '
            f"Source: {_e(table.source)}.{shown}</p>"
            f'<p class="how totals">{_e(totals_line(table))}</p>'
            f"{_front(table, slug, figures) if table.multi else ''}"
            f"{images}"
            f'<table id="tuning-{slug}" class="w2v-table w2v-tuning"{_data(name=table.name)}><thead><tr>'
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
    items = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
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
            head = "".join(f"<th>{_e(h)}</th>" for h in header)
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="num">{_e(c)}</td>' if j >= (1 if caption else 2) else f"<td>{_e(c)}</td>"
                    for j, c in enumerate(r)
                )
                + "</tr>"
                for r in rows
            )
            title = f"<h3>{_e(caption)}</h3>" if caption else ""
            tables.append(
                f'{title}<table id="{section["id"][8:]}-{i}" class="w2v-table"><thead><tr>{head}'
                f"</tr></thead><tbody>{body}</tbody></table>"
            )
        images = "".join(_img(report.figures().get(name), alt, alt) for name, alt in section["figures"])
        out.append(
            (
                section["id"],
                section["title"],
                f'<section id="{section["id"]}"><h2>{_e(section["title"])}</h2>'
                f'<p class="how">{_e(section["how"])}</p>{images}{"".join(tables)}</section>',
            )
        )
    return out


def render_html(report: Report) -> str:
    """The whole page."""
    sections, nav = [], []
    if report.models and report.goldsets:
        sections.append(_leaderboard(report))
        nav.append(("section-leaderboard", "Leaderboard"))
        if len(report.models) > 1:
            sections.append(_matrix(report))
            nav.append(("section-matrix", "Significance"))
        sections.append(_pairs(report))
        nav.append(("section-pairs", "Pairs"))
        if report.probes:
            sections.append(_neighbours(report))
            nav.append(("section-neighbours", "Neighbours"))
        sections.append(_coverage(report))
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
    links = "".join(f'<a href="#{i}">{_e(t)}</a>' for i, t in nav)
    # A wide table (many hyperparameters or models) scrolls by itself, not the whole page.
    body = (
        "".join(sections)
        .replace("<table ", '<div class="scroll"><table ')
        .replace("</table>", "</table></div>")
    )
    meta = [f"w2veval {report.version}"]
    if report.goldsets:
        meta += [f"gold sets: {', '.join(report.goldsets)}", _method(report)]
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="w2veval {_e(report.version)}">'
        f"<title>{_e(report.title)}</title><style>{_STYLE}</style></head>\n<body>"
        f"<header><h1>{_e(report.title)}</h1><p>{_e(' · '.join(meta))}</p></header>"
        f"<nav>{links}</nav><main>{body}</main>"
        f"<footer>Made by w2veval {_e(report.version)}. Self-contained: figures are inline and "
        f"nothing is fetched from elsewhere. {DASH} marks a value that is not defined.</footer>"
        f"</body></html>\n"
    )
