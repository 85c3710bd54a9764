"""Property-based tests of every parser and of the statistics (hypothesis).

* Well-formed files written by gensim's writers (word2vec text, GloVe text, word2vec
  binary; plain, gzip, bz2 or xz) load exactly as gensim reads them back.
* Malformed bytes (random, or a valid file cut, overwritten, or spliced) never make a
  reader raise anything but a :class:`~w2veval.errors.W2VEvalError`.
* Gold sets written by the csv module read back as the csv module reads them.
* Scores computed through the evaluator equal scipy.stats on gensim's cosine
  similarities, and do not depend on pair order; Spearman and Kendall do not change
  under a strictly increasing transform of the human scores.

Examples are bounded (``max_examples``) so that the whole file runs in well under a minute.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import tarfile
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.stats
from gensim.models import KeyedVectors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2veval.errors import W2VEvalError
from w2veval.goldsets import GoldSet
from w2veval.io import load_vectors
from w2veval.scoring import evaluate_rows

CORPUS = Path(__file__).parent / "corpus"
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}

# A vocabulary word: no white space or control characters (the formats separate fields
# with them), no surrogates, and no leading byte-order mark (which a GloVe file's first
# word would lose: w2veval drops a BOM at the start of a file, gensim keeps it).
word_chars = st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="\ufeff")
vocab_words = st.text(word_chars, min_size=1, max_size=10)
floats32 = st.floats(width=32, allow_nan=False, allow_infinity=False)


def _fresh_file(data: bytes, suffix: str = "") -> Path:
    """``data`` in a new temporary file (hypothesis runs many examples per test)."""
    handle = tempfile.NamedTemporaryFile(prefix="w2veval-prop-", suffix=suffix, delete=False)
    with handle:
        handle.write(data)
    return Path(handle.name)


# ----------------------------------------------------------- well-formed round trips


@settings(max_examples=60, **SETTINGS)
@given(
    words=st.lists(vocab_words, min_size=1, max_size=12, unique=True),
    dim=st.integers(1, 6),
    layout=st.sampled_from(["text", "glove", "binary"]),
    compression=st.sampled_from(["", ".gz", ".bz2", ".xz"]),
    data=st.data(),
)
def test_files_written_by_gensim_load_exactly(tmp_path, words, dim, layout, compression, data):
    values = data.draw(st.lists(floats32, min_size=len(words) * dim, max_size=len(words) * dim))
    matrix = np.array(values, dtype=np.float32).reshape(len(words), dim)
    kv = KeyedVectors(dim)
    kv.add_vectors(words, matrix)
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        path = Path(folder, f"vectors{compression}")  # gensim compresses by suffix
        kv.save_word2vec_format(str(path), binary=layout == "binary", write_header=layout != "glove")
        back = KeyedVectors.load_word2vec_format(
            str(path), binary=layout == "binary", no_header=layout == "glove"
        )
        wv = load_vectors(path)
        assert wv.words == back.index_to_key == words
        np.testing.assert_array_equal(wv.vectors, back.vectors)
        np.testing.assert_array_equal(wv.vectors, matrix)  # the writers lose nothing
        wanted = data.draw(st.lists(st.sampled_from(words), max_size=4))
        subset = load_vectors(path, words=wanted, case_sensitive=True)
        assert subset.words == [w for w in words if w in set(wanted)]
        assert subset.ranks.tolist() == [words.index(w) for w in subset.words]
        np.testing.assert_array_equal(
            subset.vectors, back[subset.words] if subset.words else np.zeros((0, dim), dtype=np.float32)
        )


# ------------------------------------------------------------------- malformed bytes


def _assert_only_w2veval_errors(load) -> None:
    """``load()`` returns or raises a W2VEvalError, and nothing else."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid UTF-8 and duplicate warnings are allowed
        try:
            load()
        except W2VEvalError:
            pass


