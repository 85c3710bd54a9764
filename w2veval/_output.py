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

__all__ = ["is_count_column", "json_safe", "render_frame", "to_csv", "to_json", "to_table", "write_atomic"]

_COUNT_NAMES = {"rank", "trial", "line", "k"}
"""Columns that hold whole numbers although they may arrive as floats (a rank computed
as float, an int column that held NaN and became float64 in pandas)."""


def is_count_column(name) -> bool:
    """Whether column ``name`` holds counts or ranks: ``n_*``, ``*_n_*``, ``rank``, ``trial``, ...

    Examples
    --------
    >>> [is_count_column(c) for c in ("n_pairs", "ws353_n_scored", "rank", "spearman", "human_rank")]
    [True, True, True, False, False]
    """
    name = str(name)
    return name in _COUNT_NAMES or name.startswith("n_") or "_n_" in name


def _as_int(value):
    """``value`` as an int when it is a whole float (``1.0`` → ``1``); anything else unchanged."""
    if isinstance(value, float) or (hasattr(value, "is_integer") and not isinstance(value, (int, bool))):
        value = float(value)
        if math.isfinite(value) and value.is_integer():
            return int(value)
    return value


def _whole(rows: list[dict], columns) -> list[dict]:
    """``rows`` with the whole floats of ``columns`` made ints (other cells untouched)."""
    columns = set(columns)
    if not columns:
        return rows
    return [{k: (_as_int(v) if k in columns else v) for k, v in row.items()} for row in rows]


def _count_columns(rows: list[dict], extra=()) -> set:
    names = dict.fromkeys(k for row in rows for k in row)
    return {k for k in names if is_count_column(k)} | set(extra)


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


def to_json(rows, *, whole=()) -> str:
    """A JSON list of row objects; NaN is written as ``null``, counts and ranks as integers.

    ``whole`` names more columns whose whole-number floats are written as integers.
    """
    rows = json_safe(rows)
    if isinstance(rows, list) and all(isinstance(row, dict) for row in rows):
        rows = _whole(rows, _count_columns(rows, whole))
    return json.dumps(rows, indent=2, allow_nan=False, ensure_ascii=False)


def to_csv(rows: list[dict], *, whole=()) -> str:
    """CSV with a header row; NaN is an empty cell, counts and ranks are integers (``1``, not ``1.0``).

    Examples
    --------
    >>> print(to_csv([{"rank": 1.0, "n_pairs": 353.0, "spearman": 1.0}]), end="")
    rank,n_pairs,spearman
    1,353,1.0
    """
    buffer = io.StringIO()
    if rows:
        fields = list(dict.fromkeys(key for row in rows for key in row))  # rows of several kinds
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_whole(json_safe(rows), _count_columns(rows, whole)))
    return buffer.getvalue()


def _cell(value, significant: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    if isinstance(value, float):
        return _significant(value) if significant else f"{value:.4f}"
    return str(value)


def _significant(value: float) -> str:
    """Four decimals, except a small number, which keeps four significant digits.

    Examples
    --------
    >>> [_significant(v) for v in (0.6543219, 0.00642, 0.0064213, 1.5e-07, 0.0, -0.05, 12.5)]
    ['0.6543', '0.00642', '0.006421', '1.5e-07', '0.0000', '-0.05', '12.5000']
    """
    if value == 0 or not math.isfinite(value) or abs(value) >= 0.1:
        return f"{value:.4f}"
    return format(value, ".4g")


def to_table(rows: list[dict], columns, *, whole=(), significant: bool = False) -> str:
    """A fixed-width text table of ``columns``; numbers right-aligned.

    Counts and ranks (:func:`is_count_column`, and the columns named in ``whole``) print
    as integers even when they arrive as floats: ``1``, not ``1.0000``. Floats print with
    four decimals; with ``significant=True`` a number below 0.1 keeps four significant
    digits instead (``0.00642``, not ``0.0064``).

    Examples
    --------
    >>> print(to_table([{"rank": 1.0, "n_common": 30.0, "delta": 0.25}], ("rank", "n_common", "delta")))
    rank  n_common   delta
    ----  --------  ------
       1        30  0.2500
    """
    rows = _whole(rows, _count_columns(rows, whole))
    cells = [[_cell(row.get(col), significant) for col in columns] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    numeric = [
        all(isinstance(row.get(col), (int, float)) or row.get(col) is None for row in rows) for col in columns
    ]

    def line(values):
        return "  ".join(
            v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells])


def render_frame(frame, fmt: str) -> str:
    """A DataFrame as the command line prints it: ``table``, ``json`` (row objects) or ``csv``.

    A float column whose values are all whole numbers or NaN (an int column that held
    NaN, which pandas stores as float64) prints as integers, like counts and ranks; an
    ``Int64`` column prints as integers, its missing values as NaN (``null``, an empty CSV
    cell). In the table, a float below 0.1 keeps four significant digits (``0.00642``);
    CSV and JSON write every float in full.
    """
    rows = [
        {k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict(orient="records")
    ]
    whole = [c for c in frame.columns if _int_with_nan(frame[c])]
    if fmt == "json":
        return to_json(rows, whole=whole)
    if fmt == "csv":
        return to_csv(rows, whole=whole).rstrip("\n")
    return to_table(rows, tuple(frame.columns), whole=whole, significant=True)


def _missing(value) -> bool:
    """Whether ``value`` is pandas' missing marker (``pd.NA``, ``NaT``) rather than a value."""
    return type(value).__name__ in ("NAType", "NaTType")


def _int_with_nan(column) -> bool:
    """Whether a float column holds whole numbers and at least one NaN."""
    if getattr(column.dtype, "kind", "") != "f":
        return False
    present = column.dropna()
    return len(present) < len(column) and bool(((present % 1) == 0).all())


def write_atomic(
    path,
    data: bytes,
    *,
    overwrite: bool = True,
    exists_hint: str = "",
    error: type[OutputError] = OutputError,
) -> None:
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
        raise OutputExistsError(
            "the file exists" + (f"; {exists_hint}" if exists_hint else ""), path=path
        ) from None
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
