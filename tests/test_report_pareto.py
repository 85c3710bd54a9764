"""Reports on what tuning traded (issue 14): the Pareto front of multi-objective tables (a
scatter for two objectives, parallel coordinates for three or more), each objective against
what its trial cost, the totals, and the resource columns of `tune results`.

The hand-written tables below are input: their numbers are chosen so that the expected
front, normalised values and sums can be worked out in the test (with numpy), and their
``pareto_optimal`` flags are checked against an independent dominance test before use.
"""

from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pytest
from _report_html import Page

from w2veval.report import ReportInputError, build_report
from w2veval.report._tradeoffs import COST_LABELS, cost_figure, pareto_figure

pytest.importorskip("matplotlib")

RESOURCES = ("steps", "wall_seconds", "cpu_seconds", "words_per_second", "peak_memory_mb")


def _cli(*args) -> tuple[int, str, str]:
    from w2veval.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


def _dominated(points: np.ndarray, maximise: np.ndarray) -> np.ndarray:
    """For each row, whether another row is at least as good everywhere and better somewhere."""
    signed = np.where(maximise, points, -points)
    out = np.zeros(len(points), dtype=bool)
    for i, p in enumerate(signed):
        out[i] = any((q >= p).all() and (q > p).any() for j, q in enumerate(signed) if j != i)
    return out


def _rows(objectives: dict[int, tuple], states: dict[int, str], *, cost: bool = False) -> list[dict]:
    """Rows shaped as `tune results --format json` writes a multi-objective table, with the
    front flagged by an independent dominance test over the complete trials."""
    complete = [t for t in objectives if states.get(t, "COMPLETE") == "COMPLETE"]
    values = np.array([objectives[t] for t in complete], dtype=float)
    dominated = dict(zip(complete, _dominated(values, np.ones(values.shape[1], dtype=bool)), strict=True))
    rows = []
    for t, values in objectives.items():
        row = {"trial": t, "state": states.get(t, "COMPLETE")}
        row.update({f"objective_{k + 1}": v for k, v in enumerate(values)})
        row["pareto_optimal"] = t in dominated and not dominated[t]
        row.update(
            {
                "window_size": 2 + t % 5,
                "mode": ("cbow", "skipgram")[t % 2],
                "steps": 1 if row["state"] == "PRUNED" else None,
                "wall_seconds": 1.0 + 0.5 * t,
                "cpu_seconds": 1.5 + 0.75 * t,
                "words_per_second": 1000.0 * (t + 1),
                "peak_memory_mb": 200.0 + t,
            }
        )
        if cost:
            row["cost"] = (1.0 + 0.5 * t) / 3600 * 0.9
        rows.append(row)
    # `tune results` order: the front first, then by objective_1, highest first.
    return sorted(rows, key=lambda r: (not r["pareto_optimal"], -(r["objective_1"] or -math.inf), r["trial"]))


TWO = {
    0: (0.30, 0.10),
    1: (0.10, 0.40),
    2: (0.05, 0.05),
    3: (0.20, 0.30),
    4: (0.25, 0.05),
    5: (0.02, None),
    6: (None, None),
    7: (0.28, 0.20),
}
TWO_STATES = {5: "PRUNED", 6: "PRUNED"}


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def _write_json(path, rows):
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return path


def test_the_independent_front_is_the_one_chosen_by_hand():
    rows = _rows(TWO, TWO_STATES)
    assert sorted(r["trial"] for r in rows if r["pareto_optimal"]) == [0, 1, 3, 7]


