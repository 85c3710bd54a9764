"""Sources: compressed files, BlazingText archives and folders, hostile tars, missing files.

Every archive is built here from files gensim wrote for a really trained model; the
expected vectors come from gensim reading the uncompressed file.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tarfile
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from w2veval.errors import VectorFormatError, VectorSourceError
from w2veval.io import _sources, load_vectors


def assert_rows_match(wv, kv, words=None, limit=None):
    """``wv`` holds exactly the rows of gensim's ``kv`` that are wanted, in file order."""
    keys = kv.index_to_key[:limit]
    expected = [k for k in keys if words is None or k in set(words)]
    assert wv.words == expected
    assert wv.ranks.tolist() == [kv.key_to_index[k] for k in expected]
    for word, vector in zip(wv.words, wv.vectors, strict=True):
        np.testing.assert_array_equal(vector, kv[word])


@pytest.fixture(scope="module")
def plain(tmp_path_factory, w2v_model):
    """vectors.txt / vectors.bin / eval.json as BlazingText writes them, plus gensim's view."""
    d = tmp_path_factory.mktemp("blazingtext")
    w2v_model.wv.save_word2vec_format(str(d / "vectors.txt"))
    w2v_model.wv.save_word2vec_format(str(d / "vectors.bin"), binary=True)
    (d / "eval.json").write_text(json.dumps({"mean_rho": 0.5}))
    text = KeyedVectors.load_word2vec_format(str(d / "vectors.txt"))
    binary = KeyedVectors.load_word2vec_format(str(d / "vectors.bin"), binary=True)
    return d, text, binary


def build_tar(path: Path, members, mode="w:gz") -> Path:
    """A tar of ``(name, bytes or TarInfo)`` members, built in memory."""
    with tarfile.open(path, mode) as tar:
        for name, content in members:
            if isinstance(content, tarfile.TarInfo):
                tar.addfile(content)
            else:
                info = tarfile.TarInfo(name)
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    return path


def blazingtext_members(d: Path):
    return [
        ("vectors.bin", (d / "vectors.bin").read_bytes()),
        ("eval.json", (d / "eval.json").read_bytes()),
        ("vectors.txt", (d / "vectors.txt").read_bytes()),
    ]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty current directory, to prove nothing gets extracted."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def spooled():
    return {p for p in os.listdir(tempfile.gettempdir()) if p.startswith("w2veval-spool-")}


# ----------------------------------------------------------------- compression


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
@pytest.mark.parametrize("binary", [False, True])
def test_compressed_files_written_by_gensim(tmp_path, w2v_model, suffix, binary):
    path = tmp_path / f"vectors.{'bin' if binary else 'txt'}{suffix}"
    w2v_model.wv.save_word2vec_format(str(path), binary=binary)  # gensim compresses by suffix
    kv = KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert_rows_match(load_vectors(path), kv)
    words = kv.index_to_key[100:110]
    assert_rows_match(load_vectors(path, words=words, limit=105), kv, words=words, limit=105)


def test_compression_is_told_by_magic_bytes_not_name(tmp_path, plain):
    d, text, _ = plain
    path = tmp_path / "vectors.txt"  # gzip content under a plain name
    path.write_bytes(gzip.compress((d / "vectors.txt").read_bytes()))
    assert_rows_match(load_vectors(path), text)


def test_glove_gzip(tmp_path, w2v_model):
    path = tmp_path / "glove.6B.32d.txt.gz"
    w2v_model.wv.save_word2vec_format(str(path), write_header=False)
    kv = KeyedVectors.load_word2vec_format(str(path), no_header=True)
    assert_rows_match(load_vectors(path), kv)


@pytest.mark.parametrize("damage", ["truncated", "corrupted"])
def test_damaged_gzip_is_a_format_error_naming_the_file(tmp_path, plain, damage):
    d, _, _ = plain
    data = bytearray(gzip.compress((d / "vectors.txt").read_bytes()))
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    path = tmp_path / "damaged.txt.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(VectorFormatError) as info:
        load_vectors(path)
    assert str(info.value).startswith(str(path))


