"""The report as GitHub Markdown, for pasting into a pull request.

The same sections as the HTML page, as pipe tables. Text from data is escaped so that a
word cannot start a link, emphasis or HTML tag. Figures are linked only when an image
folder is given (see :meth:`Report.write_plots`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from ._format import cell, front_columns, number, objective_label, totals_line, tuning_columns

if TYPE_CHECKING:
    from ._report import Report
    from ._tables import TuningTable

__all__ = ["escape_markdown", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def escape_markdown(text: object) -> str:
    """``text`` safe inside a table cell: Markdown punctuation escaped, ``<`` and ``&`` as entities."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())  # a newline would end the table row


def _table(header: list[str], rows: list[list[str]], right: Collection[int] = frozenset()) -> str:
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _image(image_dir: str | None, name: str, alt: str, figures: Mapping[str, bytes]) -> list[str]:
    if image_dir is None or name not in figures:
        return []
    target = f"{image_dir.rstrip('/')}/{name}" if image_dir else name
    if any(c in target for c in " ()<>"):
        target = "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    return [f"![{escape_markdown(alt)}]({target})", ""]


def _leaderboard(report: Report, image_dir: str | None, figures: Mapping[str, bytes]) -> list[str]:
    header = ["#", "model", "mean ρ"] + [escape_markdown(g) for g in report.goldsets]
    ranked = bool(report.ranked_goldsets)
    rows = []
    for r in report.leaderboard.to_dict("records"):
        cells = []
        for g in report.goldsets:
            scored = f"{int(r[f'{g}_n_scored'])}/{int(r[f'{g}_n_pairs'])}"
            text = (
                f"{number(r[g])} [{number(r[f'{g}_lo'])}, {number(r[f'{g}_hi'])}] "
                f"({scored}, coverage {number(r[f'{g}_coverage'], 2)})"
            )
            reason = r[f"{g}_unrankable"]
            reason = reason if isinstance(reason, str) else None  # NaN from to_dict
            # Greyed: struck through is the closest Markdown has, with the reason beside it.
            cells.append(text if reason is None else f"~~{text}~~ *not ranked: {reason}*")
        rows.append(
            [
                str(int(r["rank"])) if ranked else "–",
                escape_markdown(r["vectors"]),
                number(r["mean_spearman"]),
                *cells,
            ]
        )
    rule = (
        f"a score ranks only if it stands on at least {report.min_pairs} scored pairs and at least "
        f"{report.min_coverage:g} of its gold set's pairs"
    )
    if ranked:
        how = (
            f"Ranked by mean ρ over the gold sets on which every model's score may rank "
            f"({escape_markdown(', '.join(report.ranked_goldsets))}): {rule}."
        )
    else:
        how = (
            f"**No model is ranked: no gold set is one on which every model's score may rank** ({rule}). "
            "Lower the thresholds (`--min-pairs`, `--min-coverage` on the command line; `min_pairs`, "
            "`min_coverage` in Python) to rank anyway, or add gold sets the vocabularies cover."
        )
    left_out = [f"- {escape_markdown(g)}: {escape_markdown(r)}" for g, r in report.rank_reasons.items()]
    return [
        "## Leaderboard",
        "",
        f"Spearman's ρ with {_level(report)} intervals, then pairs scored/all and coverage. {how} "
        "Struck-through scores stand on too few pairs and rank nothing.",
        "",
        *(["Left out of the ranking:", "", *left_out, ""] if left_out else []),
        _table(header, rows, {0, 2} | set(range(3, len(header)))),
        "",
        *_image(image_dir, "leaderboard.png", "Spearman rho per gold set", figures),
    ]


def _level(report: Report) -> str:
    return f"{report.level:.0%} " + (
        "Fisher z"
        if report.ci_method == "fisher"
        else f"{'BCa' if report.ci_method == 'bca' else report.ci_method} bootstrap "
        f"({report.n_resamples:,} resamples)"
    )


