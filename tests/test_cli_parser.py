"""One consistent command line: rules checked over the whole argparse tree of ``build_parser``.

Every rule is data (the tables below) plus one generic check over every (sub)command,
so a new command or option is checked without a new test. A new command must be
classified in COMMANDS (does it read files? does it print a table?): the test fails
until it is.
"""

from __future__ import annotations

import argparse

import pytest

from w2veval.cli import build_parser
from w2veval.cli._options import CI_METHODS, TABLE_FORMATS

# command words -> traits: "reads" (reads vectors, corpora or gold-set files: needs --no-progress)
# and "table" (prints a table: needs --format with table, json and csv).
COMMANDS: dict[tuple[str, ...], set[str]] = {
    (): set(),
    ("score",): {"reads", "table"},
    ("neighbours",): {"reads", "table"},
    ("compare",): {"reads", "table"},
    ("report",): {"reads"},  # writes a page (--format html|markdown), not a table
    ("analogies",): {"reads", "table"},
    ("goldsets",): set(),
    ("goldsets", "list"): {"table"},
    ("goldsets", "show"): set(),  # a description, not a table (--format text|json)
    ("goldsets", "cite"): set(),  # BibTeX
    ("goldsets", "fetch"): {"reads"},  # downloads
    ("goldsets", "import"): {"reads"},
    ("goldsets", "template"): {"reads"},  # writes the CSV sheet itself
    ("goldsets", "validate"): {"reads"},
    ("goldsets", "agreement"): {"reads"},
    ("sagemaker",): set(),
    ("sagemaker", "results"): {"table"},  # asks the SageMaker API, reads no file
    ("sagemaker", "rescore"): {"reads", "table"},  # downloads each model.tar.gz
    ("sagemaker", "metric-definitions"): set(),  # JSON only
    ("tune",): set(),
    ("tune", "run"): {"reads", "table"},
    ("tune", "results"): {"table"},  # reads one Optuna storage: no step to count
}

# Spellings kept for old scripts: hidden from --help, still accepted (docs/usage.md).
DEPRECATED = {
    ("compare", "--level"): "--ci",
    ("compare", "--method"): "--ci-method",
    ("sagemaker", "rescore", "--max-workers"): "--jobs",
}

# Options that must be spelled (and parsed) the same way wherever they appear: flag -> dest.
SHARED = {
    "--format": "format",
    "--no-progress": "no_progress",
    "--ci": "ci",
    "--ci-method": "ci_method",
    "--jobs": "jobs",
    "-g": "goldset",
    "--goldset": "goldset",
    "--seed": "seed",
    "--resamples": "resamples",
    "--restrict-vocab": "restrict_vocab",
    "--case-sensitive": "case_sensitive",
    "--vectors-format": "vectors_format",
    "--trust": "trust",
    "--storage": "storage",
    "--study": "study",
    "--objective": "objective",
}


def _tree(parser=None, words=()):
    """``(command words, parser)`` of every (sub)command, aliases (``neighbors``) once."""
    parser = parser or build_parser()
    yield words, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:
                    seen.add(id(sub))
                    yield from _tree(sub, (*words, name))


def _parent_help(words):
    parser = build_parser()
    for word in words[:-1]:
        parser = _sub(parser)[word]
    choices = _subparsers_action(parser)._choices_actions
    return {c.dest: c.help for c in choices}.get(words[-1])


def _subparsers_action(parser):
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _sub(parser):
    return _subparsers_action(parser).choices


def _arguments(parser):
    """Every argument except -h and --version (argparse's own)."""
    return [
        a
        for a in parser._actions
        if not isinstance(a, (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction))
    ]


def _visible(action) -> bool:
    return action.help is not argparse.SUPPRESS


TREE = list(_tree())
IDS = [" ".join(words) or "w2veval" for words, _ in TREE]


def test_every_command_is_classified():
    found = {words for words, _ in TREE}
    assert found - set(COMMANDS) == set(), "classify the new commands in COMMANDS"
    assert set(COMMANDS) - found == set(), "COMMANDS names commands that no longer exist"


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_every_command_has_a_description_and_a_help(words, parser):
    assert parser.description, f"`w2veval {' '.join(words)}` has no description"
    if words:
        assert _parent_help(words), f"`w2veval {' '.join(words)}` has no help line in its parent's --help"


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_every_argument_has_help(words, parser):
    for action in _arguments(parser):
        name = "/".join(action.option_strings) or action.metavar or action.dest
        if not _visible(action):
            assert (*words, action.option_strings[0]) in DEPRECATED, (
                f"{name} of `w2veval {' '.join(words)}` is hidden but is not a deprecated alias"
            )
            continue
        assert action.help and action.help.strip(), f"{name} of `w2veval {' '.join(words)}` has no help"


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_shared_options_have_one_spelling_and_one_meaning(words, parser):
    for action in filter(_visible, _arguments(parser)):
        for flag in action.option_strings:
            if flag in SHARED:
                assert action.dest == SHARED[flag], (
                    f"{flag} of `w2veval {' '.join(words)}` stores {action.dest!r}, "
                    f"elsewhere {SHARED[flag]!r}"
                )
        if action.dest in SHARED.values() and action.option_strings:
            expected = {f for f, d in SHARED.items() if d == action.dest}
            assert set(action.option_strings) <= expected, (
                f"{action.option_strings} of `w2veval {' '.join(words)}` "
                f"spell {action.dest!r} unlike elsewhere"
            )


