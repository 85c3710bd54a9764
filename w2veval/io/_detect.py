"""Telling vector formats, compressions and archives apart by their first bytes.

The file name is never trusted: a ``vectors.txt`` that holds word2vec binary, or a
gzip stream without ``.gz``, is recognised from its content.
"""

from __future__ import annotations

import codecs
import re
import struct

from ..errors import VectorFormatError
from ._header import looks_like_header, parse_header, refuse_wide
from ._tokens import show

__all__ = [
    "FASTTEXT_MAGIC",
    "FORMATS",
    "SAMPLE_BYTES",
    "compression_of",
    "detect_format",
    "is_tar",
    "normalise_format",
]

#: How many leading bytes detection looks at (enough for a 1000-dim text row).
SAMPLE_BYTES = 1 << 16

#: fastText's ``.bin`` files start with this little-endian int32.
FASTTEXT_MAGIC = 793712314

#: Accepted ``format=`` values and the reader each one selects.
FORMATS = {
    "auto": "auto",
    "text": "text",
    "word2vec": "text",
    "vec": "text",
    "glove": "glove",
    "binary": "binary",
    "fasttext": "fasttext",
    "gensim": "gensim",
}
"""The ``format=`` values :func:`load_vectors` accepts, each with the reader it selects."""

_COMPRESSION_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
}
_TEXT_BYTES = frozenset(range(0x20, 0x7F)) | {0x09, 0x0B, 0x0C, 0x0D}  # printable and white space
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls but white space


def normalise_format(format: str) -> str:
    """The reader name for a ``format=`` value.

    Examples
    --------
    >>> normalise_format("vec"), normalise_format("GloVe")
    ('text', 'glove')
    """
    key = format.lower() if isinstance(format, str) else format
    if key not in FORMATS:
        raise VectorFormatError(f"unknown format {format!r}; expected one of: {', '.join(FORMATS)}")
    return FORMATS[key]


def compression_of(head: bytes) -> str | None:
    """``"gzip"``, ``"bz2"`` or ``"xz"`` from the magic bytes, else ``None``.

    Examples
    --------
    >>> compression_of(b"\\x1f\\x8b\\x08\\x00"), compression_of(b"3 2\\n")
    ('gzip', None)
    """
    for magic, kind in _COMPRESSION_MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def is_tar(head: bytes) -> bool:
    """Whether ``head`` starts a (POSIX or GNU) tar archive."""
    return len(head) >= 262 and head[257:262] == b"ustar"


def detect_format(head: bytes, *, name: str) -> str:
    """The format of a vectors file from its first bytes.

    Parameters
    ----------
    head : bytes
        The first :data:`SAMPLE_BYTES` bytes (fewer if the file is shorter),
        already decompressed.
    name : str
        How the source is named in error messages.

    Returns
    -------
    str
        One of ``"text"`` (word2vec text with a ``<count> <dim>`` header),
        ``"glove"`` (text without header), ``"binary"``, ``"fasttext"``, ``"gensim"``.

    Raises
    ------
    VectorFormatError
        For an empty file, UTF-16 or UTF-32 text, a header-less file whose first word has
        a space, or content that matches no format. A first line that is a damaged
        header (``-1 8``) is left to the text reader, which names what is wrong with it.

    Examples
    --------
    >>> detect_format(b"2 3\\ncat 0.1 0.2 0.3\\n", name="v.txt")
    'text'
    >>> detect_format(b"cat 0.1 0.2 0.3\\n", name="v.txt")
    'glove'
    >>> detect_format(b"1 2\\ncat \\x00\\x00\\x80?\\x00\\x00\\x00\\x00", name="v.bin")
    'binary'
    """
    if not head.strip():
        raise VectorFormatError("the file is empty", path=name)
    if head[:4] == struct.pack("<i", FASTTEXT_MAGIC):
        return "fasttext"
    if head[0] == 0x80:
        return "gensim"
    refuse_wide(head, name)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first, _, rest = head.partition(b"\n")
    declared = parse_header(first)
    if declared is not None:
        return _after_header(rest, *declared, whole_file=len(head) < SAMPLE_BYTES)
    if looks_like_header(first):
        return "text"  # a damaged header: the text reader says what is wrong with it
    if _starts_text_row(head, numeric=True):
        return "glove"
    if head.startswith(b"PK\x03\x04"):
        raise VectorFormatError(
            "this is a zip archive; w2veval reads tar archives and gzip/bz2/xz files: unzip it first",
            path=name,
        )
    word = _spaced_word(first)
    if word is not None:
        raise VectorFormatError(
            f"the word of the first row has a space ({show(word)}): in a file without a "
            "'<count> <dim>' header the first row sets the dimension, so its word cannot "
            "have one; add the header (as fastText .vec files have)",
            path=name,
            line=1,
        )
    raise VectorFormatError(
        "not a vectors file w2veval can read: the first line is neither a "
        f"'<count> <dim>' header nor a 'word value value ...' row (it starts {first[:40]!r}); "
        "supported: word2vec text/binary, GloVe text, fastText .vec/.bin, gensim "
        ".kv/.model, optionally gzip/bz2/xz-compressed or in a tar archive",
        path=name,
        line=1,
    )


