"""The streaming text reader: chunk boundaries, the vectorised token scan, limits."""

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from w2veval import VectorFormatError
from w2veval.io import _text
from w2veval.io._text import read_text
from w2veval.matching import token_matcher


@pytest.fixture(scope="module")
def text_file(tmp_path_factory, w2v_model):
    path = tmp_path_factory.mktemp("text") / "vectors.txt"
    w2v_model.wv.save_word2vec_format(path)
    return path


def _wanted(kv, step=7):
    return [*kv.index_to_key[::step], "ÉCOLE", "Government", "nonexistentword"]


@pytest.mark.parametrize("chunk", [64, 1000, 4099, 1 << 22])
@pytest.mark.parametrize("case_sensitive", [True, False])
def test_subset_equals_gensim_rows_at_any_chunk_size(
    monkeypatch, text_file, w2v_model, chunk, case_sensitive
):
    from gensim.models import KeyedVectors

    monkeypatch.setattr(_text, "CHUNK_BYTES", chunk)
    kv = KeyedVectors.load_word2vec_format(text_file)
    wanted = _wanted(kv)
    with open(text_file, "rb") as fh:
        wv = read_text(fh, name=str(text_file), match=token_matcher(wanted, case_sensitive))
    keys = {w if case_sensitive else w.casefold() for w in wanted}
    expected = [w for w in kv.index_to_key if (w if case_sensitive else w.casefold()) in keys]
    assert wv.words == expected
    assert wv.ranks.tolist() == [kv.key_to_index[w] for w in expected]
    assert np.array_equal(wv.vectors, kv[expected])
    assert wv.vocab_size == len(kv)


@pytest.mark.parametrize("chunk", [64, 1 << 22])
def test_limit_stops_at_the_first_n_rows(monkeypatch, text_file, chunk):
    from gensim.models import KeyedVectors

    monkeypatch.setattr(_text, "CHUNK_BYTES", chunk)
    kv = KeyedVectors.load_word2vec_format(text_file, limit=300)
    with open(text_file, "rb") as fh:
        wv = read_text(fh, name="v", match=token_matcher(_wanted(kv, 3)), limit=300)
    keys = {w.casefold() for w in _wanted(kv, 3)}
    assert wv.ranks.max() < 300
    assert wv.words == [w for w in kv.index_to_key if w.casefold() in keys]


def test_full_load_equals_gensim(text_file):
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(text_file)
    with open(text_file, "rb") as fh:
        wv = read_text(fh, name="v")
    assert wv.words == kv.index_to_key
    assert np.array_equal(wv.vectors, kv.vectors)


def test_glove_without_header_and_crlf_bom_blank_lines():
    content = b"\xef\xbb\xbfthe 0.5 1\r\nCat 2 3\r\n\r\nlongword" + b"x" * 40 + b" 1 1\r\ncaf\xc3\xa9 4 5\r\n"
    wv = read_text(io.BytesIO(content), name="g", match=token_matcher(["cat", "café", "longword" + "x" * 40]))
    assert wv.words == ["Cat", "longword" + "x" * 40, "café"]
    assert wv.ranks.tolist() == [1, 2, 3]
    assert wv.vectors.tolist() == [[2, 3], [1, 1], [4, 5]]


def test_tab_after_the_word():
    wv = read_text(io.BytesIO(b"1 2\ncat\t0.5 1\n"), name="t", match=token_matcher(["cat"]))
    assert wv.words == ["cat"] and wv.vectors.tolist() == [[0.5, 1.0]]


def test_invalid_utf8_warns_once_and_replaces():
    content = b"2 1\nab\xff 1\ncd\xfe 2\n"
    with pytest.warns(UserWarning, match="invalid UTF-8") as record:
        wv = read_text(io.BytesIO(content), name="u")
    assert len(record) == 1
    assert wv.words == ["ab\ufffd", "cd\ufffd"]


@pytest.mark.parametrize(
    "content, line",
    [
        (b"3 1\na 1\nb 2\n", 3),
        (b"1 1\na 1\nb 2\n", 3),
        (b"1 2\na 1 inf\n", 2),
        (b"2 2\na 1 2\nb 1 2 3\n", 3),
    ],
)
def test_errors_name_the_line_even_across_chunks(monkeypatch, content, line):
    monkeypatch.setattr(_text, "CHUNK_BYTES", 5)
    with pytest.raises(VectorFormatError) as err:
        read_text(io.BytesIO(content), name="f.txt")
    assert err.value.line == line and str(err.value).startswith(f"f.txt:{line}:")


words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(words, min_size=1, max_size=30, unique=True), st.integers(1, 5), st.integers(8, 200), st.data()
)
def test_random_files_round_trip_through_gensim_writer(tmp_path_factory, vocab, dim, chunk, data):
    from gensim.models import KeyedVectors

    matrix = np.asarray(
        data.draw(
            st.lists(
                st.lists(st.floats(-1e3, 1e3, width=32), min_size=dim, max_size=dim),
                min_size=len(vocab),
                max_size=len(vocab),
            )
        ),
        dtype=np.float32,
    )
    kv = KeyedVectors(dim)
    kv.add_vectors(vocab, matrix)
    path = tmp_path_factory.mktemp("rt") / "v.txt"
    kv.save_word2vec_format(path)
    wanted = data.draw(st.lists(st.sampled_from(vocab), max_size=len(vocab)))
    old = _text.CHUNK_BYTES
    _text.CHUNK_BYTES = chunk
    try:
        with open(path, "rb") as fh:
            wv = read_text(fh, name="p", match=token_matcher(wanted, case_sensitive=True))
    finally:
        _text.CHUNK_BYTES = old
    back = KeyedVectors.load_word2vec_format(path)
    expected = [w for w in back.index_to_key if w in set(wanted)]
    assert wv.words == expected
    assert np.array_equal(wv.vectors, back[expected]) if expected else len(wv) == 0
