"""The mean of all the vectors of a source, in one streaming pass.

``oov="mean"`` gives an unknown word the mean of *every* vector in the file, as
word-embeddings-benchmarks does, while scoring loads only the gold-set words. This
module reads the file once more and adds the rows up as it goes (in float64), chunk
by chunk, so that a multi-gigabyte file never sits in memory.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from .._limits import max_line_bytes
from ..errors import VectorFormatError
from ._binary import CHUNK_BYTES as BINARY_CHUNK_BYTES
from ._binary import _refuse_extra_rows, read_binary_header, word_too_long
from ._detect import detect_format, normalise_format
from ._header import check_limit
from ._text import _Rows, scan_text

if TYPE_CHECKING:
    from .._typing import VectorsSource

__all__ = ["mean_vector"]

_SUM_EVERY_BYTES = 1 << 22  # binary rows are added up in blocks of about this size


def mean_vector(
    source: VectorsSource, *, format: str = "auto", limit: int | None = None, trust: bool = False
) -> np.ndarray:
    """The mean of all the vectors of ``source`` (float64, shape ``(dim,)``).

    Parameters
    ----------
    source : path, s3:// URL, tar archive, KeyedVectors, (words, matrix), dict or WordVectors
        As for :func:`w2veval.load_vectors`. Files (plain, gzip/bz2/xz, tar members,
        S3) are read in one pass that adds the rows up as it goes; nothing but the
        running sum and the current chunk is held. Vectors in memory are averaged
        directly. fastText ``.bin`` and gensim pickles are loaded by gensim (which
        holds them whole) and averaged.
    format : str, default "auto"
        As for :func:`w2veval.load_vectors`.
    limit : int, optional
        Average only the first ``limit`` rows (the vocabulary ``restrict_vocab`` keeps).
    trust : bool, default False
        Allow gensim pickles, as for :func:`w2veval.load_vectors`.

    Raises
    ------
    VectorFormatError
        Malformed content (named by file and line, as the loaders name it), or no rows.

    Examples
    --------
    >>> mean_vector({"cat": [1.0, 0.0], "dog": [0.0, 1.0], "car": [2.0, 2.0]}).tolist()
    [1.0, 1.0]
    >>> mean_vector({"cat": [1.0, 0.0], "dog": [0.0, 1.0], "car": [2.0, 2.0]}, limit=2).tolist()
    [0.5, 0.5]
    """
    from ..vectors import WordVectors
    from ._memory import from_memory, is_in_memory

    fmt = normalise_format(format)
    limit = check_limit(limit)
    if isinstance(source, WordVectors):
        # Loaded vectors: only their rows are known here (all of them unless loaded with words=).
        return _mean_of(
            source.vectors if limit is None else source.vectors[source.ranks < limit], source.source
        )
    if is_in_memory(source):
        kv = getattr(source, "wv", source)
        if hasattr(kv, "index_to_key") and hasattr(kv, "vectors"):  # gensim: no copy of its matrix
            return _mean_of(np.asarray(kv.vectors)[:limit], "<memory>")
        return _mean_of(from_memory(source, match=None, limit=limit).vectors, "<memory>")
    if not isinstance(source, (str, bytes, os.PathLike)):
        raise TypeError(
            f"cannot average vectors from a {type(source).__name__}; pass a path, an "
            "s3:// URL, a gensim KeyedVectors or model, a (words, ndarray) pair or a dict"
        )

    from ._sources import open_source

    with open_source(source) as opened:
        if fmt == "auto":
            fmt = detect_format(opened.head, name=opened.name)
        if fmt in ("text", "glove"):
            total, n = _text_sum(opened.stream, name=opened.name, limit=limit, header=fmt == "text")
        elif fmt == "binary":
            total, n = _binary_sum(opened.stream, name=opened.name, limit=limit)
        else:
            from ._gensim import load_fasttext, load_pickle

            loaded = (
                load_fasttext(opened, match=None, limit=limit)
                if fmt == "fasttext"
                else load_pickle(opened, match=None, limit=limit, trust=trust)
            )
            return _mean_of(loaded.vectors, opened.name)
        if n == 0:
            raise VectorFormatError("no vectors to average", path=opened.name)
        return total / n


def _mean_of(matrix: np.ndarray, name: str) -> np.ndarray:
    if len(matrix) == 0:
        raise VectorFormatError("no vectors to average", path=name)
    return np.asarray(matrix, dtype=np.float32).sum(axis=0, dtype=np.float64) / len(matrix)


class _Sum(_Rows):
    """A row store for :func:`~w2veval.io._text.scan_text` that keeps only a running sum."""

    def __init__(self, name: str, dim: int | None):
        super().__init__(name, dim)
        self.total: np.ndarray | None = None
        self.n = 0

    def _store(self, block: np.ndarray) -> None:
        part = block.sum(axis=0, dtype=np.float64)
        self.total = part if self.total is None else self.total + part
        self.n += len(block)
        self.words, self.ranks, self.lines = [], [], []  # only the pending rows are kept


def _text_sum(stream, *, name: str, limit: int | None, header: bool) -> tuple[np.ndarray, int]:
    """Sum and count of the rows of word2vec/GloVe text, in the reader's own chunked scan."""
    rows, _, _ = scan_text(stream, name=name, make_rows=_Sum, limit=limit, header=header)
    return (rows.total if rows.total is not None else np.zeros(rows.dim or 0)), rows.n


