"""Checking the layout of a fastText ``.bin`` file before gensim reads it.

gensim's reader trusts the file: cut inside its vocabulary it loops forever reading
nothing, and counts from a damaged header make it allocate whatever they say. So the
layout is walked here first, in both layouts fastText has written:

* current (fastText 0.2 on, and gensim's ``save_facebook_model``): int32 magic
  793712314 and version; 12 int32 settings (dim, ws, epoch, minCount, neg,
  wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate) and a double (t); the
  dictionary header (int32 size, nwords, nlabels; int64 ntokens, pruneidx_size); per
  entry the word's UTF-8 bytes, NUL, int64 count, int8 type; pruneidx_size pairs of
  int32; then the input and the output matrix, each a bool (quantised), int64 rows
  and columns, and rows × columns float32.
* old (before 2017): no magic and version, so dim and ws come first; the dictionary
  header has no pruneidx_size, there is no pruned index, and the matrices have no
  quantised flag.

Every count is checked against the others and against the file's length, so a file
that passes is one gensim reads to its end without allocating more than its size.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass

from .._limits import MAX_LINE_ENV, max_line_bytes
from ..errors import VectorFormatError
from ._detect import FASTTEXT_MAGIC

__all__ = ["FASTTEXT_MAGIC", "FastTextLayout", "check_fasttext_header", "check_fasttext_layout"]

#: The newest file-format version fastText writes (and the newest it reads).
LATEST_VERSION = 12
#: Largest dimension taken for real; an old-layout header has no magic to go by.
MAX_DIM = 1 << 16
QUANTISED = "quantised fastText (.ftz) is not supported; use the model's unquantised .bin or its .vec file"

_SETTINGS = (
    "dim",
    "ws",
    "epoch",
    "min_count",
    "neg",
    "word_ngrams",
    "loss",
    "model",
    "bucket",
    "minn",
    "maxn",
    "lr_update_rate",
)
_NEW_HEADER = struct.Struct("<2i12id3iqq")
_OLD_HEADER = struct.Struct("<12id3iq")
_ENTRY_TAIL = struct.Struct("<qb")
_SHAPE = struct.Struct("<2q")
_LOSSES, _MODELS = range(1, 5), range(1, 4)  # hs, ns, softmax, ova; cbow, sg, sup
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FastTextLayout:
    """What a fastText file declares, once its layout is checked.

    Attributes
    ----------
    version : int or None
        The format version; ``None`` for the old layout, which has none.
    dim, nwords, bucket : int
        Vector dimension, vocabulary words and hash buckets.
    input_rows, output_rows : int
        Rows of the input (``nwords + bucket``) and output matrices.
    """

    version: int | None
    dim: int
    nwords: int
    bucket: int
    input_rows: int
    output_rows: int


def check_fasttext_layout(path: str | os.PathLike[str], name: str) -> FastTextLayout:
    """Refuse a fastText ``.bin`` that gensim would misread, before it reads it.

    Parameters
    ----------
    path : str or os.PathLike
        A regular file (it is seeked).
    name : str
        How the source is named in messages.

    Raises
    ------
    VectorFormatError
        Truncated anywhere, counts that contradict each other or the file's length,
        a quantised (``.ftz``) or supervised model, or bytes after the last matrix.
    """
    with open(path, "rb") as fin:
        size = os.fstat(fin.fileno()).st_size
        fields, at = _header(fin, name)
        new = fields["version"] is not None
        if at + (1 + _ENTRY_TAIL.size) * fields["size"] > size:  # each entry: word, NUL, tail
            raise VectorFormatError(
                f"truncated fastText file: {size} bytes cannot hold the {fields['size']} "
                "vocabulary entries its header declares",
                path=name,
            )
        at = _vocabulary(fin, at, fields["size"], name)
        rows_in, at = _matrix(fin, at, size, "input", new, fields["dim"], name)
        expected = fields["nwords"] + fields["bucket"]
        if rows_in != expected:
            raise VectorFormatError(
                f"its input matrix has {rows_in} rows, but {fields['nwords']} words and "
                f"{fields['bucket']} buckets make {expected}",
                path=name,
            )
        rows_out, at = _matrix(fin, at, size, "output", new, fields["dim"], name)
    if at != size:
        raise VectorFormatError(
            f"{size - at} bytes follow the output matrix, where a fastText file ends "
            "(wrong counts in the header, or another file appended?)",
            path=name,
        )
    return FastTextLayout(
        fields["version"], fields["dim"], fields["nwords"], fields["bucket"], rows_in, rows_out
    )


def check_fasttext_header(head: bytes, name: str) -> None:
    """Refuse a fastText file from its first bytes alone, before a stream is copied.

    Raises
    ------
    VectorFormatError
        The header is truncated or its fields are implausible.
    """
    _header(io.BytesIO(head), name)


def _header(fin, name: str) -> tuple[dict, int]:
    """The header's fields (``version`` None for the old layout) and where it ends."""
    head = fin.read(_NEW_HEADER.size)
    new = head[:4] == struct.pack("<i", FASTTEXT_MAGIC)
    layout = _NEW_HEADER if new else _OLD_HEADER
    if len(head) < layout.size:
        raise VectorFormatError(
            f"truncated fastText file: it ends in its header ({len(head)} of {layout.size} bytes)", path=name
        )
    values = list(layout.unpack(head[: layout.size]))
    version = values[1] if new else None
    if new:
        values = values[2:]
    else:
        values.append(-1)  # no pruned index
    fields = dict(zip(_SETTINGS, values[:12], strict=True), version=version)
    fields.update(zip(("t", "size", "nwords", "nlabels", "ntokens", "pruned"), values[12:], strict=True))
    if not new and not 1 <= fields["dim"] <= MAX_DIM:
        raise VectorFormatError(
            f"not a fastText file: it does not start with fastText's magic number "
            f"{FASTTEXT_MAGIC}, and read as the old layout without one, its dimension would "
            f"be {fields['dim']}",
            path=name,
        )
    _check_settings(fields, name)
    _check_counts(fields, name)
    return fields, layout.size