def test_two_objectives_scatter_names_the_marked_trials(tmp_path):
    rows = _rows(TWO, TWO_STATES)
    path = _write_json(tmp_path / "two.json", rows)
    table = build_report([path]).tuning[0]
    marked = {r["trial"] for r in rows if r["pareto_optimal"]}
    assert table.multi and table.objectives == ("objective_1", "objective_2") and table.best is None
    assert set(table.front["trial"]) == marked
    assert table.hyperparameters == ("window_size", "mode") and table.goldsets == ()  # resources are neither
    figure = pareto_figure(table)
    ax = figure.axes[0]
    assert ax.get_xlabel() == "objective_1" and ax.get_ylabel() == "objective_2"
    front = _by_gid(ax, "front")[0].get_offsets()
    expected = sorted(TWO[t] for t in marked)
    assert sorted(map(tuple, np.asarray(front).tolist())) == expected
    line = _by_gid(ax, "front-line")[0]
    assert list(line.get_xdata()) == sorted(x for x, _ in expected)  # joined in order of objective_1
    labels = {t.get_text() for t in _by_gid(ax, "front-label")}
    assert labels == {str(t) for t in marked}
    others = np.asarray(_by_gid(ax, "trials")[0].get_offsets()).tolist()
    # Every other complete trial, and no pruned one.
    assert sorted(map(tuple, others)) == sorted(
        TWO[t] for t in TWO if t not in marked and t not in TWO_STATES
    )


def test_the_front_is_read_from_the_table_not_recomputed(tmp_path):
    rows = _rows(TWO, TWO_STATES)
    for row in rows:  # a table whose writer marked only trial 4 (dominated by trial 0 in truth)
        row["pareto_optimal"] = row["trial"] == 4
    table = build_report([_write_json(tmp_path / "marked.json", rows)]).tuning[0]
    assert table.front["trial"].tolist() == [4]
    assert {t.get_text() for t in _by_gid(pareto_figure(table).axes[0], "front-label")} == {"4"}


def test_the_front_in_html_and_markdown(tmp_path):
    rows = _rows(TWO, TWO_STATES, cost=True)
    path = _write_json(tmp_path / "two.json", rows)
    report = build_report([path])
    marked = [r["trial"] for r in rows if r["pareto_optimal"]]
    assert list(report.figures()) == [
        "tuning-two-json-pareto.png",
        "tuning-two-json-hyperparameters.png",
        "tuning-two-json-cost.png",
    ]
    page = Page(report.to_html())
    header = page.header("pareto-two-json")
    assert header == [
        "trial",
        "objective_1",
        "objective_2",
        "window_size",
        "mode",
        "wall_seconds",
        "cpu_seconds",
        "cost",
    ]
    front = page.body_rows("pareto-two-json")
    assert [int(r[0]["text"]) for r in front] == marked
    for cells, row in zip(front, (r for r in rows if r["pareto_optimal"]), strict=True):
        assert float(cells[1]["attrs"]["data-value"]) == row["objective_1"]
        assert float(cells[2]["attrs"]["data-value"]) == row["objective_2"]
        assert cells[4]["text"] == row["mode"]
    listed = page.tables["tuning-two-json"]["rows"][1:]
    assert [r["attrs"].get("class") == "pareto" for r in listed] == [r["pareto_optimal"] for r in rows]
    alts = [v for tag, k, v in page.attributes if tag == "img" and k == "alt"]
    assert alts == [
        "Pareto front, two.json",
        "objective against each hyperparameter, two.json",
        "objective against cost, two.json",
    ]
    assert "8 rows, 6 with every objective; 4 on the Pareto front of objective_1, objective_2" in " ".join(
        page.text
    )
    markdown = report.to_markdown("figures")
    assert "![Pareto front](figures/tuning-two-json-pareto.png)" in markdown
    assert "![objective against cost](figures/tuning-two-json-cost.png)" in markdown
    section = markdown.split("#### Pareto front")[1].split("![objective against hyperparameters]")[0]
    table_rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [int(line.split("|")[1]) for line in table_rows] == marked


def test_objective_names_and_directions_come_from_a_study_frame():
    import pandas as pd

    rows = _rows({0: (0.3, 4.0), 1: (0.1, 2.0), 2: (0.05, 5.0)}, {})
    frame = pd.DataFrame(rows)
    frame.attrs = {"objectives": ["ws353", "wall_seconds"], "directions": ["maximize", "minimize"]}
    table = build_report({"study": frame}).tuning[0]
    assert table.objective_names == ("ws353", "wall_seconds")
    ax = pareto_figure(table).axes[0]
    assert ax.get_xlabel() == "ws353 (objective_1) higher is better"
    assert ax.get_ylabel() == "wall_seconds (objective_2) lower is better"
    assert "ws353 (objective_1) higher is better" in Page(build_report({"study": frame}).to_html()).header(
        "pareto-study"
    )