def test_across_commands_a_flag_has_one_dest_and_a_dest_one_spelling():
    """``--restrict-vocab`` stores ``restrict_vocab`` everywhere, and nothing else spells it."""
    dests, spellings = {}, {}
    for words, parser in TREE:
        for action in filter(_visible, _arguments(parser)):
            if not action.option_strings:
                continue
            where = f"`w2veval {' '.join(words)}`"
            flags = tuple(sorted(action.option_strings))
            for flag in flags:
                first = dests.setdefault(flag, (action.dest, where))
                assert first[0] == action.dest, (
                    f"{flag} stores {action.dest!r} in {where}, {first[0]!r} in {first[1]}"
                )
            first = spellings.setdefault(action.dest, (flags, where))
            assert first[0] == flags, (
                f"{action.dest!r} is {'/'.join(flags)} in {where}, {'/'.join(first[0])} in {first[1]}"
            )


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_deprecated_spellings_are_hidden_but_still_work(words, parser):
    for action in _arguments(parser):
        old = [f for f in action.option_strings if (*words, f) in DEPRECATED]
        if old:
            assert not _visible(action), f"{old[0]} should be hidden from --help"
            new = DEPRECATED[(*words, old[0])]
            target = next(a for a in _arguments(parser) if new in a.option_strings)
            assert action.dest == target.dest, f"{old[0]} must set what {new} sets"


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_jobs_is_a_count_of_at_least_one(words, parser):
    for action in _arguments(parser):
        if "--jobs" in action.option_strings:
            assert action.nargs is None and action.type is not None, "--jobs takes one number"
            assert getattr(action.type, "minimum", None) == 1, "--jobs must refuse 0 and negatives"
            with pytest.raises(argparse.ArgumentTypeError, match="at least 1"):
                action.type("0")


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_commands_that_read_files_offer_no_progress(words, parser):
    flags = {f for a in _arguments(parser) for f in a.option_strings}
    if "reads" in COMMANDS.get(words, ()):
        assert "--no-progress" in flags, f"`w2veval {' '.join(words)}` reads files but has no --no-progress"


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_commands_that_print_tables_offer_table_json_csv(words, parser):
    formats = [a for a in _arguments(parser) if "--format" in a.option_strings]
    if "table" in COMMANDS.get(words, ()):
        assert formats, f"`w2veval {' '.join(words)}` prints a table but has no --format"
        assert tuple(formats[0].choices) == TABLE_FORMATS and formats[0].default == "table"
    elif formats and words != ("report",):
        assert "json" in formats[0].choices, f"--format of `w2veval {' '.join(words)}` lacks json"


@pytest.mark.parametrize("words,parser", TREE, ids=IDS)
def test_confidence_intervals_are_ci_and_ci_method(words, parser):
    by_flag = {f: a for a in filter(_visible, _arguments(parser)) for f in a.option_strings}
    assert "--level" not in by_flag and ("--method" not in by_flag or by_flag["--method"].dest != "ci_method")
    if "--ci" in by_flag or "--ci-method" in by_flag:
        assert "--ci" in by_flag and "--ci-method" in by_flag, "--ci and --ci-method go together"
        assert by_flag["--ci"].metavar == "LEVEL"
        methods = tuple(by_flag["--ci-method"].choices)
        assert methods == tuple(m for m in CI_METHODS if m in methods), "the shared methods, in one order"


def test_the_rules_catch_what_they_are_for():
    """Each check fails on a parser that breaks its rule (the checks are not vacuous)."""
    bad = argparse.ArgumentParser(prog="bad", description="d")
    bad.add_argument("--jobs", type=int)
    bad.add_argument("--format", choices=("table", "json"), default="table")
    bad.add_argument("--level", dest="ci", help="visible old spelling")
    bad.add_argument("--seed", dest="random_seed", help="h")
    bad.add_argument("path")
    COMMANDS[("bad",)] = {"reads", "table"}
    try:
        for check in (
            test_jobs_is_a_count_of_at_least_one,
            test_commands_that_read_files_offer_no_progress,
            test_commands_that_print_tables_offer_table_json_csv,
            test_every_argument_has_help,
            test_confidence_intervals_are_ci_and_ci_method,
            test_shared_options_have_one_spelling_and_one_meaning,
        ):
            with pytest.raises(AssertionError):
                check(("bad",), bad)
    finally:
        del COMMANDS[("bad",)]


def test_old_spellings_still_parse_with_a_warning(capsys):
    args = build_parser().parse_args(["compare", "a", "b", "--level", "0.9", "--method", "bca"])
    assert (args.ci, args.ci_method) == (0.9, "bca")
    err = capsys.readouterr().err
    assert "--level is deprecated; use --ci" in err and "--method is deprecated; use --ci-method" in err
    args = build_parser().parse_args(["compare", "a", "b", "--ci", "0.8", "--ci-method", "bca"])
    assert (args.ci, args.ci_method) == (0.8, "bca") and capsys.readouterr().err == ""
    args = build_parser().parse_args(["sagemaker", "rescore", "job", "--max-workers", "3"])
    assert args.jobs == 3
