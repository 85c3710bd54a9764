"""Regenerate ``tests/corpus/stream_quirks/``: odd archives and damaged fastText files.

Run from the repository root::

    .venv/bin/python tests/corpus/make_stream_quirks.py

The fastText files start from ``fasttext.bin``: a FastText model really trained by gensim
on gensim's Lee corpus (one worker, fixed seed) and written by gensim's own
``save_facebook_model``. Each other file changes one thing in it, at offsets that
follow from fastText's layout (see ``w2veval/io/_fasttext.py``). The archives hold
``../clean.txt``. Tar headers and gzip streams carry fixed times and owners, so a rerun
rewrites identical bytes.

``stream_quirks/README.md`` is written from :data:`CASES`; the expected behaviour the
tests check is stated independently in ``tests/test_fasttext_quirks.py`` and
``tests/test_vector_streams.py``.
"""

from __future__ import annotations

import gzip
import io
import struct
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "stream_quirks"
sys.path.insert(0, str(HERE.parent))  # tests/, for conftest's Lee-corpus reader

#: Bytes of the current layout's header: magic, version, 12 int32, a double, then
#: the dictionary header (3 int32, 2 int64).
NEW_HEADER = 92
#: Offsets of header fields in the current layout.
OFFSETS = {"version": 4, "dim": 8, "model": 36, "size": 64, "nwords": 68, "pruned": 84}
#: file -> (case, expected behaviour), the table of ``stream_quirks/README.md``.
CASES: dict[str, tuple[str, str]] = {}
MAKERS = {}


def case(name: str, what: str, expected: str):
    def register(make):
        CASES[name] = (what, expected)
        MAKERS[name] = make
        return make

    return register


# ------------------------------------------------------------------ reference files


def train_fasttext():
    """A small FastText model trained on the Lee corpus (its words, its matrices)."""
    from conftest import _lee_sentences
    from gensim.models import FastText

    return FastText(
        _lee_sentences(),
        vector_size=4,
        window=3,
        min_count=100,
        epochs=2,
        seed=5,
        workers=1,
        bucket=8,
        min_n=3,
        max_n=4,
    )


def fasttext_bytes() -> bytes:
    return (OUT / "fasttext.bin").read_bytes()


def vocabulary_end(data: bytes, start: int = NEW_HEADER) -> int:
    """Byte after the dictionary entries (word, NUL, int64 count, int8 type)."""
    size = struct.unpack_from("<i", data, start - 28 if start == NEW_HEADER else start - 20)[0]
    at = start
    for _ in range(size):
        at = data.index(b"\0", at) + 1 + 9
    return at


def inside_a_word(data: bytes, start: int = NEW_HEADER) -> int:
    """A cut one byte into the word of the entry 100 bytes before the vocabulary's end.

    Cut inside a word, gensim's reader looks for the word's NUL forever.
    """
    target, at = vocabulary_end(data, start) - 100, start
    while True:
        end = data.index(b"\0", at) + 1 + 9
        if end > target:
            return at + 1
        at = end


def input_matrix(data: bytes) -> tuple[int, int, int]:
    """Offset, rows and columns of the input matrix of a current-layout file."""
    at = vocabulary_end(data)
    rows, cols = struct.unpack_from("<2q", data, at + 1)
    return at, rows, cols


def patched(data: bytes, offset: int, fmt: str, value) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def old_layout(data: bytes) -> bytes:
    """The same model in fastText's old layout: no magic/version, pruneidx_size or flags."""
    vocab_end = vocabulary_end(data)
    _, rows, cols = input_matrix(data)
    output_at = vocab_end + 17 + 4 * rows * cols
    return data[8:84] + data[NEW_HEADER:vocab_end] + data[vocab_end + 1 : output_at] + data[output_at + 1 :]


