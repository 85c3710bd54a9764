"""Regenerate ``tests/corpus/``: clean reference vectors and one small file per malformed case.

Run from the repository root::

    .venv/bin/python tests/corpus/make_bad.py

The vectors are rows of a Word2Vec model really trained with gensim on gensim's Lee
corpus (one worker, fixed seed, so the same machine and gensim give the same bytes),
written by gensim's own writers (``clean.txt``, ``clean.bin``), then damaged by hand,
one fault per file. Archives and gzip streams carry fixed timestamps and owners, so a
rerun rewrites identical bytes. The words are all in WordSim-353 and SimLex-999, so
that ``w2veval score FILE`` (which loads only the gold-set words) reads every damaged row.

``bad/README.md`` is written from :data:`CASES`; the expected behaviour the tests check
is stated independently in ``tests/test_bad_input.py``.
"""

from __future__ import annotations

import bz2
import gzip
import io
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
sys.path.insert(0, str(HERE.parent))  # tests/, for conftest's Lee-corpus reader

#: Rows of the clean files, in order; every word is in both WS-353 and SimLex-999.
WORDS = ["plane", "car", "coast", "hill", "century", "year", "game", "victory"]
DIM = 8
#: Decompressed size of the padding member of ``bomb.tar.gz`` (the test lowers the
#: grace size below it) and of ``bomb.tar.bz2`` (far beyond the real grace size).
GZIP_BOMB_BYTES = 32 << 20
BZ2_BOMB_BYTES = 1 << 30
#: Declared size of the vectors.txt member of ``huge_member.tar.gz`` (above the 64 GiB cap).
HUGE_MEMBER_BYTES = 100 << 30

#: file -> (case, expected behaviour), the table of ``bad/README.md``.
CASES: dict[str, tuple[str, str]] = {}


def case(name: str, what: str, expected: str):
    def register(make):
        CASES[name] = (what, expected)
        make.corpus_name = name
        return make

    return register


# ------------------------------------------------------------------ reference files


def train_rows():
    """The clean rows: gensim KeyedVectors holding :data:`WORDS` of a Lee-corpus model."""
    from conftest import _lee_sentences
    from gensim.models import KeyedVectors, Word2Vec

    model = Word2Vec(
        _lee_sentences(), vector_size=DIM, window=5, min_count=2, sg=1, epochs=5, seed=1, workers=1
    )
    kv = KeyedVectors(DIM)
    kv.add_vectors(WORDS, model.wv[WORDS])
    return kv


def text_lines() -> list[bytes]:
    return (HERE / "clean.txt").read_bytes().splitlines(keepends=True)


def binary_row_offsets() -> list[int]:
    """Byte offset of each row of ``clean.bin`` and of its end (gensim writes no newlines)."""
    offset = len(f"{len(WORDS)} {DIM}\n")
    offsets = [offset]
    for word in WORDS:
        offset += len(word.encode()) + 1 + 4 * DIM
        offsets.append(offset)
    return offsets


def replace_row(lines: list[bytes], row: int, new: bytes) -> bytes:
    """The text with 1-based data ``row`` (line ``row + 1``) replaced by ``new``."""
    lines = list(lines)
    lines[row] = new
    return b"".join(lines)


def field(lines: list[bytes], row: int) -> list[bytes]:
    return lines[row].split()


# ------------------------------------------------------------------------ vectors text


@case("empty.txt", "empty file", "VectorFormatError, no line")
def empty():
    return b""


@case(
    "header_only.txt",
    "a `<count> <dim>` header and no rows",
    "VectorFormatError at line 1 (the header declares 8 rows, the file has 0)",
)
def header_only():
    return text_lines()[0]


@case(
    "count_larger.txt",
    "header count 10, 8 rows",
    "VectorFormatError at line 9, the last line (the file ends early)",
)
def count_larger():
    return replace_row(text_lines(), 0, b"10 8\n")


@case(
    "count_smaller.txt",
    "header count 6, 8 rows",
    "VectorFormatError at line 8 (row 7, the first beyond the count)",
)
def count_smaller():
    return replace_row(text_lines(), 0, b"6 8\n")


