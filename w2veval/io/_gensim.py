"""Vectors held or written by gensim: KeyedVectors, models, fastText ``.bin``, pickles.

gensim is imported only inside these functions: ``import w2veval.io`` stays light.
"""

from __future__ import annotations

import numpy as np

from ..errors import UntrustedPickleError, VectorFormatError, VectorSourceError, W2VEvalError, option
from ..vectors import WordVectors
from ._fasttext import check_fasttext_header, check_fasttext_layout
from ._memory import checked_matrix, select_rows
from ._sources import Opened
from ._spool import spooled

__all__ = ["check_fasttext_layout", "from_keyed_vectors", "load_fasttext", "load_pickle"]


def from_keyed_vectors(obj, *, match, limit: int | None, source: str | None) -> WordVectors:
    """WordVectors from a gensim ``KeyedVectors`` or a model with ``.wv`` (copied).

    For fastText vectors, ``subword_vector`` gives gensim's n-gram vector of a word
    outside the loaded rows (for a vocabulary word not loaded, its own vector).
    """
    kv = getattr(obj, "wv", obj)
    keys = kv.index_to_key
    for key in keys:
        if not isinstance(key, str):
            raise VectorFormatError(f"keys must be words (str), found {key!r}", path=source)
    rows = select_rows(keys, match, limit)
    kept = [keys[i] for i in rows]
    has_ngrams = getattr(kv, "vectors_ngrams", None) is not None and bool(getattr(kv, "bucket", 0))

    def subword(word: str) -> np.ndarray:
        return np.array(kv.get_vector(word), dtype=np.float32)  # a copy, not a view

    return WordVectors(
        kept,
        checked_matrix(kv.vectors, rows, kept, source),
        ranks=rows,
        source=source,
        vocab_size=len(keys),
        subword_vector=subword if has_ngrams else None,
    )


def load_fasttext(opened: Opened, *, match, limit: int | None) -> WordVectors:
    """A fastText ``.bin`` via ``gensim.models.fasttext.load_facebook_vectors``.

    gensim needs a file path: content that is not a plain local file (standard input,
    a pipe, S3, compressed) is first copied to a temporary file (see :mod:`._spool`),
    removed however the load ends. The layout is checked before gensim reads the file
    (:func:`~._fasttext.check_fasttext_layout`): gensim loops forever on some damage.
    """
    check_fasttext_header(opened.head, opened.name)  # before copying a stream for nothing
    if opened.local_path is not None:
        kv = _checked_fasttext(str(opened.local_path), opened.name)
    else:
        with spooled(opened.stream, opened.name) as path:
            kv = _checked_fasttext(path, opened.name)
    return from_keyed_vectors(kv, match=match, limit=limit, source=opened.name)


def _checked_fasttext(path: str, name: str):
    """gensim's fastText vectors of the file at ``path``, once its layout is checked."""
    check_fasttext_layout(path, name)
    from gensim.models.fasttext import load_facebook_vectors

    return _gensim_call(load_facebook_vectors, path, name, "fastText")


def load_pickle(opened: Opened, *, match, limit: int | None, trust: bool) -> WordVectors:
    """A gensim native ``.kv``/``.model`` file, only when ``trust`` is given.

    Raises
    ------
    UntrustedPickleError
        Without ``trust=True``: unpickling runs code the file's author chose.
    """
    if not trust:
        raise UntrustedPickleError(
            "this is a gensim native file (.kv/.model), which is a Python pickle: loading it "
            "can run any code its author put in it, so w2veval loads it only when asked "
            f"with {option('trust', True)}. Do that only for files you made or trust; "
            "or convert it once with model.wv.save_word2vec_format(path, binary=True)",
            path=opened.name,
        )
    if opened.local_path is None:
        raise VectorSourceError(
            "gensim native files load only from an uncompressed local path (gensim looks "
            "for companion .npy files beside it); download or decompress it first",
            path=opened.name,
        )
    from gensim.models import KeyedVectors

    obj = _gensim_call(KeyedVectors.load, str(opened.local_path), opened.name, "gensim")
    kv = getattr(obj, "wv", obj)
    if not (hasattr(kv, "index_to_key") and hasattr(kv, "vectors")):
        raise VectorFormatError(
            f"the pickle holds a {type(obj).__name__}, not gensim KeyedVectors or a model with .wv",
            path=opened.name,
        )
    return from_keyed_vectors(kv, match=match, limit=limit, source=opened.name)


def _gensim_call(load, path: str, name: str, kind: str):
    """Call a gensim loader, turning its many failure types into VectorFormatError."""
    try:
        return load(path)
    except (W2VEvalError, MemoryError):
        raise
    except FileNotFoundError as err:
        raise VectorSourceError(f"{kind} loader could not open a file: {err}", path=name) from err
    except Exception as err:  # struct.error, EOFError, AssertionError, UnpicklingError, ...
        raise VectorFormatError(f"not a valid {kind} file ({type(err).__name__}: {err})", path=name) from err
