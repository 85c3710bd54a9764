"""Every file of the bad-input corpus (tests/corpus/bad), through the library and the CLI.

The expectation table below is written from the format rules (docs/errors.md), not from
running w2veval: a file is either refused with a given W2VEvalError subclass, naming the
file and, where the fault has one, the line (the 1-based row for word2vec binary), or it
loads, and then exactly what it must load is stated, with gensim reading the clean
reference files (tests/corpus/clean.txt, clean.bin) as the oracle.
"""

from __future__ import annotations

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

from w2veval.errors import GoldSetFormatError, VectorFormatError, W2VEvalError
from w2veval.goldsets import GoldSet
from w2veval.io import _sources, load_vectors

CORPUS = Path(__file__).parent / "corpus"
BAD = CORPUS / "bad"
CLEAN_WORDS = ["plane", "car", "coast", "hill", "century", "year", "game", "victory"]


@dataclass(frozen=True)
class Refused:
    """The file is refused: ``error`` (exactly that class), ``line`` in ``path:line:``."""

    error: type
    line: int | None
    fragment: str  # a piece of the message that says what is wrong
    options: dict = field(default_factory=dict)  # library keyword arguments


@dataclass(frozen=True)
class Loads:
    """The file loads; ``words`` replaces clean words by position, ``warns`` a line in a warning."""

    words: dict = field(default_factory=dict)  # {row index: word} differing from the clean rows
    warns: int | None = None  # the line (row) an invalid-UTF-8 warning must name
    binary: bool = False  # compare with clean.bin rather than clean.txt


VFE, GFE = VectorFormatError, GoldSetFormatError

VECTORS = {
    "empty.txt": Refused(VFE, None, "empty"),
    "header_only.txt": Refused(VFE, 1, "declares 8 rows but the file has 0"),
    "count_larger.txt": Refused(VFE, 9, "declares 10 rows but the file has 8"),
    "count_smaller.txt": Refused(VFE, 8, "more rows than the 6"),
    "zero_dim.txt": Refused(VFE, 1, "dim > 0"),
    "dim_mismatch.txt": Refused(VFE, 4, "7 values, expected 8"),
    "non_numeric.txt": Refused(VFE, 3, "'0.1x'"),
    "nan.txt": Refused(VFE, 5, "NaN or infinity"),
    "inf.txt": Refused(VFE, 6, "NaN or infinity"),
    "nul_byte.txt": Refused(VFE, 4, "NUL byte"),
    "long_garbage.txt": Refused(VFE, 3, "non-numeric value"),
    "glove_ragged.txt": Refused(VFE, 5, "9 values, expected 8"),
    "truncated_mid_vector.bin": Refused(VFE, 5, "ends inside its vector"),
    "truncated_mid_word.bin": Refused(VFE, 6, "ends inside its word"),
    "wrong_dim.bin": Refused(VFE, 9, "more data follows"),
    "nan.bin": Refused(VFE, 3, "NaN or infinity"),
    "truncated.txt.gz": Refused(VFE, None, "truncated gzip data"),
    "no_vectors_txt.tar.gz": Refused(VFE, None, "no vectors.txt member; it contains: eval.json"),
    "dotdot.tar.gz": Refused(VFE, None, "'..' path component"),
    "absolute.tar.gz": Refused(VFE, None, "absolute path"),
    "symlink.tar.gz": Refused(VFE, None, "symbolic link"),
    "hardlink.tar.gz": Refused(VFE, None, "hard link"),
    "device.tar.gz": Refused(VFE, None, "device"),
    "huge_member.tar.gz": Refused(VFE, None, f"above the {_sources.MAX_MEMBER_BYTES}-byte limit"),
    "bomb.tar.bz2": Refused(VFE, None, "decompression bomb"),
    "crlf.txt": Loads(),
    "bom.txt": Loads(),
    "tabs.txt": Loads(),
    "long_line.txt": Loads(),
    "duplicate_words.txt": Loads({4: "car"}),
    "space_in_word.vec": Loads({2: "ivory coast"}),
    "invalid_utf8.txt": Loads({5: "y\ufffdar"}, warns=7),
    "invalid_utf8.bin": Loads({1: "c\ufffdr"}, warns=2, binary=True),
}
#: Refused only once the bomb guard's grace size is below what it expands to (32 MiB);
#: at the real grace size (256 MiB) it is an ordinary archive (bomb.tar.bz2 trips that).
GZIP_BOMB = "bomb.tar.gz"
SMALL_GRACE = 1 << 20

