"""Read the training jobs of a tuning job: SageMaker ``Search``, 100 jobs a call, with fallbacks.

:func:`tuning_training_jobs` returns one record per training job, each joining what two
paged listings say about it:

- ``Search`` (``Resource="TrainingJob"``, filter ``TuningJobArn`` ``Equals`` the tuning
  job's ARN, ``MaxResults=100``, following ``NextToken``): the whole ``TrainingJob``
  (hyperparameters, final metrics, billable seconds, failure reason, training start and
  end, model artifacts);
- ``ListTrainingJobsForHyperParameterTuningJob`` (100 a page): the tuner's own
  ``FinalHyperParameterTuningJobObjectiveMetric`` and ``ObjectiveStatus``, which the
  ``TrainingJob`` shape that ``Search`` returns does not carry.

A tuning job of N training jobs costs ``2 * ceil(N / 100)`` calls, not N. A job the listing
names but ``Search`` does not return yet (its index is eventually consistent) is read with
``DescribeTrainingJob``. Where the endpoint lacks ``Search``, refuses the ``TuningJobArn``
filter (moto) or the caller may not call it (``AccessDenied``), every job is described
(``DescribeTrainingJob``) instead; where it also lacks the listing (moto), the jobs are
found with ``ListTrainingJobs`` by the name prefix ``<tuning job>-``.
"""

from __future__ import annotations

from ..errors import W2VEvalError

__all__ = [
    "PAGE",
    "describe_training_job",
    "list_tuning_training_jobs",
    "sagemaker_client",
    "tuning_job",
    "tuning_training_jobs",
]

PAGE = 100
"""``MaxResults`` of every listing and search: the most SageMaker allows."""

# Error codes an endpoint answers with when it does not implement an operation. moto's
# server answers an unimplemented action with an HTML "500 Internal Server Error" page,
# which botocore turns into a ClientError whose code is the bare status "500".
_NOT_SUPPORTED_CODES = {
    "NotImplemented",
    "NotImplementedException",
    "UnknownOperationException",
    "UnknownOperation",
    "InvalidAction",
    "UnsupportedOperation",
    "OperationNotSupported",
    "501",
    "500",
}
_DENIED_CODES = {"AccessDenied", "AccessDeniedException"}


def sagemaker_client(client):
    """``client``, or one built from boto3's normal configuration chain."""
    if client is not None:
        return client
    import boto3

    return boto3.session.Session().client("sagemaker")


def _code(exc: Exception) -> str:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def _not_supported(exc: Exception) -> bool:
    """True when ``exc`` says the endpoint does not implement the operation at all."""
    if isinstance(exc, NotImplementedError):  # moto's in-process mock
        return True
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        # A bare status (no AWS error document) counts: a real AWS InternalFailure has a code.
        return _code(exc) in _NOT_SUPPORTED_CODES
    return type(exc).__name__ in ("OperationNotSupported", "OperationNotSupportedError")


def _search_refused(exc: Exception) -> bool:
    """True when ``Search`` cannot serve the tuning-job filter here: not implemented, the
    ``TuningJobArn`` property unknown (moto answers a ValidationException), or not allowed."""
    code = _code(exc)
    if code == "ValidationException":
        return "TuningJobArn" in str(exc)
    return code in _DENIED_CODES or _not_supported(exc)


def tuning_job(client, name: str) -> dict:
    """``DescribeHyperParameterTuningJob``; a W2VEvalError naming the job when it fails."""
    from botocore.exceptions import ClientError

    try:
        return client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    except ClientError as exc:
        raise W2VEvalError(f"cannot describe tuning job {name!r}: {exc}") from None


def describe_training_job(client, name: str) -> dict:
    """``DescribeTrainingJob``; a W2VEvalError naming the job when it fails."""
    from botocore.exceptions import ClientError

    try:
        return client.describe_training_job(TrainingJobName=name)
    except ClientError as exc:
        raise W2VEvalError(f"cannot describe training job {name!r}: {exc}") from None


