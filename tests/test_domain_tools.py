"""Tools for building a domain gold set: validate, agreement, template (and their doc page).

Expected values come from independent computations: the csv module and pandas for
reading, scipy.stats for correlations and quantiles, a from-the-formula Krippendorff's
alpha checked on Krippendorff's own worked example, and counts made by hand on the
fixture files in tests/data/domain/.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from w2veval.errors import GoldSetFormatError, W2VEvalError
from w2veval.goldsets import GoldSet
from w2veval.goldsets._agreement import agreement
from w2veval.goldsets._template import TEMPLATE_COLUMNS, VocabularyError, is_word, template, write_template
from w2veval.goldsets._validate import spearman_ci, validate
from w2veval.io import load_vectors

DATA = Path(__file__).parent / "data" / "domain"
REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "goldsets.md"


# --- shared helpers (independent of the code under test) ----------------------------


@pytest.fixture(scope="module")
def lee_vectors_file(tmp_path_factory, w2v_model):
    path = tmp_path_factory.mktemp("lee") / "vectors.txt"
    w2v_model.wv.save_word2vec_format(path)
    return path


def alpha_interval_by_formula(matrix) -> float:
    """Krippendorff's alpha, interval metric, straight from the coincidence formula.

    alpha = 1 - (n - 1) * sum_u [sum_{i != j in u} (v_i - v_j)^2 / (m_u - 1)]
                        / sum_{i != j over all pairable values} (v_i - v_j)^2
    where m_u is the number of values in unit u and n the number of pairable values.
    ``matrix`` is raters x units with NaN for missing.
    """
    matrix = np.asarray(matrix, dtype=float)
    within = 0.0
    pooled = []
    for unit in matrix.T:
        values = unit[~np.isnan(unit)]
        m = len(values)
        if m < 2:
            continue
        within += float(((values[:, None] - values[None, :]) ** 2).sum()) / (m - 1)
        pooled.extend(values.tolist())
    v = np.asarray(pooled)
    n = len(v)
    between = 2 * (n * float((v**2).sum()) - float(v.sum()) ** 2)  # sum over i != j of (vi - vj)^2
    return 1 - (n - 1) * within / between


def scipy_rho(x, y) -> float:
    return float(scipy.stats.spearmanr(x, y).statistic)


def read_rows(path, delimiter):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


# --- Krippendorff's alpha: the reference itself is right ---------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, missing values; the paper gives alpha = 0.849 at the interval level.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
]


def test_reference_alpha_reproduces_krippendorffs_worked_example():
    assert round(alpha_interval_by_formula(KRIPPENDORFF_2011), 3) == 0.849


def test_reference_alpha_on_a_two_rater_case_computed_by_hand():
    # Raters A = (1, 2, 3), B = (1, 2, 4). Pairable values 1,2,3,1,2,4: n = 6.
    # Within units: only unit 3 differs, (3-4)^2 counted both ways / (2-1) = 2.
    # Between: sum_{i!=j} (vi-vj)^2 = 2 * (6 * 35 - 13^2) = 82.
    # alpha = 1 - 5 * 2 / 82 = 36/41.
    assert alpha_interval_by_formula([[1, 2, 3], [1, 2, 4]]) == pytest.approx(36 / 41, abs=1e-12)


def test_agreement_alpha_on_the_worked_example_and_the_hand_case():
    data = np.array(KRIPPENDORFF_2011).T  # units x raters
    frame = pd.DataFrame(data, columns=list("ABCD"))
    frame.insert(0, "w2", [f"u{i}" for i in range(12)])
    frame.insert(0, "w1", [f"v{i}" for i in range(12)])
    assert round(agreement(frame).krippendorff_alpha, 3) == 0.849

    hand = pd.DataFrame({"w1": ["a", "b", "c"], "w2": ["d", "e", "f"], "A": [1, 2, 3], "B": [1, 2, 4]})
    assert agreement(hand, min_overlap=3).krippendorff_alpha == pytest.approx(36 / 41, abs=1e-12)


# --- agreement on the real per-rater files ----------------------------------------


@pytest.mark.parametrize("name, n_raters, n_pairs", [("set1.csv", 13, 153), ("set2.csv", 16, 200)])
def test_agreement_on_ws353_rater_files(shared_goldsets, name, n_raters, n_pairs):
    path = shared_goldsets / "ws353" / name
    frame = pd.read_csv(path)
    raters = [str(k) for k in range(1, n_raters + 1)]
    assert list(frame.columns[3:]) == raters  # after "Human (mean)"
    matrix = frame[raters].to_numpy(dtype=float)

    report = agreement(path)

    assert (report.n_pairs, report.n_raters) == (n_pairs, n_raters)
    assert report.rater_names == raters
    assert report.excluded_columns == ["Human (mean)"]
    assert report.n_ratings == n_pairs * n_raters
    pairwise = [scipy_rho(matrix[:, i], matrix[:, j]) for i, j in itertools.combinations(range(n_raters), 2)]
    assert report.mean_pairwise_spearman == pytest.approx(np.mean(pairwise), abs=1e-12)
    assert report.pairwise_spearman[0, 1] == pytest.approx(pairwise[0], abs=1e-12)
    loo = [scipy_rho(matrix[:, i], np.delete(matrix, i, axis=1).mean(axis=1)) for i in range(n_raters)]
    np.testing.assert_allclose(report.loo_spearman, loo, atol=1e-12)
    assert report.mean_loo_spearman == pytest.approx(np.mean(loo), abs=1e-12)
    assert report.krippendorff_alpha == pytest.approx(alpha_interval_by_formula(matrix.T), abs=1e-9)
    # the documented table shows these numbers
    row = (
        f"| `ws353/{name}` | {n_raters} | {n_pairs} | {np.mean(pairwise):.3f} | {np.mean(loo):.3f} | "
        f"{alpha_interval_by_formula(matrix.T):.3f} |"
    )
    assert row in DOCS.read_text(encoding="utf-8")


def test_agreement_on_simverb_ratings_needs_anonymous(shared_goldsets):
    path = shared_goldsets / "simverb3500" / "SimVerb-3500-ratings.txt"
    rows = read_rows(path, "\t")
    header, data = rows[0], rows[1:]
    # SOURCES.md / README: columns r1..r10 are not annotators; some rows carry an 11th rating
    assert header[:2] == ["word1", "word2"] and len(header) == 12
    first_long = next(i for i, r in enumerate(rows) if len(r) > len(header)) + 1
    with pytest.raises(GoldSetFormatError) as err:
        agreement(path)
    assert err.value.line == first_long
    assert "anonymous=True" in str(err.value)

    report = agreement(path, anonymous=True)
    width = max(len(r) for r in data) - 2
    matrix = np.full((len(data), width), np.nan)
    for i, r in enumerate(data):
        matrix[i, : len(r) - 2] = [float(c) for c in r[2:]]
    assert report.n_pairs == 3500 == len(data)
    assert report.n_raters == width == 11
    assert report.n_ratings == sum(len(r) - 2 for r in data)
    assert math.isnan(report.mean_pairwise_spearman) and math.isnan(report.mean_loo_spearman)
    assert report.krippendorff_alpha == pytest.approx(alpha_interval_by_formula(matrix.T), abs=1e-9)
    assert f"({report.krippendorff_alpha:.3f} for SimVerb-3500)" in DOCS.read_text(encoding="utf-8")
    assert "not individual raters" in report.ceiling


def test_agreement_with_missing_cells_uses_the_pairs_both_rated():
    path = DATA / "raters_missing.csv"
    frame = pd.read_csv(path)  # empty cells become NaN
    report = agreement(path)
    assert report.rater_names == ["ann", "bob", "cy"]
    assert report.excluded_columns == ["Mean"]
    assert report.n_pairs == 8
    assert report.n_ratings == 21  # 8 rows x 3 raters, 3 empty cells
    expected = {}
    for a, b in itertools.combinations(["ann", "bob", "cy"], 2):
        both = frame[[a, b]].dropna()
        expected[a, b] = scipy_rho(both[a], both[b])
    assert report.pairwise_spearman[0, 1] == pytest.approx(expected["ann", "bob"], abs=1e-12)
    assert report.pairwise_spearman[1, 2] == pytest.approx(expected["bob", "cy"], abs=1e-12)
    assert report.mean_pairwise_spearman == pytest.approx(np.mean(list(expected.values())), abs=1e-12)
    # leave-one-out: each rater over the pairs they rated, against the others' mean
    ratings = frame[["ann", "bob", "cy"]]
    for i, name in enumerate(["ann", "bob", "cy"]):
        mine = ratings[name].notna()
        others = ratings.drop(columns=name)[mine].mean(axis=1)
        assert report.loo_spearman[i] == pytest.approx(scipy_rho(ratings[name][mine], others), abs=1e-12)
    matrix = ratings.to_numpy(dtype=float).T
    assert report.krippendorff_alpha == pytest.approx(alpha_interval_by_formula(matrix), abs=1e-12)


def test_agreement_columns_by_name_or_number_and_frame_input():
    path = DATA / "raters_missing.csv"
    frame = pd.read_csv(path)
    both = frame[["ann", "bob"]].dropna()
    by_name = agreement(path, columns=["ann", "bob"])
    by_number = agreement(path, columns=[3, 4])  # 0-based file columns
    assert by_name.rater_names == by_number.rater_names == ["ann", "bob"]
    assert by_name.excluded_columns == ["Mean", "cy"]
    assert (
        by_name.mean_pairwise_spearman
        == by_number.mean_pairwise_spearman
        == pytest.approx(scipy_rho(both["ann"], both["bob"]), abs=1e-12)
    )
    from_frame = agreement(frame)
    from_file = agreement(path)
    assert from_frame.to_dict() | {"source": None} == from_file.to_dict() | {"source": None}
    with pytest.raises(ValueError, match="no rating column 'dan'"):
        agreement(path, columns=["ann", "dan"])


def test_agreement_min_overlap_leaves_undefined_pairs_out():
    frame = pd.DataFrame(
        {
            "w1": list("abcdef"),
            "w2": list("ghijkl"),
            "ann": [1, 2, 3, 4, 5, 6],
            "bob": [1, 3, 2, 4, 6, 5],
            "cy": [2, 1, np.nan, np.nan, np.nan, np.nan],
        }
    )  # shares 2 pairs only
    report = agreement(frame, min_overlap=3)
    assert math.isnan(report.pairwise_spearman[0, 2]) and math.isnan(report.pairwise_spearman[1, 2])
    assert math.isnan(report.loo_spearman[2])
    assert report.mean_pairwise_spearman == pytest.approx(
        scipy_rho([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 6, 5]), abs=1e-12
    )
    assert report.to_dict()["pairwise_spearman"][0][2] is None


def test_agreement_ragged_row_is_an_error_unless_anonymous():
    path = DATA / "raters_ragged.tsv"
    with pytest.raises(GoldSetFormatError) as err:
        agreement(path)
    assert (err.value.path, err.value.line) == (str(path), 4)
    assert "4 rating cells where the header has 3" in str(err.value)
    report = agreement(path, anonymous=True)
    assert report.rater_names == ["r1", "r2", "r3", "r4"]
    matrix = [[6, 4, 9, 3], [7, 5, 8, 5], [5, 6, 7, 4], [np.nan, np.nan, 8, np.nan]]
    assert report.krippendorff_alpha == pytest.approx(alpha_interval_by_formula(matrix), abs=1e-12)


def test_agreement_rating_that_is_not_a_number_names_line_and_column():
    path = DATA / "raters_bad_cell.csv"
    with pytest.raises(GoldSetFormatError, match=r"rating 'x' in column 4") as err:
        agreement(path)
    assert err.value.line == 3


def test_agreement_report_serialises_and_states_the_ceiling(shared_goldsets):
    report = agreement(shared_goldsets / "ws353" / "set1.csv")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["n_raters"] == 13 and set(data["loo_spearman"]) == {str(k) for k in range(1, 14)}
    assert f"{report.mean_loo_spearman:.2f}" in data["ceiling"]
    assert "ceiling" in data["ceiling"]
    text = report.to_text()
    assert f"{report.krippendorff_alpha:.3f}" in text and "13 raters" in text


# --- validate -------------------------------------------------------------------------


def test_validate_reports_every_kind_of_repeat_self_pair_and_scale():
    path = DATA / "repeats.tsv"
    report = validate(path, scale=(0, 10))
    # independent reading: group rows by the case-folded, order-free pair
    rows = [(i, r) for i, r in enumerate(read_rows(path, "\t"), 1) if r and not r[0].startswith("#")][1:]
    groups = defaultdict(list)
    for lineno, (a, b, s) in rows:
        groups[tuple(sorted((a.casefold(), b.casefold())))].append((lineno, float(s)))
    expected = sorted(([n for n, _ in g], [s for _, s in g]) for g in groups.values() if len(g) > 1)
    assert sorted((d["lines"], d["scores"]) for d in report.duplicates) == expected
    assert expected == [([3, 5], [8.5, 8.5]), ([6, 7], [9.5, 7.0]), ([9, 11], [4.0, 4.0])]
    flags = {tuple(d["lines"]): (d["reversed"], d["conflicting"]) for d in report.duplicates}
    assert flags == {(3, 5): (True, False), (6, 7): (False, True), (9, 11): (False, False)}
    assert [(d["line"], d["word1"]) for d in report.self_pairs] == [(8, "code")]
    assert [(d["line"], d["score"]) for d in report.out_of_scale] == [(10, 11.5)]
    assert report.n_pairs == 10
    assert report.n_words == len({w.casefold() for _, r in rows for w in r[:2]}) == 12
    # scores 8.5 9 8.5 9.5 7 10 4 11.5 4 9: three tied values, six tied pairs
    assert report.tie_share == 0.6 and report.n_distinct_scores == 7
    assert [(i.severity, i.code, i.lines) for i in report.issues] == [
        ("error", "duplicate", (6, 7)),
        ("error", "out_of_scale", (10,)),
        ("warning", "few_pairs", ()),
        ("warning", "duplicate", (3, 5)),
        ("warning", "self_pair", (8,)),
        ("warning", "duplicate", (9, 11)),
    ]
    assert not report.ok


def test_validate_strict_raises_the_first_issue_with_file_and_line():
    path = DATA / "repeats.tsv"
    with pytest.raises(GoldSetFormatError) as err:
        validate(path, scale=(0, 10), strict=True)
    assert (err.value.path, err.value.line) == (str(path), 6)
    assert "resume–cv" in str(err.value) and "5 more issues" in str(err.value)
    assert err.value.report.n_pairs == 10
    # without a declared scale, 11.5 is no error; the conflicting repeat still is first
    assert [i.code for i in validate(path).issues][:2] == ["duplicate", "few_pairs"]


def test_validate_small_clean_set_warns_only_about_size_and_strict_turns_it_into_an_error():
    path = DATA / "small_clean.tsv"
    report = validate(path)
    assert [i.code for i in report.issues] == ["few_pairs"]
    assert report.ok
    lo, hi = spearman_ci(0.6, 50)
    assert f"at n=50: {lo:.2f}–{hi:.2f}" in report.issues[0].message
    with pytest.raises(GoldSetFormatError, match="only 5 pairs") as err:
        validate(path, strict=True)
    assert err.value.line is None and err.value.path == str(path)


def test_validate_strict_passes_a_sound_set():
    pairs = [(f"w{i}", f"v{i}", i / 12) for i in range(120)]  # 120 distinct scores in 0-10
    report = validate(GoldSet.from_pairs(pairs, name="sound", scale=(0, 10)), strict=True)
    assert report.issues == [] and report.ok
    assert report.histogram == [12] * 10  # i/12 for i < 120: 12 per unit-wide bin


def test_validate_distribution_on_a_tied_set():
    path = DATA / "ties.csv"
    scores = [float(r[2]) for r in read_rows(path, ",")[1:]]
    report = validate(path, scale=(0, 10))
    assert report.quartiles == pytest.approx(tuple(statistics.quantiles(scores, n=4, method="inclusive")))
    assert report.histogram_edges == pytest.approx(list(np.linspace(0, 10, 11)))
    by_hand = [sum(1 for s in scores if lo <= s < lo + 1) for lo in range(9)]
    by_hand.append(sum(1 for s in scores if 9 <= s <= 10))
    assert report.histogram == by_hand == [5, 0, 1, 0, 0, 9, 0, 0, 0, 5]
    assert report.tie_share == 19 / 20  # every score but the single 2 is shared
    assert report.n_distinct_scores == 4
    assert [i.code for i in report.issues] == ["few_pairs", "ties"]


def test_validate_real_ws353_finds_its_known_repeats_and_self_pair(shared_goldsets):
    path = shared_goldsets / "ws353" / "combined.csv"
    rows = list(enumerate(read_rows(path, ","), 1))[1:]
    seen = defaultdict(list)
    for lineno, (a, b, s) in rows:
        seen[frozenset((a.lower(), b.lower()))].append((lineno, float(s)))
    repeated = sorted(v for v in seen.values() if len(v) > 1)
    report = validate(path, scale=(0, 10))
    assert report.n_pairs == 353 == len(rows)
    assert sorted(list(zip(d["lines"], d["scores"], strict=True)) for d in report.duplicates) == repeated
    assert repeated == [[(31, 8.12), (104, 8.5)], [(33, 9.15), (99, 9.08)]]  # bank-money, money-cash
    self_lines = [n for n, (a, b, _) in rows if a.lower() == b.lower()]
    assert [d["line"] for d in report.self_pairs] == self_lines == [4]
    assert (report.score_min, report.score_max) == (
        min(float(r[2]) for _, r in rows),
        max(float(r[2]) for _, r in rows),
    )
    assert report.issues[0].severity == "error" and report.issues[0].lines == (33, 99)
    assert "ties" not in [i.code for i in report.issues]  # 57% tied, but 232 distinct scores


def test_validate_missing_words_against_real_vectors_in_every_form(w2v_model, lee_vectors_file, tmp_path):
    gs = GoldSet.from_file(REPO / "goldsets" / "jobs-domain.tsv")
    known = {w.casefold() for w in w2v_model.wv.index_to_key}
    missing = sorted({w for w in gs.word1 + gs.word2 if w.casefold() not in known})
    lines = [
        ln
        for a, b, ln in zip(gs.word1, gs.word2, gs.lines, strict=True)
        if a.casefold() not in known or b.casefold() not in known
    ]
    assert 0 < len(missing) < len(gs.words)  # a real mix: the Lee corpus is news

    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text(
        "".join(f"{w} {10**6 - i}\n" for i, w in enumerate(w2v_model.wv.index_to_key)),
        encoding="utf-8",
    )
    forms = [
        w2v_model.wv.index_to_key,
        load_vectors(lee_vectors_file),
        str(lee_vectors_file),
        vocab_file,
        w2v_model.wv,
    ]
    for vocabulary in forms:
        report = validate(gs, vocabulary=vocabulary)
        assert report.missing_words == missing
        assert report.missing_pair_lines == lines
        assert report.missing_pair_share == len(lines) / 78
    issue = next(i for i in report.issues if i.code == "missing_words")
    assert issue.lines == tuple(lines) and f"{len(lines)} of 78 pairs" in issue.message


def test_validate_vocabulary_is_matched_case_insensitively():
    gs = GoldSet.from_pairs([("java", "Straße", 5.0), ("cv", "resume", 9.0)], name="toy")
    report = validate(gs, vocabulary=["JAVA", "STRASSE", "Resume"])
    assert report.missing_words == ["cv"] and report.missing_pair_lines == [2]
    assert report.missing_pair_share == 0.5


def test_validate_report_to_dict_is_json_and_to_text_summarises():
    report = validate(DATA / "repeats.tsv", scale=(0, 10), vocabulary=["java", "python"])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["n_pairs"] == 10 and data["ok"] is False and data["scale"] == [0.0, 10.0]
    assert data["duplicates"][1]["lines"] == [6, 7]
    assert [i["code"] for i in data["issues"]][:2] == ["duplicate", "out_of_scale"]
    text = report.to_text()
    assert text.startswith("repeats: 10 pairs, 12 distinct words")
    assert (
        "error: resume–cv is listed 2 times with conflicting scores (9.5, 7); keep one row [lines 6, 7]"
        in text
    )


def test_validate_builtin_name_and_unknown_name():
    report = validate("jobs-domain")
    assert report.n_pairs == 78 and report.scale == (0, 10)
    assert [i.code for i in report.issues] == ["few_pairs", "ties"]
    with pytest.raises(KeyError, match="did you mean"):
        validate("jobs-domian")


@pytest.mark.parametrize("n", [4, 50, 78, 200, 500])
@pytest.mark.parametrize("rho", [0.0, 0.3, 0.6, -0.5])
def test_spearman_ci_is_fishers_z(n, rho):
    z = scipy.stats.norm.ppf(0.975)
    half = z / math.sqrt(n - 3)
    expected = (math.tanh(math.atanh(rho) - half), math.tanh(math.atanh(rho) + half))
    assert spearman_ci(rho, n) == pytest.approx(expected, abs=1e-12)
    z90 = scipy.stats.norm.ppf(0.95)
    assert spearman_ci(rho, n, level=0.9)[1] == pytest.approx(
        math.tanh(math.atanh(rho) + z90 / math.sqrt(n - 3))
    )


# --- the documentation's numbers -----------------------------------------------------


def test_docs_ci_table_is_fishers_z():
    text = DOCS.read_text(encoding="utf-8")
    header = re.search(r"^\| n \| (.+) \|$", text, re.M).group(1)
    rhos = [float(h.split("=")[1].replace("\u2212", "-")) for h in header.split(" | ")]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", text, re.M)
    table = {int(n): cells for n, cells in rows if "width" in cells}
    assert sorted(table) == [50, 200, 500]
    z = scipy.stats.norm.ppf(0.975)
    for n, cells in table.items():
        for rho, cell in zip(rhos, cells.split(" | "), strict=True):
            lo, hi, width = map(
                float, re.fullmatch(r"(\S+) to (\S+) \(width (\S+)\)", cell.replace("\u2212", "-")).groups()
            )
            exact = (
                math.tanh(math.atanh(rho) - z / math.sqrt(n - 3)),
                math.tanh(math.atanh(rho) + z / math.sqrt(n - 3)),
            )
            assert (lo, hi) == (round(exact[0], 2) + 0.0, round(exact[1], 2))
            assert width == round(exact[1] - exact[0], 2)


def test_docs_java_python_rows_and_validate_snippet_match_the_files():
    text = DOCS.read_text(encoding="utf-8")
    gs = GoldSet.from_file(REPO / "goldsets" / "jobs-domain.tsv")
    scores = {(a, b): s for a, b, s in gs.pairs}
    for a, b, s in re.findall(r"^\| (\w+) \| (\w+) \| (\d+\.\d) \|$", text, re.M):
        assert scores[a, b] == float(s)
    assert ("java", "python") in scores and "| java | python | 8.5 |" in text
    report_text = validate(REPO / "goldsets" / "jobs-domain.tsv").to_text()
    snippet = re.search(r"\$ w2veval goldsets validate goldsets/jobs-domain.tsv\n(.*?)```", text, re.S).group(
        1
    )
    shown = [
        w.replace("\n", " ").strip().removesuffix(" ...")
        for w in re.split(r"^(?=warning:)", snippet, flags=re.M)
        if w.strip()
    ]
    assert len(shown) == 2
    for warning in shown:
        assert warning in report_text


def test_docs_name_the_cli_commands():
    text = DOCS.read_text(encoding="utf-8")
    for command in (
        "w2veval goldsets template VOCAB_OR_VECTORS --n 200",
        "w2veval goldsets validate FILE [--vectors V] [--strict]",
        "w2veval goldsets agreement FILE",
    ):
        assert command in text


# --- template -------------------------------------------------------------------------


def _pair_keys(rows):
    return [tuple(sorted((r["word1"].casefold(), r["word2"].casefold()))) for r in rows]


def _bands_by_hand(words, k=3):
    """Word -> 1-based rank label of its equal-size band (np.array_split, independent)."""
    out = {}
    for part in np.array_split(np.arange(len(words)), k):
        label = f"{part[0] + 1}-{part[-1] + 1}"
        for i in part:
            out[words[i]] = label
    return out


def test_template_from_a_real_vectors_file(w2v_model, lee_vectors_file):
    words = w2v_model.wv.index_to_key
    assert all(w.isalpha() and w == w.lower() for w in words)  # so every word is usable
    rank = {w: i + 1 for i, w in enumerate(words)}
    band = _bands_by_hand(words)
    rows = template(lee_vectors_file, n=200, seed=0)

    assert len(rows) == 200
    assert all(list(r) == list(TEMPLATE_COLUMNS) for r in rows)
    assert all(r["score"] is None and r["notes"] == "" for r in rows)
    keys = _pair_keys(rows)
    assert len(set(keys)) == 200 and all(a != b for a, b in keys)
    counts = {label: sum(r["freq_band"] == label for r in rows) for label in set(band.values())}
    assert counts == {"1-1319": 67, "1320-2637": 67, "2638-3955": 66}
    for r in rows:
        assert band[r["word1"]] == band[r["word2"]] == r["freq_band"]
        lo, hi = map(int, r["freq_band"].split("-"))
        assert lo <= rank[r["word1"]] <= hi
        assert r["model_similarity"] == pytest.approx(
            w2v_model.wv.similarity(r["word1"], r["word2"]), abs=6e-5
        )
    assert template(lee_vectors_file, n=200, seed=0) == rows
    assert template(w2v_model.wv, n=200, seed=0) == rows  # same vectors in memory
    assert _pair_keys(template(lee_vectors_file, n=200, seed=1)) != keys


def test_template_spreads_pairs_over_model_similarity(w2v_model):
    words = w2v_model.wv.index_to_key
    unit = w2v_model.wv.vectors / np.linalg.norm(w2v_model.wv.vectors, axis=1, keepdims=True)
    with_vectors = template(w2v_model.wv, n=300, seed=5)
    vocab_only = template(words, n=300, seed=5)
    for part in np.array_split(np.arange(len(words)), 3):
        sims = (unit[part] @ unit[part].T)[np.triu_indices(len(part), k=1)]
        q50, q99 = np.percentile(sims, [50, 99])
        members = {words[i] for i in part}
        stratified = _similarities_in_band(w2v_model.wv, with_vectors, members)
        random = _similarities_in_band(w2v_model.wv, vocab_only, members)
        # random pairs put ~1% above the band's 99th percentile; the stratified sample far more
        assert np.mean(stratified > q99) >= 0.10
        assert np.mean(random > q99) < 0.05
        # ... yet it is not all easy pairs: a fifth or more lie below the band's median
        assert np.mean(stratified < q50) >= 0.20


def _similarities_in_band(wv, rows, members):
    """Cosine similarities of the template rows whose first word is one of ``members``."""
    return np.array([wv.similarity(r["word1"], r["word2"]) for r in rows if r["word1"] in members])


def test_template_from_a_vocabulary_file(w2v_model, tmp_path):
    words = w2v_model.wv.index_to_key
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(words) + "\n", encoding="utf-8")
    band = _bands_by_hand(words)
    rows = template(vocab, n=60, seed=3)
    assert len(rows) == 60 and all(r["model_similarity"] is None for r in rows)
    assert all(band[r["word1"]] == band[r["word2"]] == r["freq_band"] for r in rows)
    assert template(words, n=60, seed=3) == rows  # a list in the same order is the same vocabulary


def test_template_rank_edges(w2v_model):
    words = w2v_model.wv.index_to_key
    rows = template(w2v_model.wv, n=200, bands=(1000, 3000))
    rank = {w: i + 1 for i, w in enumerate(words)}
    expected = {"1-1000": (1, 1000), "1001-3000": (1001, 3000), "3001+": (3001, len(words))}
    assert {r["freq_band"] for r in rows} == set(expected)
    for r in rows:
        lo, hi = expected[r["freq_band"]]
        assert lo <= rank[r["word1"]] <= hi and lo <= rank[r["word2"]] <= hi
    assert sorted(sum(r["freq_band"] == b for r in rows) for b in expected) == [66, 67, 67]


def test_template_skips_non_words_and_case_variants():
    # hand-labelled: the usable words of vocab_mixed.txt, in file order
    usable = [
        "the",
        "java",
        "python",
        "e-mail",
        "don't",
        "Straße",
        "docker",
        "kubernetes",
        "linux",
        "recruiter",
    ]
    rows = template(DATA / "vocab_mixed.txt", n=45, bands=1)  # all 10*9/2 pairs
    assert {w for r in rows for w in (r["word1"], r["word2"])} == set(usable)
    assert sorted(_pair_keys(rows)) == sorted(
        tuple(sorted((a.casefold(), b.casefold()))) for a, b in itertools.combinations(usable, 2)
    )
    assert {r["freq_band"] for r in rows} == {"2-19"}  # ranks of "the" and "recruiter"
    with pytest.raises(
        VocabularyError,
        match=r"10 usable words \(8 tokens skipped as non-words, "
        r"1 as case variants, 0 excluded\)",
    ):
        template(DATA / "vocab_mixed.txt", n=46, bands=1)


@pytest.mark.parametrize(
    "token, expected",
    [
        ("java", True),
        ("e-mail", True),
        ("don't", True),
        ("don\u2019t", True),
        ("Straße", True),
        ("cafe\u0301", True),
        ("हिन्दी", True),
        ("c++", False),
        ("2019", False),
        ("3d", False),
        ("</s>", False),
        ("New_York", False),
        ("x", False),
        ("-ing", False),
        ("e--mail", False),
        ("...", False),
        ("node.js", False),
    ],
)
def test_is_word(token, expected):
    assert is_word(token) is expected


def test_template_exclude_words_pairs_gold_sets_and_files(tmp_path):
    vocab = ["java", "python", "docker", "linux", "rust", "scala"]
    done = [("python", "java", 8.5), ("docker", "linux", 7.0), ("RUST", "scala", 6.0)]
    all_pairs = {tuple(sorted(p)) for p in itertools.combinations(vocab, 2)}
    remaining = all_pairs - {tuple(sorted((a.lower(), b.lower()))) for a, b, _ in done}
    gs = GoldSet.from_pairs(done, name="done")
    path = tmp_path / "done.tsv"
    path.write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in done), encoding="utf-8")
    for exclude in (done, [(a, b) for a, b, _ in done], gs, path, str(path)):
        rows = template(vocab, n=12, bands=1, exclude=exclude)
        assert set(_pair_keys(rows)) == remaining
        with pytest.raises(VocabularyError, match="12 possible pairs"):
            template(vocab, n=13, bands=1, exclude=exclude)
    rows = template(vocab, n=10, bands=1, exclude=["Java"])  # a word: all its pairs go
    assert set(_pair_keys(rows)) == {p for p in all_pairs if "java" not in p}


def test_template_vocabulary_too_small():
    with pytest.raises(VocabularyError) as err:
        template(DATA / "vocab_tiny.txt", n=200)
    message = str(err.value)
    assert "needs 67 pairs for 200 pairs over 3 band(s)" in message
    assert "5 usable words" in message and "Pass a smaller n" in message
    assert isinstance(err.value, ValueError) and isinstance(err.value, W2VEvalError)
    # 5 words in one band make exactly 10 pairs
    assert len(template(DATA / "vocab_tiny.txt", n=10, bands=1)) == 10


def test_template_malformed_vocabulary_line():
    path = DATA / "vocab_bad_line.txt"
    bad = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if len(line.split()) > 2)
    with pytest.raises(VocabularyError) as err:
        template(path, n=10)
    assert (err.value.path, err.value.line) == (str(path), bad)


def test_write_template_sheet_round_trip(w2v_model, tmp_path):
    rows = template(w2v_model.wv, n=30, seed=2)
    path = tmp_path / "to-rate.csv"
    assert write_template(rows, path) == path
    with open(path, newline="", encoding="utf-8") as fh:
        cells = list(csv.reader(fh))
    assert (
        cells[0]
        == list(TEMPLATE_COLUMNS)
        == ["word1", "word2", "score", "freq_band", "model_similarity", "notes"]
    )
    assert len(cells) == 31 and all(c[2] == "" and c[5] == "" for c in cells[1:])
    assert [float(c[4]) for c in cells[1:]] == [r["model_similarity"] for r in rows]
    assert b"\r\n" not in path.read_bytes()
    with pytest.raises(FileExistsError):
        write_template(rows, path)
    # the raters fill in the score column; the sheet then reads as a gold set
    for i, c in enumerate(cells[1:]):
        c[2] = str(i % 11)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(cells)
    gs = GoldSet.from_file(path, scale=(0, 10))
    assert gs.pairs == [(r["word1"], r["word2"], float(i % 11)) for i, r in enumerate(rows)]
    with pytest.raises(ValueError, match="not template columns"):
        write_template([{"word1": "a", "word2": "b", "rating": 3}], tmp_path / "x.csv")


def test_write_template_to_an_open_file_and_without_vectors(tmp_path):
    import io

    rows = template(["cat", "dog", "car", "bus"], n=2, bands=1, seed=0)
    buffer = io.StringIO()
    write_template(rows, buffer)
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "word1,word2,score,freq_band,model_similarity,notes"
    assert all(re.fullmatch(r"[a-z]+,[a-z]+,,1-4,,", line) for line in lines[1:]) and len(lines) == 3


@settings(max_examples=60, deadline=None)
@given(size=st.integers(4, 40), data=st.data())
def test_template_invariants(size, data):
    vocab = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(size)]  # "waa", "wab", ...
    bands = data.draw(st.integers(1, 2))
    per_band = min(len(p) * (len(p) - 1) // 2 for p in np.array_split(np.arange(size), bands))
    n = data.draw(st.integers(1, per_band * bands))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rows = template(vocab, n=n, bands=bands, seed=seed)
    keys = _pair_keys(rows)
    assert len(rows) == n and len(set(keys)) == n
    assert all(a != b and a in vocab and b in vocab for a, b in keys)
    assert template(vocab, n=n, bands=bands, seed=seed) == rows
