"""Read a finished SageMaker tuning job back: one row per training job, and rescore its models.

:func:`tuning_results` lists every training job of a tuning job with its objective value,
hyperparameters, billable seconds and model artifacts, best first.
:func:`rescore` scores each job's ``model.tar.gz`` straight from S3 on gold sets (or an
:class:`~w2veval.Objective`), in parallel.

boto3 is imported only when a client is needed; ``client=None`` builds one from boto3's
normal configuration chain (``AWS_PROFILE``, ``AWS_ENDPOINT_URL``, ...).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

from ..errors import W2VEvalError
from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS

__all__ = ["tuning_results", "rescore", "list_tuning_training_jobs"]

_PAGE = 100
# Error codes an endpoint answers with when it does not implement an operation. moto's
# server answers an unimplemented action with an HTML "500 Internal Server Error" page,
# which botocore turns into a ClientError whose code is the bare status "500".
_NOT_SUPPORTED_CODES = {"NotImplemented", "NotImplementedException", "UnknownOperationException",
                        "UnknownOperation", "InvalidAction", "UnsupportedOperation",
                        "OperationNotSupported", "501", "500"}


def _client(client):
    if client is not None:
        return client
    import boto3

    return boto3.session.Session().client("sagemaker")


def _not_supported(exc: Exception) -> bool:
    """True when ``exc`` says the endpoint does not implement the operation at all."""
    if isinstance(exc, NotImplementedError):  # moto's in-process mock
        return True
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("500", "501"):
            # Only a bare status (no AWS error document): a real AWS InternalFailure has a code.
            return True
        return code in _NOT_SUPPORTED_CODES
    return type(exc).__name__ in ("OperationNotSupported", "OperationNotSupportedError")


def _tuning_job(client, name: str) -> dict:
    from botocore.exceptions import ClientError

    try:
        return client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    except ClientError as exc:
        raise W2VEvalError(f"cannot describe tuning job {name!r}: {exc}") from None


def list_tuning_training_jobs(tuning_job_name: str, *, client=None) -> list[dict]:
    """Every training job of a tuning job, as ``HyperParameterTrainingJobSummary`` dicts.

    Uses ``ListTrainingJobsForHyperParameterTuningJob`` and follows ``NextToken`` until
    none is left. Where the endpoint does not implement that operation (moto), falls back
    to ``ListTrainingJobs`` filtered by the name prefix ``<tuning job name>-`` (SageMaker
    names a tuning job's training jobs ``<tuning job>-<NNN>-<hash>``), following every
    ``NextToken`` (also after empty pages); those summaries carry no objective value.
    """
    client = _client(client)
    jobs: list[dict] = []
    token = None
    try:
        while True:
            kwargs = {"HyperParameterTuningJobName": tuning_job_name, "MaxResults": _PAGE}
            if token:
                kwargs["NextToken"] = token
            page = client.list_training_jobs_for_hyper_parameter_tuning_job(**kwargs)
            jobs.extend(page.get("TrainingJobSummaries", []))
            token = page.get("NextToken")
            if not token:
                return jobs
    except Exception as exc:
        if jobs or not _not_supported(exc):
            raise
    return _list_by_prefix(client, tuning_job_name)


def _list_by_prefix(client, tuning_job_name: str) -> list[dict]:
    prefix = f"{tuning_job_name}-"
    jobs, seen, token = [], set(), None
    while True:
        kwargs = {"NameContains": prefix, "MaxResults": _PAGE}
        if token:
            kwargs["NextToken"] = token
        page = client.list_training_jobs(**kwargs)
        for summary in page.get("TrainingJobSummaries", []):
            name = summary["TrainingJobName"]
            if name.startswith(prefix) and name not in seen:
                seen.add(name)
                jobs.append({"TrainingJobName": name, "TrainingJobArn": summary.get("TrainingJobArn"),
                             "TrainingJobStatus": summary.get("TrainingJobStatus"),
                             "TuningJobName": tuning_job_name})
        token = page.get("NextToken")
        if not token:
            return jobs


def _numeric_columns(frame, columns):
    import pandas as pd

    for column in columns:
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().sum() == frame[column].notna().sum():
            frame[column] = converted
    return frame


def _objective_value(summary: dict, description: dict, metric_name: str | None) -> float:
    final = summary.get("FinalHyperParameterTuningJobObjectiveMetric") \
        or description.get("FinalHyperParameterTuningJobObjectiveMetric")
    if final and final.get("Value") is not None:
        return float(final["Value"])
    if metric_name:  # the fallback listing has no objective: read the job's final metrics
        for metric in description.get("FinalMetricDataList") or []:
            if metric.get("MetricName") == metric_name and metric.get("Value") is not None:
                return float(metric["Value"])
    return math.nan


def _describe(client, name: str) -> dict:
    from botocore.exceptions import ClientError

    try:
        return client.describe_training_job(TrainingJobName=name)
    except ClientError as exc:
        raise W2VEvalError(f"cannot describe training job {name!r}: {exc}") from None


def _job_rows(client, summaries, metric_name):
    rows, hyper_columns = [], {}
    for summary in summaries:
        name = summary["TrainingJobName"]
        description = _describe(client, name)
        hyper = {k: v for k, v in (description.get("HyperParameters")
                                   or summary.get("TunedHyperParameters") or {}).items()
                 if not k.startswith("_")}
        hyper_columns.update(dict.fromkeys(hyper))
        billable = description.get("BillableTimeInSeconds")
        rows.append({"training_job_name": name,
                     "status": description.get("TrainingJobStatus") or summary.get("TrainingJobStatus"),
                     "objective": _objective_value(summary, description, metric_name),
                     "hyperparameters": hyper,
                     "billable_seconds": math.nan if billable is None else float(billable),
                     "model_artifacts": (description.get("ModelArtifacts") or {}).get("S3ModelArtifacts")})
    return rows, list(hyper_columns)


def _frame(rows, hyper_columns, sort_column, maximize):
    import pandas as pd

    flat = []
    for row in rows:
        row = dict(row)
        hyper = row.pop("hyperparameters", {})
        out = {k: row.pop(k) for k in ("training_job_name", "status", "objective") if k in row}
        out.update({k: hyper.get(k) for k in hyper_columns})
        out.update(row)
        flat.append(out)
    columns = list(flat[0]) if flat else ["training_job_name", "status", "objective",
                                          "billable_seconds", "model_artifacts"]
    frame = pd.DataFrame(flat, columns=columns)
    frame = _numeric_columns(frame, hyper_columns)
    if sort_column in frame:
        frame = frame.sort_values(sort_column, ascending=not maximize, na_position="last",
                                  kind="mergesort")
    return frame.reset_index(drop=True)


def _tuning_table(tuning_job_name, client):
    client = _client(client)
    tuning = _tuning_job(client, tuning_job_name)
    spec = tuning.get("HyperParameterTuningJobConfig", {}).get("HyperParameterTuningJobObjective", {})
    maximize = spec.get("Type", "Maximize") != "Minimize"
    summaries = list_tuning_training_jobs(tuning_job_name, client=client)
    rows, hyper_columns = _job_rows(client, summaries, spec.get("MetricName"))
    return rows, hyper_columns, maximize


def tuning_results(tuning_job_name: str, *, client=None):
    """Every training job of a tuning job, best first.

    Parameters
    ----------
    tuning_job_name : str
    client : botocore SageMaker client, optional
        Defaults to ``boto3.session.Session().client("sagemaker")``.

    Returns
    -------
    pandas.DataFrame
        ``training_job_name, status, objective`` (the job's
        ``FinalHyperParameterTuningJobObjectiveMetric`` value, else its final value of the
        tuning objective's metric, else NaN), one column per hyperparameter (keys starting
        with ``_`` dropped; a column whose every value is a number is numeric), then
        ``billable_seconds`` and ``model_artifacts``. Sorted by ``objective`` in the
        tuning job's direction (``Maximize``/``Minimize``), NaN last.
    """
    rows, hyper_columns, maximize = _tuning_table(tuning_job_name, client)
    return _frame(rows, hyper_columns, "objective", maximize)


def _score_one(url, goldsets, objective, goldset_options=None):
    """``({column: value}, error)`` for one model.tar.gz on S3 (load_vectors opens its own session)."""
    from ..scoring import evaluate_rows

    if not url:
        return {}, "no model artifacts"
    try:
        if objective is not None:
            result = objective.evaluate(url, goldset_options=goldset_options)
            rows = result.rows
            scores = {row["goldset"]: row[objective.metric] for row in rows}
            scores["objective"] = result.value
        else:
            rows = evaluate_rows(url, goldsets, pvalues=False)
            scores = {row["goldset"]: row["spearman"] for row in rows}
        scores[_COUNTS] = [{"goldset": row["goldset"], "n_scored": row["n_scored"], "n_pairs": row["n_pairs"]}
                           for row in rows]
        return scores, None
    except W2VEvalError as exc:
        return {}, "; ".join(filter(None, str(exc).splitlines())) or type(exc).__name__
    except Exception as exc:  # an S3 or network failure must not stop the other jobs
        return {}, f"{type(exc).__name__}: {exc}"


_COUNTS = "\0counts"  # the pairs scored per gold set, kept apart from the score columns


def _rank_columns(counts, *, min_pairs: int, min_coverage: float) -> dict:
    """``n_scored``, ``coverage`` (the weakest gold set's), ``rankable`` and ``note`` of one job."""
    from ..scoring._ranking import combined_reason, weakest

    if not counts:
        return {"n_scored": math.nan, "coverage": math.nan, "rankable": False, "note": None}
    n_scored, coverage = weakest(counts)
    note = combined_reason([{**c, "spearman": 0.0} for c in counts], min_pairs=min_pairs,
                           min_coverage=min_coverage)
    return {"n_scored": n_scored, "coverage": coverage, "rankable": note is None, "note": note}


def rescore(tuning_job_name_or_job_names, goldsets_or_objective=None, *, client=None,
            max_workers: int = 8, goldset_options=None, progress: bool = False,
            min_pairs: int = MIN_RANK_PAIRS, min_coverage: float = MIN_RANK_COVERAGE):
    """Score each training job's ``model.tar.gz`` from S3 on gold sets, best first.

    Parameters
    ----------
    tuning_job_name_or_job_names : str or list of str
        A tuning job name (every training job of it, as :func:`tuning_results`), or
        training job names.
    goldsets_or_objective : gold set name(s)/path(s)/tag, or Objective
        Gold sets give one Spearman column each, sorted by the first one. An
        :class:`~w2veval.Objective` gives a column per term (its metric) and
        ``objective`` (its value; replaces the tuner's value), sorted by it.
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
        model_artifacts``) with the score columns added, then ``n_scored`` (the fewest
        pairs scored on any of the gold sets), ``coverage`` (the lowest share of a gold
        set's pairs scored), ``rankable`` (both pass the rule), ``note`` (why not) and
        ``rescore_error`` (None when the job was scored; the reason otherwise, its scores
        NaN). Rankable jobs come first, each part best first: the first row is the best
        job only if it is rankable.
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
    if isinstance(tuning_job_name_or_job_names, str):
        rows, hyper_columns, maximize = _tuning_table(tuning_job_name_or_job_names, client)
    else:
        sm = _client(client)
        rows, hyper_columns, maximize = [], [], True
        for name in tuning_job_name_or_job_names:
            description = _describe(sm, name)
            rows.append({"training_job_name": name, "status": description.get("TrainingJobStatus"),
                         "model_artifacts": (description.get("ModelArtifacts") or {}).get(
                             "S3ModelArtifacts")})
    from .._progress import steps

    with ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        results = list(steps(pool.map(lambda row: _score_one(row.get("model_artifacts"), goldsets, objective,
                                                                 goldset_options),
                                      rows), desc="rescore", total=len(rows), progress=progress, unit="model"))
    for row, (scores, error) in zip(rows, results):
        if error == "no model artifacts" and row.get("status"):
            error = f"no model artifacts (status {row['status']})"
        for name in names:
            row[name] = float(scores.get(name, math.nan))
        if objective is not None:
            row["objective"] = float(scores.get("objective", math.nan))
        row.update(_rank_columns(scores.get(_COUNTS), min_pairs=min_pairs, min_coverage=min_coverage))
        row["rescore_error"] = error
    sort_column = "objective" if objective is not None else (names[0] if names else None)
    # A w2veval score is always better higher; the tuner's direction applies to its own value.
    frame = _frame(rows, hyper_columns, sort_column, True if objective is not None or names else maximize)
    if "rankable" not in frame:  # no jobs
        return frame
    frame["note"] = frame["note"].astype(object).where(frame["note"].notna(), None)
    # A job whose scores stand on too few pairs is never listed above one that may rank.
    return frame.sort_values("rankable", ascending=False, kind="mergesort").reset_index(drop=True)
