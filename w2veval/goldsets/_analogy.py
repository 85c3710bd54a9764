"""`AnalogySet`: word-analogy questions ``a : b :: c : d``, and the readers of the
Google, MSR and BATS files.

This module holds data only; answering the questions with vectors is the job of an
evaluator. Readers are strict: a line that cannot be read is a
:class:`~w2veval.errors.GoldSetFormatError` naming the file and line.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from . import _parse
from ._goldset import check_language
from ._parse import Where

__all__ = ["AnalogySet", "bats_questions", "read_bats", "read_google", "read_msr"]

_MSR_HEADER = ["", "type", "word1", "word2", "word3", "target"]


@dataclass(frozen=True, kw_only=True, repr=False)
class AnalogySet:
    """Analogy questions ``a : b :: c : d`` grouped in sections, with provenance.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"google-analogy"``.
    questions : tuple of (a, b, c, d)
        The four words of each question; ``d`` is the expected answer.
    sections : tuple of str
        Section (category) names in source order, e.g. ``"capital-common-countries"``.
    question_sections : tuple of int
        For each question, the index of its section in ``sections``.
    alternatives : tuple of tuple of str, optional
        For each question, every acceptable answer (``d`` first); empty when ``d``
        is the only one. BATS lists several answers for many of its pairs.
    language, citation, licence, source
        As in :class:`~w2veval.goldsets.GoldSet`.
    sha256 : str or None
        Hex digest of the file read; for a set read from several files (BATS), the
        digest of the first file.

    Examples
    --------
    >>> s = AnalogySet(name="toy", questions=[("man", "king", "woman", "queen")],
    ...                sections=["royalty"], question_sections=[0])
    >>> s, len(s), sorted(s.words)
    (AnalogySet('toy', 1 question, 1 section, en), 1, ['king', 'man', 'queen', 'woman'])
    """

    name: str
    questions: tuple[tuple[str, str, str, str], ...]
    sections: tuple[str, ...]
    question_sections: tuple[int, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()
    language: str = "en"
    citation: str = ""
    licence: str = ""
    source: str = ""
    sha256: str | None = None

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__  # normalising a frozen dataclass
        setattr_(self, "questions", tuple(tuple(q) for q in self.questions))
        setattr_(self, "sections", tuple(self.sections))
        setattr_(self, "question_sections", tuple(self.question_sections))
        setattr_(self, "alternatives", tuple(tuple(a) for a in self.alternatives))
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        check_language(self.language)
        for i, question in enumerate(self.questions, 1):
            if len(question) != 4 or not all(isinstance(w, str) and w.strip() for w in question):
                raise ValueError(f"question {i} must be four non-empty words, got {question!r}")
        if len(self.question_sections) != len(self.questions):
            raise ValueError(
                f"question_sections has {len(self.question_sections)} entries for "
                f"{len(self.questions)} questions"
            )
        if any(not 0 <= s < len(self.sections) for s in self.question_sections):
            raise ValueError(f"question_sections must index into the {len(self.sections)} sections")
        if self.alternatives:
            if len(self.alternatives) != len(self.questions):
                raise ValueError(
                    f"alternatives has {len(self.alternatives)} entries for {len(self.questions)} questions"
                )
            for i, (question, answers) in enumerate(zip(self.questions, self.alternatives, strict=True), 1):
                if not answers or answers[0] != question[3]:
                    raise ValueError(
                        f"question {i}: alternatives must start with its answer {question[3]!r}, "
                        f"got {answers!r}"
                    )

    @property
    def n_questions(self) -> int:
        """Number of questions."""
        return len(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word in a question or among the alternative answers."""
        words = {w for question in self.questions for w in question}
        words.update(w for answers in self.alternatives for w in answers)
        return frozenset(words)

    def __repr__(self) -> str:
        n, k = self.n_questions, len(self.sections)
        return (
            f"AnalogySet({self.name!r}, {n} question{'' if n == 1 else 's'}, "
            f"{k} section{'' if k == 1 else 's'}, {self.language})"
        )


