"""The local gold-set cache: where catalogued files live and how they get there.

Files are kept under ``cache_dir() / "goldsets" / <CatalogFile.path>``, the same
layout as the shared folder and an organisation's mirror. A file reaches its final
path only through :func:`install`: hash check, copy to a temporary file beside the
destination, hash check of the copy, then an atomic ``os.replace`` under a file
lock — so a file at its final path is always complete and has the catalogued sha256.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import filelock
import platformdirs

from ..errors import ChecksumMismatchError, W2VEvalError

if TYPE_CHECKING:
    from .._typing import StrPath
    from ._catalog import CatalogEntry, CatalogFile

__all__ = [
    "ENV_HOME",
    "CacheNotWritableError",
    "cache_dir",
    "check_writable",
    "describe_bytes",
    "goldsets_dir",
    "install",
    "installed_path",
    "is_installed",
    "sha256_of",
    "work_dir",
]

ENV_HOME = "W2VEVAL_HOME"
_TMP_SUFFIX = ".w2veval-part"
_CHUNK = 1 << 20


def cache_dir() -> Path:
    """The w2veval cache folder.

    Returns
    -------
    pathlib.Path
        ``$W2VEVAL_HOME`` when that variable is set and not empty, otherwise the
        platform's user cache folder for ``w2veval`` (``~/.cache/w2veval`` on Linux).
        The folder is not created here.
    """
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_cache_dir("w2veval"))


class CacheNotWritableError(W2VEvalError, OSError):
    """The gold-set cache folder cannot be made or written to."""


def check_writable() -> Path:
    """Make :func:`goldsets_dir` if needed and check that a file can be created in it.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    CacheNotWritableError
        Saying why (a file in the way, a read-only file system, no permission) and
        that ``W2VEVAL_HOME`` chooses another folder.
    """
    folder = goldsets_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=_TMP_SUFFIX, dir=folder)
        os.close(fd)
        os.unlink(probe)
    except (FileExistsError, NotADirectoryError):
        raise _not_writable(folder, "a file is in the way (a folder is needed)") from None
    except OSError as exc:
        raise _not_writable(folder, exc.strerror or str(exc)) from None
    return folder


def _not_writable(folder: Path, reason: str) -> CacheNotWritableError:
    where = f"{ENV_HOME}={os.environ[ENV_HOME]}" if os.environ.get(ENV_HOME) else "the default cache folder"
    return CacheNotWritableError(
        f"cannot install gold sets into {folder} ({where}): {reason}; set {ENV_HOME} to a folder "
        "you can write to"
    )


def goldsets_dir() -> Path:
    """``cache_dir() / "goldsets"``: the root of the installed gold-set files."""
    return cache_dir() / "goldsets"


def installed_path(file: CatalogFile) -> Path:
    """Where a catalogued file is (or would be) installed.

    Parameters
    ----------
    file : CatalogFile
        The catalogued file; its ``path`` is relative and ``/``-separated.

    Returns
    -------
    pathlib.Path
        ``goldsets_dir() / file.path``, whether or not the file exists.
    """
    parts = file.path.split("/")
    if file.path.startswith("/") or ".." in parts or "" in parts:
        raise ValueError(f"catalog file path {file.path!r} must be relative, without '..' or empty parts")
    return goldsets_dir().joinpath(*parts)


def is_installed(entry: CatalogEntry) -> bool:
    """Whether every file of a catalog entry is in the cache.

    Parameters
    ----------
    entry : CatalogEntry

    Returns
    -------
    bool
        True when each of ``entry.files`` exists at its :func:`installed_path`.
        Files reach that path only after their sha256 was checked (:func:`install`),
        so presence is not re-hashed here.
    """
    return all(installed_path(f).is_file() for f in entry.files)


def sha256_of(path: StrPath) -> str:
    """The sha256 of a file as 64 lower-case hex digits, read in a stream."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def describe_bytes(head: bytes, size: int | None = None) -> str:
    """What the start of some bytes looks like, for error messages.

    Parameters
    ----------
    head : bytes
        The first few kilobytes of the content.
    size : int, optional
        The full size; 0 reads as "an empty file".

    Returns
    -------
    str
        E.g. ``'an HTML page titled "404 Not Found"'``, ``"a zip archive"``,
        ``"text starting 'word1 word2 score'"`` or ``"binary data"``.
    """
    if size == 0 or not head:
        return "an empty file"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        title = _TITLE.search(head)
        if title:
            text = " ".join(title.group(1).decode("utf-8", "replace").split())[:80]
            return f'an HTML page titled "{text}"'
        return "an HTML page"
    if stripped.startswith(b"<?xml"):
        return "an XML document"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "a zip archive"
    if head[257:262] == b"ustar":
        return "a tar archive"
    for magic, label in (
        (b"\x1f\x8b", "gzip-compressed data"),
        (b"BZh", "bzip2-compressed data"),
        (b"\xfd7zXZ\x00", "xz-compressed data"),
        (b"%PDF", "a PDF document"),
    ):
        if head.startswith(magic):
            return label
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of head
            return "binary data"
        text = head[: exc.start].decode("utf-8")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f"text starting {first[:60]!r}" if first else "blank text"


