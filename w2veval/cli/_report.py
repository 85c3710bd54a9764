"""``w2veval report``: one HTML page (or Markdown, or PNG files) on vectors and tuning results."""

from __future__ import annotations

import os

from ._goldset_files import add_goldset_file_options, goldset_file_options
from ._options import add_ci_options, add_progress_option, add_ranking_options
from ._types import non_negative_int, positive_int, probability, resamples, seed

__all__ = ["add_report_command"]


def add_report_command(commands, add_vector_options) -> None:
    report = commands.add_parser(
        "report",
        help="an HTML or Markdown report on vectors and tuning results",
        description="Write one self-contained HTML page (or Markdown, or PNG figures) on vectors sources "
        "and tuning results: leaderboard with confidence intervals, pairwise significance, "
        "human score against cosine per gold set, nearest neighbours of probe words, "
        "coverage, and objective against hyperparameters. Needs matplotlib for figures: "
        "pip install 'w2veval[plot]'.",
    )
    report.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="vectors source (file, folder, model.tar.gz, s3:// URL) or results file "
        "(.csv/.json from `w2veval tune results` or `w2veval sagemaker results`)",
    )
    report.add_argument(
        "-g",
        "--goldset",
        action="append",
        metavar="NAME_OR_PATH",
        help="gold set name, file or tag (repeatable; default: ws353 and simlex999)",
    )
    report.add_argument(
        "-o", "--output", metavar="FILE", help="write the report here (atomically); default: print it"
    )
    report.add_argument(
        "--format",
        choices=("html", "markdown"),
        help="html (default) or markdown (default when FILE ends in .md)",
    )
    report.add_argument("--plots", metavar="DIR", help="also write every figure as a PNG file into DIR")
    report.add_argument("--storage", metavar="URL", help="Optuna storage of a study INPUT")
    report.add_argument("--study", action="append", metavar="NAME", help="a local tuning study (repeatable)")
    report.add_argument(
        "--probe",
        action="append",
        metavar="WORD",
        help="probe word for nearest neighbours (repeatable; default: family, sad)",
    )
    report.add_argument("--no-probes", action="store_true", help="leave out the nearest neighbours")
    report.add_argument("-k", type=positive_int, default=10, help="neighbours per probe word (default 10)")
    report.add_argument(
        "--labels",
        type=non_negative_int,
        default=5,
        metavar="N",
        help="worst-ranked pairs labelled per scatter plot (default 5)",
    )
    add_ci_options(report, default=0.95, what="of the intervals of the scores and of the pairwise deltas")
    report.add_argument(
        "--resamples", type=resamples, default=10_000, help="bootstrap resamples (default 10000)"
    )
    report.add_argument("--seed", type=seed, default=0, help="bootstrap seed (default 0)")
    report.add_argument(
        "--alpha",
        type=probability,
        default=0.05,
        help="significance level of the matrix's colours (default 0.05)",
    )
    report.add_argument(
        "--restrict-vocab",
        type=positive_int,
        metavar="N",
        help="only the first N words of each file count as known",
    )
    report.add_argument(
        "--case-sensitive", action="store_true", help="match words exactly instead of case-insensitively"
    )
    report.add_argument("--title", help="the report's title")
    add_ranking_options(
        report,
        what="a score",
        otherwise="shown greyed and the leaderboard ranks on gold sets where every model passes",
    )
    add_progress_option(report)
    add_vector_options(report)
    add_goldset_file_options(report)
    report.set_defaults(run=_report)


def _report(args) -> str:
    from .._output import write_atomic
    from ..report import build_report
    from ..report._plots import require_matplotlib
    from ..scoring._evaluate import with_file_options

    fmt = args.format or (
        "markdown" if (args.output or "").lower().endswith((".md", ".markdown")) else "html"
    )
    if fmt == "html" or args.plots:
        require_matplotlib("w2veval report" + (" --plots" if fmt == "markdown" else ""))
    from ..report import ReportOutputError

    # Output paths are checked before the (long) computation, and written only after it.
    if args.output and not os.path.isdir(os.path.dirname(os.path.abspath(args.output))):
        raise ReportOutputError("cannot write here: the folder does not exist", path=args.output)
    if args.plots and os.path.exists(args.plots) and not os.path.isdir(args.plots):
        raise ReportOutputError(
            "cannot make the folder for the figures: a file is in the way", path=args.plots
        )
    probes = () if args.no_probes else tuple(args.probe or ("family", "sad"))
    options = goldset_file_options(args)
    goldsets = with_file_options(args.goldset, options) if options else args.goldset
    report = build_report(
        args.inputs,
        goldsets,
        storage=args.storage,
        study=args.study,
        probes=probes,
        k=args.k,
        ci=args.ci,
        ci_method=args.ci_method,
        n_resamples=args.resamples,
        seed=args.seed,
        n_labels=args.labels,
        alpha=args.alpha,
        case_sensitive=args.case_sensitive,
        restrict_vocab=args.restrict_vocab,
        format=args.vectors_format,
        trust=args.trust,
        title=args.title,
        min_pairs=args.min_pairs,
        min_coverage=args.min_coverage,
        progress=not args.no_progress,
    )
    image_dir = None
    if args.plots and fmt == "markdown":
        base = os.path.dirname(os.path.abspath(args.output)) if args.output else os.getcwd()
        image_dir = os.path.relpath(os.path.abspath(args.plots), base).replace(os.sep, "/")
    # Everything is rendered before anything is written: an error leaves no file behind.
    text = report.to_html() if fmt == "html" else report.to_markdown(image_dir)
    written = report.write_plots(args.plots) if args.plots else []
    if not args.output:
        return text.rstrip("\n")
    write_atomic(args.output, text.encode("utf-8"), error=ReportOutputError)
    others = (
        f", {len(report.other_goldsets)} other sets (categorization, outliers, tasks)"
        if report.other_goldsets
        else ""
    )
    summary = (
        f"{args.output}: {len(report.models)} vectors, {len(report.goldsets)} gold sets{others}, "
        f"{len(report.tuning)} tuning tables"
    )
    return summary + (f"; {len(written)} figures in {args.plots}" if args.plots else "")