THREE = {
    0: (0.30, 0.10, 0.9),
    1: (0.10, 0.40, 0.2),
    2: (0.05, 0.05, 0.1),
    3: (0.20, 0.30, 0.5),
    4: (0.25, 0.05, 0.1),
    5: (0.01, 0.02, 0.95),
    6: (0.5, None, None),
}


def test_three_objectives_are_parallel_coordinates_scaled_over_the_complete_trials(tmp_path):
    rows = _rows(THREE, {6: "PRUNED"})
    marked = [r["trial"] for r in rows if r["pareto_optimal"]]
    assert sorted(marked) == [0, 1, 3, 5]  # 2 and 4 are dominated; 6 was pruned
    table = build_report([_write_json(tmp_path / "three.json", rows)]).tuning[0]
    ax = pareto_figure(table).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["objective_1", "objective_2", "objective_3"]
    complete = np.array([THREE[t] for t in range(6)])
    low, high = complete.min(axis=0), complete.max(axis=0)
    front = _by_gid(ax, "front")
    assert len(front) == len(marked) and len(_by_gid(ax, "trials")) == 2
    for line, trial in zip(front, marked, strict=True):
        assert np.allclose(line.get_ydata(), (np.array(THREE[trial]) - low) / (high - low), atol=1e-12)
        assert list(line.get_xdata()) == [0, 1, 2]
    assert [t.get_text() for t in _by_gid(ax, "front-label")] == [str(t) for t in marked]
    assert len({line.get_color() for line in front}) == len(marked)  # one colour each
    assert {line.get_color() for line in _by_gid(ax, "trials")} == {"#7f7f7f"}
    assert max(line.get_linewidth() for line in _by_gid(ax, "trials")) < min(
        line.get_linewidth() for line in front
    )


@pytest.mark.parametrize(
    "columns, label",
    [
        (("cost", "cpu_seconds", "wall_seconds"), COST_LABELS["cost"]),
        (("cpu_seconds", "wall_seconds"), "CPU seconds"),
        (("seconds",), "wall seconds"),
    ],
)
def test_the_cost_axis_is_cost_else_cpu_seconds(tmp_path, columns, label):
    single = [
        {"trial": t, "state": "COMPLETE", "objective": o, "ws353": o, "window_size": w}
        for t, o, w in ((0, 0.21, 5), (1, 0.34, 8), (2, 0.12, 3))
    ]
    for row in single:
        for c in columns:
            row[c] = {"cost": 0.001, "cpu_seconds": 2.0, "wall_seconds": 1.0, "seconds": 1.0}[c] * (
                row["trial"] + 1
            )
    table = build_report([_write_json(tmp_path / "single.json", single)]).tuning[0]
    ax = cost_figure(table).axes[0]
    assert ax.get_xlabel() == label and ax.get_ylabel() == "objective"
    points = np.asarray(_by_gid(ax, "trials")[0].get_offsets()).tolist()
    best = np.asarray(_by_gid(ax, "best")[0].get_offsets()).tolist()
    x = columns[0]
    assert best == [[single[1][x], 0.34]]
    assert sorted(points) == sorted([r[x], r["objective"]] for r in single if r["trial"] != 1)


