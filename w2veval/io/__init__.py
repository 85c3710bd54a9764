"""Loading word vectors from files, archives, S3 and memory: :func:`load_vectors`.

The format is told from the content, not the file name: word2vec text (with a
``<count> <dim>`` header; also fastText ``.vec`` and BlazingText ``vectors.txt``),
GloVe text (no header), word2vec C binary, fastText ``.bin``, and gensim native
``.kv``/``.model`` pickles (only with ``trust=True``). gzip, bz2 and xz are
decompressed on the fly; a tar archive (BlazingText ``model.tar.gz``) is read from
its ``vectors.txt`` member without extracting anything.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..matching import token_matcher
from ..vectors import WordVectors
from ._detect import FORMATS, detect_format, normalise_format

if TYPE_CHECKING:
    from tqdm import tqdm

    from .._typing import VectorsSource
    from ..matching import MatchRules, TokenMatcher
    from ._sources import Opened

__all__ = ["FORMATS", "load_vectors"]


def load_vectors(
    source: VectorsSource,
    *,
    format: str = "auto",
    words: Iterable[str] | None = None,
    case_sensitive: bool = True,
    limit: int | None = None,
    trust: bool = False,
    progress: bool = False,
    rules: MatchRules | None = None,
) -> WordVectors:
    """Load word vectors, optionally only the words you need.

    Parameters
    ----------
    source : str, os.PathLike, KeyedVectors, gensim model, (words, matrix) or dict
        A file path; an extracted BlazingText folder (its ``vectors.txt``, else
        ``vectors.bin``); an ``s3://bucket/key`` URL (boto3's usual configuration,
        so ``AWS_ENDPOINT_URL`` works); a tar archive; ``"-"`` for standard input,
        or the path of a pipe or FIFO (``/dev/fd/63`` from ``<(zcat v.txt.gz)``),
        read once, front to back; or vectors already in memory (copied, never
        modified).
    format : {"auto", "text", "word2vec", "vec", "glove", "binary", "fasttext", "gensim"}
        ``"auto"`` detects the format from the content. ``"text"``, ``"word2vec"``
        and ``"vec"`` mean text with a ``<count> <dim>`` header, ``"glove"`` text
        without one.
    words : iterable of str, optional
        Load only these words (rows are scanned, and the numbers of other rows
        never parsed). ``None`` loads every word.
    case_sensitive : bool, default True
        With ``False``, every case variant of a wanted word is loaded (each with
        its own rank), matched by :func:`~w2veval.matching.word_key`.
    limit : int, optional
        Consider only the first ``limit`` rows (gensim's ``restrict_vocab``), and
        stop reading after them.
    trust : bool, default False
        Allow unpickling gensim native files, which can run arbitrary code.
    progress : bool, default False
        Show a byte progress bar on stderr if reading takes over a second.
    rules : MatchRules, optional
        How ``words`` are matched (case mode, accents, phrases); overrides
        ``case_sensitive``. See :class:`~w2veval.matching.MatchRules`.

    Returns
    -------
    WordVectors
        Words as written in the source, their vectors, and each word's 0-based
        ``ranks`` in the full source; ``vocab_size`` is the source's row count (the
        header's count, where there is one).

    Raises
    ------
    VectorSourceError
        The source cannot be opened or read (missing file, S3 error, a device, a
        FIFO without a writer, empty standard input).
    VectorFormatError
        Its content is malformed; the message names the file and the line (the
        row, for binary formats).
    UntrustedPickleError
        A gensim pickle without ``trust=True``.

    Warns
    -----
    UserWarning
        Once per load, naming the first row, if any loaded word is invalid UTF-8
        (it is decoded with U+FFFD replacement characters).

    Examples
    --------
    >>> wv = load_vectors({"cat": [1.0, 0.0], "Cat": [0.9, 0.1], "dog": [0.0, 1.0]},
    ...                   words=["CAT"], case_sensitive=False)
    >>> wv.words, wv.ranks.tolist()
    (['cat', 'Cat'], [0, 1])
    """
    fmt = normalise_format(format)
    if isinstance(words, (str, bytes)):
        raise TypeError(f"words must be an iterable of str, not a single {type(words).__name__}")
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a non-negative int or None, got {limit!r}")
    match = None if words is None else token_matcher(words, rules or case_sensitive)

    from ._memory import from_memory, is_in_memory

    if is_in_memory(source):
        if fmt not in ("auto", "gensim"):
            raise ValueError(
                f"format={format!r} applies to files, not to a "
                f"{type(source).__name__} in memory; leave format='auto'"
            )
        return from_memory(source, match=match, limit=limit)

    if not isinstance(source, (str, bytes, os.PathLike)):
        raise TypeError(
            f"cannot load vectors from a {type(source).__name__}; pass a path, an s3:// URL, "
            "a gensim KeyedVectors or model, a (words, ndarray) pair or a {word: vector} dict"
        )

    from ._sources import open_source

    with open_source(source) as opened:
        if fmt == "auto":
            fmt = detect_format(opened.head, name=opened.name)
        bar = _progress_bar(opened.size, opened.name) if progress else None
        try:
            return _read(opened, fmt, match=match, limit=limit, trust=trust, progress=bar)
        finally:
            if bar is not None:
                bar.close()


def _read(
    opened: Opened,
    fmt: str,
    *,
    match: TokenMatcher | None,
    limit: int | None,
    trust: bool,
    progress: tqdm[Any] | None,
) -> WordVectors:
    if fmt in ("text", "glove"):
        from ._text import read_text

        return read_text(
            opened.stream, name=opened.name, match=match, limit=limit, header=fmt == "text", progress=progress
        )
    if fmt == "binary":
        from ._binary import read_binary

        return read_binary(opened.stream, name=opened.name, match=match, limit=limit, progress=progress)
    from ._gensim import load_fasttext, load_pickle

    if fmt == "fasttext":
        return load_fasttext(opened, match=match, limit=limit)
    return load_pickle(opened, match=match, limit=limit, trust=trust)


def _progress_bar(total: int | None, name: str) -> tqdm[Any]:
    from tqdm import tqdm

    from .._progress import delay

    return tqdm(
        total=total, desc=name, delay=delay(), unit="B", unit_scale=True, file=sys.stderr, leave=False
    )
