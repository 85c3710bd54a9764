"""Score warnings: structured (kind, gold set, vectors, detail), grouped one line per kind by the CLI."""

from __future__ import annotations

import warnings

import pytest

from w2veval import GoldSet, evaluate
from w2veval.scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS
from w2veval.scoring._warnings import MIN_COVERAGE, MIN_SCORED, UnreliableScoreWarning, summarise


def _caught(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [w.message for w in caught if issubclass(w.category, UnreliableScoreWarning)]


def test_the_thresholds_are_the_ranking_rule_s():
    assert (MIN_SCORED, MIN_COVERAGE) == (MIN_RANK_PAIRS, MIN_RANK_COVERAGE)


def test_summarise_groups_by_kind_and_names_each_set():
    made = [
        UnreliableScoreWarning("m", kind="low_coverage", goldset=g, vectors=v, detail=d)
        for g, v, d in (("rw", "a.txt", "0.61"), ("men", "a.txt", "0.74"), ("rw", "b.txt", "0.55"))
    ]
    made.append(
        UnreliableScoreWarning(
            "m", kind="few_pairs", goldset="mc30", vectors="a.txt", detail="12 of 30 pairs"
        )
    )
    assert summarise(made) == [
        "few pairs scored (fewer than 30) on 1 gold set of a.txt: mc30 (12 of 30 pairs); "
        "treat these scores with care",
        "low coverage (below 0.8) on 3 gold sets: rw on a.txt (0.61), men on a.txt (0.74), "
        "rw on b.txt (0.55); "
        "treat these scores with care",
    ]


def test_tied_real_gold_sets_score_without_a_warning(shared_goldsets, glove):
    """MEN (integer means 0-50) was warned about as 'tied'; with GloVe's full coverage nothing is said."""
    men = GoldSet.from_file(shared_goldsets / "men/MEN_dataset_natural_form_full")
    assert len(set(men.scores)) < men.n_pairs / 4  # heavily tied, as designed
    row, caught = _caught(lambda: evaluate(glove, men).iloc[0])
    assert row["coverage"] == 1.0 and caught == []


def test_an_interval_too_wide_to_rank_is_warned_only_where_it_is(shared_goldsets, glove):
    rg65 = GoldSet.from_file(shared_goldsets / "wordvectors_org/EN-RG-65.txt")
    simlex = GoldSet.from_file(shared_goldsets / "simlex999/SimLex-999.txt", columns=(0, 1, 3))
    rows, caught = _caught(lambda: evaluate(glove, [rg65, simlex], ci=0.95, ci_method="fisher"))
    width = {r["goldset"]: r["spearman_hi"] - r["spearman_lo"] for _, r in rows.iterrows()}
    assert width["EN-RG-65"] > 0.2 > width["SimLex-999"]
    (warning,) = caught
    assert (warning.kind, warning.goldset, warning.detail) == (
        "wide_interval",
        "EN-RG-65",
        f"{width['EN-RG-65']:.2f}",
    )


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    from w2veval import load_vectors

    return load_vectors(glove_words_matrix)


def test_the_command_line_prints_one_line_per_kind(w2veval_cli, model_files, shared_goldsets, tmp_path):
    """The Lee model covers about half of each WS-353 file: four low-coverage sets, one line."""
    small = tmp_path / "small.tsv"
    small.write_text("government\tminister\t8\npolice\tofficer\t7\nfire\twater\t3\npeople\tworld\t2\n")
    unknown = tmp_path / "unknown.tsv"
    unknown.write_text("zzqx\tqqzx\t1\nxxqz\tzzxq\t2\nqzqz\txzxz\t3\n")
    sets = [
        "ws353",
        "simlex999",
        shared_goldsets / "wordvectors_org/EN-WS-353-SIM.txt",
        shared_goldsets / "wordvectors_org/EN-WS-353-REL.txt",
        small,
        unknown,
    ]
    args = [a for s in sets for a in ("-g", s)]
    done = w2veval_cli("score", model_files["sg"], *args, "--no-progress", "--format", "json")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert all(line.startswith("w2veval: warning: ") for line in lines)
    by_kind = {line.split(": ")[2].split(" (")[0]: line for line in lines}
    assert sorted(by_kind) == ["few pairs scored", "low coverage", "undefined score"], lines
    assert len(lines) == 3
    low = by_kind["low coverage"]
    assert f"on 4 gold sets of {model_files['sg']}: " in low
    for name in ("ws353 (0.", "simlex999 (0.", "EN-WS-353-SIM (0.", "EN-WS-353-REL (0."):
        assert name in low
    assert "unknown (0 of 3 pairs)" in by_kind["undefined score"]
    assert "small (4 of 4 pairs)" in by_kind["few pairs scored"]
