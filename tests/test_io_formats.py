"""`load_vectors` on every format gensim writes, with gensim reading the same file as oracle.

The files are written by gensim's own writers from models really trained on the Lee
corpus (see conftest.py); damaged files are those files with bytes cut or changed.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors, save_facebook_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2veval.errors import UntrustedPickleError, VectorFormatError
from w2veval.io import load_vectors

OOV = "xyzzyqqwords"


def assert_rows_match(wv, kv, words=None, limit=None):
    """``wv`` holds exactly the rows of gensim's ``kv`` that are wanted, in file order."""
    keys = kv.index_to_key[:limit]
    expected = [k for k in keys if words is None or k in set(words)]
    assert wv.words == expected
    assert wv.ranks.tolist() == [kv.key_to_index[k] for k in expected]
    assert wv.vectors.dtype == np.float32
    assert wv.vectors.shape == (len(expected), kv.vector_size)
    for word, vector in zip(wv.words, wv.vectors, strict=True):
        np.testing.assert_array_equal(vector, kv[word])


@pytest.fixture(scope="module")
def files(tmp_path_factory, w2v_model, fasttext_model):
    """Every file format, written by gensim from the trained models."""
    d = tmp_path_factory.mktemp("formats")
    wv = w2v_model.wv
    wv.save_word2vec_format(str(d / "w2v.txt"))
    wv.save_word2vec_format(str(d / "w2v.bin"), binary=True)
    wv.save_word2vec_format(str(d / "glove.txt"), write_header=False)
    fasttext_model.wv.save_word2vec_format(str(d / "ft.vec"))
    save_facebook_model(fasttext_model, str(d / "ft.bin"))
    w2v_model.save(str(d / "w2v.model"))
    wv.save(str(d / "w2v.kv"))
    fasttext_model.save(str(d / "ft.model"))
    return d


def oracle(path: Path) -> KeyedVectors:
    """gensim's own reading of one of the files above."""
    name = path.name
    if name.startswith("ft.bin"):
        return load_facebook_vectors(str(path))
    return KeyedVectors.load_word2vec_format(
        str(path), binary=".bin" in name, no_header=name.startswith("glove")
    )


# ---------------------------------------------------------------- every format


@pytest.mark.parametrize("name", ["w2v.txt", "w2v.bin", "glove.txt", "ft.vec", "ft.bin"])
def test_every_format_matches_gensim(files, name):
    kv = oracle(files / name)
    wv = load_vectors(files / name)
    assert_rows_match(wv, kv)
    assert wv.vocab_size == len(kv)
    assert wv.source == str(files / name)


def test_binary_is_exactly_the_trained_model(files, w2v_model):
    wv = load_vectors(str(files / "w2v.bin"))
    assert wv.words == w2v_model.wv.index_to_key
    np.testing.assert_array_equal(wv.vectors, w2v_model.wv.vectors)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("w2v.txt", "text"),
        ("w2v.txt", "word2vec"),
        ("w2v.txt", "vec"),
        ("ft.vec", "VEC"),
        ("glove.txt", "glove"),
        ("w2v.bin", "binary"),
        ("ft.bin", "fasttext"),
    ],
)
def test_explicit_formats(files, name, fmt):
    assert_rows_match(load_vectors(files / name, format=fmt), oracle(files / name))


@pytest.mark.parametrize(
    ("written", "misnamed"),
    [
        ("w2v.bin", "vectors.txt"),
        ("w2v.txt", "model.bin"),
        ("glove.txt", "vectors.vec"),
        ("ft.bin", "model.vec"),
        ("w2v.txt", "noextension"),
    ],
)
def test_format_comes_from_content_not_name(files, tmp_path, written, misnamed):
    (tmp_path / misnamed).write_bytes((files / written).read_bytes())
    assert_rows_match(load_vectors(tmp_path / misnamed), oracle(files / written))


def test_unknown_format_name_lists_the_choices(files):
    with pytest.raises(VectorFormatError, match="glove") as info:
        load_vectors(files / "w2v.txt", format="csv")
    assert "'csv'" in str(info.value)


# ---------------------------------------------------------- words, limit, case


