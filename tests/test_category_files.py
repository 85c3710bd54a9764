"""Categorization files (w2veval/goldsets/_categories.py, _tablefile.py): the four catalogued
sets against an independent csv-module reading and ../shared/goldsets/SOURCES.md, user layouts,
errors with file and line, and hypothesis properties of the reader."""

from __future__ import annotations

import csv
import string

import pytest
from _outcomes import value_or_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2veval import goldsets
from w2veval.errors import GoldSetFormatError
from w2veval.goldsets import CategorySet
from w2veval.goldsets._categories import read_categories
from w2veval.goldsets._kinds import detect_kind


def _csv_items(path):
    """Independent reading: (word, category) per row, with the csv module."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["", "category", "word"]
    return [(r[2], r[1]) for r in rows[1:]]


# SOURCES.md: AP 423 rows / 403 distinct words (one is '') / 21 categories; Battig 5,231 rows,
# 4,668 distinct words, 56 categories, 465 words in more than one; BLESS 217 rows, 201 distinct
# words ('' among them), 17 classes; ESSLLI 45 words, 9 categories.
SOURCES = {
    "ap": (423, 403, 21),
    "battig": (5231, 4668, 56),
    "bless": (217, 201, 17),
    "essli-2008": (45, 45, 9),
}
ENTRY = {"ap": "ap", "battig": "battig", "bless": "bless-categories", "essli-2008": "essli-2008"}


@pytest.mark.parametrize("stem", sorted(SOURCES))
def test_catalogued_sets_match_an_independent_reading(stem, shared_goldsets):
    path = shared_goldsets / "categorization" / f"{stem}.csv"
    rows = _csv_items(path)
    n_rows, n_words, n_categories = SOURCES[stem]
    assert (len(rows), len({w for w, _ in rows}), len({c for _, c in rows})) == (
        n_rows,
        n_words,
        n_categories,
    )

    got = read_categories(path, empty_words="drop")
    expected = list(dict.fromkeys((w, c) for w, c in rows if w))  # drop '' words, collapse repeats
    assert list(got.items) == expected
    assert len(got.empty_lines) == sum(1 for w, _ in rows if not w)
    assert len(got.duplicate_lines) == len([r for r in rows if r[0]]) - len(expected)
    # each dropped or collapsed line number points at such a row of the file (header is line 1)
    assert all(rows[line - 2][0] == "" for line in got.empty_lines)
    assert all(rows[line - 2] in rows[: line - 2] for line in got.duplicate_lines)
    assert got.categories == tuple(dict.fromkeys(c for _, c in rows))
    assert got.n_items == goldsets.catalog()[ENTRY[stem]].n_pairs


def test_battig_words_in_several_categories_are_separate_items(shared_goldsets):
    rows = _csv_items(shared_goldsets / "categorization/battig.csv")
    per_word = {}
    for w, c in rows:
        per_word.setdefault(w, set()).add(c)
    # SOURCES.md's "465 words appear in more than one category" counts words on more than one
    # row: two of them (portland, streets) repeat the same category, so 463 have two categories.
    assert sum([w for w, _ in rows].count(w) > 1 for w in per_word) == 465
    assert sum(len(cs) > 1 for cs in per_word.values()) == 463
    got = read_categories(shared_goldsets / "categorization/battig.csv")
    assert ("ruby", "precious stone") in got.items and ("ruby", "color") in got.items
    assert [got.items[i][0] for i in range(len(got))].count("ruby") == len(per_word["ruby"])


def test_ap_empty_words_are_an_error_unless_dropped(shared_goldsets):
    path = shared_goldsets / "categorization/ap.csv"
    with pytest.raises(GoldSetFormatError) as caught:
        read_categories(path)
    rows = _csv_items(path)
    first_empty = next(i for i, (w, _) in enumerate(rows) if not w) + 2
    assert caught.value.line == first_empty and caught.value.path == str(path)
    assert "empty_words='drop'" in str(caught.value)


def test_user_layouts_any_column_order_tab_or_comma(tmp_path):
    (tmp_path / "a.csv").write_text("word,category\ncat,animal\noak,tree\ndog,animal\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text(
        "Category\tWord\tnote\nanimal\tcat\tx\ntree\toak\t\nanimal\tdog\t\n", encoding="utf-8"
    )
    (tmp_path / "c.csv").write_text(
        'category,word\n"big, cats",lion\nanimal,"dog"\nanimal, cat \n', encoding="utf-8"
    )
    a, b = read_categories(tmp_path / "a.csv"), read_categories(tmp_path / "b.tsv")
    assert a.items == b.items == (("cat", "animal"), ("oak", "tree"), ("dog", "animal"))
    assert a.name == "a" and a.categories == ("animal", "tree")
    assert read_categories(tmp_path / "c.csv").items == (
        ("lion", "big, cats"),
        ("dog", "animal"),
        ("cat", "animal"),
    )


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("word\ncat\n", 1, "lacks the column(s) 'category'"),
        ("", None, "the file is empty"),
        ("category,word\n", None, "no (category, word) rows"),
        ("category,word\nanimal,cat\nanimal\n", 3, "expected 2 comma-separated cells"),
        ("category,word\nanimal,cat\n,dog\n", 3, "empty category"),
        ('category,word\nanimal,"cat\n', 2, "CSV quoting error"),
        ("category,word,category\nanimal,cat,x\n", 1, "twice"),
    ],
)
def test_malformed_files_name_the_line_and_the_fix(tmp_path, text, line, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GoldSetFormatError) as caught:
        read_categories(path)
    assert caught.value.line == line and caught.value.path == str(path)
    assert fragment in str(caught.value)


def test_load_detects_prefixes_and_header(tmp_path, shared_goldsets):
    path = tmp_path / "mine.csv"
    path.write_text("category,word\nanimal,cat\ntree,oak\n", encoding="utf-8")
    assert detect_kind(path) == "categorization"
    assert detect_kind(shared_goldsets / "categorization/ap.csv") == "categorization"
    for spec in (str(path), path, f"categorization:{path}"):
        got = goldsets.load(spec)
        assert isinstance(got, CategorySet) and got.items == (("cat", "animal"), ("oak", "tree"))
    assert goldsets.load(str(path), name="pets").name == "pets"
    with pytest.raises(GoldSetFormatError, match="takes no option"):
        goldsets.load(str(path), decimal_comma=True)
    with pytest.raises(GoldSetFormatError, match="validate checks word-pair gold sets") as caught:
        goldsets.validate(path)
    assert caught.value.path == str(path)
    with pytest.raises(GoldSetFormatError, match="'ap' is a categorization set"):
        goldsets.validate("ap")


# --- hypothesis -----------------------------------------------------------------------------

_cell = st.text(
    alphabet=string.ascii_letters + string.digits + " _-'\"é,ß\t", min_size=1, max_size=12
).filter(lambda s: s.strip() and s == s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_cell, _cell), min_size=1, max_size=12), tab=st.booleans(), swap=st.booleans())
def test_round_trip_of_written_rows(tmp_path, rows, tab, swap):
    if tab and any("\t" in c for r in rows for c in r):
        rows = [tuple(c.replace("\t", " ").strip() or "x" for c in r) for r in rows]
    path = tmp_path / "gen.txt"
    header = ("word", "category") if swap else ("category", "word")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        if tab:
            fh.write("\t".join(header) + "\n")
            for w, c in rows:
                fh.write("\t".join((w, c) if swap else (c, w)) + "\n")
        else:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(("", *header))  # vecto's unnamed index column
            for i, (w, c) in enumerate(rows):
                writer.writerow((i,) + ((w, c) if swap else (c, w)))
    got = read_categories(path)
    assert list(got.items) == list(dict.fromkeys(rows))
    assert len(got.duplicate_lines) == len(rows) - len(set(rows))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=80))
def test_arbitrary_text_reads_or_raises_a_located_format_error(tmp_path, text):
    path = tmp_path / "any.csv"
    path.write_bytes(("category,word\n" + text).encode("utf-8", errors="surrogatepass"))
    got, exc = value_or_error(read_categories, path, catching=GoldSetFormatError)
    if exc is not None:
        assert exc.path == str(path)
        assert exc.line is not None or "no (category, word) rows" in exc.message or "NUL" in exc.message
    else:
        assert all(w and c for w, c in got.items)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=100))
def test_arbitrary_bytes_never_raise_anything_but_a_format_error(tmp_path, data):
    path = tmp_path / "any.bin"
    path.write_bytes(data)
    _, exc = value_or_error(read_categories, path, catching=GoldSetFormatError)
    if exc is not None:
        assert exc.path == str(path)
