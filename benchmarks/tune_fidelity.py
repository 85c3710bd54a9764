"""How well a cheap look at a trial predicts its final objective: the fidelity for pruning.

Thirty configurations are drawn at random (fixed seed, Optuna's ``RandomSampler``) from
the space of ``benchmarks/tune_budget.py``, and each is trained once per ``--seeds`` value
with the tuner's own training function (``w2veval.sagemaker._train.train_vectors``, one
gensim thread) and scored with the tuner's own scorer (``w2veval.tune._trial.Scorer``) on
``0.5*ws353+0.5*simlex999`` (gensim's copies of both sets). Two fidelities are measured:

* **epochs**: the objective after epoch k of the 9-epoch run (k = 1 ... 8), read from the
  same training through its ``on_epoch`` callback. gensim decays the learning rate
  linearly over the *planned* epochs, so after epoch k a model has not merely seen less
  text: it is mid-decay.
* **corpus share**: the full 9-epoch schedule on the first 1/9 and the first 1/3 of the
  corpus (its lines are shuffled once with a fixed seed, so a prefix is a random sample).

For each level and seed: Spearman's rho between the level's objective and the final one
across the 30 configurations; the share of the final top 5 that would survive if the
bottom half at that level were pruned; how much the best final objective among the
survivors falls short of the best overall ("loss"); and the level's CPU cost (training
CPU-seconds, scoring excluded) as a share of a full run. With two seeds or more, the row
``final (other seed)`` compares the final objectives of two training seeds: the ranking's
own noise, the most any fidelity could reach.

The corpus (``corpus()`` below) is every real English prose corpus reachable offline,
tokenised alike and shuffled; its files are checked against their sha256 first.

    .venv/bin/python benchmarks/tune_fidelity.py [--seeds 0 1] [--configs 30]

Results are cached per seed in ``benchmarks/_work/fidelity_seed{S}.json`` (one entry per
configuration, so an interrupted run resumes, and two seeds can run as two processes);
``--fresh`` discards them. Prints a Markdown table for docs/tuning.md. Not a test:
nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import itertools
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"
SHARED_TASKS = Path(__file__).resolve().parents[2] / "shared" / "tasks"
OBJECTIVE = "0.5*ws353+0.5*simlex999"
EPOCHS = 9
FIXED = {"epochs": EPOCHS, "min_count": 3, "negative_samples": 5}
SHARES = (1 / 9, 1 / 3)
TOP = 5

CORPUS_VERSION = 1  # bump when the recipe below changes, so the file is rebuilt
_WIKI = (
    "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2",
    "a53f4648dec40467ebdcbc7a1307eddb51fe6e28e9309f6ebde81ba0d04bea2d",
)
_LEE = ("lee_background.cor", "5d78d6dafd953bbf65797bef09a9ffb9ec430583381be705f8fd460000f370fb")
_POLARITY = {
    "mr-polarity/rt-polarity.pos": "2da124ec187a9d5a29c9f04e91c540e02baed5af8868f550a26bd6fd4dbf8bf0",
    "mr-polarity/rt-polarity.neg": "4ace77d558c3714723843f1d65b60c01e3417b208180f0728808d76ad0eeeaca",
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checked(path: Path, expected: str) -> Path:
    if _sha256(path) != expected:
        sys.exit(
            f"{path} does not have the sha256 {expected}; the corpus would differ from the "
            "one in docs/tuning.md"
        )
    return path


def _wiki_lines():
    """Paragraphs of gensim's 206-article English Wikipedia sample, markup removed."""
    from gensim.corpora.wikicorpus import extract_pages, filter_wiki, tokenize
    from gensim.test.utils import datapath

    path = _checked(Path(datapath(_WIKI[0])), _WIKI[1])
    with bz2.BZ2File(path) as fh:
        for _title, text, _id in extract_pages(fh, filter_namespaces=("0",)):
            for paragraph in filter_wiki(text).split("\n"):
                yield tokenize(paragraph, 2, 15, True)


def _lee_lines():
    from gensim.corpora.wikicorpus import tokenize
    from gensim.test.utils import datapath

    with open(_checked(Path(datapath(_LEE[0])), _LEE[1]), encoding="utf-8") as fh:
        for line in fh:
            yield tokenize(line, 2, 15, True)


def _polarity_lines():
    from gensim.corpora.wikicorpus import tokenize

    for name, expected in _POLARITY.items():
        path = _checked(SHARED_TASKS / name, expected)
        with open(path, encoding="cp1252", errors="replace") as fh:
            for line in fh:
                yield tokenize(line, 2, 15, True)


