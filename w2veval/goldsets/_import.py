"""Install gold-set files from a local folder, found by content, for offline machines.

A copy of the files (an unpacked download, a USB stick, ``../shared/goldsets``) is
scanned recursively; every file whose sha256 equals a catalogued file's is installed
into the cache. Names and folders do not matter, so renamed or re-arranged copies
are found too, and a corrupted copy is simply not matched.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import W2VEvalError
from ._cache import CacheNotWritableError, check_writable, install, installed_path
from ._catalog import CatalogEntry

if TYPE_CHECKING:
    from .._typing import StrPath

__all__ = ["MAX_IMPORT_BYTES", "ImportReport", "import_dir"]

MAX_IMPORT_BYTES = 256 * 1024 * 1024


@dataclass
class ImportReport:
    """What :func:`import_dir` did.

    Attributes
    ----------
    installed : dict of str to str
        Catalog path of each file installed → the file it was copied from.
    present : list of str
        Catalog paths of files that were already in the cache (not looked for).
    complete : list of str
        Names of the entries whose files are all installed after the import.
    missing : dict of str to list of str
        Entry name → catalog paths of its files still not installed.
    skipped : list of (str, str)
        Files of the folder that were not read, with why (too large, unreadable,
        a link out of the folder, not a regular file).
    unrecognised : list of str
        Files that were hashed and match no catalogued file (another data set, a
        corrupted or edited copy), in scan order.
    n_scanned : int
        How many files were hashed.
    """

    installed: dict[str, str] = field(default_factory=dict)
    present: list[str] = field(default_factory=list)
    complete: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    n_scanned: int = 0

    @property
    def ok(self) -> bool:
        """True when every entry asked for is complete."""
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the report."""
        return {
            "installed": dict(self.installed),
            "present": list(self.present),
            "complete": list(self.complete),
            "missing": {k: list(v) for k, v in self.missing.items()},
            "skipped": [list(s) for s in self.skipped],
            "unrecognised": list(self.unrecognised),
            "n_scanned": self.n_scanned,
        }


def import_dir(
    folder: StrPath,
    entries: CatalogEntry | Iterable[CatalogEntry],
    *,
    max_bytes: int = MAX_IMPORT_BYTES,
    progress: bool = False,
) -> ImportReport:
    """Install catalogued files found anywhere in a folder, matched by sha256.

    Parameters
    ----------
    folder : str or os.PathLike
        Scanned recursively. Symbolic links are followed only to files inside the
        folder; files larger than ``max_bytes``, unreadable files and anything that
        is not a regular file (FIFOs, devices) are skipped and reported.
    entries : CatalogEntry or iterable of CatalogEntry
        The gold sets to look for. Files already in the cache are not looked for; a
        file shared by several entries is installed once.
    max_bytes : int, default 256 MB
        Larger files are not hashed.
    progress : bool, default False
        A progress bar of the files hashed, on stderr (after a second).

    Returns
    -------
    ImportReport
        Files installed (and from where), entries complete, entries still missing
        (with which files), files skipped, files hashed that match no catalogued file.

    Raises
    ------
    W2VEvalError
        If ``folder`` is not a folder.
    CacheNotWritableError
        If files are wanted but the cache (``W2VEVAL_HOME``) cannot be written: a
        file in the way, a read-only or full file system, no permission. Checked
        before the scan, so an import never reports "0 installed" for that reason.

    Notes
    -----
    Each scanned file is hashed once; a file that matches is verified again as it
    is copied into the cache (:func:`~w2veval.goldsets._cache.install`), so a file
    that changes during the import is not installed. The scan stops early once
    every wanted file has been found (files after that point are neither hashed nor
    listed as unrecognised), and nothing is scanned when no file is wanted.
    """
    root = Path(folder)
    if not root.is_dir():
        raise W2VEvalError(
            f"cannot import gold sets from {str(root)!r}: not a folder; give the folder "
            "that holds the copied gold-set files",
            path=root,
        )
    entries = [entries] if isinstance(entries, CatalogEntry) else list(entries)
    report = ImportReport()

    known = {file.sha256 for entry in entries for file in entry.files}
    wanted: dict[str, list] = {}  # sha256 -> catalog files with that content
    seen_paths = set()
    for entry in entries:
        for file in entry.files:
            if file.path in seen_paths:
                continue
            seen_paths.add(file.path)
            if installed_path(file).is_file():
                report.present.append(file.path)
            else:
                wanted.setdefault(file.sha256, []).append(file)

    if wanted:
        from .._progress import steps

        check_writable()
        for path in steps(
            _scan(root.resolve(), report, max_bytes),
            desc=f"import: hashing {root}",
            progress=progress,
            unit="file",
        ):
            digest = _sha256_or_none(path, report)
            if digest is None:
                continue
            report.n_scanned += 1
            if digest not in known:
                report.unrecognised.append(str(path))
            for file in wanted.pop(digest, ()):
                try:
                    install(file, path, known_sha256=digest)
                except OSError as exc:
                    if not isinstance(exc, W2VEvalError) and not _about(exc, path):
                        # The cache failed (a full disk), not this copy: every other file would too.
                        raise CacheNotWritableError(
                            f"cannot install {file.path!r} into the gold-set cache: {exc.strerror or exc}",
                            path=exc.filename,
                        ) from None
                    report.skipped.append((str(path), f"could not be installed as {file.path!r}: {exc}"))
                    wanted.setdefault(digest, []).append(file)
                else:
                    report.installed[file.path] = str(path)
            if not wanted:
                break

    for entry in entries:
        absent = [f.path for f in entry.files if not installed_path(f).is_file()]
        if absent:
            report.missing[entry.name] = absent
        elif entry.name not in report.complete:
            report.complete.append(entry.name)
    return report


def _about(exc: OSError, path: Path) -> bool:
    """Whether an error of :func:`install` is about the source file rather than the cache."""
    return exc.filename is not None and os.path.abspath(exc.filename) == os.path.abspath(path)


def _scan(root: Path, report: ImportReport, max_bytes: int):
    """Regular files under ``root`` (sorted, for a deterministic report), links kept inside."""
    for dirpath, dirnames, filenames in os.walk(
        root,
        followlinks=False,
        onerror=lambda e: report.skipped.append((str(e.filename), f"folder not readable: {e.strerror}")),
    ):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                if path.is_symlink():
                    target = path.resolve(strict=True)
                    if not target.is_relative_to(root):
                        report.skipped.append((str(path), f"a link to {target}, outside the folder"))
                        continue
                info = path.stat()
            except (OSError, RuntimeError) as exc:
                report.skipped.append((str(path), f"not readable: {exc}"))
                continue
            if not stat.S_ISREG(info.st_mode):
                report.skipped.append((str(path), "not a regular file"))
            elif info.st_size > max_bytes:
                report.skipped.append((str(path), f"{info.st_size:,} bytes, larger than {max_bytes:,}"))
            else:
                yield path


def _sha256_or_none(path: Path, report: ImportReport) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        report.skipped.append((str(path), f"not readable: {exc.strerror or exc}"))
        return None
