"""The report's leaderboard ranks only on scores that may rank (issue 11).

A real tiny model (skip-gram trained by gensim on the Lee corpus, the ``w2v_model``
fixture) scores 3 of jobs-domain's 78 pairs at a high rho; real GloVe 6B 50d knows
nearly every pair. A plain mean over the gold sets puts the tiny model first: the
leaderboard must not. Expected counts come from gensim's vocabulary and scipy, not
from w2veval.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats
from _report_html import Page

import w2veval
from w2veval import goldsets
from w2veval.report import ReportInputError, build_report

GOLDSETS = ["ws353", "simlex999", "jobs-domain"]
RESAMPLES = 200


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    return w2veval.WordVectors(*glove_words_matrix)


@pytest.fixture(scope="module")
def tiny(w2v_model):
    return w2veval.WordVectors(list(w2v_model.wv.index_to_key), w2v_model.wv.vectors)


def _known(model, goldset: str) -> tuple[int, int]:
    """Pairs of ``goldset`` whose both (lower-cased) words gensim's model knows, and all pairs."""
    gold = goldsets.load(goldset)
    known = sum(
        w1.lower() in model.wv.key_to_index and w2.lower() in model.wv.key_to_index
        for w1, w2, _ in gold.pairs
    )
    return known, len(gold.pairs)


