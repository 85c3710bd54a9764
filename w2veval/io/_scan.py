"""Walking the lines of a text chunk: a vectorised search for the wanted ones, then each.

Python touches each of a file's 400,000 lines in about a microsecond; numpy
classifies all of them at once. For every line of a chunk this module looks at
the first ``WINDOW`` bytes, finds where the first token ends, hashes the token
and looks the hash up among the wanted ASCII words' hashes. Lines it cannot
decide (non-ASCII or very long tokens, blank lines, tabs) and hash hits are
returned as candidates for the exact per-line check of :class:`LineScan`, so a
hash collision costs a little time, never a wrong answer.

Fields are separated by any run of ASCII white space (space, tab, CR, VT, FF),
and white space before the word is not part of it: the vectorised search only
decides lines whose word starts the line and ends at a space, and leaves every
other line to the same per-line split that a full load uses.
"""

from __future__ import annotations

import numpy as np

from ..errors import VectorFormatError
from ._header import line_too_long

__all__ = ["WINDOW", "LineScan", "candidate_lines", "key_hashes"]

WINDOW = 32
_COLUMNS = np.arange(WINDOW)
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A") : ord("Z") + 1] += 32
_ENDS_TOKEN = np.zeros(256, dtype=bool)
_ENDS_TOKEN[[9, 10, 11, 12, 13, 32]] = True  # bytes.split()'s white space
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64
)


def _hash_rows(window: np.ndarray) -> np.ndarray:
    words = window.view(np.uint64)  # (n, WINDOW // 8)
    with np.errstate(over="ignore"):
        mixed = words * _MIX
    return np.bitwise_xor.reduce(mixed, axis=1) ^ (mixed[:, 0] >> np.uint64(29))


def key_hashes(ascii_keys) -> np.ndarray:
    """Sorted hashes of the wanted ASCII tokens that fit the window."""
    fitting = [k for k in ascii_keys if 0 < len(k) < WINDOW]
    window = np.zeros((len(fitting), WINDOW), dtype=np.uint8)
    for row, key in enumerate(fitting):
        window[row, : len(key)] = np.frombuffer(key, dtype=np.uint8)
    return np.unique(_hash_rows(window))


def candidate_lines(data, end: int, hashes: np.ndarray, fold: bool) -> tuple[np.ndarray, np.ndarray]:
    """Start offsets of the lines in ``data[:end]``, and the indices of lines to check.

    Parameters
    ----------
    data : bytes-like
        The buffer; ``data[:end]`` holds whole lines joined by ``\\n``.
    end : int
        Length of the part to scan.
    hashes : ndarray of uint64
        From :func:`key_hashes`, built with the same ``fold``.
    fold : bool
        Compare ASCII case-insensitively.

    Returns
    -------
    starts : ndarray of int64, shape (n_lines + 1,)
        Line ``i`` is ``data[starts[i]:starts[i + 1] - 1]``.
    candidates : ndarray of int64
        Lines whose token may be wanted, or that the vectorised test cannot decide.
    """
    buffer = np.frombuffer(data, dtype=np.uint8, count=end)
    newlines = np.flatnonzero(buffer == 10)
    starts = np.empty(len(newlines) + 2, dtype=np.int64)
    starts[0] = 0
    starts[1:-1] = newlines + 1
    starts[-1] = end + 1
    heads = starts[:-1]
    if end == 0:
        return starts, np.arange(len(heads))
    index = heads[:, None] + _COLUMNS
    np.minimum(index, end - 1, out=index)
    window = buffer[index]
    ends = _ENDS_TOKEN[window]
    for row in np.flatnonzero(heads > end - WINDOW):  # windows running past the data
        ends[row, end - heads[row] :] = True
    token_len = np.where(ends.any(axis=1), ends.argmax(axis=1), WINDOW)
    rows = np.arange(len(heads))
    decidable = (token_len > 0) & (token_len < WINDOW)
    decidable &= window[rows, np.minimum(token_len, WINDOW - 1)] == 32
    window[_COLUMNS >= token_len[:, None]] = 0
    decidable &= ~(window >= 128).any(axis=1)
    if fold:
        window = _LOWER[window]
    hashed = _hash_rows(window)
    if len(hashes):
        spot = np.minimum(np.searchsorted(hashes, hashed), len(hashes) - 1)
        maybe_wanted = hashes[spot] == hashed
    else:
        maybe_wanted = np.zeros(len(hashed), dtype=bool)
    return starts, np.flatnonzero(maybe_wanted | ~decidable)


