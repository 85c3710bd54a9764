"""Reading a gold-set file into text: size and line limits, encodings, line ends.

Every gold-set reader (tables, SemEval, Multi-SimLex, analogies, rater files) goes
through :func:`read_file`, so the rules below hold for all of them:

* a file larger than :func:`~w2veval._limits.max_goldset_bytes` is refused before it is
  read (at most limit + 1 bytes are ever read, so a pipe cannot grow it either), and so
  is a line longer than :func:`~w2veval._limits.max_line_bytes`;
* UTF-16 and UTF-32 (with or without a byte-order mark) are recognised and named
  unless that encoding was asked for; bytes not valid in the encoding, and NUL bytes,
  are errors at their line;
* lines end only at LF, CRLF or CR: U+0085, U+2028, U+2029 and form feeds are
  characters within a line, as an editor shows them.
"""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from typing import TYPE_CHECKING

from .._limits import MAX_GOLDSET_ENV, MAX_LINE_ENV, max_goldset_bytes, max_line_bytes
from ..errors import GoldSetFormatError, GoldSetNotFoundError, option

if TYPE_CHECKING:
    from .._typing import StrPath

__all__ = ["line_of", "read_file", "split_lines"]

# (byte-order mark, name, codec): UTF-32 first, since its LE mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 little-endian", "utf-32"),
    (codecs.BOM_UTF32_BE, "UTF-32 big-endian", "utf-32"),
    (codecs.BOM_UTF16_LE, "UTF-16 little-endian", "utf-16"),
    (codecs.BOM_UTF16_BE, "UTF-16 big-endian", "utf-16"),
)
_SNIFF_BYTES = 4096


