"""Streaming reader for the word2vec C binary format.

Layout: a text header ``<count> <dim>\\n``, then per row the word's UTF-8 bytes, one
space, ``dim`` little-endian float32 values and, from the original C tool, an
optional ``\\n`` (which then shows up at the start of the next word and is
dropped, as gensim does). Rows that are not wanted are stepped over without
converting their bytes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._limits import max_line_bytes
from ..errors import VectorFormatError
from ..vectors import WordVectors
from ._header import BINARY_VALUE_BYTES, check_limit, line_too_long, read_header, refuse_wide
from ._tokens import decode_words, show

__all__ = ["CHUNK_BYTES", "read_binary", "read_binary_header", "word_too_long"]

#: Bytes read from the stream at a time.
CHUNK_BYTES = 1 << 20


def read_binary_header(stream, name: str, progress=None) -> tuple[int, int]:
    """``(count, dim)`` from the header line of word2vec binary.

    The dimension is refused when one row of float32 values would not fit in the line
    limit (``W2VEVAL_MAX_LINE_BYTES``): each row is held whole while it is read.
    """
    header = stream.readline(1024)
    if progress is not None:
        progress.update(len(header))
    if not header.strip():
        raise VectorFormatError("the file is empty", path=name)
    refuse_wide(header, name)
    declared = read_header(header, name=name, value_bytes=BINARY_VALUE_BYTES)
    assert declared is not None, "a required header is read or refused, never None"
    return declared


def word_too_long(name: str, row: int, limit: int) -> VectorFormatError:
    """The error for a word longer than ``limit`` bytes: a row is held whole while it is read."""
    return line_too_long(name, row, limit, what=f"word of row {row}")


def read_binary(
    stream,
    *,
    name: str,
    match: Callable[[bytes], object] | None = None,
    limit: int | None = None,
    progress=None,
) -> WordVectors:
    """Read word2vec C binary vectors from a binary stream.

    Parameters
    ----------
    stream : binary file object
        Positioned at the start of the header line.
    name : str
        How the source is named in messages.
    match : callable, optional
        ``token -> key or None``; rows whose word gives ``None`` are skipped
        without converting their floats. ``None`` keeps every row.
    limit : int, optional
        Consider only the first ``limit`` rows, and stop reading after them.
    progress : object with ``update(nbytes)``, optional
        Told how many bytes have been read.

    Returns
    -------
    WordVectors
        ``ranks`` give each kept word's 0-based row; ``vocab_size`` is the
        header's count.

    Raises
    ------
    VectorFormatError
        At line 1 for a damaged header. With ``line`` set to the 1-based row number (the
        header not counted) for a truncated row, an empty word, a word longer than the
        line limit, NaN or infinite values, or data after the ``count`` rows the header
        declares (gensim ignores that data; we refuse, as it means the header is wrong).
        Values of skipped rows are not checked.
    """
    limit = check_limit(limit)
    count, dim = read_binary_header(stream, name, progress)
    max_word = max_line_bytes()
    wanted = count if limit is None else min(count, limit)
    row_bytes = 4 * dim

    buf = b""
    pos = 0

    def more(row: int, what: str) -> None:
        nonlocal buf, pos
        chunk = stream.read(CHUNK_BYTES)
        if progress is not None:
            progress.update(len(chunk))
        if not chunk:
            if what == "its word" and not buf[pos:].strip():
                raise VectorFormatError(
                    f"the header declares {count} rows but the file ends after {row - 1}", path=name, line=row
                )
            raise VectorFormatError(
                f"row {row} of the {count} the header declares is truncated: the file "
                f"ends inside {what} (after {row - 1} complete rows)",
                path=name,
                line=row,
            )
        buf = buf[pos:] + chunk
        pos = 0

    ascii_keys = getattr(match, "ascii_keys", None)
    fold = not getattr(match, "case_sensitive", True)
    tokens: list[bytes] = []
    ranks: list[int] = []
    kept = bytearray()
    for rank in range(wanted):
        space = buf.find(b" ", pos)
        while space < 0:
            if len(buf) - pos > max_word:
                raise word_too_long(name, rank + 1, max_word)
            searched = len(buf) - pos
            more(rank + 1, "its word")
            space = buf.find(b" ", searched)
        if space - pos > max_word:
            raise word_too_long(name, rank + 1, max_word)
        end = space + 1 + row_bytes
        if len(buf) < end:
            offset = pos
            while len(buf) - pos < end - offset:
                more(rank + 1, "its vector")
            space, end = space - offset, end - offset
        token = buf[pos:space].lstrip(b"\n")
        if not token:
            raise VectorFormatError(f"row {rank + 1} has an empty word", path=name, line=rank + 1)
        if ascii_keys is not None and token.isascii():  # inline: no call per row for ASCII words
            wanted_row = (token.lower() if fold else token) in ascii_keys
        else:
            wanted_row = match is None or match(token) is not None
        if wanted_row:
            tokens.append(token)
            ranks.append(rank)
            kept += buf[space + 1 : end]
        pos = end

    if wanted == count:
        _refuse_extra_rows(stream, buf[pos:], count, name, progress)
    matrix = np.frombuffer(kept, dtype="<f4").reshape(-1, dim).astype(np.float32)
    bad = ~np.isfinite(matrix).all(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        raise VectorFormatError(
            f"row {ranks[row] + 1} (word {show(tokens[row])}) contains NaN or infinity",
            path=name,
            line=ranks[row] + 1,
        )
    return WordVectors(
        decode_words(tokens, name, [r + 1 for r in ranks]), matrix, ranks=ranks, source=name, vocab_size=count
    )


def _refuse_extra_rows(stream, tail: bytes, count: int, name: str, progress) -> None:
    """Raise if anything but whitespace follows the last declared row."""
    if not tail.strip():
        tail = stream.read(CHUNK_BYTES)
        if progress is not None:
            progress.update(len(tail))
    if tail.strip():
        raise VectorFormatError(
            f"the header declares {count} rows but more data follows them "
            "(a wrong count or dimension in the header?)",
            path=name,
            line=count + 1,
        )
