"""Is the best ``mean_rho`` trial on the similarity-relatedness front?

A two-objective study, ``ws353-sim`` against ``ws353-rel`` (``w2veval.tune.run`` with a
list of objectives, TPE, deterministic mode), on the corpus and fixed hyperparameters of
``benchmarks/tune_fidelity.py`` and its reduced BlazingText space. Every complete trial's
configuration is then trained again with the tuner's own training function
(``w2veval.sagemaker._train.train_vectors``, one thread, the study's seed, the same
``PYTHONHASHSEED``): deterministic mode gives the same vectors back, which the script
checks by comparing the retrained model's ws353-sim and ws353-rel scores with the stored
``objective_1`` and ``objective_2``. The retrained model is scored on SageMaker
BlazingText's ``mean_rho`` (mean Spearman on ws353, ws353-rel and ws353-sim), and the script
prints every complete trial with its two objectives, its ``mean_rho`` and whether it is
Pareto-optimal, the best ``mean_rho`` trial and the front.

ws353-sim and ws353-rel are not built into w2veval: they are imported from
``../shared/goldsets`` into a private ``W2VEVAL_HOME`` (``benchmarks/_work/pareto_home``).

    .venv/bin/python benchmarks/pareto_mean_rho.py [--trials 20] [--min-pairs N --min-coverage S]

The study (``benchmarks/_work/pareto_mean_rho.db``) resumes if interrupted, and the
retrained scores are cached in ``benchmarks/_work/pareto_mean_rho.json``; ``--fresh``
discards both. Not a test: nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from tune_fidelity import FIXED, WORK, corpus, describe, space  # noqa: E402

SEED = 0
OBJECTIVES = ["ws353-sim", "ws353-rel"]
STUDY = "1*ws353-sim vs 1*ws353-rel"
GOLDSETS = HERE.parents[1] / "shared" / "goldsets"
HOME = WORK / "pareto_home"
DB = WORK / "pareto_mean_rho.db"
CACHE = WORK / "pareto_mean_rho.json"


def _pinned_hash_seed(argv: list[str]) -> None:
    """Run again with ``PYTHONHASHSEED`` = the study's seed, so that the study trains in this
    process and the retrained vectors match the trials' bit for bit."""
    if os.environ.get("PYTHONHASHSEED") != str(SEED):
        env = {**os.environ, "PYTHONHASHSEED": str(SEED)}
        os.execve(sys.executable, [sys.executable, __file__, *argv], env)


def install_goldsets() -> None:
    """ws353-sim and ws353-rel into the private ``W2VEVAL_HOME``, from ``../shared/goldsets``."""
    from w2veval import goldsets

    if not GOLDSETS.is_dir():
        sys.exit(
            f"{GOLDSETS} is missing: this benchmark needs the shared gold sets (ws353-sim, "
            "ws353-rel), imported with `w2veval goldsets import DIR`"
        )
    report = goldsets.import_dir(GOLDSETS)
    missing = [n for n in ("ws353-sim", "ws353-rel") if n not in report.complete]
    if missing:
        sys.exit(f"{', '.join(missing)} not found (by sha256) under {GOLDSETS}")


def run_study(path: Path, trials: int):
    from w2veval.tune import run

    return run(
        path,
        OBJECTIVES,
        trials=trials,
        storage=f"sqlite:///{DB}",
        seed=SEED,
        deterministic=True,
        space=space(),
        fixed=FIXED,
        sampler="tpe",
        progress=True,
    )


def retrain(path: Path, frame) -> dict[int, dict]:
    """``{trial: {"ws353", "ws353-rel", "ws353-sim", "mean_rho", "seconds"}}`` of every complete
    trial, its configuration trained again; cached in :data:`CACHE`."""
    import optuna

    from w2veval.objective import Objective
    from w2veval.sagemaker._train import Corpus, train_vectors
    from w2veval.tune._trial import Scorer, hyperparameters

    params = {
        t.number: t.params for t in optuna.load_study(study_name=STUDY, storage=f"sqlite:///{DB}").trials
    }
    done = {int(k): v for k, v in json.loads(CACHE.read_text()).items()} if CACHE.exists() else {}
    scorer = Scorer(Objective.predefined("mean_rho"))
    complete = frame[frame["state"] == "COMPLETE"]["trial"].tolist()
    for i, trial in enumerate(sorted(complete)):
        if trial in done:
            continue
        start = time.perf_counter()
        wv = train_vectors(Corpus(path), hyperparameters(FIXED, params[trial]), workers=1, seed=SEED)
        outcome = scorer.score(wv)
        done[trial] = {
            **outcome["scores"],
            "mean_rho": outcome["objective"],
            "seconds": time.perf_counter() - start,
        }
        CACHE.write_text(json.dumps(done))
        print(
            f"retrained {i + 1}/{len(complete)}: trial {trial} mean_rho {done[trial]['mean_rho']:.4f}",
            file=sys.stderr,
            flush=True,
        )
    return done


