"""Outlier-detection files (w2veval/goldsets/_outliers.py): 8-8-8 and WikiSem500 against an
independent reading, the trailing '' artefact, literal_eval-only parsing, multi-word entries
through the matching rules, located errors and hypothesis properties."""

from __future__ import annotations

import ast
import csv
import re
import string

import pytest
from _outcomes import value_or_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2veval import goldsets
from w2veval.errors import GoldSetFormatError
from w2veval.goldsets import OutlierSet
from w2veval.goldsets._kinds import detect_kind
from w2veval.goldsets._outliers import read_outliers
from w2veval.matching import MatchRules, VocabularyLookup


def _independent(path):
    """(category, outliers, words) per row: csv module + a regex over the quoted items (no
    literal_eval, so the reader's parsing is checked against another parser)."""
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["", "category", "outliers", "words"]
    for row in rows[1:]:
        lists = []
        for cell in row[2:]:
            items = [m.group(1) or m.group(2) for m in re.finditer(r"'((?:[^'\\]|\\.)*)'|\"([^\"]*)\"", cell)]
            lists.append(["" if i is None else i for i in items])
        out.append((row[1], lists[0], lists[1]))
    return out


@pytest.mark.parametrize("stem, clusters, tests", [("8-8-8", 8, 64), ("wikisem500", 500, 2812)])
def test_catalogued_sets_match_an_independent_reading(stem, clusters, tests, shared_goldsets):
    path = shared_goldsets / "outlier" / f"{stem}.csv"
    rows = _independent(path)
    assert all(o[-1] == "" for _, o, _ in rows)  # vecto's artefact, SOURCES.md
    got = read_outliers(path)
    assert len(got.clusters) == clusters and got.n_tests == tests == len(got)
    assert got.n_trailing_empty == clusters
    for cluster, (category, outliers, words) in zip(got.clusters, rows, strict=True):
        assert cluster.category == category
        assert list(cluster.words) == words and list(cluster.outliers) == outliers[:-1]
    assert goldsets.catalog()[stem].n_pairs == tests


def test_multi_word_entries_keep_underscore_and_match_through_the_rules(shared_goldsets):
    got = read_outliers(shared_goldsets / "outlier/8-8-8.csv")
    cars = next(c for c in got.clusters if c.category == "German_car_manufacturers")
    assert "Mercedes_Benz" in cars.words
    assert VocabularyLookup(["mercedes_benz"]).word("Mercedes_Benz") == "mercedes_benz"
    assert VocabularyLookup(["Mercedes_Benz", "mercedes_benz"]).word("Mercedes_Benz") == "Mercedes_Benz"
    assert VocabularyLookup(["mercedes_benz"], MatchRules(case="sensitive")).get("Mercedes_Benz") is None
    # documented: a hyphen is not an underscore; 'mercedes-benz' does not match
    assert VocabularyLookup(["mercedes-benz"]).get("Mercedes_Benz") is None


def test_only_literal_eval_no_code_runs(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.csv"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["category", "outliers", "words"])
        w.writerow(["x", code, "['a', 'b', 'c']"])
    with pytest.raises(GoldSetFormatError) as caught:
        read_outliers(path)
    assert caught.value.line == 2 and "not a list of strings" in str(caught.value)
    assert not marker.exists()


@pytest.mark.parametrize(
    "row, fragment",
    [
        (["c", "['x']", "['a', 'b']"], "at least 3 words"),
        (["c", "['']", "['a', 'b', 'c']"], "no outlier"),
        (["c", "['x', '', 'y']", "['a', 'b', 'c']"], "empty string in the outliers"),
        (["c", "['x']", "['a', '', 'c']"], "empty string in the words"),
        (["c", "['x', 1]", "['a', 'b', 'c']"], "not a list of strings"),
        (["c", "('x',)", "['a', 'b', 'c']"], "not a list of strings"),
        (["c", "[[[", "['a', 'b', 'c']"], "not a list of strings"),
        (["", "['x']", "['a', 'b', 'c']"], "empty category"),
    ],
)
def test_malformed_rows_name_the_line(tmp_path, row, fragment):
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["", "category", "outliers", "words"])
        w.writerow(["0", "ok", "['x', '']", "['a', 'b', 'c']"])
        w.writerow(["1", *row])
    with pytest.raises(GoldSetFormatError) as caught:
        read_outliers(path)
    assert caught.value.line == 3 and caught.value.path == str(path) and fragment in str(caught.value)


def test_load_detects_the_header_and_the_prefix(tmp_path, shared_goldsets):
    path = tmp_path / "mine.csv"
    path.write_text(
        "category,words,outliers\npets,\"['cat', 'dog', 'hamster']\",\"['car']\"\n", encoding="utf-8"
    )
    assert detect_kind(path) == "outlier" == detect_kind(shared_goldsets / "outlier/wikisem500.csv")
    for spec in (str(path), f"outlier:{path}"):
        got = goldsets.load(spec)
        assert isinstance(got, OutlierSet) and got.n_tests == 1 and got.n_trailing_empty == 0


# --- hypothesis -----------------------------------------------------------------------------

_word = st.text(alphabet=string.ascii_letters + "_'\"é\\ -", min_size=1, max_size=10).filter(
    lambda s: s.strip() == s and s
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    clusters=st.lists(
        st.tuples(_word, st.lists(_word, min_size=3, max_size=6), st.lists(_word, min_size=1, max_size=4)),
        min_size=1,
        max_size=5,
    ),
    trailing=st.booleans(),
)
def test_round_trip_of_python_list_literals(tmp_path, clusters, trailing):
    path = tmp_path / "gen.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["", "category", "outliers", "words"])
        for i, (category, words, outliers) in enumerate(clusters):
            w.writerow([i, category, repr(outliers + ([""] if trailing else [])), repr(words)])
    got = read_outliers(path)
    assert [(c.category, list(c.words), list(c.outliers)) for c in got.clusters] == [
        (c, ws, os) for c, ws, os in clusters
    ]
    assert got.n_trailing_empty == (len(clusters) if trailing else 0)
    assert ast.literal_eval(repr(clusters[0][1])) == clusters[0][1]  # the writer's own round trip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.text(max_size=30), min_size=3, max_size=3))
def test_arbitrary_cells_read_or_raise_a_located_format_error(tmp_path, cells):
    path = tmp_path / "any.csv"
    with open(path, "w", newline="", encoding="utf-8", errors="surrogatepass") as fh:
        w = csv.writer(fh)
        w.writerow(["category", "outliers", "words"])
        w.writerow(cells)
    got, exc = value_or_error(read_outliers, path, catching=GoldSetFormatError)
    if exc is not None:
        assert exc.path == str(path) and (
            exc.line is not None or "no cluster rows" in exc.message or "NUL" in exc.message
        )
    else:
        assert all(len(c.words) >= 3 and c.outliers for c in got.clusters)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=100))
def test_arbitrary_bytes_never_raise_anything_but_a_format_error(tmp_path, data):
    path = tmp_path / "any.bin"
    path.write_bytes(b"category,outliers,words\n" + data)
    _, exc = value_or_error(read_outliers, path, catching=GoldSetFormatError)
    if exc is not None:
        assert exc.path == str(path)