def _matrix(report: Report) -> list[str]:
    out = [
        "## Pairwise significance",
        "",
        f"Δρ = row − column on the pairs both models know, Holm-adjusted p of Steiger's test; "
        f"**bold** where p < {report.alpha:g}.",
        "",
    ]
    cmp = report.comparisons
    for goldset in report.goldsets:
        cells = {}
        for r in cmp[cmp["goldset"] == goldset].to_dict("records"):
            cells[(r["a"], r["b"])] = (r["delta"], r["p_holm"])
            cells[(r["b"], r["a"])] = (-r["delta"], r["p_holm"])
        rows = []
        for a in report.models:
            row = [escape_markdown(a)]
            for b in report.models:
                if a == b:
                    row.append("—")
                    continue
                delta, p = cells[(a, b)]
                text = f"{number(delta)} (p = {number(p)})"
                row.append(f"**{text}**" if p == p and p < report.alpha else text)
            rows.append(row)
        out += [
            f"### {escape_markdown(goldset)}",
            "",
            _table(
                ["row − column"] + [escape_markdown(m) for m in report.models],
                rows,
                set(range(1, len(report.models) + 1)),
            ),
            "",
        ]
    return out


def _pairs(report: Report, image_dir: str | None, figures: Mapping[str, bytes]) -> list[str]:
    out = [
        "## Worst-ranked pairs",
        "",
        "Pairs whose rank among the model's cosine similarities is furthest from their rank among the "
        "human scores; rank gap = (model rank − human rank) / pairs scored.",
        "",
    ]
    for goldset, slug in zip(report.goldsets, report.goldset_slugs(), strict=True):
        worst = report.worst[report.worst["goldset"] == goldset]
        rows = [
            [
                escape_markdown(r["vectors"]),
                f"{escape_markdown(r['word1'])} – {escape_markdown(r['word2'])}",
                number(r["human"], 2),
                number(r["cosine"]),
                f"{r['rank_gap']:+.2f}",
            ]
            for r in worst.to_dict("records")
        ]
        out += [
            f"### {escape_markdown(goldset)}",
            "",
            *_image(image_dir, f"pairs-{slug}.png", f"human score against cosine, {goldset}", figures),
        ]
        out += (
            [_table(["model", "pair", "human", "cosine", "rank gap"], rows, {2, 3, 4}), ""]
            if rows
            else ["No pair is scored.", ""]
        )
    return out


def _neighbours(report: Report) -> list[str]:
    out = ["## Nearest neighbours", ""]
    frame = report.neighbours
    for probe in report.probes:
        mine = frame[frame["probe"] == probe]
        columns = {m: mine[mine["vectors"] == m] for m in report.models}
        depth = max([int(c["rank"].max()) for c in columns.values() if c["rank"].notna().any()] or [1])
        rows = []
        for rank in range(1, depth + 1):
            row = [str(rank)]
            for rows_of in columns.values():
                hit = rows_of[rows_of["rank"] == rank]
                if not rows_of.empty and not bool(rows_of["found"].iloc[0]):
                    row.append("*not in the vocabulary*" if rank == 1 else "")
                elif hit.empty:
                    row.append("")
                else:
                    first = hit.iloc[0]
                    row.append(f"{escape_markdown(first['neighbour'])} ({number(first['similarity'])})")
            rows.append(row)
        out += [
            f"### {escape_markdown(probe)}",
            "",
            _table(["#"] + [escape_markdown(m) for m in report.models], rows, {0}),
            "",
        ]
    return out


def _coverage(report: Report) -> list[str]:
    rows = []
    for model in report.models:
        mine = report.coverage[report.coverage["vectors"] == model].to_dict("records")
        by_goldset = {row["goldset"]: row for row in mine}
        rows.append([escape_markdown(model), *(_coverage_cell(by_goldset[g]) for g in report.goldsets)])
    return [
        "## Coverage",
        "",
        "Share of pairs whose both words the model knows (scored/all).",
        "",
        _table(
            ["model"] + [escape_markdown(g) for g in report.goldsets],
            rows,
            set(range(1, len(report.goldsets) + 1)),
        ),
        "",
    ]


def _coverage_cell(row: Mapping[Hashable, Any]) -> str:
    """One model's coverage of one gold set, with the pairs scored of all."""
    return f"{number(row['coverage'])} ({int(row['n_scored'])}/{int(row['n_pairs'])})"


def _cells(record: Mapping[Hashable, Any], columns: list[str]) -> list[str]:
    return [
        cell(record[c]) if isinstance(record[c], (int, float)) else escape_markdown(cell(record[c]))
        for c in columns
    ]


