"""Rendering result rows as a text table, JSON or CSV (no pandas needed), and writing outputs atomically."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import stat
import tempfile

from .errors import OutputError, OutputExistsError

__all__ = ["to_table", "to_json", "to_csv", "json_safe", "render_frame", "write_atomic"]


def json_safe(value):
    """``value`` with NaN/inf replaced by ``None`` and numpy scalars made Python."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(rows: list[dict]) -> str:
    """A JSON list of row objects; NaN is written as ``null``."""
    return json.dumps(json_safe(rows), indent=2, allow_nan=False, ensure_ascii=False)


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(json_safe(rows))
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def to_table(rows: list[dict], columns) -> str:
    """A fixed-width text table of ``columns``; numbers right-aligned."""
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    numeric = [all(isinstance(row.get(col), (int, float)) or row.get(col) is None for row in rows)
               for col in columns]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells])


def render_frame(frame, fmt: str) -> str:
    """A DataFrame as the command line prints it: ``table``, ``json`` (row objects) or ``csv``."""
    rows = frame.to_dict(orient="records")
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows).rstrip("\n")
    return to_table(rows, tuple(frame.columns))


def write_atomic(path, data: bytes, *, overwrite: bool = True, exists_hint: str = "",
                 error: type[OutputError] = OutputError) -> None:
    """Write ``data`` to ``path`` completely or not at all.

    The bytes go to a temporary file in the destination folder, which is renamed
    into place (:func:`os.replace`) once written and flushed: a full disk, a
    read-only folder or an interruption leaves no file, and never half of one. A
    device or pipe that exists at ``path`` (``/dev/stdout``, a FIFO) cannot be
    replaced and is written to directly.

    Parameters
    ----------
    path : str or os.PathLike
    data : bytes
    overwrite : bool, default True
        ``False`` refuses to replace an existing file (:class:`OutputExistsError`,
        whose message ends with ``exists_hint``).
    error : type, default OutputError
        The class of the error raised when writing fails (a subclass of OutputError).

    Raises
    ------
    OutputError
        Naming the path and the reason: a missing folder, a folder in the way, no
        permission, a read-only or full file system.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_atomic(os.path.join(folder, "out.txt"), b"hello")
    >>> os.listdir(folder)
    ['out.txt']
    >>> write_atomic(os.path.join(folder, "out.txt"), b"again", overwrite=False)
    Traceback (most recent call last):
    ...
    w2veval.errors.OutputExistsError: .../out.txt: the file exists
    """
    path = os.fspath(path)
    existing = _stat_or_none(path, error)
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise error("cannot write: this is a folder; give a file name", path=path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        _write_in_place(path, data, error)
        return
    if existing is not None and not overwrite:
        raise OutputExistsError("the file exists" + (f"; {exists_hint}" if exists_hint else ""), path=path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise error(f"cannot write: the folder {folder} does not exist", path=path)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".part")
    except OSError as exc:
        raise error(f"cannot write here: {_reason(exc)}", path=path) from None
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a plain open() would honour umask
        _move_into_place(temporary, path, overwrite, exists_hint)
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise error(f"cannot write: {_reason(exc)}", path=path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _stat_or_none(path: str, error):
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a path under a file (ENOTDIR), a link loop, no permission
        raise error(f"cannot write: {_reason(exc)}", path=path) from None


def _move_into_place(temporary: str, path: str, overwrite: bool, exists_hint: str) -> None:
    if overwrite:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails if path appeared meanwhile: no check-then-write race
    except FileExistsError:
        raise OutputExistsError("the file exists" + (f"; {exists_hint}" if exists_hint else ""),
                                path=path) from None
    except OSError:  # a file system without hard links
        if os.path.exists(path):
            raise
        os.replace(temporary, path)


def _write_in_place(path: str, data: bytes, error) -> None:
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise error(f"cannot write: {_reason(exc)}", path=path) from None


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
