"""Opening a vectors source as one decompressed byte stream.

A source is a local file, an extracted BlazingText folder, a pipe or FIFO, standard
input (``-``) or an ``s3://`` URL; its content may be gzip/bz2/xz-compressed (told by
magic bytes) and may be a tar archive (such as SageMaker BlazingText's
``model.tar.gz``) whose ``vectors.txt`` member is read straight from the archive,
never extracted to disk. Everything is read front to back, so what cannot seek reads
like a file (see :mod:`._streams`).
"""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import VectorFormatError, VectorSourceError, W2VEvalError
from ._detect import SAMPLE_BYTES, compression_of, is_tar
from ._streams import STDIN, STDIN_NAME, Raw, open_path, open_stdin, read_up_to, rewind, translated

__all__ = ["MAX_COMPRESSION_RATIO", "MAX_MEMBER_BYTES", "Opened", "open_source"]

#: Largest archive member w2veval agrees to read.
MAX_MEMBER_BYTES = 64 << 30
#: Decompressed/compressed size ratio above which a stream is refused as a bomb
#: (real vectors compress 2-5x); checked once :data:`RATIO_GRACE_BYTES` are out.
MAX_COMPRESSION_RATIO = 200
RATIO_GRACE_BYTES = 256 << 20
#: Members of an extracted BlazingText folder, in order of preference.
FOLDER_MEMBERS = ("vectors.txt", "vectors.bin")
ARCHIVE_MEMBER = "vectors.txt"


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
def open_source(source: str | bytes | os.PathLike[str]) -> Iterator[Opened]:
    """Open ``source`` (path, folder, FIFO, ``-`` or ``s3://`` URL) for reading; closes on exit.

    Nothing is ever seeked: the first bytes are peeked and replayed, so a pipe or
    standard input (``-``) reads like a file.

    Raises
    ------
    VectorSourceError
        The source cannot be opened (no such file, a device, a FIFO with no writer,
        empty standard input, an S3 error).
    VectorFormatError
        Damaged compression, an unsafe or unsuitable tar archive.
    """
    with ExitStack() as stack:
        raw = _open_raw(source)
        stack.callback(raw.close)
        name, size = raw.name, raw.size
        local = Path(name) if raw.regular else None
        head = read_up_to(raw.stream, SAMPLE_BYTES, name)
        if name == STDIN_NAME and not head:
            raise VectorSourceError(
                "standard input is empty: nothing was piped in, or it was "
                "already read ('-' can be read only once)",
                path=name,
            )
        stream: io.BufferedIOBase
        if raw.regular:
            assert isinstance(raw.stream, io.BufferedIOBase), "a regular file is opened buffered"
            raw.stream.seek(0)
            stream = raw.stream
        else:
            stream = rewind(raw.stream, head, name)
        kind = compression_of(head)
        if kind is not None:
            decompressed = _Decompressed(kind, stream, name)
            head = read_up_to(decompressed, SAMPLE_BYTES, name)
            stream, size, local = rewind(decompressed, head, name), None, None
        if is_tar(head):
            archive = stack.enter_context(_open_tar(stream, name))
            member, name, size = _tar_member(archive, name)
            head = read_up_to(member, SAMPLE_BYTES, name)
            stream, local = rewind(member, head, name), None
        elif _is_empty_tar(head):
            raise VectorFormatError(
                f"this is an empty tar archive: {len(head)} zero bytes, the "
                "blocks that end an archive, and no members",
                path=name,
            )
        yield Opened(stream, head, name, size, local)


def _open_raw(source: str | bytes | os.PathLike[str]) -> Raw:
    """The undecoded bytes of ``source``: S3 object, standard input or local path."""
    text = os.fspath(source)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text.startswith("s3://"):
        from ._s3 import open_s3

        body, size = open_s3(text)
        return Raw(body, text, size, False, body.close)
    if text == STDIN:
        return open_stdin()
    return open_path(_resolve_local(Path(text).expanduser()))


def _is_empty_tar(head: bytes) -> bool:
    """Whether ``head`` is a whole file of 512-byte zero blocks, as tar ends an archive.

    tar writes at least two such blocks; a longer all-zero file is not read as one.
    """
    return 1024 <= len(head) < SAMPLE_BYTES and len(head) % 512 == 0 and not head.strip(b"\0")