def _front(table: TuningTable, slug: str, image_dir: str | None, figures: Mapping[str, bytes]) -> list[str]:
    """The Pareto front of a multi-objective table: its figure and the trials on it."""
    columns = front_columns(table)
    header = [
        escape_markdown(objective_label(table, table.objectives.index(c)) if c in table.objectives else c)
        for c in columns
    ]
    rows = [_cells(r, columns) for r in table.front.to_dict("records")]
    out = [
        "#### Pareto front",
        "",
        f"{len(rows)} {'trial' if len(rows) == 1 else 'trials'} on the front, as `w2veval tune results` "
        "marks them (`pareto_optimal`): no other complete trial is at least as good on every objective "
        "and better on one.",
        "",
        *_image(image_dir, f"tuning-{slug}-pareto.png", "Pareto front", figures),
    ]
    return out + ([_table(header, rows), ""] if rows else ["No trial is on the front.", ""])


def _tuning(
    report: Report, image_dir: str | None, figures: Mapping[str, bytes], max_rows: int = 10
) -> list[str]:
    out = ["## Tuning results", ""]
    for table, slug in zip(report.tuning, report.tuning_slugs(), strict=True):
        columns = tuning_columns(table)
        rows = [_cells(r, columns) for r in table.frame.head(max_rows).to_dict("records")]
        shown = (
            f"the {max_rows} first of {len(table.frame)} rows"
            if len(table.frame) > max_rows
            else f"{len(table.frame)} rows"
        )
        if table.multi:
            head = (
                f"{len(table.objectives)} objectives ({escape_markdown(', '.join(table.objective_names))}): "
                f"no single best; the Pareto-optimal trials first, {shown}"
            )
        else:
            head = (
                "Best first"
                if table.best is not None
                else "No row stands on enough pairs to rank (see the note column): no best"
            ) + f", {shown.replace('first', 'best')}"
        out += [
            f"### {escape_markdown(table.name)}",
            "",
            f"{head}. {escape_markdown(totals_line(table))}",
            "",
            *(_front(table, slug, image_dir, figures) if table.multi else []),
            *_image(
                image_dir, f"tuning-{slug}-hyperparameters.png", "objective against hyperparameters", figures
            ),
            *_image(image_dir, f"tuning-{slug}-heldout.png", "held-out against tuning objective", figures),
            *_image(image_dir, f"tuning-{slug}-cost.png", "objective against cost", figures),
            _table([escape_markdown(c) for c in columns], rows),
            "",
        ]
    return out


def _kinds(
    report: Report, image_dir: str | None = None, figures: Mapping[str, bytes] | None = None
) -> list[str]:
    """Categorization, outlier-detection and task sections (:func:`._kinds.kind_sections`)."""
    from ._kinds import kind_sections

    out = []
    for section in kind_sections(report):
        out += [f"## {section['title']}", "", escape_markdown(section["how"]), ""]
        for name, alt in section["figures"]:
            out += _image(image_dir, name, alt, figures or {})
        for caption, header, rows in section["tables"]:
            if caption:
                out += [f"### {escape_markdown(caption)}", ""]
            out += [
                _table(
                    [escape_markdown(h) for h in header],
                    [[escape_markdown(c) for c in r] for r in rows],
                    set(range(2 if not caption else 1, len(header))),
                ),
                "",
            ]
    return out


def render_markdown(report: Report, image_dir: str | None = None) -> str:
    """The whole report as Markdown; figures linked from ``image_dir`` when given."""
    figures = report.figures() if image_dir is not None else {}
    out = [f"# {escape_markdown(report.title)}", ""]
    if report.goldsets:
        out += [f"w2veval {report.version} · gold sets: {escape_markdown(', '.join(report.goldsets))}", ""]
    if report.models and report.goldsets:
        out += _leaderboard(report, image_dir, figures)
        if len(report.models) > 1:
            out += _matrix(report)
        out += _pairs(report, image_dir, figures)
        if report.probes:
            out += _neighbours(report)
        out += _coverage(report)
    out += _kinds(report, image_dir, figures)
    if report.tuning:
        out += _tuning(report, image_dir, figures)
    if report.notes:
        out += ["## Notes", ""] + [f"- {escape_markdown(n)}" for n in report.notes] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
