"""How a gold-set word is matched to a vocabulary word.

Both sides are NFC-normalised (so a precomposed "é" and "e" + combining accent
match); case-insensitive matching uses :meth:`str.casefold`, which handles German
"ß" and Greek final sigma where :meth:`str.lower` does not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

__all__ = ["word_key", "token_matcher"]


def word_key(word: str, case_sensitive: bool = False) -> str:
    """The form under which ``word`` is matched.

    Examples
    --------
    >>> word_key("Straße")
    'strasse'
    >>> word_key("Straße", case_sensitive=True)
    'Straße'
    """
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
        return word if case_sensitive else word.casefold()
    return word if case_sensitive else word.lower()


def token_matcher(
    words: Iterable[str], case_sensitive: bool = False
) -> "TokenMatcher":
    """A fast test of raw UTF-8 tokens against a set of wanted words.

    Returns a function ``token -> key`` that gives the match key of a wanted
    token and ``None`` for any other, without decoding ASCII tokens (the
    overwhelming majority in real vocabularies).

    Examples
    --------
    >>> match = token_matcher(["Cat"])
    >>> match(b"CAT"), match(b"dog")
    ('cat', None)
    """
    return TokenMatcher(words, case_sensitive)


class TokenMatcher:
    """Callable ``token -> key or None``; see :func:`token_matcher`.

    ``ascii_keys`` (wanted ASCII keys as bytes) lets a hot loop test ASCII tokens
    inline, without a function call per row.
    """

    def __init__(self, words: Iterable[str], case_sensitive: bool = False):
        self.case_sensitive = case_sensitive
        self.keys = {word_key(w, case_sensitive) for w in words}
        self.ascii_keys = {k.encode("ascii"): k for k in self.keys if k.isascii()}

    def __call__(self, token: bytes) -> str | None:
        if token.isascii():
            return self.ascii_keys.get(token if self.case_sensitive else token.lower())
        key = word_key(token.decode("utf-8", "replace"), self.case_sensitive)
        return key if key in self.keys else None
