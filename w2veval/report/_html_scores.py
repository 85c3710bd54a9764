"""The HTML sections on word vectors scored on gold sets: leaderboard, pairwise significance,
human score against cosine, nearest neighbours and coverage (see :mod:`._html`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._format import number, slugs
from ._html_parts import data_attrs, esc, figure_tag, interval_method

if TYPE_CHECKING:
    from ._report import Report

__all__ = ["coverage_section", "leaderboard_section", "matrix_section", "neighbours_section", "pairs_section"]


def leaderboard_section(report: Report) -> str:
    board = report.leaderboard
    head = "".join(f"<th>{esc(g)}</th>" for g in report.goldsets)
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
            attrs = data_attrs(
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
                    f'<td class="num unrankable" title="not ranked: {esc(reason)}"'
                    f'{attrs}{data_attrs(unrankable=reason)}>{number(rho)} <span class="ci">[{number(low)}, '
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
            f'<tr{best}{data_attrs(vectors=row["vectors"])}><td class="num">{rank}</td>'
            f'<td class="model">{esc(row["vectors"])}</td>'
            f'<td class="num"{data_attrs(mean_spearman=row["mean_spearman"])}>{number(row["mean_spearman"])}'
            f"</td>{''.join(cells)}</tr>"
        )
    rule = (
        f"a score ranks only if it stands on at least {report.min_pairs} scored pairs and at least "
        f"{report.min_coverage:g} of its gold set&#8217;s pairs"
    )
    if ranked:
        how = (
            f"Models are ranked by their mean ρ over the gold sets on which every model&#8217;s score "
            f"may rank ({esc(', '.join(report.ranked_goldsets))}): {rule}."
        )
    else:
        how = (
            f"<strong>No model is ranked: no gold set is one on which every model&#8217;s score may "
            f"rank</strong> ({rule}). Lower the thresholds (--min-pairs, --min-coverage on the command "
            f"line; min_pairs, min_coverage in Python) to rank anyway, or add gold sets the "
            f"vocabularies cover."
        )
    why = "".join(f"<li>{esc(g)}: {esc(r)}</li>" for g, r in report.rank_reasons.items())
    why = f'<ul id="leaderboard-left-out" class="notes">{why}</ul>' if why else ""
    notes = "".join(f'<li id="leaderboard-note-{n}">not ranked: {esc(r)}</li>' for r, n in footnotes.items())
    notes = f'<ol id="leaderboard-notes" class="notes">{notes}</ol>' if notes else ""
    return (
        f'<section id="section-leaderboard"><h2>Leaderboard</h2>'
        f'<p class="how">Spearman&#8217;s ρ between cosine similarity and the human scores, on the pairs '
        f"each model knows, with {esc(interval_method(report))} in brackets; below it the pairs scored "
        f"and the coverage. {how} Greyed scores stand on too few pairs and rank nothing. Overlapping "
        f"intervals do not settle which model is better: the pairwise matrix below tests that on the "
        f"pairs both models know.</p>"
        f'<p id="leaderboard-ranking" class="how ranking{"" if ranked else " unranked"}">'
        f"{'Ranked on: ' + esc(', '.join(report.ranked_goldsets)) + '.' if ranked else 'Not ranked.'}"
        f"{' Left out of the ranking:' if why else ''}</p>"
        f"{why}"
        f'<table id="leaderboard" class="w2v-table w2v-leaderboard"><thead><tr><th>#</th><th>model</th>'
        f"<th>mean ρ</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{notes}"
        f"{figure_tag(report.figures().get('leaderboard.png'), 'Spearman rho with intervals per gold set')}"
        f"</section>"
    )


def matrix_section(report: Report) -> str:
    cmp = report.comparisons
    blocks = []
    for goldset, slug in zip(report.goldsets, report.goldset_slugs(), strict=True):
        cells = {}
        for r in cmp[cmp["goldset"] == goldset].to_dict("records"):
            cells[(r["a"], r["b"])] = (r, 1.0)
            cells[(r["b"], r["a"])] = (r, -1.0)
        head = "".join(f"<th>{esc(m)}</th>" for m in report.models)
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
                attrs = data_attrs(
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
            rows.append(f"<tr><th>{esc(a)}</th>{''.join(tds)}</tr>")
        blocks.append(
            f'<h3>{esc(goldset)}</h3><table id="matrix-{slug}" class="w2v-table w2v-matrix"'
            f"{data_attrs(goldset=goldset)}><thead><tr><th>row − column</th>{head}</tr></thead>"
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


def pairs_section(report: Report) -> str:
    blocks = []
    figures = report.figures()
    for goldset, slug in zip(report.goldsets, report.goldset_slugs(), strict=True):
        worst = report.worst[report.worst["goldset"] == goldset]
        rows = []
        for r in worst.to_dict("records"):
            attrs = data_attrs(
                vectors=r["vectors"],
                line=r["line"],
                human=r["human"],
                cosine=r["cosine"],
                rank_gap=r["rank_gap"],
            )
            rows.append(
                f'<tr{attrs}><td class="model">{esc(r["vectors"])}</td>'
                f'<td class="pair">{esc(r["word1"])} – {esc(r["word2"])}</td>'
                f'<td class="num">{number(r["human"], 2)}</td><td class="num">{number(r["cosine"])}</td>'
                f'<td class="num">{number(r["human_rank"], 1)}</td>'
                f'<td class="num">{number(r["cosine_rank"], 1)}</td>'
                f'<td class="num">{r["rank_gap"]:+.2f}</td></tr>'
            )
        table = (
            f'<table id="pairs-{slug}" class="w2v-table w2v-worst"{data_attrs(goldset=goldset)}><thead><tr>'
            f"<th>model</th><th>pair</th><th>human</th><th>cosine</th><th>human rank</th>"
            f"<th>model rank</th><th>rank gap</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            if rows
            else '<p class="how">No pair is scored.</p>'
        )
        blocks.append(
            f"<h3>{esc(goldset)}</h3>"
            f"{figure_tag(figures.get(f'pairs-{slug}.png'), f'human score against cosine, {goldset}')}"
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


def neighbours_section(report: Report) -> str:
    frame = report.neighbours
    blocks = []
    for probe, slug in zip(report.probes, slugs(report.probes), strict=True):
        mine = frame[frame["probe"] == probe]
        columns = {m: mine[mine["vectors"] == m] for m in report.models}
        depth = max([int(c["rank"].max()) for c in columns.values() if c["rank"].notna().any()] or [1])
        head = "".join(f"<th>{esc(m)}</th>" for m in report.models)
        rows = []
        for rank in range(1, depth + 1):
            tds = []
            for model, rows_of in columns.items():
                hit = rows_of[rows_of["rank"] == rank]
                if not rows_of.empty and not bool(rows_of["found"].iloc[0]):
                    tds.append(
                        f'<td class="missing"{data_attrs(vectors=model)}>not in the vocabulary</td>'
                        if rank == 1
                        else '<td class="missing"></td>'
                    )
                elif hit.empty:
                    tds.append("<td></td>")
                else:
                    h = hit.iloc[0]
                    tds.append(
                        f"<td{data_attrs(vectors=model, similarity=h['similarity'])}>{esc(h['neighbour'])} "
                        f'<span class="sub">{number(h["similarity"])}</span></td>'
                    )
            rows.append(f'<tr><td class="num">{rank}</td>{"".join(tds)}</tr>')
        blocks.append(
            f'<div class="probe"><h3>{esc(probe)}</h3><table id="neighbours-{slug}" '
            f'class="w2v-table w2v-neighbours"{data_attrs(probe=probe)}><thead><tr><th>#</th>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
    return (
        f'<section id="section-neighbours"><h2>Nearest neighbours</h2>'
        f'<p class="how">The nearest words by cosine similarity to each probe word, side by side: a '
        f"quick look at whether the vectors learned anything sensible.</p>"
        f'<div id="neighbours" class="probes">{"".join(blocks)}</div></section>'
    )


def coverage_section(report: Report) -> str:
    frame = report.coverage
    head = "".join(f"<th>{esc(g)}</th>" for g in report.goldsets)
    rows = []
    for model in report.models:
        by_goldset = {row["goldset"]: row for row in frame[frame["vectors"] == model].to_dict("records")}
        tds = []
        for goldset in report.goldsets:
            r = by_goldset[goldset]
            low = " low" if r["coverage"] < report.min_coverage else ""
            attrs = data_attrs(
                goldset=goldset, coverage=r["coverage"], n_scored=r["n_scored"], n_pairs=r["n_pairs"]
            )
            tds.append(
                f'<td class="num{low}"{attrs}>'
                f'{number(r["coverage"])} <span class="sub">{int(r["n_scored"])}/{int(r["n_pairs"])}'
                f"</span></td>"
            )
        rows.append(f"<tr{data_attrs(vectors=model)}><th>{esc(model)}</th>{''.join(tds)}</tr>")
    return (
        f'<section id="section-coverage"><h2>Coverage</h2>'
        f'<p class="how">The share of each gold set&#8217;s pairs whose both words the model knows '
        f"(scored / all). Below {report.min_coverage:g} (yellow) a score rests on pairs the vocabulary "
        f"chose, usually the frequent, easy ones, and does not rank models (the leaderboard&#8217;s rule): "
        f"compare models on the pairs both know (matrix above).</p>"
        f'<table id="coverage" class="w2v-table w2v-coverage"><thead><tr><th>model</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></section>"
    )
