"""The first line of a vectors file: ``<count> <dim>`` headers, wide encodings, line limits.

Every text and binary reader asks this module what its first line is, so that a
header is read the same way everywhere: two whole numbers in ASCII digits, the
dimension at least 1 and small enough for a row to fit in the line limit
(``W2VEVAL_MAX_LINE_BYTES``). A first line that only *looks* like a header (``-1 8``,
``8.0 8``, ``8 8 8``) is refused as a damaged header rather than read as a word.
"""

from __future__ import annotations

import numbers

from .._limits import MAX_LINE_ENV, max_line_bytes
from .._numbers import is_number_bytes
from ..errors import VectorFormatError, option
from ._tokens import show

__all__ = [
    "MAX_COUNT",
    "check_limit",
    "line_too_long",
    "looks_like_header",
    "parse_header",
    "read_header",
    "refuse_wide",
    "wide_encoding",
]

#: A row count beyond this is not a count but a damaged header (numpy indexes with int64).
MAX_COUNT = (1 << 63) - 1
#: The fewest bytes one value takes in a row: one byte of text and a separator, or a float32.
TEXT_VALUE_BYTES, BINARY_VALUE_BYTES = 2, 4
_EXPECTED = "expected a '<count> <dim>' header: two whole numbers, dim > 0"


def parse_header(line: bytes) -> tuple[int, int] | None:
    """``(count, dim)`` if ``line`` is two whole numbers in ASCII digits, else ``None``.

    Examples
    --------
    >>> parse_header(b"400000 50\\n"), parse_header(b"the 0.1 0.2\\n"), parse_header(b"-1 8")
    ((400000, 50), None, None)
    """
    fields = line.split()
    if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
        return int(fields[0]), int(fields[1])
    return None


def _numeric(field: bytes) -> bool:
    """A number in the grammar, or digits of any script (a header written by a wrong tool)."""
    if is_number_bytes(field):
        return True
    text = field.decode("utf-8", "replace").lstrip("+-")
    return text.isdecimal()


def _whole(field: bytes) -> bool:
    return field.lstrip(b"+-").isdigit() and len(field) - len(field.lstrip(b"+-")) <= 1


def looks_like_header(line: bytes) -> bool:
    """Whether ``line`` is meant as a header: two numbers, or three whole numbers.

    A row starts with a word; a first line made only of numbers is a header, damaged
    or not. (A GloVe file whose first word is a number is read with ``format="glove"``.)

    Examples
    --------
    >>> [looks_like_header(x) for x in (b"8 8", b"-1 8", b"8.0 8", b"8 8 8", b"the 0.1", b"1 0.5 0.2")]
    [True, True, True, True, False, False]
    """
    fields = line.split()
    if len(fields) == 2:
        return all(_numeric(f) for f in fields)
    return len(fields) == 3 and all(_whole(f) for f in fields)


def read_header(
    line: bytes, *, name: str, value_bytes: int = TEXT_VALUE_BYTES, required: bool = True
) -> tuple[int, int] | None:
    """``(count, dim)`` of a header line; ``None`` if ``line`` is a row and not ``required``.

    Parameters
    ----------
    line : bytes
        The first line (a UTF-8 byte-order mark already dropped).
    name : str
        The source, for messages.
    value_bytes : int
        The fewest bytes one value takes in a row (2 in text, 4 in binary), to refuse
        a dimension whose rows could not fit in the line limit.
    required : bool
        Whether the format has a header (word2vec text and binary) or may not have one.

    Raises
    ------
    VectorFormatError
        At line 1 for a header that is damaged, or missing when ``required``.

    Examples
    --------
    >>> read_header(b"3 2\\n", name="v.txt"), read_header(b"cat 1 2\\n", name="v", required=False)
    ((3, 2), None)
    >>> read_header(b"8.0 8\\n", name="v.txt")
    Traceback (most recent call last):
    ...
    w2veval.errors.VectorFormatError: v.txt:1: header '8.0 8': the row count '8.0' is not a whole number; ...
    """
    fields = line.split()
    if not looks_like_header(line):
        if not required:
            return None
        raise VectorFormatError(f"{_EXPECTED}, found {show(line.strip())}", path=name, line=1)
    shown = show(b" ".join(fields))
    if len(fields) == 3:
        raise VectorFormatError(
            f"header {shown} has three numbers; {_EXPECTED} (a fastText or other tool's header?)",
            path=name,
            line=1,
        )
    count, dim = (
        _whole_number(field, what, shown, name)
        for field, what in zip(fields, ("the row count", "the dimension"), strict=True)
    )
    if dim == 0:
        raise VectorFormatError(
            f"header {shown}: the header declares 0 dimensions; {_EXPECTED}", path=name, line=1
        )
    if count > MAX_COUNT:
        raise VectorFormatError(
            f"header {shown}: the row count is too large to be real (a damaged header?)", path=name, line=1
        )
    limit = max_line_bytes()
    if dim * value_bytes > limit:
        raise VectorFormatError(
            f"header {shown}: a row of {show(fields[1])[1:-1]} values would be longer than the "
            f"line limit of {limit} bytes (a damaged header? if rows really are that long, "
            f"raise the limit: {MAX_LINE_ENV}=BYTES)",
            path=name,
            line=1,
        )
    return count, dim


