"""``nearest_neighbours`` and ``w2veval neighbours``: words matched as ``score`` matches them,
neighbours as gensim's ``most_similar`` finds them, unknown words reported in place."""

from __future__ import annotations

import json

import numpy as np
import pytest

from w2veval import WordVectors, load_vectors
from w2veval.cli import main
from w2veval.matching import MatchRules
from w2veval.neighbours import nearest_neighbours


@pytest.fixture(scope="module")
def cased(w2v_model, tmp_path_factory):
    """The skip-gram vectors with an upper-case twin of "government" (a near copy) ranked first,
    as a cased corpus has "GOVERNMENT" in headlines: ``(path, words, matrix)``."""
    kv = w2v_model.wv
    rng = np.random.default_rng(3)
    twin = kv["government"] + 0.3 * rng.standard_normal(kv.vector_size).astype(np.float32)
    words = ["GOVERNMENT", *kv.index_to_key]
    matrix = np.vstack([twin, kv.vectors]).astype(np.float32)
    path = tmp_path_factory.mktemp("cased") / "cased.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{len(words)} {kv.vector_size}\n")
        for word, row in zip(words, matrix, strict=True):
            fh.write(word + " " + " ".join(repr(float(x)) for x in row) + "\n")
    return path, words, matrix


def _gensim_neighbours(words, matrix, word, k):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(matrix.shape[1])
    kv.add_vectors(words, matrix)
    return kv.most_similar(word, topn=k)


def test_each_word_gets_its_vocabulary_word_and_gensims_neighbours(cased):
    _, words, matrix = cased
    results = nearest_neighbours(
        WordVectors(words, matrix), ["government", "Government", "GOVERNMENT", "no-such-word"], k=5
    )
    assert [(r.word, r.match, r.found) for r in results] == [
        ("government", "government", True),  # the exact form, though "GOVERNMENT" is more frequent
        ("Government", "GOVERNMENT", True),  # no exact form: the most frequent case variant
        ("GOVERNMENT", "GOVERNMENT", True),
        ("no-such-word", None, False),
    ]
    for r in results[:3]:
        expected = _gensim_neighbours(words, matrix, r.match, 5)
        assert [w for w, _ in r.neighbours] == [w for w, _ in expected]
        assert [s for _, s in r.neighbours] == pytest.approx([s for _, s in expected], abs=1e-6)
    assert results[3].neighbours == () and results[3].rows()[0]["neighbour"] is None


def test_matching_rules_choose_the_vector(cased):
    _, words, matrix = cased
    wv = WordVectors(words, matrix)
    gensim = nearest_neighbours(wv, ["government"], k=3, matching=MatchRules(case="gensim"))[0]
    sensitive = nearest_neighbours(
        wv, ["Government", "government"], k=3, matching=MatchRules(case="sensitive")
    )
    accents = nearest_neighbours(wv, ["góvernment"], k=3, matching=MatchRules(accents=False))[0]
    assert gensim.match == "GOVERNMENT"  # str.upper(), the first variant wins
    assert [r.match for r in sensitive] == [None, "government"]
    assert accents.match == "government"
    assert nearest_neighbours(wv, ["góvernment"], k=3)[0].match is None


def test_cli_reports_unknown_words_in_place_and_shows_the_match(cased, capsys):
    path = str(cased[0])
    assert (
        main(["neighbours", path, "Government", "government", "no-such-word", "-k", "3", "--no-progress"])
        == 0
    )
    out = capsys.readouterr().out
    assert "Government → GOVERNMENT\n" in out and "\ngovernment\nrank" in out
    assert "no-such-word: not in the vocabulary" in out
    assert out.index("Government →") < out.index("\ngovernment\n") < out.index("no-such-word")


def test_cli_json_equals_the_library(cased, capsys):
    path, _words, _matrix = cased
    assert (
        main(
            [
                "neighbours",
                str(path),
                "Government",
                "no-such-word",
                "-k",
                "4",
                "--format",
                "json",
                "--no-progress",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    expected = [
        row
        for r in nearest_neighbours(load_vectors(path), ["Government", "no-such-word"], k=4)
        for row in r.rows()
    ]
    assert [{k: v for k, v in row.items() if k != "similarity"} for row in rows] == [
        {k: v for k, v in row.items() if k != "similarity"} for row in expected
    ]
    assert rows[-1] == {
        "word": "no-such-word",
        "match": None,
        "found": False,
        "rank": None,
        "neighbour": None,
        "similarity": None,
    }
    assert [r["similarity"] for r in rows[:4]] == pytest.approx([r["similarity"] for r in expected[:4]])


@pytest.mark.parametrize(
    "options, match",
    [
        ([], "GOVERNMENT"),
        (["--case", "gensim"], "GOVERNMENT"),
        (["--case-sensitive"], None),
        (["--case", "sensitive"], None),
    ],
)
def test_cli_case_options(cased, capsys, options, match):
    status = main(
        ["neighbours", str(cased[0]), "Government", "-k", "2", "--format", "json", "--no-progress", *options]
    )
    captured = capsys.readouterr()
    if match is None:
        assert status == 2 and captured.out == ""
        assert captured.err.strip().splitlines() == [
            f"w2veval: error: {cased[0]}: the word 'Government' is not in the vocabulary"
        ]
    else:
        assert status == 0 and {row["match"] for row in json.loads(captured.out)} == {match}


def test_cli_accents_and_phrases(lee_sentences, tmp_path, capsys):
    """A model with real phrase tokens (gensim's Phrases on the Lee corpus): 'prime minister'
    finds 'prime_minister' unless --no-phrases; 'mínister' finds 'minister' with --ignore-accents."""
    from gensim.models import Word2Vec
    from gensim.models.phrases import Phrases

    bigrams = Phrases(lee_sentences, min_count=5, threshold=10)
    model = Word2Vec(bigrams[lee_sentences], vector_size=16, min_count=3, epochs=2, seed=2, workers=1)
    assert "prime_minister" in model.wv.key_to_index and "minister" in model.wv.key_to_index
    path = tmp_path / "phrases.txt"
    model.wv.save_word2vec_format(path)
    run = [
        "neighbours",
        str(path),
        "prime minister",
        "mínister",
        "-k",
        "2",
        "--format",
        "json",
        "--no-progress",
    ]
    assert main(run) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["word"], r["match"]) for r in rows} == {
        ("prime minister", "prime_minister"),
        ("mínister", None),
    }
    assert main([*run, "--ignore-accents", "--no-phrases"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["word"], r["match"]) for r in rows} == {("prime minister", None), ("mínister", "minister")}


def test_subprocess_exit_status_and_one_error_line(cased, w2veval_cli):
    done = w2veval_cli("neighbours", cased[0], "government", "nope", "-k", "2", "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "nope: not in the vocabulary" in done.stdout
    done = w2veval_cli("neighbors", cased[0], "nope", "nada", "--no-progress")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"w2veval: error: {cased[0]}: none of the words 'nope', 'nada' is in the vocabulary"
    ]


def test_every_option_has_help():
    from w2veval.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    for action in commands.choices["neighbours"]._actions:
        assert action.help, action.option_strings or action.dest