def _head(path: StrPath, n: int = 4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _mismatch(file: CatalogFile, source: Path, actual: str) -> ChecksumMismatchError:
    size = source.stat().st_size
    return ChecksumMismatchError(
        f"not installing gold-set file {file.path!r}: expected sha256 {file.sha256}, "
        f"got {actual} ({size:,} bytes, {describe_bytes(_head(source), size)}); "
        f"the source is not the catalogued file (a different version, an error page or a "
        f"truncated copy) — fetch it again or import a correct copy",
        path=source,
    )


def _remove_stale_temps(folder: Path, name: str) -> None:
    # Only called under the destination's lock: no live writer owns these.
    for stale in folder.glob(f".{_glob_escape(name)}.*{_TMP_SUFFIX}"):
        try:
            stale.unlink()
        except OSError:
            pass


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def install(file: CatalogFile, source_path: StrPath, *, known_sha256: str | None = None) -> Path:
    """Install a file into the cache after checking its sha256.

    Parameters
    ----------
    file : CatalogFile
        The catalogued file the source should be.
    source_path : str or os.PathLike
        A local copy (a download, an extracted archive member, a file to import).
        It is copied, never moved or changed.
    known_sha256 : str, optional
        The source's sha256 when the caller has just computed it (an import scan, a
        download check): spares one read. The copy is verified all the same.

    Returns
    -------
    pathlib.Path
        The installed file, :func:`installed_path` of ``file``.

    Raises
    ------
    ChecksumMismatchError
        If the sha256 of the source (or of the copy written) is not ``file.sha256``;
        the message names the file, both hashes, the size and what the bytes look
        like. Nothing is written to the cache in that case.

    Notes
    -----
    The copy goes to a temporary file in the destination folder and is moved into
    place with :func:`os.replace`, under a :class:`filelock.FileLock` on
    ``<destination>.lock``: several processes installing the same file leave one
    complete file, and temporary files left by a killed process are removed.
    """
    source = Path(source_path)
    actual = known_sha256 or sha256_of(source)
    if actual != file.sha256:
        raise _mismatch(file, source, actual)
    dest = installed_path(file)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with filelock.FileLock(str(dest) + ".lock"):
        _remove_stale_temps(dest.parent, dest.name)
        if dest.is_file() and sha256_of(dest) == file.sha256:
            return dest  # another process installed it while we waited
        fd, tmp_name = _mkstemp(dest)
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != file.sha256:  # the source changed while we copied
                raise _mismatch(file, source, digest.hexdigest())
            # mkstemp makes 0600: a cache filled by root in an image would be unreadable
            # to the job running as another user. Give the file what open() would give.
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, dest)
        finally:
            if tmp.exists():
                tmp.unlink()
    return dest


def _mkstemp(dest: Path):
    return tempfile.mkstemp(prefix=f".{dest.name}.", suffix=_TMP_SUFFIX, dir=dest.parent)


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_WORK_PREFIX = ".fetch-"


@contextlib.contextmanager
def work_dir() -> Iterator[Path]:
    """A private temporary folder inside :func:`cache_dir`, removed when the block ends.

    The folder is locked (``<folder>.lock``) while in use. Folders whose lock is free
    belong to a process that died mid-download (killed, power cut); they are removed
    here first, so partial downloads do not pile up in the cache.

    Yields
    ------
    pathlib.Path
        The folder, ``cache_dir() / ".fetch-<random>"``.

    Raises
    ------
    CacheNotWritableError
        If the cache cannot be made or written to (:func:`check_writable`).
    """
    check_writable()  # a cache that cannot be written says so, before anything is downloaded
    root = cache_dir()
    _remove_dead_work_dirs(root)
    folder = root / f"{_WORK_PREFIX}{uuid.uuid4().hex}"
    lock = filelock.FileLock(str(folder) + ".lock")
    with lock:  # taken before the folder exists: a folder without a held lock is dead
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    Path(lock.lock_file).unlink(missing_ok=True)


def _remove_dead_work_dirs(root: Path) -> None:
    for folder in root.glob(f"{_WORK_PREFIX}*"):
        if not folder.is_dir():
            continue
        lock = filelock.FileLock(str(folder) + ".lock", timeout=0)
        try:
            lock.acquire()
        except (filelock.Timeout, OSError):
            continue  # alive (or not ours to judge)
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            lock.release()
            Path(lock.lock_file).unlink(missing_ok=True)
