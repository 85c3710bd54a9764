"""How a gold-set word is matched to a vocabulary word.

The rules, each an option with a default (see ``docs/matching.md``):

- Unicode NFC normalisation on both sides, so a precomposed "é" and "e" followed by a
  combining accent are the same word.
- Case: ``case="casefold"`` (default) looks for the exact form first and falls back
  to :meth:`str.casefold` (which folds German "ß" to "ss" and Greek final sigma where
  :meth:`str.lower` does not), the most frequent folded variant winning; so gold
  "groß" gets "groß" when the vocabulary has it, "gross" only when it has not.
  ``case="sensitive"`` matches exactly; ``case="gensim"`` reproduces gensim's
  ``str.upper()`` fold-first rule (and no normalisation), for parity checks.
- ``accents=False`` also ignores accents ("café" matches "cafe").
- ``phrases=True`` (default) matches a multi-word entry ("ice cream") to the phrase
  token gensim's and BlazingText's phrase models write ("ice_cream").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from .vectors import WordVectors

__all__ = [
    "CASE_MODES",
    "MatchRules",
    "TokenMatcher",
    "VocabularyLookup",
    "token_matcher",
    "vocabulary_lookup",
    "word_key",
]

CASE_MODES = ("casefold", "sensitive", "gensim")
"""The values of ``MatchRules(case=...)``: exact form then case-folded fallback, exact only, gensim's rule."""
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
    def from_options(
        cls, case_sensitive: bool = False, case: str | None = None, accents: bool = True, phrases: bool = True
    ) -> MatchRules:
        """Rules from ``evaluate``'s keyword arguments (``case`` wins over ``case_sensitive``)."""
        return cls(
            case=case or ("sensitive" if case_sensitive else "casefold"), accents=accents, phrases=phrases
        )

    @property
    def case_sensitive(self) -> bool:
        return self.case == "sensitive"

    @property
    def exact_first(self) -> bool:
        """Whether the exact form is looked for before the case-folded key (``case="casefold"``)."""
        return self.case == "casefold"

    def form(self, word: str) -> str:
        """``word`` after the phrase, NFC and accent rules, its case kept: the exact form.

        >>> MatchRules().form("Groß")
        'Groß'
        """
        if self.phrases and " " in word.strip():
            word = _SPACES.sub("_", word.strip())
        if self.case == "gensim" or word.isascii():
            return word
        word = unicodedata.normalize("NFC", word)
        if not self.accents:
            word = unicodedata.normalize(
                "NFC", "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
            )
        return word

    def key(self, word: str) -> str:
        """The key ``word`` shares with its case variants: :meth:`form`, then case-folded.

        Words with the same key are candidates for each other; which one a gold-set
        word gets is :class:`VocabularyLookup`'s rule.
        """
        word = self.form(word)
        if self.case == "gensim":
            return word.upper()
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


def token_matcher(words: Iterable[str], case_sensitive: bool | MatchRules = False) -> TokenMatcher:
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
    rules = (
        case_sensitive if isinstance(case_sensitive, MatchRules) else MatchRules.from_options(case_sensitive)
    )
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


