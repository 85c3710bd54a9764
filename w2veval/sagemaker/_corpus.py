"""Reading a training corpus honestly: compression, text encoding and invalid bytes.

Each corpus file is told by its first bytes, never by its name:

* gzip (``1f 8b``), bzip2 (``BZh``) and xz (``fd 37 7a 58 5a 00``) are read decompressed;
  zip and zstd archives are refused (decompress them first);
* a UTF-32 or UTF-16 byte-order mark means that encoding (the mark is dropped); a
  UTF-8 mark is dropped;
* otherwise the file is UTF-8. A NUL byte in its first 64 KiB means it is no UTF-8 text
  (binary, or UTF-16/32 without a mark) and it is refused.

A UTF-8 line that does not decode is counted and read with U+FFFD replacement
characters. After a full pass (gensim's vocabulary scan), :meth:`CorpusStats.check`
fails when more than :data:`MAX_INVALID_FRACTION` of the lines are invalid, naming the
file and the first bad line, and otherwise gives a warning with the count.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import W2VEvalError

__all__ = ["MAX_INVALID_FRACTION", "CorpusError", "CorpusStats", "encoding_of", "open_lines"]

MAX_INVALID_FRACTION = 0.001
"""At most this fraction of a corpus's lines (0.1%) may be invalid UTF-8; more fails the job."""

_HEAD = 1 << 16
_COMPRESSED = (
    (b"\x1f\x8b", "gzip", gzip.open),
    (b"BZh", "bzip2", bz2.open),
    (b"\xfd7zXZ\x00", "xz", lzma.open),
)
_REFUSED = ((b"PK\x03\x04", "a zip archive"), (b"\x28\xb5\x2f\xfd", "zstd-compressed"))
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class CorpusError(W2VEvalError, ValueError):
    """A corpus file that cannot be read as text: compressed oddly, binary, or not UTF-8."""


@dataclass
class CorpusStats:
    """Lines read in one full pass over a corpus, and the invalid UTF-8 among them."""

    lines: int = 0
    invalid: int = 0
    first_invalid: tuple[str, int] | None = None  # (file, 1-based line number)
    notes: list[str] = field(default_factory=list)  # how files were read (decompressed, decoded)

    def check(self) -> str | None:
        """Raise :class:`CorpusError` above the threshold; else a warning, or ``None``.

        Raises
        ------
        CorpusError
            More than ``MAX_INVALID_FRACTION`` of the lines are invalid UTF-8.
        """
        if not self.invalid:
            return None
        if self.first_invalid is None:  # counted by hand rather than by open_lines
            where = "an unknown line"
        else:
            where = f"{self.first_invalid[0]}, line {self.first_invalid[1]}"
        share = f"{self.invalid:,} of {self.lines:,} lines ({self.invalid / max(self.lines, 1):.2%})"
        if self.invalid > MAX_INVALID_FRACTION * self.lines:
            raise CorpusError(
                f"the corpus is not UTF-8 text: {share} are invalid UTF-8, the first in {where}; "
                f"at most {MAX_INVALID_FRACTION:.1%} of lines may be. Convert it, e.g. "
                "iconv -f latin1 -t utf-8 FILE > FILE.utf8, or give UTF-16/32 with a byte-order mark"
            )
        return (
            f"{share} of the corpus are invalid UTF-8 (the first in {where}); they are read "
            "with U+FFFD replacement characters"
        )


def encoding_of(path: Path) -> tuple[str | None, str]:
    """``(compression, encoding)`` of a corpus file from its first bytes.

    Raises
    ------
    CorpusError
        A zip or zstd archive, or a file that is neither text nor compressed text.
    """
    with open(path, "rb") as raw:
        head = raw.read(8)
    compression = None
    for magic, name, _ in _COMPRESSED:
        if head.startswith(magic):
            compression = name
    for magic, what in _REFUSED:
        if head.startswith(magic):
            raise CorpusError(
                f"the corpus file {path} is {what}; w2veval reads plain, gzip, bzip2 "
                "or xz text: decompress it first"
            )
    try:
        with _open(path, compression) as fh:
            head = fh.read(_HEAD)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise CorpusError(f"the corpus file {path} is damaged {compression}: {exc}") from None
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return compression, encoding
    if b"\0" in head:
        at = head.index(b"\0")
        raise CorpusError(
            f"the corpus file {path} holds a NUL byte at offset {at}: it is not UTF-8 text "
            "(binary, or UTF-16/UTF-32 without a byte-order mark: add one or convert "
            "it to UTF-8)"
        )
    return compression, "utf-8"


def _open(path: Path, compression: str | None):
    for _, name, function in _COMPRESSED:
        if name == compression:
            return function(path, "rb")
    return open(path, "rb")


def open_lines(path: Path, stats: CorpusStats | None = None):
    """Yield the decoded lines of one corpus file, counting invalid UTF-8 into ``stats``.

    Raises
    ------
    CorpusError
        The file cannot be read as text (see :func:`encoding_of`), or its compressed
        stream or UTF-16/32 text is damaged midway.
    """
    compression, encoding = encoding_of(path)
    if stats is not None and (compression or encoding != "utf-8"):
        stats.notes.append(f"{path.name}: {compression + ' ' if compression else ''}{encoding}")
    number = 0
    try:
        with _open(path, compression) as raw:
            if encoding != "utf-8":
                with io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline=None) as text:
                    for number, line in enumerate(text, 1):  # noqa: B007 - the except clauses report it
                        _count(stats)
                        yield line
                return
            for number, data in enumerate(raw, 1):
                if number == 1 and data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8) :]
                _count(stats)
                try:
                    yield data.decode("utf-8")
                except UnicodeDecodeError:
                    if stats is not None:
                        stats.invalid += 1
                        stats.first_invalid = stats.first_invalid or (os.fspath(path), number)
                    yield data.decode("utf-8", errors="replace")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"the corpus file {path} is not valid {encoding} after line {number}: "
            f"{exc.reason}; convert it to UTF-8"
        ) from None
    except (EOFError, lzma.LZMAError, gzip.BadGzipFile) as exc:
        raise CorpusError(
            f"the corpus file {path} is damaged {compression} after line {number}: {exc}"
        ) from None
    except OSError as exc:
        if compression is None:
            raise
        raise CorpusError(
            f"the corpus file {path} is damaged {compression} after line {number}: {exc}"
        ) from None


def _count(stats: CorpusStats | None) -> None:
    if stats is not None:
        stats.lines += 1
