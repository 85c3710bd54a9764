"""Streaming reader for word2vec text (with ``<count> <dim>`` header) and GloVe text.

The file is read in large chunks; a row whose first token is not wanted is
skipped without touching its numbers, which is what makes scoring a 400k-word
file take a fraction of a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from ..errors import VectorFormatError
from ..vectors import WordVectors
from ._tokens import decode_words, show
from ._scan import candidate_lines, key_hashes

__all__ = ["read_text", "scan_text", "parse_header"]

CHUNK_BYTES = 1 << 22
_FIELD = re.compile(rb"\S+")


def _is_number(value: bytes) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def parse_header(line: bytes) -> tuple[int, int] | None:
    """``(count, dim)`` if ``line`` is a word2vec header, else ``None``.

    Examples
    --------
    >>> parse_header(b"400000 50\\n"), parse_header(b"the 0.1 0.2\\n")
    ((400000, 50), None)
    """
    fields = line.split()
    if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
        return int(fields[0]), int(fields[1])
    return None


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
        extra = len(values) - self.dim
        if extra > 0 and not all(_is_number(v) for v in values[:extra]):
            start = [m.start() for m in _FIELD.finditer(rest, 0)][extra]
            return token + b" " + rest[:start].rstrip(), values[extra:]
        raise VectorFormatError(
            f"row for {show(token)} has {len(values)} values, expected {self.dim} "
            "(dimension mismatch or ragged row)", path=self.name, line=line_no)

    def flush(self) -> None:
        """Convert the values gathered since the last flush in one numpy call."""
        if not self._values:
            return
        first = len(self.lines) - len(self._values) // self.dim
        try:
            block = np.array(self._values, dtype=np.float32).reshape(-1, self.dim)
        except ValueError:
            self._raise_bad_number(first)
        bad = ~np.isfinite(block).all(axis=1)
        if bad.any():
            row = first + int(np.argmax(bad))
            raise VectorFormatError(
                f"row for {show(self.words[row])} contains NaN or infinity",
                path=self.name, line=self.lines[row])
        self._store(block)
        self._values = []

    def _store(self, block: np.ndarray) -> None:
        self.blocks.append(block)

    def _raise_bad_number(self, first: int):
        for offset in range(len(self._values) // self.dim):
            chunk = self._values[offset * self.dim:(offset + 1) * self.dim]
            for value in chunk:
                try:
                    float(value)
                except ValueError:
                    row = first + offset
                    raise VectorFormatError(
                        f"non-numeric value {show(value)} in the row for {show(self.words[row])}",
                        path=self.name, line=self.lines[row]) from None
        raise VectorFormatError("non-numeric value", path=self.name)

    def matrix(self) -> np.ndarray:
        self.flush()
        if not self.blocks:
            return np.zeros((0, self.dim or 0), dtype=np.float32)
        return self.blocks[0] if len(self.blocks) == 1 else np.concatenate(self.blocks)


class _Scan:
    """Walks the lines of a file, chunk by chunk, keeping rank and line number."""

    def __init__(self, name, rows, match, stop_at, count):
        self.name, self.rows, self.match = name, rows, match
        self.stop_at, self.count = stop_at, count
        self.rank = 0
        self.line_no = 0
        ascii_keys = getattr(match, "ascii_keys", None)
        self.fold = not getattr(match, "case_sensitive", True)
        self.hashes = None if ascii_keys is None else key_hashes(
            [k.lower() if self.fold else k for k in ascii_keys])

    def lines(self, block, end: int) -> bool:
        """Handle the complete lines in ``block[:end]``; False once enough rows were read.

        A NUL byte is never part of text (it means a zero-filled, damaged file or binary
        data); the line holding the first one is looked at whether its word is wanted
        or not, and refused unless the rows wanted end before it.
        """
        nul = block.find(b"\0", 0, end)
        nul_line = -1 if nul < 0 else block.count(b"\n", 0, nul)
        if self.hashes is None:
            part = bytes(block[:end])
            return self._each(part.split(b"\n"), range(part.count(b"\n") + 1), None, nul_line)
        starts, candidates = candidate_lines(block, end, self.hashes, self.fold)
        if nul_line >= 0:
            candidates = np.union1d(candidates, [nul_line])
        return self._each(block, candidates.tolist(), starts, nul_line)

    def _each(self, block, indices, starts, nul_line: int = -1) -> bool:
        rank_base, line_base = self.rank, self.line_no
        blank_lines: list[int] = []
        n_lines = len(starts) - 1 if starts is not None else len(block)
        for i in indices:
            line = block[i] if starts is None else bytes(block[starts[i]:starts[i + 1] - 1])
            line_no = line_base + i + 1
            if not line.strip():
                blank_lines.append(i)
                continue
            rank = rank_base + i - len(blank_lines)
            if rank >= self.stop_at:
                self._past_the_end(line_no, rank)
                self.rank, self.line_no = rank, line_no
                return False
            if i == nul_line:
                raise VectorFormatError(
                    "NUL byte in the line: text vectors never contain one (a zero-filled, "
                    "damaged file, or binary data read as text?)", path=self.name, line=line_no)
            cut = line.find(b" ")
            token, rest = (line[:cut], line[cut + 1:]) if cut > 0 else (line.strip(), b"")
            if b"\t" in token:
                token, _, more = token.partition(b"\t")
                rest = more + b" " + rest
            if self.match is None or self.match(token) is not None:
                self.rows.add(token, rest, rank, line_no, self.match)
        total = rank_base + n_lines - len(blank_lines)
        if total > self.stop_at:  # the limit fell on a line that needed no look
            first_extra = int(self.stop_at) - rank_base
            for blank in blank_lines:
                first_extra += blank <= first_extra
            self._past_the_end(line_base + first_extra + 1, int(self.stop_at))
            self.rank, self.line_no = int(self.stop_at), line_base + first_extra
            return False
        self.rank, self.line_no = total, line_base + n_lines
        return True

    def _past_the_end(self, line_no: int, rank: int) -> None:
        if self.count is not None and rank >= self.count:
            raise VectorFormatError(f"more rows than the {self.count} the header declares",
                                    path=self.name, line=line_no)


def read_text(stream, *, name: str, match: Callable[[bytes], object] | None = None,
              limit: int | None = None, header: bool | None = None,
              progress=None) -> WordVectors:
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
    rows, n_rows, count = scan_text(stream, name=name, match=match, limit=limit, header=header,
                                    progress=progress)
    words = decode_words(rows.words, name, rows.lines)
    return WordVectors(words, rows.matrix(), ranks=rows.ranks, source=name,
                       vocab_size=count if count is not None else n_rows)


def scan_text(stream, *, name: str, make_rows=None, match=None, limit: int | None = None,
              header: bool | None = None, progress=None):
    """Walk word2vec/GloVe text chunk by chunk, handing the kept rows to a row store.

    ``make_rows(name, dim)`` builds the store (default :class:`_Rows`, which keeps the
    rows; the streaming mean keeps only a sum). Returns ``(rows, n_rows, count)``: the
    store, the number of rows read and the header's count (``None`` without header).
    """
    first = stream.readline()
    if progress is not None:
        progress.update(len(first))
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    if not first.strip():
        raise VectorFormatError("the file is empty" if not first else "the first line is blank",
                                path=name, line=None if not first else 1)
    declared = parse_header(first) if header is not False else None
    if header and declared is None:
        raise VectorFormatError(f"expected a '<count> <dim>' header, found {show(first[:60])}",
                                path=name, line=1)
    count, dim = declared if declared else (None, None)
    if dim == 0:
        raise VectorFormatError("the header declares 0 dimensions; expected '<count> <dim>' "
                                "with dim > 0", path=name, line=1)
    if declared is None and len(first.split()) > 1:
        dim = len(first.split()) - 1  # GloVe: the first row sets it, wanted or not
    rows = (make_rows or _Rows)(name, dim)
    wanted_rows = count if limit is None else (limit if count is None else min(limit, count))
    stop_at = float("inf") if wanted_rows is None else wanted_rows
    scan = _Scan(name, rows, match, stop_at, count)
    pending = b"" if declared else first
    scan.line_no = 1 if declared else 0
    going = True
    buffer = bytearray(CHUNK_BYTES)
    while going:
        # One buffer, reused: the carried-over partial line, then the next chunk.
        if len(buffer) < len(pending) + CHUNK_BYTES:
            buffer = bytearray(len(pending) + CHUNK_BYTES)
        buffer[:len(pending)] = pending
        got = stream.readinto(memoryview(buffer)[len(pending):len(pending) + CHUNK_BYTES])
        if progress is not None:
            progress.update(got)
        if not got:
            if pending:
                going = scan.lines(pending, len(pending))
            break
        size = len(pending) + got
        cut = buffer.rfind(b"\n", 0, size)
        if cut < 0:
            pending = bytes(buffer[:size])
            continue
        pending = bytes(buffer[cut + 1:size])
        going = scan.lines(buffer, cut)
        rows.flush()
    rank = scan.rank
    if going and count is not None and rank < count and (limit is None or rank < limit):
        raise VectorFormatError(f"the header declares {count} rows but the file has {rank}",
                                path=name, line=scan.line_no)
    if declared is None and rank == 0:
        raise VectorFormatError("no vectors in the file", path=name)
    rows.flush()
    return rows, rank, count