@case(
    "zero_dim.txt",
    "header `1 0`, then a word without values",
    "VectorFormatError at line 1 (a vector has at least one dimension)",
)
def zero_dim():
    return b"1 0\nplane\n"


@case("dim_mismatch.txt", "row 3 has 7 values, the header says 8", "VectorFormatError at line 4")
def dim_mismatch():
    lines = text_lines()
    return replace_row(lines, 3, b" ".join(field(lines, 3)[:-1]) + b"\n")


@case("non_numeric.txt", "row 2 has the value `0.1x`", "VectorFormatError at line 3")
def non_numeric():
    lines = text_lines()
    fields = field(lines, 2)
    fields[4] = b"0.1x"
    return replace_row(lines, 2, b" ".join(fields) + b"\n")


@case(
    "nan.txt",
    "row 4 has the value `nan`",
    "VectorFormatError at line 5 (gensim would load NaN; w2veval refuses it)",
)
def nan():
    lines = text_lines()
    fields = field(lines, 4)
    fields[3] = b"nan"
    return replace_row(lines, 4, b" ".join(fields) + b"\n")


@case("inf.txt", "row 5 has the value `-inf`", "VectorFormatError at line 6")
def inf():
    lines = text_lines()
    fields = field(lines, 5)
    fields[8] = b"-inf"
    return replace_row(lines, 5, b" ".join(fields) + b"\n")


@case(
    "nul_byte.txt",
    "a NUL byte inside the word of row 3",
    "VectorFormatError at line 4 (NUL never occurs in text; a zero-filled or binary file)",
)
def nul_byte():
    lines = text_lines()
    return replace_row(lines, 3, lines[3].replace(b"coast", b"co\x00ast", 1))


@case(
    "invalid_utf8.txt",
    "row 6's word is Latin-1 `y\\xe9ar`",
    "loads; the word becomes `y\\ufffdar`, one UserWarning naming line 7",
)
def invalid_utf8_text():
    lines = text_lines()
    return replace_row(lines, 6, lines[6].replace(b"year", b"y\xe9ar", 1))


@case("crlf.txt", "CRLF line ends", "loads, equal to clean.txt")
def crlf():
    return b"".join(line.replace(b"\n", b"\r\n") for line in text_lines())


@case(
    "bom.txt",
    "a UTF-8 byte-order mark before the header",
    "loads, equal to clean.txt (gensim fails on the header)",
)
def bom():
    return b"\xef\xbb\xbf" + b"".join(text_lines())


@case(
    "tabs.txt",
    "tabs instead of spaces everywhere",
    "loads, equal to clean.txt (the C tool splits at tabs too; gensim fails)",
)
def tabs():
    return b"".join(line.replace(b" ", b"\t") for line in text_lines())


@case(
    "duplicate_words.txt",
    "row 5's word is `car` again (row 2)",
    "loads all 8 rows; `car` means row 2, as in gensim (first occurrence wins)",
)
def duplicate_words():
    lines = text_lines()
    return replace_row(lines, 5, lines[5].replace(b"century", b"car", 1))


@case(
    "space_in_word.vec",
    "fastText .vec whose row 3 word is `ivory coast`",
    "loads; the word is everything before the last 8 values (gensim fails)",
)
def space_in_word():
    lines = text_lines()
    return replace_row(lines, 3, lines[3].replace(b"coast", b"ivory coast", 1))


def _padded(value: bytes, zeros: int) -> bytes:
    """``value`` with ``zeros`` more zeros in its mantissa: the same float."""
    mantissa, e, exponent = value.partition(b"e")
    if b"." not in mantissa:
        mantissa += b"."
    return mantissa + b"0" * zeros + e + exponent