def corpus() -> Path:
    """``benchmarks/_work/tune_corpus.txt``, built on first use.

    Gensim's English Wikipedia sample (206 articles; paragraphs of 5 tokens or more), the
    Lee background corpus (300 news documents) and the sentence polarity data set
    (10,662 movie-review snippets, read from ``../shared/tasks``), all tokenised by
    gensim's ``wikicorpus.tokenize`` (lower case, 2-15 letters, no numbers or
    punctuation), one text per line, the lines shuffled with seed 14.
    """
    WORK.mkdir(exist_ok=True)
    path = WORK / f"tune_corpus_v{CORPUS_VERSION}.txt"
    if path.exists():
        return path
    lines = [" ".join(t) for t in _wiki_lines() if len(t) >= 5]
    lines += [" ".join(t) for source in (_lee_lines(), _polarity_lines()) for t in source if t]
    random.Random(14).shuffle(lines)
    partial = path.with_suffix(".part")
    partial.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    partial.replace(path)
    return path


def prefix(path: Path, share: float) -> Path:
    """The first ``share`` of ``path``'s lines, in a file beside it."""
    out = path.with_name(f"{path.stem}_first{round(1 / share)}.txt")
    if not out.exists():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        partial = out.with_suffix(".part")
        partial.write_text("".join(lines[: round(len(lines) * share)]), encoding="utf-8")
        partial.replace(out)
    return out


def describe(path: Path, min_count: int = FIXED["min_count"]) -> dict:
    from collections import Counter

    counts, sentences = Counter(), 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            counts.update(line.split())
            sentences += 1
    return {
        "tokens": sum(counts.values()),
        "sentences": sentences,
        "types": len(counts),
        "vocabulary": sum(1 for c in counts.values() if c >= min_count),
    }


def space():
    """A reduced BlazingText space (see docs/tuning.md for why these ranges)."""
    from w2veval.space import Categorical, Continuous, Integer, SearchSpace

    return SearchSpace(
        [
            Categorical("mode", ("cbow", "batch_skipgram")),
            Integer("vector_dim", 50, 100),
            Continuous("learning_rate", 0.005, 0.05, "log"),
            Integer("window_size", 2, 10),
        ]
    )


def configurations(n: int, seed: int = 14) -> list[dict]:
    """``n`` configurations drawn by Optuna's ``RandomSampler`` from :func:`space`."""
    import optuna

    from w2veval.tune._space import distributions

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed))
    dists = distributions(space())
    return [study.ask(dists).params for _ in range(n)]


def _cpu() -> float:
    return time.process_time()  # every thread of this process: gensim trains in C threads


def measure(config: dict, path: Path, shares: dict[float, Path], scorer, seed: int) -> dict:
    """One configuration: the objective after every epoch of a full run, and at the end of a
    full run on each corpus share, with the training CPU-seconds each took."""
    from w2veval.sagemaker._train import Corpus, train_vectors
    from w2veval.tune._trial import hyperparameters

    hp = hyperparameters(FIXED, config)
    epochs, scoring = [], [0.0]
    start = _cpu()

    def on_epoch(epoch, wv):
        before = _cpu()
        value = scorer.score(wv)["objective"]
        scoring[0] += _cpu() - before
        epochs.append({"epoch": epoch, "objective": value, "cpu": _cpu() - start - scoring[0]})

    train_vectors(Corpus(path), hp, workers=1, seed=seed, on_epoch=on_epoch)
    result = {"params": config, "epochs": epochs, "shares": {}}
    for share, share_path in shares.items():
        begin = _cpu()
        wv = train_vectors(Corpus(share_path), hp, workers=1, seed=seed)
        cpu = _cpu() - begin
        result["shares"][f"{share:.4f}"] = {"objective": scorer.score(wv)["objective"], "cpu": cpu}
    return result


def run_seed(seed: int, configs: list[dict], path: Path, fresh: bool) -> list[dict]:
    from w2veval.objective import Objective
    from w2veval.tune._trial import Scorer

    cache = WORK / f"fidelity_seed{seed}.json"
    done = [] if fresh or not cache.exists() else json.loads(cache.read_text())
    done = [d for d in done if d["params"] in configs]
    shares = {share: prefix(path, share) for share in SHARES}
    scorer = Scorer(Objective.parse(OBJECTIVE))
    for i, config in enumerate(configs):
        if any(d["params"] == config for d in done):
            continue
        done.append(measure(config, path, shares, scorer, seed))
        cache.write_text(json.dumps(done))
        print(
            f"seed {seed}: {i + 1}/{len(configs)} {config} -> {done[-1]['epochs'][-1]['objective']:.4f}",
            file=sys.stderr,
            flush=True,
        )
    order = {json.dumps(c, sort_keys=True): i for i, c in enumerate(configs)}
    return sorted(done, key=lambda d: order[json.dumps(d["params"], sort_keys=True)])


