"""Options for gold sets given as file paths: how ``GoldSet.from_file`` reads them.

The messages of the gold-set readers suggest these options by name (``--encoding
ENCODING``, ``--decimal-comma``, ``--bad-scores drop``, ...); every command that reads a
gold set from a file offers them.
"""

from __future__ import annotations

import argparse

from ._types import codec, column_triple

__all__ = ["add_goldset_file_options", "goldset_file_options"]

_FROM_FILE = (
    "encoding",
    "decimal_comma",
    "bad_scores",
    "duplicates",
    "header",
    "columns",
    "strip_pos_suffix",
)


def add_goldset_file_options(parser: argparse.ArgumentParser, *, duplicates: bool = True) -> None:
    """Add the reading options of gold-set files to ``parser`` (in their own help group).

    ``duplicates=False`` leaves out ``--duplicates`` (``goldsets validate`` reports
    repeated pairs itself).
    """
    group = parser.add_argument_group(
        "gold-set files", "how gold sets given as file paths are read (catalogued sets keep their settings)"
    )
    group.add_argument(
        "--encoding",
        type=codec,
        metavar="ENCODING",
        help="text encoding of the files (default utf-8), e.g. latin-1, utf-16",
    )
    group.add_argument(
        "--decimal-comma",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="scores are (or, with --no-decimal-comma, are not) written with a decimal comma (7,5)",
    )
    group.add_argument(
        "--bad-scores",
        choices=("error", "drop"),
        help="a row whose score is not a number: error (default) or drop, with a warning",
    )
    if duplicates:
        # "warn" still works (back-compat) but is not offered.
        group.add_argument(
            "--duplicates",
            choices=("keep", "mean", "error", "warn"),
            metavar="{keep,mean,error}",
            help="a pair listed more than once: keep every row, mean (one pair with the mean "
            "score) or error on conflicting rows; default: a published file (recognised "
            "by its sha256) as the catalog reads it, any other file error",
        )
    group.add_argument(
        "--header",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the first row is (or, with --no-header, is not) a header; default: decided from the row",
    )
    group.add_argument(
        "--columns",
        type=column_triple,
        metavar="W1,W2,SCORE",
        help="0-based columns of the two words and the score (default 0,1,2)",
    )
    group.add_argument(
        "--strip-pos-suffix",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="remove a -n/-v/-j part-of-speech suffix from the words (MEN's lemma files)",
    )


def goldset_file_options(args) -> dict:
    """The ``GoldSet.from_file`` keyword arguments given on the command line (and only those)."""
    return {name: getattr(args, name) for name in _FROM_FILE if getattr(args, name, None) is not None}
