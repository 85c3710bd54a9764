"""Command-line options: numbers checked at parse time, and every option a message suggests exists."""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

import pytest

from w2veval import evaluate
from w2veval.cli import _types, build_parser
from w2veval.errors import option, speaking_to_cli

PACKAGE = Path(__file__).resolve().parents[1] / "w2veval"
VALIDATING_TYPES = {
    _types.positive_int,
    _types.non_negative_int,
    _types.seed,
    _types.probability,
    _types.finite_float,
    _types.share,
    _types.price,
}


def _commands(parser=None, prefix=()):
    """``(command words, parser)`` for every (sub)command, aliases left out."""
    parser = parser or build_parser()
    yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:
                    seen.add(id(sub))
                    yield from _commands(sub, (*prefix, name))


def _options(parser) -> set[str]:
    return {flag for action in parser._actions for flag in action.option_strings}


def _numeric_options():
    for words, parser in _commands():
        for action in parser._actions:
            if action.option_strings and action.type is not None and action.type is not str:
                yield words, action


def test_every_numeric_option_has_a_validating_type():
    found = list(_numeric_options())
    assert len(found) >= 29
    for words, action in found:
        checked = (
            action.type in VALIDATING_TYPES
            or hasattr(action.type, "minimum")
            or action.type in (_types.codec, _types.column_triple, _types.rater_columns)
        )
        assert checked, f"w2veval {' '.join(words)} {action.option_strings}: type {action.type!r}"
        assert action.type not in (int, float)


def _minimal_args(words) -> list[str]:
    """Positional arguments that make ``words`` parse (values never used: parsing fails first)."""
    parser = dict(_commands())[words]
    args = []
    for action in parser._actions:
        if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
            args += ["x"] * (2 if action.nargs in ("+", 2) else 1 if action.nargs != "*" else 0)
        elif action.required:
            args += [action.option_strings[0], "1"]
    return args


BAD = {
    _types.positive_int: ["0", "-3", "1.5", "many"],
    _types.non_negative_int: ["-1", "x"],
    _types.seed: ["-1", str(2**32), "0.5"],
    _types.probability: ["0", "1", "1.5", "nan", "-0.1"],
    _types.finite_float: ["inf", "nan", "x"],
    _types.share: ["-0.1", "1.5", "nan", "x"],
}


@pytest.mark.parametrize(
    "words,action",
    list(_numeric_options()),
    ids=lambda x: " ".join(x) if isinstance(x, tuple) else x.option_strings[-1],
)
def test_out_of_range_values_are_argparse_usage_errors(words, action, capsys):
    flag = action.option_strings[-1]
    values = BAD.get(action.type, ["0", "-1", "x"] if hasattr(action.type, "minimum") else [])
    if action.type is _types.finite_float:
        values = [["inf", "1"], ["5", "1"], ["1", "1"]]
    for value in values:
        argv = [*words, *_minimal_args(words), flag, *(value if isinstance(value, list) else [value])]
        with pytest.raises(SystemExit) as exit_:
            build_parser().parse_args(argv)
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: ") and f"error: argument {flag}: " in err, (argv, err)


def test_good_values_parse(capsys):
    args = build_parser().parse_args(
        [
            "score",
            "v.txt",
            "--ci",
            "0.9",
            "--resamples",
            "2",
            "--seed",
            "0",
            "--restrict-vocab",
            "1",
            "--columns",
            "0,1,3",
            "--no-header",
        ]
    )
    assert (args.ci, args.resamples, args.seed, args.restrict_vocab) == (0.9, 2, 0, 1)
    assert args.columns == (0, 1, 3) and args.header is False
    args = build_parser().parse_args(["goldsets", "validate", "g.tsv", "--scale", "-1", "1e3"])
    assert args.scale == (-1.0, 1000.0)
    args = build_parser().parse_args(["goldsets", "validate", "g.tsv", "--scale", "-1.7e308", "-.5"])
    assert args.scale == (-1.7e308, -0.5)


