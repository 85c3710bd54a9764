"""``w2veval analogies``: analogy accuracy per section, as gensim reports it."""

from __future__ import annotations

from .._output import to_csv, to_json, to_table
from ._options import add_format_option, add_matching_options, add_progress_option, matching_rules
from ._types import positive_int

__all__ = ["add_analogies_command"]

SECTION_COLUMNS = ("goldset", "section", "n_questions", "n_answered", "n_correct", "accuracy")


def add_analogies_command(commands, add_vector_options) -> None:
    analogies = commands.add_parser(
        "analogies",
        help="analogy accuracy per section (3CosAdd or 3CosMul)",
        description="Accuracy on analogy sets, per section and in total. Words are matched as in score "
        "and w2veval.evaluate (the same accuracy for the same options); with --case gensim, "
        "--method 3cosadd and the same --restrict-vocab, the counts equal gensim's "
        "evaluate_word_analogies.",
    )
    analogies.add_argument(
        "vectors",
        metavar="VECTORS",
        help="vectors file, folder, model.tar.gz or s3:// URL; '-' reads standard input",
    )
    analogies.add_argument(
        "-g",
        "--goldset",
        action="append",
        metavar="NAME",
        help="analogy set (repeatable; default: google-analogy)",
    )
    analogies.add_argument(
        "--method",
        choices=("3cosadd", "3cosmul"),
        default="3cosadd",
        help="how the answer is chosen: 3cosadd (gensim's) or 3cosmul (default 3cosadd)",
    )
    analogies.add_argument(
        "--restrict-vocab",
        type=positive_int,
        default=300000,
        metavar="N",
        help="answers are searched among the first N words (default 300000, as gensim)",
    )
    add_format_option(analogies)
    add_matching_options(analogies)
    add_progress_option(analogies)
    add_vector_options(analogies)
    analogies.set_defaults(run=_analogies)


def _analogies(args) -> str:
    from .. import goldsets
    from ..io import load_vectors
    from ..scoring import evaluate_analogies

    sets = [goldsets.load(name) for name in (args.goldset or ["google-analogy"])]
    vectors = load_vectors(
        args.vectors,
        format=args.vectors_format,
        trust=args.trust,
        limit=args.restrict_vocab,
        progress=not args.no_progress,
    )
    rows = []
    for analogy_set in sets:
        result = evaluate_analogies(
            vectors,
            analogy_set,
            method=args.method,
            restrict_vocab=args.restrict_vocab,
            matching=matching_rules(args),
        )
        rows += [{"goldset": analogy_set.name, **vars(row)} for row in result.rows]
    if args.format == "json":
        return to_json(rows)
    return to_csv(rows).rstrip("\n") if args.format == "csv" else to_table(rows, SECTION_COLUMNS)