@pytest.mark.parametrize("name", ["w2v.txt", "w2v.bin", "glove.txt", "ft.vec", "ft.bin"])
def test_words_subset_keeps_file_order_and_ranks(files, name):
    kv = oracle(files / name)
    vocab = kv.index_to_key
    words = [vocab[i] for i in (900, 3, 0, 57, len(vocab) - 1)] + ["notawordhere", "The"]
    wv = load_vectors(files / name, words=words)
    assert_rows_match(wv, kv, words=words)
    assert len(wv) == 5
    assert wv.vocab_size == len(kv)


@pytest.mark.parametrize("name", ["w2v.txt", "w2v.bin", "ft.vec"])
def test_limit_is_gensims_limit(files, name):
    kv = KeyedVectors.load_word2vec_format(str(files / name), binary=name.endswith(".bin"), limit=50)
    wv = load_vectors(files / name, limit=50)
    assert_rows_match(wv, kv)
    assert wv.vocab_size == len(oracle(files / name))  # the header's count


@pytest.mark.parametrize("name", ["w2v.txt", "w2v.bin", "glove.txt", "ft.bin"])
def test_words_and_limit_together(files, name):
    kv = oracle(files / name)
    vocab = kv.index_to_key
    words = [vocab[i] for i in (5, 99, 100, 700)]
    wv = load_vectors(files / name, words=words, limit=100)
    assert wv.words == [vocab[5], vocab[99]]
    assert wv.ranks.tolist() == [5, 99]
    np.testing.assert_array_equal(wv.vectors, kv[[vocab[5], vocab[99]]])


def test_limit_zero_loads_nothing(files):
    wv = load_vectors(files / "w2v.bin", limit=0)
    assert len(wv) == 0 and wv.dim == 32


@pytest.fixture(scope="module")
def mixed_case(tmp_path_factory, w2v_model):
    """A real-vector file whose words come in several case variants."""
    d = tmp_path_factory.mktemp("case")
    base = w2v_model.wv.index_to_key[:300]
    keys = base + [w.capitalize() for w in base[:40]] + [w.upper() for w in base[10:20]]
    kv = KeyedVectors(w2v_model.wv.vector_size)
    kv.add_vectors(keys, w2v_model.wv.vectors[: len(keys)])
    kv.save_word2vec_format(str(d / "case.txt"))
    kv.save_word2vec_format(str(d / "case.bin"), binary=True)
    return d, keys


@pytest.mark.parametrize("name", ["case.txt", "case.bin"])
def test_case_insensitive_loads_every_variant_with_its_rank(mixed_case, name):
    d, keys = mixed_case
    words = [keys[12].upper(), keys[30].capitalize(), keys[250]]
    wv = load_vectors(d / name, words=words, case_sensitive=False)
    wanted = {w.lower() for w in words}
    expected = [(i, k) for i, k in enumerate(keys) if k.lower() in wanted]
    assert len(expected) == 3 + 2 + 1  # keys[12]: 3 variants, keys[30]: 2, keys[250]: 1
    assert list(zip(wv.ranks.tolist(), wv.words, strict=True)) == expected
    kv = KeyedVectors.load_word2vec_format(str(d / name), binary=name.endswith(".bin"))
    for word, vector in zip(wv.words, wv.vectors, strict=True):
        np.testing.assert_array_equal(vector, kv[word])


@pytest.mark.parametrize("name", ["case.txt", "case.bin"])
def test_case_sensitive_loads_only_the_exact_word(mixed_case, name):
    d, keys = mixed_case
    word = keys[12].capitalize()
    wv = load_vectors(d / name, words=[word])
    assert wv.words == [word]
    assert wv.ranks.tolist() == [keys.index(word)]
    kv = KeyedVectors.load_word2vec_format(str(d / name), binary=name.endswith(".bin"))
    np.testing.assert_array_equal(wv[word], kv[word])


# ------------------------------------------------------------------- fastText


def test_fasttext_bin_oov_words_get_gensims_subword_vector(files, fasttext_model):
    kv = load_facebook_vectors(str(files / "ft.bin"))
    vocab = kv.index_to_key
    wv = load_vectors(files / "ft.bin", words=[vocab[3], OOV])
    assert wv.words == [vocab[3]]
    assert OOV not in wv
    np.testing.assert_array_equal(wv[OOV], kv[OOV])
    np.testing.assert_allclose(wv[OOV], fasttext_model.wv[OOV], rtol=1e-5, atol=1e-6)
    # a vocabulary word that was not loaded still gets its own vector
    np.testing.assert_array_equal(wv[vocab[10]], kv[vocab[10]])


