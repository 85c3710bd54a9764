"""The results table of a study: one row per trial, best first.

The columns are those of SageMaker's tuning-job analytics, in w2veval's names:
``trial``, ``state``, ``objective`` (mean over the repeats), ``objective_std``,
``heldout_objective`` (only with a held-out split), one column per gold-set score, one per
searched hyperparameter (BlazingText names), and ``seconds``.
"""

from __future__ import annotations

import math

from ._storage import load_study, open_storage

__all__ = ["results", "study_table", "BASE_COLUMNS"]

BASE_COLUMNS = ("trial", "state", "objective", "objective_std")


def results(storage: str, study: str):
    """The table of study ``study`` in ``storage``, best trial first.

    Parameters
    ----------
    storage : str
        ``sqlite:///FILE.db``, ``journal:///PATH/FILE.log`` or ``postgresql://...``.
    study : str
        The study's name.

    Returns
    -------
    pandas.DataFrame
        One row per trial: ``trial`` (Optuna's trial number), ``state`` (``COMPLETE``,
        ``FAIL``, ``RUNNING``, ``PRUNED`` or ``WAITING``), ``objective`` (mean over the
        repeats), ``objective_std`` (their sample standard deviation; NaN with one
        repeat), ``heldout_objective`` (only when the study uses a held-out split), one
        column per gold-set score (mean over the repeats, named by the gold set), one
        per searched hyperparameter and ``seconds`` (the trial's wall time; NaN while it
        runs). Sorted by ``objective``, highest first, NaN last, then by ``trial``.

    Raises
    ------
    StudyNotFoundError
        No such storage file, or no such study in the storage (the message lists those
        that exist).
    StorageError
        The storage cannot be opened (database server down, bad credentials).
    """
    opened = open_storage(storage, create=False)
    return study_table(load_study(opened, storage, study))


def _number(value) -> float:
    return math.nan if value is None else float(value)


def study_table(study):
    """:func:`results` for an open Optuna study."""
    import pandas as pd

    attrs = study.user_attrs
    trials = study.get_trials(deepcopy=False)
    columns = list(attrs.get("w2veval:columns") or
                   dict.fromkeys(c for t in trials for c in t.user_attrs.get("scores") or {}))
    if "w2veval:hyperparameters" in attrs:
        params = list(attrs["w2veval:hyperparameters"])
    else:
        params = list(dict.fromkeys(p for t in trials for p in t.params))
    heldout = attrs.get("w2veval:heldout") is not None
    head = list(BASE_COLUMNS) + (["heldout_objective"] if heldout else [])
    names = head + columns + [p for p in params if p not in columns] + ["seconds"]
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
        row.update({p: t.params.get(p) for p in params if p not in columns})
        done = t.datetime_complete is not None and t.datetime_start is not None
        row["seconds"] = (t.datetime_complete - t.datetime_start).total_seconds() if done else math.nan
        rows.append(row)
    frame = pd.DataFrame(rows, columns=names)
    if rows:
        frame = frame.sort_values(["objective", "trial"], ascending=[False, True],
                                  na_position="last", kind="mergesort").reset_index(drop=True)
    return frame
