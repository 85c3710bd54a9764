"""``w2veval compare``: model A against model B, or every pair of several models."""

from __future__ import annotations

from .._output import to_csv, to_json, to_table
from ._goldset_files import add_goldset_file_options, goldset_file_options
from ._types import positive_int, probability, resamples, seed

__all__ = ["add_compare_command"]


def add_compare_command(commands, add_vector_options) -> None:
    compare = commands.add_parser(
        "compare", help="is model A really better than model B? (paired bootstrap, Steiger's test)",
        description="Compare models on the pairs they both know: delta = spearman_a - spearman_b with a "
                    "paired bootstrap interval, Steiger's test and Holm's correction. With three or more "
                    "models, prints the pairwise matrix.")
    compare.add_argument("vectors", nargs="+", metavar="VECTORS")
    compare.add_argument("-g", "--goldset", action="append", metavar="NAME_OR_PATH",
                         help="gold set name, file or tag (repeatable; default: ws353 and simlex999)")
    compare.add_argument("--format", choices=("table", "json", "csv"), default="table")
    compare.add_argument("--level", type=probability, default=0.95, help="confidence level (default 0.95)")
    compare.add_argument("--resamples", type=resamples, default=10_000, help="bootstrap resamples (default 10000)")
    compare.add_argument("--method", choices=("percentile", "bca"), default="percentile")
    compare.add_argument("--seed", type=seed, default=0)
    compare.add_argument("--restrict-vocab", type=positive_int, metavar="N")
    compare.add_argument("--case-sensitive", action="store_true")
    add_vector_options(compare)
    add_goldset_file_options(compare)
    compare.set_defaults(run=_compare)


def _compare(args) -> str:
    from ..errors import W2VEvalError
    from ..scoring._compare import COMPARE_COLUMNS, compare_many_rows
    from ..scoring._evaluate import with_file_options

    if len(args.vectors) < 2:
        raise W2VEvalError("compare needs two or more vectors sources")
    options = goldset_file_options(args)
    goldsets = with_file_options(args.goldset, options) if options else args.goldset
    rows = compare_many_rows(args.vectors, goldsets, case_sensitive=args.case_sensitive,
                             restrict_vocab=args.restrict_vocab, level=args.level,
                             n_resamples=args.resamples, method=args.method, seed=args.seed,
                             format=args.vectors_format, trust=args.trust)
    if len(args.vectors) == 2:
        rows = [{k: r[k] for k in COMPARE_COLUMNS} for r in rows]
        if args.format == "json":
            return to_json(rows)
        return to_csv(rows).rstrip("\n") if args.format == "csv" else to_table(rows, COMPARE_COLUMNS)
    if args.format == "json":
        return to_json(rows)
    if args.format == "csv":
        return to_csv(rows).rstrip("\n")
    return _matrices(rows, args.vectors)


def _matrices(rows: list[dict], models: list[str]) -> str:
    """Per gold set, a matrix of delta (row model minus column model) and Holm-adjusted p."""
    blocks = []
    for goldset in dict.fromkeys(r["goldset"] for r in rows):
        cells = {}
        for r in rows:
            if r["goldset"] == goldset:
                cells[(r["a"], r["b"])] = f"{r['delta']:+.4f} (p={r['p_holm']:.3g})"
                cells[(r["b"], r["a"])] = f"{-r['delta']:+.4f} (p={r['p_holm']:.3g})"
        table = [{"model": a, **{b: cells.get((a, b), "—") for b in models}} for a in models]
        blocks.append(f"{goldset}: delta = row minus column, Holm-adjusted p\n"
                      + to_table(table, ("model", *models)))
    return "\n\n".join(blocks)