@case(
    "long_line.txt",
    "row 1 is a 100,000-character line (values padded with zeros)",
    "loads, equal to clean.txt",
)
def long_line():
    lines = text_lines()
    fields = field(lines, 1)
    short = len(b" ".join(fields))
    each = -(-(100_000 - short) // DIM)
    fields[1:] = [_padded(v, each) for v in fields[1:]]
    row = b" ".join(fields)
    assert len(row) >= 100_000
    return replace_row(lines, 1, row + b"\n")


@case(
    "long_garbage.txt",
    "row 2 has a 100,000-character non-numeric value",
    "VectorFormatError at line 3, with a short message",
)
def long_garbage():
    lines = text_lines()
    fields = field(lines, 2)
    fields[2] = b"0." + b"x" * 99_998
    return replace_row(lines, 2, b" ".join(fields) + b"\n")


@case(
    "glove_ragged.txt",
    "GloVe (no header), row 5 has 9 numbers",
    "VectorFormatError at line 5 (extra fields that are numbers are not part of the word)",
)
def glove_ragged():
    lines = text_lines()[1:]
    lines[4] = lines[4].rstrip(b"\n") + b" 0.5\n"
    return b"".join(lines)


# ---------------------------------------------------------------------- vectors binary


def clean_bin() -> bytes:
    return (HERE / "clean.bin").read_bytes()


@case("truncated_mid_vector.bin", "binary cut inside row 5's floats", "VectorFormatError at line 5")
def truncated_mid_vector():
    offsets = binary_row_offsets()
    return clean_bin()[: offsets[4] + len(WORDS[4]) + 1 + 13]


@case("truncated_mid_word.bin", "binary cut inside row 6's word", "VectorFormatError at line 6")
def truncated_mid_word():
    return clean_bin()[: binary_row_offsets()[5] + 2]


@case(
    "wrong_dim.bin",
    "binary whose header says dim 7 for 8-float rows",
    "VectorFormatError at line 9: 8 rows of 7 floats leave 32 bytes after the last row",
)
def wrong_dim():
    data = clean_bin()
    offsets = binary_row_offsets()
    # Read with dim 7, each row's word starts with the previous row's last float; a
    # space byte there would end that word early, so the layout this case relies on:
    for end in offsets[1:-1]:
        assert b" " not in data[end - 4 : end], "a space byte inside a shifted word"
    return data.replace(f"{len(WORDS)} {DIM}\n".encode(), f"{len(WORDS)} {DIM - 1}\n".encode(), 1)


@case("nan.bin", "binary whose row 3 holds a NaN float", "VectorFormatError at line 3")
def nan_bin():
    import struct

    data = bytearray(clean_bin())
    at = binary_row_offsets()[2] + len(WORDS[2]) + 1 + 4 * 5
    data[at : at + 4] = struct.pack("<f", float("nan"))
    return bytes(data)


@case(
    "invalid_utf8.bin",
    "binary whose row 2 word is Latin-1 `c\\xe0r`",
    "loads; the word becomes `c\\ufffdr`, one UserWarning naming row 2",
)
def invalid_utf8_bin():
    at = binary_row_offsets()[1]
    data = clean_bin()
    assert data[at : at + 4] == b"car "
    return data[:at] + b"c\xe0r " + data[at + 4 :]


# ------------------------------------------------------------ compression and archives


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _tar(members) -> bytes:
    """An uncompressed tar of ``(TarInfo, bytes or None)`` with fixed owner and time."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, content in members:
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            if content is not None:
                info.size = len(content)
            tar.addfile(info, None if content is None else io.BytesIO(content))
    return out.getvalue()


def _member(name: str, content: bytes | None = None, **attributes) -> tuple:
    info = tarfile.TarInfo(name)
    for key, value in attributes.items():
        setattr(info, key, value)
    return info, content


def _vectors_member(name: str = "vectors.txt") -> tuple:
    return _member(name, (HERE / "clean.txt").read_bytes())


@case("truncated.txt.gz", "gzip of clean.txt cut in half", "VectorFormatError, no line")
def truncated_gzip():
    data = _gzip((HERE / "clean.txt").read_bytes())
    return data[: len(data) // 2]


@case("no_vectors_txt.tar.gz", "model.tar.gz holding only eval.json", "VectorFormatError listing the members")
def no_vectors_txt():
    return _gzip(_tar([_member("eval.json", b'{"mean_rho": 0.5}\n')]))


@case("dotdot.tar.gz", "a `../vectors.txt` member", "VectorFormatError: unsafe member, '..'")
def dotdot():
    return _gzip(_tar([_vectors_member("../vectors.txt")]))


@case(
    "absolute.tar.gz",
    "an absolute `/tmp/w2veval-corpus/vectors.txt` member",
    "VectorFormatError: unsafe member, absolute path",
)
def absolute():
    return _gzip(_tar([_vectors_member("/tmp/w2veval-corpus/vectors.txt")]))


@case(
    "symlink.tar.gz",
    "`vectors.txt` is a symbolic link to /etc/passwd",
    "VectorFormatError: unsafe member, symbolic link",
)
def symlink():
    return _gzip(_tar([_member("vectors.txt", type=tarfile.SYMTYPE, linkname="/etc/passwd")]))


@case(
    "hardlink.tar.gz",
    "`vectors.txt` is a hard link to /etc/passwd",
    "VectorFormatError: unsafe member, hard link",
)
def hardlink():
    return _gzip(_tar([_member("vectors.txt", type=tarfile.LNKTYPE, linkname="/etc/passwd")]))


@case(
    "device.tar.gz",
    "a character-device member before vectors.txt",
    "VectorFormatError: unsafe member, device",
)
def device():
    return _gzip(_tar([_member("dev/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3), _vectors_member()]))


@case(
    "huge_member.tar.gz",
    "a vectors.txt member declared as 100 GiB (no data follows)",
    "VectorFormatError: above the MAX_MEMBER_BYTES cap, refused before reading",
)
def huge_member():
    return _gzip(_tar([_member("vectors.txt", size=HUGE_MEMBER_BYTES)]))


@case(
    "bomb.tar.gz",
    "a 32 KiB gzip: a 32 MiB zero member, then vectors.txt",
    "VectorFormatError 'decompression bomb' once RATIO_GRACE_BYTES is below 32 MiB (the test lowers it)",
)
def gzip_bomb():
    tar = _tar([_member("padding.bin", bytes(GZIP_BOMB_BYTES)), _vectors_member()])
    return _gzip(tar)


@case(
    "bomb.tar.bz2",
    "a ~1 KiB bzip2: a 1 GiB zero member, then vectors.txt",
    "VectorFormatError 'decompression bomb' at the real caps (256 MiB out, ratio above 200)",
)
def bz2_bomb():
    header = _tar([_member("padding.bin", size=BZ2_BOMB_BYTES)])[:512]  # header block only
    tail = _tar([_vectors_member()])
    compressor = bz2.BZ2Compressor(9)
    parts = [compressor.compress(header)]
    zeros = bytes(1 << 24)
    for _ in range(BZ2_BOMB_BYTES // len(zeros)):
        parts.append(compressor.compress(zeros))
    parts.append(compressor.compress(tail))
    parts.append(compressor.flush())
    return b"".join(parts)


# -------------------------------------------------------------------------- gold sets


@case("gold_empty.tsv", "empty gold-set file", "GoldSetFormatError, no line")
def gold_empty():
    return b""


@case(
    "gold_header_only.csv",
    "only a `word1,word2,score` header",
    "GoldSetFormatError at line 1 (its only row was read as a header)",
)
def gold_header_only():
    return b"word1,word2,score\n"


@case("gold_missing_column.tsv", "row 3 has two columns", "GoldSetFormatError at line 3")
def gold_missing_column():
    return b"plane\tcar\t7.5\ncoast\thill\t6\ncentury\tyear\ngame\tvictory\t7\n"


@case("gold_text_score.csv", "header, then a score `high` on line 4", "GoldSetFormatError at line 4")
def gold_text_score():
    return b"word1,word2,score\nplane,car,7.5\ncoast,hill,6\ncentury,year,high\n"


@case("gold_nan_score.tsv", "score `nan` on line 2", "GoldSetFormatError at line 2")
def gold_nan_score():
    return b"plane\tcar\t7.5\ncoast\thill\tnan\ncentury\tyear\t6\n"


@case(
    "gold_negative_score.tsv",
    "score -2.5 on line 3",
    "loads (no scale declared); with scale=(0, 10): GoldSetFormatError at line 3",
)
def gold_negative_score():
    return b"plane\tcar\t7.5\ncoast\thill\t6\ncentury\tyear\t-2.5\ngame\tvictory\t7\n"


@case(
    "gold_out_of_scale.tsv",
    "score 11.5 on line 2",
    "loads (no scale declared); with scale=(0, 10): GoldSetFormatError at line 2",
)
def gold_out_of_scale():
    return b"plane\tcar\t7.5\ncoast\thill\t11.5\ncentury\tyear\t6\n"


@case("gold_one_pair.tsv", "a single pair", "loads (1 pair); scoring it gives NaN, exit 0")
def gold_one_pair():
    return b"plane\tcar\t7.5\n"


@case(
    "gold_conflicting_duplicate.tsv",
    "plane/car on lines 1 and 4 with scores 7.5 and 3",
    "GoldSetFormatError at line 4, naming lines 1 and 4",
)
def gold_conflicting_duplicate():
    return b"plane\tcar\t7.5\ncoast\thill\t6\ncentury\tyear\t6\nplane\tcar\t3\n"


@case("gold_invalid_utf8.tsv", "Latin-1 `caf\\xe9` on line 2", "GoldSetFormatError at line 2")
def gold_invalid_utf8():
    return b"plane\tcar\t7.5\ncaf\xe9\thill\t6\n"


@case("gold_nul_byte.tsv", "a NUL byte on line 2", "GoldSetFormatError at line 2")
def gold_nul_byte():
    return b"plane\tcar\t7.5\nco\x00ast\thill\t6\n"


@case("gold_crlf.tsv", "CRLF line ends", "loads: plane/car 7.5, coast/hill 6")
def gold_crlf():
    return b"plane\tcar\t7.5\r\ncoast\thill\t6\r\n"


@case("gold_bom.csv", "a UTF-8 byte-order mark, then a header", "loads: plane/car 7.5, coast/hill 6")
def gold_bom():
    return b"\xef\xbb\xbfword1,word2,score\nplane,car,7.5\ncoast,hill,6\n"


@case(
    "gold_tabs_and_spaces.txt",
    "columns separated by mixed runs of spaces and tabs",
    "loads: plane/car 7.5, coast/hill 6",
)
def gold_tabs_and_spaces():
    return b"plane \t car  7.5\ncoast\t hill 6\n"


@case(
    "gold_long_line.tsv",
    "line 2's score is 100,000 characters of text",
    "GoldSetFormatError at line 2, with a short message",
)
def gold_long_line():
    return b"plane\tcar\t7.5\ncoast\thill\t" + b"x" * 100_000 + b"\n"


# ---------------------------------------------------------------------------- writing


def write_readme() -> None:
    rows = "\n".join(f"| `{name}` | {what} | {expected} |" for name, (what, expected) in CASES.items())
    (BAD / "README.md").write_text(
        f"""# Bad input corpus

One small file per malformed case, written by `tests/corpus/make_bad.py` (rerun it to
regenerate them all; do not edit them by hand). `../clean.txt` and `../clean.bin` are
the reference: 8 rows of a Word2Vec model trained by gensim on the Lee corpus,
written by gensim. `tests/test_bad_input.py` checks every file, through the library
and through `python -m w2veval score`; `docs/errors.md` explains the errors.

"Line" means the 1-based line of a text file (the header is line 1) and the 1-based
row of a word2vec binary file (the header not counted).

| file | case | expected behaviour |
|---|---|---|
{rows}
""",
        encoding="utf-8",
    )


def main() -> None:
    BAD.mkdir(exist_ok=True)
    kv = train_rows()
    kv.save_word2vec_format(str(HERE / "clean.txt"))
    kv.save_word2vec_format(str(HERE / "clean.bin"), binary=True)
    makers = [v for v in globals().values() if callable(v) and hasattr(v, "corpus_name")]
    for make in makers:
        (BAD / make.corpus_name).write_bytes(make())
    write_readme()
    total = sum(p.stat().st_size for p in BAD.iterdir())
    print(f"wrote {len(makers)} files, {total} bytes, into {BAD}")


if __name__ == "__main__":
    main()
