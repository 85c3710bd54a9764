"""The report's sections for categorization, outlier detection and tasks (issue 13), on a word2vec
model trained by gensim on the Lee corpus, with the real AP and 8-8-8 sets imported from ../shared
into a temporary W2VEVAL_HOME, and a task file of 1,000 real SMS messages with their labels."""

from __future__ import annotations

import numpy as np
import pytest
from _task_reference import reference_predictions

from w2veval.io import load_vectors
from w2veval.report import build_report


@pytest.fixture(scope="module")
def home(tmp_path_factory, shared_goldsets):
    import w2veval.goldsets

    folder = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("W2VEVAL_HOME", str(folder))
        w2veval.goldsets.import_dir(shared_goldsets / "categorization")
        w2veval.goldsets.import_dir(shared_goldsets / "outlier")
        w2veval.goldsets.import_dir(shared_goldsets / "ws353")
        assert {"ap", "8-8-8", "ws353-sim"} <= set(w2veval.goldsets.installed_names())
        yield folder


@pytest.fixture(scope="module")
def sms(tmp_path_factory, shared_tasks):
    lines = (shared_tasks / "sms-spam" / "SMSSpamCollection").read_text(encoding="utf-8").split("\n")[1:]
    rows = [line.rstrip("\r").split("\t", 1) for line in lines if line.strip()][:1000]
    rows = [(label, " ".join(text.split())) for label, text in rows]
    path = tmp_path_factory.mktemp("task") / "sms.tsv"
    path.write_text("label\ttext\n" + "".join(f"{label}\t{t}\n" for label, t in rows), encoding="utf-8")
    return path, rows


@pytest.fixture(scope="module")
def report(home, sms, w2v_model):
    return build_report(
        {"lee": load_vectors(w2v_model.wv)},
        ["ws353-sim", "ap", "8-8-8", f"task:{sms[0]}"],
        probes=(),
        n_resamples=200,
    )


def test_per_class_table_equals_sklearn_on_an_independent_classifier(report, sms, w2v_model):
    from sklearn.metrics import precision_recall_fscore_support

    rows = sms[1]
    truth, predicted = reference_predictions(w2v_model.wv, [t for _, t in rows], [label for label, _ in rows])
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=np.nan
    )
    table = report.classes[report.classes["goldset"] == "sms"].set_index("label")
    assert list(table.index) == labels == ["ham", "spam"]
    for i, label in enumerate(labels):
        assert (
            table.at[label, "support"] == support[i] == sum(1 for row_label, _ in rows if row_label == label)
        )
        for column, expected in (("precision", precision[i]), ("recall", recall[i]), ("f1", f1[i])):
            assert table.at[label, column] == pytest.approx(expected, abs=1e-12, nan_ok=True)
    [task] = report.kind_scores[report.kind_scores["goldset"] == "sms"].to_dict("records")
    assert task["macro_f1"] == pytest.approx(np.nanmean(f1), abs=1e-12)


def test_category_rows_add_up_to_the_sets_row(report):
    [row] = report.kind_scores[report.kind_scores["goldset"] == "ap"].to_dict("records")
    table = report.categories[report.categories["goldset"] == "ap"]
    assert (
        len(table) == 21 and table["n_items"].sum() == row["n_pairs"] == 402
    )  # AP: 402 words, 21 categories
    assert table["n_scored"].sum() == row["n_scored"]
    clustered = table[table["n_scored"] > 0]
    assert ((clustered["share"] > 0) & (clustered["share"] <= 1)).all()
    assert table[table["n_scored"] == 0]["share"].isna().all()


def test_markdown_has_a_section_per_kind_with_its_numbers(report):
    text = report.to_markdown()
    for title in ("## Leaderboard", "## Categorization", "## Outlier detection", "## Tasks"):
        assert title in text
    assert text.index("## Categorization") < text.index("## Outlier detection") < text.index("## Tasks")
    [outlier] = report.kind_scores[report.kind_scores["goldset"] == "8-8-8"].to_dict("records")
    assert (
        f"| lee | 8\\-8\\-8 | {outlier['accuracy']:.3f} [{outlier['accuracy_lo']:.3f}".replace("[", "\\[")
        in text
    )
    assert "### sms on lee: per class" in text and "### ap on lee: per category" in text
    for label in ("ham", "spam"):  # NaN (a class never predicted) shows as an en dash
        row = report.classes[report.classes["label"] == label].iloc[0]
        cells = [str(row["support"])] + [
            "\u2013" if np.isnan(row[c]) else f"{row[c]:.3f}" for c in ("precision", "recall", "f1")
        ]
        assert f"| {label} | " + " | ".join(cells) + " |" in text


