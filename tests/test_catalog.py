"""The gold-set catalog (goldsets/catalog.toml) against the real files in ../shared/goldsets,
and the readers behind it (w2veval/goldsets/_readers.py, _analogy.py, the new parse options)."""

from __future__ import annotations

import csv
import hashlib
import math
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from w2veval.errors import GoldSetFormatError, GoldSetNotFoundError
from w2veval.goldsets._analogy import AnalogySet, read_bats, read_google
from w2veval.goldsets._catalog import KINDS, parse_catalog, parse_entry
from w2veval.goldsets._categories import CategorySet
from w2veval.goldsets._goldset import GoldSet, check_language
from w2veval.goldsets._outliers import OutlierSet
from w2veval.goldsets._parse import DroppedRowsWarning, DuplicatePairWarning, Where, parse_rows
from w2veval.goldsets._readers import _split_items, read_entry
from w2veval.goldsets._task import TextTask

# The file under review, read from the checkout: goldsets/ is what the wheel installs as
# w2veval.data, and where the project's own sets (jobs-domain.tsv) live.
CATALOG_DIR = Path(__file__).resolve().parents[1] / "goldsets"
ENTRIES = parse_catalog((CATALOG_DIR / "catalog.toml").read_text(encoding="utf-8"))
# ISO 639-3 codes the catalog may use for languages without an ISO 639-1 code.
ISO639_3_ONLY = {"yue"}
_BIBTEX_ENTRY = re.compile(r"@(article|inproceedings|misc|book|incollection|techreport)\{[A-Za-z0-9_:-]+,")


TASKS = "tasks/"  # catalog paths of labelled-text files: ../shared/tasks, not ../shared/goldsets
NEW_KINDS = {"categorization": CategorySet, "outlier": OutlierSet, "classification": TextTask}


def mirror_path(path: str, shared: Path) -> Path:
    """A catalog path in the shared mirror: ``tasks/...`` under ../shared/tasks."""
    if path.startswith(TASKS):
        return shared.parent / "tasks" / path[len(TASKS) :]
    return shared / path


def local_paths(entry, shared: Path) -> dict[str, Path]:
    """Where the test reads each file: the shared mirror, or goldsets/ for the project's
    own illustrative sets (which ship in the wheel and have no download URL)."""
    if entry.illustrative:
        return {f.path: CATALOG_DIR / f.path for f in entry.files}
    return {f.path: mirror_path(f.path, shared) for f in entry.files}


def read(name: str, shared: Path):
    entry = ENTRIES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedRowsWarning)
        return read_entry(entry, local_paths(entry, shared))


def bibtex_entries(text: str) -> list[str]:
    """The ``@type{key, ...}`` records of ``text``; fails on unbalanced braces or stray text."""
    records, depth, start = [], 0, None
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"unbalanced '}}' at {i}"
            if depth == 0:
                records.append(text[start : i + 1])
                start = None
        elif depth == 0 and not char.isspace():
            if start is None:
                assert char == "@", f"text outside a BibTeX record at {i}: {text[i : i + 20]!r}"
                start = i
    assert depth == 0 and start is None, "unterminated BibTeX record"
    return records


