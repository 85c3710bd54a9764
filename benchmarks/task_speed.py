"""Downstream-task speed: the polarity task on GloVe 6B 50d, w2veval against a user's own script (issue 13).

Each measurement is a whole, fresh process (interpreter start-up, imports and reading
the vectors file count):

* w2veval: ``w2veval.evaluate(GLOVE_TXT, "mr-polarity")`` (the catalogued task,
  installed once before timing into a benchmark-only ``W2VEVAL_HOME`` from
  ``../shared/tasks``): only the task's words are read from the file;
* the straightforward script: ``KeyedVectors.load_word2vec_format`` of the whole file,
  the two polarity files read and tokenised with the same ``\\w+`` rule, each text the
  ``np.mean`` of its known tokens' unit vectors in a Python loop, and the same
  ``LogisticRegression`` under the same ``StratifiedKFold(10, shuffle=True,
  random_state=0)``.

The tools run alternately ``--repeat`` times with the file read right before every
run; the median wall time and peak RSS are reported with both accuracies, which must
agree within 0.005. Run ``.venv/bin/python benchmarks/task_speed.py [--repeat N]
[--snapshot] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import WORK, glove_files, warm_page_cache
from _measure import measure
from score_speed import machine_info, snapshot_w2veval

SHARED_TASKS = Path(__file__).resolve().parents[2] / "shared" / "tasks"
HOME = WORK / "task_home"
TARGET_SPEEDUP = 5.0
TOLERANCE = 0.005
TIMEOUT_S = 1800.0

_W2VEVAL = """
import json, sys
from w2veval.scoring import evaluate_rows
row = evaluate_rows(sys.argv[1], "mr-polarity", pvalues=False)[0]
print(json.dumps({"accuracy": row["accuracy"], "macro_f1": row["macro_f1"], "n": row["n_pairs"]}))
"""

_SCRIPT = """
import json, re, sys
import numpy as np
from gensim.models import KeyedVectors
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

kv = KeyedVectors.load_word2vec_format(sys.argv[1])
texts, labels = [], []
for label in ("pos", "neg"):
    with open(f"{sys.argv[2]}/rt-polarity.{label}", encoding="cp1252", newline="") as f:
        lines = [line for line in f.read().split("\\n") if line.strip()]
    texts += lines
    labels += [label] * len(lines)
features = []
for text in texts:
    units = [kv.get_vector(t, norm=True) for t in re.findall(r"\\w+", text) if t in kv.key_to_index]
    features.append(np.mean(units, axis=0) if units else np.zeros(kv.vector_size))
x, y = np.array(features, dtype=np.float64), np.array(labels)
predicted = np.empty(len(y), dtype=y.dtype)
for train, test in StratifiedKFold(n_splits=10, shuffle=True, random_state=0).split(x, y):
    predicted[test] = LogisticRegression(max_iter=1000).fit(x[train], y[train]).predict(x[test])
print(json.dumps({"accuracy": accuracy_score(y, predicted),
                  "macro_f1": f1_score(y, predicted, average="macro"), "n": len(y)}))
"""


def install_task(env: dict) -> None:
    """Install the catalogued polarity task into the benchmark's own ``W2VEVAL_HOME`` (untimed)."""
    import subprocess

    code = "import sys, w2veval.goldsets as g; g.import_dir(sys.argv[1]); print(g.load('mr-polarity'))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(SHARED_TASKS)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"installing mr-polarity from {SHARED_TASKS} failed:\n{done.stderr}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--snapshot", action="store_true", help="measure a frozen copy of w2veval's source")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)
    text, _ = glove_files()
    how = snapshot_w2veval(WORK / "w2veval_snapshot") if args.snapshot else {"env": dict(os.environ)}
    how["env"] = {**how["env"], "W2VEVAL_HOME": str(HOME)}
    install_task(how["env"])
    info = machine_info(Path(how["cwd"]) / "w2veval" if "cwd" in how else None)
    commands = {
        "w2veval": [sys.executable, "-c", _W2VEVAL, str(text)],
        "script": [sys.executable, "-c", _SCRIPT, str(text), str(SHARED_TASKS / "mr-polarity")],
    }
    # As a user's install has them: byte-code caches written (this machine sets
    # PYTHONDONTWRITEBYTECODE, and compiling scikit-learn's source took 5-12 s per process).
    how["env"].pop("PYTHONDONTWRITEBYTECODE", None)
    plain = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    for tool, command in commands.items():  # one untimed warm-up run each
        measure(command, timeout=TIMEOUT_S, **(how if tool == "w2veval" else {"env": plain}))
    runs = {tool: [] for tool in commands}
    for i in range(1, args.repeat + 1):
        for tool, command in commands.items():
            warm_page_cache(text)
            m = measure(command, timeout=TIMEOUT_S, **(how if tool == "w2veval" else {"env": plain}))
            if not m.ok:
                raise SystemExit(f"{tool} failed: {m.failure()}\n{m.stderr[-3000:]}")
            runs[tool].append((m, json.loads(m.stdout.strip().splitlines()[-1])))
            print(
                f"run {i}/{args.repeat} {tool:8s} {m.wall_s:7.2f} s wall {m.cpu_s:7.2f} s CPU "
                f"{m.max_rss_mb:7.1f} MB {runs[tool][-1][1]}",
                flush=True,
            )
    table = markdown(runs, info, text, args.repeat)
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


def markdown(runs: dict, info: dict, text: Path, repeat: int) -> str:
    median = {
        tool: {
            "wall": statistics.median(m.wall_s for m, _ in r),
            "cpu": statistics.median(m.cpu_s for m, _ in r),
            "mb": statistics.median(m.max_rss_mb for m, _ in r),
            **r[0][1],
        }
        for tool, r in runs.items()
    }
    w, s = median["w2veval"], median["script"]
    speedup = s["wall"] / w["wall"]
    equal = abs(w["accuracy"] - s["accuracy"]) <= TOLERANCE
    verdict = "met" if speedup >= TARGET_SPEEDUP and equal else "MISSED"
    lines = [
        "| tool | wall s | CPU s | peak MB | accuracy | macro-F1 | texts |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, tool in (("w2veval", w), ("gensim + averaging script", s)):
        lines.append(
            f"| {name} | {tool['wall']:.2f} | {tool['cpu']:.2f} | {tool['mb']:.0f} | "
            f"{tool['accuracy']:.4f} | {tool['macro_f1']:.4f} | {tool['n']} |"
        )
    lines.append("")
    lines.append(
        f"Speed-up {speedup:.1f}× in wall time ({s['cpu'] / w['cpu']:.1f}× in CPU time), "
        f"target ≥ {TARGET_SPEEDUP:g}×; accuracy difference "
        f"{abs(w['accuracy'] - s['accuracy']):.4f} (≤ {TOLERANCE}): {verdict}. "
        f"Median of {repeat} runs; file {text.name} ({text.stat().st_size / 1e6:.0f} MB)."
    )
    lines.append("")
    lines += [f"- {key}: {value}" for key, value in info.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
