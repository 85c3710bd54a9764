"""Download catalogued gold-set files into the cache, with pooch.

For each file not yet installed, candidate URLs are tried in order: the
organisation's mirror (``$W2VEVAL_MIRROR/<path>``, the plain file) when set, then
the catalog's own URLs (which may serve a zip or tar archive holding the file as
``member``). pooch streams each download into a temporary folder inside the cache
(retrying transient failures); :func:`~w2veval.goldsets._cache.install` then checks
the sha256 and moves the file into place atomically. Whatever arrives instead of the
file — an HTML error page, a truncated body, another version — is described in the
error, and the temporary folder is always removed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pooch

from ..errors import DownloadError, spelled
from ._cache import _head, describe_bytes, install, installed_path, sha256_of, work_dir
from ._catalog import CatalogEntry, CatalogFile

if TYPE_CHECKING:
    import requests
    from tqdm import tqdm

__all__ = [
    "ENV_MIRROR",
    "Attempt",
    "DownloadError",
    "FetchReport",
    "FileFailure",
    "candidate_urls",
    "fetch",
]

ENV_MIRROR = "W2VEVAL_MIRROR"
ENV_MIRROR_ONLY = "W2VEVAL_MIRROR_ONLY"
DEFAULT_RETRIES = 2
DEFAULT_TIMEOUT = 30.0
MAX_MEMBER_BYTES = 256 * 1024 * 1024
logger = logging.getLogger(__name__)


def _what_to_do() -> str:
    return (
        "To install without this download, copy the gold-set files from a machine that has them "
        "(any names and folders) and run "
        + spelled("`w2veval goldsets import DIR`", "`w2veval.goldsets.import_dir(DIR)`")
        + ", or set W2VEVAL_MIRROR to a mirror that serves them as <mirror>/<catalog path>"
    )


@dataclass(frozen=True)
class Attempt:
    """One URL tried for one file: ``outcome`` says what arrived (or ``"installed"``)."""

    url: str
    outcome: str
    ok: bool = False


@dataclass(frozen=True)
class FileFailure:
    """A catalogued file that no URL delivered."""

    path: str
    sha256: str
    entries: tuple[str, ...]
    attempts: tuple[Attempt, ...]

    def __str__(self) -> str:
        sets = ", ".join(repr(name) for name in self.entries)
        head = (
            f"could not download {self.path!r} (sha256 {self.sha256}) of gold set"
            f"{'s' if len(self.entries) > 1 else ''} {sets}"
        )
        if not self.attempts:
            return f"{head}: the catalog lists no URL for it and {ENV_MIRROR} is not set"
        tried = "; ".join(f"[{i}] {a.url}: {a.outcome}" for i, a in enumerate(self.attempts, 1))
        return f"{head}: tried {len(self.attempts)} URL{'s' if len(self.attempts) > 1 else ''}: {tried}"


@dataclass
class FetchReport:
    """What :func:`fetch` did.

    Attributes
    ----------
    downloaded : dict of str to str
        Catalog path of each file downloaded and installed → the URL it came from.
    present : list of str
        Catalog paths of files that were already installed (not downloaded again).
    failed : list of FileFailure
        Files no URL delivered, with every URL tried and what arrived from it.
    complete : list of str
        Names of the entries whose files are all installed after the call.
    incomplete : list of str
        Names of the entries still missing a file.
    """

    downloaded: dict[str, str] = field(default_factory=dict)
    present: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    complete: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the report."""
        return {
            "downloaded": dict(self.downloaded),
            "present": list(self.present),
            "failed": [
                {
                    "path": f.path,
                    "sha256": f.sha256,
                    "entries": list(f.entries),
                    "attempts": [{"url": a.url, "outcome": a.outcome} for a in f.attempts],
                }
                for f in self.failed
            ],
            "complete": list(self.complete),
            "incomplete": list(self.incomplete),
        }

    def message(self) -> str:
        """The failures in words, one line per file, then what to do; empty when all worked."""
        if not self.failed:
            return ""
        return "\n".join([*(str(f) for f in self.failed), _what_to_do()])


def candidate_urls(file: CatalogFile) -> list[str]:
    """The URLs :func:`fetch` tries for a file, in order.

    Parameters
    ----------
    file : CatalogFile

    Returns
    -------
    list of str
        ``$W2VEVAL_MIRROR/<file.path>`` (URL-quoted) first when the variable is set,
        then ``file.urls``; duplicates removed. With ``W2VEVAL_MIRROR_ONLY=1`` (an
        air-gapped site with an internal mirror) only the mirror.
    """
    urls: list[str] = []
    mirror = os.environ.get(ENV_MIRROR, "").strip()
    if mirror:
        urls.append(f"{mirror.rstrip('/')}/{quote(file.path, safe='/')}")
        if os.environ.get(ENV_MIRROR_ONLY, "").strip() not in ("", "0"):
            return urls
    for url in file.urls:
        if url not in urls:
            urls.append(url)
    return urls


