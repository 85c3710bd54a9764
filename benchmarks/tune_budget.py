"""What pruning saves: CPU-seconds of local tuning until a good model, with and without pruning.

For every seed, three studies of ``--trials`` trials (default 30) run one after another
with ``w2veval.tune.run``: TPE without pruning (``prune="none"``), with Hyperband and with
the median rule. Same corpus, space and objective as ``benchmarks/tune_fidelity.py``
(every real English prose corpus reachable offline, about 690,000 tokens; mode, vector_dim,
learning_rate and window_size searched; 9 epochs, min_count 3 fixed; objective
``0.5*ws353+0.5*simlex999``), one worker with one training thread, a fresh SQLite file in
a temporary folder for each study, training and sampler seeded by the seed.

From each study's results table (``trial``, ``state``, ``objective``, ``cpu_seconds``),
in trial order:

* **target**: the best objective of the *unpruned* study of the same seed, minus 0.01;
* **CPU to target**: the CPU-seconds of every trial (complete, pruned or failed) up to and
  including the first complete trial whose objective reaches the target; a study that
  never reaches it counts as infinite ("not reached"), so a median over seeds is
  "not reached" when half the seeds or more never get there;
* **total CPU** and **final best** (the best objective of a complete trial);
* for comparison at equal cost, the best objective the unpruned study of the same seed had
  found within the pruned study's total CPU-seconds.

Reported: each study, then per pruner the median over seeds of CPU to target, of its
ratio to the unpruned study of the same seed, and of the final best's loss against it,
next to the seeds' spread (max - min) of the unpruned final best. Target of issue 14:
a median ratio of at most 0.5 with a median loss within that spread.

    .venv/bin/python benchmarks/tune_budget.py [--seeds 0 1 2] [--trials 30] [--prune none hyperband median]

Each finished study's table is kept in ``benchmarks/_work/budget_s{SEED}_{PRUNE}_t{TRIALS}.json``
and reused (``--fresh`` reruns), so seeds may run as separate processes and a last call
prints the table of them all. Prints a Markdown table for docs/performance.md. Not a test:
nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tune_fidelity import FIXED, OBJECTIVE, WORK, corpus, describe, space

TOLERANCE = 0.01
COLUMNS = ("trial", "state", "objective", "cpu_seconds", "steps")


def study(path: Path, seed: int, prune: str, trials: int, fresh: bool) -> list[dict]:
    """The results rows of one study (trial order), from the cache or a fresh run."""
    cache = WORK / f"budget_s{seed}_{prune}_t{trials}.json"
    if cache.exists() and not fresh:
        return json.loads(cache.read_text())
    from w2veval.tune import results, run

    with tempfile.TemporaryDirectory() as folder:
        storage = f"sqlite:///{Path(folder) / 'budget.db'}"
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run(
                path,
                OBJECTIVE,
                trials=trials,
                storage=storage,
                study="budget",
                jobs=1,
                threads=1,
                seed=seed,
                space=space(),
                fixed=FIXED,
                progress=False,
                prune=prune,
                sampler="tpe",
            )
            table = results(storage, "budget")
        wall = time.perf_counter() - start
    table = table.sort_values("trial")
    rows = [
        {c: _plain(row[c]) if c in table.columns else None for c in COLUMNS} for _, row in table.iterrows()
    ]
    rows[0]["study_wall_seconds"] = wall
    cache.write_text(json.dumps(rows))
    return rows


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def best(rows: list[dict]) -> float:
    values = [r["objective"] for r in rows if r["state"] == "COMPLETE" and r["objective"] is not None]
    return max(values) if values else math.nan


def cpu_to(rows: list[dict], target: float) -> float:
    """CPU-seconds of the trials up to the first complete one reaching ``target``; inf if none."""
    spent = 0.0
    for r in rows:
        spent += r["cpu_seconds"] or 0.0
        if r["state"] == "COMPLETE" and r["objective"] is not None and r["objective"] >= target:
            return spent
    return math.inf


def summary(rows: list[dict], reference: float) -> dict:
    states = [r["state"] for r in rows]
    return {
        "to_target": cpu_to(rows, reference - TOLERANCE),
        "total": sum(r["cpu_seconds"] or 0.0 for r in rows),
        "best": best(rows),
        "complete": states.count("COMPLETE"),
        "pruned": states.count("PRUNED"),
        "failed": states.count("FAIL"),
    }


def best_within(rows: list[dict], cpu: float) -> float:
    """The best objective of the complete trials that ended within ``cpu`` CPU-seconds."""
    spent, result = 0.0, math.nan
    for r in rows:
        spent += r["cpu_seconds"] or 0.0
        if spent > cpu:
            break
        if r["state"] == "COMPLETE" and r["objective"] is not None:
            result = r["objective"] if math.isnan(result) else max(result, r["objective"])
    return result


def _cpu(value: float) -> str:
    return "not reached" if math.isinf(value) else f"{value:,.0f}"


def report(runs: dict[tuple[int, str], list[dict]], seeds: list[int], prunes: list[str]) -> str:
    per = {}
    for seed in seeds:
        reference = best(runs[(seed, "none")])
        for prune in prunes:
            if (seed, prune) in runs:
                per[(seed, prune)] = summary(runs[(seed, prune)], reference)
    lines = [
        "| seed | pruner | complete / pruned / failed | CPU s to within 0.01 of the unpruned best "
        "| total CPU s | final best | unpruned best within the same CPU s |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for seed in seeds:
        for prune in prunes:
            if (seed, prune) not in per:
                continue
            s = per[(seed, prune)]
            lines.append(
                f"| {seed} | {prune} | {s['complete']} / {s['pruned']} / {s['failed']} "
                f"| {_cpu(s['to_target'])} | {s['total']:,.0f} | {s['best']:.4f} "
                f"| {best_within(runs[(seed, 'none')], s['total']):.4f} |"
            )
    finals = [per[(seed, "none")]["best"] for seed in seeds]
    spread = max(finals) - min(finals)
    lines += [
        "",
        f"Seeds' spread of the unpruned final best (max - min over {len(seeds)} seeds): {spread:.4f}.",
        "",
        "| pruner | median CPU s to target | median ratio to unpruned (same seed) "
        "| median total CPU s | median final best | median loss of final best "
        "| median unpruned best within the same CPU s | target met |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for prune in prunes:
        have = [seed for seed in seeds if (seed, prune) in per]
        rows = [per[(seed, prune)] for seed in have]
        base = [per[(seed, "none")] for seed in have]
        ratios = [r["to_target"] / b["to_target"] for r, b in zip(rows, base, strict=True)]
        losses = [b["best"] - r["best"] for r, b in zip(rows, base, strict=True)]
        ratio = statistics.median(ratios)
        loss = statistics.median(losses)
        met = "-" if prune == "none" else ("yes" if ratio <= 0.5 and loss <= spread else "no")
        label = prune if len(have) == len(seeds) else f"{prune} (seeds {tuple(have)})"
        unpruned_within = statistics.median(
            best_within(runs[(seed, "none")], per[(seed, prune)]["total"]) for seed in have
        )
        lines.append(
            f"| {label} | {_cpu(statistics.median(r['to_target'] for r in rows))} "
            f"| {ratio:.2f} ({min(ratios):.2f} to {max(ratios):.2f}) "
            f"| {statistics.median(r['total'] for r in rows):,.0f} "
            f"| {statistics.median(r['best'] for r in rows):.4f} "
            f"| {loss:+.4f} "
            f"| {unpruned_within:.4f} "
            f"| {met} |"
        )
    return "\n".join(lines)


def report_cached(seeds: list[int], prunes: list[str], trials: int) -> int:
    runs = {}
    for seed in seeds:
        for prune in ["none"] + [p for p in prunes if p != "none"]:
            cache = WORK / f"budget_s{seed}_{prune}_t{trials}.json"
            if cache.exists():
                runs[(seed, prune)] = json.loads(cache.read_text())
    seeds = [seed for seed in seeds if (seed, "none") in runs]
    if not seeds:
        print("no cached unpruned study", file=sys.stderr)
        return 1
    prunes = ["none"] + [p for p in prunes if p != "none" and any((s, p) in runs for s in seeds)]
    info = describe(corpus(), FIXED["min_count"])
    print(
        f"Corpus: {info['tokens']:,} tokens, {info['sentences']:,} lines, {info['vocabulary']:,} words at "
        f"min_count={FIXED['min_count']}; {trials} TPE trials per study, seeds "
        f"{', '.join(map(str, seeds))}, one worker × one thread, {os.cpu_count()} cores.\n"
    )
    print(report(runs, seeds, prunes))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument(
        "--prune", nargs="+", default=["none", "hyperband", "median"], choices=["none", "hyperband", "median"]
    )
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="run nothing: report the cached studies (a pruner over the seeds it has)",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        return report_cached(args.seeds, args.prune, args.trials)
    prunes = ["none"] + [p for p in args.prune if p != "none"]  # the reference runs first
    if "none" not in args.prune:  # another process runs (or ran) the reference studies
        prunes.remove("none")
    path = corpus()
    info = describe(path, FIXED["min_count"])
    print(
        f"corpus {path.name}: {info}; {os.cpu_count()} cores; load average before {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    runs = {}
    for seed in args.seeds:
        for prune in prunes:
            runs[(seed, prune)] = study(path, seed, prune, args.trials, args.fresh)
            print(f"done: seed {seed}, prune {prune}", file=sys.stderr, flush=True)
    missing = [
        seed
        for seed in args.seeds
        if (seed, "none") not in runs and not (WORK / f"budget_s{seed}_none_t{args.trials}.json").exists()
    ]
    if missing:
        print(f"no unpruned study yet for seed(s) {missing}: run them with --prune none", file=sys.stderr)
        return 1
    for seed in args.seeds:
        runs.setdefault((seed, "none"), study(path, seed, "none", args.trials, False))
    prunes = ["none"] + [p for p in prunes if p != "none"]
    print(
        f"Corpus: {info['tokens']:,} tokens, {info['sentences']:,} lines, {info['vocabulary']:,} words at "
        f"min_count={FIXED['min_count']}; {args.trials} TPE trials per study, seeds "
        f"{', '.join(map(str, args.seeds))}, one worker × one thread, {os.cpu_count()} cores, load average "
        f"after {os.getloadavg()[0]:.1f}.\n"
    )
    print(report(runs, args.seeds, prunes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
