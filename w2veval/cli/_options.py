"""The options several commands share, spelled and explained the same way everywhere.

``--format`` (how a table is printed), ``--no-progress`` (no progress bars on stderr),
``--ci LEVEL`` / ``--ci-method`` (confidence intervals) and ``--jobs N`` (a count of
parallel workers) mean the same thing on every command that has them;
``tests/test_cli_parser.py`` walks the whole command tree to keep it so.
"""

from __future__ import annotations

import argparse
import sys

from ._types import min_pairs, positive_int, probability, share

__all__ = [
    "CI_METHODS",
    "TABLE_FORMATS",
    "add_ci_options",
    "add_deprecated_alias",
    "add_format_option",
    "add_jobs_option",
    "add_matching_options",
    "add_progress_option",
    "matching_rules",
]

TABLE_FORMATS = ("table", "json", "csv")
"""What ``--format`` offers on every command that prints a table."""
CI_METHODS = ("bca", "percentile", "fisher")
"""Interval methods; a command offers those its statistic supports, in this order."""


def add_format_option(
    parser: argparse.ArgumentParser,
    choices=TABLE_FORMATS,
    default: str | None = None,
    help: str | None = None,
) -> None:
    """``--format``: ``table`` (aligned text), ``json`` (a list of row objects) or ``csv``."""
    default = default or choices[0]
    parser.add_argument(
        "--format",
        choices=choices,
        default=default,
        help=help or f"output format: {', '.join(choices)} (default {default})",
    )


def add_progress_option(parser: argparse.ArgumentParser) -> None:
    """``--no-progress``: no progress bars on stderr (they appear only for steps longer than a second)."""
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bars on stderr (shown only for steps that take over a second)",
    )


def add_ci_options(
    parser: argparse.ArgumentParser,
    *,
    default: float | None,
    methods=CI_METHODS,
    method_default: str = "bca",
    what: str = "",
) -> None:
    """``--ci LEVEL`` and ``--ci-method``: the confidence level and how the interval is computed."""
    level_help = f"confidence level {what or 'of the intervals'}, e.g. 0.95"
    level_help += f" (default {default})" if default is not None else " (default: no intervals)"
    parser.add_argument("--ci", type=probability, default=default, metavar="LEVEL", help=level_help)
    parser.add_argument(
        "--ci-method",
        choices=methods,
        default=method_default,
        help=f"how intervals are computed: {', '.join(methods)} (default {method_default})",
    )


def add_jobs_option(parser: argparse.ArgumentParser, *, default: int = 1, help: str) -> None:
    """``--jobs N``: how many workers run at once (a whole number, at least 1)."""
    parser.add_argument("--jobs", type=positive_int, default=default, metavar="N", help=help)


class _DeprecatedAlias(argparse.Action):
    """An old spelling that still works, with a one-line warning naming the new one."""

    def __init__(self, option_strings, dest, *, new: str, **kwargs):
        self.new = new
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"w2veval: warning: {option_string} is deprecated; use {self.new}", file=sys.stderr)
        setattr(namespace, self.dest, values)


def add_deprecated_alias(parser: argparse.ArgumentParser, old: str, new: str, dest: str, **kwargs) -> None:
    """Accept ``old`` as a hidden spelling of ``new`` (same ``dest``), warning when it is used."""
    parser.add_argument(
        old,
        dest=dest,
        action=_DeprecatedAlias,
        new=new,
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
        **kwargs,
    )


def add_matching_options(parser: argparse.ArgumentParser) -> None:
    """``--case-sensitive``, ``--case``, ``--ignore-accents``, ``--no-phrases``: how a word is
    matched to the vocabulary (:class:`~w2veval.matching.MatchRules`, ``docs/matching.md``)."""
    from ..matching import CASE_MODES

    parser.add_argument(
        "--case-sensitive", action="store_true", help="match words exactly instead of case-insensitively"
    )
    parser.add_argument(
        "--case",
        choices=CASE_MODES,
        help="case rule by name: casefold (default: the exact form first, else a case "
        "variant), sensitive, or gensim (str.upper(), the first variant wins: for "
        "parity checks); wins over --case-sensitive",
    )
    parser.add_argument("--ignore-accents", action="store_true", help="match 'café' to 'cafe'")
    parser.add_argument(
        "--no-phrases",
        action="store_true",
        help="do not match multi-word entries ('ice cream') to phrase tokens ('ice_cream')",
    )


def matching_rules(args):
    """The :class:`~w2veval.matching.MatchRules` the options of :func:`add_matching_options` ask for."""
    from ..matching import MatchRules

    return MatchRules.from_options(
        args.case_sensitive, args.case, accents=not args.ignore_accents, phrases=not args.no_phrases
    )


def add_ranking_options(parser: argparse.ArgumentParser, *, what: str, otherwise: str) -> None:
    """``--min-pairs`` and ``--min-coverage``: which scores may rank (``scoring/_ranking.py``).

    ``what`` names what is ranked ("a trial", "a job", "a score"), ``otherwise`` what happens
    to one that may not ("listed last with a note").
    """
    from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS

    parser.add_argument(
        "--min-pairs",
        type=min_pairs,
        default=MIN_RANK_PAIRS,
        metavar="N",
        help=f"{what} ranks only if each gold set has at least N pairs scored; others "
        f"are {otherwise} (default {MIN_RANK_PAIRS})",
    )
    parser.add_argument(
        "--min-coverage",
        type=share,
        default=MIN_RANK_COVERAGE,
        metavar="SHARE",
        help=f"{what} ranks only if each gold set has at least this share of its pairs "
        f"scored (default {MIN_RANK_COVERAGE})",
    )
