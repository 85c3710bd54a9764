"""Paired comparisons of two models on tasks, outlier sets and categorization sets.

A task compares the two models' out-of-fold predictions on the same folds, text by
text; an outlier set compares the tests both models scored, test by test. Both are
paired: the interval of the delta comes from a bootstrap that draws the same items
for both models, and the p-values test that delta. See ``docs/statistics.md``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ._significance import mcnemar_exact

__all__ = [
    "compare_categories",
    "compare_outliers",
    "compare_task",
    "macro_f1_delta_tests",
    "paired_cells",
]


def paired_cells(y_true, pred_a, pred_b) -> tuple[np.ndarray, int]:
    """Count the texts of each (true, A's, B's) label triple: a ``(k, k, k)`` array, and ``k``.

    The texts of one cell are interchangeable for every statistic of the
    comparison, so resampling texts is resampling these counts.
    """
    y_true, pred_a, pred_b = (np.asarray(x, dtype=str) for x in (y_true, pred_a, pred_b))
    n = len(y_true)
    _, codes = np.unique(np.concatenate([y_true, pred_a, pred_b]), return_inverse=True)
    k = int(codes.max()) + 1 if n else 0
    t, a, b = codes[:n], codes[n : 2 * n], codes[2 * n :]
    counts = np.bincount((t * k + a) * k + b, minlength=k**3).reshape(k, k, k)
    return counts, k


MIN_COMMON = 30
"""Below this many items both models scored, a comparison is warned about (as for word pairs)."""
_CHUNK = 1000
"""Resamples drawn at a time: memory stays O(_CHUNK x occupied cells) for any number of classes."""


def _one_hot(rows: np.ndarray, cols: np.ndarray, k: int) -> np.ndarray:
    """A (cells, k*k) matrix: each occupied cell's (row, col) entry of a confusion matrix."""
    out = np.zeros((len(rows), k * k))
    out[np.arange(len(rows)), rows * k + cols] = 1.0
    return out


def macro_f1_delta_tests(y_true, pred_a, pred_b, *, level: float, n_resamples: int, seed) -> dict:
    """Delta of macro-F1 (A − B) with a paired bootstrap interval and a randomisation p-value.

    The bootstrap draws n texts with replacement, the same texts for both models
    (as multinomial counts of the occupied (true, A, B) cells: the same distribution,
    without an n-by-resamples array); the interval is the percentile one. The p-value
    is a paired approximate randomisation test: under the null hypothesis that the two
    models are exchangeable, each text's two predictions are swapped with probability
    1/2, and p = (1 + #{|delta*| >= |delta|}) / (1 + n_resamples).

    Returns
    -------
    dict
        ``score_a``, ``score_b`` (macro-F1), ``delta``, ``delta_lo``, ``delta_hi``, ``p_value``.
    """
    from ._classification import _metrics

    counts, k = paired_cells(y_true, pred_a, pred_b)
    n = int(counts.sum())
    t, a, b = np.nonzero(counts)
    occupied = counts[t, a, b]
    to_a, to_b = _one_hot(t, a, k), _one_hot(t, b, k)  # where a cell's texts sit in A's, B's confusion

    def macro_f1(cells: np.ndarray, onto: np.ndarray) -> np.ndarray:
        return _metrics((cells @ onto).reshape(-1, k, k))[1]

    score_a, score_b = (float(macro_f1(occupied[None, :].astype(float), m)[0]) for m in (to_a, to_b))
    delta = score_a - score_b
    rng = np.random.default_rng(seed)
    delta_blocks: list[np.ndarray] = []
    null_blocks: list[np.ndarray] = []
    for start in range(0, int(n_resamples), _CHUNK):
        size = min(_CHUNK, int(n_resamples) - start)
        drawn = rng.multinomial(n, occupied / n, size=size).astype(float)
        delta_blocks.append(macro_f1(drawn, to_a) - macro_f1(drawn, to_b))
        # Randomisation: m of a cell's n_c texts swap their two predictions, (t, a, b) -> (t, b, a).
        swapped = rng.binomial(occupied, 0.5, size=(size, len(occupied))).astype(float)
        kept = occupied - swapped
        null_blocks.append(
            _metrics((kept @ to_a + swapped @ to_b).reshape(-1, k, k))[1]
            - _metrics((kept @ to_b + swapped @ to_a).reshape(-1, k, k))[1]
        )
    deltas, null = np.concatenate(delta_blocks), np.concatenate(null_blocks)
    low, high = (float(q) for q in np.nanquantile(deltas, [(1 - level) / 2, (1 + level) / 2]))
    extreme = int(np.count_nonzero(np.abs(null) >= abs(delta) - 1e-12))
    return {
        "score_a": score_a,
        "score_b": score_b,
        "delta": delta,
        "delta_lo": low,
        "delta_hi": high,
        "p_value": (1 + extreme) / (1 + int(n_resamples)),
    }


