"""Warm starts: the best configurations of earlier tuning, enqueued as a new study's first trials.

A SOURCE is one of

* an earlier local study: its storage URL (``sqlite:///F.db``, ``journal:///PATH/F.log``,
  ``postgresql://...``), optionally followed by ``#STUDY`` (needed when the storage holds
  more than one study);
* a JSON file written by ``w2veval tune results --format json``;
* a JSON file written by ``w2veval sagemaker results JOB --format json``.

Its candidates are the complete configurations with a defined objective that may rank
(``rankable`` not false), best first in the order of the results table, which sorts in the
objective's direction: one objective, by ``objective`` (highest first when maximised), then
trial number; several objectives, the Pareto-optimal trials first, then by ``objective_1``;
a SageMaker job, by ``objective_value`` in the tuning job's direction.
Each is mapped onto the new search space by hyperparameter name (BlazingText's names are
w2veval's), its values typed (``"0.05"`` → 0.05, ``"true"`` → True); names the space does
not search are dropped, a searched name the source lacks is left to the sampler, and a
configuration with a value outside the space is skipped and counted.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..space import BLAZINGTEXT_HYPERPARAMETERS, Categorical, Continuous, Integer, SearchSpace
from ._errors import TuneError, import_optuna, quiet_optuna
from ._space import _typed
from ._storage import describe, load_study, open_storage, storage_kind

if TYPE_CHECKING:
    import optuna
    import pandas as pd

    from .._typing import StrPath

    Candidate = tuple[str, Mapping[str, Any]]
    """``(label, {name: raw value})`` of one configuration of the source."""

__all__ = ["WARM_START_ATTR", "WarmStart", "enqueue_warm_start", "read_warm_start"]

WARM_START_ATTR = "w2veval:warm_start"
"""The study user attribute recording a warm start: ``{"source", "enqueued", "skipped"}``."""

_STUDY, _TUNE, _SAGEMAKER = "study", "tune-results", "sagemaker-results"


@dataclass(frozen=True)
class WarmStart:
    """What a warm-start source gave.

    Attributes
    ----------
    configs : list of dict
        At most ``best`` configurations, best first: ``{name: typed value}`` with only
        names of the new search space, each inside it, no two alike.
    read : int
        Candidate configurations found in the source (complete, objective defined, rankable).
    skipped : int
        Candidates with a value outside the new search space.
    source_kind : str
        ``"study"``, ``"tune-results"`` or ``"sagemaker-results"``.
    """

    configs: list[dict[str, Any]]
    read: int
    skipped: int
    source_kind: str


def read_warm_start(source: StrPath, space: SearchSpace, *, best: int = 5) -> WarmStart:
    """The best ``best`` configurations of ``source`` that lie inside ``space``.

    Parameters
    ----------
    source : str or os.PathLike
        A storage URL of an earlier study, optionally ``URL#STUDY``; or the path of a JSON
        file written by ``w2veval tune results --format json`` or ``w2veval sagemaker
        results JOB --format json``.
    space : SearchSpace
        The new study's search space.
    best : int, default 5
        How many configurations to take, at most.

    Returns
    -------
    WarmStart

    Raises
    ------
    TuneError
        ``best`` is not a positive integer; the file is missing, not JSON (the message
        gives the line), not one of the two tables, or has no usable configuration; the
        storage holds several studies and no ``#STUDY`` was given; a value cannot be read
        as its hyperparameter's type.
    StudyNotFoundError, StorageError
        No such storage file or study; a storage that cannot be opened.

    Examples
    --------
    >>> import json, tempfile
    >>> from w2veval.space import Integer
    >>> rows = [{"training_job_name": "j-001", "status": "Completed", "objective_value": 0.6,
    ...          "vector_dim": "100", "epochs": "5"},
    ...         {"training_job_name": "j-002", "status": "Completed", "objective_value": 0.5,
    ...          "vector_dim": "300", "epochs": "5"}]
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
    ...     json.dump(rows, fh)
    >>> read_warm_start(fh.name, SearchSpace([Integer("vector_dim", 50, 200)]))
    WarmStart(configs=[{'vector_dim': 100}], read=2, skipped=1, source_kind='sagemaker-results')
    >>> os.remove(fh.name)
    """
    if isinstance(best, bool) or not isinstance(best, int) or best < 1:
        raise TuneError(
            f"the warm start takes the best K configurations; K must be a positive integer, got {best!r}"
        )
    if not isinstance(space, SearchSpace):
        raise TuneError(f"space must be a w2veval.space.SearchSpace, got {type(space).__name__}")
    if not isinstance(source, (str, os.PathLike)) or not os.fspath(source).strip():
        raise TuneError(
            f"a warm-start source is a storage URL (sqlite:///F.db#STUDY) or a results JSON "
            f"file, got {source!r}"
        )
    text = os.fspath(source)
    if "://" in text:
        kind, candidates = _STUDY, _study_candidates(text)
    else:
        kind, candidates = _json_candidates(text)
    where = describe(text) if kind == _STUDY else text
    return _fit_all(candidates, space, best, kind, where)


def enqueue_warm_start(
    study: optuna.Study,
    source: str,
    space: SearchSpace,
    *,
    best: int = 5,
    say: Callable[[str], None] | None = None,
    warm: WarmStart | None = None,
) -> WarmStart:
    """Enqueue the best configurations of ``source`` as the first trials of a new ``study``.

    Only a study without trials and without an earlier warm start (the user attribute
    ``w2veval:warm_start``) gets them: a resumed study enqueues nothing. Each goes through
    ``study.enqueue_trial(params, skip_if_exists=True)``; hyperparameters of the space
    that the source lacks are sampled as usual. The study records
    ``w2veval:warm_start = {"source", "enqueued", "skipped"}``.

    Parameters
    ----------
    study : optuna.Study
    source, space, best
        As :func:`read_warm_start` (the source is read, and checked, also on a resumed study).
    say : callable, optional
        Called with one line saying what was done; default ``w2veval: ...`` on stderr.
    warm : WarmStart, optional
        ``read_warm_start(source, space, best=best)`` already read by the caller (the
        source is then not read again).

    Returns
    -------
    WarmStart
        What the source gave (also on a resumed study, where none of it was enqueued).
    """
    say = say or _say
    warm = warm if warm is not None else read_warm_start(source, space, best=best)
    where = describe(source) if warm.source_kind == _STUDY else os.fspath(source)
    earlier = study.user_attrs.get(WARM_START_ATTR)
    trials = study.get_trials(deepcopy=False)
    if earlier is not None or trials:
        why = "was warm-started already" if earlier is not None else f"has {len(trials)} trial(s) already"
        say(f"warm start: nothing enqueued from {where}; the study {why}")
        return warm
    with quiet_optuna():
        for params in warm.configs:
            study.enqueue_trial(params, skip_if_exists=True)
    study.set_user_attr(
        WARM_START_ATTR, {"source": where, "enqueued": len(warm.configs), "skipped": warm.skipped}
    )
    n = len(warm.configs)
    line = f"warm start: enqueued {n} configuration{'' if n == 1 else 's'} from {where}"
    if warm.skipped:
        line += f"; {warm.skipped} outside the search space skipped"
    say(line)
    return warm


def _say(message: str) -> None:
    print(f"w2veval: {message}", file=sys.stderr, flush=True)


# --- candidates: (label, {name: raw value}) best first -------------------------------------------


def _study_candidates(source: str) -> list[Candidate]:
    """The candidates of an earlier study, ``URL`` or ``URL#STUDY``."""
    from ._results import study_table

    url, hash_, name = source.rpartition("#") if "#" in source else (source, "", "")
    storage_kind(url)  # an unknown scheme fails with the storages there are
    storage = open_storage(url, create=False)
    try:
        if not hash_ or not name:
            name = _only_study(storage, url)
        study = load_study(storage, url, name)
        table = study_table(study)
        trials = {t.number: t for t in study.get_trials(deepcopy=False)}
        fixed = dict(study.user_attrs.get("w2veval:fixed") or {})
    finally:
        engine = getattr(storage, "engine", None)
        if engine is not None:
            engine.dispose()  # a server's connections go back now, not when collected
    rows = [row for row in _records(table) if _usable(row, "state", "COMPLETE")]
    where = f"{describe(url)}#{name}"
    if not rows:
        raise TuneError(
            f"no complete trial with an objective that may rank in study {name!r} "
            f"({len(table)} trials); nothing to warm-start from",
            path=where,
        )
    # The table orders the trials; their values come from Optuna, typed as sampled, with the
    # study's fixed hyperparameters (a configuration is what trained the model).
    return [(f"trial {row['trial']}", {**fixed, **trials[int(row["trial"])].params}) for row in _ranked(rows)]


