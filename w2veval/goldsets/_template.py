"""Proposing word pairs for people to rate: :func:`template` and :func:`write_template`.

A domain gold set whose pairs were picked by hand tends to be all easy pairs (or,
picked at random, all unrelated ones) and all frequent words. :func:`template`
samples candidates stratified by frequency band and, when vectors are given, by the
model's own similarity, so that the raters see the whole range.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from .._output import write_atomic
from ..errors import W2VEvalError, for_cli, option
from ..matching import word_key

if TYPE_CHECKING:
    from .._typing import StrPath, VectorsSource
    from ._goldset import GoldSet

__all__ = [
    "TEMPLATE_COLUMNS",
    "VocabularyError",
    "is_vocabulary_file",
    "is_word",
    "read_vocabulary_file",
    "template",
    "write_template",
]

TEMPLATE_COLUMNS = ("word1", "word2", "score", "freq_band", "model_similarity", "notes")
DEFAULT_LIMIT = 50_000
_SIM_BINS = 5  # quintiles of the model's cosine similarity
_POOL_RANDOM = 10  # random candidate pairs per wanted pair (with vectors)
_POOL_ANCHORS = 5  # nearest-neighbour candidate pairs per wanted pair (with vectors)
_NEIGHBOURS = 10  # a neighbour pair joins a word to one of its 10 nearest words in the band
_ENUMERATE = 50_000  # bands with at most this many possible pairs are enumerated, not sampled
_JOINERS = re.compile(r"[-'\u2019]")


class VocabularyError(W2VEvalError, ValueError):
    """A vocabulary that is malformed, or too small for the pairs asked of it."""


def is_word(token: str) -> bool:
    """Whether ``token`` is a word worth rating.

    After NFC normalisation, a word has at least two characters, and consists of
    letters (Unicode category L) and combining marks (M), optionally joined by
    single inner hyphens or apostrophes (``e-mail``, ``don't``). Digits,
    punctuation, underscores (word2vec phrases such as ``New_York``), symbols and
    markup tokens such as ``</s>`` are not words.

    Examples
    --------
    >>> [t for t in ["java", "e-mail", "Straße", "c++", "2019", "</s>", "New_York", "x", "-ing"]
    ...  if is_word(t)]
    ['java', 'e-mail', 'Straße']
    """
    token = unicodedata.normalize("NFC", token)
    if len(token) < 2:
        return False
    for part in _JOINERS.split(token):
        if not part or not unicodedata.category(part[0]).startswith("L"):
            return False
        if any(unicodedata.category(c)[0] not in "LM" for c in part):
            return False
    return True


def is_vocabulary_file(path: StrPath) -> bool:
    """Whether ``path`` is a vocabulary file rather than a vectors file.

    A vocabulary file is UTF-8 text whose first 20 non-blank lines each hold one
    word, or a word and an integer count (``word2vec -save-vocab``, fastText
    ``dump dict``). Compressed and binary files are never vocabulary files.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ")) or head[257:262] == b"ustar":
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    lines = [line for line in text.removeprefix("\ufeff").splitlines() if line.strip()]
    if len(head) == 65536:
        lines = lines[:-1]  # the last line may be cut off
    sample = lines[:20]
    return bool(sample) and all(_vocabulary_line(line) is not None for line in sample)


def _vocabulary_line(line: str) -> str | None:
    fields = line.split()
    if len(fields) == 1 or (len(fields) == 2 and fields[1].isdigit()):
        return fields[0]
    return None


def read_vocabulary_file(path: StrPath, limit: int | None = None) -> list[str]:
    """The words of a vocabulary file, most frequent first (file order).

    Raises
    ------
    VocabularyError
        Naming the line, if a line is neither ``word`` nor ``word count``.
    """
    words: list[str] = []
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            word = _vocabulary_line(line)
            if word is None:
                raise VocabularyError(
                    f"expected one word per line, optionally followed by an integer count; "
                    f"found {line.strip()[:60]!r}",
                    path=path,
                    line=lineno,
                )
            words.append(word)
            if limit is not None and len(words) >= limit:
                break
    return words


def template(
    vocab_or_vectors: StrPath | Iterable[str] | VectorsSource,
    *,
    n: int = 200,
    seed: int = 0,
    bands: int | Sequence[int] = 3,
    exclude: GoldSet | StrPath | Iterable[str | Sequence[Any]] | None = None,
    limit: int | None = DEFAULT_LIMIT,
    progress: bool = False,
) -> list[dict[str, Any]]:
    """Propose ``n`` word pairs for people to rate, stratified by frequency and similarity.

    Candidate words are the tokens that pass :func:`is_word`, minus ``exclude``
    and minus case variants of a more frequent token (compared with
    :func:`~w2veval.matching.word_key`). They are split into frequency bands by
    their rank in the source, and each band gets an equal share of ``n``; both
    words of a pair come from the same band. Without vectors the pairs of a band
    are drawn uniformly at random. With vectors, a pool is drawn first — random
    pairs plus pairs of a word and one of its 10 nearest neighbours in the band
    — the pool is cut into quintiles of cosine similarity, and each quintile gets
    an equal share (the remainder goes to the most similar ones), so the raters
    see related pairs as well as unrelated ones. No pair joins a word to itself
    and no pair occurs twice in either order. The rows come out shuffled, each
    pair in random order; the result depends only on the input and ``seed``.

    Parameters
    ----------
    vocab_or_vectors
        A vocabulary file (one word per line, most frequent first, optionally with
        a count: see :func:`is_vocabulary_file`), a list of words in that order, a
        :class:`~w2veval.WordVectors`, or any vectors source
        :func:`~w2veval.load_vectors` reads (a word2vec file's rows are in
        frequency order, so a word's row is its frequency rank).
    n : int, default 200
        Number of pairs.
    seed : int, default 0
        Seed of the random generator.
    bands : int or sequence of int, default 3
        An int ``k`` splits the candidate words into ``k`` bands of equal size by
        rank. Increasing 1-based rank edges, e.g. ``(1000, 10000)``, give the bands
        "1-1000", "1001-10000" and "10001+".
    exclude : optional
        Pairs or words not to propose: a :class:`GoldSet` or the path of a gold-set
        file (its pairs, in either order), or an iterable whose items are words
        (str) or ``(word1, word2[, score])`` pairs. Function words are worth
        excluding: they crowd the most frequent band.
    limit : int or None, default 50000
        Read only the ``limit`` most frequent words (the first rows); ``None``
        reads all.
    progress : bool, default False
        A progress bar on stderr while a vectors file is read (after a second).

    Returns
    -------
    list of dict
        One dict per pair with the keys :data:`TEMPLATE_COLUMNS`: ``score`` is
        ``None`` (for the raters), ``freq_band`` the band's 1-based rank range,
        ``model_similarity`` the cosine rounded to 4 decimals (``None`` without
        vectors), ``notes`` empty.

    Raises
    ------
    VocabularyError
        If a band has too few words for its share of ``n``, or a vocabulary file
        is malformed.

    Examples
    --------
    >>> words = ["the", "cat", "dog", "2001", "car", "bus", "tram", "c++", "Dog", "boat"]
    >>> rows = template(words, n=4, bands=2, exclude=["the"])
    >>> sorted(tuple(sorted((r["word1"], r["word2"]))) for r in rows)
    [('boat', 'tram'), ('bus', 'tram'), ('car', 'cat'), ('car', 'dog')]
    >>> sorted({r["freq_band"] for r in rows}), rows[0]["score"], rows[0]["model_similarity"]
    (['2-5', '6-10'], None, None)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 2):
        raise ValueError(f"limit must be an int >= 2 or None, got {limit!r}")
    words, ranks, unit, source = _load(vocab_or_vectors, limit, progress)
    excluded_words, excluded_pairs = _exclusions(exclude)

    keep: list[int] = []
    seen: set[str] = set()
    n_nonwords = n_variants = n_excluded = 0
    for i in np.argsort(ranks, kind="stable").tolist():
        word = words[i]
        if not is_word(word):
            n_nonwords += 1
            continue
        key = word_key(word)
        if key in excluded_words:
            n_excluded += 1
        elif key in seen:
            n_variants += 1
        else:
            seen.add(key)
            keep.append(i)
    summary = (
        f"{source} has {len(keep)} usable words ({n_nonwords} tokens skipped as "
        f"non-words, {n_variants} as case variants, {n_excluded} excluded)"
    )
    band_rows = _bands(keep, ranks, bands, summary)
    k = len(band_rows)
    quotas = [n // k + (b < n % k) for b in range(k)]

    rng = np.random.default_rng(seed)
    keys = {i: word_key(words[i]) for i in keep}
    rows: list[dict[str, Any]] = []
    for (label, band_members), quota in zip(band_rows, quotas, strict=True):
        if quota == 0:
            continue
        members = np.asarray(band_members)
        blocked = _blocked_in_band(members, keys, excluded_pairs)
        available = len(members) * (len(members) - 1) // 2 - len(blocked)
        if quota > available:
            raise VocabularyError(
                f"the frequency band {label} has {len(members)} usable words, so "
                f"{max(available, 0)} possible pairs, but needs {quota} pairs for {n} pairs over "
                f"{k} band(s); {summary}. Pass a smaller {option('n', ...)}"
                + ("" if for_cli() else ", fewer bands")
                + " or a larger vocabulary"
                + ("" if for_cli() else " (or a larger limit)")
            )
        for a, b, sim in _sample_band(rng, members, quota, unit, keys, excluded_pairs, available):
            if rng.random() < 0.5:
                a, b = b, a
            rows.append(
                {
                    "word1": words[a],
                    "word2": words[b],
                    "score": None,
                    "freq_band": label,
                    "model_similarity": None if sim is None else round(float(sim), 4),
                    "notes": "",
                }
            )
    return [rows[i] for i in rng.permutation(len(rows))]


def write_template(
    rows: Iterable[Mapping[str, Any]], path: StrPath | TextIO, *, overwrite: bool = False
) -> StrPath | TextIO:
    """Write an annotation sheet: CSV with the header :data:`TEMPLATE_COLUMNS`.

    ``None`` is written as an empty cell. Once the ``score`` column is filled in,
    :meth:`GoldSet.from_file` reads the sheet (extra columns are ignored).

    Parameters
    ----------
    rows : iterable of dict
        As returned by :func:`template`; missing keys are empty cells.
    path : str, os.PathLike or text file
        Where to write (UTF-8, LF line ends); a file object is written to as is.
    overwrite : bool, default False
        Refuse to replace an existing file, which may already hold ratings.

    Returns
    -------
    The ``path`` given.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is false (also a ``FileExistsError``).
    OutputError
        If the file cannot be written (missing folder, read-only or full file
        system); the sheet is written atomically, so nothing is left behind.
    ValueError
        If a row has a key that is not a template column.
    """
    rows = list(rows)
    for i, row in enumerate(rows, 1):
        unknown = sorted(set(row) - set(TEMPLATE_COLUMNS))
        if unknown:
            raise ValueError(
                f"row {i} has keys {unknown} that are not template columns {list(TEMPLATE_COLUMNS)}"
            )
    if not isinstance(path, (str, bytes, os.PathLike)):
        _write_rows(path, rows)  # a text file object, written to as is
        return path
    buffer = io.StringIO()
    _write_rows(buffer, rows)
    # Atomic: a full disk or a read-only folder leaves no half-written sheet behind.
    write_atomic(
        path,
        buffer.getvalue().encode("utf-8"),
        overwrite=overwrite,
        exists_hint=f"it may hold ratings; remove it or pass {option('overwrite', True)}",
    )
    return path


def _write_rows(fh: TextIO, rows: list[Mapping[str, Any]]) -> None:
    writer = csv.DictWriter(fh, fieldnames=TEMPLATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


# --- internals ---------------------------------------------------------------------


def _load(
    source: StrPath | Iterable[str] | VectorsSource, limit: int | None, progress: bool = False
) -> tuple[list[str], np.ndarray, np.ndarray | None, str]:
    """``(words, ranks, unit vectors or None, description)`` of a vocabulary or vectors."""
    from ..io import load_vectors
    from ..io._memory import is_in_memory
    from ..vectors import WordVectors

    if isinstance(source, WordVectors):
        wv = source
        if limit is not None:
            rows = np.flatnonzero(wv.ranks < limit)
            wv = WordVectors(
                [wv.words[i] for i in rows], wv.vectors[rows], ranks=wv.ranks[rows], source=wv.source
            )
    elif isinstance(source, (str, os.PathLike)) and is_vocabulary_file(source):
        words = read_vocabulary_file(source, limit)
        return words, np.arange(len(words)), None, f"the vocabulary {os.fspath(source)!r}"
    elif isinstance(source, (str, bytes, os.PathLike)) or is_in_memory(source):
        wv = load_vectors(source, limit=limit, progress=progress)
    else:
        items = list(source)
        words = [w for w in items if isinstance(w, str)]
        if len(words) < len(items):
            bad = next(w for w in items if not isinstance(w, str))
            raise TypeError(f"a vocabulary must hold words (str), found {type(bad).__name__} {bad!r}")
        words = words if limit is None else words[:limit]
        return words, np.arange(len(words)), None, "the vocabulary"
    matrix = wv.vectors.astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit = matrix / np.where(norms > 0, norms, 1)
    return list(wv.words), np.asarray(wv.ranks), unit, f"the vectors {wv.source!r}"


def _exclusions(
    exclude: GoldSet | StrPath | Iterable[str | Sequence[Any]] | None,
) -> tuple[set[str], set[tuple[str, str]]]:
    from ._goldset import GoldSet

    if exclude is None:
        return set(), set()
    if isinstance(exclude, (str, os.PathLike)):
        exclude = GoldSet.from_file(exclude, duplicates="keep")
    if isinstance(exclude, GoldSet):
        exclude = list(zip(exclude.word1, exclude.word2, strict=True))
    words: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for item in exclude:
        if isinstance(item, str):
            words.add(word_key(item))
        elif (
            isinstance(item, (tuple, list))
            and len(item) in (2, 3)
            and all(isinstance(w, str) for w in item[:2])
        ):
            pairs.add(_pair_key(word_key(item[0]), word_key(item[1])))
        else:
            raise TypeError(f"exclude holds words (str) or (word1, word2[, score]) pairs, found {item!r}")
    return words, pairs


def _pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _bands(
    keep: list[int], ranks: np.ndarray, bands: int | Sequence[int], summary: str
) -> list[tuple[str, list[int]]]:
    """``[(label, word indices), ...]`` in frequency order; labels are 1-based rank ranges."""
    if len(keep) < 2:
        raise VocabularyError(f"{summary}; at least 2 are needed to form a pair")
    if isinstance(bands, bool):
        raise TypeError(f"bands must be an int or a sequence of rank edges, got {bands!r}")
    if isinstance(bands, int):
        if bands < 1:
            raise ValueError(f"bands must be at least 1, got {bands}")
        if bands > len(keep):
            raise VocabularyError(
                f"{bands} frequency bands need at least {bands} words; {summary}. "
                "Pass fewer bands or a larger vocabulary"
            )
        out: list[tuple[str, list[int]]] = []
        for part in np.array_split(np.asarray(keep), bands):
            members = part.tolist()
            out.append((f"{ranks[members[0]] + 1}-{ranks[members[-1]] + 1}", members))
        return out
    edges = list(bands)
    if (
        not edges
        or any(isinstance(e, bool) or not isinstance(e, int) for e in edges)
        or edges[0] < 1
        or any(b <= a for a, b in itertools.pairwise(edges))
    ):
        raise ValueError(
            f"bands must be an int or increasing positive rank edges such as (1000, 10000), got {bands!r}"
        )
    out = []
    for lo, hi in zip([0, *edges], [*edges, None], strict=True):
        members = [i for i in keep if ranks[i] >= lo and (hi is None or ranks[i] < hi)]
        out.append((f"{lo + 1}+" if hi is None else f"{lo + 1}-{hi}", members))
    return out


def _blocked_in_band(members, keys, excluded_pairs) -> set[tuple[str, str]]:
    if not excluded_pairs:
        return set()
    band = {keys[i] for i in members.tolist()}
    return {p for p in excluded_pairs if p[0] in band and p[1] in band and p[0] != p[1]}


def _sample_band(rng, members, quota, unit, keys, excluded_pairs, available):
    """``quota`` distinct pairs ``(row_a, row_b, cosine or None)`` of words in the band."""
    n_random = quota if unit is None else min(available, _POOL_RANDOM * quota)
    pool = _random_pairs(rng, members, n_random, keys, excluded_pairs, available)
    if unit is None:
        return [(a, b, None) for a, b in pool]
    taken = {_pair_key(keys[a], keys[b]) for a, b in pool}
    pool += _neighbour_pairs(rng, members, quota, unit, keys, excluded_pairs, taken)
    a, b = np.array(pool).T
    sims = np.einsum("ij,ij->i", unit[a], unit[b]).astype(np.float64)
    cuts = np.quantile(sims, np.linspace(0, 1, _SIM_BINS + 1)[1:-1])
    bins = np.searchsorted(cuts, sims, side="right")
    shares = [quota // _SIM_BINS + (k >= _SIM_BINS - quota % _SIM_BINS) for k in range(_SIM_BINS)]
    queues = [rng.permutation(np.flatnonzero(bins == k)).tolist() for k in range(_SIM_BINS)]
    chosen = []
    for k in range(_SIM_BINS):
        chosen += queues[k][: shares[k]]
        del queues[k][: shares[k]]
    for k in reversed(range(_SIM_BINS)):  # a quintile short of pairs: fill from the others
        chosen += queues[k][: max(0, quota - len(chosen))]
    return [(pool[i][0], pool[i][1], sims[i]) for i in chosen]


def _random_pairs(rng, members, count, keys, excluded_pairs, available) -> list[tuple[int, int]]:
    size = len(members)
    if available <= _ENUMERATE or (4 * count > available and available <= 40 * _ENUMERATE):
        i, j = np.triu_indices(size, k=1)
        candidates = [
            (a, b)
            for a, b in zip(members[i].tolist(), members[j].tolist(), strict=True)
            if _pair_key(keys[a], keys[b]) not in excluded_pairs
        ]
        picked = rng.choice(len(candidates), size=count, replace=False)
        return [candidates[p] for p in sorted(picked.tolist())]
    out: list[tuple[int, int]] = []
    seen: set[tuple[str, str]] = set()
    while len(out) < count:  # rejection sampling; usually at most a quarter of the pairs are wanted
        draws = rng.integers(0, size, size=(2 * (count - len(out)) + 16, 2))
        for x, y in draws.tolist():
            if x == y:
                continue
            a, b = int(members[x]), int(members[y])
            key = _pair_key(keys[a], keys[b])
            if key in seen or key in excluded_pairs:
                continue
            seen.add(key)
            out.append((a, b))
            if len(out) == count:
                break
    return out


def _neighbour_pairs(rng, members, quota, unit, keys, excluded_pairs, taken):
    size = len(members)
    top = min(_NEIGHBOURS, size - 1)
    anchors = rng.choice(size, size=min(size, _POOL_ANCHORS * quota), replace=False)
    band_unit = unit[members]
    out = []
    for start in range(0, len(anchors), 256):  # bounded memory: 256 x band size at a time
        chunk = anchors[start : start + 256]
        sims = band_unit[chunk] @ band_unit.T
        sims[np.arange(len(chunk)), chunk] = -np.inf
        for row, anchor in zip(sims, chunk.tolist(), strict=True):
            best = np.argpartition(-row, top - 1)[:top]
            best = best[np.lexsort((best, -row[best]))]  # by similarity, then position: stable
            partner = int(best[rng.integers(top)])
            a, b = int(members[anchor]), int(members[partner])
            key = _pair_key(keys[a], keys[b])
            if key in taken or key in excluded_pairs:
                continue
            taken.add(key)
            out.append((a, b))
    return out
