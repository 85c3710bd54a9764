"""Regenerate ``tests/corpus/gold_quirks/``: one small gold-set file per quirky or malformed case.

Run from the repository root::

    .venv/bin/python tests/corpus/make_gold_quirks.py [FOLDER]

(``FOLDER`` defaults to ``tests/corpus/gold_quirks``; the tests write a copy elsewhere to
check that the committed files are what this script writes.)

Every file is written byte for byte from the literals below (no timestamps, no randomness),
so a rerun rewrites identical bytes. The words are those of ``clean.txt`` (plane, car,
coast, hill, century, year, game, victory), so that ``w2veval score tests/corpus/clean.txt
-g FILE`` scores every pair a file reads.

``gold_quirks/README.md`` is written from :data:`CASES`; the expected behaviour the tests
check is stated independently in ``tests/test_goldset_quirks.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUIRKS = HERE / "gold_quirks"

#: file -> (case, expected behaviour), the table of ``gold_quirks/README.md``.
CASES: dict[str, tuple[str, str]] = {}
#: file -> its bytes.
FILES: dict[str, bytes] = {}


def case(name: str, what: str, expected: str, data: bytes) -> None:
    CASES[name] = (what, expected)
    FILES[name] = data


def rows(*lines: str, sep: str = "\n", encoding: str = "utf-8") -> bytes:
    return "".join(line + sep for line in lines).encode(encoding)


TSV = ("plane\tcar\t7.5", "coast\thill\t6", "century\tyear\t3.25", "game\tvictory\t1")

# ------------------------------------------------------------ decimal commas

case(
    "decimal_comma_split.csv",
    "header `word1,word2,score`, then `plane,car,7,5`: a decimal comma that the `,` delimiter cuts",
    "refused at line 2: the score looks cut at a decimal comma",
    rows("word1,word2,score", "plane,car,7,5", "coast,hill,6,25", "century,year,3,5", "game,victory,1"),
)
case(
    "decimal_comma_split_no_header.csv",
    "`plane,car,7,5` without a header",
    "refused at line 1: the score looks cut at a decimal comma",
    rows("plane,car,7,5", "coast,hill,6", "century,year,3,25", "game,victory,1,5"),
)
case(
    "decimal_comma_quoted.csv",
    '`,`-separated, the scores quoted with decimal commas (`"7,5"`)',
    "refused at line 1 (a decimal comma); with decimal_comma=True: 7.5, 6.25, 3.5, 1",
    rows('plane,car,"7,5"', 'coast,hill,"6,25"', 'century,year,"3,5"', "game,victory,1"),
)
case(
    "decimal_comma_semicolon.csv",
    "`;`-separated with decimal commas, a BOM and CRLF (Excel in a European locale)",
    "refused at line 2 (a decimal comma); with decimal_comma=True: 7.5, 6.25, 3.5, 1",
    b"\xef\xbb\xbf"
    + rows(
        "word1;word2;score",
        "plane;car;7,5",
        "coast;hill;6,25",
        "century;year;3,5",
        "game;victory;1",
        sep="\r\n",
    ),
)
case(
    "decimal_comma_with_point.csv",
    "`;`-separated, decimal commas and one score `1.000`",
    "refused at line 1 (a decimal comma); with decimal_comma=True: refused at line 3 (a '.' in a "
    "decimal-comma file is ambiguous)",
    rows("plane;car;7,5", "coast;hill;6,25", "century;year;1.000", "game;victory;1"),
)
case(
    "integer_columns.csv",
    "`plane,car,7,13`: integer scores, then an integer column, no header",
    "refused at line 1 (looks cut at a decimal comma); with decimal_comma=False: 7, 6, 3, 1",
    rows("plane,car,7,13", "coast,hill,6,14", "century,year,3,13", "game,victory,1,15"),
)
case(
    "integer_columns_header.csv",
    "the same with a header naming four columns",
    "reads 7, 6, 3, 1 (the header declares the fourth column)",
    rows(
        "word1,word2,score,raters",
        "plane,car,7,13",
        "coast,hill,6,14",
        "century,year,3,13",
        "game,victory,1,15",
    ),
)

# ------------------------------------------------------------------- quoting

case(
    "quoted_pandas.csv",
    "header and words quoted as pandas `quoting=csv.QUOTE_NONNUMERIC` writes them",
    "reads plane/car 7.5, coast/hill 6, century/year 3.25, game/victory 1",
    rows(
        '"word1","word2","score"',
        '"plane","car",7.5',
        '"coast","hill",6.0',
        '"century","year",3.25',
        '"game","victory",1.0',
    ),
)
case(
    "quoted_all.csv",
    "every cell quoted, numbers too (`csv.QUOTE_ALL`), with a BOM and CRLF",
    "reads plane/car 7.5, coast/hill 6, century/year 3.25, game/victory 1",
    b"\xef\xbb\xbf"
    + rows(
        '"word1","word2","score"',
        '"plane","car","7.5"',
        '"coast","hill","6"',
        '"century","year","3.25"',
        '"game","victory","1"',
        sep="\r\n",
    ),
)
case(
    "quoted_delimiter.csv",
    "quoted words holding the delimiter and a doubled quote",
    "reads 'plane, jet'/car 7.5, 'the \"coast\"'/hill 6, century/year 3.25, game/victory 1",
    rows('"plane, jet",car,7.5', '"the ""coast""",hill,6', "century,year,3.25", "game,victory,1"),
)
case(
    "quoted_tsv.tsv",
    "tab-separated, every cell quoted",
    "reads plane/car 7.5, coast/hill 6, century/year 3.25, game/victory 1",
    rows(
        '"plane"\t"car"\t"7.5"', '"coast"\t"hill"\t"6"', '"century"\t"year"\t"3.25"', '"game"\t"victory"\t"1"'
    ),
)
case(
    "quoted_whitespace.txt",
    "space-separated with a quoted two-word entry",
    "reads 'plane car'/coast 7.5, coast/hill 6, century/year 3.25, game/victory 1",
    rows('"plane car"  coast 7.5', "coast hill 6", "century\t year 3.25", "game victory 1"),
)
case(
    "quoted_unclosed.csv",
    "line 2 opens a quote it never closes",
    "refused at line 2 (malformed quoting)",
    rows("plane,car,7.5", '"coast,hill,6', "century,year,3.25"),
)
case(
    "quoted_then_text.csv",
    'line 3 has text after a closing quote (`"century"x,year`)',
    "refused at line 3 (malformed quoting)",
    rows("plane,car,7.5", "coast,hill,6", '"century"x,year,3.25'),
)
case(
    "quoted_padded.csv",
    'white space around quoted cells (`"plane" , "car" ,7.5`)',
    "reads plane/car 7.5, coast/hill 6, century/year 3.25, game/victory 1",
    rows('"plane" , "car" ,7.5', ' "coast"\t,"hill",6', "century,year,3.25", "game,victory,1"),
)
case(
    "apostrophes.tsv",
    "words with apostrophes and a lone inch mark (not quoting)",
    'reads "plane\'s"/car 7.5, coast/\'hill 6, 5"/year 3.25, game/victory 1',
    rows("plane's\tcar\t7.5", "coast\t'hill\t6", '5"\tyear\t3.25', "game\tvictory\t1"),
)

