"""Tune word2vec for a downstream task: movie-review polarity mixed with WS-353 similarity.

Word2vec is trained on gensim's Lee background corpus (about 60,000 tokens of news text,
shipped with gensim) and tuned with Optuna for ``0.5*mr-polarity+0.5*ws353-sim``: half
the macro-F1 of a logistic regression on the mean vectors of the 10,662 movie-review
snippets (stratified 10-fold cross-validation), half the Spearman correlation on WS-353's
similarity pairs. Each term is scored by its own kind's metric (``docs/objectives.md``).
Training is deterministic (one thread, fixed seeds), so the run below is reproducible.

Both sets must be installed once (they are in the project's ``../shared`` folder)::

    w2veval goldsets import ../shared/tasks
    w2veval goldsets import ../shared/goldsets

then::

    python examples/task_tuning.py [TRIALS]

The same run from the command line::

    w2veval tune run lee.txt --trials 4 --objective '0.5*mr-polarity+0.5*ws353-sim' \\
        --range mode=cbow,batch_skipgram --range vector_dim=10:40 --range epochs=1:4 \\
        --range learning_rate=0.005:0.05:log --set min_count=3 --set window_size=5 \\
        --deterministic --storage sqlite:///tune.db --study task

Its real output (4 trials, about 20 s on 2 cores)::

     trial  objective  mr-polarity  ws353-sim           mode  vector_dim  epochs  learning_rate
         3      0.403        0.573      0.232 batch_skipgram          38       2          0.008
         2      0.312        0.548      0.077 batch_skipgram          21       4          0.007
         0      0.294        0.549      0.039 batch_skipgram          15       2          0.026
         1      0.278        0.551      0.004           cbow          34       4          0.039

    highest objective: trial 3, 0.403 = 0.5 × macro-F1 0.573 (mr-polarity) + 0.5 × Spearman 0.232 (ws353-sim)
    rankable: False (ws353-sim: coverage 0.30 is below 0.8 (60 of 203 pairs))
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import w2veval.goldsets
from w2veval.space import Categorical, Continuous, Integer, SearchSpace
from w2veval.tune import run

OBJECTIVE = "0.5*mr-polarity+0.5*ws353-sim"
SPACE = SearchSpace(
    [
        Categorical("mode", ("cbow", "batch_skipgram")),
        Integer("vector_dim", 10, 40),
        Integer("epochs", 1, 4),
        Continuous("learning_rate", 0.005, 0.05, "log"),
    ]
)
FIXED = {"min_count": 3, "window_size": 5}
SHOWN = ["trial", "objective", "mr-polarity", "ws353-sim", "mode", "vector_dim", "epochs", "learning_rate"]


def write_corpus(path: Path) -> Path:
    """gensim's Lee corpus tokenised (lower case, no punctuation), one document per line."""
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with (
        open(datapath("lee_background.cor"), encoding="utf-8") as src,
        open(path, "w", encoding="utf-8") as out,
    ):
        for line in src:
            out.write(" ".join(simple_preprocess(line)) + "\n")
    return path


def main(trials: int = 4) -> int:
    missing = [name for name in ("mr-polarity", "ws353-sim") if not w2veval.goldsets.is_installed(name)]
    if missing:
        print(
            f"not installed: {', '.join(missing)}; run `w2veval goldsets import ../shared/tasks` and "
            "`w2veval goldsets import ../shared/goldsets` first",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory() as folder:
        corpus = write_corpus(Path(folder) / "lee.txt")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # low coverage: a 60k-token news corpus knows few review words
            table = run(
                corpus,
                OBJECTIVE,
                trials=trials,
                storage=f"sqlite:///{Path(folder) / 'tune.db'}",
                study="task",
                space=SPACE,
                fixed=FIXED,
                seed=0,
                deterministic=True,
                progress=False,
            )
    print(table[SHOWN].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    complete = table[table["state"] == "COMPLETE"]
    best = complete.iloc[0]  # sorted best first (rankable trials before the others)
    print(
        f"\nhighest objective: trial {best['trial']}, {best['objective']:.3f} = "
        f"0.5 × macro-F1 {best['mr-polarity']:.3f} (mr-polarity) + 0.5 × Spearman "
        f"{best['ws353-sim']:.3f} (ws353-sim)"
    )
    print(f"rankable: {bool(best['rankable'])}" + (f" ({best['note']})" if not best["rankable"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:2])))