def _rankable_rule(frame, min_pairs: int | None, min_coverage: float | None) -> tuple[int, float, str]:
    """The ranking rule to use, and a sentence on why."""
    from w2veval.tune._results import MIN_RANK_COVERAGE, MIN_RANK_PAIRS

    complete = frame[frame["state"] == "COMPLETE"]
    lowest = (
        f"fewest pairs scored {int(complete['n_scored'].min())}, lowest coverage "
        f"{complete['coverage'].min():.3f}"
    )
    if min_pairs is None and min_coverage is None:
        unrankable = int((~complete["rankable"].astype(bool)).sum())
        return (
            MIN_RANK_PAIRS,
            MIN_RANK_COVERAGE,
            (
                f"default ranking rule ({MIN_RANK_PAIRS} pairs, {MIN_RANK_COVERAGE:.0%} coverage per set): "
                f"{unrankable} of {len(complete)} complete trials unrankable; {lowest}"
            ),
        )
    pairs = MIN_RANK_PAIRS if min_pairs is None else min_pairs
    coverage = MIN_RANK_COVERAGE if min_coverage is None else min_coverage
    return pairs, coverage, f"LOWERED ranking rule ({pairs} pairs, {coverage:.0%} coverage per set); {lowest}"


def check_reproduced(frame, rescored: dict[int, dict]) -> float:
    """The largest difference between a stored objective and the retrained model's score."""
    worst = 0.0
    for row in frame[frame["state"] == "COMPLETE"].itertuples():
        again = rescored[row.trial]
        worst = max(
            worst, abs(again["ws353-sim"] - row.objective_1), abs(again["ws353-rel"] - row.objective_2)
        )
    return worst


def markdown(frame, rescored: dict[int, dict]) -> str:
    rows = frame[frame["state"] == "COMPLETE"].copy()
    rows["mean_rho"] = [rescored[t]["mean_rho"] for t in rows["trial"]]
    rows = rows.sort_values(["mean_rho", "trial"], ascending=[False, True])
    names = [c for c in ("mode", "vector_dim", "learning_rate", "window_size") if c in rows]
    lines = [
        "| trial | ws353-sim | ws353-rel | ws353 | mean_rho | Pareto-optimal | " + " | ".join(names) + " |",
        "|---:|---:|---:|---:|---:|:---:|" + "---|" * len(names),
    ]
    for row in rows.itertuples():
        hp = " | ".join(
            f"{getattr(row, n):.4f}" if isinstance(getattr(row, n), float) else str(getattr(row, n))
            for n in names
        )
        lines.append(
            f"| {row.trial} | {row.objective_1:.4f} | {row.objective_2:.4f} "
            f"| {rescored[row.trial]['ws353']:.4f} | {row.mean_rho:.4f} "
            f"| {'yes' if row.pareto_optimal else ''} | {hp} |"
        )
    return "\n".join(lines)


def _dominates(a, b) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and (a[0] > b[0] or a[1] > b[1])


def layers(points: dict[int, tuple[float, float]]) -> list[list[int]]:
    """Non-dominated sorting by brute force: the front, then the front of the rest, ..."""
    left, result = dict(points), []
    while left:
        layer = [t for t, p in left.items() if not any(_dominates(q, p) for q in left.values())]
        result.append(sorted(layer, key=lambda t: -left[t][0]))
        for t in layer:
            del left[t]
    return result


