"""Tests of w2veval.goldsets: the GoldSet object, the parser, built-ins and load()."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import importlib.util
import math
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2veval import goldsets
from w2veval.errors import GoldSetFormatError, GoldSetNotFoundError, W2VEvalError
from w2veval.goldsets import DuplicatePairWarning, GoldSet, _builtin, load, names

DATA = Path(__file__).parent / "data" / "goldsets"
REPO = Path(__file__).resolve().parents[1]
GENSIM_DATA = Path(importlib.util.find_spec("gensim").submodule_search_locations[0], "test", "test_data")

no_duplicate_warning = pytest.mark.filterwarnings("error::w2veval.goldsets.DuplicatePairWarning")


def read_independently(path, delimiter="\t", score_column=2, skip_header=False):
    """A second, independent reading of a gold-set file with the csv module."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.reader(fh, delimiter=delimiter) if r and not r[0].startswith("#")]
    if skip_header:
        rows = rows[1:]
    return [(r[0], r[1], float(r[score_column])) for r in rows]


# --- built-ins -------------------------------------------------------------------


def test_names_lists_the_catalog_and_three_sets_work_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("W2VEVAL_HOME", str(tmp_path))  # an empty cache
    assert {"jobs-domain", "simlex999", "ws353", "men", "multisimlex-fi"} <= set(names())
    assert goldsets.installed_names() == ["jobs-domain", "simlex999", "ws353"]


def test_ws353_keeps_both_money_cash_rows():
    ws = load("ws353")
    assert ws.n_pairs == len(ws) == 353
    money_cash = [s for a, b, s in ws.pairs if (a, b) == ("money", "cash")]
    assert money_cash == [9.15, 9.08]
    assert ws.pairs == read_independently(GENSIM_DATA / "wordsim353.tsv")
    assert (ws.kind, ws.scale, ws.language, ws.illustrative) == ("mixed", (0, 10), "en", False)
    assert ws.citation.startswith("@article{finkelstein2002placing,")
    assert "10.1145/503104.503110" in ws.citation
    assert ws.licence.startswith("none stated")


def test_simlex999_matches_gensims_file():
    sl = load("simlex999")
    assert sl.n_pairs == 999
    assert sl.pairs == read_independently(GENSIM_DATA / "simlex999.txt")
    assert sl.pairs[0] == ("old", "new", 1.58)
    assert (sl.kind, sl.scale) == ("similarity", (0, 10))
    assert sl.citation.startswith("@article{hill2015simlex,")
    assert sl.licence.startswith("none stated")
    # gensim's copy has the comment header on lines 1-2, so pairs start on line 3
    assert sl.lines[0] == 3 and sl.lines[-1] == 1001


@pytest.mark.parametrize("name", ["ws353", "simlex999", "jobs-domain"])
def test_every_offline_set_is_consistent_with_its_catalog_entry(name, tmp_path, monkeypatch):
    monkeypatch.setenv("W2VEVAL_HOME", str(tmp_path))  # an empty cache: the offline copies
    gs = load(name)
    item = goldsets.entry(name)
    assert gs.name == name and gs.n_pairs == item.n_pairs
    low, high = gs.scale
    assert all(low <= s <= high for s in gs.scores)
    assert gs.citation == item.citation and gs.licence == item.licence
    assert gs.kind == item.kind
    assert gs.sha256 == hashlib.sha256(Path(gs.source).read_bytes()).hexdigest()
    assert load(name) is gs  # read once, then shared (GoldSet is immutable)


