"""Vectors held or written by gensim: KeyedVectors, models, fastText ``.bin``, pickles.

gensim is imported only inside these functions: ``import w2veval.io`` stays light.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile

import numpy as np

from ..errors import UntrustedPickleError, VectorFormatError, VectorSourceError, W2VEvalError
from ..vectors import WordVectors
from ._detect import FASTTEXT_MAGIC
from ._memory import checked_matrix, select_rows
from ._sources import Opened

__all__ = ["from_keyed_vectors", "load_fasttext", "check_fasttext_layout", "load_pickle"]


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
    has_ngrams = getattr(kv, "vectors_ngrams", None) is not None and getattr(kv, "bucket", 0)

    def subword(word: str) -> np.ndarray:
        return np.array(kv.get_vector(word), dtype=np.float32)  # a copy, not a view

    return WordVectors(kept, checked_matrix(kv.vectors, rows, kept, source), ranks=rows,
                       source=source, vocab_size=len(keys), subword_vector=subword if has_ngrams else None)


def load_fasttext(opened: Opened, *, match, limit: int | None) -> WordVectors:
    """A fastText ``.bin`` via ``gensim.models.fasttext.load_facebook_vectors``.

    gensim needs a file path; content that is not a plain local file (S3, compressed)
    is first copied to a temporary file, removed afterwards.
    """
    from gensim.models.fasttext import load_facebook_vectors

    if opened.local_path is not None:
        check_fasttext_layout(opened.local_path, opened.name)
        kv = _gensim_call(load_facebook_vectors, str(opened.local_path), opened.name, "fastText")
    else:
        with tempfile.NamedTemporaryFile(prefix="w2veval-spool-", suffix=".bin") as spool:
            shutil.copyfileobj(opened.stream, spool, 1 << 20)
            spool.flush()
            check_fasttext_layout(spool.name, opened.name)
            kv = _gensim_call(load_facebook_vectors, spool.name, opened.name, "fastText")
    return from_keyed_vectors(kv, match=match, limit=limit, source=opened.name)


def check_fasttext_layout(path, name: str) -> None:
    """Refuse a truncated fastText ``.bin`` before gensim reads it.

    gensim loops forever on a file cut inside its vocabulary, so the layout is walked
    here first: magic and version, 12 int32 and a double of settings, the vocabulary
    (per word: UTF-8 bytes, NUL, int64 count, int8 type), the pruned-index pairs, then
    the input and output matrices (bool, int64 rows, int64 dim, float32 data).
    """
    with open(path, "rb") as fin:
        head = fin.read(8 + 56 + 28)
        if len(head) < 92 or struct.unpack("<i", head[:4])[0] != FASTTEXT_MAGIC:
            if len(head) < 92:
                raise VectorFormatError("truncated fastText file: it ends in its header",
                                        path=name)
            return  # the old, magic-less layout: left to gensim
        n_entries, _, _, _, n_pruned = struct.unpack("<3iqq", head[64:92])
        buf, pos = b"", 0
        for entry in range(n_entries):
            end = buf.find(b"\0", pos)
            while end < 0 or end + 10 > len(buf):
                more = fin.read(1 << 20)
                if not more:
                    raise VectorFormatError(
                        f"truncated fastText file: it ends in vocabulary entry {entry + 1} "
                        f"of {n_entries}", path=name)
                buf, pos = buf[pos:] + more, 0
                end = buf.find(b"\0")
            pos = end + 10
        at = fin.tell() - (len(buf) - pos) + 8 * max(n_pruned, 0)  # -1 means none
        size = os.fstat(fin.fileno()).st_size
        for matrix in ("input", "output"):  # each: bool, int64 rows, int64 dim, float32s
            fin.seek(at)
            quantized, shape = fin.read(1), fin.read(16)
            if quantized not in (b"\0", b""):
                raise VectorFormatError("quantized fastText models (.ftz) are not supported; "
                                        "use the .bin or the .vec file", path=name)
            rows, dim = struct.unpack("<2q", shape) if len(shape) == 16 else (0, 0)
            at += 17 + 4 * rows * dim
            if len(shape) < 16 or size < at:
                raise VectorFormatError(
                    f"truncated fastText file: {size} bytes, but its {matrix} matrix ends at "
                    f"byte {at}", path=name)


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
            "with trust=True (CLI: --trust). Do that only for files you made or trust; "
            "or convert it once with model.wv.save_word2vec_format(path, binary=True)",
            path=opened.name)
    if opened.local_path is None:
        raise VectorSourceError(
            "gensim native files load only from an uncompressed local path (gensim looks "
            "for companion .npy files beside it); download or decompress it first",
            path=opened.name)
    from gensim.models import KeyedVectors

    obj = _gensim_call(KeyedVectors.load, str(opened.local_path), opened.name, "gensim")
    kv = getattr(obj, "wv", obj)
    if not (hasattr(kv, "index_to_key") and hasattr(kv, "vectors")):
        raise VectorFormatError(
            f"the pickle holds a {type(obj).__name__}, not gensim KeyedVectors or a model "
            "with .wv", path=opened.name)
    return from_keyed_vectors(kv, match=match, limit=limit, source=opened.name)


def _gensim_call(load, path: str, name: str, kind: str):
    """Call a gensim loader, turning its many failure types into VectorFormatError."""
    try:
        return load(path)
    except (W2VEvalError, MemoryError):
        raise
    except FileNotFoundError as err:
        raise VectorSourceError(f"{kind} loader could not open a file: {err}",
                                path=name) from err
    except Exception as err:  # struct.error, EOFError, AssertionError, UnpicklingError, ...
        raise VectorFormatError(
            f"not a valid {kind} file ({type(err).__name__}: {err})", path=name) from err