def fetch(
    entries: CatalogEntry | Iterable[CatalogEntry],
    *,
    progress: bool = False,
    strict: bool = True,
    retries: int = DEFAULT_RETRIES,
    timeout: float = DEFAULT_TIMEOUT,
) -> FetchReport:
    """Download the files of catalog entries that are not in the cache yet.

    Parameters
    ----------
    entries : CatalogEntry or iterable of CatalogEntry
        The gold sets to make available. A file shared by several entries is
        downloaded once.
    progress : bool, default False
        Show a progress bar per download on standard error.
    strict : bool, default True
        Raise :class:`DownloadError` when a file could not be downloaded (after
        every other file was tried). With False, failures are only reported.
    retries : int, default 2
        pooch's ``retry_if_failed`` for each URL: how many more times to try after a
        connection error, a truncated body or an HTTP 5xx (with 1 s, 2 s, ... pauses).
        An HTTP 4xx is not retried.
    timeout : float, default 30
        Seconds to wait for the server to connect or send data.

    Returns
    -------
    FetchReport
        What was downloaded (and from where), already present, and failed.

    Raises
    ------
    DownloadError
        With ``strict=True``, if any file failed: names the gold set, the file, each
        URL tried and what arrived from it, and how to install the file otherwise
        (``w2veval goldsets import DIR`` or ``W2VEVAL_MIRROR``).

    Notes
    -----
    Downloads go to a temporary folder inside the cache, removed when the call ends
    whatever happens (and by the next call if the process was killed, see
    :func:`~w2veval.goldsets._cache.work_dir`); a file reaches the cache only through
    :func:`~w2veval.goldsets._cache.install` (sha256 check, atomic move).
    """
    entries = [entries] if isinstance(entries, CatalogEntry) else list(entries)
    users: dict[str, list[str]] = {}
    files: dict[str, CatalogFile] = {}
    for entry in entries:
        for file in entry.files:
            files.setdefault(file.path, file)
            names = users.setdefault(file.path, [])
            if entry.name not in names:
                names.append(entry.name)

    report = FetchReport()
    missing: list[CatalogFile] = []
    for path, file in files.items():
        if installed_path(file).is_file():
            report.present.append(path)
        else:
            missing.append(file)

    if missing:
        with work_dir() as work, _pooch_logs_to_logging():
            for file in missing:
                attempts: list[Attempt] = []
                for url in candidate_urls(file):
                    attempt = _try_url(
                        url,
                        file,
                        work,
                        is_mirror=_is_mirror(url),
                        progress=progress,
                        retries=retries,
                        timeout=timeout,
                    )
                    attempts.append(attempt)
                    if attempt.ok:
                        report.downloaded[file.path] = url
                        break
                else:
                    report.failed.append(
                        FileFailure(file.path, file.sha256, tuple(users[file.path]), tuple(attempts))
                    )

    failed = {f.path for f in report.failed}
    for entry in entries:
        target = report.incomplete if any(f.path in failed for f in entry.files) else report.complete
        if entry.name not in target:
            target.append(entry.name)
    if report.failed and strict:
        raise DownloadError(report.message(), report=report)
    return report


def _is_mirror(url: str) -> bool:
    mirror = os.environ.get(ENV_MIRROR, "").strip()
    return bool(mirror) and url.startswith(mirror.rstrip("/") + "/")


class _Rejected(Exception):
    """A download that is not the file; the message says what arrived."""


