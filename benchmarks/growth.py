"""How the costs grow: scoring with vocabulary size and dimension, statistics with pairs (issue 7).

Scoring: ``w2veval score FILE -g ws353 -g simlex999`` as a whole fresh process (wall time,
CPU time, peak RSS through ``_measure.py``) on synthetic word2vec files (``_data.py``:
random words, every WordSim-353 and SimLex-999 word at a random row), text and binary, at
three vocabulary sizes (100k, 300k, 1M words at 100 dimensions) and three dimensions (50,
100, 300 at 300k words). Reading is linear in the file's bytes; memory stays flat because
only the gold sets' rows are kept.

Statistics: BCa bootstrap of Spearman's rho (10,000 resamples) and the paired bootstrap of
a difference, in this process, at 353, 999 and 3,000 pairs (synthetic scores with ties);
their cost depends on the number of pairs, not on the vocabulary.

Run::

    .venv/bin/python benchmarks/growth.py [--repeat 3] [--quick]

``--quick`` leaves out the largest file (300k x 300).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import synthetic_files, warm_page_cache
from _measure import measure

SIZES = [(100_000, 100), (300_000, 100), (1_000_000, 100), (300_000, 50), (300_000, 300)]
PAIRS = [353, 999, 3000]


def _score_command(path: Path) -> list[str]:
    script = Path(sys.executable).with_name("w2veval")
    return [str(script), "score", str(path), "-g", "ws353", "-g", "simlex999", "--no-progress"]


def _scoring_rows(repeat: int, quick: bool) -> list[tuple]:
    rows = []
    for n_rows, dim in SIZES:
        if quick and dim == 300:
            continue
        text, binary = synthetic_files(n_rows, dim, binary=True)
        for kind, path in (("text", text), ("binary", binary)):
            runs = []
            for _ in range(repeat):
                warm_page_cache(path)
                m = measure(_score_command(path))
                if not m.ok:
                    raise SystemExit(f"{path}: {m.failure()}")
                runs.append(m)
            rows.append(
                (
                    n_rows,
                    dim,
                    kind,
                    path.stat().st_size / 1e6,
                    statistics.median(m.wall_s for m in runs),
                    statistics.median(m.cpu_s for m in runs),
                    statistics.median(m.max_rss_mb for m in runs),
                )
            )
    return rows


def _statistics_rows(repeat: int) -> list[tuple]:
    import numpy as np

    from w2veval.scoring._bootstrap import bootstrap_correlation, paired_bootstrap_delta

    rows = []
    for n in PAIRS:
        rng = np.random.default_rng(n)
        human = rng.integers(0, 11, n).astype(float)
        a = np.round(0.05 * human + rng.normal(0, 0.3, n), 4)
        b = np.round(0.05 * human + rng.normal(0, 0.3, n), 4)
        for label, call in (
            ("bootstrap CI, BCa", partial(bootstrap_correlation, human, a, method="bca", seed=0)),
            ("paired bootstrap of a difference", partial(paired_bootstrap_delta, human, a, b, seed=0)),
        ):
            call()
            walls = []
            for _ in range(repeat):
                start = time.perf_counter()
                call()
                walls.append(time.perf_counter() - start)
            rows.append((n, label, statistics.median(walls)))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    scoring = _scoring_rows(args.repeat, args.quick)
    stats = _statistics_rows(args.repeat)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, median of {args.repeat}\n")
    print("| words | dim | format | file MB | wall s | CPU s | peak MB |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for n_rows, dim, kind, size, wall, cpu, rss in scoring:
        print(f"| {n_rows:,} | {dim} | {kind} | {size:,.0f} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")
    print("\n| pairs | call (10,000 resamples) | wall s |")
    print("|---:|---|---:|")
    for n, label, wall in stats:
        print(f"| {n:,} | {label} | {wall:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