@settings(max_examples=150, **SETTINGS)
@given(content=st.binary(max_size=400), fmt=st.sampled_from(["auto", "text", "glove", "binary"]))
def test_random_bytes_raise_only_w2veval_errors(content, fmt):
    path = _fresh_file(content)
    try:
        _assert_only_w2veval_errors(lambda: load_vectors(path, format=fmt))
    finally:
        path.unlink()


# Bytes that steer into the readers' decisions: headers, separators, numbers, NaN.
text_tokens = st.sampled_from(
    [
        b"0",
        b"1",
        b"2",
        b"3 2",
        b"1 0\n",
        b"2 1\n",
        b" ",
        b"\t",
        b"\n",
        b"\r\n",
        b"\x00",
        b"-",
        b".",
        b"e",
        b"nan",
        b"inf",
        b"1e39",
        b"cat",
        b"\xff",
        b"\xef\xbb\xbf",
        b"\xc3\xa9",
        b"0.5",
        b"-1.25",
    ]
)


@settings(max_examples=150, **SETTINGS)
@given(
    parts=st.lists(text_tokens, max_size=40),
    fmt=st.sampled_from(["auto", "text", "glove", "binary"]),
    words=st.none() | st.just(["cat", "0", "1"]),
)
def test_text_like_garbage_raises_only_w2veval_errors(parts, fmt, words):
    path = _fresh_file(b"".join(parts))
    try:
        _assert_only_w2veval_errors(lambda: load_vectors(path, format=fmt, words=words))
    finally:
        path.unlink()


def _tar_gz(members: dict) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def _valid_files() -> dict[str, bytes]:
    clean_txt = (CORPUS / "clean.txt").read_bytes()
    return {
        "text": clean_txt,
        "glove": clean_txt.split(b"\n", 1)[1],
        "binary": (CORPUS / "clean.bin").read_bytes(),
        "gzip": gzip.compress(clean_txt, mtime=0),
        "tar.gz": _tar_gz({"eval.json": b"{}", "vectors.txt": clean_txt}),
    }


VALID = _valid_files()


@st.composite
def damaged(draw):
    """A valid file with one random cut, overwrite, insertion or deletion."""
    kind = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[kind])
    at = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(["cut", "overwrite", "insert", "delete"]))
    if how == "cut":
        data = data[:at]
    elif how == "overwrite":
        patch = draw(st.binary(min_size=1, max_size=8))
        data[at : at + len(patch)] = patch
    elif how == "insert":
        data[at:at] = draw(st.binary(min_size=1, max_size=8) | text_tokens)
    else:
        del data[at : at + draw(st.integers(1, 40))]
    return kind, bytes(data)


@settings(max_examples=200, **SETTINGS)
@given(case=damaged(), words=st.none() | st.just(["car", "hill", "victory"]))
def test_damaged_valid_files_raise_only_w2veval_errors(case, words):
    _, content = case
    path = _fresh_file(content)
    try:
        _assert_only_w2veval_errors(lambda: load_vectors(path, words=words))
    finally:
        path.unlink()


gold_tokens = st.sampled_from(
    [
        "cat",
        "dog",
        "Straße",
        "7.5",
        "-1",
        "nan",
        "inf",
        "1,5",
        "x",
        "\t",
        ",",
        ";",
        " ",
        "\n",
        "\r\n",
        "\r",
        "#",
        "\ufeff",
        "\x00",
        "word1",
        "score",
        "\u2028",
        '"',
    ]
)


@settings(max_examples=150, **SETTINGS)
@given(
    content=st.binary(max_size=300)
    | st.lists(gold_tokens, max_size=40).map(lambda parts: "".join(parts).encode("utf-8")),
    options=st.sampled_from(
        [
            {},
            {"scale": (0, 10)},
            {"delimiter": ","},
            {"header": False},
            {"duplicates": "keep"},
            {"decimal_comma": True, "delimiter": "\t"},
            {"bad_scores": "drop"},
            {"columns": (0, 2, 1)},
        ]
    ),
)
def test_gold_set_garbage_raises_only_w2veval_errors(content, options):
    path = _fresh_file(content, ".txt")
    try:
        _assert_only_w2veval_errors(lambda: GoldSet.from_file(path, **options))
    finally:
        path.unlink()