def _only_study(storage: optuna.storages.BaseStorage, url: str) -> str:
    optuna = import_optuna()
    names = optuna.study.get_all_study_names(storage)
    if len(names) != 1:
        listed = ", ".join(names) if names else "none"
        raise TuneError(
            f"{describe(url)} holds {len(names)} studies ({listed}); name one as {describe(url)}#STUDY"
        )
    return names[0]


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's rows as dicts, NaN as None."""
    return [
        {str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in table.to_dict(orient="records")  # the columns of study_table are str already
    ]


def _json_candidates(path: str) -> tuple[str, list[Candidate]]:
    """``(kind, candidates)`` of a results JSON file."""
    rows = _read_json(path)
    if not rows:
        raise TuneError("the results file lists no configuration; nothing to warm-start from", path=path)
    first = rows[0]
    if "trial" in first and "state" in first:
        kind, state, done, label = _TUNE, "state", "COMPLETE", "trial"
    elif "training_job_name" in first and "status" in first:
        kind, state, done, label = _SAGEMAKER, "status", "Completed", "training_job_name"
    else:
        raise TuneError(
            f"not a results table of `w2veval tune results` (trial, state, objective, ...) nor of "
            f"`w2veval sagemaker results` (training_job_name, status, objective_value, ...); its "
            f"first row has {', '.join(map(str, list(first)[:6])) or 'no keys'}",
            path=path,
        )
    usable = [row for row in rows if _usable(row, state, done)]
    if not usable:
        states = sorted({str(row.get(state)) for row in rows})
        raise TuneError(
            f"none of its {len(rows)} rows is a {done.lower()} configuration with an objective "
            f"that may rank (states: {', '.join(states)}); nothing to warm-start from",
            path=path,
        )
    if kind == _TUNE:
        usable = _ranked(usable)
    # A SageMaker table is sorted in its tuning job's direction, which the file does not repeat.
    return kind, [(f"{label} {row.get(label)}", row) for row in usable]


def _read_json(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise TuneError(
            "no such warm-start file; give a results JSON file or a storage URL "
            "(sqlite:///F.db, journal:///PATH/F.log, postgresql://...)",
            path=path,
        ) from None
    except UnicodeDecodeError:
        hint = " (an SQLite file: give it as sqlite:///PATH)" if _is_sqlite(path) else ""
        raise TuneError(f"not a results JSON file{hint}", path=path) from None
    except OSError as exc:
        raise TuneError(f"cannot read the warm-start file: {exc.strerror or exc}", path=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        hint = "; a journal storage is given as journal:///PATH" if '"op_code"' in text[:2000] else ""
        raise TuneError(f"not JSON: {err.msg}{hint}", path=path, line=err.lineno) from None
    except RecursionError:
        raise TuneError("nests too deeply to be a results JSON file", path=path) from None
    if not isinstance(data, list):
        raise TuneError(
            f"a results JSON file is a list of row objects (`--format json`), got a JSON {_json_type(data)}",
            path=path,
        )
    bad = next((i for i, row in enumerate(data) if not isinstance(row, dict)), None)
    if bad is not None:
        raise TuneError(
            f"a results JSON file is a list of row objects (`--format json`); item {bad + 1} "
            f"is a JSON {_json_type(data[bad])}",
            path=path,
        )
    return data


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _is_sqlite(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\0"


def _defined(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _objectives(row: Mapping[str, Any]) -> list[Any]:
    """The objective values of a row: ``objective``, ``objective_1..N`` or ``objective_value``."""
    if "objective_value" in row:
        return [row["objective_value"]]
    if "objective" in row:
        return [row["objective"]]
    numbered = [k for k in row if k.startswith("objective_") and k[len("objective_") :].isdigit()]
    return [row[k] for k in numbered]


def _usable(row: Mapping[str, Any], state: str, done: str) -> bool:
    values = _objectives(row)
    rankable = row.get("rankable")
    return (
        row.get(state) == done
        and bool(values)
        and all(map(_defined, values))
        and (rankable is None or _flag(rankable))
    )


def _flag(value: object) -> bool:
    """A true/false cell: a bool (a table's may be numpy's: no identity test) or the text
    ``true``; any other text (``"false"``, ``"no"``) is false, never true by being non-empty."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best first: the Pareto-optimal rows first, each part in the results table's order
    (``tune results`` sorts by the objective, or ``objective_1``, in its direction, then by
    trial; a minimised objective's direction is in the study, not in a JSON file)."""
    return sorted(rows, key=lambda row: not _flag(row.get("pareto_optimal", True)))


# --- onto the new space --------------------------------------------------------------------------


def _fit_all(candidates: list[Candidate], space: SearchSpace, best: int, kind: str, where: str) -> WarmStart:
    names = {name for _, values in candidates for name, value in values.items() if value is not None}
    if not names & set(space):
        known = sorted(n for n in names if n in BLAZINGTEXT_HYPERPARAMETERS)
        raise TuneError(
            f"the source names none of the searched hyperparameters ({', '.join(space)}); "
            f"it has {', '.join(known) or 'none of BlazingText'}",
            path=where,
        )
    configs: list[dict[str, Any]] = []
    seen: set[tuple[tuple[str, str], ...]] = set()
    skipped = 0
    for label, values in candidates:
        config = _fit(values, space, where, label)
        if config is None:
            skipped += 1
            continue
        key = tuple(sorted((k, repr(v)) for k, v in config.items()))
        if config and key not in seen and len(configs) < best:
            seen.add(key)
            configs.append(config)
    return WarmStart(configs=configs, read=len(candidates), skipped=skipped, source_kind=kind)


def _kind(name: str, r: Integer | Continuous | Categorical) -> type | None:
    if name in BLAZINGTEXT_HYPERPARAMETERS:
        return BLAZINGTEXT_HYPERPARAMETERS[name]
    return None if isinstance(r, Categorical) else int if isinstance(r, Integer) else float


def _fit(values: Mapping[str, Any], space: SearchSpace, where: str, label: str) -> dict[str, Any] | None:
    """``{name: typed value}`` of the space's names, or None when a value lies outside it."""
    config: dict[str, Any] = {}
    for name, r in space.items():
        value = values.get(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue  # the sampler chooses it
        kind = _kind(name, r)
        if kind is not None:
            try:
                value = _typed(name, value, kind)
            except TuneError as err:
                raise TuneError(f"{label}: {err.message}", path=where) from None
        if isinstance(r, Categorical):
            match = [v for v in r.values if v == value and type(v) is type(value)] or [
                v for v in r.values if str(v) == str(value)
            ]
            if not match:
                return None
            value = match[0]
        elif not r.low <= value <= r.high:
            return None
        config[name] = value
    return config