def _text_lines(path: str | os.PathLike[str], encoding: str) -> tuple[list[str], bytes]:
    text, data = _parse.read_file(path, encoding)
    return _parse.split_lines(text), data


def read_google(
    path: str | os.PathLike[str], *, name: str, encoding: str = "utf-8", **metadata: Any
) -> AnalogySet:
    """Read ``questions-words.txt`` / ``questions-phrases.txt`` (Mikolov et al. 2013).

    ``: <section>`` lines open a section; every other non-blank line is one question
    of exactly four whitespace-separated words. Words are kept as written (the file
    capitalises names; lower-casing is a matching policy, not the reader's job).

    Raises
    ------
    GoldSetFormatError
        A question before the first section, a line without exactly four words, a
        section without questions, or a file without questions.
    """
    where = Where(path)
    lines, data = _text_lines(path, encoding)
    sections: list[str] = []
    section_lines: list[int] = []
    questions: list[tuple[str, str, str, str]] = []
    question_sections: list[int] = []
    for lineno, raw in enumerate(lines, 1):
        row = raw.strip()
        if not row:
            continue
        if row.startswith(":"):
            title = row[1:].strip()
            if not title:
                raise where.error("section line ':' has no section name", lineno)
            _check_section_filled(where, sections, section_lines, question_sections)
            sections.append(title)
            section_lines.append(lineno)
            continue
        words = row.split()
        if len(words) != 4:
            raise where.error(f"expected 4 words (a b c d), found {len(words)} in {row[:60]!r}", lineno)
        if not sections:
            raise where.error("question before the first ': <section>' line", lineno)
        a, b, c, d = words
        questions.append((a, b, c, d))
        question_sections.append(len(sections) - 1)
    _check_section_filled(where, sections, section_lines, question_sections)
    if not questions:
        raise where.error("contains no analogy questions")
    return AnalogySet(
        name=name,
        questions=tuple(questions),
        sections=tuple(sections),
        question_sections=tuple(question_sections),
        source=os.fspath(path),
        sha256=hashlib.sha256(data).hexdigest(),
        **metadata,
    )


def _check_section_filled(
    where: Where, sections: Sequence[str], section_lines: Sequence[int], question_sections: Sequence[int]
) -> None:
    if sections and (not question_sections or question_sections[-1] != len(sections) - 1):
        raise where.error(f"section {sections[-1]!r} has no questions", section_lines[-1])


def read_msr(
    path: str | os.PathLike[str], *, name: str, encoding: str = "utf-8", **metadata: Any
) -> AnalogySet:
    """Read vecto's re-formatted MSR analogy CSV (``,type,word1,word2,word3,target``).

    The first column is a pandas row index and is ignored; ``type`` (e.g.
    ``JJ_JJR``) becomes the section, in order of first appearance.

    Raises
    ------
    GoldSetFormatError
        A header other than ``,type,word1,word2,word3,target``, a row without six
        fields, or an empty word.
    """
    where = Where(path)
    lines, data = _text_lines(path, encoding)
    rows = csv.reader(lines)
    header = next(rows, None)
    if header != _MSR_HEADER:
        raise where.error(f"expected the header {','.join(_MSR_HEADER)!r}, found {header!r}", 1)
    sections: dict[str, int] = {}
    questions: list[tuple[str, str, str, str]] = []
    question_sections: list[int] = []
    for row in rows:
        lineno = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 6:
            raise where.error(f"expected 6 comma-separated fields, found {len(row)}", lineno)
        a, b, c, d = (cell.strip() for cell in row[2:])
        if not all((a, b, c, d)) or not row[1].strip():
            raise where.error(f"empty field in {','.join(row)!r}", lineno)
        questions.append((a, b, c, d))
        question_sections.append(sections.setdefault(row[1].strip(), len(sections)))
    if not questions:
        raise where.error("contains no analogy questions")
    return AnalogySet(
        name=name,
        questions=tuple(questions),
        sections=tuple(sections),
        question_sections=tuple(question_sections),
        source=os.fspath(path),
        sha256=hashlib.sha256(data).hexdigest(),
        **metadata,
    )