# ---------------------------------------------------------------------- gold sets


gold_words = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Z"), blacklist_characters=',;\t"#\ufeff'),
    min_size=1,
    max_size=8,
)


@settings(max_examples=80, **SETTINGS)
@given(
    rows=st.lists(
        st.tuples(gold_words, gold_words, st.floats(-1e6, 1e6, allow_nan=False)),
        min_size=1,
        max_size=15,
        unique_by=lambda r: (r[0], r[1]),
    ),
    delimiter=st.sampled_from([",", "\t", ";"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    header=st.booleans(),
)
def test_csv_written_gold_sets_read_back_as_csv_reads_them(rows, delimiter, newline, header):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    if header:
        writer.writerow(["word1", "word2", "score"])
    writer.writerows([(a, b, repr(s)) for a, b, s in rows])
    path = _fresh_file(buffer.getvalue().encode("utf-8"), ".csv")
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            oracle = [(a, b, float(s)) for a, b, s in list(csv.reader(fh, delimiter=delimiter))[header:]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reversed repeats are kept with a warning
            gs = GoldSet.from_file(path)
    finally:
        path.unlink()
    assert gs.pairs == oracle == [(a, b, float(s)) for a, b, s in rows]
    assert gs.lines == tuple(range(1 + header, 1 + header + len(rows)))


# --------------------------------------------------------------------- statistics


@pytest.fixture(scope="module")
def vectors(w2v_model):
    """Real vectors (Word2Vec trained on the Lee corpus), and gensim's view of them."""
    return load_vectors(w2v_model.wv), w2v_model.wv


def _scores(vectors, pairs, scores):
    gs = GoldSet.from_pairs(
        [(a, b, s) for (a, b), s in zip(pairs, scores, strict=True)], name="prop", duplicates="keep"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few pairs: UnreliableScoreWarning
        (row,) = evaluate_rows(vectors, gs, case_sensitive=True)
    return row


def _close(ours: float, theirs: float) -> bool:
    if math.isnan(theirs):
        return math.isnan(ours)
    return ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)


@settings(max_examples=60, **SETTINGS)
@given(
    picks=st.lists(st.tuples(st.integers(0, 299), st.integers(0, 299)), min_size=3, max_size=40),
    human=st.data(),
    order=st.randoms(use_true_random=False),
)
def test_evaluator_statistics_match_scipy_and_are_invariant(vectors, picks, human, order):
    wv, kv = vectors
    vocab = kv.index_to_key
    pairs = [(vocab[i], vocab[j]) for i, j in picks]
    scores = human.draw(
        st.lists(
            st.integers(0, 6).map(lambda v: v * 1.5),  # with ties
            min_size=len(pairs),
            max_size=len(pairs),
        )
    )
    cosines = [float(kv.similarity(a, b)) for a, b in pairs]
    row = _scores(wv, pairs, scores)
    constant = len(set(scores)) < 2 or len(set(cosines)) < 2
    for column, reference in (
        ("spearman", scipy.stats.spearmanr),
        ("pearson", scipy.stats.pearsonr),
        ("kendall", scipy.stats.kendalltau),
    ):
        expected = math.nan if constant else float(reference(cosines, scores).statistic)
        assert _close(row[column], expected), column

    shuffled = list(range(len(pairs)))
    order.shuffle(shuffled)
    again = _scores(wv, [pairs[i] for i in shuffled], [scores[i] for i in shuffled])
    for column in ("spearman", "pearson", "kendall"):
        assert _close(again[column], row[column]), column

    rescaled = _scores(wv, pairs, [math.exp(s) * 3.0 - 7.0 for s in scores])  # strictly increasing
    for column in ("spearman", "kendall"):
        assert _close(rescaled[column], row[column]), column