def _pages(call, key: str, **kwargs):
    """Every item of ``key`` over all pages of ``call``, following ``NextToken`` (also after empty pages)."""
    token = None
    while True:
        page = call(**kwargs, **({"NextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return


def _listed(client, tuning_job_name: str) -> list[dict] | None:
    """The tuner's summaries, or None where the endpoint lacks the operation."""
    jobs: list[dict] = []
    try:
        for summary in _pages(
            client.list_training_jobs_for_hyper_parameter_tuning_job,
            "TrainingJobSummaries",
            HyperParameterTuningJobName=tuning_job_name,
            MaxResults=PAGE,
        ):
            jobs.append(summary)
    except Exception as exc:
        if jobs or not _not_supported(exc):
            raise
        return None
    return jobs


def list_tuning_training_jobs(tuning_job_name: str, *, client=None) -> list[dict]:
    """Every training job of a tuning job, as ``HyperParameterTrainingJobSummary`` dicts.

    Uses ``ListTrainingJobsForHyperParameterTuningJob`` and follows ``NextToken`` until
    none is left. Where the endpoint does not implement that operation (moto), falls back
    to ``ListTrainingJobs`` filtered by the name prefix ``<tuning job name>-`` (SageMaker
    names a tuning job's training jobs ``<tuning job>-<NNN>-<hash>``), following every
    ``NextToken`` (also after empty pages); those summaries carry no objective value.
    """
    client = sagemaker_client(client)
    listed = _listed(client, tuning_job_name)
    return listed if listed is not None else _list_by_prefix(client, tuning_job_name)


def _list_by_prefix(client, tuning_job_name: str) -> list[dict]:
    prefix = f"{tuning_job_name}-"
    jobs, seen = [], set()
    for summary in _pages(
        client.list_training_jobs, "TrainingJobSummaries", NameContains=prefix, MaxResults=PAGE
    ):
        name = summary["TrainingJobName"]
        if name.startswith(prefix) and name not in seen:
            seen.add(name)
            jobs.append(
                {
                    "TrainingJobName": name,
                    "TrainingJobArn": summary.get("TrainingJobArn"),
                    "TrainingJobStatus": summary.get("TrainingJobStatus"),
                    "TuningJobName": tuning_job_name,
                }
            )
    return jobs


def _searched(client, tuning_job_arn: str | None) -> dict[str, dict] | None:
    """``{name: TrainingJob}`` from ``Search``, or None where Search cannot filter by tuning job."""
    if not tuning_job_arn:
        return None
    found: dict[str, dict] = {}
    expression = {"Filters": [{"Name": "TuningJobArn", "Operator": "Equals", "Value": tuning_job_arn}]}
    try:
        for record in _pages(
            client.search, "Results", Resource="TrainingJob", SearchExpression=expression, MaxResults=PAGE
        ):
            job = record.get("TrainingJob") or {}
            if job.get("TrainingJobName"):
                found[job["TrainingJobName"]] = job
    except Exception as exc:
        if found or not _search_refused(exc):
            raise
        return None
    return found


def tuning_training_jobs(client, tuning: dict) -> list[tuple[dict, dict]]:
    """``(summary, training job)`` for every training job of the described tuning job ``tuning``.

    ``summary`` is the ``HyperParameterTrainingJobSummary`` (``{}`` where the endpoint
    does not list it); ``training job`` is the ``TrainingJob`` from ``Search``, else the
    ``DescribeTrainingJob`` answer. See the module docstring for the calls made.
    """
    name = tuning["HyperParameterTuningJobName"]
    searched = _searched(client, tuning.get("HyperParameterTuningJobArn"))
    summaries = _listed(client, name)
    if summaries is None:
        if searched is not None:  # Search alone: no objective status, the value from final metrics
            return [({}, job) for job in searched.values()]
        summaries = _list_by_prefix(client, name)
    searched = searched or {}
    return [
        (
            summary,
            searched.get(summary["TrainingJobName"])
            or describe_training_job(client, summary["TrainingJobName"]),
        )
        for summary in summaries
    ]