def _spaced_word(line: bytes) -> bytes | None:
    """The word of ``line`` if it is two or more fields followed by numbers, else ``None``."""
    fields = line.split()
    numbers = 0
    for field in reversed(fields):
        try:
            float(field)
        except ValueError:
            break
        numbers += 1
    if numbers == 0 or len(fields) - numbers < 2 or len(line) >= SAMPLE_BYTES:
        return None
    return b" ".join(fields[:-numbers])


def _after_header(rest: bytes, count: int, dim: int, *, whole_file: bool) -> str:
    """``"text"`` or ``"binary"`` for what follows a ``<count> <dim>`` header.

    A first row that ends in ``dim`` numbers is text, whatever its word (fastText
    ``.vec`` words may hold spaces and any script). Otherwise, when the whole file is
    in the sample, it is binary if it splits exactly into ``count`` binary rows.
    Failing both (a damaged file), raw float32 bytes almost surely include a control
    byte or a byte sequence that is not UTF-8, which text does not: the reader then
    reports the damage in the format's own terms.
    """
    line = rest.lstrip().split(b"\n", 1)[0]  # the first row, after any blank lines
    if _ends_in_numbers(line, dim):
        return "text"
    if whole_file and _splits_into_binary_rows(rest, count, dim):
        return "binary"
    return "text" if _starts_text_row(rest, numeric=False) or _is_utf8_text(line) else "binary"


def _ends_in_numbers(line: bytes, dim: int) -> bool:
    """Whether ``line`` is a word (of one or more fields) followed by ``dim`` numbers."""
    fields = line.split()
    if len(fields) < dim + 1 or b"\0" in line:
        return False
    try:
        [float(value) for value in fields[-dim:]]
    except ValueError:
        return False
    return True


def _is_utf8_text(line: bytes) -> bool:
    """Whether ``line`` (perhaps cut inside a character) is UTF-8 without control characters."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(line[:4096], final=False)
    except UnicodeDecodeError:
        return False
    return len(text.split()) > 1 and _CONTROL.search(text) is None


def _splits_into_binary_rows(data: bytes, count: int, dim: int) -> bool:
    """Whether ``data`` is exactly ``count`` rows of ``word<space>`` + ``dim`` float32."""
    pos = 0
    for _ in range(count):
        while data[pos : pos + 1] == b"\n":
            pos += 1
        space = data.find(b" ", pos, pos + 1024)
        if space <= pos:
            return False
        pos = space + 1 + 4 * dim
        if pos > len(data):
            return False
    return not data[pos:].strip()


def _starts_text_row(data: bytes, *, numeric: bool) -> bool:
    """Whether ``data`` starts ``word<space>values`` with plain ASCII after the word.

    Raw float32 bytes after the word almost surely include a control byte or a byte
    above 0x7e, which is what tells word2vec binary from text. With ``numeric``,
    the first value must also parse as a number (a header-less file has nothing
    else to go on).
    """
    line = data.split(b"\n", 1)[0]
    fields = line.split(None, 1)
    if len(fields) < 2:
        return not line.strip()  # a blank row: let the text reader report it
    values = fields[1][:4096]
    if not all(byte in _TEXT_BYTES for byte in values):
        return False
    if not numeric:
        return True
    try:
        [float(value) for value in values.split()[: -1 if len(values) == 4096 else None]]
    except ValueError:
        return False
    return bool(values.split())