def _build(sources, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_report(sources, GOLDSETS, n_resamples=RESAMPLES, probes=(), **options)


@pytest.fixture(scope="module")
def strict(tiny, glove):
    return _build({"tiny": tiny, "glove": glove})


@pytest.fixture(scope="module")
def lowered(tiny, glove):
    return _build({"tiny": tiny, "glove": glove}, min_coverage=0.3)


def test_a_plain_mean_would_put_the_tiny_model_first(strict, w2v_model):
    """The bug as it was: the mean over every gold set ranks the tiny model above GloVe."""
    n_jobs, total = _known(w2v_model, "jobs-domain")
    assert n_jobs < 30 and total == 78  # a handful of pairs
    scores = strict.scores.groupby("vectors")["spearman"].mean()
    assert scores["tiny"] > scores["glove"]


def test_no_gold_set_is_rankable_by_default_and_nothing_is_ranked(strict, w2v_model):
    board = strict.leaderboard
    assert strict.ranked_goldsets == []
    assert board["rank"].isna().all() and board["mean_spearman"].isna().all()
    n_ws, all_ws = _known(w2v_model, "ws353")
    assert strict.rank_reasons["ws353"] == (
        f"tiny: coverage {n_ws / all_ws:.2f} is below 0.8 ({n_ws} of {all_ws} pairs)"
    )
    page = Page(strict.to_html())
    ranking = " ".join(page.text)
    assert "No model is ranked: no gold set is one on which every model" in ranking
    assert [c[0]["text"] for c in page.body_rows("leaderboard")] == ["–", "–"]
    assert not any(r["attrs"].get("class") == "best" for r in page.tables["leaderboard"]["rows"])
    text = strict.to_markdown()
    assert "**No model is ranked: no gold set is one on which every model's score may rank**" in text
    assert "| – | tiny | – |" in text and "| – | glove | – |" in text


def test_lowered_thresholds_rank_glove_first_on_the_set_both_pass(lowered, w2v_model, glove):
    board = lowered.leaderboard.set_index("vectors")
    assert lowered.ranked_goldsets == ["ws353"]
    assert list(lowered.leaderboard["vectors"]) == ["glove", "tiny"]
    assert list(lowered.leaderboard["rank"]) == [1, 2]
    # The mean is over ws353 alone: each model's rho there, from gensim and scipy directly.
    gold = goldsets.load("ws353")
    human, sims = [], []
    for w1, w2, score in gold.pairs:
        if w1.lower() in w2v_model.wv.key_to_index and w2.lower() in w2v_model.wv.key_to_index:
            human.append(score)
            sims.append(w2v_model.wv.similarity(w1.lower(), w2.lower()))
    assert board.at["tiny", "mean_spearman"] == pytest.approx(
        scipy.stats.spearmanr(human, sims).statistic, abs=1e-9
    )
    assert board.at["tiny", "ws353_n_scored"] == len(human)
    assert board.at["glove", "ws353_coverage"] == 1.0
    assert board.at["tiny", "ws353_unrankable"] is None
    n_jobs, total = _known(w2v_model, "jobs-domain")
    assert (
        board.at["tiny", "jobs-domain_unrankable"] == f"only {n_jobs} of {total} pairs scored (fewer than 30)"
    )
    assert set(lowered.rank_reasons) == {"simlex999", "jobs-domain"}


def test_greyed_cell_carries_its_reason_and_footnote_in_html(lowered, w2v_model):
    page = Page(lowered.to_html())
    rows = {r[1]["text"]: r for r in page.body_rows("leaderboard")}
    n_jobs, total = _known(w2v_model, "jobs-domain")
    reason = f"only {n_jobs} of {total} pairs scored (fewer than 30)"
    cell = rows["tiny"][2 + 1 + GOLDSETS.index("jobs-domain")]
    assert cell["attrs"]["class"] == "num unrankable"
    assert cell["attrs"]["title"] == f"not ranked: {reason}"
    assert cell["attrs"]["data-unrankable"] == reason
    assert int(cell["attrs"]["data-n-scored"]) == n_jobs
    assert f"{n_jobs}/{total} pairs, coverage {n_jobs / total:.2f}" in cell["text"]
    notes = [
        c for t, k, c in page.attributes if t == "li" and k == "id" and c.startswith("leaderboard-note-")
    ]
    assert notes and f"not ranked: {reason}" in " ".join(page.text)
    # Every score shows its pairs and coverage; scores that may rank are not greyed.
    for cells in rows.values():
        for cell in cells[3 : 3 + len(GOLDSETS)]:  # the gold-set columns
            n, all_pairs = int(cell["attrs"]["data-n-scored"]), int(cell["attrs"]["data-n-pairs"])
            assert f"{n}/{all_pairs} pairs, coverage" in cell["text"]
            assert ("unrankable" in cell["attrs"]["class"]) == ("data-unrankable" in cell["attrs"])
    assert rows["glove"][3]["attrs"]["class"] == "num"
    assert page.tables["leaderboard"]["rows"][1]["attrs"].get("class") == "best"
    assert rows["glove"][0]["text"] == "1"


def test_greyed_cell_is_struck_through_with_its_reason_in_markdown(lowered, w2v_model):
    text = lowered.to_markdown()
    n_jobs, total = _known(w2v_model, "jobs-domain")
    line = next(row for row in text.splitlines() if row.startswith("| 2 | tiny |"))
    assert (
        f"({n_jobs}/{total}, coverage {n_jobs / total:.2f})~~ *not ranked: only {n_jobs} of {total} pairs "
        f"scored (fewer than 30)*" in line
    )
    assert text.index("| 1 | glove |") < text.index("| 2 | tiny |")
    assert "Ranked by mean ρ over the gold sets on which every model's score may rank (ws353)" in text


def test_two_real_models_that_pass_are_ranked_with_the_default_rule(glove):
    """GloVe against its own first 20,000 words: both cover ws353 well, so the default ranks."""
    small = w2veval.WordVectors(glove.words[:20000], glove.vectors[:20000])
    report = build_report({"glove-20k": small, "glove": glove}, ["ws353"], n_resamples=RESAMPLES, probes=())
    assert report.ranked_goldsets == ["ws353"]
    board = report.leaderboard
    expected = sorted(["glove", "glove-20k"], key=lambda m: -board.set_index("vectors").at[m, "ws353"])
    assert list(board["vectors"]) == expected and list(board["rank"]) == [1, 2]


def test_thresholds_out_of_range_are_errors(tiny):
    with pytest.raises(ReportInputError, match=r"min_coverage is a share .* got min_coverage=1.5"):
        build_report({"tiny": tiny}, ["ws353"], min_coverage=1.5)
    with pytest.raises(ReportInputError, match=r"got min_pairs=1"):
        build_report({"tiny": tiny}, ["ws353"], min_pairs=1)


def test_cli_flags_change_the_rule(w2veval_cli, model_files, w2v_model):
    done = w2veval_cli(
        "report",
        model_files["sg"],
        model_files["cbow"],
        "-g",
        "ws353",
        "-g",
        "jobs-domain",
        "--format",
        "markdown",
        "--no-probes",
        "--resamples",
        "100",
        "--min-coverage",
        "0.3",
        "--min-pairs",
        "30",
        "--no-progress",
    )
    assert done.returncode == 0, done.stderr
    assert (
        "every model's score may rank (ws353): a score ranks only if it stands on at least 30 scored "
        "pairs and at least 0.3 of its gold set's pairs" in done.stdout
    )
    n_jobs, total = _known(w2v_model, "jobs-domain")
    assert f"*not ranked: only {n_jobs} of {total} pairs scored (fewer than 30)*" in done.stdout
    strict = w2veval_cli(
        "report",
        model_files["sg"],
        "-g",
        "ws353",
        "--format",
        "markdown",
        "--no-probes",
        "--resamples",
        "100",
        "--no-progress",
    )
    assert "Lower the thresholds (`--min-pairs`, `--min-coverage` on the command line" in strict.stdout
    bad = w2veval_cli("report", model_files["sg"], "--min-coverage", "1.5")
    assert bad.returncode == 2  # argparse's usage, then its one error line
    assert bad.stderr.splitlines()[-1] == (
        "w2veval report: error: argument --min-coverage: must be a number from 0 to 1, got '1.5'"
    )
    assert "--min-coverage SHARE" in w2veval_cli("report", "--help").stdout


def test_greyed_cell_is_grey_in_headless_chromium(tmp_path, lowered):
    """The page rendered for real: the greyed cells' background colour is on the screenshot."""
    import matplotlib.image
    from test_report_render import _screenshot

    page = tmp_path / "report.html"
    lowered.write(page)
    shot = tmp_path / "shot.png"
    done = _screenshot(page, shot, tmp_path / "profile", height=1400)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = (matplotlib.image.imread(shot)[..., :3] * 255).round().astype(int)
    grey = (pixels == np.array([0xF2, 0xF3, 0xF5])).all(axis=-1)
    assert grey.sum() > 2000  # the greyed cells of the tiny model
    without = tmp_path / "plain.html"
    without.write_text(lowered.to_html().replace("td.unrankable {", "td.unused {"), encoding="utf-8")
    plain = tmp_path / "plain.png"
    assert _screenshot(without, plain, tmp_path / "profile2", height=1400).returncode == 0
    plain_grey = (
        (matplotlib.image.imread(plain)[..., :3] * 255).round().astype(int) == np.array([0xF2, 0xF3, 0xF5])
    ).all(axis=-1)
    assert grey.sum() > 2000 + 10 * plain_grey.sum()  # the odd anti-aliased pixel elsewhere
    assert not math.isnan(lowered.leaderboard.at[0, "rank"])


def test_forest_plot_draws_unrankable_scores_as_hollow_grey_points(lowered):
    """The same scores drawn with the report's rule and with a rule every score passes: only the
    first has grey markers (the dashed zero line is grey in both)."""
    import io

    import matplotlib.image

    from w2veval.report._plots import leaderboard_png

    def grey_pixels(png: bytes) -> int:
        pixels = (matplotlib.image.imread(io.BytesIO(png))[..., :3] * 255).round().astype(int)
        return int((pixels == np.array([0x7F, 0x7F, 0x7F])).all(axis=-1).sum())

    greyed = grey_pixels(leaderboard_png(lowered.scores, 0.95, 30, 0.3))
    plain = grey_pixels(leaderboard_png(lowered.scores, 0.95, 2, 0.0))
    assert greyed > plain + 50
