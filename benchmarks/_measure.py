"""Run one command as a child process and report its wall time and peak memory.

The peak memory is the command's maximum resident set size as the kernel reports
it through ``wait4``: exactly that one process (and anything *it* waited for), not
this interpreter and not other children. Run as a script for a quick look::

    python benchmarks/_measure.py -- .venv/bin/w2veval score vectors.txt -g ws353
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Measurement", "measure"]

# ru_maxrss is in kibibytes on Linux and in bytes on macOS.
_MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024


@dataclass(frozen=True)
class Measurement:
    """What one run of one command cost.

    Attributes
    ----------
    command : tuple of str
        The command as run.
    wall_s : float
        Seconds from starting the child to reaping it (interpreter start-up and
        imports included).
    cpu_s : float
        User plus system CPU seconds of the child: unlike ``wall_s``, hardly
        affected by other work on the machine.
    max_rss_bytes : int
        The child's peak resident set size, in bytes.
    returncode : int
        Exit status; negative for "killed by signal -returncode".
    stdout, stderr : str
        What the child wrote (decoded as UTF-8, undecodable bytes replaced).
    """

    command: tuple[str, ...]
    wall_s: float
    cpu_s: float
    max_rss_bytes: int
    returncode: int
    stdout: str
    stderr: str

    @property
    def max_rss_mb(self) -> float:
        """Peak resident set size in MB (10**6 bytes)."""
        return self.max_rss_bytes / 1e6

    @property
    def ok(self) -> bool:
        """Whether the command exited with status 0."""
        return self.returncode == 0

    def failure(self) -> str:
        """One line saying how the command failed (empty if it did not)."""
        if self.ok:
            return ""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        last = lines[-1] if lines else "(no output on stderr)"
        return f"exit status {self.returncode}: {last}"


# The process that starts the measured command must be small: on Linux a child's
# ru_maxrss starts at the peak RSS of the process it was forked (or vforked) from,
# so spawning straight from a benchmark that holds a few hundred MB of arrays would
# report those MB for every command. This trampoline (a bare interpreter, ~10 MB)
# has exactly one child and times it from fork to reap.
_TRAMPOLINE = """
import json, os, sys, time
result, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
try:
    pid = os.posix_spawnp(command[0], command, os.environ)
except OSError as exc:
    print(f"cannot run {command[0]!r}: {exc}", file=sys.stderr)
    sys.exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(result, "w") as f:
    json.dump({"wall_s": wall, "maxrss": usage.ru_maxrss,
               "cpu_s": usage.ru_utime + usage.ru_stime,
               "returncode": os.waitstatus_to_exitcode(status)}, f)
"""


def measure(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
    timeout: float | None = None,
) -> Measurement:
    """Run ``command`` to completion and measure it.

    The command runs as the only child of a small trampoline interpreter, which
    times it and reads its rusage with ``wait4``; so the numbers do not depend on
    how much memory the calling process holds. Output goes to temporary files
    rather than pipes, so a chatty child never blocks on a full pipe.

    Parameters
    ----------
    command : sequence of str
        Program and arguments (no shell); the program is looked up on ``PATH``.
    env : mapping, optional
        Environment of the command; defaults to ours.
    cwd : path, optional
        Working directory of the command.
    timeout : float, optional
        Kill the command after this many seconds (it then reports ``returncode < 0``).

    Returns
    -------
    Measurement

    Examples
    --------
    >>> m = measure([sys.executable, "-c", "print('hi')"])
    >>> m.ok, m.stdout.strip(), m.max_rss_bytes > 0
    (True, 'hi', True)
    """
    command = tuple(str(part) for part in command)
    with tempfile.TemporaryDirectory(prefix="w2veval-measure-") as tmp:
        result = os.path.join(tmp, "result.json")
        out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            # A session of its own, so a timeout can stop the trampoline and the
            # command together (and nothing else).
            trampoline = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _TRAMPOLINE, result, *command],
                stdout=out,
                stderr=err,
                env=None if env is None else dict(env),
                cwd=cwd,
                start_new_session=True,
            )
            try:
                trampoline.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(trampoline.pid, signal.SIGKILL)
                trampoline.wait()
        with open(out_path, "rb") as f:
            stdout = f.read().decode("utf-8", "replace")
        with open(err_path, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
        try:
            with open(result) as f:
                numbers = json.load(f)
        except FileNotFoundError:  # killed by the timeout, or could not start
            numbers = {
                "wall_s": float("nan"),
                "cpu_s": float("nan"),
                "maxrss": 0,
                "returncode": trampoline.returncode or -signal.SIGKILL,
            }
    return Measurement(
        command=command,
        wall_s=numbers["wall_s"],
        cpu_s=numbers["cpu_s"],
        max_rss_bytes=numbers["maxrss"] * _MAXRSS_UNIT,
        returncode=numbers["returncode"],
        stdout=stdout,
        stderr=stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: python benchmarks/_measure.py -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    m = measure(argv)
    sys.stdout.write(m.stdout)
    sys.stderr.write(m.stderr)
    print(
        f"wall {m.wall_s:.3f} s, CPU {m.cpu_s:.3f} s, peak RSS {m.max_rss_mb:.1f} MB, "
        f"exit status {m.returncode}",
        file=sys.stderr,
    )
    return m.returncode if m.returncode >= 0 else 1


if __name__ == "__main__":
    sys.exit(main())
