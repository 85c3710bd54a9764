"""A complete local tuning run: word2vec on a small corpus, tuned for an objective with Optuna.

The corpus is gensim's Lee background corpus (about 60,000 tokens of news text, shipped
with gensim, so nothing is downloaded), tokenised into a temporary file; the objective
weighs WS-353 and SimLex-999 (the copies gensim ships, unless installed ones are found).
Each configuration is trained twice
(``repeats=2``) so that the table shows how much the score moves from training noise alone,
and each gold set is split in half: the tuner sees one half, the other half is reported
as ``heldout_objective``.

    python examples/local_tuning.py [STORAGE] [TRIALS]

STORAGE defaults to an SQLite file in a temporary folder; give ``sqlite:///tune.db`` to
keep the study, and run the script again to resume it. The same run from the command line::

    w2veval tune run lee.txt --trials 12 --objective '0.5*ws353+0.5*simlex999' \\
        --range mode=cbow,batch_skipgram --range vector_dim=10:40 --range epochs=1:4 \\
        --range learning_rate=0.005:0.05:log --range window_size=2:8 \\
        --set min_count=3 --repeats 2 --heldout 0.5 --storage sqlite:///tune.db --study lee
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

from w2veval.space import Categorical, Continuous, Integer, SearchSpace
from w2veval.tune import run

OBJECTIVE = "0.5*ws353+0.5*simlex999"
SPACE = SearchSpace(
    [
        Categorical("mode", ("cbow", "batch_skipgram")),
        Integer("vector_dim", 10, 40),
        Integer("epochs", 1, 4),
        Continuous("learning_rate", 0.005, 0.05, "log"),
        Integer("window_size", 2, 8),
    ]
)
"""A small space for a small corpus (SageMaker's recommended ranges suit gigabytes of text)."""
FIXED = {"min_count": 3}


def write_corpus(path: Path) -> Path:
    """gensim's Lee corpus tokenised (lower case, no punctuation), one document per line:
    BlazingText and the tuner take tokens as they are, split on white space."""
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with (
        open(datapath("lee_background.cor"), encoding="utf-8") as src,
        open(path, "w", encoding="utf-8") as out,
    ):
        for line in src:
            out.write(" ".join(simple_preprocess(line)) + "\n")
    return path


def main(storage: str | None = None, trials: int = 12) -> None:
    folder = tempfile.TemporaryDirectory()
    corpus = write_corpus(Path(folder.name) / "lee.txt")
    storage = storage or f"sqlite:///{Path(folder.name) / 'tune.db'}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # low-coverage warnings: a 60k-token corpus knows few gold words
        table = run(
            corpus,
            OBJECTIVE,
            trials=trials,
            storage=storage,
            study="lee",
            space=SPACE,
            fixed=FIXED,
            repeats=2,
            seed=0,
            heldout=0.5,
            progress=False,
        )
    shown = table.drop(columns=["ws353:heldout", "simlex999:heldout", "note"])  # the note: below
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    complete = table[table["state"] == "COMPLETE"]
    # A trial whose objective stands on too few pairs (see its note) is never the best: on this
    # small corpus that is every trial, so the highest objective is shown as just that.
    ranked = complete[complete["rankable"]]
    best = (ranked if len(ranked) else complete).iloc[0]
    label = (
        "best trial" if len(ranked) else "no trial stands on enough pairs to rank; highest objective: trial"
    )
    print(
        f"\n{label} {best['trial']}: objective {best['objective']:.3f} ± {best['objective_std']:.3f} "
        f"(2 seeds), held-out {best['heldout_objective']:.3f}"
    )
    if not len(ranked):
        print(f"why: {best['note']}")
    if len(complete) > 1:
        compare_with_noise(complete)
    folder.cleanup()


def compare_with_noise(complete) -> None:
    """Is the best configuration's lead larger than the training noise?"""
    best, second = complete.iloc[0], complete.iloc[1]
    noise = complete["objective_std"].median()
    gap = best["objective"] - second["objective"]
    verdict = "larger" if gap > 2 * noise else "not larger"
    print(
        f"gap to the runner-up {gap:.3f}; median seed-to-seed std {noise:.3f}: the gap is {verdict} "
        "than twice the training noise"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None, int(sys.argv[2]) if len(sys.argv) > 2 else 12)