def tar_bytes(members, compress: bool = False) -> bytes:
    """A tar of ``(name, bytes)`` with fixed owner and time; gzip with mtime 0."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(content), 1_700_000_000, 0o644
            info.uname = info.gname = "w2veval"
            tar.addfile(info, io.BytesIO(content))
    data = buffer.getvalue()
    return gzip.compress(data, mtime=0) if compress else data


def clean_text() -> bytes:
    return (HERE / "clean.txt").read_bytes()


# ------------------------------------------------------------------------- fastText


@case(
    "fasttext.bin",
    "fastText .bin written by gensim's save_facebook_model (the reference)",
    "loads: the words and vectors gensim's load_facebook_vectors gives",
)
def reference():
    from gensim.models.fasttext import save_facebook_model

    OUT.mkdir(exist_ok=True)
    path = OUT / "fasttext.bin"
    save_facebook_model(train_fasttext(), str(path))
    return path.read_bytes()


@case(
    "fasttext.bin.gz",
    "fasttext.bin, gzip-compressed",
    "loads through a temporary copy, equal to fasttext.bin",
)
def gzipped():
    return gzip.compress(fasttext_bytes(), mtime=0)


@case(
    "old_layout.bin",
    "fasttext.bin in fastText's old layout (no magic, version, pruned-index size or quantised flags)",
    "loads with format fasttext: the words and vectors gensim gives for this file",
)
def old():
    return old_layout(fasttext_bytes())


@case(
    "old_layout_cut_in_vocabulary.bin",
    "old_layout.bin cut inside the word of the "
    "entry 100 bytes before the end of its vocabulary (gensim loops forever on it)",
    "VectorFormatError: truncated fastText file, it ends in a vocabulary entry",
)
def old_cut():
    data = old_layout(fasttext_bytes())
    return data[: inside_a_word(data, start=76)]


@case(
    "magic_stripped.bin",
    "fasttext.bin without its first 8 bytes (magic and version) and nothing else changed",
    "VectorFormatError with format fasttext: the input matrix's columns are not the dimension",
)
def magic_stripped():
    return fasttext_bytes()[8:]


@case(
    "cut_in_vocabulary.bin",
    "fasttext.bin cut inside the word of the entry 100 bytes before the end of its vocabulary",
    "VectorFormatError: truncated fastText file, it ends in a vocabulary entry",
)
def cut_vocab():
    data = fasttext_bytes()
    return data[: inside_a_word(data)]


@case(
    "cut_in_output_matrix.bin",
    "fasttext.bin without its last 10 bytes",
    "VectorFormatError: truncated fastText file, the output matrix ends beyond the file",
)
def cut_output():
    return fasttext_bytes()[:-10]


@case(
    "trailing_bytes.bin",
    "fasttext.bin followed by 4 more bytes",
    "VectorFormatError: 4 bytes follow the output matrix",
)
def trailing():
    return fasttext_bytes() + b"\0\0\0\0"


@case(
    "negative_matrix_rows.bin",
    "the input matrix declares -1 rows",
    "VectorFormatError: its input matrix declares -1 rows",
)
def negative_rows():
    data = fasttext_bytes()
    at, _, _ = input_matrix(data)
    return patched(data, at + 1, "<q", -1)


@case(
    "wrong_matrix_rows.bin",
    "the input matrix declares one row more than words + buckets",
    "VectorFormatError: the input matrix's rows are not words + buckets",
)
def wrong_rows():
    data = fasttext_bytes()
    at, rows, _ = input_matrix(data)
    return patched(data, at + 1, "<q", rows + 1)


@case(
    "negative_vocabulary.bin",
    "the dictionary header's size is -1",
    "VectorFormatError: the dictionary header's size is negative",
)
def negative_size():
    return patched(fasttext_bytes(), OFFSETS["size"], "<i", -1)


@case(
    "nwords_above_size.bin",
    "the dictionary header's nwords is one more than its size",
    "VectorFormatError: the dictionary header contradicts itself",
)
def nwords_above():
    data = fasttext_bytes()
    nwords = struct.unpack_from("<i", data, OFFSETS["nwords"])[0]
    return patched(data, OFFSETS["nwords"], "<i", nwords + 1)


@case("huge_dim.bin", "the header's dimension is 2**30", "VectorFormatError: the dimension is not plausible")
def huge_dim():
    return patched(fasttext_bytes(), OFFSETS["dim"], "<i", 1 << 30)


@case(
    "future_version.bin",
    "format version 13 (fastText writes 12)",
    "VectorFormatError: version 13 is not one fastText has written",
)
def future_version():
    return patched(fasttext_bytes(), OFFSETS["version"], "<i", 13)


@case(
    "supervised.bin",
    "the header's model is 3 (supervised)",
    "VectorFormatError: a supervised fastText model, not word vectors",
)
def supervised():
    return patched(fasttext_bytes(), OFFSETS["model"], "<i", 3)


@case(
    "quantised_matrix.bin",
    "the input matrix's quantised flag is 1, as in a .ftz file",
    "VectorFormatError: quantised fastText (.ftz) is not supported",
)
def quantised():
    data = fasttext_bytes()
    at, _, _ = input_matrix(data)
    return patched(data, at, "<b", 1)


@case(
    "pruned_dictionary.bin",
    "the pruned-index size is 0 (only quantisation prunes)",
    "VectorFormatError: quantised fastText (.ftz) is not supported",
)
def pruned():
    return patched(fasttext_bytes(), OFFSETS["pruned"], "<q", 0)


# ------------------------------------------------------------------------ archives


@case(
    "empty.tar",
    "a tar archive with no members (10240 zero bytes, as tar writes it)",
    "VectorFormatError: an empty tar archive",
)
def empty_tar():
    return tar_bytes([])


@case("empty.tar.gz", "empty.tar, gzip-compressed", "VectorFormatError: an empty tar archive")
def empty_tar_gz():
    return tar_bytes([], compress=True)


@case(
    "colon_member.tar.gz",
    "a member named `a:b/vectors.txt` holding ../clean.txt",
    "VectorFormatError: unsafe member, it starts with the Windows drive 'a:'",
)
def colon_member():
    return tar_bytes([("a:b/vectors.txt", clean_text())], compress=True)


@case(
    "colon_inside_name.tar.gz",
    "a member named `run:1/vectors.txt` holding ../clean.txt",
    "loads, equal to ../clean.txt (a colon after the first letter is no drive)",
)
def colon_inside():
    return tar_bytes([("run:1/vectors.txt", clean_text())], compress=True)


@case(
    "no_vectors_member.tar.gz",
    "a tar holding `eval.json` and `vectors.bin`, no `vectors.txt`",
    "VectorFormatError: no vectors.txt member, listing both members",
)
def no_vectors():
    return tar_bytes(
        [("eval.json", b'{"mean_rho": 0.5}\n'), ("vectors.bin", (HERE / "clean.bin").read_bytes())],
        compress=True,
    )


# ---------------------------------------------------------------------------- main


def readme() -> str:
    rows = "\n".join(f"| `{name}` | {what} | {expected} |" for name, (what, expected) in CASES.items())
    return f"""# Stream and fastText quirks corpus

Written by `tests/corpus/make_stream_quirks.py` (rerun it to regenerate them all; do not
edit them by hand). `fasttext.bin` is a FastText model trained by gensim on the Lee
corpus and written by gensim's `save_facebook_model`; every other fastText file changes
one thing in it. The archives hold `../clean.txt`. The files are kept small (65 words,
4 dimensions, 8 buckets): the whole corpus must stay under 600 kB. `tests/test_fasttext_quirks.py` and
`tests/test_vector_streams.py` check every file through the library and through
`python -m w2veval score`; `docs/errors.md` explains the errors. Old-layout files have
no magic number to be recognised by: they are read with `format="fasttext"`
(`--vectors-format fasttext`).

| file | case | expected behaviour |
|---|---|---|
{rows}
"""


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, make in MAKERS.items():
        (OUT / name).write_bytes(make())
    (OUT / "README.md").write_text(readme(), encoding="utf-8")
    print(f"wrote {len(MAKERS)} files and README.md to {OUT}")


if __name__ == "__main__":
    main()
