"""The ``w2veval`` command: a thin layer over the library.

Each command is one library call plus formatting. Errors the library raises
(:class:`~w2veval.W2VEvalError`) are printed as one line on stderr with exit
status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from .._output import to_csv, to_json, to_table
from ..errors import W2VEvalError, speaking_to_cli
from ._goldset_files import add_goldset_file_options, goldset_file_options
from ._options import add_ci_options, add_format_option, add_matching_options, add_progress_option
from ._types import positive_int, resamples, seed

__all__ = ["build_parser", "main"]

EXIT_USAGE = 2
VECTOR_FORMATS = ("auto", "text", "word2vec", "vec", "glove", "binary", "fasttext", "gensim")


def _add_vector_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--vectors-format",
        default="auto",
        choices=VECTOR_FORMATS,
        help="format of the vectors (default: detected from the content)",
    )
    parser.add_argument(
        "--trust",
        action="store_true",
        help="allow gensim .kv/.model files, which are pickles: only for files you trust",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``w2veval`` command's argument parser, with every sub-command and option."""
    from .._version import __version__

    parser = argparse.ArgumentParser(
        prog="w2veval", description="Evaluate word embeddings on word-similarity gold sets."
    )
    parser.add_argument("--version", action="version", version=f"w2veval {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    score = commands.add_parser(
        "score",
        help="score vectors on gold sets",
        description="Score word vectors on gold sets and tasks (one row per vectors × set; the "
        "table shows the metric columns of the kinds present).",
    )
    score.add_argument(
        "vectors",
        nargs="+",
        metavar="VECTORS",
        help="vectors file, folder, model.tar.gz or s3:// URL; '-' reads standard input",
    )
    score.add_argument(
        "-g",
        "--goldset",
        action="append",
        metavar="NAME_OR_PATH",
        help="gold set or task name (ap, 8-8-8, mr-polarity, ...), file (task:FILE for a "
        "labelled text file), or tag such as lang:de or kind:similarity "
        "(repeatable; default: ws353 and simlex999)",
    )
    add_format_option(score)
    score.add_argument(
        "--oov",
        choices=("drop", "zero", "mean", "subword", "coverage"),
        default="drop",
        help="pairs with an unknown word: drop (gensim, BlazingText), zero, mean, subword "
        "or coverage (see docs/objectives.md)",
    )
    add_ci_options(score, default=None, what="of the intervals spearman_lo/hi and pearson_lo/hi")
    score.add_argument(
        "--resamples", type=resamples, default=10_000, help="bootstrap resamples (default 10000)"
    )
    score.add_argument("--seed", type=seed, default=0, help="bootstrap seed (default 0)")
    score.add_argument(
        "--restrict-vocab",
        type=positive_int,
        metavar="N",
        help="only the first N words of each file count as known",
    )
    add_matching_options(score)
    add_progress_option(score)
    _add_vector_options(score)
    add_goldset_file_options(score)
    score.set_defaults(run=_score)

    from ._neighbours import add_neighbours_command

    add_neighbours_command(commands, _add_vector_options)

    from ._analogies import add_analogies_command
    from ._compare import add_compare_command
    from ._goldsets import add_goldsets_commands
    from ._report import add_report_command
    from ._sagemaker import add_sagemaker_commands
    from ._tune import add_tune_commands

    add_compare_command(commands, _add_vector_options)
    add_report_command(commands, _add_vector_options)
    add_analogies_command(commands, _add_vector_options)
    add_goldsets_commands(commands)
    add_sagemaker_commands(commands)
    add_tune_commands(commands)
    return parser


def _score(args) -> str:
    from ..scoring import evaluate_rows
    from ..scoring._evaluate import table_columns

    rows = evaluate_rows(
        args.vectors,
        args.goldset,
        oov=args.oov,
        case_sensitive=args.case_sensitive,
        restrict_vocab=args.restrict_vocab,
        format=args.vectors_format,
        trust=args.trust,
        progress=not args.no_progress,
        pvalues=args.format != "table",
        case=args.case,
        accents=not args.ignore_accents,
        phrases=not args.no_phrases,
        ci=args.ci,
        ci_method=args.ci_method,
        n_resamples=args.resamples,
        seed=args.seed,
        goldset_options=goldset_file_options(args),
    )
    if args.format == "json":
        return to_json(rows)
    if args.format == "csv":
        return to_csv(rows).rstrip("\n")
    return to_table(rows, table_columns(rows))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    grouped: list = []
    try:
        with speaking_to_cli(), warnings.catch_warnings():
            warnings.showwarning = _collecting(grouped)
            output = args.run(args)
        _show_grouped(grouped)
    except W2VEvalError as exc:
        # One line, always: a multi-line message (a download that tried several URLs) is joined.
        print("w2veval: error: " + "; ".join(filter(None, str(exc).splitlines())), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("w2veval: interrupted", file=sys.stderr)
        return 130
    return _print_output(output)


def _collecting(grouped: list):
    """A ``showwarning`` that keeps score warnings (those with a ``kind``) for :func:`_show_grouped`
    and shows every other warning at once."""

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        if getattr(message, "kind", None) and hasattr(message, "goldset"):
            grouped.append(message)
        else:
            _show_warning(message, category, filename, lineno, file, line)

    return show


def _show_grouped(grouped: list) -> None:
    """One ``w2veval: warning:`` line per kind of score warning, naming every gold set it concerns."""
    if grouped:
        from ..scoring._warnings import summarise

        for text in summarise(grouped):
            _show_warning(text, UserWarning, "", 0)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line, ``w2veval: warning: ...``, without Python's source line."""
    text = " ".join(str(message).split("\n"))
    print(f"w2veval: warning: {text}", file=sys.stderr if file is None else file)


def _print_output(output: str) -> int:
    """Print the command's output; a full disk or a closed stdout is one line and exit 2."""
    try:
        print(output)
        sys.stdout.flush()
    except BrokenPipeError:  # `w2veval score ... | head`: the reader has gone, not an error
        _discard_stdout()
    except OSError as exc:  # `> /dev/full`, a full disk, an I/O error
        _discard_stdout()
        print(f"w2veval: error: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _discard_stdout() -> None:
    # What is still buffered would fail again when Python flushes stdout at exit.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
