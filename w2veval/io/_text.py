"""Streaming reader for word2vec text (with ``<count> <dim>`` header) and GloVe text.

The file is read in large chunks; a row whose first token is not wanted is
skipped without touching its numbers, which is what makes scoring a 400k-word
file take a fraction of a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .._limits import max_line_bytes
from .._numbers import is_number_bytes
from ..errors import VectorFormatError
from ..vectors import WordVectors
from ._header import check_limit, line_too_long, parse_header, read_header, refuse_wide
from ._scan import LineScan
from ._tokens import decode_words, show

__all__ = ["parse_header", "read_text", "scan_text"]

CHUNK_BYTES = 1 << 22
_FIELD = re.compile(rb"\S+")
_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _number_like(value: bytes) -> bool:
    """Whether Python would read ``value`` as a number: such a field is never part of a word."""
    try:
        float(value)
    except ValueError:
        return False
    return True


def _why_not_a_number(value: bytes) -> str:
    """What is wrong with a value outside the number grammar, when it is a common slip."""
    if b"_" in value:
        return " (digit-group underscores are not part of a number)"
    if not value.isascii():
        return " (only ASCII digits make a number)"
    if b"," in value:
        return " (a decimal comma? numbers are written with a point)"
    if value.lstrip(b"+-").lower().startswith(b"0x"):
        return " (hexadecimal is not read)"
    return ""


class _Rows:
    """Accumulates the kept rows of one file, chunk by chunk."""

    def __init__(self, name: str, dim: int | None):
        self.name = name
        self.dim = dim
        self.words: list[bytes] = []
        self.ranks: list[int] = []
        self.lines: list[int] = []
        self.blocks: list[np.ndarray] = []
        self._values: list[bytes] = []

    def add(self, token: bytes, rest: bytes, rank: int, line_no: int, match=None) -> None:
        """Keep one row; ``match`` re-checks a word found to contain spaces."""
        values = rest.split()
        if self.dim is None:
            if not values:
                raise VectorFormatError("row has a word but no numbers", path=self.name, line=line_no)
            self.dim = len(values)
        if len(values) != self.dim:
            token, values = self._spaced_word(token, rest, values, line_no)
            if match is not None and match(token) is None:
                return
        if b"_" in rest:  # numpy reads 7_5 as 75; the number grammar does not
            self._refuse_underscore(token, values, line_no)
        self.words.append(token)
        self.ranks.append(rank)
        self.lines.append(line_no)
        self._values.extend(values)

    def _spaced_word(self, token: bytes, rest: bytes, values: list, line_no: int):
        """The word and values of a row with more fields than ``dim + 1``.

        fastText ``.vec`` and GloVe 840B files have a few words with a space inside
        ("ivory coast", ". . ."): the last ``dim`` fields are the vector and the word is
        everything before them. Extra fields that are all numbers are not a word but a
        ragged row, and so is a row with too few fields.
        """
        extra = len(values) - self._known_dim()
        if extra > 0 and not all(_number_like(v) for v in values[:extra]):
            start = [m.start() for m in _FIELD.finditer(rest, 0)][extra]
            return token + b" " + rest[:start].rstrip(), values[extra:]
        raise VectorFormatError(
            f"row for {show(token)} has {len(values)} values, expected {self.dim} "
            "(dimension mismatch or ragged row)",
            path=self.name,
            line=line_no,
        )

    def _known_dim(self) -> int:
        assert self.dim is not None, "the first row added sets dim; no values are held before it"
        return self.dim

    def flush(self) -> None:
        """Convert the values gathered since the last flush in one numpy call."""
        if not self._values:
            return
        dim = self._known_dim()
        first = len(self.lines) - len(self._values) // dim
        try:
            with np.errstate(over="ignore"):  # a value beyond float32 is reported below
                block = np.array(self._values, dtype=np.float32).reshape(-1, dim)
        except ValueError:
            self._raise_bad_number(first)
        bad = ~np.isfinite(block).all(axis=1)
        if bad.any():
            self._raise_non_finite(first, int(np.argmax(bad)))
        self._store(block)
        self._values = []

    def _store(self, block: np.ndarray) -> None:
        self.blocks.append(block)

    def _refuse_underscore(self, token: bytes, values: list, line_no: int) -> None:
        for value in values:
            if b"_" in value:
                raise VectorFormatError(
                    f"non-numeric value {show(value)} in the row for {show(token)}{_why_not_a_number(value)}",
                    path=self.name,
                    line=line_no,
                )

    def _raise_bad_number(self, first: int):
        dim = self._known_dim()
        for offset in range(len(self._values) // dim):
            for value in self._values[offset * dim : (offset + 1) * dim]:
                if not is_number_bytes(value):
                    row = first + offset
                    raise VectorFormatError(
                        f"non-numeric value {show(value)} in the row for {show(self.words[row])}"
                        f"{_why_not_a_number(value)}",
                        path=self.name,
                        line=self.lines[row],
                    )
        raise VectorFormatError("non-numeric value", path=self.name)

    def _raise_non_finite(self, first: int, offset: int):
        """Name the row; a finite number beyond float32 (``1e39``) is said to be one."""
        row = first + offset
        dim = self._known_dim()
        values = self._values[offset * dim : (offset + 1) * dim]
        for value in values:
            number = float(value)
            if abs(number) > _FLOAT32_MAX and abs(number) != float("inf"):
                raise VectorFormatError(
                    f"value {show(value)} in the row for {show(self.words[row])} is beyond the "
                    f"float32 range (largest {_FLOAT32_MAX:.4g})",
                    path=self.name,
                    line=self.lines[row],
                )
        raise VectorFormatError(
            f"row for {show(self.words[row])} contains NaN or infinity", path=self.name, line=self.lines[row]
        )

    def matrix(self) -> np.ndarray:
        self.flush()
        if not self.blocks:
            return np.zeros((0, self.dim or 0), dtype=np.float32)
        return self.blocks[0] if len(self.blocks) == 1 else np.concatenate(self.blocks)


def read_text(
    stream,
    *,
    name: str,
    match: Callable[[bytes], object] | None = None,
    limit: int | None = None,
    header: bool | None = None,
    progress=None,
) -> WordVectors:
    """Read word2vec/GloVe text from a binary stream.

    Parameters
    ----------
    stream : binary file object
        Positioned at the start of the text.
    name : str
        How the source is named in messages.
    match : callable, optional
        ``token -> key or None``; rows whose first token gives ``None`` are
        skipped without parsing their numbers. ``None`` keeps every row.
    limit : int, optional
        Consider only the first ``limit`` rows, and stop reading after them.
    header : bool, optional
        Whether the first line is a ``<count> <dim>`` header; detected when ``None``.
    progress : object with ``update(nbytes)``, optional
        Told how many bytes have been read.

    Returns
    -------
    WordVectors
        With ``ranks`` giving each kept word's row position in the file.
    """
    rows, n_rows, count = scan_text(
        stream, name=name, match=match, limit=limit, header=header, progress=progress
    )
    words = decode_words(rows.words, name, rows.lines)
    return WordVectors(
        words, rows.matrix(), ranks=rows.ranks, source=name, vocab_size=count if count is not None else n_rows
    )


def scan_text(
    stream,
    *,
    name: str,
    make_rows=None,
    match=None,
    limit: int | None = None,
    header: bool | None = None,
    progress=None,
):
    """Walk word2vec/GloVe text chunk by chunk, handing the kept rows to a row store.

    ``make_rows(name, dim)`` builds the store (default :class:`_Rows`, which keeps the
    rows; the streaming mean keeps only a sum). Returns ``(rows, n_rows, count)``: the
    store, the number of rows read and the header's count (``None`` without header).
    Memory stays bounded by the chunk size plus the line limit
    (:func:`~w2veval._limits.max_line_bytes`): a longer line is refused, not gathered.
    """
    limit = check_limit(limit)
    max_line = max_line_bytes()
    first = _first_line(stream, name, max_line, progress)
    declared = None if header is False else read_header(first, name=name, required=bool(header))
    count, dim = declared if declared else (None, None)
    if declared is None and len(first.split()) > 1:
        dim = len(first.split()) - 1  # GloVe: the first row sets it, wanted or not
    rows = (make_rows or _Rows)(name, dim)
    wanted_rows = count if limit is None else (limit if count is None else min(limit, count))
    stop_at = float("inf") if wanted_rows is None else wanted_rows
    scan = LineScan(name, rows, match, stop_at, count, max_line)
    scan.line_no = 1 if declared else 0
    going = _walk(stream, scan, b"" if declared else first, progress)
    rank = scan.rank
    if going and count is not None and rank < count and (limit is None or rank < limit):
        raise VectorFormatError(
            f"the header declares {count} rows but the file has {rank}", path=name, line=scan.line_no
        )
    if declared is None and rank == 0:
        raise VectorFormatError("no vectors in the file", path=name)
    rows.flush()
    return rows, rank, count


def _first_line(stream, name: str, max_line: int, progress) -> bytes:
    """The first line, without a UTF-8 byte-order mark; refused if empty, blank, wide or too long."""
    first = stream.readline(max_line + 1)
    if progress is not None:
        progress.update(len(first))
    if len(first) > max_line and not first.endswith(b"\n"):
        raise line_too_long(name, 1, max_line)
    refuse_wide(first, name)
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    if not first.strip():
        raise VectorFormatError(
            "the file is empty" if not first else "the first line is blank",
            path=name,
            line=None if not first else 1,
        )
    return first


def _walk(stream, scan: LineScan, pending: bytes, progress) -> bool:
    """Feed ``scan`` the rest of ``stream``; False if it stopped before the end."""
    going = True
    buffer = bytearray(CHUNK_BYTES)
    while going:
        # One buffer, reused: the carried-over partial line, then the next chunk.
        if len(buffer) < len(pending) + CHUNK_BYTES:
            buffer = bytearray(len(pending) + CHUNK_BYTES)
        buffer[: len(pending)] = pending
        got = stream.readinto(memoryview(buffer)[len(pending) : len(pending) + CHUNK_BYTES])
        if progress is not None:
            progress.update(got)
        if not got:
            return scan.lines(pending, len(pending)) if pending else going
        size = len(pending) + got
        cut = buffer.rfind(b"\n", 0, size)
        if cut >= 0:
            going = scan.lines(buffer, cut)
            scan.rows.flush()
        pending = bytes(buffer[cut + 1 : size])
        if going and len(pending) > scan.max_line:  # a line that would keep growing
            going = scan.too_long()
    return going