# --- one generic test per catalog entry --------------------------------------------------


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_entry_reads_as_catalogued(name, shared_goldsets):
    entry = ENTRIES[name]
    paths = local_paths(entry, shared_goldsets)
    for file in entry.files:
        assert paths[file.path].is_file(), f"{file.path} missing from the mirror"
        assert hashlib.sha256(paths[file.path].read_bytes()).hexdigest() == file.sha256, file.path

    declared = len(entry.parse.get("known_bad_lines", ()))  # dropped silently
    expect_dropped = entry.parse.get("expect_dropped", 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_entry(entry, paths)
    messages = [str(w.message) for w in caught]
    if expect_dropped:
        assert len(caught) == 1 and caught[0].category is DroppedRowsWarning, messages
        assert f"dropped {expect_dropped} " in messages[0]
    else:
        assert not caught, f"catalogued sets read silently; got {messages}"
    assert len(result) == entry.n_pairs - expect_dropped - declared
    assert result.name == entry.name and result.language == entry.language
    assert (result.citation, result.licence) == (entry.citation, entry.licence)
    keyed = [f for f in entry.files if f.role == "keys"] or entry.files[:1]
    assert result.sha256 == keyed[0].sha256  # documented: keys file (SemEval), else the first file

    if entry.kind in NEW_KINDS:
        assert isinstance(result, NEW_KINDS[entry.kind]) and result.kind == entry.kind
        assert entry.scale is None and not expect_dropped and not declared
        assert all(w.strip() for w in result.words) or entry.kind == "classification"
    elif entry.kind == "analogy":
        assert isinstance(result, AnalogySet) and entry.reader in ("google-analogy", "msr-analogy", "bats")
        assert all(w.strip() for question in result.questions for w in question)
        assert entry.scale is None
    else:
        assert isinstance(result, GoldSet) and result.kind == entry.kind
        assert result.illustrative == entry.illustrative
        assert all(w.strip() for w in result.word1 + result.word2)
        assert len(result.dropped_lines) == expect_dropped + declared
        if entry.scale is None:
            assert "not stated" in entry.notes, "a pair set without a scale must say why"
        else:
            low, high = entry.scale
            assert all(low <= s <= high and math.isfinite(s) for s in result.scores)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_entry_has_complete_metadata(name):
    entry = ENTRIES[name]
    assert entry.title.strip() and entry.licence.strip() and entry.kind in KINDS
    for part in entry.language.split("-"):
        assert len(part) == 2 or part in ISO639_3_ONLY, entry.language
    check_language(entry.language)
    records = bibtex_entries(entry.citation)
    assert records and all(_BIBTEX_ENTRY.match(r) and "title" in r for r in records), entry.citation
    assert entry.split in (None, "dev", "test")
    if entry.split or entry.parent:
        assert entry.parent in ENTRIES and entry.parent != name
    for file in entry.files:
        if entry.illustrative:
            assert not file.urls, "the project's own sets ship in the wheel"
            continue
        assert file.urls and all(re.match(r"https?://\S+$", u) for u in file.urls)
        for url in file.urls:
            if "raw.githubusercontent.com" in url:
                assert re.search(r"/[0-9a-f]{40}/", url), f"mirror URL not pinned to a commit: {url}"
        archive = file.urls[0].endswith((".zip", ".tar.gz"))
        assert archive == (file.member is not None), (file.path, file.urls[0], file.member)


def _sums(folder: Path, prefix: str = "") -> dict[str, str]:
    return {
        prefix + path.strip(): digest
        for digest, path in (line.split(None, 1) for line in (folder / "SHA256SUMS").read_text().splitlines())
    }


def test_catalog_file_sha256s_agree_with_sha256sums(shared_goldsets, shared_tasks):
    sums = _sums(shared_goldsets) | _sums(shared_tasks, TASKS)
    for entry in ENTRIES.values():
        for file in entry.files:
            if not entry.illustrative:
                assert sums[file.path] == file.sha256, file.path


# Files of the mirror that are no set's data, each with the reason.
NOT_DATA = {
    "ws353/combined.tab": "TAB-separated twin of combined.csv (same rows)",
    "ws353/set1.tab": "TAB-separated twin of set1.csv",
    "ws353/set2.tab": "TAB-separated twin of set2.csv",
    "ws353/instructions.txt": "instructions given to the raters",
    "men/agreement/agreement-score.txt": "inter-annotator agreement figures, not pairs",
    "men/instructions.txt": "instructions given to the raters",
    "men/licence.txt": "licence text (quoted in the entries)",
    "mturk287/EN-MTurk-287.txt": "wordvectors.org re-formatting of Mtruk.csv",
    "rw/README.txt": "readme",
    "simlex999/README.txt": "readme",
    "simverb3500/README.txt": "readme",
    "simverb3500/SimVerb-3500-ratings.txt": "per-rater ratings (the means are in SimVerb-3500.txt)",
    "simverb3500/SimVerb-3500-stats.txt": "per-verb corpus and VerbNet statistics, not pairs",
    "verb143/LICENSE": "licence text (quoted in the entry)",
    "verb143/README.md": "readme",
    "multilingual/finnish_finnsim300/LICENSE": "licence text (quoted in the entries)",
    "multilingual/finnish_finnsim300/README.md": "readme",
    "multilingual/leviant_reichart_2015/README.md": "readme of the evaluation script",
    "multilingual/multisimlex/Vulic-2020-2244.tsv-metadata.json": "CSVW metadata of the TSV",
}
NOT_DATA_PREFIXES = {
    "wordvectors_org/": "wordvectors.org re-formatted duplicates of sets catalogued from their own files",
    "multilingual/leviant_reichart_2015/raw_ratings/": (
        "per-rater ratings (the averages are the simlex-*.txt files)"
    ),
    "multilingual/semeval2017_task2/combined_conceptnet/": (
        "ConceptNet's one-file joins of the official data and keys"
    ),
    "multilingual/semeval2017_task2/SemEval17-Task2/trial/": (
        "18-pair trial sets for system development, not evaluation"
    ),
}


def test_every_data_file_of_the_mirror_is_catalogued(shared_goldsets, shared_tasks):
    listed = list(_sums(shared_goldsets)) + list(_sums(shared_tasks, TASKS))
    referenced = {f.path for entry in ENTRIES.values() for f in entry.files}
    excepted = {p for p in listed if p in NOT_DATA or p.startswith(tuple(NOT_DATA_PREFIXES))}
    assert sorted(set(listed) - referenced - excepted) == []
    assert referenced & excepted == set()
    assert set(NOT_DATA) <= set(listed), "an exception names a file the mirror does not have"
    for prefix in NOT_DATA_PREFIXES:
        assert any(p.startswith(prefix) for p in listed), prefix


# --- specific sets against independent readings ------------------------------------------


def _simlex_rows(shared: Path) -> list[list[str]]:
    with open(shared / "simlex999/SimLex-999.txt", newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter="\t"))[1:]


