"""The results table of a study: one row per trial, best first.

The columns are those of SageMaker's tuning-job analytics, in w2veval's names:
``trial``, ``state``, ``objective`` (mean over the repeats), ``objective_std``,
``heldout_objective`` (only with a held-out split) — or, for several objectives,
``objective_1`` ... ``objective_N`` and ``pareto_optimal`` — one column per gold-set score,
``n_scored``, ``coverage``, ``rankable`` and ``note`` (whether the objective stands on
enough pairs to rank the trial; :mod:`w2veval.scoring._ranking`), one per searched
hyperparameter (BlazingText names), ``steps`` (epochs reported to a pruner) and what the
trial cost: ``wall_seconds``, ``cpu_seconds``, ``words_per_second``, ``peak_memory_mb``
and, given a price per hour, ``cost``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS, unrankable_reason, weakest
from ._storage import load_study, open_storage

if TYPE_CHECKING:
    import optuna
    import pandas as pd

__all__ = ["BASE_COLUMNS", "COST_COLUMNS", "RANK_COLUMNS", "best_trial", "results", "study_table"]

BASE_COLUMNS = ("trial", "state", "objective", "objective_std")
RANK_COLUMNS = ("n_scored", "coverage", "rankable", "note")
COST_COLUMNS = ("wall_seconds", "cpu_seconds", "words_per_second", "peak_memory_mb")


def results(
    storage: str,
    study: str,
    *,
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
    price_per_hour: float | None = None,
) -> pd.DataFrame:
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
    price_per_hour : float, optional
        Adds ``cost`` (``wall_seconds`` / 3600 × price); default the price the study was
        run with, if any.

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
        None), one per searched hyperparameter, ``steps`` (epochs reported to the pruner;
        only in studies that prune) and the trial's costs: ``wall_seconds`` (training and
        scoring, all repeats), ``cpu_seconds`` (every thread), ``words_per_second``
        (vocabulary tokens trained per second of training), ``peak_memory_mb`` (peak
        resident memory of the worker during the trial) and ``cost`` when a price is
        known. Rankable trials first, each part sorted by ``objective``, highest first,
        NaN last, then by ``trial``: the first row is the best trial only if it is
        rankable.

        A study of several objectives has ``objective_1`` ... ``objective_N`` (in the
        order given) instead of ``objective`` and ``objective_std``, and
        ``pareto_optimal``: the complete, rankable trials that no other such trial
        beats on one objective without losing on another. They come first.

        ``frame.attrs`` holds ``objectives`` (names), ``directions``, ``price_per_hour``
        and ``totals`` (``trials``, ``wall_seconds``, ``cpu_seconds``, ``cost``).

    Raises
    ------
    StudyNotFoundError
        No such storage file, or no such study in the storage (the message lists those
        that exist).
    StorageError
        The storage cannot be opened (database server down, bad credentials).
    """
    opened = open_storage(storage, create=False)
    return study_table(
        load_study(opened, storage, study),
        min_pairs=min_pairs,
        min_coverage=min_coverage,
        price_per_hour=price_per_hour,
    )


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _objective_columns(study: optuna.Study, columns: list[str]) -> list[str]:
    """The score columns the objective is computed from (the tuning part of a split)."""
    if study.user_attrs.get("w2veval:heldout") is not None:
        return columns[: len(columns) // 2]
    return columns


def trial_rank(
    trial: optuna.trial.FrozenTrial,
    objective_columns: Sequence[str],
    *,
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
) -> dict[str, Any]:
    """``{"n_scored", "coverage", "rankable", "note"}`` of one Optuna trial."""
    user = trial.user_attrs
    n_scored, n_pairs = user.get("n_scored") or {}, user.get("n_pairs") or {}
    value = _values(trial)
    value = None if value is None or any(v is None or math.isnan(v) for v in value) else value
    if not objective_columns or any(c not in n_scored or c not in n_pairs for c in objective_columns):
        note = (
            None
            if trial.state.name == "RUNNING"
            else "no pairs-scored record (a trial of an older w2veval, or one that did not score)"
        )
        return {"n_scored": math.nan, "coverage": math.nan, "rankable": False, "note": note}
    rows = [{"n_scored": n_scored[c], "n_pairs": n_pairs[c]} for c in objective_columns]
    fewest, coverage = weakest(rows)
    reasons = []
    for c in objective_columns:
        reason = unrankable_reason(n_scored[c], n_pairs[c], min_pairs=min_pairs, min_coverage=min_coverage)
        if reason is not None:
            reasons.append(f"{c}: {reason}" if len(objective_columns) > 1 else reason)
    if value is None:
        reasons.insert(0, "the objective is undefined")
    elif trial.state.name == "PRUNED":  # its value is an intermediate one, not a trained model's
        reasons.insert(0, f"pruned after epoch {user.get('steps', '?')}")
    return {
        "n_scored": fewest,
        "coverage": coverage,
        "rankable": not reasons,
        "note": "; ".join(reasons) or None,
    }


def best_trial(
    study: optuna.Study, *, min_pairs: int = MIN_RANK_PAIRS, min_coverage: float = MIN_RANK_COVERAGE
) -> optuna.trial.FrozenTrial | None:
    """The complete trial with the highest objective among those that may rank, or ``None``.

    Unlike Optuna's ``study.best_trial``, a trial whose objective stands on too few pairs
    (see :func:`results`) is never the best. A study of several objectives has no single
    best trial: ``None``.
    """
    if len(study.directions) > 1:
        return None
    columns = _objective_columns(study, _score_columns(study, study.get_trials(deepcopy=False)))
    best, best_value = None, -math.inf
    for t in study.get_trials(deepcopy=False):
        if t.state.name != "COMPLETE" or t.value is None or math.isnan(t.value):
            continue
        if not trial_rank(t, columns, min_pairs=min_pairs, min_coverage=min_coverage)["rankable"]:
            continue
        if best is None or t.value > best_value:
            best, best_value = t, t.value
    return best


def _score_columns(study: optuna.Study, trials: Sequence[optuna.trial.FrozenTrial]) -> list[str]:
    return list(
        study.user_attrs.get("w2veval:columns")
        or dict.fromkeys(c for t in trials for c in t.user_attrs.get("scores") or {})
    )


def _values(trial: optuna.trial.FrozenTrial) -> list[float] | None:
    """The trial's objective value(s) as a list: Optuna's, else the record's (a failed or
    pruned trial keeps what it measured), else None."""
    if trial.values is not None:
        return [_number(v) for v in trial.values]
    user = trial.user_attrs
    if user.get("values") is not None:
        return [_number(v) for v in user["values"]]
    if user.get("objective") is not None or "objective" in user:
        return [_number(user.get("objective"))]
    return None


def study_table(
    study: optuna.Study,
    *,
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
    price_per_hour: float | None = None,
) -> pd.DataFrame:
    """:func:`results` for an open Optuna study."""
    import pandas as pd

    from ._pareto import pareto_mask
    from ._resources import cost, totals

    attrs = study.user_attrs
    trials = study.get_trials(deepcopy=False)
    columns = _score_columns(study, trials)
    objective_columns = _objective_columns(study, columns)
    directions = [d.name.lower() for d in study.directions]
    multi = len(directions) > 1
    names = _objective_names(attrs, len(directions))
    if price_per_hour is None:
        price_per_hour = attrs.get("w2veval:price_per_hour")
    if "w2veval:hyperparameters" in attrs:
        params = list(attrs["w2veval:hyperparameters"])
    else:
        params = list(dict.fromkeys(p for t in trials for p in t.params))
    heldout = attrs.get("w2veval:heldout") is not None
    value_columns = [f"objective_{k}" for k in range(1, len(directions) + 1)]
    head = ["trial", "state"] + ([*value_columns, "pareto_optimal"] if multi else list(BASE_COLUMNS[2:]))
    head += ["heldout_objective"] if heldout else []
    steps = any(t.user_attrs.get("steps") is not None for t in trials)
    tail = (
        (["steps"] if steps else []) + list(COST_COLUMNS) + (["cost"] if price_per_hour is not None else [])
    )
    order = head + columns + list(RANK_COLUMNS) + [p for p in params if p not in columns] + tail
    rows = [
        _row(
            t,
            value_columns if multi else None,
            columns,
            objective_columns,
            params,
            heldout,
            min_pairs,
            min_coverage,
        )
        for t in trials
    ]
    for row in rows:
        if price_per_hour is not None:
            row["cost"] = cost(row["wall_seconds"], price_per_hour)
        if steps:
            row["steps"] = _number(row["steps"])
    if multi:
        candidates = [r["state"] == "COMPLETE" and r["rankable"] for r in rows]
        front = pareto_mask([[r[c] for c in value_columns] for r in rows], directions, candidates)
        for row, on_front in zip(rows, front, strict=True):
            row["pareto_optimal"] = bool(on_front)
    frame = pd.DataFrame(rows, columns=order)
    if rows:
        frame["note"] = pd.Series([r["note"] for r in rows], dtype=object)  # None, not NaN
        first = "objective_1" if multi else "objective"
        keys, ascending = (
            (["pareto_optimal"] if multi else []) + ["rankable", first, "trial"],
            ([False] if multi else []) + [False, directions[0] == "minimize", True],
        )
        frame = frame.sort_values(
            keys, ascending=ascending, na_position="last", kind="mergesort"
        ).reset_index(drop=True)
    frame.attrs.update(
        {
            "objectives": names,
            "directions": directions,
            "price_per_hour": price_per_hour,
            "totals": totals(rows),
        }
    )
    return frame


def _objective_names(attrs: Mapping[str, Any], count: int) -> list[str]:
    from ._objectives import objective_from_json, objective_name

    if "w2veval:objectives" in attrs:
        return [objective_name(objective_from_json(o)) for o in attrs["w2veval:objectives"]]
    if "w2veval:objective" in attrs:
        return [objective_name(objective_from_json(attrs["w2veval:objective"]))]
    return [f"objective_{k}" for k in range(1, count + 1)]


def _row(
    t: optuna.trial.FrozenTrial,
    value_columns: list[str] | None,
    columns: list[str],
    objective_columns: list[str],
    params: list[str],
    heldout: bool,
    min_pairs: int,
    min_coverage: float,
) -> dict[str, Any]:
    user = t.user_attrs
    scores = user.get("scores") or {}
    row: dict[str, Any] = {"trial": t.number, "state": t.state.name}
    values = _values(t)
    if value_columns is not None:
        row.update(
            {c: values[k] if values and k < len(values) else math.nan for k, c in enumerate(value_columns)}
        )
    else:
        row["objective"] = values[0] if values else math.nan
        row["objective_std"] = _number(user.get("objective_std"))
    if heldout:
        row["heldout_objective"] = _number(user.get("heldout_objective"))
    row.update({c: _number(scores.get(c)) for c in columns})
    row.update(trial_rank(t, objective_columns, min_pairs=min_pairs, min_coverage=min_coverage))
    enqueued = t.system_attrs.get("fixed_params") or {}  # a waiting trial's warm-start values
    row.update({p: t.params.get(p, enqueued.get(p)) for p in params if p not in columns})
    row["steps"] = user.get("steps")
    wall = user.get("wall_seconds")
    if wall is None and t.datetime_complete is not None and t.datetime_start is not None:
        wall = (t.datetime_complete - t.datetime_start).total_seconds()  # a trial of an older w2veval
    row["wall_seconds"] = _number(wall)
    for name in COST_COLUMNS[1:]:
        row[name] = _number(user.get(name))
    return row