def test_pruned_trials_are_drawn_apart_from_complete_ones(tmp_path):
    rows = _rows(TWO, TWO_STATES, cost=True)
    table = build_report([_write_json(tmp_path / "two.json", rows)]).tuning[0]
    figure = cost_figure(table)
    first, second = figure.axes[:2]
    assert first.get_ylabel() == "objective_1" and second.get_ylabel() == "objective_2"
    by_trial = {r["trial"]: r for r in rows}
    for ax, k in ((first, "objective_1"), (second, "objective_2")):
        drawn = {
            tuple(p)
            for gid in ("trials", "front")
            for c in _by_gid(ax, gid)
            for p in np.asarray(c.get_offsets()).tolist()
        }
        assert drawn == {(r["cost"], r[k]) for r in rows if r["state"] == "COMPLETE"}
    # Trial 5 was pruned with objective_1 reported: a hollow grey diamond at it.
    (pruned,) = _by_gid(first, "pruned")
    assert np.asarray(pruned.get_offsets()).tolist() == [[by_trial[5]["cost"], 0.02]]
    assert pruned.get_facecolors().size == 0 or pruned.get_facecolors()[0][3] == 0  # hollow
    filled = _by_gid(first, "trials")[0]
    assert filled.get_facecolors()[0][3] > 0
    assert pruned.get_paths()[0] != filled.get_paths()[0]  # another marker
    # Trial 6 reported nothing: a cross below every point, at its cost.
    (silent,) = _by_gid(first, "pruned-undefined")
    ((x, y),) = np.asarray(silent.get_offsets()).tolist()
    assert x == by_trial[6]["cost"] and y < min(
        r["objective_1"] for r in rows if r["objective_1"] is not None
    )
    # On objective_2, neither pruned trial reported: both below.
    (silent,) = _by_gid(second, "pruned-undefined")
    assert sorted(p[0] for p in np.asarray(silent.get_offsets()).tolist()) == sorted(
        [by_trial[5]["cost"], by_trial[6]["cost"]]
    )
    assert _by_gid(second, "pruned") == []


def test_totals_line_and_resource_columns(tmp_path):
    rows = _rows(TWO, TWO_STATES, cost=True)
    report = build_report([_write_json(tmp_path / "two.json", rows)])
    table = report.tuning[0]
    for column in (*RESOURCES, "cost"):
        assert table.frame[column].dtype.kind == "f", column
    wall = sum(r["wall_seconds"] for r in rows)
    cpu = sum(r["cpu_seconds"] for r in rows)
    cost = sum(r["cost"] for r in rows)
    line = (
        f"In all: 8 trials (6 complete, 2 pruned), {wall:,.1f} wall seconds, {cpu:,.1f} CPU seconds, "
        f"estimated cost {cost:.4g}."
    )
    page = Page(report.to_html())
    assert line in " ".join(page.text)
    assert page.header("tuning-two-json")[-6:] == [
        "steps",
        "wall_seconds",
        "cpu_seconds",
        "words_per_second",
        "peak_memory_mb",
        "cost",
    ]
    assert line.replace("(", "\\(").replace(")", "\\)") in report.to_markdown()


def test_older_tables_with_seconds_are_still_read(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        "trial,state,objective,objective_std,ws353,window_size,mode,seconds\n"
        "0,COMPLETE,0.21,,0.21,5,cbow,1.5\n1,COMPLETE,0.34,,0.34,8,skipgram,2.25\n"
        "2,FAIL,,,,3,cbow,\n",
        encoding="utf-8",
    )
    report = build_report([path])
    table = report.tuning[0]
    assert not table.multi and table.best["trial"] == 1
    assert table.goldsets == ("ws353",) and table.hyperparameters == ("window_size", "mode")
    assert table.totals()["wall_seconds"] == 3.75 and math.isnan(table.totals()["cpu_seconds"])
    assert "In all: 3 trials (2 complete, 1 fail), 3.8 wall seconds." in " ".join(Page(report.to_html()).text)
    assert cost_figure(table).axes[0].get_xlabel() == "wall seconds"
    assert list(report.figures()) == ["tuning-old-csv-hyperparameters.png", "tuning-old-csv-cost.png"]