class VocabularyLookup:
    """Which vocabulary row a gold-set word gets.

    - ``case="casefold"`` (default): the word's exact form (:meth:`MatchRules.form`:
      NFC, phrase and accent rules, case kept) if the vocabulary has it; otherwise
      its lower-case form (so "Fußball" gets "fußball" before "fussball"); otherwise the
      case-folded key (:meth:`MatchRules.key`), the variant of earliest rank (the most
      frequent) winning.
    - ``case="sensitive"``: the exact form only.
    - ``case="gensim"``: the ``str.upper()`` key only, earliest rank winning, as
      gensim's ``evaluate_word_pairs(case_insensitive=True)`` (so gold "apple" may
      get the vector of a more frequent "Apple").

    A word listed twice counts by its earliest rank. Words ranked at or beyond
    ``restrict_vocab`` are not known.

    Parameters
    ----------
    words : sequence of str
        The vocabulary, one word per row.
    rules : MatchRules
    ranks : sequence of int, optional
        Each row's position in the full file (default: the row number).
    restrict_vocab : int, optional

    Examples
    --------
    >>> lookup = VocabularyLookup(["Apple", "gross", "apple", "groß"])
    >>> lookup.word("apple"), lookup.word("APPLE"), lookup.word("groß"), lookup.word("GROSS")
    ('apple', 'Apple', 'groß', 'gross')
    >>> VocabularyLookup(["fussball", "fußball"]).word("Fußball")
    'fußball'
    >>> VocabularyLookup(["Apple", "apple"], MatchRules(case="gensim")).word("apple")
    'Apple'
    >>> lookup.get("pear") is None
    True
    """

    def __init__(
        self,
        words: Sequence[str],
        rules: MatchRules = MatchRules(),
        *,
        ranks: Iterable[int] | None = None,
        restrict_vocab: int | None = None,
    ) -> None:
        self.rules = rules
        self.words = words
        rows: Sequence[int] = range(len(words))
        if ranks is not None:
            rank_of = list(ranks)
            if restrict_vocab is not None:
                rows = [row for row in rows if rank_of[row] < restrict_vocab]
            if any(rank_of[a] > rank_of[b] for a, b in itertools.pairwise(rows)):
                rows = sorted(rows, key=rank_of.__getitem__)
        elif restrict_vocab is not None:
            rows = range(min(len(words), restrict_vocab))
        key = rules.key
        self._keys: dict[str, int] = {}  # key -> row of its earliest-ranked word
        shared: set[str] = set()  # keys of several words: the exact form decides among them
        for row in rows:
            k = key(words[row])
            if self._keys.setdefault(k, row) != row:
                shared.add(k)
        self._exact: dict[str, int] = {}
        self._lower: dict[str, int] = {}  # lower(): keeps "ß", which casefold turns into "ss"
        self._shared = shared if rules.exact_first else frozenset()
        if self._shared:
            for row in rows:
                word = words[row]
                if key(word) in shared:
                    form = rules.form(word)
                    self._exact.setdefault(form, row)
                    self._lower.setdefault(form.lower(), row)

    def __len__(self) -> int:
        """Number of distinct keys."""
        return len(self._keys)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    @overload
    def get(self, word: str, default: None = None) -> int | None: ...
    @overload
    def get(self, word: str, default: int) -> int: ...

    def get(self, word: str, default: int | None = None) -> int | None:
        """The row ``word`` gets, or ``default`` when the vocabulary does not know it."""
        k = self.rules.key(word)
        row = self._keys.get(k)
        if row is None:
            return default
        if k in self._shared:
            form = self.rules.form(word)
            return self._exact.get(form, self._lower.get(form.lower(), row))
        return row

    def word(self, word: str) -> str | None:
        """The vocabulary word ``word`` is matched to (``None`` when unknown)."""
        row = self.get(word)
        return None if row is None else self.words[row]


# Building a lookup walks the whole vocabulary (a second for 400,000 words); scoring one set of
# vectors on many gold sets reuses it. Weak keys: the cache dies with the vectors.
_LOOKUPS: weakref.WeakKeyDictionary[
    WordVectors, dict[tuple[MatchRules, int | None, int], VocabularyLookup]
] = weakref.WeakKeyDictionary()


def vocabulary_lookup(
    vectors: WordVectors, rules: MatchRules = MatchRules(), restrict_vocab: int | None = None
) -> VocabularyLookup:
    """The :class:`VocabularyLookup` of a :class:`~w2veval.WordVectors`, by its ranks.

    Built once per vectors object, rules and ``restrict_vocab``; it must not be modified.
    """
    cache_key = (rules, restrict_vocab, len(vectors.words))
    try:
        cached = _LOOKUPS.setdefault(vectors, {})
    except TypeError:  # an object that cannot be weakly referenced: no cache
        cached = {}
    if cache_key not in cached:
        cached[cache_key] = VocabularyLookup(
            vectors.words, rules, ranks=vectors.ranks.tolist(), restrict_vocab=restrict_vocab
        )
    return cached[cache_key]