BAD_INVOCATIONS = [
    (["score", "v.txt", "--ci", "1.5"], "argument --ci: must be a number between 0 and 1"),
    (
        ["score", "v.txt", "--restrict-vocab", "0"],
        "argument --restrict-vocab: must be a whole number at least 1",
    ),
    (
        ["score", "v.txt", "--resamples", "1"],
        "argument --resamples: must be a whole number from 2 to 10000000",
    ),
    (["compare", "a", "b", "--resamples", "10000001"], "argument --resamples: must be a whole number from 2"),
    (["score", "v.txt", "--seed", "-1"], "argument --seed: must be a whole number from 0 to 4294967295"),
    (["neighbours", "v.txt", "cat", "-k", "0"], "argument -k: must be a whole number at least 1"),
    (["compare", "a", "b", "--ci", "1"], "argument --ci: must be a number between 0 and 1"),
    (["compare", "a", "b", "--level", "1"], "argument --level: must be a number between 0 and 1"),
    (["report", "a", "--alpha", "nan"], "argument --alpha: must be a number between 0 and 1"),
    (["goldsets", "template", "v.txt", "--n", "0"], "argument --n: must be a whole number at least 1"),
    (["goldsets", "validate", "g.tsv", "--scale", "5", "1"], "argument --scale: LOW must be below HIGH"),
    (["tune", "run", "c.txt", "--trials", "0"], "argument --trials: must be a whole number at least 1"),
    (["tune", "run", "c.txt", "--trials", "2", "--heldout", "1"], "argument --heldout: must be a number"),
    (["sagemaker", "rescore", "job", "--jobs", "0"], "argument --jobs: must be a whole number at least 1"),
    (["tune", "run", "c.txt", "--trials", "2", "--jobs", "-1"], "argument --jobs: must be a whole number"),
    (["score", "v.txt", "--encoding", "no-such-codec"], "argument --encoding: unknown text encoding"),
    (["score", "v.txt", "--columns", "0,1"], "argument --columns: must be three different"),
]


@pytest.mark.parametrize(
    "argv,message", BAD_INVOCATIONS, ids=lambda x: " ".join(x) if isinstance(x, list) else ""
)
def test_bad_numbers_fail_before_reading_anything(w2veval_cli, argv, message, tmp_path):
    done = w2veval_cli(*argv)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("usage: w2veval ") and f"error: {message}" in done.stderr
    assert "Traceback" not in done.stderr


# --- every option a message suggests exists -------------------------------------------------