SCALE = {"scale": (0, 10)}
GOLDSETS = {
    "gold_empty.tsv": Refused(GFE, None, "no word pairs"),
    "gold_header_only.csv": Refused(GFE, 1, "read as a header"),
    "gold_missing_column.tsv": Refused(GFE, 3, "expected at least 3 columns"),
    "gold_text_score.csv": Refused(GFE, 4, "score 'high' in column 3 is not a number"),
    "gold_nan_score.tsv": Refused(GFE, 2, "not a finite number"),
    "gold_conflicting_duplicate.tsv": Refused(GFE, 4, "lines 1 and 4"),
    "gold_invalid_utf8.tsv": Refused(GFE, 2, "not valid utf-8"),
    "gold_nul_byte.tsv": Refused(GFE, 2, "NUL byte"),
    "gold_long_line.tsv": Refused(GFE, 2, "is not a number"),
    "gold_negative_score.tsv": [
        ("plane", "car", 7.5),
        ("coast", "hill", 6.0),
        ("century", "year", -2.5),
        ("game", "victory", 7.0),
    ],
    "gold_out_of_scale.tsv": [("plane", "car", 7.5), ("coast", "hill", 11.5), ("century", "year", 6.0)],
    "gold_one_pair.tsv": [("plane", "car", 7.5)],
    "gold_crlf.tsv": [("plane", "car", 7.5), ("coast", "hill", 6.0)],
    "gold_bom.csv": [("plane", "car", 7.5), ("coast", "hill", 6.0)],
    "gold_tabs_and_spaces.txt": [("plane", "car", 7.5), ("coast", "hill", 6.0)],
}
#: With the scale declared, a score outside it is refused (the CLI declares none).
GOLDSETS_WITH_SCALE = {
    "gold_negative_score.tsv": Refused(GFE, 3, "outside the declared scale", SCALE),
    "gold_out_of_scale.tsv": Refused(GFE, 2, "outside the declared scale", SCALE),
}


def assert_refused(info, path: Path, expected: Refused) -> None:
    err = info.value
    assert type(err) is expected.error
    assert err.path == str(path)
    assert err.line == expected.line
    prefix = f"{path}:{expected.line}: " if expected.line is not None else f"{path}: "
    message = str(err)
    assert message.startswith(prefix), message
    assert expected.fragment in message
    assert len(message) < len(str(path)) + 400, "a message stays one readable line"
    assert "\n" not in message


@pytest.fixture(scope="module")
def clean():
    """gensim's reading of the reference files the damaged ones were made from."""
    text = KeyedVectors.load_word2vec_format(str(CORPUS / "clean.txt"))
    binary = KeyedVectors.load_word2vec_format(str(CORPUS / "clean.bin"), binary=True)
    assert text.index_to_key == binary.index_to_key == CLEAN_WORDS
    np.testing.assert_array_equal(text.vectors, binary.vectors)
    return text


# ------------------------------------------------------------------ the corpus itself


def test_every_corpus_file_has_an_expectation_and_a_readme_row():
    files = {p.name for p in BAD.iterdir()} - {"README.md"}
    expected = set(VECTORS) | set(GOLDSETS) | {GZIP_BOMB}
    assert files == expected
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    listed = {line.split("`")[1] for line in readme.splitlines() if line.startswith("| `")}
    assert listed == files


def test_the_corpus_stays_small():
    assert sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file()) < 600_000


# ----------------------------------------------------------------------- the library


@pytest.mark.parametrize("name", sorted(n for n, e in VECTORS.items() if isinstance(e, Refused)))
def test_refused_vectors(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = BAD / name
    with pytest.raises(W2VEvalError) as info:
        load_vectors(path)
    assert_refused(info, path, VECTORS[name])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(n for n, e in VECTORS.items() if isinstance(e, Loads)))
def test_vectors_that_load(name, clean):
    expected: Loads = VECTORS[name]
    path = BAD / name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wv = load_vectors(path)
    words = [expected.words.get(i, w) for i, w in enumerate(CLEAN_WORDS)]
    assert wv.words == words
    assert wv.ranks.tolist() == list(range(len(words)))
    assert wv.vocab_size == len(words)
    np.testing.assert_array_equal(wv.vectors, clean.vectors)
    messages = [str(w.message) for w in caught]
    if expected.warns is None:
        assert messages == []
    else:
        assert len(messages) == 1 and messages[0].startswith(f"{path}:{expected.warns}: invalid UTF-8")
        # gensim, told to replace undecodable bytes, reads the same words
        kv = KeyedVectors.load_word2vec_format(str(path), binary=expected.binary, unicode_errors="replace")
        assert kv.index_to_key == words


def test_duplicate_word_means_its_first_row_as_in_gensim(clean):
    path = BAD / "duplicate_words.txt"
    kv = KeyedVectors.load_word2vec_format(str(path))  # keeps the first, drops the repeat
    wv = load_vectors(path)
    # gensim 4.4 leaves a None key where the repeat was; its words are the first occurrences
    assert [k for k in kv.index_to_key if k is not None] == [w for w in CLEAN_WORDS if w != "century"]
    np.testing.assert_array_equal(wv["car"], kv["car"])
    np.testing.assert_array_equal(wv["car"], clean["car"])
    assert load_vectors(path, words=["car"]).words == ["car", "car"]


def test_word_with_a_space_is_matched_whole(clean):
    path = BAD / "space_in_word.vec"
    assert load_vectors(path, words=["coast"]).words == []  # not the row "ivory coast ..."
    wv = load_vectors(path, words=["ivory coast", "hill"])
    assert wv.words == ["hill"]  # a subset load finds rows by their first token only
    np.testing.assert_array_equal(load_vectors(path)["ivory coast"], clean["coast"])