def read_file(path: StrPath, encoding: str = "utf-8") -> tuple[str, bytes]:
    """The decoded text of ``path`` (without a leading BOM) and its raw bytes.

    Raises
    ------
    GoldSetNotFoundError
        If ``path`` does not exist or is a directory.
    GoldSetFormatError
        If the file is larger than the gold-set limit, has a line longer than the
        line limit, is UTF-16/UTF-32 while another encoding was asked for, has bytes
        not valid in ``encoding``, or holds a NUL byte; names the line where there is one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "utf16.tsv")
    ...     _ = path.write_bytes("cat\\tdog\\t7\\n".encode("utf-16"))
    ...     read_file(path)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    w2veval.errors.GoldSetFormatError: ...utf16.tsv: the file is UTF-16 little-endian ...;
    convert it to UTF-8 or pass encoding='utf-16'
    """
    data = _read_capped(path)
    codec = _codec(encoding, path)
    if not codec.startswith(("utf-16", "utf-32")):
        _refuse_wide_unicode(data, encoding, path)
    _check_line_length(data, path)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise GoldSetFormatError(
            f"bytes {data[exc.start : exc.end]!r} are not valid {encoding}; the file is in another "
            f"encoding (Latin-1? Windows-1252?): convert it to UTF-8 or pass "
            f"{option('encoding', ...)} with its real encoding",
            path=path,
            line=line_of(data, exc.start),
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        hint = f" (UTF-16? pass {option('encoding', 'utf-16')})" if text.count("\0") * 3 > len(text) else ""
        raise GoldSetFormatError(
            f"NUL byte in the line: a gold set is text and never holds one{hint}",
            path=path,
            line=len(split_lines(text[:nul])),
        )
    return text.removeprefix("\ufeff"), data


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` for LF, CRLF and CR-only (old Mac) line ends alike.

    Unlike :meth:`str.splitlines` this does not break at form feeds, U+0085 or
    U+2028, so line numbers match what an editor shows.

    Examples
    --------
    >>> split_lines("a\\r\\nb\\rc\\nd\\u2028e")
    ['a', 'b', 'c', 'd\\u2028e']
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset`` in ``data``, counting LF, CRLF and CR as line ends.

    Examples
    --------
    >>> line_of(b"a\\r\\nb\\rc\\nd", 7)
    4
    """
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _read_capped(path: StrPath) -> bytes:
    """At most the gold-set limit of bytes from ``path``: a larger file is an error."""
    limit = max_goldset_bytes()
    try:
        handle = open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        what = "is a directory, not a file" if os.path.isdir(path) else "does not exist"
        raise GoldSetNotFoundError(
            f"gold-set file {os.fspath(path)!r} {what}; pass the path of a word-pair "
            "file or a built-in name (see w2veval.goldsets.names())",
            path=path,
        ) from exc
    with handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_big(path, info.st_size, limit)
        data = handle.read(limit + 1)  # a pipe or a growing file has no trustworthy size
    if len(data) > limit:
        raise _too_big(path, None, limit)
    return data


def _too_big(path: StrPath, size: int | None, limit: int) -> GoldSetFormatError:
    has = f"{size:,} bytes, more" if size is not None else "more bytes"
    return GoldSetFormatError(
        f"the file has {has} than the limit of {limit:,} bytes for a gold set (published sets "
        f"are at most a few MB); if it really is one, raise the limit with the environment "
        f"variable {MAX_GOLDSET_ENV}=<bytes>",
        path=path,
    )


def _codec(encoding: str, path: StrPath) -> str:
    try:
        return codecs.lookup(encoding).name
    except (LookupError, TypeError):
        raise GoldSetFormatError(
            f"unknown text encoding {encoding!r}; pass "
            f"{option('encoding', ...)} with a Python codec name such as "
            "'utf-8', 'latin-1' or 'utf-16'",
            path=path,
        ) from None


def _refuse_wide_unicode(data: bytes, encoding: str, path: StrPath) -> None:
    """Name a UTF-16 or UTF-32 file read with a byte-oriented encoding."""
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            raise GoldSetFormatError(
                f"the file is {name} (byte-order mark {bom.hex(' ').upper()}), not "
                f"{_display(encoding)}; convert it to UTF-8 or pass {option('encoding', codec)}",
                path=path,
            )
    found = _sniff_without_bom(data[:_SNIFF_BYTES])
    if found is not None:
        name, codec, how = found
        raise GoldSetFormatError(
            f"the file is {name} without a byte-order mark ({how}), not {_display(encoding)}; "
            f"convert it to UTF-8 or pass {option('encoding', codec)}",
            path=path,
        )


def _sniff_without_bom(sample: bytes) -> tuple[str, str, str] | None:
    """``(name, codec, evidence)`` when NUL bytes fall where UTF-16/32 puts them for ASCII.

    A gold set's digits, tabs and newlines are ASCII, so in UTF-16 at least every
    third or so code unit has a NUL high byte; UTF-8 text never holds a NUL.
    """
    if len(sample) < 4 or b"\0" not in sample:
        return None
    size = len(sample) - len(sample) % 4
    by_position = [sample[k:size:4].count(0) / (size // 4) for k in range(4)]
    if by_position[0] == 0 and min(by_position[1:]) > 0.2:
        return "UTF-32 little-endian", "utf-32-le", "three NUL bytes after every other byte"
    if by_position[3] == 0 and min(by_position[:3]) > 0.2:
        return "UTF-32 big-endian", "utf-32-be", "three NUL bytes before every other byte"
    even = (by_position[0] + by_position[2]) / 2
    odd = (by_position[1] + by_position[3]) / 2
    if odd > 0.2 and even < 0.02:
        return "UTF-16 little-endian", "utf-16-le", "a NUL byte after many others"
    if even > 0.2 and odd < 0.02:
        return "UTF-16 big-endian", "utf-16-be", "a NUL byte before many others"
    return None


def _display(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "UTF-8" if name == "utf-8" else repr(encoding)


def _check_line_length(data: bytes, path: StrPath) -> None:
    """Refuse a line longer than the line limit, in O(len(data)) without splitting lines."""
    limit = max_line_bytes()
    if len(data) <= limit:
        return
    start = 0
    while len(data) - start > limit:
        # the last line end within the next limit + 1 bytes: none means a line that long
        window_end = start + limit + 1
        end = max(data.rfind(b"\n", start, window_end), data.rfind(b"\r", start, window_end))
        if end < 0:
            raise GoldSetFormatError(
                f"the line is longer than the limit of {limit:,} bytes (a gold-set row is two "
                f"words and a score: is this a gold set?); raise the limit with the environment "
                f"variable {MAX_LINE_ENV}=<bytes>",
                path=path,
                line=line_of(data, start),
            )
        start = end + 1


def describe_char(char: str) -> str:
    """``char`` as ``U+00A0 NO-BREAK SPACE`` for messages.

    Examples
    --------
    >>> describe_char("\\u2028"), describe_char("\\x85")
    ('U+2028 LINE SEPARATOR', 'U+0085 NEXT LINE')
    """
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "control character")
    return f"U+{ord(char):04X} {name}"


_CONTROL_NAMES = {
    "\x85": "NEXT LINE",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\x1c": "FILE SEPARATOR",
    "\x1d": "GROUP SEPARATOR",
    "\x1e": "RECORD SEPARATOR",
    "\x1f": "UNIT SEPARATOR",
    "\t": "CHARACTER TABULATION",
}
