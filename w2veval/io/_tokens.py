"""Turning the raw bytes of vocabulary words into text, the same way for every reader."""

from __future__ import annotations

import warnings

__all__ = ["decode_words", "show"]


def decode_words(tokens: list[bytes], name: str, positions: list[int]) -> list[str]:
    """UTF-8 words; invalid bytes become U+FFFD, with one warning naming the first place.

    ``positions`` are the line (text) or row (binary) numbers of ``tokens``, for the message.
    """
    words: list[str] = []
    first_bad = None
    for token, position in zip(tokens, positions, strict=True):
        try:
            words.append(token.decode("utf-8"))
        except UnicodeDecodeError:
            words.append(token.decode("utf-8", "replace"))
            if first_bad is None:
                first_bad = position
    if first_bad is not None:
        warnings.warn(
            f"{name}:{first_bad}: invalid UTF-8 in a word, decoded with replacement characters (U+FFFD)",
            UserWarning,
            stacklevel=4,
        )
    return words


def show(token: bytes) -> str:
    """A word for an error message: decoded leniently, quoted, cut at 40 characters."""
    text = token.decode("utf-8", "replace")
    return repr(text if len(text) <= 40 else text[:40] + "…")