def test_text_vectors_have_no_subwords(files):
    wv = load_vectors(files / "ft.vec")
    with pytest.raises(KeyError, match=OOV):
        wv[OOV]


# -------------------------------------------------------------- gensim pickles


@pytest.mark.parametrize("name", ["w2v.model", "w2v.kv", "ft.model"])
@pytest.mark.parametrize("fmt", ["auto", "gensim"])
def test_pickles_are_refused_without_trust(files, name, fmt):
    with pytest.raises(UntrustedPickleError) as info:
        load_vectors(files / name, format=fmt)
    message = str(info.value)
    assert str(files / name) in message
    assert "trust=True" in message and "pickle" in message


@pytest.mark.parametrize(
    ("name", "model"), [("w2v.model", "w2v_model"), ("w2v.kv", "w2v_model"), ("ft.model", "fasttext_model")]
)
def test_pickles_load_with_trust(files, name, model, request):
    kv = request.getfixturevalue(model).wv
    wv = load_vectors(files / name, trust=True)
    assert_rows_match(wv, kv)
    if name == "ft.model":
        np.testing.assert_array_equal(wv[OOV], kv[OOV])


@pytest.mark.parametrize("content", ["truncated", "not vectors"])
def test_trusted_bad_pickle_is_a_format_error(files, tmp_path, content):
    import pickle

    path = tmp_path / "bad.kv"
    data = (files / "w2v.kv").read_bytes()
    path.write_bytes(data[: len(data) // 3] if content == "truncated" else pickle.dumps([1, 2]))
    with pytest.raises(VectorFormatError) as info:
        load_vectors(path, trust=True)
    assert str(info.value).startswith(str(path))


# --------------------------------------------------------------- binary details


def write_c_tool_binary(path: Path, kv: KeyedVectors, n: int, word_bytes=None) -> None:
    """The original word2vec C tool's layout: a newline after every vector."""
    with open(path, "wb") as out:
        out.write(f"{n} {kv.vector_size}\n".encode())
        for i, word in enumerate(kv.index_to_key[:n]):
            token = word_bytes[i] if word_bytes and i in word_bytes else word.encode()
            out.write(token + b" " + kv.vectors[i].astype("<f4").tobytes() + b"\n")


def test_c_tool_binary_with_newlines(tmp_path, w2v_model):
    path = tmp_path / "c.bin"
    write_c_tool_binary(path, w2v_model.wv, 200)
    kv = KeyedVectors.load_word2vec_format(str(path), binary=True)
    assert_rows_match(load_vectors(path), kv)
    assert_rows_match(load_vectors(path, words=kv.index_to_key[150:160]), kv, words=kv.index_to_key[150:160])


def test_invalid_utf8_word_is_replaced_with_one_warning(tmp_path, w2v_model):
    path = tmp_path / "latin1.bin"
    write_c_tool_binary(path, w2v_model.wv, 20, word_bytes={4: b"caf\xe9", 9: b"na\xefve"})
    kv = KeyedVectors.load_word2vec_format(str(path), binary=True, unicode_errors="replace")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wv = load_vectors(path)
    assert len(caught) == 1 and caught[0].category is UserWarning
    assert f"{path}:5" in str(caught[0].message)
    assert wv.words[4] == "caf\ufffd" == kv.index_to_key[4]
    assert_rows_match(wv, kv)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(
        st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1, max_size=12),
        min_size=1,
        max_size=30,
        unique=True,
    ),
    dim=st.integers(1, 9),
    data=st.data(),
)
def test_binary_round_trip_property(words, dim, data):
    values = data.draw(
        st.lists(
            st.floats(width=32, allow_nan=False, allow_infinity=False),
            min_size=len(words) * dim,
            max_size=len(words) * dim,
        )
    )
    kv = KeyedVectors(dim)
    kv.add_vectors(words, np.array(values, dtype=np.float32).reshape(len(words), dim))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "v.bin"
        kv.save_word2vec_format(str(path), binary=True)
        expected = KeyedVectors.load_word2vec_format(str(path), binary=True)
        wanted = data.draw(st.lists(st.sampled_from(words), max_size=5))
        assert_rows_match(load_vectors(path), expected)
        assert_rows_match(load_vectors(path, words=wanted), expected, words=wanted)


