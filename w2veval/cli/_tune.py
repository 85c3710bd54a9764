"""``w2veval tune``: tune word2vec locally with Optuna (``run``) and read a study back (``results``)."""

from __future__ import annotations

from .._output import render_frame
from ._goldset_files import add_goldset_file_options, goldset_file_options
from ._options import add_format_option, add_jobs_option, add_progress_option, add_ranking_options
from ._types import positive_int, price, probability, seed

__all__ = ["add_tune_commands"]


def add_tune_commands(commands) -> None:
    tune = commands.add_parser(
        "tune",
        help="tune word2vec locally with Optuna: run a study, print its results",
        description="Tune gensim word2vec (BlazingText hyperparameter names) on a corpus for an "
        "objective with Optuna, and read the study back. See docs/tuning.md.",
    )
    sub = tune.add_subparsers(dest="tune_command", required=True, metavar="SUBCOMMAND")

    run = sub.add_parser(
        "run",
        help="run (or resume) a study, then print its results",
        description="Train and score word2vec trials. A study kept in --storage "
        "resumes where it stopped when run again.",
    )
    run.add_argument(
        "corpus", metavar="CORPUS", help="text file (or folder of them), one tokenised sentence per line"
    )
    run.add_argument(
        "--trials",
        type=positive_int,
        required=True,
        metavar="N",
        help="finished trials the study should have (a resumed study runs the rest)",
    )
    _add_objective_options(run)
    _add_storage_options(run)
    add_jobs_option(
        run,
        help="worker processes on this machine (default 1; more than one needs a "
        "journal:// or postgresql:// storage)",
    )
    run.add_argument(
        "--threads",
        type=positive_int,
        metavar="T",
        help="training threads per worker (default: cores / jobs; jobs x threads <= cores)",
    )
    run.add_argument(
        "--repeats",
        type=positive_int,
        default=1,
        metavar="K",
        help="models per configuration, seeds SEED..SEED+K-1: mean and std of the objective",
    )
    run.add_argument("--seed", type=seed, default=0, help="training and sampler seed (default 0)")
    run.add_argument(
        "--deterministic",
        action="store_true",
        help="one training thread, fixed seed and PYTHONHASHSEED: exact reproduction, slower",
    )
    run.add_argument(
        "--space",
        metavar="FILE_OR_JSON",
        help="search space as SageMaker ParameterRanges JSON (default: SageMaker's "
        "recommended BlazingText ranges)",
    )
    run.add_argument(
        "--range",
        action="append",
        dest="ranges",
        metavar="NAME=LOW:HIGH[:log]|A,B",
        help="one searched hyperparameter, e.g. vector_dim=50:300, learning_rate=0.005:0.05:log, "
        "mode=cbow,batch_skipgram (repeatable; replaces the default space)",
    )
    run.add_argument(
        "--set",
        action="append",
        dest="fixed",
        metavar="NAME=VALUE",
        help="a fixed hyperparameter, e.g. min_count=5 (repeatable)",
    )
    run.add_argument(
        "--heldout",
        type=probability,
        metavar="SHARE",
        help="hold out this share of each gold set (e.g. 0.5) and report heldout_objective",
    )
    run.add_argument("--heldout-seed", type=seed, default=0, help="seed of the held-out split (default 0)")
    add_format_option(run)
    add_progress_option(run)
    _add_strategy_options(run)
    add_goldset_file_options(run)
    run.set_defaults(run=_run)

    results = sub.add_parser(
        "results",
        help="one row per trial: objective, scores, hyperparameters, seconds; best first",
        description="Read a study back: one row per trial, best first. The storage "
        "and study default as in `tune run`, so the same -g/--objective "
        "find the study that run wrote.",
    )
    _add_objective_options(results, purpose="whose study to read")
    _add_storage_options(results)
    add_ranking_options(results, what="a trial", otherwise="listed last with a note")
    _add_price_option(results, default="the price the study was run with")
    add_format_option(results)
    results.set_defaults(run=_results)


def _add_objective_options(parser, purpose: str = "to tune on") -> None:
    parser.add_argument(
        "-g",
        "--goldset",
        action="append",
        metavar="NAME_OR_PATH",
        help=f"gold set {purpose}, equal weights (repeatable; default ws353 and simlex999)",
    )
    parser.add_argument(
        "--objective",
        action="append",
        metavar="TEXT",
        help="objective such as '0.7*ws353+0.3*simlex999;oov=zero' (instead of -g); "
        "repeat it for a multi-objective study with a Pareto front, e.g. "
        "--objective ws353-sim --objective ws353-rel (a cost such as "
        "cpu_seconds or train_seconds is minimised)",
    )