def test_a_multi_objective_csv_from_the_command_line(tmp_path):
    rows = _rows(THREE, {6: "PRUNED"}, cost=True)
    path = tmp_path / "three.csv"
    columns = list(rows[0])
    path.write_text(
        ",".join(columns)
        + "\n"
        + "\n".join(",".join("" if r[c] is None else str(r[c]) for c in columns) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    out, plots = tmp_path / "report.md", tmp_path / "figures"
    status, _printed, err = _cli("report", path, "-o", out, "--plots", plots)
    assert status == 0, err
    assert sorted(p.name for p in plots.iterdir()) == [
        "tuning-three-csv-cost.png",
        "tuning-three-csv-hyperparameters.png",
        "tuning-three-csv-pareto.png",
    ]
    text = out.read_text(encoding="utf-8")
    section = text.split("#### Pareto front")[1].split("![objective against hyperparameters]")[0]
    lines = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    named = [int(line.split("|")[1]) for line in lines[1:]]
    assert named == [r["trial"] for r in rows if r["pareto_optimal"]]
    assert "3 objectives (objective\\_1, objective\\_2, objective\\_3): no single best" in text


def test_bad_multi_objective_tables_name_the_file(tmp_path):
    rows = _rows(TWO, TWO_STATES)
    path = _write_json(
        tmp_path / "no-front.json", [{k: v for k, v in r.items() if k != "pareto_optimal"} for r in rows]
    )
    with pytest.raises(
        ReportInputError,
        match=r"no-front\.json:1: the multi-objective results table "
        r"\(objective_1, objective_2\) has no 'pareto_optimal' column",
    ):
        build_report([path])
    path = _write_json(
        tmp_path / "gap.json",
        [{("objective_3" if k == "objective_2" else k): v for k, v in r.items()} for r in rows],
    )
    with pytest.raises(
        ReportInputError,
        match=r"gap\.json:1: the objective columns objective_1, objective_3 "
        r"do not run from objective_1 to objective_2",
    ):
        build_report([path])
    rows[2]["objective_2"] = "high"
    path = _write_json(tmp_path / "word.json", rows)
    line = [i + 1 for i, text in enumerate(path.read_text(encoding="utf-8").splitlines()) if text == " {"][2]
    with pytest.raises(ReportInputError, match=rf"word\.json:{line}: the objective_2 'high' is not a number"):
        build_report([path])


def test_a_multi_objective_report_renders_in_headless_chromium(tmp_path):
    from test_report_render import _colours, rendered_pixels

    report = build_report([_write_json(tmp_path / "two.json", _rows(TWO, TWO_STATES, cost=True))])
    pixels = rendered_pixels(report, tmp_path, height=1400)
    assert _colours(pixels) > 300
    # The front's red points and line (#d62728) and the other trials' blue ones are on screen.
    red = (pixels[..., 0] > 0.75) & (pixels[..., 1] < 0.3) & (pixels[..., 2] < 0.3)
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 0] < 0.35) & (pixels[..., 1] > 0.35)
    assert red.sum() > 200 and blue.sum() > 20


def test_a_multi_objective_table_plots_each_objective_against_each_hyperparameter(tmp_path):
    from w2veval.report._plots import hyperparameters_figure

    rows = _rows(TWO, TWO_STATES)
    table = build_report([_write_json(tmp_path / "two.json", rows)]).tuning[0]
    visible = [ax for ax in hyperparameters_figure(table).axes if ax.get_visible()]
    assert [(ax.get_ylabel(), ax.get_xlabel()) for ax in visible] == [
        ("objective_1", "window_size"),
        ("objective_1", "mode"),
        ("objective_2", "window_size"),
        ("objective_2", "mode"),
    ]
    front = [r for r in rows if r["pareto_optimal"]]
    for ax in visible[::2]:  # window_size is numeric: x is the value
        stars = np.asarray(_by_gid(ax, "front")[0].get_offsets()).tolist()
        assert sorted(stars) == sorted([r["window_size"], r[ax.get_ylabel()]] for r in front)
        points = np.asarray(_by_gid(ax, "trials")[0].get_offsets())
        assert len(points) == sum(
            1 for r in rows if r["objective_1"] is not None and r["objective_2"] is not None
        )


# --- end to end: a real multi-objective study on gensim's Lee corpus ---------------------------


