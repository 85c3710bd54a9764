"""The results table of a study: one row per trial, best first.

The columns are those of SageMaker's tuning-job analytics, in w2veval's names:
``trial``, ``state``, ``objective`` (mean over the repeats), ``objective_std``,
``heldout_objective`` (only with a held-out split), one column per gold-set score,
``n_scored``, ``coverage``, ``rankable`` and ``note`` (whether the objective stands on
enough pairs to rank the trial; :mod:`w2veval.scoring._ranking`), one per searched
hyperparameter (BlazingText names), and ``seconds``.
"""

from __future__ import annotations

import math

from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS, unrankable_reason, weakest
from ._storage import load_study, open_storage

__all__ = ["results", "study_table", "best_trial", "BASE_COLUMNS", "RANK_COLUMNS"]

BASE_COLUMNS = ("trial", "state", "objective", "objective_std")
RANK_COLUMNS = ("n_scored", "coverage", "rankable", "note")


def results(storage: str, study: str, *, min_pairs: int = MIN_RANK_PAIRS,
            min_coverage: float = MIN_RANK_COVERAGE):
    """The table of study ``study`` in ``storage``, best trial first.

    Parameters
    ----------
    storage : str
        ``sqlite:///FILE.db``, ``journal:///PATH/FILE.log`` or ``postgresql://...``.
    study : str
        The study's name.
    min_pairs, min_coverage
        The ranking rule (``docs/statistics.md``, "Which scores may rank"): a trial may
        rank only if each gold set of its objective has at least ``min_pairs`` pairs
        scored and a coverage of at least ``min_coverage``.

    Returns
    -------
    pandas.DataFrame
        One row per trial: ``trial`` (Optuna's trial number), ``state`` (``COMPLETE``,
        ``FAIL``, ``RUNNING``, ``PRUNED`` or ``WAITING``), ``objective`` (mean over the
        repeats), ``objective_std`` (their sample standard deviation; NaN with one
        repeat), ``heldout_objective`` (only when the study uses a held-out split), one
        column per gold-set score (mean over the repeats, named by the gold set),
        ``n_scored`` (the fewest pairs scored on any gold set of the objective) and
        ``coverage`` (the lowest share of a gold set's pairs scored), ``rankable`` (the
        objective stands on enough pairs: both pass the rule) and ``note`` (why not, or
        None), one per searched hyperparameter and ``seconds`` (the trial's wall time;
        NaN while it runs). Rankable trials first, each part sorted by ``objective``,
        highest first, NaN last, then by ``trial``: the first row is the best trial
        only if it is rankable.

    Raises
    ------
    StudyNotFoundError
        No such storage file, or no such study in the storage (the message lists those
        that exist).
    StorageError
        The storage cannot be opened (database server down, bad credentials).
    """
    opened = open_storage(storage, create=False)
    return study_table(load_study(opened, storage, study), min_pairs=min_pairs, min_coverage=min_coverage)


def _number(value) -> float:
    return math.nan if value is None else float(value)


def _objective_columns(study, columns: list) -> list:
    """The score columns the objective is computed from (the tuning part of a split)."""
    if study.user_attrs.get("w2veval:heldout") is not None:
        return columns[: len(columns) // 2]
    return columns


def trial_rank(trial, objective_columns, *, min_pairs: int = MIN_RANK_PAIRS,
               min_coverage: float = MIN_RANK_COVERAGE) -> dict:
    """``{"n_scored", "coverage", "rankable", "note"}`` of one Optuna trial."""
    user = trial.user_attrs
    n_scored, n_pairs = user.get("n_scored") or {}, user.get("n_pairs") or {}
    value = trial.value if trial.value is not None else user.get("objective")
    if not objective_columns or any(c not in n_scored or c not in n_pairs for c in objective_columns):
        note = None if trial.state.name == "RUNNING" else \
            "no pairs-scored record (a trial of an older w2veval, or one that did not score)"
        return {"n_scored": math.nan, "coverage": math.nan, "rankable": False, "note": note}
    rows = [{"n_scored": n_scored[c], "n_pairs": n_pairs[c]} for c in objective_columns]
    fewest, coverage = weakest(rows)
    reasons = []
    for c in objective_columns:
        reason = unrankable_reason(n_scored[c], n_pairs[c], min_pairs=min_pairs, min_coverage=min_coverage)
        if reason is not None:
            reasons.append(f"{c}: {reason}" if len(objective_columns) > 1 else reason)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        reasons.insert(0, "the objective is undefined")
    return {"n_scored": fewest, "coverage": coverage, "rankable": not reasons,
            "note": "; ".join(reasons) or None}


def best_trial(study, *, min_pairs: int = MIN_RANK_PAIRS, min_coverage: float = MIN_RANK_COVERAGE):
    """The complete trial with the highest objective among those that may rank, or ``None``.

    Unlike Optuna's ``study.best_trial``, a trial whose objective stands on too few pairs
    (see :func:`results`) is never the best.
    """
    columns = _objective_columns(study, _score_columns(study, study.get_trials(deepcopy=False)))
    best = None
    for t in study.get_trials(deepcopy=False):
        if t.state.name != "COMPLETE" or t.value is None or math.isnan(t.value):
            continue
        if not trial_rank(t, columns, min_pairs=min_pairs, min_coverage=min_coverage)["rankable"]:
            continue
        if best is None or t.value > best.value:
            best = t
    return best


def _score_columns(study, trials) -> list:
    return list(study.user_attrs.get("w2veval:columns") or
                dict.fromkeys(c for t in trials for c in t.user_attrs.get("scores") or {}))


def study_table(study, *, min_pairs: int = MIN_RANK_PAIRS, min_coverage: float = MIN_RANK_COVERAGE):
    """:func:`results` for an open Optuna study."""
    import pandas as pd

    attrs = study.user_attrs
    trials = study.get_trials(deepcopy=False)
    columns = _score_columns(study, trials)
    objective_columns = _objective_columns(study, columns)
    if "w2veval:hyperparameters" in attrs:
        params = list(attrs["w2veval:hyperparameters"])
    else:
        params = list(dict.fromkeys(p for t in trials for p in t.params))
    heldout = attrs.get("w2veval:heldout") is not None
    head = list(BASE_COLUMNS) + (["heldout_objective"] if heldout else [])
    names = head + columns + list(RANK_COLUMNS) + [p for p in params if p not in columns] + ["seconds"]
    rows = []
    for t in trials:
        user = t.user_attrs
        scores = user.get("scores") or {}
        row = {"trial": t.number, "state": t.state.name,
               "objective": _number(t.value if t.value is not None else user.get("objective")),
               "objective_std": _number(user.get("objective_std"))}
        if heldout:
            row["heldout_objective"] = _number(user.get("heldout_objective"))
        row.update({c: _number(scores.get(c)) for c in columns})
        row.update(trial_rank(t, objective_columns, min_pairs=min_pairs, min_coverage=min_coverage))
        row.update({p: t.params.get(p) for p in params if p not in columns})
        done = t.datetime_complete is not None and t.datetime_start is not None
        row["seconds"] = (t.datetime_complete - t.datetime_start).total_seconds() if done else math.nan
        rows.append(row)
    frame = pd.DataFrame(rows, columns=names)
    if rows:
        frame["note"] = pd.Series([r["note"] for r in rows], dtype=object)  # None, not NaN
        frame = frame.sort_values(["rankable", "objective", "trial"], ascending=[False, False, True],
                                  na_position="last", kind="mergesort").reset_index(drop=True)
    return frame