# ---------------------------------------------------------------- bad content


def _rows_bytes(path: Path, n: int) -> int:
    """Byte offset where binary row ``n`` (1-based) starts, computed from gensim's words."""
    kv = KeyedVectors.load_word2vec_format(str(path), binary=True)
    offset = len(f"{len(kv)} {kv.vector_size}\n")
    for word in kv.index_to_key[: n - 1]:
        offset += len(word.encode()) + 1 + 4 * kv.vector_size
    return offset


def _nan_kv(w2v_model, row: int) -> KeyedVectors:
    kv = KeyedVectors(w2v_model.wv.vector_size)
    vectors = w2v_model.wv.vectors[:10].copy()
    vectors[row, 7] = np.nan
    kv.add_vectors(w2v_model.wv.index_to_key[:10], vectors)
    return kv


def _text_lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _damaged(case: str, files: Path, tmp: Path, w2v_model) -> tuple[Path, int | None]:
    """A damaged copy of a real file and the line (row) the error must name."""
    n = len(w2v_model.wv)
    path = tmp / f"{case}.data"
    if case == "empty":
        path.write_bytes(b"")
        return path, None
    if case == "unknown format":
        path.write_text(json.dumps({"vectors": [1, 2, 3]}))
        return path, 1
    if case == "binary truncated":
        cut = _rows_bytes(files / "w2v.bin", 7) + 50
        path.write_bytes((files / "w2v.bin").read_bytes()[:cut])
        return path, 7
    if case in ("binary count too large", "binary count too small"):
        total = n + 3 if case.endswith("large") else n - 2
        w2v_model.wv.save_word2vec_format(str(path), binary=True, total_vec=total)
        return path, n + 1 if case.endswith("large") else n - 1
    if case == "binary header broken":
        path.write_bytes(b"lots of 32\n" + (files / "w2v.bin").read_bytes().split(b"\n", 1)[1])
        return path, 1
    if case == "binary nan":
        _nan_kv(w2v_model, 3).save_word2vec_format(str(path), binary=True)
        return path, 4
    if case == "text nan":
        _nan_kv(w2v_model, 3).save_word2vec_format(str(path))
        return path, 5  # header + 4th row
    lines = _text_lines(files / "w2v.txt")
    if case == "text ragged row":
        lines[5] = lines[5].rsplit(b" ", 1)[0] + b"\n"
        at = 6
    elif case == "text non-numeric":
        fields = lines[8].split(b" ")
        fields[3] = b"0.1x"
        lines[8], at = b" ".join(fields), 9
    elif case == "text count too large":
        lines[0], at = f"{n + 4} 32\n".encode(), n + 1
    elif case == "text count too small":
        lines[0], at = f"{n - 3} 32\n".encode(), n - 1  # the first row beyond the count
    else:
        raise AssertionError(case)
    path.write_bytes(b"".join(lines))
    return path, at


BAD = [
    "empty",
    "unknown format",
    "binary truncated",
    "binary count too large",
    "binary count too small",
    "binary header broken",
    "binary nan",
    "text nan",
    "text ragged row",
    "text non-numeric",
    "text count too large",
    "text count too small",
]


@pytest.mark.parametrize("case", BAD)
def test_bad_content_names_file_and_line(case, files, tmp_path, w2v_model):
    path, line = _damaged(case, files, tmp_path, w2v_model)
    with pytest.raises(VectorFormatError) as info:
        load_vectors(path)
    err = info.value
    assert err.path == str(path)
    assert str(err).startswith(str(path))
    if line is not None:
        assert err.line == line
        assert f"{path}:{line}:" in str(err)


def test_binary_format_forced_on_headerless_text(files):
    with pytest.raises(VectorFormatError, match="header") as info:
        load_vectors(files / "glove.txt", format="binary")
    assert f"{files / 'glove.txt'}:1:" in str(info.value)