@pytest.fixture(scope="module")
def multi_study(tmp_path_factory):
    """`w2veval tune run` with two objectives (gensim's own WS-353 and SimLex-999, an empty
    w2veval cache) on lee_background.cor, then `tune results --format json` of it. The Lee
    vocabulary covers too few pairs for the default ranking rule, so trials are ranked with
    ``--min-pairs 2 --min-coverage 0``: otherwise no trial could be on the front."""
    pytest.importorskip("optuna")
    from gensim.test.utils import datapath

    folder = tmp_path_factory.mktemp("multi")
    storage = f"sqlite:///{folder / 'study.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("W2VEVAL_HOME", str(folder / "home"))
        status, _, err = _cli(
            "tune",
            "run",
            datapath("lee_background.cor"),
            "--trials",
            6,
            "--objective",
            "1*ws353",
            "--objective",
            "1*simlex999",
            "--storage",
            storage,
            "--study",
            "multi",
            "--range",
            "mode=cbow,batch_skipgram",
            "--range",
            "vector_dim=10:20",
            "--range",
            "epochs=1:2",
            "--range",
            "learning_rate=0.01:0.05:log",
            "--set",
            "min_count=5",
            "--set",
            "window_size=2",
            "--threads",
            1,
            "--seed",
            3,
            "--no-progress",
        )
        assert status == 0, err
        status, out, err = _cli(
            "tune",
            "results",
            "--storage",
            storage,
            "--study",
            "multi",
            "--min-pairs",
            2,
            "--min-coverage",
            0,
            "--price-per-hour",
            0.9,
            "--format",
            "json",
        )
        assert status == 0, err
        path = folder / "multi.json"
        path.write_text(out, encoding="utf-8")
        yield storage, path, json.loads(out)


def test_the_report_names_the_trials_tune_results_marks(multi_study, tmp_path):
    storage, path, rows = multi_study
    marked = [r["trial"] for r in rows if r["pareto_optimal"]]
    assert marked  # two rank correlations on six trials: a front of at least one
    # The marks themselves, checked independently: the complete rankable trials no other dominates.
    ranked = [r for r in rows if r["state"] == "COMPLETE" and r["rankable"]]
    values = np.array([[r["objective_1"], r["objective_2"]] for r in ranked])
    dominated = _dominated(values, np.array([True, True]))
    assert sorted(marked) == sorted(r["trial"] for r, d in zip(ranked, dominated, strict=True) if not d)
    # The results file, through the command line: Markdown and figures.
    out, plots = tmp_path / "report.md", tmp_path / "figures"
    status, _, err = _cli("report", path, "-o", out, "--plots", plots)
    assert status == 0, err
    text = out.read_text(encoding="utf-8")
    section = text.split("#### Pareto front")[1].split("![objective against hyperparameters]")[0]
    lines = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert [int(line.split("|")[1]) for line in lines[1:]] == marked
    assert {"tuning-multi-json-pareto.png", "tuning-multi-json-cost.png"} <= {p.name for p in plots.iterdir()}
    table = build_report([path]).tuning[0]
    assert cost_figure(table).axes[0].get_xlabel() == COST_LABELS["cost"]
    cost = sum(r["wall_seconds"] for r in rows) / 3600 * 0.9
    assert f"estimated cost {cost:.4g}" in text
    # The study itself, with the same ranking rule: named objectives, the same front.
    report = build_report(storage=storage, study="multi", min_pairs=2, min_coverage=0)
    table = report.tuning[0]
    assert table.objective_names == ("1*ws353", "1*simlex999")
    assert table.front["trial"].tolist() == marked
    ax = pareto_figure(table).axes[0]
    assert ax.get_xlabel() == "1*ws353 (objective_1) higher is better"
    assert sorted(t.get_text() for t in _by_gid(ax, "front-label")) == sorted(str(t) for t in marked)
    page = Page(report.to_html())
    assert [int(r[0]["text"]) for r in page.body_rows("pareto-study-multi")] == marked
    assert page.header("pareto-study-multi")[1] == "1*ws353 (objective_1) higher is better"


