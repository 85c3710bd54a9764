"""Opening a vectors source as one decompressed byte stream.

A source is a local file, an extracted BlazingText folder, or an ``s3://`` URL; its
content may be gzip/bz2/xz-compressed (told by magic bytes) and may be a tar archive
(such as SageMaker BlazingText's ``model.tar.gz``) whose ``vectors.txt`` member is
read straight from the archive, never extracted to disk.
"""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import VectorFormatError, VectorSourceError, W2VEvalError
from ._detect import SAMPLE_BYTES, compression_of, is_tar

__all__ = ["Opened", "open_source", "MAX_MEMBER_BYTES", "MAX_COMPRESSION_RATIO"]

#: Largest archive member w2veval agrees to read.
MAX_MEMBER_BYTES = 64 << 30
#: Decompressed/compressed size ratio above which a stream is refused as a bomb
#: (real vectors compress 2-5x); checked once :data:`RATIO_GRACE_BYTES` are out.
MAX_COMPRESSION_RATIO = 200
RATIO_GRACE_BYTES = 256 << 20
#: Members of an extracted BlazingText folder, in order of preference.
FOLDER_MEMBERS = ("vectors.txt", "vectors.bin")
ARCHIVE_MEMBER = "vectors.txt"
_BUFFER_BYTES = 1 << 20
_READ_ERRORS = (EOFError, OSError, tarfile.TarError, ValueError)


@dataclass
class Opened:
    """An opened source: the stream readers read and what messages call it.

    Attributes
    ----------
    stream : binary file object
        Decompressed content, positioned at its start.
    head : bytes
        The first :data:`~w2veval.io._detect.SAMPLE_BYTES` bytes of ``stream``.
    name : str
        The source as shown in messages, e.g. ``model.tar.gz[vectors.txt]``.
    size : int or None
        Bytes ``stream`` will yield, when known (for the progress bar).
    local_path : Path or None
        The plain local file ``stream`` reads, when it is one (gensim loaders need it).
    """

    stream: io.BufferedIOBase
    head: bytes
    name: str
    size: int | None
    local_path: Path | None


@contextmanager
def open_source(source) -> Iterator[Opened]:
    """Open ``source`` (path, folder or ``s3://`` URL) for reading; closes on exit.

    Raises
    ------
    VectorSourceError
        The source cannot be opened (no such file, S3 error).
    VectorFormatError
        Damaged compression, an unsafe or unsuitable tar archive.
    """
    with ExitStack() as stack:
        text = os.fspath(source)
        if isinstance(text, bytes):
            text = os.fsdecode(text)
        if text.startswith("s3://"):
            from ._s3 import open_s3

            raw, size = open_s3(text)
            name, local = text, None
        else:
            local = _resolve_local(Path(text).expanduser())
            raw, size, name = _open_local(local), local.stat().st_size, str(local)
        stack.callback(raw.close)
        head = _read_up_to(raw, SAMPLE_BYTES, name)
        if local is not None:
            raw.seek(0)
            stream = raw
        else:
            stream = _rewind(raw, head, name)
        kind = compression_of(head)
        if kind is not None:
            raw = _Decompressed(kind, stream, name)
            head = _read_up_to(raw, SAMPLE_BYTES, name)
            stream, size, local = _rewind(raw, head, name), None, None
        if is_tar(head):
            archive = stack.enter_context(_open_tar(stream, name))
            raw, name, size = _tar_member(archive, name)
            head = _read_up_to(raw, SAMPLE_BYTES, name)
            stream, local = _rewind(raw, head, name), None
        yield Opened(stream, head, name, size, local)


def _resolve_local(path: Path) -> Path:
    """The file to read for ``path``; a folder resolves to its BlazingText vectors."""
    if not path.is_dir():
        return path
    for member in FOLDER_MEMBERS:
        if (path / member).is_file():
            return path / member
    listing = sorted(p.name for p in path.iterdir())[:20]
    raise VectorSourceError(
        f"the folder has no {' or '.join(FOLDER_MEMBERS)}; it contains: "
        f"{', '.join(listing) or 'nothing'}", path=path)