def _resolve_local(path: Path) -> Path:
    """The file to read for ``path``; a folder resolves to its BlazingText vectors."""
    if not path.is_dir():
        return path
    for member in FOLDER_MEMBERS:
        if (path / member).is_file():
            return path / member
    listing = sorted(p.name for p in path.iterdir())[:20]
    raise VectorSourceError(
        f"the folder has no {' or '.join(FOLDER_MEMBERS)}; it contains: {', '.join(listing) or 'nothing'}",
        path=path,
    )


class _Counter(io.RawIOBase):
    """Counts the bytes a decompressor pulls from ``stream``."""

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._stream, self.count = stream, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._stream.readinto(buffer)
        self.count += n or 0
        return n


class _Decompressed(io.RawIOBase):
    """Decompressed bytes of ``stream``, refusing decompression bombs."""

    def __init__(self, kind: str, stream: io.BufferedIOBase, name: str) -> None:
        import bz2
        import gzip
        import lzma

        self._source = _Counter(stream)
        openers: dict[str, Callable[[_Counter], io.BufferedIOBase]] = {
            "gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
            "bz2": bz2.BZ2File,
            # typeshed asks LZMAFile for an IO[bytes]; it only calls read(), as BZ2File does
            "xz": lambda f: lzma.LZMAFile(f),  # type: ignore[arg-type]
        }
        opener = openers[kind]
        self._file, self._kind, self._name, self._out = opener(self._source), kind, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self._file.readinto(buffer)
        except W2VEvalError:
            raise
        except Exception as err:  # zlib.error, lzma.LZMAError, EOFError, OSError
            raise VectorFormatError(
                f"damaged or truncated {self._kind} data: {err}", path=self._name
            ) from err
        self._out += n
        if self._out > RATIO_GRACE_BYTES and self._out > MAX_COMPRESSION_RATIO * self._source.count:
            raise VectorFormatError(
                f"{self._kind} data expands more than {MAX_COMPRESSION_RATIO}-fold; refusing it "
                "as a likely decompression bomb",
                path=self._name,
            )
        return n


@contextmanager
def _open_tar(stream: io.BufferedIOBase, name: str) -> Iterator[tarfile.TarFile]:
    with translated(name):
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
    seen: list[str] = []
    with translated(name):
        for member in archive:
            _check_member(member, name)
            if member.isfile() and PurePosixPath(member.name).name == ARCHIVE_MEMBER:
                if member.size > MAX_MEMBER_BYTES:
                    raise VectorFormatError(
                        f"member {member.name!r} is {member.size} bytes, above the "
                        f"{MAX_MEMBER_BYTES}-byte limit",
                        path=name,
                    )
                return archive.extractfile(member), f"{name}[{member.name}]", member.size
            seen.append(member.name)
    raise VectorFormatError(
        f"the tar archive has no {ARCHIVE_MEMBER} member; it contains: "
        f"{', '.join(seen[:20]) or 'nothing'}{' ...' if len(seen) > 20 else ''}",
        path=name,
    )


def _check_member(member: tarfile.TarInfo, archive: str) -> None:
    """Refuse members that would be unsafe to extract: such an archive is hostile."""
    parts = PurePosixPath(member.name.replace("\\", "/")).parts
    drive = member.name[:2] if member.name[:1].isalpha() and member.name[1:2] == ":" else ""
    if member.name.startswith(("/", "\\")) or (drive and member.name[2:3] in ("/", "\\")):
        problem = "has an absolute path"
    elif drive:  # Windows reads 'a:b/vectors.txt' as b/vectors.txt on drive A:
        problem = f"starts with the Windows drive {drive!r}, which names a place outside the archive"
    elif ".." in parts:
        problem = "has a '..' path component"
    elif member.issym() or member.islnk():
        problem = f"is a {'symbolic' if member.issym() else 'hard'} link (to {member.linkname!r})"
    elif member.isdev():
        problem = "is a device or FIFO"
    else:
        return
    raise VectorFormatError(
        f"unsafe tar member {member.name!r}: it {problem}; refusing the archive", path=archive
    )
