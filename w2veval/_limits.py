"""Size limits that bound the memory of every reader, and how a user raises them.

A hostile or broken input (a 200 MB file without a newline, a gold set of a gigabyte)
must end in a clear error, not in gigabytes of memory. Each limit is generous for real
data and can be raised through an environment variable that the error message names.
"""

from __future__ import annotations

import os

__all__ = ["MAX_GOLDSET_ENV", "MAX_LINE_ENV", "max_goldset_bytes", "max_line_bytes"]

MAX_LINE_ENV = "W2VEVAL_MAX_LINE_BYTES"
MAX_GOLDSET_ENV = "W2VEVAL_MAX_GOLDSET_BYTES"
#: A text row of 4,096 dimensions at 16 characters a number is 64 KiB: 1 MiB is 16 times that.
DEFAULT_MAX_LINE_BYTES = 1 << 20
#: The largest published gold set we know (Multi-SimLex's 66-language table) is 1.2 MB and the
#: Google analogy set 0.6 MB. A parsed pair costs about 300 bytes of Python objects whatever
#: its length in the file, so a 4 MiB file of the shortest possible rows ("a b 1") parses in
#: about 130 MB: this limit is what keeps a gold set within the 200 MB that `score` may use.
DEFAULT_MAX_GOLDSET_BYTES = 4 << 20


def _from_env(variable: str, default: int) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        from .errors import W2VEvalError

        raise W2VEvalError(f"{variable}={text!r} is not a positive whole number of bytes")
    return int(text)


def max_line_bytes() -> int:
    """The longest line (or row) a text reader accepts, in bytes: ``W2VEVAL_MAX_LINE_BYTES``."""
    return _from_env(MAX_LINE_ENV, DEFAULT_MAX_LINE_BYTES)


def max_goldset_bytes() -> int:
    """The largest gold-set file read, in bytes: ``W2VEVAL_MAX_GOLDSET_BYTES``."""
    return _from_env(MAX_GOLDSET_ENV, DEFAULT_MAX_GOLDSET_BYTES)
