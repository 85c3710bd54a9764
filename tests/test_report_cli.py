"""`w2veval report` as a user runs it: a subprocess, files written atomically, one-line errors."""

from __future__ import annotations

import sys

import pytest

from w2veval.report import build_report

ARGS = ("-g", "ws353", "--resamples", "300", "--probe", "family", "-k", "5", "--no-progress")


@pytest.fixture(scope="module")
def library_report(model_files):
    return build_report(
        [model_files["sg"], model_files["cbow"]], ["ws353"], n_resamples=300, probes=("family",), k=5
    )


def test_html_and_plots_equal_the_library(w2veval_cli, model_files, library_report, tmp_path):
    out, plots = tmp_path / "report.html", tmp_path / "plots"
    done = w2veval_cli("report", model_files["sg"], model_files["cbow"], *ARGS, "-o", out, "--plots", plots)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{out}: 2 vectors, 1 gold sets, 0 tuning tables; 2 figures in {plots}\n"
    assert out.read_text(encoding="utf-8") == library_report.to_html()
    assert sorted(p.name for p in plots.iterdir()) == sorted(library_report.figures())
    for name, data in library_report.figures().items():
        assert (plots / name).read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plots", "report.html"]  # no temporary left


def test_markdown_to_stdout_equals_the_library(w2veval_cli, model_files, library_report):
    done = w2veval_cli("report", model_files["sg"], model_files["cbow"], *ARGS, "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert done.stdout == library_report.to_markdown()


def test_markdown_file_links_the_plots_relative_to_itself(w2veval_cli, model_files, tmp_path):
    out = tmp_path / "pr" / "report.md"
    out.parent.mkdir()
    done = w2veval_cli("report", model_files["sg"], *ARGS, "-o", out, "--plots", tmp_path / "figures")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# w2veval report: sg.txt\n")
    assert "](../figures/leaderboard.png)" in text and "](../figures/pairs-ws353.png)" in text
    assert (tmp_path / "figures" / "pairs-ws353.png").read_bytes().startswith(b"\x89PNG")


def _one_line_error(done, *fragments):
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("w2veval: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in done.stderr


def test_an_unknown_input_writes_nothing(w2veval_cli, model_files, tmp_path):
    out = tmp_path / "report.html"
    done = w2veval_cli(
        "report", model_files["sg"], tmp_path / "nope.txt", "-o", out, "--plots", tmp_path / "p"
    )
    _one_line_error(done, "nope.txt: no such file or folder", "results file")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_report_leaves_an_older_file_untouched(w2veval_cli, model_files, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("the report of yesterday", encoding="utf-8")
    done = w2veval_cli("report", model_files["sg"], "-g", "no-such-goldset", "-o", out)
    _one_line_error(done, "no-such-goldset")
    assert out.read_text(encoding="utf-8") == "the report of yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_an_unwritable_output_is_one_line(w2veval_cli, model_files, tmp_path):
    done = w2veval_cli(
        "report", model_files["sg"], *ARGS, "--no-probes", "-o", tmp_path / "missing" / "r.html"
    )
    _one_line_error(done, "r.html: cannot write here")


def test_nothing_to_report(w2veval_cli):
    _one_line_error(w2veval_cli("report"), "nothing to report")


def test_without_matplotlib_the_message_names_the_extra(w2veval_cli, model_files, tmp_path):
    """A real interpreter in which `import matplotlib` fails, as on an install without [plot]."""
    import subprocess

    out = tmp_path / "r.html"
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from w2veval.cli import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "report", str(model_files["sg"]), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    _one_line_error(done, "w2veval report needs the package 'matplotlib'", "pip install 'w2veval[plot]'")
    assert not out.exists()
    # Markdown without figures needs no matplotlib.
    done = subprocess.run(
        [sys.executable, "-c", code, "report", str(model_files["sg"]), *ARGS, "--format", "markdown"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# w2veval report: sg.txt\n")


def test_report_help_lists_the_options(w2veval_cli):
    done = w2veval_cli("report", "--help")
    assert done.returncode == 0
    for option in ("--plots", "--format", "--storage", "--study", "--probe", "--labels", "--ci"):
        assert option in done.stdout


def test_a_plots_folder_that_is_a_file_is_one_line(w2veval_cli, model_files, tmp_path):
    taken = tmp_path / "figures"
    taken.write_text("not a folder", encoding="utf-8")
    done = w2veval_cli(
        "report", model_files["sg"], *ARGS, "--format", "markdown", "--plots", taken, "-o", tmp_path / "r.md"
    )
    _one_line_error(done, "figures: cannot make the folder for the figures")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures"]


BARS = ("bootstrap sg.txt", "compare: bootstrap", "report: pairs", "report: neighbours", "report: plots")


def test_progress_bars_on_stderr_unless_no_progress(w2veval_cli, model_files, tmp_path):
    # A bar shows once its step has run a second; W2VEVAL_PROGRESS_DELAY=0 shows every bar, untimed.
    args = [
        model_files["sg"],
        model_files["cbow"],
        "-g",
        "ws353",
        "--resamples",
        "300",
        "--probe",
        "family",
        "-k",
        "5",
        "-o",
        tmp_path / "report.html",
    ]
    shown = w2veval_cli("report", *args, env={"W2VEVAL_PROGRESS_DELAY": "0"})
    assert shown.returncode == 0, shown.stderr
    for bar in BARS:
        assert bar in shown.stderr, (bar, shown.stderr)
    assert "/s]" in shown.stderr  # tqdm's rate, e.g. "2/2 [00:00<00:00, 9.1model/s]"
    quiet = w2veval_cli("report", *args, "--no-progress", env={"W2VEVAL_PROGRESS_DELAY": "0"})
    assert quiet.returncode == 0, quiet.stderr
    assert not any(bar in quiet.stderr for bar in BARS) and "/s]" not in quiet.stderr
