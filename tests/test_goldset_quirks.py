"""Every file of the gold-set quirks corpus (tests/corpus/gold_quirks), through the library and the CLI.

The expectations below are written from the format rules (docs/errors.md, "Gold sets"),
not from running w2veval: a file is either refused with a GoldSetFormatError naming the
file and, where the fault has one, the line, or read, and then exactly the pairs it must
give are stated. On the command line a refused file gives exit status 2 and one
``w2veval: error:`` line naming the file (and line), and a file read right scores exactly
as a plain tab-separated file holding the stated pairs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from w2veval.errors import GoldSetFormatError
from w2veval.goldsets import GoldSet
from w2veval.goldsets._agreement import agreement
from w2veval.goldsets._validate import validate

CORPUS = Path(__file__).parent / "corpus"
QUIRKS = CORPUS / "gold_quirks"
CLEAN = CORPUS / "clean.txt"
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Refused:
    """Refused with a GoldSetFormatError at ``line`` (``None``: the file as a whole)."""

    line: int | None
    fragment: str
    options: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reads:
    """Read as exactly these ``(word1, word2, score)`` pairs."""

    pairs: list
    options: dict = field(default_factory=dict)
    cli: bool = True  # False: options the command line cannot say, or no word the vectors know


STD = [("plane", "car", 7.5), ("coast", "hill", 6.0), ("century", "year", 3.25), ("game", "victory", 1.0)]
COMMA_SCORES = [
    ("plane", "car", 7.5),
    ("coast", "hill", 6.25),
    ("century", "year", 3.5),
    ("game", "victory", 1.0),
]
INTEGERS = [("plane", "car", 7.0), ("coast", "hill", 6.0), ("century", "year", 3.0), ("game", "victory", 1.0)]
LIMIT_LINE = {"W2VEVAL_MAX_LINE_BYTES": "1024"}
LIMIT_FILE = {"W2VEVAL_MAX_GOLDSET_BYTES": "4096"}

EXPECTED: dict[str, list] = {
    # decimal commas: never 7 with the 5 dropped
    "decimal_comma_split.csv": [
        Refused(2, "cut at a decimal comma"),
        Refused(2, "cut at a decimal comma", {"decimal_comma": True}),
        Reads(INTEGERS, {"decimal_comma": False}),
    ],
    "decimal_comma_split_no_header.csv": [Refused(1, "cut at a decimal comma")],
    "decimal_comma_quoted.csv": [Refused(1, "decimal comma"), Reads(COMMA_SCORES, {"decimal_comma": True})],
    "decimal_comma_semicolon.csv": [
        Refused(2, "decimal comma"),
        Reads(COMMA_SCORES, {"decimal_comma": True}),
    ],
    "decimal_comma_with_point.csv": [Refused(1, "decimal comma"), Refused(3, "'.'", {"decimal_comma": True})],
    "integer_columns.csv": [Refused(1, "cut at a decimal comma"), Reads(INTEGERS, {"decimal_comma": False})],
    "integer_columns_header.csv": [Reads(INTEGERS)],
    # quoting as the csv module writes it
    "quoted_pandas.csv": [Reads(STD)],
    "quoted_all.csv": [Reads(STD)],
    "quoted_delimiter.csv": [Reads([("plane, jet", "car", 7.5), ('the "coast"', "hill", 6.0), *STD[2:]])],
    "quoted_tsv.tsv": [Reads(STD)],
    "quoted_whitespace.txt": [Reads([("plane car", "coast", 7.5), *STD[1:]])],
    "quoted_unclosed.csv": [Refused(2, "never closed")],
    "quoted_then_text.csv": [Refused(3, "malformed quoting")],
    "quoted_padded.csv": [Reads(STD)],
    "apostrophes.tsv": [
        Reads(
            [("plane's", "car", 7.5), ("coast", "'hill", 6.0), ('5"', "year", 3.25), ("game", "victory", 1.0)]
        )
    ],
    # a first row is a header only when its score cell is a word
    "first_row_two_points.tsv": [Refused(1, "'7.5.1'")],
    "first_row_na.tsv": [Refused(1, "'n/a'")],
    "first_row_hex.tsv": [Refused(1, "hexadecimal")],
    "first_row_decimal_comma.tsv": [Refused(1, "decimal comma")],
    "first_row_date.tsv": [Refused(1, "'1.elo'")],
    "first_row_empty_score.tsv": [Refused(1, "empty")],
    "header_simlex.tsv": [Reads(STD[:3])],
    "header_human_mean.csv": [Reads(STD)],
    # one number grammar
    "number_forms.tsv": [
        Reads(
            [
                ("plane", "car", 7.5),
                ("coast", "hill", 0.5),
                ("century", "year", 5.0),
                ("game", "victory", 1.0),
                ("plane", "hill", 0.25),
                ("coast", "year", -0.0),
            ]
        )
    ],
    "underscore_digits.tsv": [Refused(2, "'_' is not part of a number")],
    "arabic_indic_digits.tsv": [Refused(2, "non-ASCII digit U+0667")],
    "fullwidth_digits.tsv": [Refused(2, "non-ASCII digit U+FF17")],
    "infinity.tsv": [Refused(3, "not a finite number")],
    # Unicode separators never shift columns
    "nbsp_at_edge.tsv": [Reads(STD)],
    "nbsp_in_word.tsv": [Refused(2, "U+00A0 NO-BREAK SPACE")],
    "nbsp_between_cells.txt": [Refused(2, "U+00A0 NO-BREAK SPACE")],
    "ideographic_space.txt": [Refused(1, "U+3000 IDEOGRAPHIC SPACE")],
    "u2028_in_line.txt": [Refused(1, "U+2028 LINE SEPARATOR")],
    "u0085_in_line.tsv": [Refused(2, "U+0085 NEXT LINE")],
    "u2029_in_word.tsv": [Refused(3, "U+2029 PARAGRAPH SEPARATOR")],
    "zero_width_space.tsv": [Refused(1, "U+200B ZERO WIDTH SPACE")],
    "non_ascii_first_row.txt": [Reads([("café", "car", 7.5), ("coast\u200chill", "hill", 6.0), *STD[2:]])],
    # encodings: named, and read when asked for
    "utf16le_bom.tsv": [
        Refused(None, "UTF-16 little-endian (byte-order mark FF FE)"),
        Reads(STD, {"encoding": "utf-16"}),
    ],
    "utf16be_bom.tsv": [
        Refused(None, "UTF-16 big-endian (byte-order mark FE FF)"),
        Reads(STD, {"encoding": "utf-16"}),
    ],
    "utf16le_no_bom.tsv": [
        Refused(None, "UTF-16 little-endian without a byte-order mark"),
        Reads(STD, {"encoding": "utf-16-le"}),
    ],
    "utf16be_no_bom.tsv": [
        Refused(None, "UTF-16 big-endian without a byte-order mark"),
        Reads(STD, {"encoding": "utf-16-be"}),
    ],
    "utf32le_bom.tsv": [Refused(None, "UTF-32 little-endian"), Reads(STD, {"encoding": "utf-32"})],
    "cp1252.tsv": [
        Refused(2, "not valid utf-8"),
        Reads([("plane", "car", 7.5), ("café", "naïve", 6.0)], {"encoding": "cp1252"}),
    ],
    # limits, lowered through their environment variables
    "long_line.tsv": [Refused(2, "limit of 1,024 bytes", env=LIMIT_LINE), Reads(STD)],
    "oversized.tsv": [
        Refused(None, "8,082 bytes, more than the limit of 4,096", env=LIMIT_FILE),
        Reads([(f"word{i}", "car", i % 10 + 0.5) for i in range(512)], cli=False),
    ],
    # read as gold sets (the statistics cases are checked below)
    "huge_scores.tsv": [
        Reads(
            [
                ("plane", "car", 1.7e308),
                ("coast", "hill", -1.7e308),
                ("century", "year", 1e308),
                ("game", "victory", 5.0),
            ],
            cli=False,
        )
    ],
    "one_rater.tsv": [Reads([("plane", "car", 3.0), ("coast", "hill", 4.0), ("century", "year", 5.0)])],
    "mean_only.csv": [Reads(STD[:3])],
    "raters_quoted.csv": [
        Reads(
            [
                ("plane", "car", 1.0),
                ("coast", "hill", 2.0),
                ("century", "year", 3.0),
                ("game", "victory", 4.0),
                ("plane", "hill", 5.0),
            ]
        )
    ],
}
# flags of the command line for the library's options
_FLAGS = {("decimal_comma", True): ["--decimal-comma"], ("decimal_comma", False): ["--no-decimal-comma"]}
_PYTHON_KEYWORD = re.compile(
    r"\b(encoding|decimal_comma|bad_scores|header|columns|duplicates|"
    r"strip_pos_suffix|anonymous)="
)


def _cases(kind):
    return [
        (name, i)
        for name, items in EXPECTED.items()
        for i, item in enumerate(items)
        if isinstance(item, kind)
    ]


def test_every_corpus_file_has_an_expectation():
    files = {p.name for p in QUIRKS.iterdir()} - {"README.md"}
    assert files == set(EXPECTED)


def test_regenerating_gives_identical_bytes(tmp_path):
    subprocess.run(
        [sys.executable, str(CORPUS / "make_gold_quirks.py"), str(tmp_path)], check=True, capture_output=True
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in QUIRKS.iterdir())
    for path in QUIRKS.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


# ------------------------------------------------------------------------ the library


@pytest.mark.parametrize("name, index", _cases(Refused))
def test_library_refuses(name, index, monkeypatch):
    expected = EXPECTED[name][index]
    for variable, value in expected.env.items():
        monkeypatch.setenv(variable, value)
    path = QUIRKS / name
    with pytest.raises(GoldSetFormatError) as info:
        GoldSet.from_file(path, **expected.options)
    assert info.value.path == str(path)
    assert info.value.line == expected.line
    message = str(info.value)
    assert message.startswith(f"{path}:{expected.line}: " if expected.line else f"{path}: ")
    assert expected.fragment in message
    assert "\n" not in message


@pytest.mark.parametrize("name, index", _cases(Reads))
def test_library_reads(name, index):
    expected = EXPECTED[name][index]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gs = GoldSet.from_file(QUIRKS / name, **expected.options)
    assert gs.pairs == expected.pairs
    assert [repr(s) for s in gs.scores] == [repr(float(s)) for _, _, s in expected.pairs]  # -0.0 too


def test_validate_scores_near_the_largest_float():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from an overflow
        report = validate(QUIRKS / "huge_scores.tsv")
    assert (report.score_min, report.score_max) == (-1.7e308, 1.7e308)
    # sorted -1.7e308, 5, 1e308, 1.7e308; numpy's linear rule at ranks 0.75, 1.5, 2.25
    q1, q2, q3 = report.quartiles
    assert q1 == pytest.approx(-1.7e308 + 0.75 * (5 + 1.7e308), rel=1e-12)
    assert q2 == pytest.approx(1e308 / 2, rel=1e-12)
    assert q3 == pytest.approx(1e308 + 0.25 * 0.7e308, rel=1e-12)
    assert report.histogram_edges[0] == -1.7e308 and report.histogram_edges[-1] == 1.7e308
    assert all(abs(e) <= 1.7e308 for e in report.histogram_edges)
    # bins of width 3.4e307: -1.7e308 in bin 0, 5 in bin 5, 1e308 in bin 7, 1.7e308 in the last
    assert report.histogram == [1, 0, 0, 0, 0, 1, 0, 1, 0, 1]
    json.dumps(report.to_dict(), allow_nan=False)


def test_validate_equal_scores_near_the_largest_float(tmp_path):
    path = tmp_path / "equal.tsv"
    path.write_text("plane\tcar\t1.7e308\ncoast\thill\t1.7e308\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = validate(path)
    assert report.quartiles == (1.7e308, 1.7e308, 1.7e308)
    assert report.histogram[5] == 2 and sum(report.histogram) == 2
    assert report.histogram_edges[0] < 1.7e308 < report.histogram_edges[-1] < float("inf")


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("one_rater.tsv", "found 1 rating column ('r1')"),
        ("mean_only.csv", "'Human (mean)', which is not a rater"),
    ],
)
def test_agreement_needs_two_raters(name, fragment):
    with pytest.raises(GoldSetFormatError) as info:
        agreement(QUIRKS / name)
    assert info.value.path == str(QUIRKS / name) and info.value.line is None
    assert "at least 2" in str(info.value) and fragment in str(info.value)


def test_agreement_reads_a_quoted_rater_file():
    report = agreement(QUIRKS / "raters_quoted.csv")
    assert report.rater_names == ["ann", "bob"]
    assert report.n_pairs == 5 and report.n_ratings == 10


# ---------------------------------------------------------------------- the CLI


def _flags(options: dict) -> list[str] | None:
    out = []
    for key, value in options.items():
        if key == "encoding":
            out += ["--encoding", value]
        elif (key, value) in _FLAGS:
            out += _FLAGS[(key, value)]
        else:
            return None
    return out


def _canonical(pairs) -> str:
    return "".join(f"{a}\t{b}\t{s!r}\n" for a, b, s in pairs)


def _cli_runs() -> dict:
    """``{key: (argv, env)}`` of every CLI run of a corpus file."""
    runs = {}
    for name, items in EXPECTED.items():
        for index, item in enumerate(items):
            flags = _flags(item.options)
            if flags is None or (isinstance(item, Reads) and not item.cli):
                continue
            runs[f"{name}#{index}"] = (
                ["score", str(CLEAN), "-g", str(QUIRKS / name), *flags, "--format", "json", "--no-progress"],
                getattr(item, "env", {}),
            )
    runs["validate:huge_scores.tsv"] = (
        ["goldsets", "validate", str(QUIRKS / "huge_scores.tsv"), "--format", "json"],
        {},
    )
    for name in ("one_rater.tsv", "mean_only.csv", "raters_quoted.csv"):
        runs[f"agreement:{name}"] = (["goldsets", "agreement", str(QUIRKS / name), "--format", "json"], {})
    return runs


CLI_RUNS = _cli_runs()
# Runs that get through to scoring import scipy.stats, seconds of CPU each; they share one
# interpreter per batch, calling the entry point of `python -m w2veval` (w2veval.cli.main)
# once per run. Every refusal, and two reads, run as `python -m w2veval` of their own.
_OWN_PROCESS = ("quoted_pandas.csv#0", "utf16le_bom.tsv#1")
_BATCH = """
import contextlib, io, json, os, sys, traceback
from w2veval.cli import main
results = {}
for key, argv, env in json.load(sys.stdin):
    saved = dict(os.environ)
    os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            traceback.print_exc()
            code = 1
    os.environ.clear()
    os.environ.update(saved)
    results[key] = [code, out.getvalue(), err.getvalue()]