def test_a_real_pruned_study_draws_its_pruned_trials_apart(tmp_path, monkeypatch):
    """`tune run --prune median` (deterministic: the same trials are pruned every run), then
    the report of its `tune results --format csv`: pruned trials at (CPU seconds, the
    objective they last reported), apart from the complete ones."""
    pytest.importorskip("optuna")
    import csv

    from gensim.test.utils import datapath

    monkeypatch.setenv("W2VEVAL_HOME", str(tmp_path / "home"))
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    status, _, err = _cli(
        "tune",
        "run",
        datapath("lee_background.cor"),
        "--trials",
        8,
        "--objective",
        "1*ws353",
        "--prune",
        "median",
        "--storage",
        storage,
        "--study",
        "pruned",
        "--range",
        "mode=cbow,batch_skipgram",
        "--range",
        "vector_dim=10:20",
        "--range",
        "learning_rate=0.01:0.05:log",
        "--set",
        "epochs=4",
        "--set",
        "min_count=5",
        "--set",
        "window_size=2",
        "--deterministic",
        "--seed",
        3,
        "--no-progress",
    )
    assert status == 0, err
    status, out, err = _cli("tune", "results", "--storage", storage, "--study", "pruned", "--format", "csv")
    assert status == 0, err
    path = tmp_path / "pruned.csv"
    path.write_text(out, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(out)))
    pruned = {(float(r["cpu_seconds"]), float(r["objective"])) for r in rows if r["state"] == "PRUNED"}
    complete = {(float(r["cpu_seconds"]), float(r["objective"])) for r in rows if r["state"] == "COMPLETE"}
    assert pruned and complete and len(pruned) + len(complete) == 8
    report = build_report([path])
    ax = cost_figure(report.tuning[0]).axes[0]
    assert ax.get_xlabel() == "CPU seconds"
    assert {tuple(p) for p in np.asarray(_by_gid(ax, "pruned")[0].get_offsets()).tolist()} == pruned
    drawn = {
        tuple(p)
        for gid in ("trials", "best")
        for c in _by_gid(ax, gid)
        for p in np.asarray(c.get_offsets()).tolist()
    }
    assert drawn == complete
    wall, cpu = sum(float(r["wall_seconds"]) for r in rows), sum(float(r["cpu_seconds"]) for r in rows)
    text = " ".join(Page(report.to_html()).text)
    assert (
        f"In all: 8 trials ({len(complete)} complete, {len(pruned)} pruned), {wall:,.1f} wall seconds, "
        f"{cpu:,.1f} CPU seconds." in text
    )


@pytest.mark.parametrize("kind", ["journal", "postgresql"])
def test_the_study_reads_the_same_from_journal_and_postgresql_storages(multi_study, tmp_path, kind):
    """The real study, copied by Optuna into a journal file and a throwaway PostgreSQL server:
    the report names the same front from each."""
    import optuna

    from w2veval.tune._storage import open_storage

    storage, _, rows = multi_study
    marked = [r["trial"] for r in rows if r["pareto_optimal"]]
    server = None
    if kind == "journal":
        url = f"journal:///{tmp_path / 'study.log'}"
    else:
        from _postgres import PostgresServer, require_postgres

        server = PostgresServer(require_postgres()).start()
        url = server.url
    try:
        optuna.copy_study(
            from_study_name="multi",
            from_storage=open_storage(storage, create=False),
            to_storage=open_storage(url, create=True),
            to_study_name="multi",
        )
        report = build_report(storage=url, study="multi", min_pairs=2, min_coverage=0)
        table = report.tuning[0]
        assert table.front["trial"].tolist() == marked
        assert table.objective_names == ("1*ws353", "1*simlex999")
        page = Page(report.to_html())
        assert [int(r[0]["text"]) for r in page.body_rows("pareto-study-multi")] == marked
    finally:
        if server is not None:
            server.stop()


@pytest.mark.parametrize("column", ["pareto_optimal", "rankable"])
def test_a_flag_that_is_neither_true_nor_false_is_refused_not_read_as_false(tmp_path, column):
    from w2veval.report._inputs import read_results

    rows = [{**r, "rankable": True} for r in _rows(TWO, TWO_STATES)]
    rows[1][column] = "yes"
    path = _write_json(tmp_path / "bad.json", rows)
    with pytest.raises(ReportInputError, match=f"{column} 'yes' is neither true nor false"):
        read_results(path)