def findings(frame, rescored: dict[int, dict]) -> str:
    from scipy.stats import spearmanr

    rows = frame[frame["state"] == "COMPLETE"].copy()
    rows["mean_rho"] = [rescored[t]["mean_rho"] for t in rows["trial"]]
    ranked = rows[rows["rankable"].astype(bool)]
    fronts = layers({int(r.trial): (r.objective_1, r.objective_2) for r in ranked.itertuples()})
    marked = sorted(int(t) for t in rows[rows["pareto_optimal"].astype(bool)]["trial"])
    rho = spearmanr(rows["objective_1"], rows["objective_2"]).statistic
    by_sim = rows.sort_values("objective_1", ascending=False)["trial"].tolist()
    by_mean = rows.sort_values("mean_rho", ascending=False)["trial"].tolist()
    best = rows.sort_values(["mean_rho", "trial"], ascending=[False, True]).iloc[0]
    front = rows[rows["pareto_optimal"].astype(bool)].sort_values("objective_1", ascending=False)
    on = "IS" if bool(best["pareto_optimal"]) else "is NOT"
    lines = [
        f"Best mean_rho: trial {int(best['trial'])}, mean_rho {best['mean_rho']:.4f} "
        f"(ws353-sim {best['objective_1']:.4f}, ws353-rel {best['objective_2']:.4f}); it {on} on the front."
    ]
    if not bool(best["pareto_optimal"]):
        beaters = rows[
            (rows["objective_1"] >= best["objective_1"])
            & (rows["objective_2"] >= best["objective_2"])
            & ((rows["objective_1"] > best["objective_1"]) | (rows["objective_2"] > best["objective_2"]))
        ]
        lines.append(
            "Dominated by trial(s) "
            + ", ".join(
                f"{int(r.trial)} (sim {r.objective_1:.4f}, rel {r.objective_2:.4f}, "
                f"mean_rho {r.mean_rho:.4f})"
                for r in beaters.itertuples()
            )
            + "."
        )
    lines.append(
        f"Front ({len(front)} trials, by ws353-sim): "
        + "; ".join(
            f"trial {int(r.trial)}: sim {r.objective_1:.4f}, rel {r.objective_2:.4f}, "
            f"mean_rho {r.mean_rho:.4f}"
            for r in front.itertuples()
        )
    )
    lines.append(
        f"Brute-force front {fronts[0] if fronts else []} "
        f"{'agrees with' if sorted(fronts[0] if fronts else []) == marked else 'DIFFERS from'} "
        f"pareto_optimal {marked}."
    )
    for k, layer in enumerate(fronts[1:3], start=2):
        lines.append(
            f"Layer {k} (front once the layers above are removed): "
            + "; ".join(
                f"trial {t}: sim {rows.set_index('trial').at[t, 'objective_1']:.4f}, "
                f"rel {rows.set_index('trial').at[t, 'objective_2']:.4f}, "
                f"mean_rho {rows.set_index('trial').at[t, 'mean_rho']:.4f}"
                for t in layer
            )
        )
    lines.append(
        f"Spearman between ws353-sim and ws353-rel over the {len(rows)} complete trials: {rho:.3f}. "
        f"Top 5 by ws353-sim {by_sim[:5]}, by mean_rho {by_mean[:5]}."
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--min-pairs", type=int, default=None, help="lower the ranking rule")
    parser.add_argument("--min-coverage", type=float, default=None, help="lower the ranking rule")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args(argv)
    _pinned_hash_seed(argv)
    os.environ["W2VEVAL_HOME"] = str(HOME)
    if args.fresh:
        for stale in (DB, CACHE):
            stale.unlink(missing_ok=True)
    install_goldsets()
    path = corpus()
    info = describe(path)
    print(f"corpus {path.name}: {info}; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    started = time.perf_counter()
    run_study(path, args.trials)
    study_seconds = time.perf_counter() - started

    from w2veval.tune import results

    default = results(f"sqlite:///{DB}", STUDY)
    min_pairs, min_coverage, rule = _rankable_rule(default, args.min_pairs, args.min_coverage)
    frame = results(f"sqlite:///{DB}", STUDY, min_pairs=min_pairs, min_coverage=min_coverage)
    rescored = retrain(path, frame)
    worst = check_reproduced(frame, rescored)
    totals = frame.attrs.get("totals", {})
    complete = frame[frame["state"] == "COMPLETE"]
    print(
        f"Corpus: {info['tokens']:,} tokens, {info['sentences']:,} lines, {info['vocabulary']:,} words "
        f"at min_count={FIXED['min_count']}. Study {STUDY!r}: {len(frame)} trials, {len(complete)} complete, "
        f"TPE seed {SEED}, deterministic; fixed {FIXED}. Study CPU-seconds "
        f"{totals.get('cpu_seconds', math.nan):.0f} (this run's wall seconds {study_seconds:.0f}); "
        f"load average after {os.getloadavg()[0]:.1f}."
    )
    print(
        f"Coverage per trial: ws353-sim/ws353-rel lowest {complete['coverage'].min():.3f}, "
        f"highest {complete['coverage'].max():.3f}. {rule}."
    )
    print(
        f"Retrained every complete trial: largest |stored objective - retrained score| = {worst:.3g} "
        f"({'bit-identical' if worst == 0 else 'within 1e-12' if worst <= 1e-12 else 'NOT reproduced'}).\n"
    )
    print(markdown(frame, rescored))
    print()
    print(findings(frame, rescored))
    return 0


if __name__ == "__main__":
    sys.exit(main())