class LineScan:
    """Walks the lines of a file, chunk by chunk, keeping rank and line number.

    Parameters
    ----------
    name : str
        The source, for messages.
    rows : row store
        Has ``add(token, rest, rank, line_no, match)``; gets the wanted rows.
    match : callable or None
        ``token -> key or None``; ``None`` hands every row to ``rows``.
    stop_at : int or float
        Rows to read (``inf`` for all).
    count : int or None
        The header's row count, to refuse rows beyond it.
    max_line : int
        The longest line accepted, in bytes (newline not counted).
    """

    def __init__(self, name, rows, match, stop_at, count, max_line: int):
        self.name, self.rows, self.match = name, rows, match
        self.stop_at, self.count, self.max_line = stop_at, count, max_line
        self.rank = 0
        self.line_no = 0
        ascii_keys = getattr(match, "ascii_keys", None)
        self.fold = not getattr(match, "case_sensitive", True)
        self.hashes = (
            None if ascii_keys is None else key_hashes([k.lower() if self.fold else k for k in ascii_keys])
        )

    def lines(self, block, end: int) -> bool:
        """Handle the complete lines in ``block[:end]``; False once enough rows were read.

        A NUL byte is never part of text (it means a zero-filled, damaged file or binary
        data); the line holding the first one is looked at whether its word is wanted
        or not, and refused unless the rows wanted end before it. So is a line longer
        than ``max_line``: the lines before it are handled, then it is refused.
        """
        nul = block.find(b"\0", 0, end)
        nul_line = -1 if nul < 0 else block.count(b"\n", 0, nul)
        if self.hashes is None:
            lines = bytes(block[:end]).split(b"\n")
            long = None
            if max(map(len, lines)) > self.max_line:
                long = next(i for i, line in enumerate(lines) if len(line) > self.max_line)
                lines = lines[:long]
            going = self._each(lines, range(len(lines)), None, nul_line)
        else:
            starts, candidates = candidate_lines(block, end, self.hashes, self.fold)
            too_long = np.flatnonzero(np.diff(starts) > self.max_line + 1)
            long = int(too_long[0]) if len(too_long) else None
            if long is not None:
                starts, candidates = starts[: long + 1], candidates[candidates < long]
            if 0 <= nul_line and (long is None or nul_line < long):
                candidates = np.union1d(candidates, [nul_line])
            going = self._each(block, candidates.tolist(), starts, nul_line)
        return self.too_long() if going and long is not None else going

    def too_long(self) -> bool:
        """The next line is longer than ``max_line``: refuse it, unless no more rows are wanted."""
        if self.rank < self.stop_at:
            self.rows.flush()  # a fault in the rows before it comes first
            raise line_too_long(self.name, self.line_no + 1, self.max_line)
        self._past_the_end(self.line_no + 1, self.rank)
        return False

    def _each(self, block, indices, starts, nul_line: int = -1) -> bool:
        rank_base, line_base = self.rank, self.line_no
        blank_lines: list[int] = []
        n_lines = len(starts) - 1 if starts is not None else len(block)
        for i in indices:
            line = block[i] if starts is None else bytes(block[starts[i] : starts[i + 1] - 1])
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
                    "damaged file, or binary data read as text?)",
                    path=self.name,
                    line=line_no,
                )
            parts = line.split(None, 1)  # white space before the word is no part of it
            token, rest = parts[0], parts[1] if len(parts) > 1 else b""
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
            raise VectorFormatError(
                f"more rows than the {self.count} the header declares", path=self.name, line=line_no
            )