def _option_calls():
    """``(file:line, name, value)`` of every ``option(...)`` call with constant arguments in w2veval/."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "option" and node.args:
                name = node.args[0]
                if not isinstance(name, ast.Constant):
                    continue
                value = ...
                if len(node.args) > 1:
                    arg = node.args[1]
                    value = arg.value if isinstance(arg, ast.Constant) else ...
                yield f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", name.value, value


def test_every_option_a_message_suggests_is_a_real_cli_option():
    known = set().union(*(_options(parser) for _, parser in _commands()))
    calls = list(_option_calls())
    assert len(calls) >= 8
    for where, name, value in calls:
        with speaking_to_cli():
            spelled = option(name, value)
        flags = [token for token in spelled.split() if token.startswith("-")]
        assert flags and all(flag in known for flag in flags), f"{where}: {spelled!r} is not a w2veval option"


def test_gold_set_reading_options_are_on_every_command_that_reads_gold_set_files():
    wanted = {"--encoding", "--decimal-comma", "--bad-scores", "--header", "--no-header", "--columns"}
    commands = dict(_commands())
    for words in [
        ("score",),
        ("compare",),
        ("report",),
        ("goldsets", "validate"),
        ("tune", "run"),
        ("sagemaker", "rescore"),
    ]:
        assert wanted <= _options(commands[words]), words
    assert "--duplicates" in _options(commands[("score",)])


@pytest.fixture(scope="module")
def decimal_comma_goldset(tmp_path_factory, w2v_model):
    words = w2v_model.wv.index_to_key[:12]
    lines = [
        f"{a}\t{b}\t{i % 7},{i % 10}" for i, (a, b) in enumerate(zip(words[::2], words[1::2], strict=True))
    ]
    path = tmp_path_factory.mktemp("gold") / "comma.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path


@pytest.fixture(scope="module")
def vectors_file(tmp_path_factory, w2v_model):
    path = tmp_path_factory.mktemp("vectors") / "v.txt"
    w2v_model.wv.save_word2vec_format(path)
    return path


@pytest.mark.filterwarnings("ignore::w2veval.scoring._pairs.UnreliableScoreWarning")
def test_messages_suggest_options_and_the_options_work(w2veval_cli, vectors_file, decimal_comma_goldset):
    refused = w2veval_cli("score", vectors_file, "-g", decimal_comma_goldset, "--format", "json")
    assert refused.returncode == 2 and "--decimal-comma" in refused.stderr
    assert not re.search(r"\b[a-z_]+=", refused.stderr), refused.stderr
    done = w2veval_cli(
        "score",
        vectors_file,
        "-g",
        decimal_comma_goldset,
        "--format",
        "json",
        "--decimal-comma",
        "--encoding",
        "latin-1",
    )
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)[0]
    expected = evaluate(
        str(vectors_file),
        str(decimal_comma_goldset),
        goldset_options={"decimal_comma": True, "encoding": "latin-1"},
    ).iloc[0]
    assert row["n_pairs"] == expected["n_pairs"] == 6
    assert row["spearman"] == pytest.approx(expected["spearman"], abs=1e-15)


def test_reading_options_without_a_gold_set_file_are_refused(w2veval_cli, vectors_file):
    done = w2veval_cli("score", vectors_file, "-g", "ws353", "--bad-scores", "drop")
    assert done.returncode == 2
    assert (
        done.stderr.startswith(
            "w2veval: error: --bad-scores: reading options apply to gold sets given as file paths"
        )
        and done.stderr.count("\n") == 1
    )


def test_messages_name_cli_options_not_keywords(w2veval_cli, vectors_file, tmp_path):
    bad_score = tmp_path / "bad.tsv"
    bad_score.write_text("cat\tdog\t7\ncar\tbus\tn/a\n", encoding="utf-8")
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("café\tthé\t7\nbus\tcar\t2\n".encode("latin-1"))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("word1,word2,score\n", encoding="utf-8")
    cases = [
        (("score", vectors_file, "-g", bad_score), "--bad-scores drop"),
        (("score", vectors_file, "-g", latin), "--encoding"),
        (("goldsets", "validate", bad_score), "--bad-scores drop"),
        (("goldsets", "template", vectors_file, "--n", "4", "-o", sheet), "--overwrite"),
        (
            (
                "tune",
                "run",
                sheet,
                "--trials",
                "1",
                "-g",
                bad_score,
                "--storage",
                f"sqlite:///{tmp_path}/s.db",
            ),
            "--bad-scores drop",
        ),
    ]
    for argv, suggestion in cases:
        done = w2veval_cli(*argv)
        assert done.returncode == 2, (argv, done.stderr)
        assert suggestion in done.stderr, (argv, done.stderr)
        assert not re.search(r"\b[a-z_]+=(True|False|\.\.\.|'|\")", done.stderr), (argv, done.stderr)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# --- messages speak the reader's language: flags and commands on the command line, keywords in Python --


def test_validate_strict_names_strict_as_the_reader_passes_it(w2veval_cli, tmp_path):
    from w2veval import goldsets
    from w2veval.errors import GoldSetFormatError

    path = tmp_path / "few.tsv"
    path.write_text("cat\tcat\t10\ndog\tdog\t10\ncat\tdog\t5\nsun\tmoon\t3\ncar\tbus\t6\n", encoding="utf-8")
    with pytest.raises(GoldSetFormatError) as info:
        goldsets.validate(path, strict=True)
    assert "run without strict=True to see them all" in str(info.value) and "--strict" not in str(info.value)
    done = w2veval_cli("goldsets", "validate", path, "--strict")
    assert done.returncode == 2 and "run without --strict to see them all" in done.stderr
    assert "strict=True" not in done.stderr


def test_a_missing_storage_names_storage_as_the_reader_passes_it(w2veval_cli, tmp_path):
    pytest.importorskip("optuna")
    from w2veval.tune import results
    from w2veval.tune._errors import StudyNotFoundError

    storage = f"sqlite:///{tmp_path / 'none.db'}"
    with pytest.raises(StudyNotFoundError) as info:
        results(storage, "s")
    assert "give as storage=... the storage" in str(info.value) and "--storage" not in str(info.value)
    done = w2veval_cli("tune", "results", "--storage", storage, "--study", "s")
    assert done.returncode == 2 and "give as --storage STORAGE the storage" in done.stderr
    assert "storage=" not in done.stderr


def test_an_unknown_gold_set_points_to_the_list_as_the_reader_gets_it(w2veval_cli, tmp_path):
    from w2veval import goldsets
    from w2veval.errors import GoldSetNotFoundError

    with pytest.raises(GoldSetNotFoundError) as info:
        goldsets.load("zzz")
    assert "`w2veval.goldsets.names()`" in str(info.value) and "w2veval goldsets list" not in str(info.value)
    done = w2veval_cli("score", tmp_path / "v.txt", "-g", "zzz")
    assert done.returncode == 2 and "See `w2veval goldsets list`" in done.stderr
    assert "goldsets.names()" not in done.stderr


def test_a_gensim_pickle_asks_for_trust_as_the_reader_gives_it(w2veval_cli, tmp_path, w2v_model):
    from w2veval import load_vectors
    from w2veval.errors import UntrustedPickleError

    path = tmp_path / "model.kv"
    w2v_model.wv.save(str(path))
    with pytest.raises(UntrustedPickleError) as info:
        load_vectors(path)
    assert "with trust=True." in str(info.value) and "--trust" not in str(info.value)
    done = w2veval_cli("score", path, "-g", "ws353", "--no-progress")
    assert done.returncode == 2 and "with --trust." in done.stderr and "trust=True" not in done.stderr


def test_tune_messages_spell_threads_and_fixed_as_the_reader_passes_them():
    from w2veval.tune._errors import TuneError
    from w2veval.tune._run import cpu_budget

    with pytest.raises(TuneError, match=r"drop threads=2$"):
        cpu_budget(1, 2, deterministic=True, cores=4)
    with speaking_to_cli(), pytest.raises(TuneError, match=r"drop --threads 2$"):
        cpu_budget(1, 2, deterministic=True, cores=4)
    assert option("fixed", {"mode": "cbow"}) == "fixed={'mode': 'cbow'}"
    with speaking_to_cli():
        assert option("fixed", {"mode": "cbow"}) == "--set mode=cbow"


def test_a_bad_results_file_names_the_writers_as_the_reader_calls_them(w2veval_cli, tmp_path):
    from w2veval.report import build_report
    from w2veval.report._inputs import ReportInputError

    path = tmp_path / "results.csv"
    path.write_text("trial,state\n0,COMPLETE\n", encoding="utf-8")
    with pytest.raises(ReportInputError) as info:
        build_report([path])
    assert "`w2veval.tune.results(...)`" in str(info.value) and "--format" not in str(info.value)
    done = w2veval_cli("report", path, "--no-progress")
    assert done.returncode == 2 and "`w2veval tune results --format csv|json`" in done.stderr
    assert "w2veval.tune.results(" not in done.stderr
