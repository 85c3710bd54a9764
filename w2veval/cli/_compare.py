"""``w2veval compare``: model A against model B, or every pair of several models."""

from __future__ import annotations

from .._output import to_csv, to_json, to_table
from ._goldset_files import add_goldset_file_options, goldset_file_options
from ._options import add_ci_options, add_deprecated_alias, add_format_option, add_progress_option
from ._types import positive_int, probability, resamples, seed

__all__ = ["add_compare_command"]


def add_compare_command(commands, add_vector_options) -> None:
    compare = commands.add_parser(
        "compare",
        help="is model A really better than model B? (paired bootstrap, Steiger's test)",
        description="Compare models on the pairs they both know (n_common): delta = spearman(A) − "
        "spearman(B), A the first VECTORS and B the second, with a paired bootstrap interval, "
        "Steiger's test and Holm's correction; rows name model_a and model_b. Tasks compare "
        "macro-F1 on the same folds (paired bootstrap over texts, randomisation test, McNemar), "
        "outlier sets accuracy on the tests both scored (McNemar); categorization sets get both "
        "purities and no test. With three or more models, prints a matrix per gold set (row "
        "minus column).",
    )
    compare.add_argument(
        "vectors",
        nargs="+",
        metavar="VECTORS",
        help="two or more vectors sources (file, folder, model.tar.gz, s3:// URL); the "
        "first is model A, the second model B",
    )
    compare.add_argument(
        "-g",
        "--goldset",
        action="append",
        metavar="NAME_OR_PATH",
        help="gold set or task name, file (task:FILE for a labelled text file) or tag "
        "(repeatable; default: ws353 and simlex999)",
    )
    add_format_option(compare)
    add_ci_options(
        compare,
        default=0.95,
        methods=("bca", "percentile"),
        method_default="percentile",
        what="of the interval of delta (delta_lo, delta_hi)",
    )
    # The old spellings: hidden, still accepted, with a warning (docs/usage.md).
    add_deprecated_alias(compare, "--level", "--ci", "ci", type=probability, metavar="LEVEL")
    add_deprecated_alias(compare, "--method", "--ci-method", "ci_method", choices=("bca", "percentile"))
    compare.add_argument(
        "--resamples", type=resamples, default=10_000, help="bootstrap resamples (default 10000)"
    )
    compare.add_argument("--seed", type=seed, default=0, help="bootstrap seed (default 0)")
    compare.add_argument(
        "--restrict-vocab",
        type=positive_int,
        metavar="N",
        help="only the first N words of each file count as known",
    )
    compare.add_argument(
        "--case-sensitive", action="store_true", help="match words exactly instead of case-insensitively"
    )
    add_progress_option(compare)
    add_vector_options(compare)
    add_goldset_file_options(compare)
    compare.set_defaults(run=_compare)


def _compare(args) -> str:
    from ..errors import W2VEvalError
    from ..scoring._compare import compare_many_rows
    from ..scoring._evaluate import with_file_options

    if len(args.vectors) < 2:
        raise W2VEvalError("compare needs two or more vectors sources")
    options = goldset_file_options(args)
    goldsets = with_file_options(args.goldset, options) if options else args.goldset
    rows = compare_many_rows(
        args.vectors,
        goldsets,
        case_sensitive=args.case_sensitive,
        restrict_vocab=args.restrict_vocab,
        level=args.ci,
        n_resamples=args.resamples,
        method=args.ci_method,
        seed=args.seed,
        format=args.vectors_format,
        trust=args.trust,
        progress=not args.no_progress,
    )
    if args.format == "json":
        return to_json(rows)
    if args.format == "csv":
        return to_csv(rows).rstrip("\n")
    if len(args.vectors) == 2:
        return f"A = {args.vectors[0]}\nB = {args.vectors[1]}\n{_legend(rows, args)}\n\n" + to_table(
            rows, _columns(rows)
        )
    return _matrices(rows, args.vectors)


_UNITS = {"spearman": "pairs", "macro_f1": "texts", "accuracy": "tests", "purity": "words"}


def _legend(rows: list[dict], args) -> str:
    """What delta is: spearman on pairs, or each row's metric when sets of other kinds are present."""
    if all(r["metric"] == "spearman" for r in rows):
        return (
            f"delta = spearman(A) − spearman(B) on the n_common pairs both know; {args.ci:g} interval "
            f"delta_lo..delta_hi ({args.ci_method}); Holm-adjusted p_holm"
        )
    return (
        "delta = score_a − score_b in each row's metric on the n_common items both models scored "
        "(pairs: spearman; tasks: macro_f1, same folds; outliers: accuracy; categorization: purity, "
        f"no test); {args.ci:g} interval delta_lo..delta_hi ({args.ci_method} for pairs, percentile "
        "otherwise); p_mcnemar: McNemar's exact test on right/wrong items; Holm-adjusted p_holm"
    )


def _columns(rows: list[dict]) -> tuple[str, ...]:
    """The two-model table: the word-pair columns as before, kind/metric/score columns when mixed."""
    from ..scoring._compare import COMPARE_COLUMNS

    if all(r["metric"] == "spearman" for r in rows):
        return (
            "goldset",
            "kind",
            "n_common",
            "spearman_a",
            "spearman_b",
            "delta",
            "delta_lo",
            "delta_hi",
            "p_value",
            "p_holm",
        )
    return tuple(c for c in COMPARE_COLUMNS[2:] if c not in ("spearman_a", "spearman_b"))


def _matrices(rows: list[dict], models: list[str]) -> str:
    """Per gold set, a matrix of delta (row model minus column model), Holm-adjusted p and n_common."""
    blocks = []
    for goldset in dict.fromkeys(r["goldset"] for r in rows):
        cells = {}
        for r in rows:
            if r["goldset"] == goldset:
                common = f"n_common={r['n_common']}"
                cells[(r["model_a"], r["model_b"])] = f"{r['delta']:+.4f} (p={r['p_holm']:.3g}, {common})"
                cells[(r["model_b"], r["model_a"])] = f"{-r['delta']:+.4f} (p={r['p_holm']:.3g}, {common})"
        table = [{"model": a, **{b: cells.get((a, b), "—") for b in models}} for a in models]
        metric = next(r["metric"] for r in rows if r["goldset"] == goldset)
        blocks.append(
            f"{goldset}: delta = {metric}(row) − {metric}(column) on the n_common "
            f"{_UNITS.get(metric, 'items')} both know, Holm-adjusted p\n"
            + to_table(table, ("model", *models))
        )
    return "\n\n".join(blocks)