def test_decompression_bomb_guard(tmp_path, monkeypatch):
    row = b"zero " + b" ".join([b"0.0"] * 300) + b"\n"
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(row * 5000, compresslevel=9))
    monkeypatch.setattr(_sources, "RATIO_GRACE_BYTES", 100_000)
    with pytest.raises(VectorFormatError, match="decompression bomb") as info:
        load_vectors(path)
    assert str(path) in str(info.value)


# -------------------------------------------------------- BlazingText archives


@pytest.mark.parametrize("mode", ["w:gz", "w", "w:bz2", "w:xz"])
def test_blazingtext_model_tar(tmp_path, workdir, plain, mode):
    d, text, _ = plain
    archive = build_tar(tmp_path / "model.tar.gz", blazingtext_members(d), mode)
    before = spooled()
    wv = load_vectors(archive)
    assert_rows_match(wv, text)
    assert wv.source == f"{archive}[vectors.txt]"
    words = [*text.index_to_key[10:20], "notaword"]
    assert_rows_match(load_vectors(archive, words=words, limit=15), text, words=words, limit=15)
    assert list(workdir.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.tar.gz", "work"]
    assert spooled() == before


def test_tar_member_in_a_folder(tmp_path, plain):
    d, text, _ = plain
    archive = build_tar(
        tmp_path / "model.tar.gz", [("./output/vectors.txt", (d / "vectors.txt").read_bytes())]
    )
    wv = load_vectors(archive)
    assert_rows_match(wv, text)
    assert wv.source == f"{archive}[./output/vectors.txt]"


def test_error_inside_the_member_names_archive_and_member(tmp_path, plain):
    d, _, _ = plain
    lines = (d / "vectors.txt").read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b" ", b" oops", 1)  # a non-numeric value ("oops-0.12")
    archive = build_tar(tmp_path / "model.tar.gz", [("vectors.txt", b"".join(lines))])
    with pytest.raises(VectorFormatError) as info:
        load_vectors(archive)
    assert str(info.value).startswith(f"{archive}[vectors.txt]:4:")


def test_truncated_tar_member(tmp_path, plain):
    d, _, _ = plain
    archive = build_tar(tmp_path / "model.tar", blazingtext_members(d), "w")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) - 40_000])  # cuts vectors.txt, the last member
    with pytest.raises(VectorFormatError) as info:
        load_vectors(archive)
    assert str(archive) in str(info.value)


