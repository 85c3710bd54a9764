"""Local tuning speed: trials per minute with 1 and 2 worker processes, and the share of each
trial's time that w2veval's scoring takes (target: under 5 %).

The corpus is fixed: gensim's Lee background corpus, tokenised (lower case, no punctuation),
written ``--copies`` times into one file under ``benchmarks/_work/`` (default 4, about 240,000
tokens). The space is fixed too (CBOW or skip-gram, 50-100 dimensions, 3-5 epochs,
``min_count=5``), the objective is ``0.5*ws353+0.5*simlex999`` (gensim's copies of both sets)
and every setting runs the same number of trials from a fresh journal file, so the numbers
compare. The CPU budget is the machine's: 1 worker × all cores, then 2 workers × half of them.

    .venv/bin/python benchmarks/tune_speed.py [--trials 12] [--copies 4]

Prints a Markdown table for docs/performance.md. Not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"
OBJECTIVE = "0.5*ws353+0.5*simlex999"


def corpus(copies: int) -> Path:
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    WORK.mkdir(exist_ok=True)
    path = WORK / f"lee_x{copies}.txt"
    if not path.exists():
        with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
            lines = [" ".join(simple_preprocess(line)) + "\n" for line in fh]
        partial = path.with_suffix(".part")
        with open(partial, "w", encoding="utf-8") as out:
            for _ in range(copies):
                out.writelines(lines)
        partial.replace(path)
    return path


def space():
    from w2veval.space import Categorical, Continuous, Integer, SearchSpace

    return SearchSpace(
        [
            Categorical("mode", ("cbow", "batch_skipgram")),
            Integer("vector_dim", 50, 100),
            Integer("epochs", 3, 5),
            Continuous("learning_rate", 0.01, 0.05, "log"),
        ]
    )


def measure(path: Path, jobs: int, trials: int, folder: Path) -> dict:
    import optuna

    from w2veval.tune import available_cores, run

    threads = max(1, available_cores() // jobs)
    storage = f"journal://{folder / f'jobs{jobs}.log'}"
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = run(
            path,
            OBJECTIVE,
            trials=trials,
            storage=storage,
            study="bench",
            jobs=jobs,
            threads=threads,
            space=space(),
            fixed={"min_count": 5},
            progress=False,
        )
    wall = time.perf_counter() - start
    from w2veval.tune._storage import open_storage

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.load_study(study_name="bench", storage=open_storage(storage, create=False))
    shares = [
        t.user_attrs["score_seconds"] / t.duration.total_seconds()
        for t in study.get_trials()
        if t.state.name == "COMPLETE"
    ]
    scoring = [t.user_attrs["score_seconds"] for t in study.get_trials() if t.state.name == "COMPLETE"]
    return {
        "jobs": jobs,
        "threads": threads,
        "trials": len(table),
        "wall": wall,
        "per_minute": len(table) / wall * 60,
        "trial_s": statistics.median(table["seconds"]),
        "score_s": statistics.median(scoring),
        "share": statistics.median(shares),
        "share_max": max(shares),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args(argv)
    path = corpus(args.copies)
    tokens = sum(len(line.split()) for line in open(path, encoding="utf-8"))
    from w2veval.tune import available_cores

    cores = available_cores()
    print(
        f"corpus {path.name}: {tokens:,} tokens; {cores} cores; load average before {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for jobs in (1, 2):
            if jobs > cores:
                continue
            rows.append(measure(path, jobs, args.trials, Path(folder)))
            print(f"done: {jobs} worker(s)", file=sys.stderr)
    print(
        f"Corpus: Lee ×{args.copies} ({tokens:,} tokens), {args.trials} trials per setting, {cores} cores, "
        f"load average after {os.getloadavg()[0]:.1f}.\n"
    )
    print(
        "| workers × threads | trials | wall s | trials / minute | median trial s | median scoring s "
        "| scoring share (median) | scoring share (max) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['jobs']} × {r['threads']} | {r['trials']} | {r['wall']:.1f} | {r['per_minute']:.1f} "
            f"| {r['trial_s']:.2f} | {r['score_s']:.3f} | {r['share']:.1%} | {r['share_max']:.1%} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