def test_simlex_subsets_match_the_pos_and_simassoc_columns(shared_goldsets):
    rows = _simlex_rows(shared_goldsets)
    nouns = read("simlex999-nouns", shared_goldsets)
    assert nouns.pairs == [(r[0], r[1], float(r[3])) for r in rows if r[2] == "N"]
    assert len(nouns) == 666 and ("wife", "husband", 2.3) in nouns.pairs
    assert ("old", "new", 1.58) not in nouns.pairs  # an adjective pair
    assert len(read("simlex999-verbs", shared_goldsets)) == 222
    assert len(read("simlex999-adjectives", shared_goldsets)) == 111
    assoc = read("simlex333", shared_goldsets)
    assert len(assoc) == 333 == sum(r[8] == "1" for r in rows)
    assert assoc.pairs[0] == ("old", "new", 1.58)


def test_men_dev_strips_the_pos_suffixes(shared_goldsets):
    first = (shared_goldsets / "men/MEN_dataset_lemma_form.dev").read_text().splitlines()[0]
    assert first == "berry-n seed-n 37.000000"
    men_dev = read("men-dev", shared_goldsets)
    assert men_dev.pairs[0] == ("berry", "seed", 37.0)
    assert not any(w.endswith(("-n", "-v", "-j")) for w in men_dev.words)


def test_semeval17_en_joins_data_and_keys(shared_goldsets):
    base = shared_goldsets / "multilingual/semeval2017_task2/SemEval17-Task2/test/subtask1-monolingual"
    data = (base / "data/en.test.data.txt").read_text(encoding="utf-8").splitlines()
    keys = (base / "keys/en.test.gold.txt").read_text(encoding="utf-8").splitlines()
    gs = read("semeval17-en", shared_goldsets)
    assert gs.pairs[0] == (*data[0].split("\t"), float(keys[0])) == ("Joule", "spacecraft", 0.58)
    assert gs.pairs[1][0] == "Promised Land"  # multiword entries stay whole
    assert gs.source.endswith("keys/en.test.gold.txt")


