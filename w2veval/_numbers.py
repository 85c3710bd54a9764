"""The one grammar for numbers in w2veval's inputs: gold-set scores and vector components.

A number is ASCII: an optional sign, digits with an optional decimal point (``7``, ``7.5``,
``.5``, ``5.``), an optional exponent (``1e-3``, ``2E+05``). ``nan``, ``inf`` and
``infinity`` (any case, optional sign) are recognised as numbers so that messages can
call them non-finite, and every reader then refuses them. Everything else Python's
``float()`` would take is not a number here: digit-group underscores (``7_5`` is not 75),
non-ASCII digits (Arabic-Indic ``٣``, full-width ``７``), hexadecimal and surrounding
white space (white space separates fields; it is never part of one).
"""

from __future__ import annotations

import re

__all__ = ["NUMBER_GRAMMAR", "is_number", "is_number_bytes", "parse_number"]

#: The grammar above as a regular expression (full match).
NUMBER_GRAMMAR = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)"
_NUMBER = re.compile(NUMBER_GRAMMAR, re.ASCII | re.IGNORECASE)
_NUMBER_BYTES = re.compile(NUMBER_GRAMMAR.encode(), re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """``text`` as a float if it follows the number grammar, else ``None``.

    Examples
    --------
    >>> parse_number("7.5"), parse_number("-.5e1"), parse_number("7_5"), parse_number("\\uff17")
    (7.5, -5.0, None, None)
    >>> parse_number("NaN")
    nan
    """
    if _NUMBER.fullmatch(text) is None:
        return None
    return float(text)


def is_number(text: str) -> bool:
    """Whether ``text`` follows the number grammar (non-finite values included).

    Examples
    --------
    >>> is_number("1e5"), is_number(" 1"), is_number("0x7")
    (True, False, False)
    """
    return _NUMBER.fullmatch(text) is not None


def is_number_bytes(field: bytes) -> bool:
    """:func:`is_number` for a field of a vectors file, given as bytes.

    Examples
    --------
    >>> is_number_bytes(b"-0.25"), is_number_bytes(b"1_0")
    (True, False)
    """
    return _NUMBER_BYTES.fullmatch(field) is not None
