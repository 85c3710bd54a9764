"""build_report and its HTML/Markdown: the page's numbers against evaluate/compare and gensim.

Two real models (skip-gram and CBOW trained with gensim on the Lee corpus) saved as
word2vec text files are the vectors inputs. The HTML is parsed with the standard
library's html.parser; every number in it is compared with ``w2veval.evaluate`` /
``w2veval.compare`` computed here, or with gensim and scipy directly.
"""

from __future__ import annotations

import base64
import io
import math
import re
import warnings

import numpy as np
import pytest
import scipy.stats
from _report_html import Page

import w2veval
from w2veval import goldsets
from w2veval.report import ReportInputError, ReportSourceError, build_report
from w2veval.scoring import UnreliableScoreWarning

GOLDSETS = ["ws353", "simlex999"]
RESAMPLES = 1000
PROBES = ("family", "sad", "tiger")  # the Lee corpus has no tiger


def _float(cell: dict, key: str) -> float:
    return float(cell["attrs"][f"data-{key}"])


@pytest.fixture(scope="module")
def report(model_files):
    # The Lee models cover a quarter to a half of the gold sets: below the default ranking rule
    # (coverage 0.8), so the rule is lowered here to keep a ranking (test_report_ranking.py tests it).
    return build_report(
        [model_files["sg"], model_files["cbow"]],
        GOLDSETS,
        probes=PROBES,
        n_resamples=RESAMPLES,
        seed=0,
        min_coverage=0.2,
    )


@pytest.fixture(scope="module")
def html(report):
    return report.to_html()


@pytest.fixture(scope="module")
def page(html):
    return Page(html)


@pytest.fixture(scope="module")
def expected_scores(model_files):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableScoreWarning)  # the Lee models know few gold-set words
        return w2veval.evaluate(
            {"sg.txt": model_files["sg"], "cbow.txt": model_files["cbow"]},
            GOLDSETS,
            ci=0.95,
            n_resamples=RESAMPLES,
            seed=0,
        )


def test_leaderboard_numbers_are_those_of_evaluate(page, expected_scores):
    rows = page.body_rows("leaderboard")
    assert page.header("leaderboard") == ["#", "model", "mean ρ", *GOLDSETS]
    means = expected_scores.groupby("vectors", sort=False)["spearman"].mean().sort_values(ascending=False)
    assert [r[1]["text"] for r in rows] == list(means.index)  # best mean first
    assert [r[0]["text"] for r in rows] == ["1", "2"]
    for cells in rows:
        model = cells[1]["text"]
        assert _float(cells[2], "mean-spearman") == pytest.approx(means[model], abs=1e-12)
        assert cells[2]["text"] == f"{means[model]:.3f}"
        for cell, goldset in zip(cells[3:], GOLDSETS, strict=True):
            row = expected_scores[
                (expected_scores["vectors"] == model) & (expected_scores["goldset"] == goldset)
            ].iloc[0]
            assert cell["attrs"]["data-goldset"] == goldset
            assert _float(cell, "spearman") == row["spearman"]
            assert _float(cell, "lo") == row["spearman_lo"] and _float(cell, "hi") == row["spearman_hi"]
            assert cell["text"] == (
                f"{row['spearman']:.3f} [{row['spearman_lo']:.3f}, {row['spearman_hi']:.3f}]"
                f"{row['n_scored']}/{row['n_pairs']} pairs, coverage {row['coverage']:.2f}"
            )
            assert row["spearman_lo"] <= row["spearman"] <= row["spearman_hi"]