def test_semeval17_crosslingual_sets_have_two_languages(shared_goldsets):
    gs = read("semeval17-de-es", shared_goldsets)
    assert gs.language == "de-es" and len(gs) == 956
    assert gs.pairs[0] == ("Wille", "intención", 3.04)


def test_multisimlex_fi_rebuilds_1888_pairs(shared_goldsets):
    path = shared_goldsets / "multilingual/multisimlex/Vulic-2020-2244.tsv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    # Pair 1443 by hand: both of its rows hold only this pair, so the words are the
    # whole FINNISH_IN_SOURCE cells, and position 1 is the multiword 'antaa lupa'.
    first = next(r for r in rows if r["SIMLEX_IDS"] == "1443:1")
    second = next(r for r in rows if r["SIMLEX_IDS"] == "1443:2")
    assert (first["FINNISH_IN_SOURCE"], second["FINNISH_IN_SOURCE"]) == ("antaa lupa", "vahvistaa")
    assert first["FINNISH_SCORE"] == second["FINNISH_SCORE"] == "2.4"
    gs = read("multisimlex-fi", shared_goldsets)
    assert len(gs) == 1888
    assert gs.pairs[1442] == ("antaa lupa", "vahvistaa", 2.4)
    assert gs.lines[1442] == rows.index(first) + 2  # header is line 1
    assert all(r["SIMLEX_IDS"] for r in rows)
    ids = [item for r in rows for item in r["SIMLEX_IDS"].split()]
    assert sorted(ids) == sorted(f"{i}:{p}" for i in range(1, 1889) for p in (1, 2))


def test_multisimlex_languages_and_the_estonian_drop(shared_goldsets):
    languages = {e.language for e in ENTRIES.values() if e.reader == "multisimlex"}
    assert languages == {"en", "ar", "zh", "cy", "et", "fi", "fr", "he", "pl", "ru", "es", "yue"}
    entry = ENTRIES["multisimlex-et"]
    with pytest.warns(
        DroppedRowsWarning, match=r"dropped 1 pair\(s\) with an empty word.*line.* 112 \('pair 953'\)"
    ):
        gs = read_entry(entry, local_paths(entry, shared_goldsets))
    assert len(gs) == 1887 and gs.dropped_lines == (112,)


