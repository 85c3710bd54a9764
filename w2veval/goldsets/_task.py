"""`TextTask`: labelled texts, for scoring vectors on a downstream classification task.

This module holds the data and the tokeniser; turning texts into features and
training a classifier is the job of an evaluator (:mod:`w2veval.scoring._classification`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ._goldset import check_language

__all__ = ["TOKEN", "TextTask", "tokenize"]

TOKEN = re.compile(r"\w+")
"""A token is a maximal run of Unicode letters, digits, marks and ``_`` (so ``new_york``
stays one token); everything else (spaces, punctuation, symbols) separates tokens and
is dropped. Case is kept: the vectors' matching rules decide (``docs/tasks.md``)."""


def tokenize(text: str) -> list[str]:
    """The tokens of ``text``, as :data:`TOKEN` finds them.

    Examples
    --------
    >>> tokenize("It's a MUST-see, 10/10!")
    ['It', 's', 'a', 'MUST', 'see', '10', '10']
    """
    return TOKEN.findall(text)


@dataclass(frozen=True, kw_only=True, repr=False)
class TextTask:
    """Texts with a class label each: a downstream text-classification task.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"mr-polarity"`` or the file's name.
    texts : tuple of str
    labels : tuple of str
        One label per text; at least two distinct labels.
    language, citation, licence, source, sha256
        As in :class:`~w2veval.goldsets.GoldSet`; ``sha256`` is the digest of the
        (first) file read.

    Examples
    --------
    >>> t = TextTask(name="toy", texts=["good film", "bad film", "great"], labels=["pos", "neg", "pos"])
    >>> t, t.classes, t.tokens[0]
    (TextTask('toy', 3 texts, 2 classes, en), ('neg', 'pos'), ('good', 'film'))
    >>> sorted(t.words)
    ['bad', 'film', 'good', 'great']
    """

    name: str
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    language: str = "en"
    citation: str = ""
    licence: str = ""
    source: str = ""
    sha256: str | None = None

    kind = "classification"

    def __post_init__(self) -> None:
        object.__setattr__(self, "texts", tuple(self.texts))
        object.__setattr__(self, "labels", tuple(self.labels))
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        check_language(self.language)
        if len(self.texts) != len(self.labels):
            raise ValueError(f"{len(self.texts)} texts but {len(self.labels)} labels")
        if not all(isinstance(x, str) for x in self.texts + self.labels):
            raise ValueError("texts and labels must be strings")
        if any(not label.strip() for label in self.labels):
            raise ValueError("a label must not be empty")
        if len(set(self.labels)) < 2:
            raise ValueError(
                f"a classification task needs at least two labels, got {sorted(set(self.labels))}"
            )

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def n_texts(self) -> int:
        """Number of texts."""
        return len(self.texts)

    @cached_property
    def classes(self) -> tuple[str, ...]:
        """The distinct labels, sorted."""
        return tuple(sorted(set(self.labels)))

    @cached_property
    def tokens(self) -> tuple[tuple[str, ...], ...]:
        """The tokens of each text (:func:`tokenize`)."""
        return tuple(tuple(TOKEN.findall(text)) for text in self.texts)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every distinct token: the only words read from a vectors file."""
        return frozenset(token for tokens in self.tokens for token in tokens)

    def __repr__(self) -> str:
        n, k = len(self), len(self.classes)
        return f"TextTask({self.name!r}, {n} text{'' if n == 1 else 's'}, {k} classes, {self.language})"
