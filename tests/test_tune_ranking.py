"""Local tuning on the real Lee corpus: pairs scored and coverage per trial, the ranking rule
in the results table and the best trial, and the pre-flight check of corpus against space.

Expected counts come from gensim's own vocabulary (``Word2Vec.build_vocab`` with the
trial's ``min_count``), not from w2veval.
"""

from __future__ import annotations

import math
import warnings

import pytest

pytest.importorskip("optuna")

from w2veval import goldsets
from w2veval.space import BLAZINGTEXT_RANGES, Integer, SearchSpace
from w2veval.tune import TuneError, results, run
from w2veval.tune._preflight import corpus_coverage, preflight
from w2veval.tune._results import best_trial
from w2veval.tune._storage import load_study, open_storage

GOLDSETS = ("ws353", "simlex999")
SPACE = SearchSpace([Integer("vector_dim", 10, 12), Integer("min_count", 1, 6)])
FIXED = {"mode": "cbow", "epochs": 1, "window_size": 2}


def corpus_path() -> str:
    from gensim.test.utils import datapath

    return datapath("lee_background.cor")


def _sentences():
    with open(corpus_path(), encoding="utf-8") as fh:
        return [line.split() for line in fh if line.split()]


def gensim_pairs(min_count: int, goldset: str) -> tuple[int, int]:
    """Pairs of ``goldset`` whose both words (case-folded) gensim keeps with ``min_count``."""
    from gensim.models import Word2Vec

    model = Word2Vec(min_count=min_count, workers=1)
    model.build_vocab(_sentences())
    known = {w.casefold() for w in model.wv.key_to_index}
    gold = goldsets.load(goldset)
    return sum(a.casefold() in known and b.casefold() in known for a, b, _ in gold.pairs), len(gold.pairs)


@pytest.fixture(scope="module")
def study(tmp_path_factory, module_home):
    storage = f"sqlite:///{tmp_path_factory.mktemp('rank') / 'study.db'}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the pre-flight's warning (tested below)
        table = run(
            corpus_path(),
            "1*ws353+1*simlex999",
            trials=4,
            storage=storage,
            study="rank",
            seed=3,
            threads=1,
            space=SPACE,
            fixed=FIXED,
            progress=False,
        )
    return storage, table


def test_each_trial_records_pairs_scored_and_coverage_as_gensim_counts_them(study):
    _, table = study
    for row in table.to_dict("records"):
        counts = [gensim_pairs(int(row["min_count"]), g) for g in GOLDSETS]
        assert row["n_scored"] == min(n for n, _ in counts)
        assert row["coverage"] == pytest.approx(min(n / total for n, total in counts), abs=1e-12)


def test_with_the_default_rule_no_lee_trial_ranks_and_none_is_the_best(study):
    storage, table = study
    assert not table["rankable"].any()
    for row in table.to_dict("records"):
        assert "coverage" in row["note"] and "is below 0.8" in row["note"]
        assert row["note"].startswith("ws353: ") or row["note"].startswith("simlex999: ")
    opened = load_study(open_storage(storage, create=False), storage, "rank")
    assert best_trial(opened) is None
    assert opened.best_trial is not None  # Optuna's own best ignores the rule