def compare_task(task, vectors_a, vectors_b, *, rules, restrict_vocab, level, n_resamples, seed) -> dict:
    """One comparison row for a classification task (without model names).

    Both models' out-of-fold predictions come from the same stratified folds (they
    depend only on the labels and ``seed``). ``n_common`` counts every text: a text
    with no known token is predicted too (from a zero feature vector), and counts as
    that model's prediction.
    """
    from ._classification import out_of_fold_predictions

    y_true, pred_a = out_of_fold_predictions(
        vectors_a, task, rules=rules, restrict_vocab=restrict_vocab, seed=seed
    )
    _, pred_b = out_of_fold_predictions(
        vectors_b, task, rules=rules, restrict_vocab=restrict_vocab, seed=seed
    )
    right_a, right_b = pred_a == y_true, pred_b == y_true
    row = {"metric": "macro_f1", "n_common": len(y_true)}
    row |= macro_f1_delta_tests(y_true, pred_a, pred_b, level=level, n_resamples=n_resamples, seed=seed)
    row["p_mcnemar"] = mcnemar_exact(
        int(np.count_nonzero(right_a & ~right_b)), int(np.count_nonzero(~right_a & right_b))
    )
    return row


def compare_outliers(
    outlier_set, vectors_a, vectors_b, *, rules, restrict_vocab, level, n_resamples, seed
) -> dict:
    """One comparison row for an outlier set: accuracy on the tests both models scored.

    ``delta`` is the difference of accuracies, its interval a paired percentile
    bootstrap over those tests, and ``p_value`` McNemar's exact test on the tests
    one model detected and the other did not (the test of exactly this delta);
    ``p_mcnemar`` repeats it.
    """
    from ._outliers import outlier_outcomes

    outcomes_a = outlier_outcomes(vectors_a, outlier_set, rules=rules, restrict_vocab=restrict_vocab)
    outcomes_b = outlier_outcomes(vectors_b, outlier_set, rules=rules, restrict_vocab=restrict_vocab)
    both = [
        (a["detected"], b["detected"])
        for a, b in zip(outcomes_a, outcomes_b, strict=True)
        if a["scored"] and b["scored"]
    ]
    row = {"metric": "accuracy", "n_common": len(both)}
    if not both:
        warnings.warn(
            f"{outlier_set.name}: no test is scored by both models; nothing to compare",
            UserWarning,
            stacklevel=3,
        )
        return row | _undefined()
    if len(both) < MIN_COMMON:
        warnings.warn(
            f"{outlier_set.name}: the comparison stands on only {len(both)} tests scored by both "
            f"models (fewer than {MIN_COMMON}); treat it with care",
            UserWarning,
            stacklevel=3,
        )
    detected = np.array(both, dtype=bool)
    a, b = detected[:, 0], detected[:, 1]
    score_a, score_b = float(a.mean()), float(b.mean())
    # Cells: (A right, B right) as 2*a + b; resampling tests = multinomial counts of 4 cells.
    counts = np.bincount(2 * a.astype(int) + b.astype(int), minlength=4)
    n = len(both)
    rng = np.random.default_rng(seed)
    drawn = rng.multinomial(n, counts / n, size=int(n_resamples))
    deltas = (drawn[:, 2] - drawn[:, 1]) / n  # (A only) − (B only), over n
    low, high = (float(q) for q in np.quantile(deltas, [(1 - level) / 2, (1 + level) / 2]))
    p = mcnemar_exact(counts[2], counts[1])
    return row | {
        "score_a": score_a,
        "score_b": score_b,
        "delta": score_a - score_b,
        "delta_lo": low,
        "delta_hi": high,
        "p_value": p,
        "p_mcnemar": p,
    }


def compare_categories(category_set, vectors_a, vectors_b, *, rules, restrict_vocab, **_ignored) -> dict:
    """One row for a categorization set: both purities and their difference, no test.

    Purity is not a sum over items: a paired resample would have to re-cluster every
    draw (thousands of clusterings), and clusters of resampled words with repeats
    are not the clustering being judged. The row gives the two scores and the delta
    (on each model's own covered words, as ``score`` reports them) with NaN
    ``n_common``, interval and p-values, and a warning says so.
    """
    from ._categorization import CategorizationEvaluator

    evaluator = CategorizationEvaluator()
    a = evaluator.evaluate(vectors_a, category_set, matching=rules, restrict_vocab=restrict_vocab)
    b = evaluator.evaluate(vectors_b, category_set, matching=rules, restrict_vocab=restrict_vocab)
    warnings.warn(
        f"{category_set.name}: categorization sets get no paired test or interval (purity "
        "depends on the whole clustering); delta compares the two purities only",
        UserWarning,
        stacklevel=3,
    )
    return (
        {"metric": "purity", "n_common": math.nan}
        | _undefined()
        | {"score_a": a["purity"], "score_b": b["purity"], "delta": a["purity"] - b["purity"]}
    )


def _undefined() -> dict:
    return dict.fromkeys(
        ("score_a", "score_b", "delta", "delta_lo", "delta_hi", "p_value", "p_mcnemar"), math.nan
    )