def test_member_size_cap(tmp_path, plain, monkeypatch):
    d, _, _ = plain
    archive = build_tar(tmp_path / "model.tar.gz", blazingtext_members(d))
    monkeypatch.setattr(_sources, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(VectorFormatError, match=r"'vectors\.txt' is .* bytes, above") as info:
        load_vectors(archive)
    assert str(archive) in str(info.value)


def _link(name, kind, target):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def _device(name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.CHRTYPE
    info.devmajor, info.devminor = 1, 3
    return info


@pytest.mark.parametrize(
    ("bad", "member", "problem"),
    [
        ("absolute", "ABSOLUTE", "absolute path"),
        ("dotdot", "../escaped.txt", "'..'"),
        ("nested dotdot", "model/../../escaped.txt", "'..'"),
        ("symlink as vectors.txt", "vectors.txt", "symbolic link"),
        ("hardlink", "vectors.txt", "hard link"),
        ("device", "dev/null", "device"),
    ],
)
def test_hostile_tar_members_are_refused(tmp_path, workdir, plain, bad, member, problem):
    d, _, _ = plain
    escaped = Path(tempfile.gettempdir()) / f"w2veval-escape-{uuid.uuid4().hex}.txt"
    if member == "ABSOLUTE":
        member = str(escaped)
    content = {
        "symlink as vectors.txt": _link(member, tarfile.SYMTYPE, "/etc/passwd"),
        "hardlink": _link(member, tarfile.LNKTYPE, "/etc/passwd"),
        "device": _device(member),
    }.get(bad, b"1 2\nevil 0.5 0.5\n")
    archive = build_tar(
        tmp_path / "model.tar.gz", [("eval.json", b"{}"), (member, content), *blazingtext_members(d)]
    )
    with pytest.raises(VectorFormatError, match=problem) as info:
        load_vectors(archive)
    message = str(info.value)
    assert message.startswith(str(archive)) and repr(member) in message
    assert list(workdir.iterdir()) == []
    assert not escaped.exists()
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_tar_without_vectors_txt_lists_its_members(tmp_path, plain):
    d, _, _ = plain
    archive = build_tar(
        tmp_path / "model.tar.gz", [m for m in blazingtext_members(d) if m[0] != "vectors.txt"]
    )
    with pytest.raises(VectorFormatError, match=re.escape("no vectors.txt")) as info:
        load_vectors(archive)
    assert str(archive) in str(info.value)
    assert "vectors.bin, eval.json" in str(info.value)


# ----------------------------------------------------------- extracted folders


def test_folder_prefers_vectors_txt(plain):
    d, text, _ = plain
    wv = load_vectors(d)
    assert wv.source == str(d / "vectors.txt")
    assert_rows_match(wv, text)


def test_folder_falls_back_to_vectors_bin(tmp_path, plain):
    d, _, binary = plain
    (tmp_path / "vectors.bin").write_bytes((d / "vectors.bin").read_bytes())
    wv = load_vectors(str(tmp_path))
    assert wv.source == str(tmp_path / "vectors.bin")
    assert_rows_match(wv, binary)


def test_folder_without_vectors(tmp_path):
    (tmp_path / "eval.json").write_text("{}")
    with pytest.raises(VectorSourceError, match=re.escape("eval.json")) as info:
        load_vectors(tmp_path)
    assert str(info.value).startswith(str(tmp_path))


# ------------------------------------------------------------------ local files


def test_missing_file(tmp_path):
    path = tmp_path / "nope" / "vectors.txt"
    with pytest.raises(VectorSourceError, match="no such file") as info:
        load_vectors(path)
    assert str(info.value).startswith(str(path))
    assert isinstance(info.value, OSError)


def test_unopenable_path(tmp_path):
    (tmp_path / "afile").write_bytes(b"1 2\na 0 0\n")
    path = tmp_path / "afile" / "vectors.txt"  # a file used as a folder
    with pytest.raises(VectorSourceError, match="cannot open") as info:
        load_vectors(path)
    assert str(info.value).startswith(str(path))


def test_home_is_expanded(plain, monkeypatch):
    d, text, _ = plain
    monkeypatch.setenv("HOME", str(d.parent))
    assert_rows_match(load_vectors(f"~/{d.name}/vectors.txt"), text)


def test_fasttext_bin_inside_gzip_is_spooled_and_removed(tmp_path, fasttext_model):
    from gensim.models.fasttext import load_facebook_vectors, save_facebook_model

    save_facebook_model(fasttext_model, str(tmp_path / "ft.bin"))
    kv = load_facebook_vectors(str(tmp_path / "ft.bin"))
    path = tmp_path / "ft.bin.gz"
    path.write_bytes(gzip.compress((tmp_path / "ft.bin").read_bytes(), compresslevel=1))
    before = spooled()
    wv = load_vectors(path, words=kv.index_to_key[:5])
    assert_rows_match(wv, kv, words=kv.index_to_key[:5])
    np.testing.assert_array_equal(wv["unseenword"], kv["unseenword"])
    assert spooled() == before


def test_zip_archives_get_a_hint(tmp_path, plain):
    import zipfile

    d, _, _ = plain
    path = tmp_path / "vectors.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(d / "vectors.txt", "vectors.txt")
    with pytest.raises(VectorFormatError, match="unzip it first") as info:
        load_vectors(path)
    assert str(info.value).startswith(str(path))


@pytest.mark.parametrize("source", [42, ["vectors.txt"], None])
def test_unsupported_source_types(source):
    with pytest.raises(TypeError, match="cannot load vectors from a"):
        load_vectors(source)