def _whole_number(field: bytes, what: str, shown: str, name: str) -> int:
    if field.isdigit():
        return int(field)
    if field.startswith(b"-") and field[1:].isdigit():
        problem = f"{what} {field.decode()} is negative"
    elif field.startswith(b"+") and field[1:].isdigit():
        problem = f"{what} {field.decode()} has a sign"
    elif is_number_bytes(field):
        problem = f"{what} {show(field)} is not a whole number"
    else:
        problem = f"{what} {show(field)} is not written in ASCII digits"
    raise VectorFormatError(
        f"header {shown}: {problem}; {_EXPECTED} (a GloVe file whose first word is a "
        f"number: pass {option('format', 'glove')})",
        path=name,
        line=1,
    )


def wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"``/``"UTF-32"`` (with byte order) if ``data`` starts text in one, else ``None``.

    Without a byte-order mark, UTF-16 of mostly ASCII text has a NUL in every
    other byte, which neither UTF-8 text nor word2vec binary (a text header first) has.

    Examples
    --------
    >>> wide_encoding(b"\\xff\\xfe8\\x00 \\x008\\x00"), wide_encoding("8 8\\n".encode("utf-16-be"))
    ('UTF-16 (little-endian, with a byte-order mark)', 'UTF-16 (big-endian)')
    >>> wide_encoding(b"8 8\\n"), wide_encoding(bytes(16))
    (None, None)
    """
    for bom, kind in (
        (b"\xff\xfe\x00\x00", "UTF-32 (little-endian"),
        (b"\x00\x00\xfe\xff", "UTF-32 (big-endian"),
        (b"\xff\xfe", "UTF-16 (little-endian"),
        (b"\xfe\xff", "UTF-16 (big-endian"),
    ):
        if data.startswith(bom):
            return kind + ", with a byte-order mark)"
    sample = data[:512]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0 : 2 * half : 2], sample[1 : 2 * half : 2]
    for zeros, others, order in ((odd, even, "little"), (even, odd, "big")):
        if zeros.count(0) >= 0.9 * half and others.count(0) <= 0.1 * half:
            return f"UTF-16 ({order}-endian)"
    return None


def refuse_wide(data: bytes, name: str) -> None:
    """Raise if ``data``, the start of a file, is UTF-16 or UTF-32 text."""
    kind = wide_encoding(data)
    if kind is not None:
        raise VectorFormatError(
            f"this is {kind} text; w2veval reads vectors in UTF-8: convert the file first "
            "(for example: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8)",
            path=name,
        )


def line_too_long(name: str, line: int, limit: int, what: str = "line") -> VectorFormatError:
    """The error for a line (or binary word) longer than the line limit.

    Examples
    --------
    >>> str(line_too_long("v.txt", 3, 1024))  # doctest: +ELLIPSIS
    'v.txt:3: the line is longer than the line limit of 1024 bytes (...W2VEVAL_MAX_LINE_BYTES=BYTES)'
    """
    return VectorFormatError(
        f"the {what} is longer than the line limit of {limit} bytes (a damaged or hostile "
        f"file? to read it anyway, raise the limit: {MAX_LINE_ENV}=BYTES)",
        path=name,
        line=line,
    )


def check_limit(limit) -> int | None:
    """``limit`` (a row count, gensim's ``restrict_vocab``) as an int, or ``None``.

    Examples
    --------
    >>> check_limit(5), check_limit(None)
    (5, None)
    >>> check_limit(-1)
    Traceback (most recent call last):
    ...
    ValueError: limit must be a whole number >= 0 or None, got -1
    """
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 0:
        raise ValueError(f"limit must be a whole number >= 0 or None, got {limit!r}")
    return int(limit)
