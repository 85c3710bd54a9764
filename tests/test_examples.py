"""The examples run end to end (the ones that need no optional extra)."""

import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_score_blazingtext_model_example(shared_goldsets, tmp_path):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "score_blazingtext_model.py")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()[1:4]] == [
        "ws353",
        "simlex999",
        "jobs-domain",
    ]


def test_blazingtext_example_reports_mean_rho_of_the_archive(shared_goldsets, tmp_path):
    import importlib.util

    import w2veval

    spec = importlib.util.spec_from_file_location("bt_example", EXAMPLES / "score_blazingtext_model.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    archive = example.build_example_archive(tmp_path)
    splits = shared_goldsets / "wordvectors_org"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "score_blazingtext_model.py"), str(archive), str(splits)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    printed = float(re.search(r"mean_rho .*: (-?[0-9.]+)", done.stdout).group(1))
    files = [splits / f"EN-WS-353-{part}.txt" for part in ("ALL", "REL", "SIM")]
    assert printed == round(w2veval.mean_rho(archive, files=files), 4)


def test_custom_domain_example_on_a_vectors_file(tmp_path, w2v_model):
    vectors = tmp_path / "vectors.txt"
    w2v_model.wv.save_word2vec_format(vectors)
    domain = tmp_path / "mine.tsv"
    domain.write_text(
        "word1\tword2\tscore\ngovernment\tminister\t8\nhouse\tbuilding\t7\ngovernment\tfire\t1\n"
    )
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "custom_domain_goldset.py"), str(vectors), str(domain)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"my-domain\s+3\s+3", done.stdout)


def test_the_readme_sample_is_what_make_demo_prints(tmp_path):
    """The README's console sample is a real run: `make demo` (examples/demo.py on GloVe 6B 50d)
    prints it line for line, warnings included (progress bars held back)."""
    import os

    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```console\n")[2].split("```")[0]
    expected = [line for line in block.splitlines() if "--format json" not in line]
    env = {
        **os.environ,
        "W2VEVAL_DEMO_DIR": str(tmp_path / "demo"),
        "W2VEVAL_HOME": str(tmp_path / "home"),
        "W2VEVAL_PROGRESS_DELAY": "1000000",
    }
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    printed = [line for line in done.stdout.splitlines() if not line.startswith("Writing GloVe")]
    assert printed == expected


def test_task_tuning_example_prints_what_its_docstring_shows(tmp_path, shared_goldsets, shared_tasks):
    """examples/task_tuning.py (0.5*mr-polarity+0.5*ws353-sim on the Lee corpus, deterministic)
    prints its docstring's output line for line, with the real sets imported from ../shared."""
    import os

    home = tmp_path / "home"
    env = {**os.environ, "W2VEVAL_HOME": str(home)}
    for folder in (shared_tasks, shared_goldsets / "ws353"):
        subprocess.run(
            [sys.executable, "-m", "w2veval", "goldsets", "import", str(folder)],
            env=env,
            check=True,
            capture_output=True,
        )
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "task_tuning.py")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    docstring = (EXAMPLES / "task_tuning.py").read_text(encoding="utf-8").split("Its real output")[1]
    shown = docstring.split("::\n\n", 1)[1].split('"""')[0].rstrip("\n").split("\n")
    assert done.stdout.rstrip("\n").split("\n") == [line[4:] for line in shown]
    rows = [line.split() for line in done.stdout.splitlines()[1:5]]
    for row in rows:  # the objective is the two terms' mean, as printed (3 decimals)
        assert abs(float(row[1]) - (float(row[2]) + float(row[3])) / 2) <= 0.0011


def test_task_tuning_example_says_how_to_install_the_sets(tmp_path):
    import os

    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "task_tuning.py")],
        capture_output=True,
        text=True,
        env={**os.environ, "W2VEVAL_HOME": str(tmp_path / "empty")},
    )
    assert done.returncode == 2
    assert (
        "not installed: mr-polarity, ws353-sim" in done.stderr
        and "goldsets import ../shared/tasks" in done.stderr
    )