@pytest.mark.parametrize("case", ["binary truncated", "binary nan"])
def test_damage_in_skipped_rows_still_stops_a_subset_load(case, files, tmp_path, w2v_model):
    """Truncation is found whatever is wanted; NaN only in rows that are loaded."""
    path, line = _damaged(case, files, tmp_path, w2v_model)
    vocab = w2v_model.wv.index_to_key
    if case == "binary truncated":
        with pytest.raises(VectorFormatError) as info:
            load_vectors(path, words=[vocab[0]])
        assert info.value.line == line
    else:
        wv = load_vectors(path, words=[vocab[0], vocab[9]])
        assert wv.words == [vocab[0], vocab[9]]


def test_truncated_fasttext_bin_is_a_format_error(files, tmp_path):
    data = (files / "ft.bin").read_bytes()
    path = tmp_path / "cut.bin"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(VectorFormatError) as info:
        load_vectors(path)
    assert str(path) in str(info.value)


def test_fasttext_magic_is_little_endian_793712314(files):
    assert struct.unpack("<i", (files / "ft.bin").read_bytes()[:4]) == (793712314,)


# ------------------------------------------------------------------ in memory


def _inputs(w2v_model):
    kv = w2v_model.wv
    return {
        "model": w2v_model,
        "keyed vectors": kv,
        "pair": (list(kv.index_to_key), kv.vectors.copy()),
        "dict": {w: kv[w].copy() for w in kv.index_to_key},
    }


@pytest.mark.parametrize("kind", ["model", "keyed vectors", "pair", "dict"])
def test_in_memory_sources(kind, w2v_model):
    source = _inputs(w2v_model)[kind]
    kv = w2v_model.wv
    before = kv.vectors.copy()
    assert_rows_match(load_vectors(source), kv)
    words = [kv.index_to_key[i] for i in (40, 2, 7)] + ["notaword"]
    wv = load_vectors(source, words=words, limit=30)
    assert_rows_match(wv, kv, words=words, limit=30)
    assert wv.vocab_size == len(kv)
    wv.vectors[:] = 0  # the result is a copy
    np.testing.assert_array_equal(kv.vectors, before)


def test_in_memory_case_insensitive(w2v_model):
    kv = w2v_model.wv
    source = {"Zebra": kv.vectors[0], "zebra": kv.vectors[1], "other": kv.vectors[2]}
    wv = load_vectors(source, words=["ZEBRA"], case_sensitive=False)
    assert wv.words == ["Zebra", "zebra"] and wv.ranks.tolist() == [0, 1]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"a": np.ones(3), "b": np.ones(4)}, "'b' has shape"),
        ((["a", "b"], np.ones((3, 4))), "shape"),
        ((["a", "b"], np.array([[1.0, np.nan], [0.0, 1.0]])), "'a' contains NaN"),
        ({}, "empty"),
    ],
)
def test_bad_in_memory_input(source, message):
    with pytest.raises(VectorFormatError, match=message):
        load_vectors(source)


# ------------------------------------------------------------- the rest of the API


def test_words_must_not_be_a_single_string(files):
    with pytest.raises(TypeError, match="iterable of str"):
        load_vectors(files / "w2v.txt", words="cat")


def test_progress_bar_stays_quiet_for_a_fast_read(files, capsys):
    wv = load_vectors(files / "w2v.bin", progress=True)
    assert_rows_match(wv, oracle(files / "w2v.bin"))
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_importing_w2veval_io_stays_light():
    code = (
        "import sys, w2veval.io; "
        "print(sorted(m for m in ('gensim', 'pandas', 'scipy', 'boto3', 'tqdm') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("keep", [40, 92, 200, 2000, -1000])
def test_fasttext_bin_cut_anywhere_is_a_format_error(files, tmp_path, keep):
    """Cut in the header, the vocabulary (where gensim alone would loop forever) or the matrix."""
    data = (files / "ft.bin").read_bytes()
    path = tmp_path / "cut.bin"
    path.write_bytes(data[:keep])
    with pytest.raises(VectorFormatError, match="truncated fastText") as info:
        load_vectors(path, format="fasttext" if keep < 92 else "auto")
    assert str(info.value).startswith(str(path))