def test_leaderboard_rho_matches_gensim_and_scipy(report, w2v_model):
    """An oracle outside w2veval: gensim's similarity and scipy's Spearman on the known pairs."""
    for goldset in GOLDSETS:
        gold = goldsets.load(goldset)
        human, sims = [], []
        for w1, w2, score in gold.pairs:
            w1, w2 = w1.lower(), w2.lower()
            if w1 in w2v_model.wv.key_to_index and w2 in w2v_model.wv.key_to_index:
                human.append(score)
                sims.append(w2v_model.wv.similarity(w1, w2))
        board = report.leaderboard.set_index("vectors")
        assert board.at["sg.txt", goldset] == pytest.approx(
            scipy.stats.spearmanr(human, sims).statistic, abs=1e-9
        )
        coverage = report.coverage.set_index(["vectors", "goldset"])
        assert coverage.at[("sg.txt", goldset), "n_scored"] == len(human)


def test_matrix_cells_are_those_of_compare(page, model_files, report):
    expected = w2veval.compare(
        model_files["sg"], model_files["cbow"], GOLDSETS, n_resamples=RESAMPLES, seed=0, level=0.95
    ).set_index("goldset")
    assert (
        report.comparisons[["delta", "p_holm"]].to_numpy().tolist()
        == expected[["delta", "p_holm"]].to_numpy().tolist()
    )
    for goldset in GOLDSETS:
        table = f"matrix-{goldset}"
        assert page.tables[table]["attrs"]["data-goldset"] == goldset
        assert page.header(table) == ["row − column", "sg.txt", "cbow.txt"]
        (sg_row, cbow_row) = page.body_rows(table)
        assert [sg_row[0]["text"], cbow_row[0]["text"]] == ["sg.txt", "cbow.txt"]
        assert sg_row[1]["text"] == "—" and cbow_row[2]["text"] == "—"
        e = expected.loc[goldset]
        forward, backward = sg_row[2], cbow_row[1]
        assert _float(forward, "delta") == e["delta"] and _float(backward, "delta") == -e["delta"]
        assert (_float(forward, "delta-lo"), _float(forward, "delta-hi")) == (e["delta_lo"], e["delta_hi"])
        assert (_float(backward, "delta-lo"), _float(backward, "delta-hi")) == (
            -e["delta_hi"],
            -e["delta_lo"],
        )
        assert _float(forward, "p-holm") == e["p_holm"] == _float(backward, "p-holm")
        assert int(forward["attrs"]["data-n-common"]) == e["n_common"]
        assert forward["text"].startswith(f"{e['delta']:.3f}")
        assert f"n = {int(e['n_common'])}" in forward["text"]
        significant = e["p_holm"] < 0.05
        assert ("better" in forward["attrs"]["class"]) == (significant and e["delta"] > 0)
        assert ("worse" in forward["attrs"]["class"]) == (significant and e["delta"] < 0)
        assert ("not-sig" in forward["attrs"]["class"]) == (not significant)


def _independent_pairs(model, goldset):
    """(word1, word2, human, cosine, gap) of each scored pair: gensim and scipy only."""
    gold = goldsets.load(goldset)
    known = [
        (w1, w2, s, float(model.wv.similarity(w1.lower(), w2.lower())))
        for w1, w2, s in gold.pairs
        if w1.lower() in model.wv.key_to_index and w2.lower() in model.wv.key_to_index
    ]
    human = scipy.stats.rankdata([k[2] for k in known])
    cosine = scipy.stats.rankdata([k[3] for k in known])
    return [
        (w1, w2, s, c, (rc - rh) / len(known))
        for (w1, w2, s, c), rh, rc in zip(known, human, cosine, strict=True)
    ]


def test_worst_ranked_pairs_match_an_independent_ranking(page, report, w2v_model, cbow_model):
    for goldset in GOLDSETS:
        rows = page.body_rows(f"pairs-{goldset}")
        for name, model in (("sg.txt", w2v_model), ("cbow.txt", cbow_model)):
            mine = [r for r in rows if r[0]["text"] == name]
            assert len(mine) == 5
            pairs = _independent_pairs(model, goldset)
            gaps = {(w1, w2): gap for w1, w2, _, _, gap in pairs}
            largest = sorted((abs(g) for g in gaps.values()), reverse=True)[:5]
            listed = []
            for cells in mine:
                w1, w2 = cells[1]["text"].split(" – ")
                listed.append(abs(gaps[(w1, w2)]))
                assert cells[6]["text"] == f"{gaps[(w1, w2)]:+.2f}"
            assert listed == pytest.approx(largest, abs=1e-12)  # the five largest gaps, worst first