def test_unrankable_trials_are_listed_after_rankable_ones_and_never_best(study):
    storage, table = study
    coverages = sorted(set(table["coverage"]))
    assert len(coverages) > 1  # min_count differs between the trials
    threshold = coverages[len(coverages) // 2]
    lowered = results(storage, "rank", min_coverage=threshold)
    assert list(lowered["rankable"]) == sorted(lowered["rankable"], reverse=True)
    assert list(lowered["rankable"]) == [c >= threshold for c in lowered["coverage"]]
    ranked = lowered[lowered["rankable"]]
    assert list(ranked["objective"]) == sorted(ranked["objective"], reverse=True)
    opened = load_study(open_storage(storage, create=False), storage, "rank")
    best = best_trial(opened, min_coverage=threshold)
    assert best.number == lowered.iloc[0]["trial"] and best.value == ranked["objective"].max()
    for row in lowered[~lowered["rankable"]].to_dict("records"):
        assert f"is below {threshold:g}" in row["note"]


def test_results_cli_prints_the_rank_columns(study, w2veval_cli):
    import json

    storage, table = study
    done = w2veval_cli("tune", "results", "--storage", storage, "--study", "rank", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["trial"] for r in rows] == list(table["trial"])
    assert [r["n_scored"] for r in rows] == list(table["n_scored"])
    assert [r["rankable"] for r in rows] == [False] * len(rows)
    assert all(r["note"] for r in rows)
    threshold = sorted(set(table["coverage"]))[-1]
    lowered = w2veval_cli(
        "tune",
        "results",
        "--storage",
        storage,
        "--study",
        "rank",
        "--format",
        "json",
        "--min-coverage",
        str(threshold),
        "--min-pairs",
        "2",
    )
    assert lowered.returncode == 0, lowered.stderr
    expected = results(storage, "rank", min_coverage=threshold, min_pairs=2)
    rows = json.loads(lowered.stdout)
    assert [r["trial"] for r in rows] == list(expected["trial"])
    assert [r["rankable"] for r in rows] == list(expected["rankable"]) and rows[0]["rankable"]


# --- the pre-flight -------------------------------------------------------------------------------


def test_preflight_counts_what_gensim_keeps():
    gold = [goldsets.load(g) for g in GOLDSETS]
    coverage = corpus_coverage(corpus_path(), gold)
    for min_count in (1, 5, 24):
        for goldset in GOLDSETS:
            assert coverage.n_scored(goldset, min_count) == gensim_pairs(min_count, goldset)[0]


def test_default_ranges_on_a_small_corpus_warn_in_one_line_what_to_change(tmp_path, module_home):
    """SageMaker's min_count 20 to 50 on the Lee corpus: some trials cannot be scored at all."""
    gold = [goldsets.load("ws353")]
    message = preflight(corpus_path(), gold, BLAZINGTEXT_RANGES, 5)
    assert "\n" not in message
    assert message.startswith("lee_background.cor has ") and "with min_count up to 50 only " in message
    largest = int(message.split("above ")[-1].split(" ")[0])
    assert gensim_pairs(largest, "ws353")[0] >= 2 and gensim_pairs(largest + 1, "ws353")[0] < 2
    assert message.endswith(
        f"lower the min_count range to ≤ {largest} for trials to be scored, and use a "
        "larger corpus (or gold sets its words cover) for them to rank"
    )
    storage = tmp_path / "w.db"
    with pytest.warns(UserWarning, match="none can be scored"):
        run(
            corpus_path(),
            "1*ws353",
            trials=1,
            storage=f"sqlite:///{storage}",
            study="w",
            threads=1,
            space=SearchSpace([Integer("min_count", 20, 50)]),
            fixed=FIXED,
            progress=False,
        )


def test_a_space_that_is_partly_hopeless_names_the_min_count_that_ranks():
    gold = [goldsets.load("ws353")]
    space = SearchSpace([Integer("min_count", 1, 100)])
    message = preflight(corpus_path(), gold, space, 5, min_coverage=0.3)
    largest = int(message.split("trials with min_count above ")[1].split(" ")[0])
    n, total = gensim_pairs(largest, "ws353")
    assert n / total >= 0.3 and gensim_pairs(largest + 1, "ws353")[0] / total < 0.3
    assert f"lower the min_count range to ≤ {largest} or use a larger corpus" in message


def test_a_space_that_is_fine_passes_silently():
    gold = [goldsets.load("ws353")]
    n, total = gensim_pairs(2, "ws353")
    share = math.floor(n / total * 100) / 100
    assert (
        preflight(corpus_path(), gold, SearchSpace([Integer("min_count", 1, 2)]), 5, min_coverage=share)
        is None
    )


def test_a_hopeless_space_is_an_error_before_any_trial(tmp_path, module_home):
    storage = tmp_path / "x.db"
    with pytest.raises(
        TuneError,
        match=r"with min_count 400 only \d+ survive and ws353 has [01] of 353 "
        r"pairs covered: no trial can be scored; lower the min_count range "
        r"to ≤ \d+",
    ):
        run(
            corpus_path(),
            "1*ws353",
            trials=1,
            storage=f"sqlite:///{storage}",
            study="x",
            threads=1,
            space=SearchSpace([Integer("min_count", 400, 500)]),
            fixed=FIXED,
            progress=False,
        )
    assert not storage.exists()


def test_the_report_names_no_best_trial_when_none_may_rank(study):
    from _report_html import Page

    from w2veval.report import build_report

    storage, table = study
    report = build_report(storage=storage, study="rank", probes=())
    assert report.tuning[0].best is None
    page = Page(report.to_html())
    rows = page.tables["tuning-study-rank"]["rows"]
    assert not any(r["attrs"].get("class") == "best" for r in rows)
    assert (
        f"{len(table)} rows, {len(table)} with an objective, none of which stands on enough pairs to rank"
        in " ".join(page.text)
    )
    assert "n_scored" in page.header("tuning-study-rank") and "note" in page.header("tuning-study-rank")
    assert "No row stands on enough pairs to rank (see the note column): no best" in report.to_markdown()


def test_a_hopeless_space_on_the_command_line_is_one_line_naming_the_option(
    tmp_path, module_home, w2veval_cli
):
    storage = tmp_path / "cli.db"
    done = w2veval_cli(
        "tune",
        "run",
        corpus_path(),
        "--trials",
        "1",
        "-g",
        "ws353",
        "--range",
        "min_count=400:500",
        "--set",
        "mode=cbow",
        "--storage",
        f"sqlite:///{storage}",
        "--no-progress",
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    largest = int(done.stderr.rsplit("=1:", 1)[1].rstrip(")\n"))
    assert gensim_pairs(largest, "ws353")[0] >= 2 and gensim_pairs(largest + 1, "ws353")[0] < 2
    assert done.stderr.startswith("w2veval: error: lee_background.cor has ")
    assert done.stderr.endswith(
        f"no trial can be scored; lower the min_count range to ≤ {largest} (--range min_count=1:{largest})\n"
    )
    assert not storage.exists()


def test_the_progress_bar_never_shows_an_unrankable_trial_as_best(tmp_path, module_home, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = run(
            corpus_path(),
            "1*ws353",
            trials=1,
            storage=f"sqlite:///{tmp_path / 'bar.db'}",
            study="bar",
            threads=1,
            space=SearchSpace([Integer("vector_dim", 10, 12)]),
            fixed={**FIXED, "min_count": 2},
            progress=True,
        )
    assert list(table["state"]) == ["COMPLETE"] and not table["rankable"].any()
    err = capsys.readouterr().err
    assert "best=none rankable" in err and f"best={table['objective'].iloc[0]:.4f}" not in err