class _NotRetried(Exception):
    """An HTTP client error (404, 403, ...): retrying will not help, so pooch must not."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code} {response.reason}")


class _Downloader:
    """pooch's HTTPDownloader, except that client errors stop pooch's retries."""

    def __init__(self, progressbar: bool | tqdm, timeout: float) -> None:
        self._http = pooch.HTTPDownloader(progressbar=progressbar, timeout=timeout)

    def __call__(self, url: str, output_file: Any, pooch_obj: Any, check_only: bool = False) -> Any:
        import requests

        try:
            return self._http(url, output_file, pooch_obj, check_only=check_only)
        except requests.HTTPError as exc:
            response = exc.response
            if (
                response is not None
                and 400 <= response.status_code < 500
                and response.status_code not in (408, 429)
            ):
                raise _NotRetried(response) from exc
            raise


class _TakeMember:
    """pooch processor: the catalogued member out of a zip or tar download.

    A download that is no archive is passed on as is (some URLs serve the file
    itself); its sha256 decides.
    """

    def __init__(self, member: str) -> None:
        self.member = member

    def __call__(self, fname: str, action: str, pooch_obj: Any) -> str:
        # (name, size, kind) of every member, kind: "file", "dir" or "other" (links, devices)
        if zipfile.is_zipfile(fname):
            kind, extractor = "zip", pooch.Unzip(members=[self.member], extract_dir="unpacked")
            with zipfile.ZipFile(fname) as archive:
                members = [
                    (i.filename, i.file_size, "dir" if i.is_dir() else "file") for i in archive.infolist()
                ]
        elif tarfile.is_tarfile(fname):
            kind, extractor = "tar", pooch.Untar(members=[self.member], extract_dir="unpacked")
            with tarfile.open(fname) as archive:
                members = [
                    (m.name, m.size, "file" if m.isfile() else "dir" if m.isdir() else "other")
                    for m in archive.getmembers()
                ]
        else:
            return fname
        ours = next((m for m in members if m[0] == self.member), None)
        if ours is None or ours[2] != "file":
            names = [m[0] for m in members]
            shown = ", ".join(repr(n) for n in names[:5]) + (", ..." if len(names) > 5 else "")
            what = "no file member" if ours is None else "a member that is not a regular file,"
            raise _Rejected(
                f"a {kind} archive arrived with {what} {self.member!r} "
                f"({len(names)} members: {shown or 'none'})"
            )
        # pooch extracts every member whose normalised name starts with ours, and passes
        # tarfile's "data" filter only on Python >= 3.12: refuse links, devices, absolute
        # or '..' names among them, and anything too large.
        prefix = os.path.normpath(self.member)
        extracted = [m for m in members if os.path.normpath(m[0]).startswith(prefix)]
        if any(m[2] == "other" for m in extracted):
            raise _Rejected(
                f"a {kind} archive arrived whose members named {self.member!r}... include "
                "links or devices; not extracted"
            )
        if any(m[0].startswith(("/", "\\")) or ".." in m[0].replace("\\", "/").split("/") for m in extracted):
            raise _Rejected(
                f"a {kind} archive arrived whose members named {self.member!r}... include "
                "absolute or '..' paths; not extracted"
            )
        size = sum(m[1] for m in extracted)
        if size > MAX_MEMBER_BYTES:
            raise _Rejected(
                f"a {kind} archive arrived whose member {self.member!r} would unpack to "
                f"{size:,} bytes, more than the {MAX_MEMBER_BYTES:,} a gold-set file may have"
            )
        extractor(fname, action, pooch_obj)
        return os.path.join(extractor.extract_dir, *self.member.split("/"))


def _try_url(
    url: str, file: CatalogFile, work: Path, *, is_mirror: bool, progress: bool, retries: int, timeout: float
) -> Attempt:
    folder = Path(tempfile.mkdtemp(dir=work))
    bar = None
    try:
        if url.startswith(("http://", "https://")):
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(
                    desc=file.path, total=0, unit="B", unit_scale=True, file=sys.stderr, ncols=79, leave=True
                )
            downloader = _Downloader(bar if bar is not None else False, timeout)
        else:
            downloader = pooch.downloaders.choose_downloader(url, progressbar=progress)
        store = pooch.create(
            path=folder,
            base_url="",
            registry={"download": None},
            urls={"download": url},
            retry_if_failed=retries,
        )
        member = None if is_mirror else file.member
        logger.info("downloading %s from %s", file.path, url)
        try:
            got = store.fetch(
                "download", processor=_TakeMember(member) if member else None, downloader=downloader
            )
        except _Rejected as exc:
            return Attempt(url, str(exc))
        except Exception as exc:  # one URL's failure must not stop the others
            return Attempt(url, _explain(exc, retries, timeout))
        actual = sha256_of(got)
        if actual != file.sha256:
            size = os.path.getsize(got)
            return Attempt(
                url,
                f"{size:,} bytes arrived, {describe_bytes(_head(got), size)}, "
                f"with sha256 {actual} instead of {file.sha256}",
            )
        try:
            install(file, got, known_sha256=actual)
        except Exception as exc:
            return Attempt(url, f"downloaded, but installing it failed: {exc}")
        return Attempt(url, "installed", ok=True)
    finally:
        if bar is not None:
            bar.close()
        shutil.rmtree(folder, ignore_errors=True)


_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\"\)\]]+)")
_INCOMPLETE = re.compile(r"IncompleteRead\((\d+) bytes read, (\d+) more expected\)")


def _explain(exc: BaseException, retries: int, timeout: float) -> str:
    """What went wrong with a download, in a few words."""
    import requests

    if isinstance(exc, _NotRetried):
        return str(exc)
    tries = f" ({1 + retries} attempts)" if retries else ""
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason}{tries}"
    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout:g} s{tries}"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        found = _INCOMPLETE.search(str(exc))
        if found:
            read, more = int(found.group(1)), int(found.group(2))
            return (
                f"the connection closed after {read:,} of the {read + more:,} bytes the server "
                f"announced (a truncated body){tries}"
            )
        return f"the connection broke during the body (a truncated body: {exc}){tries}"
    if isinstance(exc, requests.ConnectionError):
        found = _ERRNO.search(str(exc))
        reason = found.group(1).strip() if found else str(exc)[:200]
        return f"could not connect: {reason}{tries}"
    if isinstance(exc, requests.RequestException):
        return f"{type(exc).__name__}: {str(exc)[:200]}{tries}"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


class _ToLogging(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        logger.debug("pooch: %s", record.getMessage())


@contextlib.contextmanager
def _pooch_logs_to_logging() -> Iterator[None]:
    """pooch logs to stderr by default; send its records to our logger at DEBUG instead."""
    plog = pooch.get_logger()
    saved = plog.handlers[:], plog.propagate
    plog.handlers = [_ToLogging()]
    plog.propagate = False
    try:
        yield
    finally:
        plog.handlers, plog.propagate = saved