def test_pair_frame_cosines_are_gensim_similarities(report, w2v_model):
    mine = report.pairs[(report.pairs["vectors"] == "sg.txt") & (report.pairs["goldset"] == "ws353")]
    assert len(mine) == goldsets.load("ws353").n_pairs
    for row in mine.itertuples():
        w1, w2 = row.word1.lower(), row.word2.lower()
        if w1 in w2v_model.wv.key_to_index and w2 in w2v_model.wv.key_to_index:
            assert row.cosine == pytest.approx(float(w2v_model.wv.similarity(w1, w2)), abs=1e-6)
        else:
            assert math.isnan(row.cosine) and math.isnan(row.rank_gap)


def test_neighbours_side_by_side_match_gensim(page, w2v_model, cbow_model):
    assert page.header("neighbours-family") == ["#", "sg.txt", "cbow.txt"]
    for probe in ("family", "sad"):
        rows = page.body_rows(f"neighbours-{probe}")
        assert page.tables[f"neighbours-{probe}"]["attrs"]["data-probe"] == probe
        for column, model in ((1, w2v_model), (2, cbow_model)):
            expected = model.wv.most_similar(probe, topn=10)
            shown = [(r[column]["text"].rsplit(" ", 1)[0], _float(r[column], "similarity")) for r in rows]
            # gensim's own top 10, up to near-ties: the CBOW model's neighbours lie ~1e-6 apart
            assert [s for _, s in shown] == pytest.approx([s for _, s in expected], abs=1e-5)
            for word, similarity in shown:
                assert similarity == pytest.approx(float(model.wv.similarity(probe, word)), abs=1e-5)
            clear = {w for w, s in expected if s > expected[-1][1] + 1e-5}
            assert clear <= {w for w, _ in shown} and probe not in {w for w, _ in shown}


def test_a_probe_no_model_knows_shows_as_missing(page, report):
    rows = page.body_rows("neighbours-tiger")
    assert [c["text"] for c in rows[0][1:]] == ["not in the vocabulary"] * 2
    assert all("missing" in c["attrs"]["class"] for c in rows[0][1:])
    missing = report.neighbours[report.neighbours["probe"] == "tiger"]
    assert list(missing["found"]) == [False, False]


def test_coverage_table_counts_known_pairs(page, report, w2v_model, cbow_model):
    assert page.header("coverage") == ["model", *GOLDSETS]
    for cells in page.body_rows("coverage"):
        model = {"sg.txt": w2v_model, "cbow.txt": cbow_model}[cells[0]["text"]]
        for cell, goldset in zip(cells[1:], GOLDSETS, strict=True):
            gold = goldsets.load(goldset)
            known = sum(
                w1.lower() in model.wv.key_to_index and w2.lower() in model.wv.key_to_index
                for w1, w2, _ in gold.pairs
            )
            assert int(cell["attrs"]["data-n-scored"]) == known
            assert int(cell["attrs"]["data-n-pairs"]) == gold.n_pairs
            assert _float(cell, "coverage") == pytest.approx(known / gold.n_pairs, abs=1e-15)
            assert cell["text"] == f"{known / gold.n_pairs:.3f} {known}/{gold.n_pairs}"
            # Yellow below the ranking rule's coverage (lowered to 0.2 in this module's report).
            assert ("low" in cell["attrs"]["class"]) == (known / gold.n_pairs < report.min_coverage)


def test_page_is_self_contained(html, page):
    images = [v for tag, k, v in page.attributes if tag == "img" and k == "src"]
    assert len(images) == 1 + len(GOLDSETS)  # the leaderboard and a scatter per gold set
    for tag, key, value in page.attributes:
        if key in ("src", "href", "srcset", "action", "poster", "data"):
            assert value.startswith(("data:image/png;base64,", "#")), (tag, key, value)
            assert not value.startswith("//")
    assert not re.search(r"https?://", html) and "url(" not in html
    assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)