def test_builtins_do_not_import_gensim_or_pandas():
    code = (
        "import sys, w2veval.goldsets as g; g.load('ws353'); g.load('simlex999'); "
        "g.load('jobs-domain'); print(sorted(m for m in ('gensim', 'pandas', 'scipy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_goldsets_is_light():
    code = (
        "import sys, w2veval.goldsets; print(sorted(m for m in ('pandas', 'scipy', 'gensim') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the project's own jobs-domain set --------------------------------------------


@no_duplicate_warning
def test_jobs_domain_is_an_illustrative_relatedness_set():
    jobs = load("jobs-domain")
    assert (jobs.kind, jobs.illustrative, jobs.scale) == ("relatedness", True, (0, 10))
    assert jobs.licence == "Apache-2.0"
    assert 60 <= jobs.n_pairs <= 80
    score = {frozenset((a, b)): s for a, b, s in jobs.pairs}
    assert len(score) == jobs.n_pairs, "every pair listed once, in either order"
    assert score[frozenset(("java", "python"))] >= 8
    assert score[frozenset(("kubernetes", "docker"))] >= 8
    assert score[frozenset(("engineer", "developer"))] >= 8
    assert score[frozenset(("python", "snake"))] <= 2
    assert score[frozenset(("java", "coffee"))] <= 2
    assert 3 <= score[frozenset(("recruiter", "salary"))] <= 7
    assert all(w == w.lower() and " " not in w for w in jobs.words)


def test_jobs_domain_file_says_what_it_is():
    text = (REPO / "goldsets" / "jobs-domain.tsv").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    header = next(line for line in text.splitlines() if not line.startswith("#"))
    assert header == "word1\tword2\tscore"
    assert "ILLUSTRATIVE" in comments[0]
    assert any("w2veval project" in c for c in comments)
    assert any("Apache-2.0" in c for c in comments)


def test_packaged_path_finds_the_domain_set_in_the_checkout():
    assert _builtin.packaged_path("jobs-domain.tsv") == REPO / "goldsets" / "jobs-domain.tsv"
    assert _builtin.packaged_path("no-such-file.tsv") is None


# --- real public files (read from ../shared/goldsets, never copied) ----------------


@pytest.mark.parametrize(
    "relpath, options, n_pairs, first, duplicate_warning",
    [
        ("wordvectors_org/EN-WS-353-SIM.txt", {}, 203, ("tiger", "cat", 7.35), False),
        # bank-money (8.12) and money-bank (8.50) are both listed: a reversed repeat, which
        # duplicates="error" reports (by default this published file is read as the catalog does)
        ("wordvectors_org/EN-WS-353-REL.txt", {"duplicates": "error"}, 252, None, True),
        # header, 10 columns, CRLF; the SimLex score is the 4th column; sly-strange reversed
        (
            "simlex999/SimLex-999.txt",
            {"columns": (0, 1, 3), "duplicates": "error"},
            999,
            ("old", "new", 1.58),
            True,
        ),
        ("men/MEN_dataset_natural_form_full", {}, 3000, ("sun", "sunlight", 50.0), False),
        # CR-only line ends, header, no final newline
        # it also repeats schlecht-schrecklich in the same order with another score
        # (lines 13 and 55), which only duplicates="warn" or "keep" accepts
        (
            "multilingual/leviant_reichart_2015/simlex-german.txt",
            {"language": "de", "duplicates": "warn"},
            999,
            ("alt", "neu", 0.076923077),
            True,
        ),
        ("simverb3500/SimVerb-3500.txt", {"columns": (0, 1, 3), "duplicates": "error"}, 3500, None, True),
    ],
)
def test_reads_real_gold_set_files(shared_goldsets, relpath, options, n_pairs, first, duplicate_warning):
    path = shared_goldsets / relpath
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gs = GoldSet.from_file(path, **options)
    assert [w.category for w in caught] == ([DuplicatePairWarning] if duplicate_warning else [])
    assert gs.n_pairs == n_pairs
    if first is not None:
        assert gs.pairs[0] == first
    assert gs.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert gs.name == path.stem and gs.source == str(path)


def test_simlex_german_lines_follow_cr_only_line_ends(shared_goldsets):
    path = shared_goldsets / "multilingual/leviant_reichart_2015/simlex-german.txt"
    with pytest.raises(GoldSetFormatError, match="lines 13 and 55") as info:
        GoldSet.from_file(path, language="de", duplicates="error")
    assert info.value.line == 55
    gs = GoldSet.from_file(path, duplicates="keep", language="de")
    assert gs.lines[0] == 2 and gs.lines[-1] == 1000
    assert gs.pairs[1] == ("klug", "intelligent", 9.692307692)


def test_score_in_another_column_gets_a_hint(shared_goldsets):
    hint = r"score 'A' in column 3 .* pass columns=\(0, 1, 3\)"
    with pytest.raises(GoldSetFormatError, match=hint) as info:
        GoldSet.from_file(shared_goldsets / "simlex999/SimLex-999.txt")
    assert info.value.line == 2


def test_simlex_999_real_file_matches_an_independent_reading(shared_goldsets):
    path = shared_goldsets / "simlex999/SimLex-999.txt"
    gs = GoldSet.from_file(path, columns=(0, 1, 3), duplicates="keep")
    assert gs.pairs == read_independently(path, score_column=3, skip_header=True)


def test_finnish_date_mangled_score_names_its_line(shared_goldsets):
    path = shared_goldsets / "multilingual/finnish_finnsim300/FinnSim_judgment_scores.csv"
    with pytest.raises(GoldSetFormatError) as info:
        GoldSet.from_file(path, language="fi")
    assert info.value.line == 64  # järvi;suo;1.elo
    assert info.value.path == str(path)
    assert "'1.elo'" in str(info.value) and str(info.value).startswith(f"{path}:64: ")


def test_ws353_combined_csv_conflicting_duplicate(shared_goldsets):
    path = shared_goldsets / "ws353/combined.csv"
    with pytest.raises(GoldSetFormatError) as info:
        GoldSet.from_file(path, duplicates="error")
    assert info.value.line == 99
    assert "lines 33 and 99" in str(info.value) and "'money', 'cash'" in str(info.value)
    assert "duplicates='error' was asked for" in str(info.value)
    gs = GoldSet.from_file(path, duplicates="keep")
    assert GoldSet.from_file(path).pairs == gs.pairs  # the catalogued file: kept by default
    assert gs.n_pairs == 353
    assert [
        (s, line)
        for a, b, s, line in zip(gs.word1, gs.word2, gs.scores, gs.lines, strict=True)
        if (a, b) == ("money", "cash")
    ] == [(9.15, 33), (9.08, 99)]
    assert gs.pairs == load("ws353").pairs  # same pairs and order as gensim's copy


# --- one tiny fixture file per edge case ------------------------------------------


@pytest.mark.parametrize(
    "filename, error, line, fragment",
    [
        ("empty.tsv", GoldSetFormatError, None, "no word pairs"),
        ("only_comments.tsv", GoldSetFormatError, None, "no word pairs"),
        ("two_columns.tsv", GoldSetFormatError, 2, "expected at least 3 columns"),
        ("text_score.csv", GoldSetFormatError, 3, "score 'high' in column 3 is not a number"),
        ("nan_score.tsv", GoldSetFormatError, 2, "not a finite number"),
        ("conflicting_duplicate.tsv", GoldSetFormatError, 3, "lines 1 and 3"),
        ("does_not_exist.tsv", GoldSetNotFoundError, None, "does not exist"),
    ],
)
def test_malformed_fixture_files(filename, error, line, fragment):
    path = DATA / filename
    with pytest.raises(error) as info:
        GoldSet.from_file(path)
    assert info.value.line == line
    assert info.value.path == str(path)
    assert fragment in str(info.value)
    assert str(info.value).startswith(str(path) + (f":{line}: " if line else ": "))


@no_duplicate_warning
@pytest.mark.parametrize(
    "filename, options, pairs, lines",
    [
        ("bom_crlf.csv", {}, [("cat", "dog", 7.5), ("cat", "car", 1.0)], (1, 2)),
        ("header.tsv", {}, [("cat", "dog", 7.5), ("cat", "car", 1.0)], (2, 3)),
        ("extra_columns.tsv", {}, [("cat", "dog", 7.5), ("cat", "car", 1.0)], (1, 2)),
        ("semicolon.csv", {}, [("cat", "dog", 7.5), ("cat", "car", 1.0)], (2, 3)),
        (
            "cr_only_no_newline.txt",
            {"language": "de"},
            [("alt", "neu", 0.5), ("klug", "intelligent", 9.7)],
            (2, 3),
        ),
    ],
)
def test_well_formed_fixture_files(filename, options, pairs, lines):
    gs = GoldSet.from_file(DATA / filename, **options)
    assert gs.pairs == pairs
    assert gs.lines == lines
    assert gs.name == Path(filename).stem


def test_identical_duplicate_is_kept_with_a_warning():
    with pytest.warns(DuplicatePairWarning, match=r"lines 1 and 3 \(scores 7.5 and 7.5\)"):
        gs = GoldSet.from_file(DATA / "identical_duplicate.tsv")
    assert gs.n_pairs == 3


def test_reversed_duplicate_is_kept_with_a_warning():
    with pytest.warns(DuplicatePairWarning, match=r"lines 1 and 3 \(reversed, scores 1.97 and 0.51\)"):
        gs = GoldSet.from_file(DATA / "reversed_duplicate.tsv")
    assert gs.n_pairs == 3


def test_duplicate_policies():
    path = DATA / "conflicting_duplicate.tsv"
    with pytest.warns(DuplicatePairWarning, match="lines 1 and 3"):
        assert GoldSet.from_file(path, duplicates="warn").n_pairs == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert GoldSet.from_file(path, duplicates="keep").scores == (7.5, 3.0, 6.0)
        assert GoldSet.from_file(DATA / "reversed_duplicate.tsv", duplicates="keep").n_pairs == 3
    with pytest.raises(ValueError, match="duplicates must be one of"):
        GoldSet.from_file(path, duplicates="ignore")


def test_header_can_be_forced(tmp_path):
    path = DATA / "header.tsv"
    with pytest.raises(GoldSetFormatError) as info:
        GoldSet.from_file(path, header=False)
    assert info.value.line == 1
    numeric_first_row = GoldSet.from_file(DATA / "extra_columns.tsv", header=True)
    assert numeric_first_row.pairs == [("cat", "car", 1.0)]


def test_explicit_delimiters(tmp_path):
    path = tmp_path / "multiword.tsv"
    path.write_text("Promised Land\tIsrael\t3.5\nNew York\tcity\t3\n", encoding="utf-8")
    assert GoldSet.from_file(path, delimiter="\t").word1 == ("Promised Land", "New York")
    assert GoldSet.from_file(path).word1 == ("Promised Land", "New York")  # tab detected
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("cat   dog\t 7.5\ncar bus 2\n", encoding="utf-8")
    assert GoldSet.from_file(spaced, delimiter=" ").pairs == [("cat", "dog", 7.5), ("car", "bus", 2.0)]
    with pytest.raises(ValueError, match="delimiter"):
        GoldSet.from_file(spaced, delimiter="")


def test_score_outside_scale_names_the_line():
    with pytest.raises(GoldSetFormatError, match=r"outside the declared scale \(0, 5\)") as info:
        GoldSet.from_file(DATA / "header.tsv", scale=(0, 5))
    assert info.value.line == 2


def test_decimal_comma_gets_a_hint(tmp_path):
    path = tmp_path / "decimal_comma.csv"
    path.write_text("kissa;koira;2.5\nkoira;susi;7,5\n", encoding="utf-8")
    with pytest.raises(GoldSetFormatError, match="decimal comma") as info:
        GoldSet.from_file(path)
    assert info.value.line == 2


def test_a_lone_header_like_row_is_explained(tmp_path):
    path = tmp_path / "one_row.csv"
    path.write_text("kissa;koira;score\n", encoding="utf-8")
    with pytest.raises(GoldSetFormatError, match=r"read as a header .* header=False") as info:
        GoldSet.from_file(path)
    assert info.value.line == 1
    # a malformed number is never a header (issue 10): it is an error at its line
    path.write_text("kissa;koira;7,5\n", encoding="utf-8")
    for header in (None, False):
        with pytest.raises(GoldSetFormatError, match="decimal comma") as info:
            GoldSet.from_file(path, header=header)
        assert info.value.line == 1


def test_undecodable_bytes_name_the_line(tmp_path):
    path = tmp_path / "latin1.tsv"
    path.write_bytes(b"cat\tdog\t7\rcaf\xe9\tbar\t3\r")
    with pytest.raises(GoldSetFormatError, match="not valid utf-8") as info:
        GoldSet.from_file(path)
    assert info.value.line == 2
    assert GoldSet.from_file(path, encoding="latin-1").word1 == ("cat", "café")


def test_empty_word_is_an_error(tmp_path):
    path = tmp_path / "empty_word.tsv"
    path.write_text("cat\tdog\t7\n\tcar\t3\n", encoding="utf-8")
    with pytest.raises(GoldSetFormatError, match="empty word in column 1") as info:
        GoldSet.from_file(path)
    assert info.value.line == 2


def test_a_directory_is_not_a_gold_set(tmp_path):
    with pytest.raises(GoldSetNotFoundError, match="is a directory") as info:
        GoldSet.from_file(tmp_path)
    assert isinstance(info.value, KeyError) and isinstance(info.value, W2VEvalError)


def test_invalid_columns_are_rejected():
    for columns in [(0, 1), (0, 0, 2), (0, 1, -1), ("a", 1, 2), (0, 1, 2.5), (0, 1, True), 3]:
        with pytest.raises(ValueError, match="columns must be"):
            GoldSet.from_file(DATA / "header.tsv", columns=columns)


# --- property: anything well-formed we write, we read back exactly -----------------

_word = st.text(st.characters(categories=("L", "N"), exclude_characters="\ufeff"), min_size=1, max_size=8)
_pairs = st.lists(
    st.tuples(_word, _word, st.floats(allow_nan=False, allow_infinity=False)),
    min_size=1,
    max_size=20,
    unique_by=lambda p: frozenset(p[:2]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=_pairs,
    delimiter=st.sampled_from(["\t", ",", ";", " "]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    header=st.booleans(),
    comment=st.booleans(),
    final_newline=st.booleans(),
    extra=st.booleans(),
)
def test_round_trip_through_a_file(
    tmp_path, pairs, delimiter, newline, bom, header, comment, final_newline, extra
):
    rows = [delimiter.join([a, b, repr(s)] + (["x"] if extra else [])) for a, b, s in pairs]
    head = (["# written by the round-trip test"] if comment else []) + (
        [delimiter.join(["word1", "word2", "score"])] if header else []
    )
    text = newline.join(head + rows) + (newline if final_newline else "")
    path = tmp_path / "roundtrip.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gs = GoldSet.from_file(path)
    assert gs.pairs == [(a, b, float(s)) for a, b, s in pairs]
    assert gs.lines == tuple(range(len(head) + 1, len(head) + len(pairs) + 1))


# --- from_pairs / from_frame -------------------------------------------------------


def test_from_pairs():
    gs = GoldSet.from_pairs(
        iter([("cat", "dog", 7), ("car", "bus", 2.5)]),
        name="toy",
        kind="similarity",
        scale=(0, 10),
        citation="me",
        licence="CC0",
    )
    assert gs.pairs == [("cat", "dog", 7.0), ("car", "bus", 2.5)]
    assert all(type(s) is float for s in gs.scores)
    assert (gs.lines, gs.sha256, gs.source) == ((1, 2), None, "<pairs>")
    assert (gs.kind, gs.scale, gs.citation, gs.licence) == ("similarity", (0, 10), "me", "CC0")


@pytest.mark.parametrize(
    "pairs, fragment",
    [
        ([], "no word pairs"),
        ([("cat", "dog", "7")], "pair 1: score '7' is not a number"),
        ([("cat", "dog", 1), ("cat", "car", True)], "pair 2: score True is not a number"),
        ([("cat", "dog", math.nan)], "pair 1: score nan is not a finite number"),
        ([("cat", "dog", 1), ("a", "b", math.inf)], "pair 2: score inf is not a finite number"),
        ([("cat", "", 1)], "pair 1: word '' is not a non-empty string"),
        ([("cat", None, 1)], "pair 1: word None is not a non-empty string"),
        ([("cat", "dog")], "pair 1: ('cat', 'dog') is not a (word1, word2, score) triple"),
        ([("cat", "dog", 1), ("cat", "dog", 2)], "pair 2: conflicting duplicate pair"),
    ],
)
def test_from_pairs_errors(pairs, fragment):
    with pytest.raises(GoldSetFormatError) as info:
        GoldSet.from_pairs(pairs, name="toy")
    assert str(info.value).startswith("gold set 'toy'")
    assert fragment in str(info.value)


def test_from_pairs_numpy_scores_and_duplicates_keep():
    np = pytest.importorskip("numpy")
    gs = GoldSet.from_pairs(
        [("a", "b", np.float32(0.5)), ("a", "b", np.int64(3))], name="np", duplicates="keep"
    )
    assert gs.scores == (0.5, 3.0)


def test_from_frame():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"w1": ["cat", "car"], "w2": ["dog", "bus"], "sim": [7.5, 2]})
    gs = GoldSet.from_frame(df, name="toy", word1="w1", word2="w2", score="sim", kind="relatedness")
    assert gs.pairs == [("cat", "dog", 7.5), ("car", "bus", 2.0)]
    assert gs.source == "<DataFrame>" and gs.kind == "relatedness"
    back = gs.to_frame()
    assert list(back.columns) == ["word1", "word2", "score"]
    assert GoldSet.from_frame(back, name="toy", kind="relatedness") == gs


def test_from_frame_errors():
    pd = pytest.importorskip("pandas")
    with pytest.raises(GoldSetFormatError, match=r"no column\(s\) \['score'\]"):
        GoldSet.from_frame(pd.DataFrame({"word1": ["a"], "word2": ["b"]}), name="toy")
    with pytest.raises(GoldSetFormatError, match="row 2: score nan is not a finite number"):
        GoldSet.from_frame(
            pd.DataFrame({"word1": ["a", "c"], "word2": ["b", "d"], "score": [1, None]}), name="toy"
        )
    with pytest.raises(GoldSetFormatError, match="row 1: score 'high' is not a number"):
        GoldSet.from_frame(pd.DataFrame({"word1": ["a"], "word2": ["b"], "score": ["high"]}), name="toy")
    with pytest.raises(GoldSetFormatError, match="no word pairs"):
        GoldSet.from_frame(pd.DataFrame({"word1": [], "word2": [], "score": []}), name="toy")


# --- the GoldSet object -------------------------------------------------------------


def test_goldset_is_immutable_hashable_and_comparable():
    a = GoldSet.from_pairs([("cat", "dog", 7.5)], name="toy")
    b = GoldSet.from_pairs([("cat", "dog", 7.5)], name="toy")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "other"
    assert isinstance(a.word1, tuple) and isinstance(a.scores, tuple)
    assert a.words == {"cat", "dog"} and isinstance(a.words, frozenset)


def test_goldset_constructor_normalises_and_validates():
    gs = GoldSet(name="raw", word1=["a"], word2=["b"], scores=[1])
    assert (gs.word1, gs.scores, gs.lines, gs.sha256) == (("a",), (1.0,), (1,), None)
    assert repr(gs) == "GoldSet('raw', 1 pair, mixed, en)"
    bad = [
        ({"kind": "semantic"}, "kind must be one of"),
        ({"language": "eng"}, "ISO 639-1"),
        ({"language": "EN"}, "ISO 639-1"),
        ({"scale": (10, 0)}, "low < high"),
        ({"scale": 10}, "low < high"),
        ({"sha256": "abc"}, "sha256"),
        ({"name": ""}, "name"),
        ({"scores": [1, 2]}, "equal lengths"),
    ]
    for change, fragment in bad:
        fields = {"name": "raw", "word1": ["a"], "word2": ["b"], "scores": [1]} | change
        with pytest.raises(ValueError, match=fragment):
            GoldSet(**fields)
    with pytest.raises(GoldSetFormatError, match="no word pairs"):
        GoldSet(name="raw", word1=[], word2=[], scores=[])


def test_repr_is_short():
    assert repr(load("jobs-domain")) == (
        "GoldSet('jobs-domain', 78 pairs, relatedness, en, scale=(0, 10), illustrative)"
    )


def test_to_frame():
    df = load("ws353").to_frame()
    assert df.shape == (353, 3)
    assert list(df.columns) == ["word1", "word2", "score"]
    assert df["score"].dtype == "float64"
    assert df.iloc[0].tolist() == ["love", "sex", 6.77]


# --- load ---------------------------------------------------------------------------


def test_load_accepts_a_goldset_a_name_and_a_path():
    gs = GoldSet.from_pairs([("cat", "dog", 7.5)], name="toy")
    assert load(gs) is gs
    assert load("ws353").name == "ws353"
    assert load(DATA / "header.tsv").pairs == load(str(DATA / "header.tsv")).pairs
    assert load(DATA / "header.tsv", kind="similarity", name="pets").kind == "similarity"


def test_load_unknown_name_suggests_the_closest():
    with pytest.raises(GoldSetNotFoundError) as info:
        load("simlex99")
    message = str(info.value)
    assert message.startswith("no gold set 'simlex99'; did you mean 'simlex999'?")
    assert "w2veval.goldsets.names()" in message and "path" in message
    assert isinstance(info.value, KeyError)


def test_load_unknown_name_without_a_close_match():
    with pytest.raises(
        GoldSetNotFoundError, match=r"^no gold set 'zzz'\. See `w2veval\.goldsets\.names\(\)`"
    ):
        load("zzz")
    with pytest.raises(GoldSetNotFoundError, match=r"no gold set .*missing\.tsv"):
        load(Path("missing.tsv"))


def test_load_rejects_options_that_cannot_apply():
    with pytest.raises(TypeError, match="catalogued"):
        load("ws353", kind="similarity")
    with pytest.raises(TypeError, match="GoldSet"):
        load(load("ws353"), kind="similarity")
    with pytest.raises(TypeError, match="spec must be"):
        load(42)