def test_finnsim_drops_the_eight_declared_date_cells_without_a_warning(shared_goldsets):
    """The catalog declares FinnSim's known bad rows: dropping them is its business, not the user's."""
    from gensim.models import Word2Vec

    from w2veval import evaluate

    entry = ENTRIES["finnsim300-fi"]
    assert entry.parse["known_bad_lines"] == [64, 103, 128, 145, 190, 266, 285, 297]
    lines = (shared_goldsets / entry.files[0].path).read_text(encoding="utf-8-sig").splitlines()
    assert [lines[n - 1].split(";")[2] for n in entry.parse["known_bad_lines"]] == [
        "1.elo",
        "2.huhti",
        "3.huhti",
        "3.huhti",
        "1.helmi",
        "1.helmi",
        "3.helmi",
        "7.huhti",
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gs = read_entry(entry, local_paths(entry, shared_goldsets))
        # a model that knows every word, so that scoring has no reason to warn either
        model = Word2Vec([[a, b] for a, b, _ in gs.pairs] * 5, vector_size=8, min_count=1, seed=1, workers=1)
        row = evaluate(model.wv, gs).iloc[0]
    assert [str(w.message) for w in caught] == []
    assert gs.dropped_lines == (64, 103, 128, 145, 190, 266, 285, 297) and len(gs) == 292
    assert row["n_pairs"] == 292 and row["coverage"] == 1.0
    translated = read("finnsim300-fi-simlex999", shared_goldsets)
    assert translated.pairs[0] == ("helppo", "vaikea", 0.58)  # '0,58' with a decimal comma


def test_known_bad_lines_must_hold_bad_scores(shared_goldsets):
    """A declared line whose score is a number means the file is not the catalogued one."""
    entry = ENTRIES["finnsim300-fi"]
    raw = {
        "name": entry.name,
        "title": entry.title,
        "language": entry.language,
        "kind": entry.kind,
        "n_pairs": entry.n_pairs,
        "citation": entry.citation,
        "licence": entry.licence,
        "files": [{"path": f.path, "sha256": f.sha256} for f in entry.files],
        "parse": {**entry.parse, "known_bad_lines": [63, *entry.parse["known_bad_lines"]]},
    }
    wrong = parse_entry(raw)
    with pytest.raises(GoldSetFormatError, match="line 63 is declared a known bad row") as info:
        read_entry(wrong, local_paths(wrong, shared_goldsets))
    assert info.value.line == 63


def test_google_analogy_has_19544_questions_in_14_sections(shared_goldsets):
    gs = read("google-analogy", shared_goldsets)
    text = (shared_goldsets / "analogy/google/questions-words.txt").read_text()
    sections = [line[1:].strip() for line in text.splitlines() if line.startswith(":")]
    assert gs.n_questions == 19544 == len(gs) and gs.sections == tuple(sections) and len(sections) == 14
    assert gs.questions[0] == ("Athens", "Greece", "Baghdad", "Iraq")
    assert gs.sections[gs.question_sections[-1]] == "gram9-plural-verbs"
    assert read("google-analogy-phrases", shared_goldsets).n_questions == 3218


def test_msr_analogy_is_the_vecto_csv(shared_goldsets):
    gs = read("msr-analogy", shared_goldsets)
    assert len(gs) == 8000 and len(gs.sections) == 16
    assert gs.questions[0] == ("good", "better", "rough", "rougher") and gs.sections[0] == "JJ_JJR"


def test_bats_builds_every_ordered_pair_within_each_category(shared_goldsets):
    gs = read("bats", shared_goldsets)
    assert len(gs) == 40 * 50 * 49 == 98000 and len(gs.sections) == 40
    assert gs.sections[0] == "I01 [noun - plural_reg]"
    assert {gs.question_sections.count(i) for i in range(40)} == {2450}
    # L08 line 43 is 'shore<TAB>coast/strand/bank/beach/': the trailing '/' adds nothing.
    section = gs.sections.index("L08 [synonyms - exact]")
    answers = {
        a
        for q, a, s in zip(gs.questions, gs.alternatives, gs.question_sections, strict=True)
        if s == section and q[2] == "shore"
    }
    assert answers == {("coast", "strand", "bank", "beach")}


# --- reader errors on tiny files -----------------------------------------------------------


def _entry(tmp_path, files: dict[str, tuple[str, str]], **fields):
    """A catalog entry over tmp files: {catalog path: (role, text)}."""
    raw = {
        "name": "toy",
        "title": "Toy",
        "language": "en",
        "kind": "similarity",
        "n_pairs": 2,
        "citation": "@misc{toy, title = {Toy}}",
        "licence": "none stated",
    } | fields
    raw["files"] = []
    paths = {}
    for path, (role, text) in files.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
        raw["files"].append({"path": path, "sha256": hashlib.sha256(text.encode()).hexdigest(), "role": role})
        paths[path] = tmp_path / path
    return parse_entry(raw), paths


def test_semeval_reader_rejects_misaligned_files(tmp_path):
    entry, paths = _entry(
        tmp_path, {"d.txt": ("data", "a\tb\nc\td\n"), "k.txt": ("keys", "1.0\n")}, parse={"reader": "semeval"}
    )
    with pytest.raises(GoldSetFormatError, match=r"k.txt: has 1 scores but .*d.txt has 2"):
        read_entry(entry, paths)
    entry, paths = _entry(
        tmp_path, {"d.txt": ("data", "a\tb\nc d\n"), "k.txt": ("keys", "1\n2\n")}, parse={"reader": "semeval"}
    )
    with pytest.raises(GoldSetFormatError, match=r"d.txt:2: expected 'word1<TAB>word2'"):
        read_entry(entry, paths)
    entry, paths = _entry(
        tmp_path,
        {"d.txt": ("data", "a\tb\nc\td\n"), "k.txt": ("keys", "1\nx\n")},
        parse={"reader": "semeval"},
    )
    with pytest.raises(GoldSetFormatError, match=r"k.txt:2: score 'x' is not a finite number"):
        read_entry(entry, paths)


_MSL_HEADER = "ID\tSIMLEX_IDS\tFINNISH\tFINNISH_IN_SOURCE\tFINNISH_SCORE\n"


def test_multisimlex_reader_rebuilds_pairs_and_names_bad_lines(tmp_path):
    good = (
        _MSL_HEADER
        + "c1\t1:1 2:2\tkissa\tkissa kissa\t3.5 1\n"
        + "c2\t1:2\tkoira\tkoira\t3.5\n"
        + "c3\t2:1\tauto (iso auto)\tiso auto\t1\n"
    )
    entry, paths = _entry(
        tmp_path,
        {"m.tsv": ("pairs", good)},
        scale=[0, 6],
        parse={"reader": "multisimlex", "column": "FINNISH"},
    )
    gs = read_entry(entry, paths)
    assert gs.pairs == [("kissa", "koira", 3.5), ("iso auto", "kissa", 1.0)] and gs.lines == (2, 4)
    disagree = good.replace("koira\tkoira\t3.5", "koira\tkoira\t3.4")
    entry, paths = _entry(
        tmp_path, {"m.tsv": ("pairs", disagree)}, parse={"reader": "multisimlex", "column": "FINNISH"}
    )
    with pytest.raises(
        GoldSetFormatError, match=r"m.tsv:2: pair 1: FINNISH_SCORE 3.5 here but 3.4 on line 3"
    ):
        read_entry(entry, paths)
    missing = _MSL_HEADER + "c1\t1:1\tkissa\tkissa\t3.5\n"
    entry, paths = _entry(
        tmp_path,
        {"m.tsv": ("pairs", missing)},
        n_pairs=1,
        parse={"reader": "multisimlex", "column": "FINNISH"},
    )
    with pytest.raises(GoldSetFormatError, match=r"m.tsv:2: pair 1 has no position-2 word"):
        read_entry(entry, paths)
    entry, paths = _entry(
        tmp_path, {"m.tsv": ("pairs", _MSL_HEADER)}, parse={"reader": "multisimlex", "column": "FINNISH"}
    )
    with pytest.raises(GoldSetFormatError, match=r"m.tsv: contains no concept rows"):
        read_entry(entry, paths)
    entry, paths = _entry(
        tmp_path, {"m.tsv": ("pairs", good)}, parse={"reader": "multisimlex", "column": "WELSH"}
    )
    with pytest.raises(GoldSetFormatError, match=r"m.tsv:1: no column\(s\) .*the languages here are FINNISH"):
        read_entry(entry, paths)


def test_read_entry_checks_counts_options_and_paths(tmp_path):
    entry, paths = _entry(tmp_path, {"p.tsv": ("pairs", "a\tb\t1\nc\td\t2\n")}, n_pairs=3)
    with pytest.raises(GoldSetFormatError, match=r"gives 2 pairs .* expects 3"):
        read_entry(entry, paths)
    entry, paths = _entry(tmp_path, {"p.tsv": ("pairs", "a\tb\t1\nc\td\t2\n")}, parse={"sep": "\t"})
    with pytest.raises(GoldSetFormatError, match=r"unknown parse option\(s\) \['sep'\]"):
        read_entry(entry, paths)
    entry, paths = _entry(tmp_path, {"p.tsv": ("pairs", "a\tb\t1\nc\td\t2\n")})
    assert read_entry(entry, paths).pairs == [("a", "b", 1.0), ("c", "d", 2.0)]
    with pytest.raises(GoldSetNotFoundError, match=re.escape("no local copy of 'p.tsv'")):
        read_entry(entry, {})


def test_google_reader_names_bad_lines(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(": capitals\nAthens Greece Oslo Norway\nParis France Rome\n")
    with pytest.raises(GoldSetFormatError, match=r"q.txt:3: expected 4 words"):
        read_google(path, name="q")
    path.write_text("Athens Greece Oslo Norway\n")
    with pytest.raises(GoldSetFormatError, match=r"q.txt:1: question before the first"):
        read_google(path, name="q")
    path.write_text(": empty\n: capitals\nAthens Greece Oslo Norway")
    with pytest.raises(GoldSetFormatError, match=r"q.txt:1: section 'empty' has no questions"):
        read_google(path, name="q")


def test_bats_reader_keeps_answers_and_rejects_bad_lines(tmp_path):
    path = tmp_path / "E99 [toy].txt"
    path.write_text("cat\tcats\ndog\tdogs/hounds//\nox\toxen")
    gs = read_bats([path], name="toy")
    assert len(gs) == 6 and gs.sections == ("E99 [toy]",) and gs.sha256
    assert gs.questions[2] == ("cat", "cats", "dog", "dogs") and gs.alternatives[2] == ("dogs", "hounds")
    path.write_text("cat\tcats\ndog dogs\n")
    with pytest.raises(GoldSetFormatError, match=r"\]\.txt:2: expected 'word<TAB>answer"):
        read_bats([path], name="toy")


def test_analogy_set_validates_its_fields():
    with pytest.raises(ValueError, match="four non-empty words"):
        AnalogySet(name="x", questions=[("a", "b", "c")], sections=["s"], question_sections=[0])
    with pytest.raises(ValueError, match="index into"):
        AnalogySet(name="x", questions=[("a", "b", "c", "d")], sections=["s"], question_sections=[1])
    with pytest.raises(ValueError, match="start with its answer"):
        AnalogySet(
            name="x",
            questions=[("a", "b", "c", "d")],
            sections=["s"],
            question_sections=[0],
            alternatives=[("e",)],
        )


def test_languages_accept_iso639_3_and_crosslingual_codes():
    assert GoldSet.from_pairs([("a", "b", 1)], name="t", language="yue").language == "yue"
    assert GoldSet.from_pairs([("a", "b", 1)], name="t", language="de-es").language == "de-es"
    for bad, hint in (("eng", "use 'en'"), ("de-spa", "use 'de-es'"), ("d", "ISO 639-1")):
        with pytest.raises(ValueError, match=hint):
            check_language(bad)


# --- property tests for the new parse options -----------------------------------------------

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöü", min_size=1, max_size=8)
_score = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 3))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_word, _word, _score, st.sampled_from("NVA")), min_size=1, max_size=30),
    st.sampled_from("NVA"),
)
def test_where_keeps_exactly_the_matching_rows(rows, tag):
    text = "".join(f"{a}\t{b}\t{pos}\t{s}\n" for a, b, s, pos in rows)
    parsed = parse_rows(
        text, Where("t.tsv"), delimiter="\t", detect=False, header=False, columns=(0, 1, 3), keep=(2, tag)
    )
    kept = [(a, b, float(s), i) for i, (a, b, s, pos) in enumerate(rows, 1) if pos == tag]
    assert list(zip(parsed.word1, parsed.word2, parsed.scores, parsed.lines, strict=True)) == kept


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_word, st.sampled_from("nvj"), _word, st.sampled_from("nvj"), _score),
        min_size=1,
        max_size=20,
    )
)
def test_strip_pos_suffix_recovers_the_words(rows):
    text = "".join(f"{a}-{p} {b}-{q} {s}\n" for a, p, b, q, s in rows)
    parsed = parse_rows(text, Where("men"), delimiter=None, detect=False, header=False, pos_suffix=True)
    assert list(zip(parsed.word1, parsed.word2, parsed.scores, strict=True)) == [
        (a, b, s) for a, _, b, _, s in rows
    ]