def test_inline_images_are_real_pngs(page):
    import matplotlib.image

    for tag, key, value in page.attributes:
        if tag == "img" and key == "src":
            data = base64.b64decode(value.split(",", 1)[1])
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
            pixels = matplotlib.image.imread(io.BytesIO(data))
            assert pixels.shape[0] > 200 and pixels.shape[1] > 300
            rgba = (pixels * 255).round().astype(np.uint8).reshape(-1, pixels.shape[-1])
            colours = np.unique(rgba.view(np.dtype((np.void, rgba.shape[1]))))
            assert len(colours) > 50 and pixels.std() > 0.05  # drawn, not blank


def test_write_plots_writes_the_same_figures(report, tmp_path):
    paths = report.write_plots(tmp_path / "plots")
    assert sorted(p.rsplit("/", 1)[1] for p in paths) == [
        "leaderboard.png",
        "pairs-simlex999.png",
        "pairs-ws353.png",
    ]
    for path in paths:
        with open(path, "rb") as fh:
            assert fh.read() == report.figures()[path.rsplit("/", 1)[1]]
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == sorted(
        p.rsplit("/", 1)[1] for p in paths
    )


def test_markdown_has_the_same_numbers(report, expected_scores):
    text = report.to_markdown()
    assert text.startswith("# w2veval report: sg.txt, cbow.txt\n")
    for row in expected_scores.itertuples():
        assert f"{row.spearman:.3f} [{row.spearman_lo:.3f}, {row.spearman_hi:.3f}]" in text
    assert "| sg.txt | — |" in text and "*not in the vocabulary*" in text
    assert "![" not in text  # no image folder given: no links
    linked = report.to_markdown("plots")
    assert "![Spearman rho per gold set](plots/leaderboard.png)" in linked
    assert "(plots/pairs-ws353.png)" in linked


def test_notes_keep_the_low_coverage_warnings(report):
    from w2veval.scoring._ranking import MIN_RANK_COVERAGE

    assert any("coverage" in n and f"below {MIN_RANK_COVERAGE:g}" in n for n in report.notes)
    assert len(report.notes) == len(set(report.notes))


# --- text from data is escaped ---------------------------------------------------------------

TRICKY = "<b>police&co"