def _check_settings(fields: dict, name: str) -> None:
    version, dim = fields["version"], fields["dim"]
    if version is not None and not 1 <= version <= LATEST_VERSION:
        raise VectorFormatError(
            f"fastText file-format version {version} is not one fastText has written (1 to {LATEST_VERSION})",
            path=name,
        )
    if not 1 <= dim <= MAX_DIM:
        raise VectorFormatError(f"the header's dimension {dim} is not plausible (1 to {MAX_DIM})", path=name)
    negative = [key for key in _SETTINGS if fields[key] < 0]
    if negative:
        raise VectorFormatError(
            f"the header's setting {negative[0]} is negative ({fields[negative[0]]})", path=name
        )
    if fields["loss"] not in _LOSSES or fields["model"] not in _MODELS:
        raise VectorFormatError(
            f"the header's loss {fields['loss']} and model {fields['model']} are not "
            "fastText's codes (loss 1-4, model 1-3): damaged, or not a fastText file",
            path=name,
        )


def _check_counts(fields: dict, name: str) -> None:
    for key in ("size", "nwords", "nlabels", "ntokens"):
        if fields[key] < 0:
            raise VectorFormatError(f"the dictionary header's {key} is negative ({fields[key]})", path=name)
    if fields["nlabels"] or fields["model"] == 3:
        raise VectorFormatError(
            f"this is a supervised fastText model (a text classifier: model {fields['model']}, "
            f"{fields['nlabels']} labels), not word vectors; w2veval reads cbow and skipgram "
            "models",
            path=name,
        )
    if fields["size"] != fields["nwords"] + fields["nlabels"]:
        raise VectorFormatError(
            f"the dictionary header contradicts itself: {fields['size']} entries, but "
            f"{fields['nwords']} words and {fields['nlabels']} labels",
            path=name,
        )
    if not fields["nwords"]:
        raise VectorFormatError("the fastText model has no words", path=name)
    if fields["pruned"] >= 0:
        raise VectorFormatError(
            f"{QUANTISED} (its dictionary is pruned, which only quantisation does)", path=name
        )
    if fields["pruned"] < -1:
        raise VectorFormatError(
            f"the dictionary header's pruned-index size is {fields['pruned']} (-1 or more)", path=name
        )


def _vocabulary(fin, start: int, entries: int, name: str) -> int:
    """Walk ``entries`` dictionary entries from byte ``start``; the byte after them."""
    limit = max_line_bytes()
    fin.seek(start)
    buf, pos, base = b"", 0, start  # base: the file offset of buf[0]
    for entry in range(1, entries + 1):
        end = buf.find(b"\0", pos)
        while end < 0 or end + 1 + _ENTRY_TAIL.size > len(buf):
            if len(buf) - pos > limit:
                raise VectorFormatError(
                    f"vocabulary entry {entry} of {entries} is a word of more than {limit} "
                    f"bytes (its end is not found; {MAX_LINE_ENV} raises the limit)",
                    path=name,
                )
            more = fin.read(_CHUNK)
            if not more:
                raise VectorFormatError(
                    f"truncated fastText file: it ends in vocabulary entry {entry} of {entries}", path=name
                )
            base, buf, pos = base + pos, buf[pos:] + more, 0
            end = buf.find(b"\0")
        count, kind = _ENTRY_TAIL.unpack_from(buf, end + 1)
        if kind != 0 or count < 0:
            word = buf[pos:end][:40].decode("utf-8", "replace")
            problem = f"type {kind} (a word's is 0)" if kind != 0 else f"count {count}"
            raise VectorFormatError(
                f"vocabulary entry {entry} of {entries} ({word!r}) has "
                f"{problem}: damaged, or counts in the header are wrong",
                path=name,
            )
        pos = end + 1 + _ENTRY_TAIL.size
    return base + pos


def _matrix(fin, at: int, size: int, which: str, new: bool, dim: int, name: str):
    """Check the matrix at byte ``at``: its row count and the byte after it."""
    fin.seek(at)
    flag = fin.read(1) if new else b"\0"
    shape = fin.read(_SHAPE.size)
    if not flag or len(shape) < _SHAPE.size:
        raise VectorFormatError(
            f"truncated fastText file: it ends in the header of its {which} matrix", path=name
        )
    if flag == b"\1":
        raise VectorFormatError(f"{QUANTISED} (its {which} matrix is quantised)", path=name)
    if flag != b"\0":
        raise VectorFormatError(f"the {which} matrix's quantised flag is {flag[0]} (0 or 1)", path=name)
    rows, columns = _SHAPE.unpack(shape)
    if rows < 0:
        raise VectorFormatError(f"its {which} matrix declares {rows} rows", path=name)
    if columns != dim:
        raise VectorFormatError(
            f"its {which} matrix has {columns} columns, but the header's dimension is {dim}", path=name
        )
    end = at + (1 if new else 0) + _SHAPE.size + 4 * rows * columns
    if end > size:
        raise VectorFormatError(
            f"truncated fastText file: {size} bytes, but its {which} matrix ({rows} x "
            f"{columns} float32) ends at byte {end}",
            path=name,
        )
    return rows, end