def test_strip_pos_suffix_rejects_a_bare_word():
    with pytest.raises(GoldSetFormatError, match=r"men:2: word 'sun' has no part-of-speech suffix"):
        parse_rows("a-n b-n 1\nsun sky-n 2\n", Where("men"), delimiter=None, detect=False, pos_suffix=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_word, _word, _score), min_size=1, max_size=20))
def test_decimal_comma_reads_the_same_numbers(rows):
    text = "".join(f"{a};{b};{str(s).replace('.', ',')}\n" for a, b, s in rows)
    parsed = parse_rows(text, Where("t.csv"), delimiter=";", detect=False, header=False, decimal_comma=True)
    assert parsed.scores == [s for _, _, s in rows]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_word, _word, st.one_of(_score, st.sampled_from(["1.elo", "x", "nan", "inf"]))),
        min_size=1,
        max_size=30,
    )
)
def test_bad_scores_drop_drops_exactly_the_bad_rows(rows):
    text = "".join(f"{a}\t{b}\t{s}\n" for a, b, s in rows)
    parsed = parse_rows(text, Where("t.tsv"), delimiter="\t", detect=False, header=False, bad_scores="drop")
    good = [i for i, (_, _, s) in enumerate(rows, 1) if isinstance(s, float)]
    assert parsed.lines == good
    assert [line for line, _ in parsed.dropped] == [i for i in range(1, len(rows) + 1) if i not in good]


