"""``w2veval goldsets`` and catalog-backed scoring, through the command line and the library."""

import json
import re

import pytest
from _http import LocalServer

from w2veval import goldsets, mean_rho

SPLITS = ("EN-WS-353-ALL.txt", "EN-WS-353-REL.txt", "EN-WS-353-SIM.txt")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty w2veval cache for this test (library and subprocesses)."""
    path = tmp_path / "home"
    monkeypatch.setenv("W2VEVAL_HOME", str(path))
    return path


@pytest.fixture
def imported(home, shared_goldsets, shared_tasks, w2veval_cli):
    for folder in (shared_goldsets, shared_tasks):  # the labelled text sets live in ../shared/tasks
        done = w2veval_cli("goldsets", "import", folder)
        assert done.returncode == 0, done.stderr
    return home


def test_list_json_has_exactly_the_documented_keys(w2veval_cli, home):
    done = w2veval_cli("goldsets", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert all(list(row) == ["name", "language", "kind", "n_pairs", "installed"] for row in rows)
    by_name = {row["name"]: row for row in rows}
    assert by_name["ws353"]["installed"] and not by_name["men"]["installed"]  # gensim's copy works offline
    assert by_name["multisimlex-yue"]["language"] == "yue"
    assert len(rows) == len(goldsets.names())


def test_import_installs_every_catalogued_set(imported, w2veval_cli, shared_goldsets):
    rows = json.loads(w2veval_cli("goldsets", "list", "--format", "json").stdout)
    assert all(row["installed"] for row in rows), [r["name"] for r in rows if not r["installed"]]
    again = w2veval_cli("goldsets", "import", shared_goldsets)
    assert again.returncode == 0 and "0 installed" in again.stdout


def test_show_and_cite(w2veval_cli, home):
    done = w2veval_cli("goldsets", "show", "simverb3500-dev")
    assert done.returncode == 0, done.stderr
    assert "n_pairs:   500" in done.stdout and "parent:    simverb3500" in done.stdout
    cited = w2veval_cli("goldsets", "cite", "ws353", "ws353-sim", "simlex999")
    entries = re.findall(r"^@\w+\{([^,]+),", cited.stdout, flags=re.M)
    assert len(entries) == len(set(entries)) == 3  # WS-353 and Agirre et al. and Hill et al.
    unknown = w2veval_cli("goldsets", "show", "simlex99")
    assert unknown.returncode == 2 and "did you mean 'simlex999'" in unknown.stderr


def test_fetch_through_a_mirror_then_score_by_name(w2veval_cli, home, shared_goldsets, tmp_path, w2v_model):
    with LocalServer(shared_goldsets) as server:
        done = w2veval_cli(
            "goldsets",
            "fetch",
            "men",
            "simverb3500-dev",
            "--no-progress",
            env={"W2VEVAL_MIRROR": server.url, "W2VEVAL_MIRROR_ONLY": "1"},
        )
    assert done.returncode == 0, done.stderr
    installed = sorted(p.name for p in home.rglob("*") if p.is_file() and not p.name.endswith(".lock"))
    assert installed == ["MEN_dataset_natural_form_full", "SimVerb-500-dev.txt"]
    vectors = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    scored = json.loads(
        w2veval_cli("score", vectors, "-g", "men", "-g", "simverb3500-dev", "--format", "json").stdout
    )
    assert [(r["goldset"], r["n_pairs"]) for r in scored] == [("men", 3000), ("simverb3500-dev", 500)]


def test_fetch_failure_leaves_nothing_and_exits_2(w2veval_cli, home, tmp_path):
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    with LocalServer(empty) as server:
        done = w2veval_cli(
            "goldsets",
            "fetch",
            "rg65",
            "--no-progress",
            env={"W2VEVAL_MIRROR": server.url, "W2VEVAL_MIRROR_ONLY": "1"},
        )
    # the mirror answers 404, and W2VEVAL_MIRROR_ONLY keeps the test from trying the original URLs
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "rg65" in done.stderr and "404" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not [p for p in home.rglob("*") if p.is_file() and not p.name.endswith(".lock")]


def test_catalog_replaces_the_gensim_copy_once_installed(imported):
    # goldsets caches what it read: look at the files the loader picks now
    from w2veval.goldsets import _files_on_disk

    files = _files_on_disk(goldsets.entry("ws353"))
    assert str(imported) in str(next(iter(files.values())))


def test_ws353_from_gensim_and_from_the_catalog_score_the_same(
    home, shared_goldsets, w2v_model, w2veval_cli, tmp_path
):
    vectors = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    before = json.loads(w2veval_cli("score", vectors, "-g", "ws353", "--format", "json").stdout)[0]
    assert w2veval_cli("goldsets", "import", shared_goldsets).returncode == 0
    after = json.loads(w2veval_cli("score", vectors, "-g", "ws353", "--format", "json").stdout)[0]
    assert before["goldset_sha256"] != after["goldset_sha256"]  # the result says which file
    assert after["goldset_sha256"] == goldsets.entry("ws353").files[0].sha256
    assert after["spearman"] == pytest.approx(before["spearman"], abs=1e-12)


def test_mean_rho_uses_the_installed_split(imported, w2v_model, shared_goldsets):
    by_catalog = mean_rho(w2v_model.wv)
    by_files = mean_rho(w2v_model.wv, files=[shared_goldsets / "wordvectors_org" / n for n in SPLITS])
    assert by_catalog == pytest.approx(by_files, abs=1e-12)


def test_language_tag_scores_every_installed_german_set(imported, w2veval_cli, tmp_path, w2v_model):
    vectors = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    done = w2veval_cli("score", vectors, "-g", "lang:de", "--format", "json")
    assert done.returncode == 0, done.stderr
    names = sorted(row["goldset"] for row in json.loads(done.stdout))
    expected = sorted(n for n, e in goldsets.catalog().items() if e.language == "de" and e.kind != "analogy")
    assert names == expected and "semeval17-de" in names and "ws353-de" in names


def test_unknown_language_tag_is_a_clear_error(w2veval_cli, home, tmp_path, w2v_model):
    vectors = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    done = w2veval_cli("score", vectors, "-g", "lang:xx")
    assert done.returncode == 2 and "no catalogued gold set has language 'xx'" in done.stderr


def test_malformed_catalog_entry_names_the_entry():
    from w2veval.errors import GoldSetFormatError
    from w2veval.goldsets._catalog import parse_catalog

    with pytest.raises(GoldSetFormatError, match=r"entry 1 \('bad'\): kind 'fuzzy'"):
        parse_catalog(
            '[[goldset]]\nname = "bad"\ntitle = "t"\nlanguage = "en"\nkind = "fuzzy"\n'
            'n_pairs = 3\ncitation = "c"\nlicence = "l"\nfiles = []\n'
        )
    with pytest.raises(GoldSetFormatError, match="sha256"):
        parse_catalog(
            '[[goldset]]\nname = "bad"\ntitle = "t"\nlanguage = "en"\nkind = "mixed"\n'
            'n_pairs = 3\ncitation = "c"\nlicence = "l"\n[[goldset.files]]\npath = "a.txt"\nsha256 = "xyz"\n'
        )


def test_template_validate_agreement_commands(w2veval_cli, tmp_path, w2v_model, shared_goldsets):
    vectors = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    sheet = tmp_path / "sheet.csv"
    done = w2veval_cli("goldsets", "template", vectors, "--n", "30", "-o", sheet)
    assert done.returncode == 0, done.stderr
    lines = sheet.read_text().splitlines()
    assert lines[0] == "word1,word2,score,freq_band,model_similarity,notes" and len(lines) == 31
    checked = w2veval_cli("goldsets", "validate", shared_goldsets / "ws353/combined.csv", "--format", "json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["n_pairs"] == 353
    strict = w2veval_cli("goldsets", "validate", shared_goldsets / "ws353/combined.csv", "--strict")
    assert strict.returncode == 2 and "combined.csv:" in strict.stderr
    raters = w2veval_cli("goldsets", "agreement", shared_goldsets / "ws353/set1.csv", "--format", "json")
    assert raters.returncode == 0, raters.stderr
    assert json.loads(raters.stdout)["n_raters"] == 13


def test_show_says_where_the_built_in_copy_comes_from(w2veval_cli, home):
    import gensim.test.utils

    expected = gensim.test.utils.datapath("wordsim353.tsv")  # gensim's own answer, asked here
    done = w2veval_cli("goldsets", "show", "ws353")
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.strip().startswith("built-in:"))
    assert f"gensim's test data: {expected} (gensim.test.utils.datapath('wordsim353.tsv'))" in line
    assert "used until the catalogued files are fetched or imported" in line
    info = json.loads(w2veval_cli("goldsets", "show", "ws353", "--format", "json").stdout)
    assert info["builtin_copy"] == {
        "source": "gensim",
        "file": "wordsim353.tsv",
        "path": expected,
        "datapath": "gensim.test.utils.datapath('wordsim353.tsv')",
    }
    other = w2veval_cli("goldsets", "show", "rg65")
    assert "built-in:" not in other.stdout
    assert (
        json.loads(w2veval_cli("goldsets", "show", "rg65", "--format", "json").stdout)["builtin_copy"] is None
    )


def test_import_lists_the_files_it_did_not_recognise(w2veval_cli, home, shared_goldsets, tmp_path):
    folder = tmp_path / "copies"
    (folder / "sub").mkdir(parents=True)
    (folder / "rg65.txt").write_bytes((shared_goldsets / "rg65" / "EN-RG-65.txt").read_bytes())
    (folder / "sub" / "mc.txt").write_bytes((shared_goldsets / "mc30" / "EN-MC-30.txt").read_bytes())
    (folder / "simlex.txt").symlink_to(shared_goldsets / "simlex999" / "SimLex-999.txt")  # leaves the folder
    (folder / "notes.txt").write_text("my notes, not a gold set\n", encoding="utf-8")
    edited = (shared_goldsets / "mc30" / "EN-MC-30.txt").read_bytes() + b"extra\tpair\t1\n"
    (folder / "sub" / "mc-edited.txt").write_bytes(edited)
    stray = sorted(str(folder.resolve() / name) for name in ("notes.txt", "sub/mc-edited.txt"))

    done = w2veval_cli("goldsets", "import", folder, "--no-progress")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = lines.index("not recognised (2 file(s) matching no catalogued file):")
    assert sorted(lines[at + 1 : at + 3]) == [f"  {path}" for path in stray]
    assert "complete (2): rg65, mc30" in done.stdout or "complete (2): mc30, rg65" in done.stdout
    assert any(
        line.startswith(f"  {folder / 'simlex.txt'}: a link to ") for line in lines
    )  # skipped, said so

    again = w2veval_cli("goldsets", "import", folder, "--format", "json")  # other sets are still wanted
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert sorted(report["unrecognised"]) == stray and report["installed"] == {}
    assert goldsets.import_dir(folder).to_dict() == report
