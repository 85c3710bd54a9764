"""Opening what a local vectors source names: a regular file, a pipe or FIFO, or ``-``.

Nothing here seeks: a source that cannot seek (standard input, ``<(zcat v.txt.gz)``,
a FIFO) is read once, front to back, and its first bytes are kept so that the format
can be told from them and then read again (:func:`rewind`). ``open()`` of a FIFO that
no process writes to would block forever, so every path is opened non-blocking and a
FIFO is given a bounded time to get a writer.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import VectorFormatError, VectorSourceError, W2VEvalError

__all__ = [
    "FIFO_WAIT_ENV",
    "STDIN",
    "STDIN_NAME",
    "Raw",
    "open_path",
    "open_stdin",
    "read_up_to",
    "rewind",
    "translated",
]

#: The source name that means standard input.
STDIN = "-"
#: How standard input is named in messages.
STDIN_NAME = "<stdin>"
#: Seconds a FIFO may take to get a writer (default :data:`DEFAULT_FIFO_WAIT`).
FIFO_WAIT_ENV = "W2VEVAL_FIFO_WAIT"
DEFAULT_FIFO_WAIT = 5.0
_POLL_SECONDS = 0.02
_BUFFER_BYTES = 1 << 20
_READ_ERRORS = (EOFError, OSError, tarfile.TarError, ValueError)
_NOT_FILES = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)
_STREAM_HINT = (
    "w2veval reads vectors from files, folders, s3:// URLs, pipes and FIFOs, "
    "and from standard input given as '-'"
)


@dataclass
class Raw:
    """A local source opened for reading, before decompression or format detection.

    Attributes
    ----------
    stream : binary file object
        Reads the content from its first byte; closed by ``close``.
    name : str
        The source as messages show it.
    size : int or None
        Its length in bytes, for a regular file.
    regular : bool
        Whether ``stream`` reads a regular file (and can seek).
    close : callable
        Releases what was opened (standard input is left open).
    """

    stream: io.RawIOBase | io.BufferedIOBase
    name: str
    size: int | None
    regular: bool
    close: Callable[[], object]


def open_path(path: Path) -> Raw:
    """Open ``path`` without blocking: a regular file, or a FIFO that gets a writer in time.

    Raises
    ------
    VectorSourceError
        No such file, no permission, a device or socket, or a FIFO without a writer.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise VectorSourceError("no such file", path=name) from None
    except OSError as err:
        raise VectorSourceError(_cannot_open(path, err), path=name) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            os.set_blocking(fd, True)
            stream = open(fd, "rb", closefd=True)
            return Raw(stream, name, os.fstat(fd).st_size, True, stream.close)
        if stat.S_ISFIFO(mode):
            first = _wait_for_writer(fd, name)
            os.set_blocking(fd, True)
            pipe = open(fd, "rb", buffering=0, closefd=True)
            return Raw(_Chain(first, pipe, name), name, None, False, pipe.close)
        kind = next(what for test, what in _NOT_FILES if test(mode))
        raise VectorSourceError(f"this is {kind}, not a file: {_STREAM_HINT}", path=name)
    except BaseException:
        _close_fd(fd)
        raise


def open_stdin() -> Raw:
    """Standard input as a source (``-``); it is read, never closed.

    Raises
    ------
    VectorSourceError
        Standard input is missing or is a terminal (nothing was piped in).
    """
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise VectorSourceError("standard input is not available to read vectors from", path=STDIN_NAME)
    try:
        terminal = os.isatty(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # replaced by an in-memory stream
        terminal = False
    if terminal:
        raise VectorSourceError(
            "standard input is a terminal; pipe the vectors in, e.g. 'zcat vectors.txt.gz | w2veval score -'",
            path=STDIN_NAME,
        )
    return Raw(stream, STDIN_NAME, None, False, lambda: None)


def fifo_wait() -> float:
    """Seconds a FIFO may take to get a writer: ``W2VEVAL_FIFO_WAIT``, else 5."""
    text = os.environ.get(FIFO_WAIT_ENV, "").strip()
    if not text:
        return DEFAULT_FIFO_WAIT
    try:
        seconds = float(text)
        if not 0 <= seconds < 1e6:
            raise ValueError
    except ValueError:
        raise W2VEvalError(f"{FIFO_WAIT_ENV}={text!r} is not a number of seconds") from None
    return seconds


def _wait_for_writer(fd: int, name: str) -> bytes:
    """The first bytes of a FIFO once a process writes to it.

    A non-blocking read of an empty FIFO returns EOF when no process has it open for
    writing and fails with EAGAIN when one has (POSIX): so a slow writer is waited
    for as long as it takes, and only a missing one is given up on.
    """
    deadline = time.monotonic() + fifo_wait()
    while True:
        try:
            first = os.read(fd, 1 << 16)
        except BlockingIOError:  # a writer is there, with nothing written yet
            return b""
        if first:
            return first
        if time.monotonic() >= deadline:
            raise VectorSourceError(
                f"this is a FIFO with no writer (none within {fifo_wait():g} s; "
                f"{FIFO_WAIT_ENV} sets the wait): start the process that writes to it first, "
                "or stream the vectors with '-' or a pipe, e.g. "
                "'zcat vectors.txt.gz | w2veval score -'",
                path=name,
            )
        time.sleep(_POLL_SECONDS)


def _cannot_open(path: Path, err: OSError) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    if stat.S_ISSOCK(mode):
        return f"this is a socket, not a file: {_STREAM_HINT}"
    return f"cannot open: {err.strerror or err}"


def _close_fd(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def read_up_to(raw: io.RawIOBase | io.BufferedIOBase, n: int, name: str) -> bytes:
    """Up to ``n`` bytes of ``raw``, looping over the short reads of pipes."""
    parts: list[bytes] = []
    got = 0
    with translated(name):
        while got < n:
            part = raw.read(n - got)
            if not part:
                break
            parts.append(part)
            got += len(part)
    return b"".join(parts)


def rewind(raw: io.RawIOBase | io.BufferedIOBase, head: bytes, name: str) -> io.BufferedReader:
    """A buffered stream that yields ``head`` (already read from ``raw``), then the rest."""
    return io.BufferedReader(_Chain(head, raw, name), _BUFFER_BYTES)


@contextmanager
def translated(name: str) -> Iterator[None]:
    """Turn low-level read errors (damaged gzip, truncated tar) into VectorFormatError."""
    try:
        yield
    except W2VEvalError:
        raise
    except _READ_ERRORS as err:
        raise VectorFormatError(f"damaged or truncated data: {err}", path=name) from err


class _Chain(io.RawIOBase):
    """``head`` followed by the rest of ``raw`` (whose first bytes ``head`` were)."""

    def __init__(self, head: bytes, raw: io.RawIOBase | io.BufferedIOBase, name: str) -> None:
        self._head, self._at, self._raw, self._name = head, 0, raw, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._at < len(self._head):
            n = min(len(buffer), len(self._head) - self._at)
            buffer[:n] = self._head[self._at : self._at + n]
            self._at += n
            return n
        with translated(self._name):
            return self._raw.readinto(buffer)