@pytest.fixture(scope="module")
def tricky(tmp_path_factory, w2v_model):
    """The sg vectors with 'police' renamed to a word full of markup, and a gold set using it."""
    folder = tmp_path_factory.mktemp("tricky")
    plain = folder / "plain.txt"
    w2v_model.wv.save_word2vec_format(plain)
    vectors = folder / "tricky.txt"
    lines = plain.read_text(encoding="utf-8").splitlines()
    vectors.write_text(
        "\n".join(
            [lines[0]]
            + [TRICKY + line[len("police") :] if line.startswith("police ") else line for line in lines[1:]]
        )
        + "\n",
        encoding="utf-8",
    )
    words = [
        "government",
        "minister",
        "people",
        "security",
        "attack",
        "forces",
        "children",
        "report",
        "fire",
        "world",
        "australia",
        "company",
        "israeli",
        "palestinian",
        "year",
        "city",
    ]
    gold = folder / "tricky-gold.tsv"
    rows = [f"{TRICKY}\t{w}\t{(i * 7) % 10 + 0.5}" for i, w in enumerate(words)]
    rows += [
        f"{a}\t{b}\t{(i * 3) % 10 + 0.25}"
        for i, (a, b) in enumerate(zip(words, words[1:] + words[:1], strict=True))
    ]
    gold.write_text("word1\tword2\tscore\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return vectors, gold


def test_words_with_markup_are_escaped(tricky):
    vectors, gold = tricky
    probe = "<script>alert(1)</script>"
    report = build_report([vectors], [gold], probes=(probe, TRICKY), n_resamples=200, n_labels=40, k=3)
    html = report.to_html()
    assert "<b>police" not in html and "<script>" not in html
    page = Page(html)
    assert "script" not in page.tags and "b" not in page.tags
    pairs = page.body_rows(f"pairs-{report.goldset_slugs()[0]}")
    assert any(cells[1]["text"].startswith(TRICKY + " – ") for cells in pairs)
    assert not any(name.startswith("matrix-") for name in page.tables)  # one model: no matrix
    tables = {t["attrs"].get("data-probe"): t for t in page.tables.values() if "data-probe" in t["attrs"]}
    assert tables[probe]["rows"][1]["cells"][1]["text"] == "not in the vocabulary"
    assert len(tables[TRICKY]["rows"]) == 1 + 3  # the renamed word is found and has neighbours
    markdown = report.to_markdown()
    assert "<b>" not in markdown and "<script>" not in markdown and "&lt;b&gt;" not in markdown
    assert "&lt;b\\>police&amp;co" in markdown


# --- inputs that are not what they should be ----------------------------------------------------


def test_nothing_to_report_is_an_error():
    with pytest.raises(ReportInputError, match="nothing to report"):
        build_report([])


def test_an_unknown_input_is_an_error_naming_it(tmp_path):
    with pytest.raises(ReportSourceError, match=r"no-such-model\.txt: no such file or folder") as caught:
        build_report([tmp_path / "no-such-model.txt"])
    assert isinstance(caught.value, (w2veval.W2VEvalError, OSError))


def test_models_are_named_by_the_shortest_unique_path_tail():
    from w2veval.report._data import short_names

    assert short_names([(None, "/x/a/vectors.txt"), (None, "/x/b/vectors.txt")]) == [
        "a/vectors.txt",
        "b/vectors.txt",
    ]
    assert short_names([(None, "/x/a/sg.txt"), (None, "/y/cbow.txt")]) == ["sg.txt", "cbow.txt"]
    assert short_names([(None, "/x/sg.txt"), (None, "/x/sg.txt")]) == ["sg.txt", "sg.txt (2)"]
    assert short_names([("mine", "/x/sg.txt"), (None, "s3://bucket/run/model.tar.gz")]) == [
        "mine",
        "s3://bucket/run/model.tar.gz",
    ]


def test_named_inputs_keep_their_names(model_files):
    report = build_report(
        {"skip-gram": model_files["sg"], "CBOW <48d>": model_files["cbow"]},
        ["ws353"],
        probes=(),
        n_resamples=100,
    )
    assert report.models == ["skip-gram", "CBOW <48d>"]
    assert set(report.scores["vectors"]) == {"skip-gram", "CBOW <48d>"}
    assert set(report.comparisons[["a", "b"]].iloc[0]) == {"skip-gram", "CBOW <48d>"}
    page = Page(report.to_html())
    assert page.header("coverage") == ["model", "ws353"]
    assert [r[0]["text"] for r in page.body_rows("coverage")] == ["skip-gram", "CBOW <48d>"]
    assert "neighbours" not in page.tables and "section-neighbours" not in report.to_html()


def test_one_in_memory_source_is_one_input():
    gold = goldsets.GoldSet.from_pairs([("cat", "dog", 8), ("dog", "car", 2), ("cat", "car", 1)], name="toy")
    as_dict = build_report({"cat": [1, 0], "dog": [0.9, 0.1], "car": [0, 1]}, gold, n_resamples=50, k=1)
    as_pair = build_report(
        (["cat", "dog", "car"], np.array([[1, 0], [0.9, 0.1], [0, 1]])), gold, n_resamples=50, k=1
    )
    for report in (as_dict, as_pair):
        assert report.models == ["vectors[0]"]
        # cosines 0.994, 0.110, 0: the same order as the human scores 8, 2, 1
        assert report.leaderboard.at[0, "toy"] == 1.0