# ------------------------------------------------------ header or bad number

for name, score, fault in [
    ("first_row_two_points.tsv", "7.5.1", "two decimal points"),
    ("first_row_na.tsv", "n/a", "a missing-value marker"),
    ("first_row_hex.tsv", "0x7", "hexadecimal"),
    ("first_row_decimal_comma.tsv", "7,5", "a decimal comma after a tab"),
    ("first_row_date.tsv", "1.elo", "a spreadsheet date (FinnSim-300)"),
    ("first_row_empty_score.tsv", "", "an empty score cell"),
]:
    case(
        name,
        f"first row's score `{score}` ({fault})",
        "refused at line 1: a malformed number is never a header",
        rows(f"plane\tcar\t{score}", *TSV[1:]),
    )
case(
    "header_simlex.tsv",
    "a header whose score column is named `SimLex999` (letters, then digits)",
    "reads plane/car 7.5, coast/hill 6, century/year 3.25 (header skipped)",
    rows("word1\tword2\tSimLex999", "plane\tcar\t7.5", "coast\thill\t6", "century\tyear\t3.25"),
)
case(
    "header_human_mean.csv",
    "WS-353's header `Word 1,Word 2,Human (mean)`",
    "reads plane/car 7.5, coast/hill 6, century/year 3.25, game/victory 1 (header skipped)",
    rows(
        "Word 1,Word 2,Human (mean)", "plane,car,7.5", "coast,hill,6", "century,year,3.25", "game,victory,1"
    ),
)

# ------------------------------------------------------------------- numbers

