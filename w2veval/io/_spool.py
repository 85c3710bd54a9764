"""A temporary copy of a stream, for a loader that needs a file path (gensim's fastText).

On Linux the copy has no name: it is created unlinked in the temporary folder and
handed over as ``/proc/self/fd/N``, so the system frees it when the process ends,
however it ends (an exception, SIGTERM, even SIGKILL). Elsewhere it has a name, is
removed on the way out, and SIGTERM (while it has its default action) first unwinds
to that removal and then ends the process as it would have.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from ..errors import VectorSourceError
from ._streams import translated

__all__ = ["SPOOL_PREFIX", "spooled"]

#: Start of the name of a named copy (where the system needs one).
SPOOL_PREFIX = "w2veval-spool-"
_CHUNK = 1 << 20


@contextmanager
def spooled(stream: io.BufferedIOBase, name: str) -> Iterator[str]:
    """A path that reads what ``stream`` yields, valid within the block.

    Parameters
    ----------
    stream : binary file object
        Read to its end, in chunks of 1 MiB: never whole into memory.
    name : str
        The source, as messages name it.

    Raises
    ------
    VectorSourceError
        The temporary folder has no room for the copy.
    """
    with tempfile.TemporaryFile(prefix=SPOOL_PREFIX) as copy:
        alias = _fd_alias(copy.fileno())
        if alias is not None:
            _copy(stream, copy, name)
            yield alias
            return
    with _sigterm_unwinds():
        fd, path = tempfile.mkstemp(prefix=SPOOL_PREFIX, suffix=".bin")
        try:
            with open(fd, "wb") as copy:
                _copy_in_thread(stream, copy, name)
            yield path
        finally:
            with suppress(FileNotFoundError):
                os.unlink(path)


def _fd_alias(fd: int) -> str | None:
    """A path that opens the file behind ``fd`` afresh, on Linux."""
    path = f"/proc/self/fd/{fd}"
    return path if sys.platform.startswith("linux") and os.path.exists(path) else None


def _copy(stream, copy, name: str) -> None:
    try:
        with translated(name):
            shutil.copyfileobj(stream, copy, _CHUNK)
        copy.flush()
    except OSError as err:  # the writing side: the read side is translated
        raise VectorSourceError(
            f"cannot write the temporary copy gensim's fastText reader needs in "
            f"{tempfile.gettempdir()} ({err.strerror or err}); set TMPDIR to a folder with "
            "room for the whole file",
            path=name,
        ) from None


def _copy_in_thread(stream, copy, name: str) -> None:
    """:func:`_copy` in a worker thread while this one waits in short steps.

    A SIGTERM that the kernel hands to another thread (numpy's, say) does not interrupt
    a read blocked in this one: only waking up now and then lets its handler run.
    """
    failed = []

    def work():
        try:
            _copy(stream, copy, name)
        except BaseException as err:  # handed to the waiting thread
            failed.append(err)

    worker = threading.Thread(target=work, name="w2veval-spool", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if failed:
        raise failed[0]


class _Terminated(BaseException):
    """SIGTERM arrived while a named copy existed."""


def _raise_terminated(signum, frame):
    raise _Terminated


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """Within the block, SIGTERM unwinds (running ``finally``), then ends the process.

    Only when SIGTERM has its default action and this is the main thread: otherwise
    the program owns SIGTERM (and its handler, if it raises, unwinds this too).
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
    ):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
