"""How a gold-set word is matched to a vocabulary word.

The rules, each an option with a default (see ``docs/matching.md``):

- Unicode NFC normalisation on both sides, so a precomposed "é" and "e" followed by a
  combining accent are the same word.
- Case-insensitive matching by :meth:`str.casefold` (``case="casefold"``, default),
  which folds German "ß" to "ss" and Greek final sigma where :meth:`str.lower` does
  not; ``case="sensitive"`` matches exactly; ``case="gensim"`` reproduces gensim's
  ``str.upper()`` (and no normalisation), for parity checks on non-ASCII sets.
- ``accents=False`` also ignores accents ("café" matches "cafe").
- ``phrases=True`` (default) matches a multi-word entry ("ice cream") to the phrase
  token gensim's and BlazingText's phrase models write ("ice_cream").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MatchRules", "word_key", "token_matcher", "TokenMatcher", "CASE_MODES"]

CASE_MODES = ("casefold", "sensitive", "gensim")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class MatchRules:
    """The rules that turn a word into the key it is matched under.

    Examples
    --------
    >>> MatchRules().key("Straße")
    'strasse'
    >>> MatchRules(case="gensim").key("Straße")
    'STRASSE'
    >>> MatchRules(accents=False).key("Café")
    'cafe'
    >>> MatchRules().key("Ice  Cream")
    'ice_cream'
    """

    case: str = "casefold"
    accents: bool = True
    phrases: bool = True

    def __post_init__(self):
        if self.case not in CASE_MODES:
            raise ValueError(f"case must be one of {', '.join(CASE_MODES)}, not {self.case!r}")

    @classmethod
    def from_options(cls, case_sensitive: bool = False, case: str | None = None,
                     accents: bool = True, phrases: bool = True) -> "MatchRules":
        """Rules from ``evaluate``'s keyword arguments (``case`` wins over ``case_sensitive``)."""
        return cls(case=case or ("sensitive" if case_sensitive else "casefold"),
                   accents=accents, phrases=phrases)

    @property
    def case_sensitive(self) -> bool:
        return self.case == "sensitive"

    def key(self, word: str) -> str:
        """The form under which ``word`` is matched."""
        if self.phrases and " " in word.strip():
            word = _SPACES.sub("_", word.strip())
        if self.case == "gensim":
            return word.upper()
        if not word.isascii():
            word = unicodedata.normalize("NFC", word)
            if not self.accents:
                word = unicodedata.normalize("NFC", "".join(
                    c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)))
        return word if self.case == "sensitive" else word.casefold()

    def describe(self) -> str:
        """A short label for results, e.g. ``"nfc+casefold+phrases"``."""
        parts = ["upper" if self.case == "gensim" else "nfc"]
        if self.case == "casefold":
            parts.append("casefold")
        if not self.accents:
            parts.append("no-accents")
        if self.phrases:
            parts.append("phrases")
        return "+".join(parts)


def word_key(word: str, case_sensitive: bool = False) -> str:
    """The form under which ``word`` is matched with the default rules.

    Examples
    --------
    >>> word_key("Straße")
    'strasse'
    >>> word_key("Straße", case_sensitive=True)
    'Straße'
    """
    return MatchRules.from_options(case_sensitive).key(word)


def token_matcher(words: Iterable[str], case_sensitive: bool | MatchRules = False) -> "TokenMatcher":
    """A fast test of raw UTF-8 tokens against a set of wanted words.

    Returns a callable ``token -> key`` that gives the match key of a wanted
    token and ``None`` for any other, without decoding ASCII tokens (the
    overwhelming majority in real vocabularies).

    Examples
    --------
    >>> match = token_matcher(["Cat"])
    >>> match(b"CAT"), match(b"dog")
    ('cat', None)
    """
    rules = case_sensitive if isinstance(case_sensitive, MatchRules) else MatchRules.from_options(case_sensitive)
    return TokenMatcher(words, rules)


class TokenMatcher:
    """Callable ``token -> key or None``; see :func:`token_matcher`.

    ``ascii_keys`` maps the form an ASCII token is compared in (lower-case unless
    ``case_sensitive``) to its key, so a hot loop can test ASCII tokens inline.
    """

    def __init__(self, words: Iterable[str], rules: MatchRules | bool = False):
        if not isinstance(rules, MatchRules):
            rules = MatchRules.from_options(rules)
        self.rules = rules
        self.case_sensitive = rules.case_sensitive
        self.keys = {rules.key(w) for w in words}
        self.ascii_keys = {}
        for key in self.keys:
            if key.isascii():
                form = key if self.case_sensitive else key.lower()
                self.ascii_keys[form.encode("ascii")] = key

    def __call__(self, token: bytes) -> str | None:
        if token.isascii():
            return self.ascii_keys.get(token if self.case_sensitive else token.lower())
        key = self.rules.key(token.decode("utf-8", "replace"))
        return key if key in self.keys else None