case(
    "number_forms.tsv",
    "valid number forms: `+7.5`, `.5`, `5.`, `1E0`, `2.5e-1`, `-0`",
    "reads 7.5, 0.5, 5, 1, 0.25, -0",
    rows(
        "plane\tcar\t+7.5",
        "coast\thill\t.5",
        "century\tyear\t5.",
        "game\tvictory\t1E0",
        "plane\thill\t2.5e-1",
        "coast\tyear\t-0",
    ),
)
case(
    "underscore_digits.tsv",
    "score `7_5` on line 2 (Python's float() reads 75)",
    "refused at line 2: '_' is not part of a number",
    rows("plane\tcar\t7.5", "coast\thill\t7_5"),
)
case(
    "arabic_indic_digits.tsv",
    "score `٧.٥` (Arabic-Indic digits) on line 2",
    "refused at line 2: non-ASCII digit",
    rows("plane\tcar\t7.5", "coast\thill\t\u0667.\u0665"),
)
case(
    "fullwidth_digits.tsv",
    "score `７.５` (full-width digits) on line 2",
    "refused at line 2: non-ASCII digit",
    rows("plane\tcar\t7.5", "coast\thill\t\uff17.\uff15"),
)
case(
    "infinity.tsv",
    "score `Infinity` on line 3",
    "refused at line 3: not a finite number",
    rows("plane\tcar\t7.5", "coast\thill\t6", "century\tyear\tInfinity"),
)

# --------------------------------------------------------- Unicode separators

case(
    "nbsp_at_edge.tsv",
    "a no-break space after a word, before the tab (Russian WS-353)",
    "reads plane/car 7.5, coast/hill 6, century/year 3.25, game/victory 1",
    rows("plane\u00a0\tcar\t7.5", *TSV[1:]),
)
case(
    "nbsp_in_word.tsv",
    "`plane\\u00a0jet` on line 2: a no-break space inside a word",
    "refused at line 2: U+00A0 NO-BREAK SPACE",
    rows(TSV[0], "plane\u00a0jet\thill\t6", *TSV[2:]),
)
case(
    "nbsp_between_cells.txt",
    "space-separated; line 2 separates `hill` and `6` by a no-break space",
    "refused at line 2: 2 columns (U+00A0 separates nothing)",
    rows("plane car 7.5", "coast hill\u00a06", "century year 3.25"),
)
case(
    "ideographic_space.txt",
    "space-separated; line 1 separates the words by U+3000",
    "refused at line 1: 2 columns (U+3000 separates nothing)",
    rows("plane\u3000car 7.5", "coast hill 6"),
)
case(
    "u2028_in_line.txt",
    "U+2028 LINE SEPARATOR where a line end should be, on line 1",
    "refused at line 1: U+2028 does not end a line",
    rows("plane car 7.5\u2028coast hill 6", "century year 3.25"),
)
case(
    "u0085_in_line.tsv",
    "U+0085 NEXT LINE where a line end should be, on line 2",
    "refused at line 2: U+0085 does not end a line",
    rows(TSV[0], "coast\thill\t6\u0085century\tyear\t3.25", TSV[3]),
)
case(
    "u2029_in_word.tsv",
    "U+2029 PARAGRAPH SEPARATOR inside a word on line 3",
    "refused at line 3: U+2029",
    rows(*TSV[:2], "cent\u2029ury\tyear\t3.25"),
)
case(
    "zero_width_space.tsv",
    "U+200B ZERO WIDTH SPACE inside a word on line 1",
    "refused at line 1: U+200B",
    rows("pla\u200bne\tcar\t7.5", *TSV[1:]),
)
case(
    "non_ascii_first_row.txt",
    "space-separated, the first row non-ASCII (`café`), ZWNJ in a word",
    "reads café/car 7.5, 'coast\u200chill'/hill 6, century/year 3.25, game/victory 1",
    rows("café car 7.5", "coast\u200chill hill 6", "century year 3.25", "game victory 1"),
)

# ------------------------------------------------------------------ encodings