def levels(records: list[dict]) -> dict[str, tuple[list[float], list[float]]]:
    """``{level: (objectives, training CPU-seconds)}`` per configuration, final last."""
    result = {}
    for k in range(1, EPOCHS + 1):
        result[f"epoch {k} of {EPOCHS}"] = (
            [r["epochs"][k - 1]["objective"] for r in records],
            [r["epochs"][k - 1]["cpu"] for r in records],
        )
    for share in SHARES:
        key = f"{share:.4f}"
        result[f"first 1/{round(1 / share)} of the corpus, {EPOCHS} epochs"] = (
            [r["shares"][key]["objective"] for r in records],
            [r["shares"][key]["cpu"] for r in records],
        )
    return result


def statistics_of(level: list[float], final: list[float]) -> dict:
    """Spearman's rho, the share of the final top ``TOP`` kept by the level's top half, and the
    best final objective lost by pruning the bottom half."""
    import numpy as np
    from scipy.stats import spearmanr

    level, final = np.asarray(level, float), np.asarray(final, float)
    ok = ~(np.isnan(level) | np.isnan(final))
    rho = float(spearmanr(level[ok], final[ok]).statistic) if ok.sum() > 2 else math.nan
    # NaN at a level ranks last: a configuration that cannot be scored yet would be pruned.
    kept = set(np.argsort(-np.nan_to_num(level, nan=-np.inf), kind="stable")[: len(level) // 2])
    top = np.argsort(-np.nan_to_num(final, nan=-np.inf), kind="stable")[:TOP]
    best_kept = max(final[i] for i in kept)
    return {"rho": rho, "top_kept": len(kept & set(top)) / TOP, "loss": float(np.nanmax(final) - best_kept)}


def table(runs: dict[int, list[dict]]) -> str:
    by_level: dict[str, list[dict]] = {}
    for records in runs.values():
        lv = levels(records)
        final, full_cpu = lv[f"epoch {EPOCHS} of {EPOCHS}"]
        for name, (values, cpu) in lv.items():
            if name.startswith(f"epoch {EPOCHS} "):
                continue
            stats = statistics_of(values, final)
            stats["cpu_share"] = statistics.median(c / f for c, f in zip(cpu, full_cpu, strict=True))
            stats["cpu"] = sum(cpu)
            by_level.setdefault(name, []).append(stats)
    seeds = sorted(runs)
    if len(seeds) > 1:
        for a, b in itertools.pairwise(seeds):
            first = levels(runs[a])[f"epoch {EPOCHS} of {EPOCHS}"]
            second = levels(runs[b])[f"epoch {EPOCHS} of {EPOCHS}"]
            stats = statistics_of(second[0], first[0])
            stats.update(cpu_share=1.0, cpu=sum(second[1]))
            by_level.setdefault("final (other seed)", []).append(stats)

    def cell(values, fmt):
        mid = statistics.mean(values)
        if len(values) == 1:
            return format(mid, fmt)
        return f"{format(mid, fmt)} ({format(min(values), fmt)} to {format(max(values), fmt)})"

    lines = [
        "| fidelity level | Spearman rho with final | final top 5 kept by the top half | best final "
        "lost | CPU share of a full run (median) | CPU s, all configurations |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, rows in by_level.items():
        lines.append(
            f"| {name} | {cell([r['rho'] for r in rows], '.3f')} "
            f"| {cell([r['top_kept'] for r in rows], '.0%')} "
            f"| {cell([r['loss'] for r in rows], '.4f')} "
            f"| {cell([r['cpu_share'] for r in rows], '.0%')} "
            f"| {cell([r['cpu'] for r in rows], '.0f')} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--configs", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args(argv)
    path = corpus()
    info = describe(path)
    configs = configurations(args.configs)
    print(f"corpus {path.name}: {info}; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    runs = {seed: run_seed(seed, configs, path, args.fresh) for seed in args.seeds}
    finals = [r["epochs"][-1]["objective"] for records in runs.values() for r in records]
    print(
        f"Corpus: {info['tokens']:,} tokens, {info['sentences']:,} lines, {info['types']:,} word types, "
        f"{info['vocabulary']:,} at min_count={FIXED['min_count']}. {len(configs)} configurations, "
        f"training seeds {', '.join(map(str, args.seeds))}, objective {OBJECTIVE}, final objectives "
        f"{min(finals):.3f} to {max(finals):.3f}; load average after {os.getloadavg()[0]:.1f}. "
        "Cells: mean over seeds (range).\n"
    )
    print(table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