def test_html_has_the_sections_in_the_navigation(report):
    from html.parser import HTMLParser

    page = report.to_html()
    ids, tables = [], []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "section":
                ids.append(attrs.get("id"))
            if tag == "table":
                tables.append(attrs.get("id"))

    Collect().feed(page)
    assert ids.index("section-categorization") < ids.index("section-outliers") < ids.index("section-tasks")
    assert {"categorization-0", "categorization-1", "outliers-0", "tasks-0", "tasks-1"} <= set(tables)
    for anchor in ("section-categorization", "section-outliers", "section-tasks"):
        assert f'href="#{anchor}"' in page


def test_a_report_of_a_task_alone_has_no_pair_sections(home, sms, w2v_model):
    alone = build_report({"lee": load_vectors(w2v_model.wv)}, [f"task:{sms[0]}"], probes=(), n_resamples=100)
    assert alone.goldsets == [] and alone.other_goldsets == ["sms"]
    text = alone.to_markdown()
    assert "## Tasks" in text and "## Leaderboard" not in text and "## Coverage" not in text
    assert "section-tasks" in alone.to_html()


def test_the_report_command_writes_the_sections_and_counts_the_sets(
    tmp_path, home, sms, w2v_model, w2veval_cli
):
    import os

    vectors = tmp_path / "lee.txt"
    w2v_model.wv.save_word2vec_format(str(vectors))
    out = tmp_path / "report.md"
    done = w2veval_cli(
        "report",
        vectors,
        "-g",
        "ws353-sim",
        "-g",
        "ap",
        "-g",
        f"task:{sms[0]}",
        "--no-probes",
        "-o",
        out,
        "--format",
        "markdown",
        env={"W2VEVAL_HOME": os.environ["W2VEVAL_HOME"]},
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout == f"{out}: 1 vectors, 1 gold sets, 2 other sets (categorization, outliers, tasks), "
        "0 tuning tables\n"
    )
    text = out.read_text(encoding="utf-8")
    assert "## Categorization" in text and "## Tasks" in text and "## Outlier detection" not in text


def test_html_per_class_cells_hold_the_reports_numbers(report):
    from _report_html import Page

    page = Page(report.to_html())
    [table] = [
        t
        for name, t in page.tables.items()
        if name.startswith("tasks-")
        and [c["text"] for c in t["rows"][0]["cells"]] == ["class", "support", "precision", "recall", "F1"]
    ]
    cells = {row["cells"][0]["text"]: [c["text"] for c in row["cells"][1:]] for row in table["rows"][1:]}
    for r in report.classes.to_dict("records"):
        expected = [str(r["support"])] + [
            "\u2013" if np.isnan(r[c]) else f"{r[c]:.3f}" for c in ("precision", "recall", "f1")
        ]
        assert cells[r["label"]] == expected


def test_a_task_report_renders_in_headless_chromium(tmp_path, home, sms, w2v_model):
    from test_report_render import _colours, rendered_pixels

    report = build_report(
        {"lee": load_vectors(w2v_model.wv)}, ["ap", f"task:{sms[0]}"], probes=(), n_resamples=100
    )
    pixels = rendered_pixels(report, tmp_path, height=1200)
    assert pixels.shape[:2] == (1200, 1200)
    assert pixels[:40, :, :3].mean() < 0.3  # the dark header band: the page itself, not an error page
    assert _colours(pixels) > 20 and pixels[..., :3].std() > 0.05  # text and tables drawn


def test_a_task_gets_a_per_class_f1_figure_in_both_outputs(report, tmp_path):
    figures = report.figures()
    assert figures["classes-sms.png"].startswith(b"\x89PNG")
    assert "![F1 per class, sms](plots/classes-sms.png)" in report.to_markdown(image_dir="plots")
    written = report.write_plots(tmp_path)
    assert "classes-sms.png" in [p.rsplit("/", 1)[-1] for p in map(str, written)]
    html = report.to_html()
    tasks = html[html.index('<section id="section-tasks">') :]
    assert tasks.index('<img src="data:image/png;base64,') < tasks.index("</section>")
