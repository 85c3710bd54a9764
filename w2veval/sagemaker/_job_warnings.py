"""Warnings raised while training jobs' models are scored in threads, each named after its job.

:func:`collected` catches every warning while the pool runs (``warnings.catch_warnings`` is
process-wide, so it is entered once, in the calling thread, around the whole pool);
:func:`scoring` tells which job the current thread scores, so that each caught warning is
attributed to it. :func:`warn_again` then warns once per distinct message, of the same
category, its text starting with the job(s) it concerns, so that a reader (and the command
line, which prints each warning as one line) knows which model it is about.
"""

from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager
from types import SimpleNamespace

__all__ = ["collected", "jobs_text", "scoring", "warn_again"]

_current = threading.local()
_SHOWN_JOBS = 3


@contextmanager
def scoring(job: str):
    """Within this block, the warnings of the current thread concern training job ``job``."""
    previous = getattr(_current, "job", None)
    _current.job = job
    try:
        yield
    finally:
        _current.job = previous


@contextmanager
def collected():
    """Catch every warning (none is filtered out or shown yet); yields a namespace whose
    ``warnings`` lists ``(job or None, message, category)`` in the order raised."""
    caught = SimpleNamespace(warnings=[])
    lock = threading.Lock()

    def keep(message, category, filename, lineno, file=None, line=None):
        with lock:
            caught.warnings.append((getattr(_current, "job", None), message, category))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = keep
        yield caught


def jobs_text(jobs: list[str]) -> str:
    """``training job A`` or ``training jobs A, B, C and 2 more``.

    Examples
    --------
    >>> jobs_text(["a"]), jobs_text(["a", "b"]), jobs_text(list("abcde"))
    ('training job a', 'training jobs a and b', 'training jobs a, b, c and 2 more')
    """
    if len(jobs) == 1:
        return f"training job {jobs[0]}"
    if len(jobs) <= _SHOWN_JOBS:
        return f"training jobs {', '.join(jobs[:-1])} and {jobs[-1]}"
    return f"training jobs {', '.join(jobs[:_SHOWN_JOBS])} and {len(jobs) - _SHOWN_JOBS} more"


def _instance(category, text: str, jobs: tuple):
    try:
        warning = category(text)
    except Exception:  # a category whose constructor wants more than a message
        warning = UserWarning(text)
    warning.training_jobs = jobs
    return warning


def warn_again(caught: list, *, stacklevel: int = 1) -> None:
    """Warn once per distinct ``(category, message)`` of ``caught``, naming its jobs first.

    The new warning has the original's category and a ``training_jobs`` attribute; a
    warning raised outside any job is warned again unchanged. ``stacklevel`` counts from
    the caller of this function.
    """
    merged: dict[tuple, list[str]] = {}
    for job, message, category in caught:
        jobs = merged.setdefault((category, " ".join(str(message).split())), [])
        if job is not None and job not in jobs:
            jobs.append(job)
    for (category, text), jobs in merged.items():
        if jobs:
            text = f"{jobs_text(jobs)}: {text}"
        warnings.warn(_instance(category, text, tuple(jobs)), stacklevel=stacklevel + 1)