json.dump(results, sys.__stdout__)
"""


def _run(argv: list[str], env: dict, work: Path) -> subprocess.CompletedProcess:
    """``python -m w2veval ARGV`` in an empty working directory with an empty cache."""
    (work / "home").mkdir(parents=True)
    return subprocess.run(
        [sys.executable, "-m", "w2veval", *argv],
        cwd=work,
        env=dict(os.environ, W2VEVAL_HOME=str(work / "home"), **env),
        capture_output=True,
        text=True,
    )


def _run_batch(runs: dict, work: Path) -> dict:
    """``{key: CompletedProcess-like}`` for ``runs``, all in one interpreter."""
    (work / "home").mkdir(parents=True)
    payload = json.dumps([[key, argv, env] for key, (argv, env) in runs.items()])
    done = subprocess.run(
        [sys.executable, "-c", _BATCH],
        input=payload,
        cwd=work,
        capture_output=True,
        text=True,
        env=dict(os.environ, W2VEVAL_HOME=str(work / "home")),
    )
    assert done.returncode == 0, done.stderr
    return {
        key: subprocess.CompletedProcess(runs[key][0], code, out, err)
        for key, (code, out, err) in json.loads(done.stdout).items()
    }


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory):
    """Every CLI run, and one of the canonical file of every pair list read right."""
    root = tmp_path_factory.mktemp("quirks-cli")
    canonical = {}
    for items in EXPECTED.values():
        for item in items:
            if isinstance(item, Reads) and item.cli and _canonical(item.pairs) not in canonical:
                path = root / f"canonical{len(canonical)}.tsv"
                path.write_text(_canonical(item.pairs), encoding="utf-8")
                canonical[_canonical(item.pairs)] = (
                    ["score", str(CLEAN), "-g", str(path), "--format", "json", "--no-progress"],
                    {},
                )
    runs = dict(CLI_RUNS) | {f"canonical:{text}": run for text, run in canonical.items()}
    alone = {k: v for k, v in runs.items() if k in _OWN_PROCESS or _refused(k)}
    batched = sorted(set(runs) - set(alone))
    batches = [{k: runs[k] for k in batched[i::2]} for i in range(2)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            key: pool.submit(_run, argv, env, root / f"run{i}")
            for i, (key, (argv, env)) in enumerate(alone.items())
        }
        batch_futures = [
            pool.submit(_run_batch, batch, root / f"batch{i}") for i, batch in enumerate(batches)
        ]
    results = {key: future.result() for key, future in futures.items()}
    for future in batch_futures:
        results |= future.result()
    return results


def _refused(key: str) -> bool:
    if key.startswith("agreement:"):
        return key != "agreement:raters_quoted.csv"
    if "#" not in key:
        return False
    name, index = key.split("#")
    return isinstance(EXPECTED[name][int(index)], Refused)


def _assert_one_error_line(done: subprocess.CompletedProcess, path: Path, line: int | None) -> str:
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("w2veval: error: ")
    assert str(path) in lines[0]
    if line is not None:
        assert f"{path}:{line}: " in lines[0]
    assert not _PYTHON_KEYWORD.search(lines[0]), "the command line names options as flags"
    return lines[0]


@pytest.mark.parametrize("key", sorted(k for k in CLI_RUNS if "#" in k))
def test_cli(key, cli_results):
    done = cli_results[key]
    name, index = key.split("#")
    expected = EXPECTED[name][int(index)]
    if isinstance(expected, Refused):
        line = _assert_one_error_line(done, QUIRKS / name, expected.line)
        assert expected.fragment in line
        if " pass " in line:
            assert re.search(r" pass --[a-z]", line), "a fix is spelled as a flag"
        return
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    reference = cli_results[f"canonical:{_canonical(expected.pairs)}"]
    assert reference.returncode == 0, reference.stderr
    columns = ("n_pairs", "n_scored", "coverage", "spearman", "pearson", "kendall")
    got, want = json.loads(done.stdout)[0], json.loads(reference.stdout)[0]
    assert {c: got[c] for c in columns} == {c: want[c] for c in columns}
    assert got["n_pairs"] == len(expected.pairs)


def test_cli_validate_scores_near_the_largest_float(cli_results):
    done = cli_results["validate:huge_scores.tsv"]
    assert done.returncode == 0 and "Traceback" not in done.stderr and "Warning" not in done.stderr
    report = json.loads(done.stdout)
    assert (report["score_min"], report["score_max"]) == (-1.7e308, 1.7e308)
    assert report["histogram"] == [1, 0, 0, 0, 0, 1, 0, 1, 0, 1]


@pytest.mark.parametrize("name", ["one_rater.tsv", "mean_only.csv"])
def test_cli_agreement_needs_two_raters(name, cli_results):
    line = _assert_one_error_line(cli_results[f"agreement:{name}"], QUIRKS / name, None)
    assert "at least 2" in line


def test_cli_agreement_reads_a_quoted_rater_file(cli_results):
    done = cli_results["agreement:raters_quoted.csv"]
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rater_names"] == ["ann", "bob"]
