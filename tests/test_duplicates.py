"""Repeated pairs in gold-set files: keep, mean or error; published files read as the catalog reads them."""

from __future__ import annotations

import hashlib
import json
import warnings

import pytest
from scipy.stats import spearmanr

from w2veval import GoldSet, GoldSetFormatError, evaluate
from w2veval.goldsets import DuplicatePairWarning, entry

ALL = "wordvectors_org/EN-WS-353-ALL.txt"


@pytest.fixture(scope="module")
def blazingtext_all(shared_goldsets):
    return shared_goldsets / ALL


@pytest.fixture
def conflicting(tmp_path):
    """A user's own file: money-cash three times (once reversed), with different scores."""
    path = tmp_path / "mine.tsv"
    path.write_text(
        "money\tcash\t9\ncat\tdog\t7\ncash\tmoney\t8\nmoney\tcash\t6.5\ncar\ttrain\t5\n", encoding="utf-8"
    )
    return path


def test_blazingtext_ws353_all_is_a_declared_copy_of_ws353(shared_goldsets, blazingtext_all):
    sums = dict(
        reversed(line.split(None, 1)) for line in (shared_goldsets / "SHA256SUMS").read_text().splitlines()
    )
    (copy,) = entry("ws353").copies
    assert copy.path == ALL and copy.sha256 == sums[ALL]
    assert hashlib.sha256(blazingtext_all.read_bytes()).hexdigest() == copy.sha256


def test_blazingtext_ws353_all_reads_by_path_as_mean_rho_reads_it(blazingtext_all):
    """Issue 11: `GoldSet.from_file(EN-WS-353-ALL.txt)` refused line 98 (money-cash, 9.08 after 9.15)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # kept silently, as the catalog keeps ws353's rows
        gold = GoldSet.from_file(blazingtext_all)
    assert gold.n_pairs == 353
    assert [
        (s, line)
        for a, b, s, line in zip(gold.word1, gold.word2, gold.scores, gold.lines, strict=True)
        if (a, b) == ("money", "cash")
    ] == [(9.15, 32), (9.08, 98)]
    assert gold.pairs == GoldSet.from_file(blazingtext_all, duplicates="keep").pairs  # mean_rho's reading


def test_score_reads_blazingtext_ws353_all_given_as_a_path(w2veval_cli, model_files, blazingtext_all):
    done = w2veval_cli("score", model_files["sg"], "-g", blazingtext_all, "--format", "json", "--no-progress")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["goldset"] == "EN-WS-353-ALL" and row["n_pairs"] == 353


def test_a_user_file_with_conflicting_rows_is_an_error_that_says_why(conflicting):
    with pytest.raises(GoldSetFormatError) as info:
        GoldSet.from_file(conflicting)
    text = str(info.value)
    assert info.value.path == str(conflicting) and info.value.line == 4
    assert text.startswith(f"{conflicting}:4: conflicting duplicate pair ('money', 'cash') at lines 1 and 4")
    assert "a user file with conflicting duplicate rows is an error by default" in text
    assert "duplicates='keep'" in text and "duplicates='mean'" in text


def test_the_command_line_names_the_flags(w2veval_cli, model_files, conflicting):
    done = w2veval_cli("score", model_files["sg"], "-g", conflicting, "--no-progress")
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"w2veval: error: {conflicting}:4: conflicting duplicate pair")
    assert (
        "a user file with conflicting duplicate rows is an error by default; pass --duplicates keep" in line
    )
    assert "--duplicates mean" in line


def test_mean_merges_every_row_of_a_pair_into_its_mean(conflicting):
    gold = GoldSet.from_file(conflicting, duplicates="mean")
    # by hand: money-cash is rated 9, 8 (reversed) and 6.5; it stays at its first line
    assert gold.pairs == [("money", "cash", (9 + 8 + 6.5) / 3), ("cat", "dog", 7.0), ("car", "train", 5.0)]
    assert gold.lines == (1, 2, 5)
    kept = GoldSet.from_file(conflicting, duplicates="keep")
    assert kept.scores == (9.0, 7.0, 8.0, 6.5, 5.0)
    with pytest.warns(DuplicatePairWarning):  # the old spelling still works
        assert GoldSet.from_file(conflicting, duplicates="warn").n_pairs == 5


def test_mean_on_the_command_line_scores_the_merged_pairs(w2veval_cli, model_files, w2v_model, tmp_path):
    path = tmp_path / "repeats.tsv"
    rows = [
        ("government", "minister", 8),
        ("police", "officer", 7),
        ("government", "minister", 6),
        ("minister", "government", 9),
        ("fire", "water", 3),
        ("police", "fire", 4),
        ("people", "world", 2),
    ]
    path.write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in rows), encoding="utf-8")
    done = w2veval_cli(
        "score", model_files["sg"], "-g", path, "--duplicates", "mean", "--format", "json", "--no-progress"
    )
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    merged = {
        ("government", "minister"): (8 + 6 + 9) / 3,
        ("police", "officer"): 7,
        ("fire", "water"): 3,
        ("police", "fire"): 4,
        ("people", "world"): 2,
    }
    kv = w2v_model.wv
    expected = spearmanr(list(merged.values()), [kv.similarity(a, b) for a, b in merged]).statistic
    assert row["n_pairs"] == 5 and row["spearman"] == pytest.approx(expected, abs=1e-6)
    assert evaluate(kv, GoldSet.from_file(path, duplicates="mean")).loc[0, "n_pairs"] == 5