def _bats_pairs(
    path: str | os.PathLike[str], encoding: str
) -> tuple[list[tuple[str, tuple[str, ...]]], bytes]:
    """``(word, answers)`` per line of one BATS category file."""
    where = Where(path)
    lines, data = _text_lines(path, encoding)
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        fields = raw.strip().split("\t")
        if len(fields) != 2 or not fields[0].strip():
            raise where.error(f"expected 'word<TAB>answer[/answer...]', found {raw.strip()[:60]!r}", lineno)
        # A trailing or doubled '/' (L01, L02, L04, L08, L09 have them) separates
        # nothing; repeated answers (artifact ... artifact) are listed once.
        answers = tuple(dict.fromkeys(a.strip() for a in fields[1].split("/") if a.strip()))
        if not answers:
            raise where.error(f"no answer after the tab in {raw.strip()[:60]!r}", lineno)
        pairs.append((fields[0].strip(), answers))
    if len(pairs) < 2:
        raise where.error(f"a BATS category needs at least 2 word pairs, found {len(pairs)}")
    return pairs, data


def bats_questions(
    pairs: Sequence[tuple[str, Sequence[str]]],
) -> Iterator[tuple[tuple[str, str, str, str], tuple[str, ...]]]:
    """The questions of one BATS category: every ordered pair of distinct word pairs.

    For each pair ``(c, d)`` in file order (the question) and each other pair
    ``(a, b)`` in file order (the example), the question is ``a : b :: c : d``, with
    ``b`` and ``d`` the first listed answers and every listed answer of ``c``
    acceptable. This is the construction of vecto's BATS scripts and of gluon-nlp;
    ``n`` pairs give ``n * (n - 1)`` questions.

    Examples
    --------
    >>> pairs = [("cat", ("cats",)), ("dog", ("dogs",)), ("ox", ("oxen", "oxes"))]
    >>> [q for q, _ in bats_questions(pairs)][:2]
    [('dog', 'dogs', 'cat', 'cats'), ('ox', 'oxen', 'cat', 'cats')]
    >>> len(list(bats_questions(pairs))), list(bats_questions(pairs))[-1][1]
    (6, ('oxen', 'oxes'))
    """
    for i, (c, d_answers) in enumerate(pairs):
        for j, (a, b_answers) in enumerate(pairs):
            if i != j:
                yield (a, b_answers[0], c, d_answers[0]), tuple(d_answers)


def read_bats(
    paths: Sequence[str | os.PathLike[str]], *, name: str, encoding: str = "utf-8", **metadata: Any
) -> AnalogySet:
    """Read BATS 3.0 category files (``word<TAB>answer[/answer...]`` per line).

    Each file is one section, named by the file name without ``.txt`` (e.g.
    ``I01 [noun - plural_reg]``), in the order given. Questions are built with
    :func:`bats_questions`: the 40 files of 50 pairs give 40 × 50 × 49 = 98,000.
    ``sha256`` is the first file's.
    """
    if not paths:
        raise ValueError("read_bats needs at least one category file")
    sections: list[str] = []
    questions: list[tuple[str, str, str, str]] = []
    alternatives: list[tuple[str, ...]] = []
    question_sections: list[int] = []
    first_digest = None
    for path in paths:
        pairs, data = _bats_pairs(path, encoding)
        first_digest = first_digest or hashlib.sha256(data).hexdigest()
        sections.append(Path(path).name.removesuffix(".txt"))
        for question, answers in bats_questions(pairs):
            questions.append(question)
            alternatives.append(answers)
            question_sections.append(len(sections) - 1)
    return AnalogySet(
        name=name,
        questions=tuple(questions),
        sections=tuple(sections),
        question_sections=tuple(question_sections),
        alternatives=tuple(alternatives),
        source=os.fspath(paths[0]),
        sha256=first_digest,
        **metadata,
    )
