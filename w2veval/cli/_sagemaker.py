"""``w2veval sagemaker``: read tuning jobs back, rescore their models, print metric definitions."""

from __future__ import annotations

import json

from .._output import render_frame
from ._goldset_files import add_goldset_file_options, goldset_file_options
from ._options import (
    add_deprecated_alias,
    add_format_option,
    add_jobs_option,
    add_progress_option,
    add_ranking_options,
)
from ._types import positive_int

__all__ = ["add_sagemaker_commands"]


def add_sagemaker_commands(commands) -> None:
    sagemaker = commands.add_parser(
        "sagemaker",
        help="SageMaker tuning: results, rescoring, metric definitions",
        description="Read a SageMaker tuning job back, rescore its models from S3, or print the "
        "MetricDefinitions for tuning on gold sets. boto3's usual configuration applies.",
    )
    sub = sagemaker.add_subparsers(dest="sagemaker_command", required=True, metavar="SUBCOMMAND")

    results = sub.add_parser(
        "results",
        help="every training job of a tuning job, best first",
        description="One row per training job of a SageMaker tuning job: status, "
        "final objective metric, hyperparameters, best first.",
    )
    results.add_argument("job", metavar="TUNING_JOB", help="the hyperparameter tuning job's name")
    add_format_option(results)
    results.set_defaults(run=_results)

    rescore = sub.add_parser(
        "rescore",
        help="score each training job's model.tar.gz from S3",
        description="Score the models of a tuning job (one name) or of training "
        "jobs (several names, or --training-jobs) on gold sets or an "
        "objective.",
    )
    rescore.add_argument(
        "names", nargs="+", metavar="JOB_OR_NAMES", help="a tuning job's name, or training job names"
    )
    rescore.add_argument(
        "--training-jobs",
        dest="as_jobs",
        action="store_true",
        help="treat a single name as a training job, not a tuning job",
    )
    rescore.add_argument(
        "-g",
        "--goldset",
        action="append",
        metavar="NAME_OR_PATH",
        help="gold set name, file or tag (repeatable; default: ws353 and simlex999)",
    )
    rescore.add_argument("--objective", metavar="TEXT", help="an objective such as '0.7*ws353+0.3*simlex999'")
    add_jobs_option(rescore, default=8, help="models downloaded and scored at once (default 8)")
    add_deprecated_alias(rescore, "--max-workers", "--jobs", "jobs", type=positive_int, metavar="N")
    add_ranking_options(rescore, what="a job", otherwise="listed last with a note")
    add_format_option(rescore)
    add_progress_option(rescore)
    add_goldset_file_options(rescore)
    rescore.set_defaults(run=_rescore)

    metrics = sub.add_parser(
        "metric-definitions",
        help="the MetricDefinitions list, as JSON",
        description="The MetricDefinitions (metric names and the regexes that "
        "read them from the training log) for tuning on these gold "
        "sets or this objective.",
    )
    metrics.add_argument(
        "-g",
        "--goldset",
        action="append",
        metavar="NAME",
        help="gold set to report a metric for (repeatable)",
    )
    metrics.add_argument(
        "--objective", metavar="TEXT", help="an objective such as '0.7*ws353+0.3*simlex999' (instead of -g)"
    )
    add_format_option(metrics, ("json",))
    metrics.set_defaults(run=_metric_definitions)


def _with_totals(frame, fmt: str) -> str:
    """The table, and under it (``table`` format only) the billable time of all the jobs."""
    from ..sagemaker._results import billable_line

    text = render_frame(frame, fmt)
    line = billable_line(frame) if fmt == "table" else None
    return f"{text}\n\n{line}" if line else text


def _results(args) -> str:
    from ..sagemaker._results import tuning_results

    return _with_totals(tuning_results(args.job), args.format)


def _rescore(args) -> str:
    from ..errors import W2VEvalError
    from ..objective import Objective
    from ..sagemaker._results import rescore

    if args.objective and args.goldset:
        raise W2VEvalError("give gold sets (-g) or --objective, not both")
    target = Objective.parse(args.objective) if args.objective else args.goldset
    jobs = args.names[0] if len(args.names) == 1 and not args.as_jobs else args.names
    frame = rescore(
        jobs,
        target,
        max_workers=args.jobs,
        goldset_options=goldset_file_options(args),
        progress=not args.no_progress,
        min_pairs=args.min_pairs,
        min_coverage=args.min_coverage,
    )
    return _with_totals(frame, args.format)


def _metric_definitions(args) -> str:
    from ..errors import W2VEvalError
    from ..objective import Objective
    from ..sagemaker import metric_definitions

    if bool(args.objective) == bool(args.goldset):
        raise W2VEvalError("give gold sets (-g NAME ...) or --objective TEXT, one of the two")
    objective = args.objective or Objective(terms=tuple((1, g) for g in args.goldset))
    return json.dumps(metric_definitions(objective), indent=2)
