"""Bootstrap intervals and model comparison on every catalogued English gold set at once (issue 7).

The gold sets are imported from ``../shared/goldsets`` into a private cache under
``benchmarks/_work/home`` (``W2VEVAL_HOME``); ``lang:en`` selects every English
word-pair set of the catalog. Two real models: GloVe 6B 50d (400,000 x 50, as word2vec
binary) and the same vectors cut to their first 25 dimensions (a weaker model that
shares the vocabulary). Timed, in this process, median of ``--repeat``:

* ``evaluate(glove, lang:en)`` — the scores alone;
* ``evaluate(glove, lang:en, ci=0.95)`` — plus BCa bootstrap intervals, 10,000 resamples;
* ``compare(glove, glove25, lang:en)`` — paired bootstrap of the difference, Steiger's test
  and Holm's correction across the sets.

Run::

    .venv/bin/python benchmarks/stats_all_english.py [--repeat 3] [--resamples 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import WORK, glove_files

SHARED = Path(__file__).resolve().parents[2] / "shared" / "goldsets"


def _timed(call, repeat: int):
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args(argv)

    os.environ["W2VEVAL_HOME"] = str(WORK / "home")
    import numpy as np

    import w2veval
    import w2veval.goldsets as goldsets

    goldsets.import_dir(args.shared)
    english = goldsets.resolve("lang:en")
    n_pairs = sum(len(g.pairs) for g in english)
    _, binary = glove_files()
    glove = w2veval.load_vectors(binary)
    weaker = w2veval.load_vectors((glove.words, np.ascontiguousarray(glove.vectors[:, :25])))
    warnings.simplefilter("ignore")

    rows = []
    for label, call in (
        ("evaluate, scores only", lambda: w2veval.evaluate(glove, english)),
        (
            f"evaluate, ci=0.95 (BCa, {args.resamples:,} resamples)",
            lambda: w2veval.evaluate(glove, english, ci=0.95, n_resamples=args.resamples),
        ),
        (
            f"compare A vs B (paired bootstrap {args.resamples:,}, Steiger, Holm)",
            lambda: w2veval.compare(glove, weaker, english, n_resamples=args.resamples),
        ),
    ):
        wall, cpu, result = _timed(call, args.repeat)
        rows.append((label, wall, cpu, len(result)))
    print(
        f"{len(english)} English gold sets, {n_pairs:,} pairs in all; GloVe 6B 50d vs its first "
        f"25 dimensions; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"median of {args.repeat}, vectors already loaded\n"
    )
    print("| call | rows | wall s | CPU s |")
    print("|---|---:|---:|---:|")
    for label, wall, cpu, n in rows:
        print(f"| {label} | {n} | {wall:.2f} | {cpu:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
