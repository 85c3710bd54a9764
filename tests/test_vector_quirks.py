"""Every file of the vector-quirks corpus (tests/corpus/vector_quirks), through the library and the CLI.

The expectations below are written from the format rules (docs/errors.md), not from
running w2veval: a file is refused with a VectorFormatError naming the file and, where
the fault has one, the line (the 1-based row for word2vec binary), or it loads, and then
exactly what it loads is stated, with gensim reading the clean reference files as the
oracle. Every file is read three ways that must agree: a full load, a load of only the
wanted words (the vectorised candidate search) and the streaming mean pass of
``oov="mean"``. The long-line cases are read twice: with the default line limit and
with it lowered through ``W2VEVAL_MAX_LINE_BYTES``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from w2veval.errors import VectorFormatError, W2VEvalError
from w2veval.io import load_vectors
from w2veval.io._mean import mean_vector

CORPUS = Path(__file__).parent / "corpus"
QUIRKS = CORPUS / "vector_quirks"
CLEAN_WORDS = ["plane", "car", "coast", "hill", "century", "year", "game", "victory"]
LOW = "1024"  # the lowered line limit of the long-line cases
LIMIT_FRAGMENT = f"longer than the line limit of {LOW} bytes"


@dataclass(frozen=True)
class Refused:
    """Refused with a VectorFormatError at ``line`` (``None``: a fault of the whole file)."""

    line: int | None
    fragment: str


@dataclass(frozen=True)
class Loads:
    """Loads: the clean rows, ``words`` replacing clean words by position.

    ``matrix`` replaces the clean vectors when the file holds others; ``binary`` compares
    with clean.bin.
    """

    words: dict = field(default_factory=dict)
    matrix: object = None
    binary: bool = False

    @property
    def same_as_clean(self) -> bool:
        return not self.words and self.matrix is None


UTF16 = "UTF-16"
HEADER = "expected a '<count> <dim>' header"
EXPECTED = {
    "leading_space.txt": Loads(),
    "leading_tab.txt": Loads(),
    "leading_mixed.glove.txt": Loads(),
    "crlf_trailing_space.txt": Loads(),
    "vt_ff_separators.txt": Loads(),
    "number_spellings.txt": Loads(),
    "nbsp_in_word.txt": Loads({2: "ivory\u00a0coast", 3: "hill\u2028top"}),
    "nonascii_spaced_word.vec": Loads({0: "Côte d’Ivoire"}),
    "number_word.glove.txt": Loads({0: "1990"}),
    "nonascii_spaced_word.glove.txt": Refused(1, "word of the first row has a space ('Côte d’Ivoire')"),
    "underscore.txt": Refused(3, "'7_5' in the row for 'car' (digit-group underscores"),
    "underscore_decimal.txt": Refused(6, "'0.1_5' in the row for 'century'"),
    "arabic_digits.txt": Refused(5, "'٠٫٥' in the row for 'hill' (only ASCII digits"),
    "fullwidth_digits.txt": Refused(7, "'０.５' in the row for 'year'"),
    "hex_value.txt": Refused(2, "'0x7' in the row for 'plane'"),
    "decimal_comma.txt": Refused(8, "'0,5' in the row for 'game' (a decimal comma?"),
    "float32_overflow.txt": Refused(9, "'1e39' in the row for 'victory' is beyond the float32 range"),
    "header_negative.txt": Refused(1, f"header '-1 8': the row count -1 is negative; {HEADER}"),
    "header_float.txt": Refused(1, "header '8.0 8': the row count '8.0' is not a whole number"),
    "header_three.txt": Refused(1, "header '8 8 8' has three numbers"),
    "header_huge_dim.txt": Refused(1, "values would be longer than the line limit of 1048576 bytes"),
    "header_huge_count.txt": Refused(1, "the row count is too large"),
    "header_huge_dim.bin": Refused(
        1, "a row of 4611686018427387904 values would be longer than the line limit"
    ),
    "utf16le_bom.txt": Refused(None, f"{UTF16} (little-endian, with a byte-order mark) text"),
    "utf16be_bom.txt": Refused(None, f"{UTF16} (big-endian, with a byte-order mark) text"),
    "utf16le.txt": Refused(None, f"{UTF16} (little-endian) text"),
    "utf16be.txt": Refused(None, f"{UTF16} (big-endian) text"),
    "single_line.txt": Loads(matrix=np.full((1, 500), 0.25, dtype=np.float32)),
    "ragged_row.txt": Refused(4, "row for 'coast' has 608 values, expected 8"),
    "long_word.bin": Loads({1: "x" * 2000}, binary=True),
}
#: With the line limit lowered to LOW bytes.
EXPECTED_LOW_LIMIT = {
    "single_line.txt": Refused(1, LIMIT_FRAGMENT),
    "ragged_row.txt": Refused(4, LIMIT_FRAGMENT),
    "long_word.bin": Refused(2, f"the word of row 2 is {LIMIT_FRAGMENT}"),
}
#: (file, lowered line limit or None) for every case.
CASES = [(name, None) for name in EXPECTED] + [(name, LOW) for name in EXPECTED_LOW_LIMIT]


def expectation(name: str, limit: str | None):
    return EXPECTED_LOW_LIMIT[name] if limit else EXPECTED[name]


def case_id(case) -> str:
    name, limit = case
    return name if limit is None else f"{name}-limit{limit}"


@pytest.fixture(scope="module")
def clean():
    """gensim's reading of the reference files the quirky ones were made from."""
    text = KeyedVectors.load_word2vec_format(str(CORPUS / "clean.txt"))
    binary = KeyedVectors.load_word2vec_format(str(CORPUS / "clean.bin"), binary=True)
    assert text.index_to_key == CLEAN_WORDS == binary.index_to_key
    np.testing.assert_array_equal(text.vectors, binary.vectors)
    return text