def _add_strategy_options(parser) -> None:
    from ..tune._samplers import PRUNERS, SAMPLERS

    parser.add_argument(
        "--prune",
        choices=PRUNERS,
        default="none",
        help="stop poor trials early from the objective after each epoch (default none)",
    )
    parser.add_argument(
        "--sampler",
        choices=SAMPLERS,
        default="tpe",
        help="Optuna sampler (default tpe; SageMaker's Bayesian is tpe or gp, Random "
        "random, Grid grid, Hyperband is --prune hyperband)",
    )
    parser.add_argument(
        "--warm-start",
        metavar="SOURCE",
        help="enqueue the best configurations of STORAGE_URL[#STUDY], a `tune results "
        "--format json` file or a `sagemaker results --format json` file",
    )
    parser.add_argument(
        "--warm-start-best",
        type=positive_int,
        default=5,
        metavar="K",
        help="configurations a warm start enqueues (default 5)",
    )
    _add_price_option(parser, default="none")


def _add_price_option(parser, *, default: str) -> None:
    parser.add_argument(
        "--price-per-hour",
        type=price,
        metavar="P",
        help=f"the machine's price per hour: adds a cost column and total (default {default})",
    )


def _add_storage_options(parser) -> None:
    from ..tune import DEFAULT_STORAGE

    parser.add_argument(
        "--storage",
        metavar="URL",
        help="sqlite:///FILE.db, journal:///PATH/FILE.log or postgresql://USER@HOST:PORT/DB"
        f" (default {DEFAULT_STORAGE})",
    )
    parser.add_argument(
        "--study", metavar="NAME", help="study name (default: the objective's name, e.g. 1*ws353+1*simlex999)"
    )


def _objectives(args) -> list:
    """The objectives of ``-g``/``--objective`` (default: ws353 and simlex999, equal weights)."""
    from ..errors import W2VEvalError
    from ..objective import Objective
    from ..scoring._evaluate import DEFAULT_GOLDSETS
    from ..tune._objectives import parse_objectives

    if args.objective and args.goldset:
        raise W2VEvalError("give gold sets (-g) or --objective, not both")
    if args.objective:
        return parse_objectives(args.objective)
    return [Objective(terms=tuple((1, g) for g in (args.goldset or DEFAULT_GOLDSETS)))]


def _space(args):
    from ..errors import W2VEvalError
    from ..space import SearchSpace
    from ..tune import parse_range, read_space

    if args.space and args.ranges:
        raise W2VEvalError("give the search space as --space or as --range options, not both")
    if args.space:
        return read_space(args.space)
    if args.ranges:
        return SearchSpace([parse_range(text) for text in args.ranges])
    return None


def _fixed(args) -> dict:
    from ..errors import W2VEvalError

    fixed = {}
    for text in args.fixed or []:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise W2VEvalError(f"--set takes NAME=VALUE, got {text!r}")
        fixed[name.strip()] = value.strip()
    return fixed


def _run(args) -> str:
    from ..tune import run

    objectives = _objectives(args)
    frame = run(
        args.corpus,
        objectives,
        trials=args.trials,
        storage=args.storage,
        study=args.study,
        jobs=args.jobs,
        threads=args.threads,
        repeats=args.repeats,
        seed=args.seed,
        deterministic=args.deterministic,
        space=_space(args),
        fixed=_fixed(args),
        heldout=args.heldout,
        heldout_seed=args.heldout_seed,
        progress=not args.no_progress,
        goldset_options=goldset_file_options(args),
        prune=args.prune,
        sampler=args.sampler,
        warm_start=args.warm_start,
        warm_start_best=args.warm_start_best,
        price_per_hour=args.price_per_hour,
    )
    return _render(frame, args.format)


def _results(args) -> str:
    from ..tune import DEFAULT_STORAGE, results

    # The same defaults as `tune run`: its storage, and the objective's name as the study's.
    from ..tune._objectives import study_name

    storage = args.storage or DEFAULT_STORAGE
    study = args.study or study_name(_objectives(args))
    return _render(
        results(
            storage,
            study,
            min_pairs=args.min_pairs,
            min_coverage=args.min_coverage,
            price_per_hour=args.price_per_hour,
        ),
        args.format,
    )


def _render(frame, fmt: str) -> str:
    """The table, and under it (table format only) the totals of what the trials cost."""
    text = render_frame(frame, fmt)
    totals = frame.attrs.get("totals")
    if fmt != "table" or not totals:
        return text
    line = (
        f"total: {totals['trials']} trials, {totals['wall_seconds']:.1f} wall seconds, "
        f"{totals['cpu_seconds']:.1f} CPU seconds"
    )
    if frame.attrs.get("price_per_hour") is not None:
        line += f", cost {totals['cost']:.4g} at {frame.attrs['price_per_hour']:g} per hour"
    return f"{text}\n{line}"
