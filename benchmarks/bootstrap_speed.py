"""How long a bootstrap confidence interval takes: ``bootstrap_correlation`` at 10,000 resamples.

Data:

* 999 pairs: the human scores of SimLex-999 (gensim's ``simlex999.txt``; one decimal,
  many ties) against a fixed random "model", 0.04 * score + normal noise (seed 0),
  rounded to 4 decimals as cosines usually are printed;
* 3,000 pairs: MEN-sized, synthetic integer ratings 0-50 (heavy ties, as MEN's) against
  a model made the same way.

Each case runs once to warm up, then ``--repeat`` times (default 5); the table gives
the median wall time and the median CPU time in seconds, in this process (imports
excluded). A second table times the jackknife alone (the n leave-one-out statistics
behind BCa's acceleration, computed from count vectors without re-sorting).
``--scipy`` adds ``scipy.stats.bootstrap`` with a vectorised Spearman statistic on the
999 pairs, for comparison (slow). Run::

    .venv/bin/python benchmarks/bootstrap_speed.py [--repeat N] [--scipy]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from w2veval.scoring._bootstrap import (
    _Correlations,
    _jackknife,
    bootstrap_correlation,
    paired_bootstrap_delta,
)

N_RESAMPLES = 10_000


def simlex_scores() -> np.ndarray:
    from gensim.test.utils import datapath

    scores = []
    with open(datapath("simlex999.txt"), encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#") and line.strip():
                scores.append(float(line.rstrip("\n").split("\t")[2]))
    return np.array(scores)


def fake_model(human: np.ndarray, scale: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.round(scale * human + rng.normal(0, 0.25, len(human)), 4)


def datasets() -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    simlex = simlex_scores()
    men = np.random.default_rng(1).integers(0, 51, 3000).astype(np.float64)
    return [
        ("999 (SimLex-999 scores)", simlex, fake_model(simlex, 0.04, 0), fake_model(simlex, 0.04, 10)),
        ("3,000 (MEN-like, synthetic)", men, fake_model(men, 0.008, 0), fake_model(men, 0.008, 10)),
    ]


def timed(call, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process, in seconds.

    On a shared machine the CPU time is the steadier of the two: it leaves out the
    time other processes held the cores (though not their effect on the caches).
    """
    call()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def scipy_reference(human, model):
    import scipy.stats

    def spearman(x, y, axis=-1):
        rx = scipy.stats.rankdata(x, axis=axis)
        ry = scipy.stats.rankdata(y, axis=axis)
        rx -= rx.mean(axis=axis, keepdims=True)
        ry -= ry.mean(axis=axis, keepdims=True)
        return (rx * ry).sum(axis) / np.sqrt((rx * rx).sum(axis) * (ry * ry).sum(axis))

    return lambda: scipy.stats.bootstrap(
        (human, model),
        spearman,
        paired=True,
        vectorized=True,
        n_resamples=N_RESAMPLES,
        method="BCa",
        batch=1000,
        rng=np.random.default_rng(0),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scipy", action="store_true", help="also time scipy.stats.bootstrap on 999 pairs")
    args = parser.parse_args(argv)

    rows = []
    for label, human, model, other in datasets():
        for statistic in ("spearman", "pearson"):
            for method in ("bca", "percentile"):
                wall, cpu = timed(
                    partial(
                        bootstrap_correlation,
                        human,
                        model,
                        statistic=statistic,
                        method=method,
                        n_resamples=N_RESAMPLES,
                        seed=0,
                    ),
                    args.repeat,
                )
                rows.append((label, f"`bootstrap_correlation`, {statistic}", method, wall, cpu))
        wall, cpu = timed(
            partial(paired_bootstrap_delta, human, model, other, n_resamples=N_RESAMPLES, seed=0), args.repeat
        )
        rows.append((label, "`paired_bootstrap_delta`, spearman", "percentile", wall, cpu))
        if args.scipy and len(human) == 999:
            wall, cpu = timed(scipy_reference(human, model), max(1, args.repeat // 2))
            rows.append((label, "`scipy.stats.bootstrap`, vectorised spearman", "bca", wall, cpu))

    jackknife = []
    for n in (999, 3000, 5000):
        rng = np.random.default_rng(n)
        human = np.round(rng.uniform(0, 10, n), 1)
        correlations = _Correlations("spearman", human, [fake_model(human, 0.04, 0)])
        jackknife.append((n, *timed(partial(_jackknife, correlations, n), args.repeat)))

    import scipy

    load = os.getloadavg()[0]
    print(
        f"{N_RESAMPLES:,} resamples; medians of {args.repeat} runs after a warm-up; "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, 1-minute load average {load:.2f} at the end.\n"
    )
    print("| pairs | call | method | wall s | CPU s |")
    print("|---|---|---|---:|---:|")
    for label, call, method, wall, cpu in rows:
        print(f"| {label} | {call} | {method} | {wall:.3f} | {cpu:.3f} |")
    print("\n| pairs | jackknife (spearman, n leave-one-out) wall s | CPU s |")
    print("|---:|---:|---:|")
    for n, wall, cpu in jackknife:
        print(f"| {n:,} | {wall:.3f} | {cpu:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