def expected_rows(expected: Loads, clean) -> tuple[list[str], np.ndarray]:
    if expected.matrix is not None:
        return ["plane"], expected.matrix
    return [expected.words.get(i, w) for i, w in enumerate(CLEAN_WORDS)], clean.vectors


def assert_refused(err: BaseException, path: Path, expected: Refused) -> None:
    assert type(err) is VectorFormatError
    assert err.path == str(path) and err.line == expected.line
    prefix = f"{path}:{expected.line}: " if expected.line is not None else f"{path}: "
    message = str(err)
    assert message.startswith(prefix), message
    assert expected.fragment in message, message
    assert "\n" not in message and len(message) < len(str(path)) + 400


# ------------------------------------------------------------------ the corpus itself


def test_every_file_has_an_expectation_and_a_readme_row():
    files = {p.name for p in QUIRKS.iterdir()} - {"README.md"}
    assert files == set(EXPECTED)
    readme = (QUIRKS / "README.md").read_text(encoding="utf-8")
    listed = {line.split("`")[1] for line in readme.splitlines() if line.startswith("| `")}
    assert listed == files


def test_regenerating_writes_the_same_bytes(tmp_path, monkeypatch):
    sys.path.insert(0, str(CORPUS))
    try:
        import make_vector_quirks as make
    finally:
        sys.path.remove(str(CORPUS))
    monkeypatch.setattr(make, "OUT", tmp_path)
    make.main()
    for path in QUIRKS.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_corpus_stays_small():
    assert sum(p.stat().st_size for p in QUIRKS.iterdir()) < 100_000


# ----------------------------------------------------------------------- the library


def _three_ways(path: Path, **options):
    """A full load, a load of the clean words only, and the mean pass, each as result or error."""
    outcomes = []
    for read in (
        lambda: load_vectors(path, **options),
        lambda: load_vectors(path, words=[*CLEAN_WORDS, "Côte d’Ivoire", "1990"], **options),
        lambda: mean_vector(path, **options),
    ):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                outcomes.append(read())
        except W2VEvalError as err:
            outcomes.append(err)
    return outcomes


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_library(case, clean, monkeypatch):
    name, limit = case
    if limit:
        monkeypatch.setenv("W2VEVAL_MAX_LINE_BYTES", limit)
    path = QUIRKS / name
    expected = expectation(name, limit)
    full, subset, mean = _three_ways(path)
    if isinstance(expected, Refused):
        for outcome in (full, subset, mean):
            assert isinstance(outcome, BaseException), outcome
            assert_refused(outcome, path, expected)
        return
    words, matrix = expected_rows(expected, clean)
    assert full.words == words and full.ranks.tolist() == list(range(len(words)))
    assert full.vocab_size == len(words)
    np.testing.assert_array_equal(full.vectors, matrix)
    wanted = [i for i, w in enumerate(words) if w in [*CLEAN_WORDS, "Côte d’Ivoire", "1990"]]
    # a subset load finds rows by their first field: not a word with a space inside
    wanted = [i for i in wanted if " " not in words[i]]
    assert subset.words == [words[i] for i in wanted]
    assert subset.ranks.tolist() == wanted
    np.testing.assert_array_equal(subset.vectors, matrix[wanted])
    np.testing.assert_allclose(mean, matrix.astype(np.float64).mean(axis=0), rtol=0, atol=1e-12)


def test_gensim_agrees_where_it_reads_the_file(clean):
    """gensim splits at single spaces: it reads the quirky files it can, the same way."""
    for name in ("crlf_trailing_space.txt", "number_spellings.txt"):
        kv = KeyedVectors.load_word2vec_format(str(QUIRKS / name))
        assert kv.index_to_key == CLEAN_WORDS
        np.testing.assert_array_equal(kv.vectors, clean.vectors)
    wv = load_vectors(QUIRKS / "long_word.bin")
    kv = KeyedVectors.load_word2vec_format(str(QUIRKS / "long_word.bin"), binary=True)
    assert wv.words == kv.index_to_key
    np.testing.assert_array_equal(wv.vectors, kv.vectors)