def test_from_file_drops_with_one_counted_warning(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("word1;word2;score\na;b;1,5\nc;d;3.huhti\ne;f;2\ng;h;7.huhti\n", encoding="utf-8")
    with pytest.warns(DroppedRowsWarning) as caught:
        gs = GoldSet.from_file(path, delimiter=";", decimal_comma=True, bad_scores="drop")
    assert len(caught) == 1 and "dropped 2 row(s)" in str(caught[0].message)
    assert gs.pairs == [("a", "b", 1.5), ("e", "f", 2.0)] and gs.dropped_lines == (3, 5)
    with pytest.raises(GoldSetFormatError, match=r"f.csv:3: .*bad_scores='drop'"):
        GoldSet.from_file(path, delimiter=";", decimal_comma=True)
    with pytest.raises(ValueError, match="where must be a mapping"):
        GoldSet.from_file(path, where={"column": 2})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_word, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=6))
def test_multisimlex_split_items_is_exact_when_it_answers(items):
    cell = " ".join(items)
    found = _split_items(cell, len(items), frozenset(items))
    assert found is not None or len(items) > 1  # a single item is always the whole cell
    if found is not None:
        assert len(found) == len(items) and " ".join(found) == cell and set(found) <= set(items)
    if all(" " not in item for item in items):
        assert found == items  # one word per item: the only possible cut


def test_duplicate_policy_of_catalogued_sets_is_explicit(shared_goldsets):
    """Sets with repeated pairs say so in their notes and keep every row silently."""
    for entry in ENTRIES.values():
        if entry.parse.get("duplicates") == "keep" and entry.reader != "multisimlex":
            assert re.search(r"twice|both|repeat|recur|kept", entry.notes), entry.name
    entry = ENTRIES["ws353-rel"]
    relaxed = parse_entry({**_raw(entry), "parse": {"delimiter": "\t", "header": False}})
    with pytest.warns(DuplicatePairWarning, match="bank"):
        read_entry(relaxed, local_paths(relaxed, shared_goldsets))


def _raw(entry) -> dict:
    return {
        "name": entry.name,
        "title": entry.title,
        "language": entry.language,
        "kind": entry.kind,
        "scale": list(entry.scale),
        "n_pairs": entry.n_pairs,
        "citation": entry.citation,
        "licence": entry.licence,
        "files": [{"path": f.path, "sha256": f.sha256, "urls": list(f.urls)} for f in entry.files],
    }