_TEXT = "".join(line + "\n" for line in TSV)
case(
    "utf16le_bom.tsv",
    "UTF-16 little-endian with a BOM (Excel's 'Unicode text')",
    "refused: UTF-16 little-endian (byte-order mark FF FE); with encoding='utf-16': reads the 4 pairs",
    b"\xff\xfe" + _TEXT.encode("utf-16-le"),
)
case(
    "utf16be_bom.tsv",
    "UTF-16 big-endian with a BOM",
    "refused: UTF-16 big-endian (byte-order mark FE FF); with encoding='utf-16': reads the 4 pairs",
    b"\xfe\xff" + _TEXT.encode("utf-16-be"),
)
case(
    "utf16le_no_bom.tsv",
    "UTF-16 little-endian without a BOM",
    "refused: UTF-16 little-endian without a byte-order mark; with encoding='utf-16-le': reads the 4 pairs",
    _TEXT.encode("utf-16-le"),
)
case(
    "utf16be_no_bom.tsv",
    "UTF-16 big-endian without a BOM",
    "refused: UTF-16 big-endian without a byte-order mark; with encoding='utf-16-be': reads the 4 pairs",
    _TEXT.encode("utf-16-be"),
)
case(
    "utf32le_bom.tsv",
    "UTF-32 little-endian with a BOM",
    "refused: UTF-32 little-endian; with encoding='utf-32': reads the 4 pairs",
    b"\xff\xfe\x00\x00" + _TEXT.encode("utf-32-le"),
)
case(
    "cp1252.tsv",
    "Windows-1252 (`café`, `naïve`) on line 2",
    "refused at line 2 (not valid UTF-8); with encoding='cp1252': reads café/naïve",
    rows("plane\tcar\t7.5", "café\tnaïve\t6", encoding="cp1252"),
)

# --------------------------------------------------------------------- limits

case(
    "long_line.tsv",
    "line 2 is 2,000 bytes long (a fourth column of 1,986 x's)",
    "with W2VEVAL_MAX_LINE_BYTES=1024: refused at line 2, naming the limit and the variable; "
    "without: reads the 4 pairs",
    rows(TSV[0], "coast\thill\t6\t" + "x" * 1986, *TSV[2:]),
)
case(
    "oversized.tsv",
    "a valid gold set of 512 pairs, 8,082 bytes",
    "with W2VEVAL_MAX_GOLDSET_BYTES=4096: refused, naming the size, the limit and the variable; "
    "without: reads 512 pairs",
    rows(*(f"word{i}\tcar\t{i % 10}.5" for i in range(512))),
)

# ---------------------------------------------------------------- statistics

case(
    "huge_scores.tsv",
    "scores ±1.7e308 and 1e308: their range overflows a float",
    "goldsets validate: score_min -1.7e308, score_max 1.7e308, quartiles -4.25e307 / 5e307 / "
    "1.175e308, finite histogram edges",
    rows("plane\tcar\t1.7e308", "coast\thill\t-1.7e308", "century\tyear\t1e308", "game\tvictory\t5"),
)
case(
    "one_rater.tsv",
    "header `w1 w2 r1` and one rating column",
    "goldsets agreement: refused (at least 2 raters needed)",
    rows("w1\tw2\tr1", "plane\tcar\t3", "coast\thill\t4", "century\tyear\t5"),
)
case(
    "mean_only.csv",
    "WS-353-style header with only `Human (mean)`",
    "goldsets agreement: refused (the mean column is not a rater)",
    rows("Word 1,Word 2,Human (mean)", "plane,car,7.5", "coast,hill,6", "century,year,3.25"),
)
case(
    "raters_quoted.csv",
    'per-rater file written with quotes: `"w1","w2","ann","bob"`',
    "goldsets agreement: 2 raters named ann and bob, 5 pairs",
    rows(
        '"w1","w2","ann","bob"',
        '"plane","car",1,2',
        '"coast","hill",2,1',
        '"century","year",3,3',
        '"game","victory",4,5',
        '"plane","hill",5,4',
    ),
)


def write_readme(folder: Path) -> None:
    table = "\n".join(f"| `{name}` | {what} | {expected} |" for name, (what, expected) in CASES.items())
    (folder / "README.md").write_text(
        f"""# Gold-set quirks corpus

One small gold-set file per quirky or malformed case, written by
`tests/corpus/make_gold_quirks.py` (rerun it to regenerate them all; do not edit them by
hand). The words are those of `../clean.txt`. `tests/test_goldset_quirks.py` checks every
file through the library and through `python -m w2veval` (`score`, or `goldsets validate` /
`goldsets agreement` where the case is about them); `docs/errors.md` ("Gold sets") states the
rules. "Refused" means a `GoldSetFormatError` naming the file (and the line, where given),
and on the command line one `w2veval: error:` line and exit status 2.

| file | case | expected behaviour |
|---|---|---|
{table}
""",
        encoding="utf-8",
    )


def main(folder: Path = QUIRKS) -> None:
    folder.mkdir(exist_ok=True)
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    write_readme(folder)
    print(f"wrote {len(FILES)} files, {sum(map(len, FILES.values()))} bytes, into {folder}")


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:2]))