def test_gzip_bomb_is_refused_below_the_grace_size(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    path = BAD / GZIP_BOMB
    compressed = path.stat().st_size
    monkeypatch.setattr(_sources, "RATIO_GRACE_BYTES", SMALL_GRACE)
    expands_to = 32 << 20  # the padding member (make_bad.GZIP_BOMB_BYTES)
    assert SMALL_GRACE < expands_to and expands_to > _sources.MAX_COMPRESSION_RATIO * compressed
    with pytest.raises(W2VEvalError) as info:
        load_vectors(path)
    assert_refused(info, path, Refused(VFE, None, "decompression bomb"))
    assert list(tmp_path.iterdir()) == []


def test_real_grace_size_is_below_the_bz2_bomb():
    """bomb.tar.bz2 expands to 1 GiB from about 1 KiB: beyond both real caps."""
    size = (BAD / "bomb.tar.bz2").stat().st_size
    assert size < 4096
    assert _sources.RATIO_GRACE_BYTES < 1 << 30
    assert _sources.RATIO_GRACE_BYTES > _sources.MAX_COMPRESSION_RATIO * size


@pytest.mark.parametrize("name", sorted(n for n, e in GOLDSETS.items() if isinstance(e, Refused)))
def test_refused_goldsets(name):
    path = BAD / name
    with pytest.raises(W2VEvalError) as info:
        GoldSet.from_file(path)
    assert_refused(info, path, GOLDSETS[name])


@pytest.mark.parametrize("name", sorted(GOLDSETS_WITH_SCALE))
def test_scores_outside_a_declared_scale(name):
    path = BAD / name
    expected = GOLDSETS_WITH_SCALE[name]
    with pytest.raises(W2VEvalError) as info:
        GoldSet.from_file(path, **expected.options)
    assert_refused(info, path, expected)


@pytest.mark.parametrize("name", sorted(n for n, e in GOLDSETS.items() if isinstance(e, list)))
def test_goldsets_that_load(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gs = GoldSet.from_file(BAD / name)
    assert gs.pairs == GOLDSETS[name]


# --------------------------------------------------------------------------- the CLI


def _cli_runs():
    """Every CLI run of the corpus: ``{key: (argv, path at fault, expectation, prelude)}``."""
    clean_txt = str(CORPUS / "clean.txt")
    runs = {}
    for name, expected in VECTORS.items():
        runs[name] = (["score", str(BAD / name)], BAD / name, expected, None)
    grace = f"import w2veval.io._sources as s; s.RATIO_GRACE_BYTES = {SMALL_GRACE}"
    runs[GZIP_BOMB] = (
        ["score", str(BAD / GZIP_BOMB)],
        BAD / GZIP_BOMB,
        Refused(VFE, None, "decompression bomb"),
        grace,
    )
    for name, expected in GOLDSETS.items():
        runs[name] = (
            ["score", clean_txt, "-g", str(BAD / name)],
            BAD / name,
            expected if isinstance(expected, Refused) else Loads(),
            None,
        )
    return runs


CLI_RUNS = _cli_runs()


def _run(key: str, root: Path) -> tuple[subprocess.CompletedProcess, Path, Path]:
    argv, _, _, prelude = CLI_RUNS[key]
    work, home = root / key / "work", root / key / "home"
    work.mkdir(parents=True)
    home.mkdir()
    if prelude is None:
        command = [sys.executable, "-m", "w2veval", *argv, "--no-progress"]
    else:  # the same entry point as `python -m w2veval`, after lowering a cap
        command = [
            sys.executable,
            "-c",
            f"{prelude}; from w2veval.cli import main; raise SystemExit(main())",
            *argv,
            "--no-progress",
        ]
    env = dict(os.environ, W2VEVAL_HOME=str(home))
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    return done, work, home


@pytest.fixture(scope="module")
def cli_results(request, tmp_path_factory):
    """The selected CLI runs, four at a time (each is a fresh interpreter, mostly imports)."""
    keys = [
        item.callspec.params["key"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_cli" and item.module is request.module
    ]
    root = tmp_path_factory.mktemp("cli")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {key: pool.submit(_run, key, root) for key in keys}
    return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize("key", sorted(CLI_RUNS))
def test_cli(key, cli_results):
    done, work, home = cli_results[key]
    _, path, expected, _ = CLI_RUNS[key]
    assert "Traceback" not in done.stderr
    assert list(work.iterdir()) == [], "nothing written in the working directory"
    assert list(home.rglob("*")) == [], "nothing written in the cache"
    if isinstance(expected, Loads):
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0].split()[:2] == ["vectors", "goldset"]
        return
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("w2veval: error: ")
    assert str(path) in lines[0]
    if expected.line is not None:
        assert f"{path}:{expected.line}: " in lines[0]
    assert expected.fragment in lines[0]
