"""Failing the trials of workers that died (``kill -9``, out of memory, power cut).

Each trial records the worker that runs it (``w2veval:host``, ``w2veval:pid``,
``w2veval:pid_start``). Before each trial a worker looks at the study's running trials:
one that belongs to a process of *this* machine that no longer exists is marked failed
at once. Trials of other machines are left to Optuna's heartbeat (RDB storages), which
fails them once no heartbeat came for :data:`~w2veval.tune._storage.GRACE_PERIOD` seconds.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import optuna

__all__ = ["fail_dead_trials", "host_id", "is_alive", "process_start", "worker_attrs"]

HOST, PID, PID_START = "w2veval:host", "w2veval:pid", "w2veval:pid_start"


@lru_cache(maxsize=1)
def host_id() -> str:
    """This machine: host name plus the kernel's boot id where there is one."""
    name = socket.gethostname()
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return f"{name}/{fh.read().strip()}"
    except OSError:
        return name


def process_start(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot), so that a reused pid is not
    taken for the old process; ``None`` where ``/proc`` is missing or the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] in ("Z", "X"):  # a zombie has died already, whoever reaps it
        return None
    return int(fields[19])


def worker_attrs() -> dict[str, str | int | None]:
    """The user attributes that tie a trial to this process."""
    pid = os.getpid()
    return {HOST: host_id(), PID: pid, PID_START: process_start(pid)}


def is_alive(pid: int, start: int | None) -> bool:
    """Whether process ``pid`` (started at ``start``) still runs on this machine."""
    if sys.platform.startswith("linux"):
        now = process_start(pid)
        return now is not None and (start is None or now == start)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_dead_trials(
    study: optuna.Study, *, current: int | None = None, say: Callable[[str], None] | None = None
) -> list[int]:
    """Mark failed every running trial of ``study`` whose worker on this machine died.

    Returns the numbers of the trials failed. Another worker failing the same trial first
    is not an error.
    """
    import optuna

    state = optuna.trial.TrialState
    me = host_id()
    failed: list[int] = []
    for trial in study.get_trials(deepcopy=False, states=(state.RUNNING,)):
        attrs = trial.user_attrs
        if trial.number == current or attrs.get(HOST) != me or not isinstance(attrs.get(PID), int):
            continue
        if is_alive(attrs[PID], attrs.get(PID_START)):
            continue
        try:
            study.tell(trial.number, state=state.FAIL, skip_if_finished=True)
        except (ValueError, optuna.exceptions.UpdateFinishedTrialError):
            continue
        failed.append(trial.number)
        if say is not None:
            say(f"trial {trial.number} was running in process {attrs[PID]}, which has died: marked failed")
    return failed