def _open_local(path: Path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise VectorSourceError("no such file", path=path) from None
    except OSError as err:
        raise VectorSourceError(f"cannot open: {err.strerror or err}", path=path) from None


def _read_up_to(raw, n: int, name: str) -> bytes:
    """Up to ``n`` bytes, looping over short reads."""
    parts, got = [], 0
    with _translated(name):
        while got < n:
            part = raw.read(n - got)
            if not part:
                break
            parts.append(part)
            got += len(part)
    return b"".join(parts)


def _rewind(raw, head: bytes, name: str):
    """A buffered stream over non-seekable ``raw`` that starts again at byte 0."""
    return io.BufferedReader(_Chain(head, raw, name), _BUFFER_BYTES)


@contextmanager
def _translated(name: str):
    """Turn low-level read errors (damaged gzip, truncated tar) into VectorFormatError."""
    try:
        yield
    except W2VEvalError:
        raise
    except _READ_ERRORS as err:
        raise VectorFormatError(f"damaged or truncated data: {err}", path=name) from err


class _Chain(io.RawIOBase):
    """``head`` followed by the rest of ``raw`` (whose first bytes ``head`` were)."""

    def __init__(self, head: bytes, raw, name: str):
        self._head, self._at, self._raw, self._name = head, 0, raw, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._at < len(self._head):
            n = min(len(buffer), len(self._head) - self._at)
            buffer[:n] = self._head[self._at:self._at + n]
            self._at += n
            return n
        with _translated(self._name):
            return self._raw.readinto(buffer)


class _Counter(io.RawIOBase):
    """Counts the bytes a decompressor pulls from ``stream``."""

    def __init__(self, stream):
        self._stream, self.count = stream, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._stream.readinto(buffer)
        self.count += n or 0
        return n


class _Decompressed(io.RawIOBase):
    """Decompressed bytes of ``stream``, refusing decompression bombs."""

    def __init__(self, kind: str, stream, name: str):
        import bz2
        import gzip
        import lzma

        self._source = _Counter(stream)
        opener = {"gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
                  "bz2": bz2.BZ2File, "xz": lzma.LZMAFile}[kind]
        self._file, self._kind, self._name, self._out = opener(self._source), kind, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self._file.readinto(buffer)
        except W2VEvalError:
            raise
        except Exception as err:  # zlib.error, lzma.LZMAError, EOFError, OSError
            raise VectorFormatError(f"damaged or truncated {self._kind} data: {err}",
                                    path=self._name) from err
        self._out += n
        if self._out > RATIO_GRACE_BYTES and self._out > MAX_COMPRESSION_RATIO * self._source.count:
            raise VectorFormatError(
                f"{self._kind} data expands more than {MAX_COMPRESSION_RATIO}-fold; refusing it "
                "as a likely decompression bomb", path=self._name)
        return n


@contextmanager
def _open_tar(stream, name: str):
    with _translated(name):
        archive = tarfile.open(fileobj=stream, mode="r|")
    try:
        yield archive
    finally:
        archive.close()


def _tar_member(archive: tarfile.TarFile, name: str):
    """The first ``vectors.txt`` member (at any depth) as a stream, with its name and size.

    Every member up to and including it is checked by :func:`_check_member`; the
    archive is read as a stream, so members after it are never read at all.
    """
    seen = []
    with _translated(name):
        for member in archive:
            _check_member(member, name)
            if member.isfile() and PurePosixPath(member.name).name == ARCHIVE_MEMBER:
                if member.size > MAX_MEMBER_BYTES:
                    raise VectorFormatError(
                        f"member {member.name!r} is {member.size} bytes, above the "
                        f"{MAX_MEMBER_BYTES}-byte limit", path=name)
                return archive.extractfile(member), f"{name}[{member.name}]", member.size
            seen.append(member.name)
    raise VectorFormatError(
        f"the tar archive has no {ARCHIVE_MEMBER} member; it contains: "
        f"{', '.join(seen[:20]) or 'nothing'}{' ...' if len(seen) > 20 else ''}", path=name)


def _check_member(member: tarfile.TarInfo, archive: str) -> None:
    """Refuse members that would be unsafe to extract: such an archive is hostile."""
    parts = PurePosixPath(member.name.replace("\\", "/")).parts
    if member.name.startswith(("/", "\\")) or (len(member.name) > 1 and member.name[1] == ":"):
        problem = "has an absolute path"
    elif ".." in parts:
        problem = "has a '..' path component"
    elif member.issym() or member.islnk():
        problem = f"is a {'symbolic' if member.issym() else 'hard'} link (to {member.linkname!r})"
    elif member.isdev():
        problem = "is a device or FIFO"
    else:
        return
    raise VectorFormatError(f"unsafe tar member {member.name!r}: it {problem}; refusing the "
                            "archive", path=archive)