def test_a_binary_header_is_checked_when_no_row_is_wanted():
    path = QUIRKS / "header_huge_dim.bin"
    for read in (
        lambda: load_vectors(path, limit=0),
        lambda: mean_vector(path, limit=0),
        lambda: load_vectors(path, format="binary", limit=0, words=["car"]),
    ):
        with pytest.raises(VectorFormatError) as info:
            read()
        assert_refused(info.value, path, EXPECTED["header_huge_dim.bin"])


@pytest.mark.parametrize("limit", [-1, True, 1.5, "3"])
def test_nonsense_limits_are_refused(limit):
    with pytest.raises((ValueError, TypeError), match="limit"):
        load_vectors(CORPUS / "clean.txt", limit=limit)
    with pytest.raises((ValueError, TypeError), match="limit"):
        mean_vector(CORPUS / "clean.txt", limit=limit)


def test_limit_zero_reads_the_header_and_no_row():
    wv = load_vectors(CORPUS / "clean.txt", limit=0)
    assert wv.words == [] and wv.vectors.shape == (0, 8) and wv.vocab_size == 8


# --------------------------------------------------------------------------- the CLI

SAME_AS_CLEAN = sorted(name for name, e in EXPECTED.items() if isinstance(e, Loads) and e.same_as_clean)
NEIGHBOURS = ["clean.txt", "leading_space.txt", "leading_mixed.glove.txt"]


def _cli(argv: list[str], root: Path, key: str, limit: str | None = None) -> subprocess.CompletedProcess:
    work, home = root / key / "work", root / key / "home"
    work.mkdir(parents=True)
    home.mkdir()
    env = dict(os.environ, W2VEVAL_HOME=str(home))
    env.pop("W2VEVAL_MAX_LINE_BYTES", None)
    if limit:
        env["W2VEVAL_MAX_LINE_BYTES"] = limit
    done = subprocess.run(
        [sys.executable, "-m", "w2veval", *argv, "--no-progress"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert list(work.iterdir()) == [] and list(home.rglob("*")) == [], "nothing left behind"
    return done


def _runs() -> dict[str, tuple[list[str], str | None]]:
    runs = {case_id(c): (["score", str(QUIRKS / c[0])], c[1]) for c in CASES}
    # One run scores them all, with the mean pass of --oov mean; the clean file first.
    paths = [str(CORPUS / "clean.txt")] + [str(QUIRKS / name) for name in SAME_AS_CLEAN]
    runs["json"] = (["score", *paths, "-g", "ws353", "--format", "json", "--oov", "mean"], None)
    for name in NEIGHBOURS:
        path = str(QUIRKS / name if name != "clean.txt" else CORPUS / name)
        runs[f"neighbours:{name}"] = (["neighbours", path, "car", "-k", "7", "--format", "json"], None)
    return runs


RUNS = _runs()


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            key: pool.submit(_cli, argv, root, key.replace(":", "_"), limit)
            for key, (argv, limit) in RUNS.items()
        }
    return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cli(case, cli_results):
    done = cli_results[case_id(case)]
    expected = expectation(*case)
    path = QUIRKS / case[0]
    assert "Traceback" not in done.stderr
    if isinstance(expected, Loads):
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0].split()[:2] == ["vectors", "goldset"]
        return
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    prefix = f"w2veval: error: {path}:{expected.line}: " if expected.line else f"w2veval: error: {path}: "
    assert lines[0].startswith(prefix), lines[0]
    assert expected.fragment in lines[0]


def test_cli_scores_equal_the_clean_file(cli_results):
    """The original bug: rows after white space were looked up under an empty word."""
    done = cli_results["json"]
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["vectors"] for row in rows] == [str(CORPUS / "clean.txt")] + [
        str(QUIRKS / name) for name in SAME_AS_CLEAN
    ]
    clean = {k: v for k, v in rows[0].items() if k != "vectors"}
    assert clean["n_scored"] == 4 and clean["coverage"] == pytest.approx(4 / 353)
    assert clean["oov"] == "mean" and clean["spearman"] is not None  # every pair, unknown words as the mean
    for row in rows[1:]:
        assert {k: v for k, v in row.items() if k != "vectors"} == clean, row["vectors"]


@pytest.mark.parametrize("name", NEIGHBOURS[1:])
def test_cli_neighbours_equal_the_clean_file(name, cli_results):
    ours, clean = cli_results[f"neighbours:{name}"], cli_results["neighbours:clean.txt"]
    assert ours.returncode == 0 == clean.returncode, ours.stderr
    assert json.loads(ours.stdout) == json.loads(clean.stdout)
    assert [row["neighbour"] for row in json.loads(ours.stdout)] != []
