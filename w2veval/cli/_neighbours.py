"""``w2veval neighbours``: the nearest words of each WORD, matched as ``score`` matches gold-set words."""

from __future__ import annotations

from .._output import to_csv, to_json, to_table
from ..errors import W2VEvalError
from ._options import add_format_option, add_matching_options, add_progress_option, matching_rules
from ._types import positive_int

__all__ = ["add_neighbours_command"]


def add_neighbours_command(commands, add_vector_options) -> None:
    neighbours = commands.add_parser(
        "neighbours",
        aliases=["neighbors"],
        help="nearest neighbours of words, to check vectors by eye",
        description="The k words nearest to each WORD by cosine similarity. A WORD is matched to the "
        "vocabulary as score matches gold-set words (its exact form first, else a case "
        "variant; see --case); the vocabulary word it got is shown when it differs. A WORD "
        "the vocabulary does not know is reported in its place; the exit status is 2 only "
        "when none is known.",
    )
    neighbours.add_argument(
        "vectors",
        metavar="VECTORS",
        help="vectors file, folder, model.tar.gz or s3:// URL; '-' reads standard input",
    )
    neighbours.add_argument("words", nargs="+", metavar="WORD", help="the words whose neighbours are listed")
    neighbours.add_argument("-k", type=positive_int, default=10, help="how many neighbours (default 10)")
    add_format_option(neighbours)
    add_matching_options(neighbours)
    add_progress_option(neighbours)
    add_vector_options(neighbours)
    neighbours.set_defaults(run=_neighbours)


def _neighbours(args) -> str:
    from ..io import load_vectors
    from ..neighbours import nearest_neighbours

    vectors = load_vectors(
        args.vectors, format=args.vectors_format, trust=args.trust, progress=not args.no_progress
    )
    results = nearest_neighbours(vectors, args.words, k=args.k, matching=matching_rules(args))
    if not any(r.found for r in results):
        what = (
            f"the word {args.words[0]!r} is not"
            if len(args.words) == 1
            else f"none of the words {', '.join(map(repr, args.words))} is"
        )
        raise W2VEvalError(f"{what} in the vocabulary", path=vectors.source)
    if args.format in ("json", "csv"):
        rows = [row for r in results for row in r.rows()]
        return to_json(rows) if args.format == "json" else to_csv(rows).rstrip("\n")
    blocks = []
    for r in results:
        if not r.found:
            blocks.append(f"{r.word}: not in the vocabulary")
            continue
        title = r.word if r.match == r.word else f"{r.word} → {r.match}"
        rows = [{"rank": i, "neighbour": n, "similarity": s} for i, (n, s) in enumerate(r.neighbours, 1)]
        blocks.append(f"{title}\n" + to_table(rows, ("rank", "neighbour", "similarity")))
    return "\n\n".join(blocks)
