"""Read a finished SageMaker tuning job back: one row per training job, and rescore its models.

:func:`tuning_results` lists every training job of a tuning job with its objective value,
the objective it optimised, hyperparameters, billable seconds, timing and model artifacts,
best first (read with ``Search``, 100 jobs a call: :mod:`._search`).
:func:`rescore` scores each job's ``model.tar.gz`` straight from S3 on gold sets (or an
:class:`~w2veval.Objective`), in parallel.

boto3 is imported only when a client is needed; ``client=None`` builds one from boto3's
normal configuration chain (``AWS_PROFILE``, ``AWS_ENDPOINT_URL``, ...).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from typing import TYPE_CHECKING, Any

from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS
from . import _job_warnings
from ._search import (
    describe_training_job,
    list_tuning_training_jobs,
    sagemaker_client,
    tuning_job,
    tuning_training_jobs,
)

if TYPE_CHECKING:
    import pandas as pd
    from botocore.client import BaseClient

    from .._typing import GoldSets
    from ..objective import Objective

__all__ = ["billable_line", "list_tuning_training_jobs", "rescore", "tuning_results"]

HEAD_COLUMNS = ("training_job_name", "status", "objective_value", "objective", "objective_status")
"""The columns before the hyperparameters."""
TAIL_COLUMNS = ("billable_seconds", "training_start", "training_end", "model_artifacts", "failure_reason")
"""The columns after the hyperparameters."""
RANK_COLUMNS = ("n_scored", "coverage", "rankable", "note", "rescore_error")
"""What :func:`rescore` adds after the score columns."""
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _iso(when) -> str | None:
    """A timestamp as ISO 8601 UTC text, ``2024-01-01T12:00:00Z`` (None stays None)."""
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _objective_value(summary: dict, job: dict, metric_name: str | None) -> float:
    """The tuner's final objective value, else the job's final value of its metric, else NaN."""
    final = summary.get("FinalHyperParameterTuningJobObjectiveMetric") or job.get(
        "FinalHyperParameterTuningJobObjectiveMetric"
    )
    if final and final.get("Value") is not None:
        return float(final["Value"])
    if metric_name:  # Search and the fallbacks have no tuner value: read the job's final metrics
        for metric in job.get("FinalMetricDataList") or []:
            if metric.get("MetricName") == metric_name and metric.get("Value") is not None:
                return float(metric["Value"])
    return math.nan


def _row(summary: dict, job: dict, metric_name: str | None) -> dict:
    hyper = job.get("HyperParameters") or summary.get("TunedHyperParameters") or {}
    spec = hyper.get("objective")
    return {
        "training_job_name": job.get("TrainingJobName") or summary.get("TrainingJobName"),
        "status": job.get("TrainingJobStatus") or summary.get("TrainingJobStatus"),
        "objective_value": _objective_value(summary, job, metric_name),
        "objective": spec if spec is not None else metric_name,
        "objective_status": summary.get("ObjectiveStatus"),
        "hyperparameters": {k: v for k, v in hyper.items() if not k.startswith("_") and k != "objective"},
        "billable_seconds": job.get("BillableTimeInSeconds"),
        "training_start": _iso(job.get("TrainingStartTime") or summary.get("TrainingStartTime")),
        "training_end": _iso(job.get("TrainingEndTime") or summary.get("TrainingEndTime")),
        "model_artifacts": (job.get("ModelArtifacts") or {}).get("S3ModelArtifacts"),
        "failure_reason": job.get("FailureReason") or summary.get("FailureReason"),
    }


def _typed(frame, hyper_columns):
    """Hyperparameter columns made numbers where every value is one (whole numbers as ``Int64``)."""
    import pandas as pd

    for column in hyper_columns:
        present = frame[column].dropna()
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().sum() != len(present):
            continue
        whole = all(_INTEGER.fullmatch(str(v).strip()) for v in present)
        frame[column] = converted.astype("Int64") if whole else converted.astype(float)
    if "billable_seconds" in frame:
        frame["billable_seconds"] = pd.array(
            [None if v is None or v != v else int(v) for v in frame["billable_seconds"]], dtype="Int64"
        )
    return frame


def _frame(rows, columns, hyper_columns, sort_column, maximize):
    """The table of ``rows`` (hyperparameters spread into ``hyper_columns``), best first by
    ``sort_column``."""
    import pandas as pd

    flat = []
    for row in rows:
        row = dict(row)
        row.update({k: row.get("hyperparameters", {}).get(k) for k in hyper_columns})
        flat.append({c: row.get(c) for c in columns})
    frame = _typed(pd.DataFrame(flat, columns=list(columns)), hyper_columns)
    if sort_column in frame and len(frame):
        frame = frame.sort_values(
            sort_column,
            ascending=not maximize,
            na_position="last",
            kind="mergesort",
            key=lambda s: pd.to_numeric(s, errors="coerce"),
        )
    frame = frame.reset_index(drop=True)
    if "billable_seconds" in frame:
        known = frame["billable_seconds"].dropna()
        frame.attrs["billable_seconds_total"] = int(known.sum()) if len(known) or not len(frame) else math.nan
    return frame


def _tuning_table(tuning_job_name, client):
    """``(rows, columns, hyper_columns, maximize)`` of a tuning job."""
    client = sagemaker_client(client)
    tuning = tuning_job(client, tuning_job_name)
    tuning.setdefault("HyperParameterTuningJobName", tuning_job_name)
    spec = tuning.get("HyperParameterTuningJobConfig", {}).get("HyperParameterTuningJobObjective", {})
    maximize = spec.get("Type", "Maximize") != "Minimize"
    rows = [
        _row(summary, job, spec.get("MetricName")) for summary, job in tuning_training_jobs(client, tuning)
    ]
    hyper_columns = list(dict.fromkeys(k for row in rows for k in row["hyperparameters"]))
    return rows, [*HEAD_COLUMNS, *hyper_columns, *TAIL_COLUMNS], hyper_columns, maximize


def tuning_results(tuning_job_name: str, *, client: BaseClient | None = None) -> pd.DataFrame:
    """Every training job of a tuning job, best first.

    Parameters
    ----------
    tuning_job_name : str
    client : botocore SageMaker client, optional
        Defaults to ``boto3.session.Session().client("sagemaker")``.

    Returns
    -------
    pandas.DataFrame
        ``training_job_name, status``; ``objective_value`` (the tuner's
        ``FinalHyperParameterTuningJobObjectiveMetric`` value, else the job's final value
        of the tuning objective's metric, else NaN); ``objective`` (what was optimised:
        the job's ``objective`` hyperparameter, which w2veval's jobs carry, such as
        ``mean_rho`` or ``0.7*ws353+0.3*simlex999``; else the tuning objective's metric
        name, ``train:mean_rho`` for BlazingText); ``objective_status`` (``Succeeded``,
        ``Pending``, ``Failed``; None where the endpoint does not list it); one column
        per other hyperparameter (keys starting with ``_`` dropped; numeric where every
        value is a number, whole numbers as ``Int64``); ``billable_seconds`` (``Int64``);
        ``training_start`` and ``training_end`` (ISO 8601 UTC text);
        ``model_artifacts``; ``failure_reason``. Sorted by ``objective_value`` in the
        tuning job's direction (``Maximize``/``Minimize``), NaN last.
        ``attrs["billable_seconds_total"]`` is the billable seconds of all jobs (NaN when
        none reports any yet).
    """
    rows, columns, hyper_columns, maximize = _tuning_table(tuning_job_name, client)
    return _frame(rows, columns, hyper_columns, "objective_value", maximize)


def billable_line(frame) -> str | None:
    """The totals line the command line prints under a table: billable time of all jobs.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"billable_seconds": pd.array([3600, 1800, None], dtype="Int64")})
    >>> frame.attrs["billable_seconds_total"] = 5400
    >>> billable_line(frame)
    'billable time: 5400 s (1.50 h) for 3 training jobs (1 reports none yet)'
    """
    total = frame.attrs.get("billable_seconds_total")
    if total is None or "billable_seconds" not in frame:
        return None
    n, missing = len(frame), int(frame["billable_seconds"].isna().sum())
    jobs = f"{n} training job{'' if n == 1 else 's'}"
    if total != total:
        return f"billable time: not reported yet by any of the {jobs}"
    extra = f" ({missing} report{'s' if missing == 1 else ''} none yet)" if missing else ""
    return f"billable time: {total} s ({total / 3600:.2f} h) for {jobs}{extra}"


def _score_one(url, goldsets, objective, goldset_options=None):
    """``({column: value}, error)`` for one model.tar.gz on S3 (load_vectors opens its own session)."""
    from ..errors import W2VEvalError
    from ..scoring import evaluate_rows

    if not url:
        return {}, "no model artifacts"
    try:
        if objective is not None:
            result = objective.evaluate(url, goldset_options=goldset_options)
            rows = result.rows
            scores = {
                row["goldset"]: row.get(objective.metric_for(row.get("kind")), math.nan) for row in rows
            }  # each kind's metric: macro_f1 of a task, purity, ...
            scores[_VALUE] = result.value
        else:
            rows = evaluate_rows(url, goldsets, pvalues=False)
            scores = {row["goldset"]: row["spearman"] for row in rows}
        scores[_COUNTS] = [
            {"goldset": row["goldset"], "n_scored": row["n_scored"], "n_pairs": row["n_pairs"]}
            for row in rows
        ]
        return scores, None
    except W2VEvalError as exc:
        return {}, "; ".join(filter(None, str(exc).splitlines())) or type(exc).__name__
    except Exception as exc:  # an S3 or network failure must not stop the other jobs
        return {}, f"{type(exc).__name__}: {exc}"


_COUNTS = "\0counts"  # the pairs scored per gold set, kept apart from the score columns
_VALUE = "\0objective"  # the objective's value, kept apart from a gold set that could be named so


def _rank_columns(counts, *, min_pairs: int, min_coverage: float) -> dict:
    """``n_scored``, ``coverage`` (the weakest gold set's), ``rankable`` and ``note`` of one job."""
    from ..scoring._ranking import combined_reason, weakest

    if not counts:
        return {"n_scored": math.nan, "coverage": math.nan, "rankable": False, "note": None}
    n_scored, coverage = weakest(counts)
    note = combined_reason(
        [{**c, "spearman": 0.0} for c in counts], min_pairs=min_pairs, min_coverage=min_coverage
    )
    return {"n_scored": n_scored, "coverage": coverage, "rankable": note is None, "note": note}


def rescore(
    tuning_job_name_or_job_names: str | Sequence[str],
    goldsets_or_objective: GoldSets | Objective = None,
    *,
    client: BaseClient | None = None,
    max_workers: int = 8,
    goldset_options: Mapping[str, Any] | None = None,
    progress: bool = False,
    min_pairs: int = MIN_RANK_PAIRS,
    min_coverage: float = MIN_RANK_COVERAGE,
) -> pd.DataFrame:
    """Score each training job's ``model.tar.gz`` from S3 on gold sets, best first.

    Parameters
    ----------
    tuning_job_name_or_job_names : str or list of str
        A tuning job name (every training job of it, as :func:`tuning_results`), or
        training job names.
    goldsets_or_objective : gold set name(s)/path(s)/tag, or Objective
        Gold sets give one Spearman column each, sorted by the first one. An
        :class:`~w2veval.Objective` gives a column per term (its metric) and
        ``rescored_objective`` (its value), sorted by it; the tuner's ``objective_value``
        and ``objective`` stay as they were, for comparison.
    max_workers : int
        Jobs scored in parallel; each load opens its own boto3 session.
    goldset_options : dict, optional
        :meth:`~w2veval.GoldSet.from_file` keyword arguments (``encoding``,
        ``decimal_comma``, ...) for the gold sets given as file paths.
    progress : bool, default False
        A progress bar of the models scored, on stderr (after a second).
    min_pairs, min_coverage
        The ranking rule (``docs/statistics.md``, "Which scores may rank"): a job ranks
        only if each gold set it is scored on has at least ``min_pairs`` pairs scored
        (default 30) and a coverage of at least ``min_coverage`` (default 0.8).

    Returns
    -------
    pandas.DataFrame
        The :func:`tuning_results` table (for job names: ``training_job_name, status,
        model_artifacts``) with the score columns added (always, also when there is no
        job yet), then ``n_scored`` (the fewest pairs scored on any of the gold sets),
        ``coverage`` (the lowest share of a gold set's pairs scored), ``rankable`` (both
        pass the rule), ``note`` (why not) and ``rescore_error`` (None when the job was
        scored; the reason otherwise, its scores NaN). Rankable jobs come first, each
        part best first: the first row is the best job only if it is rankable.

    Warns
    -----
    UserWarning
        Each warning raised while a model is scored (an ``UnreliableScoreWarning``, a
        gold set's duplicate pairs, ...) is warned again once, after all jobs, of the
        same category, its message starting ``training job NAME:`` (``training jobs A,
        B and 3 more:`` when several jobs raised the same one).
    """
    from ..objective import Objective
    from ..scoring._evaluate import _resolve_goldsets, with_file_options

    objective = goldsets_or_objective if isinstance(goldsets_or_objective, Objective) else None
    if objective is not None:
        names = [t.goldset for t in objective.terms]
        goldsets = None
        with_file_options(names, goldset_options)  # a file that cannot be read fails here, once
    else:
        goldsets = _resolve_goldsets(goldsets_or_objective, goldset_options)
        names = [g.name for g in goldsets]
    names = list(dict.fromkeys(names))
    if isinstance(tuning_job_name_or_job_names, str):
        rows, columns, hyper_columns, maximize = _tuning_table(tuning_job_name_or_job_names, client)
    else:
        rows, columns, hyper_columns, maximize = _named_jobs(tuning_job_name_or_job_names, client)
    caught = _score_all(rows, goldsets, objective, goldset_options, max_workers, progress)
    for row, (scores, error) in zip(rows, caught.results, strict=True):
        if error == "no model artifacts" and row.get("status"):
            error = f"no model artifacts (status {row['status']})"
        for name in names:
            row[name] = float(scores.get(name, math.nan))
        if objective is not None:
            row["rescored_objective"] = float(scores.get(_VALUE, math.nan))
        row.update(_rank_columns(scores.get(_COUNTS), min_pairs=min_pairs, min_coverage=min_coverage))
        row["rescore_error"] = error
    columns = [*columns, *names, *(["rescored_objective"] if objective is not None else []), *RANK_COLUMNS]
    sort_column = "rescored_objective" if objective is not None else (names[0] if names else None)
    # A w2veval score is always better higher; the tuner's direction applies to its own value.
    frame = _frame(
        rows, columns, hyper_columns, sort_column, True if objective is not None or names else maximize
    )
    frame["rankable"] = frame["rankable"].astype(bool)
    frame["note"] = frame["note"].astype(object).where(frame["note"].notna(), None)
    _job_warnings.warn_again(caught.warnings, stacklevel=2)
    # A job whose scores stand on too few pairs is never listed above one that may rank.
    attrs = dict(frame.attrs)
    frame = frame.sort_values("rankable", ascending=False, kind="mergesort").reset_index(drop=True)
    frame.attrs.update(attrs)
    return frame


def _named_jobs(job_names, client):
    """``(rows, columns, [], True)`` of training jobs given by name (one DescribeTrainingJob each)."""
    sm = sagemaker_client(client)
    rows = []
    for name in job_names:
        description = describe_training_job(sm, name)
        rows.append(
            {
                "training_job_name": name,
                "status": description.get("TrainingJobStatus"),
                "model_artifacts": (description.get("ModelArtifacts") or {}).get("S3ModelArtifacts"),
            }
        )
    return rows, ["training_job_name", "status", "model_artifacts"], [], True


def _score_all(rows, goldsets, objective, goldset_options, max_workers, progress):
    """Every row's ``(scores, error)``, scored in parallel, and the warnings each job raised."""
    from .._progress import steps

    def one(row):
        with _job_warnings.scoring(row["training_job_name"]):
            return _score_one(row.get("model_artifacts"), goldsets, objective, goldset_options)

    with _job_warnings.collected() as caught, ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        caught.results = list(
            steps(pool.map(one, rows), desc="rescore", total=len(rows), progress=progress, unit="model")
        )
    return caught