def _binary_sum(stream, *, name: str, limit: int | None) -> tuple[np.ndarray, int]:
    """Sum and count of the rows of word2vec C binary, block by block (as ``read_binary`` reads)."""
    count, dim = read_binary_header(stream, name)
    max_word = max_line_bytes()
    wanted = count if limit is None else min(count, limit)
    row_bytes = 4 * dim
    total = np.zeros(dim, dtype=np.float64)
    block = bytearray()
    first_row_of_block = 0
    buf, pos = b"", 0

    def add_block(first_row: int) -> None:
        matrix = np.frombuffer(bytes(block), dtype="<f4").reshape(-1, dim)
        bad = ~np.isfinite(matrix).all(axis=1)
        if bad.any():
            row = first_row + int(np.argmax(bad)) + 1
            raise VectorFormatError(f"row {row} contains NaN or infinity", path=name, line=row)
        total[:] += matrix.sum(axis=0, dtype=np.float64)
        block.clear()

    for rank in range(wanted):
        space = buf.find(b" ", pos)
        while space < 0 or len(buf) < space + 1 + row_bytes:
            if space < 0 and len(buf) - pos > max_word:
                raise word_too_long(name, rank + 1, max_word)
            chunk = stream.read(BINARY_CHUNK_BYTES)
            if not chunk:
                if space < 0 and not buf[pos:].strip():
                    raise VectorFormatError(
                        f"the header declares {count} rows but the file ends after {rank}",
                        path=name,
                        line=rank + 1,
                    )
                raise VectorFormatError(
                    f"row {rank + 1} of the {count} the header declares is truncated "
                    f"(after {rank} complete rows)",
                    path=name,
                    line=rank + 1,
                )
            buf, pos = buf[pos:] + chunk, 0
            space = buf.find(b" ", pos)
        if space - pos > max_word:
            raise word_too_long(name, rank + 1, max_word)
        if not buf[pos:space].lstrip(b"\n"):
            raise VectorFormatError(f"row {rank + 1} has an empty word", path=name, line=rank + 1)
        end = space + 1 + row_bytes
        block += buf[space + 1 : end]
        pos = end
        if len(block) >= _SUM_EVERY_BYTES:
            add_block(first_row_of_block)
            first_row_of_block = rank + 1
    if block:
        add_block(first_row_of_block)
    if wanted == count:
        _refuse_extra_rows(stream, buf[pos:], count, name, None)
    return total, wanted
