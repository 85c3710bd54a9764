"""What one trial cost: wall and CPU seconds, peak memory, words per second, money.

:func:`measure` times a block of code in the current process; gensim trains in threads of
this process, which CPU time counts. Peak memory is the process's peak resident set size
during the block where Linux lets the high-water mark be reset, else the peak since the
process started (``peak_memory_scope`` says which). Unknown numbers are NaN, never 0.
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ._errors import TuneError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Measurement", "check_price", "cost", "measure", "totals", "words_per_second"]

_MIB = 1024 * 1024
_NAN = float("nan")


class Measurement:
    """The cost of one ``with measure() as m:`` block; read it with :meth:`result`."""

    def __init__(self) -> None:
        self._wall: float | None = None
        self._cpu: float | None = None
        self._peak = _NAN  # known once the block has ended, as the times
        self._scope = "trial" if _reset_peak_rss() else "process"
        self._start = (time.perf_counter(), time.process_time())

    def _stop(self) -> None:
        wall0, cpu0 = self._start
        self._wall = time.perf_counter() - wall0
        self._cpu = time.process_time() - cpu0
        self._peak = _peak_rss_mib(self._scope)

    def result(self) -> dict[str, float | str]:
        """``{"wall_seconds", "cpu_seconds", "peak_memory_mb", "peak_memory_scope"}``.

        ``peak_memory_mb`` is the peak resident set size in mebibytes (2**20 bytes, as
        ``free -m`` counts) of the whole process, not its growth during the block.
        ``peak_memory_scope`` is ``"trial"`` when that peak is the block's own, and
        ``"process"`` when it is the peak since the process started (the high-water mark
        could not be reset: not Linux, or ``/proc/self/clear_refs`` not writable).
        """
        wall, cpu = self._wall, self._cpu
        if wall is None or cpu is None:
            raise TuneError("measure(): the result is known once the with block has ended")
        return {
            "wall_seconds": wall,
            "cpu_seconds": cpu,
            "peak_memory_mb": self._peak,
            "peak_memory_scope": self._scope,
        }


@contextlib.contextmanager
def measure() -> Iterator[Measurement]:
    """Measure the block's wall seconds, CPU seconds and peak memory.

    CPU seconds are the process's user + system time (:func:`time.process_time`), which
    sums every thread: 4 training threads busy for 10 s give about 40 CPU seconds. Child
    processes are not counted. The block should run alone in its process: another thread
    working at the same time (a second trial) is counted too.

    Examples
    --------
    >>> with measure() as m:
    ...     _ = sum(range(1000))
    >>> sorted(m.result())
    ['cpu_seconds', 'peak_memory_mb', 'peak_memory_scope', 'wall_seconds']
    >>> m.result()["wall_seconds"] >= 0
    True
    """
    measurement = Measurement()
    try:
        yield measurement
    finally:
        measurement._stop()


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (``VmHWM``; Linux >= 4.0)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return not math.isnan(_vm_hwm_mib())


def _vm_hwm_mib() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / _MIB  # the kernel writes kB (KiB)
    except (OSError, ValueError, IndexError):
        pass
    return _NAN


def _peak_rss_mib(scope: str) -> float:
    if scope == "trial":
        return _vm_hwm_mib()
    try:
        import resource
    except ImportError:  # Windows
        return _NAN
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if peak <= 0:
        return _NAN
    return peak / _MIB if sys.platform == "darwin" else peak * 1024 / _MIB  # bytes vs KiB


def _number(value: Any) -> float:
    """``value`` as a float; NaN for None or anything that is not a number."""
    if value is None or isinstance(value, bool):
        return _NAN
    try:
        return float(value)
    except (TypeError, ValueError):
        return _NAN


def words_per_second(raw_words: float | None, train_seconds: float | None) -> float:
    """Corpus words trained per second of training; NaN when either is unknown or 0 s.

    ``raw_words`` counts the corpus's words over all epochs (gensim's ``train`` returns
    it second), so models trained for different epochs compare fairly.

    Examples
    --------
    >>> words_per_second(1_000_000, 4.0)
    250000.0
    >>> words_per_second(1_000_000, 0.0), words_per_second(None, 4.0)
    (nan, nan)
    """
    words, seconds = _number(raw_words), _number(train_seconds)
    if not (math.isfinite(words) and words >= 0 and math.isfinite(seconds) and seconds > 0):
        return _NAN
    return words / seconds


def check_price(price_per_hour: float | None) -> float | None:
    """``price_per_hour`` as a float (``None`` stays ``None``), or a :class:`TuneError`.

    Examples
    --------
    >>> check_price(0.23), check_price(None)
    (0.23, None)
    """
    if price_per_hour is None:
        return None
    if (
        isinstance(price_per_hour, bool)
        or not isinstance(price_per_hour, (int, float))
        or not math.isfinite(price_per_hour)
        or price_per_hour < 0
    ):
        raise TuneError(
            f"the price per hour must be a finite number >= 0 (e.g. 0.23 for an "
            f"ml.m5.large), got {price_per_hour!r}"
        )
    return float(price_per_hour)


def cost(wall_seconds: float | None, price_per_hour: float | None) -> float:
    """What ``wall_seconds`` cost at ``price_per_hour``: ``wall_seconds / 3600 * price``.

    NaN when the seconds or the price are unknown (NaN or ``None``); a negative or
    infinite price is a :class:`TuneError`.

    Examples
    --------
    >>> cost(5400, 2.0)
    3.0
    >>> cost(5400, None), cost(float("nan"), 2.0)
    (nan, nan)
    """
    price = check_price(price_per_hour)
    seconds = _number(wall_seconds)
    if price is None or not math.isfinite(seconds):
        return _NAN
    return seconds / 3600 * price


def totals(rows: Iterable[Mapping[str, Any]] | pd.DataFrame) -> dict[str, float]:
    """``{"trials", "wall_seconds", "cpu_seconds", "cost"}`` summed over trial rows.

    ``rows`` are mappings (or a DataFrame, read row by row) with ``wall_seconds``,
    ``cpu_seconds`` and optionally ``cost``. Unknown (NaN/``None``/missing) values are
    left out of a sum; a sum with no known value at all is NaN, so ``cost`` is NaN when
    no price was given. ``trials`` counts every row.

    Examples
    --------
    >>> totals([{"wall_seconds": 60.0, "cpu_seconds": 100.0, "cost": 0.5},
    ...         {"wall_seconds": 30.0, "cpu_seconds": float("nan"), "cost": 0.25}])
    {'trials': 2, 'wall_seconds': 90.0, 'cpu_seconds': 100.0, 'cost': 0.75}
    >>> totals([{"wall_seconds": 60.0, "cpu_seconds": 100.0}])["cost"]
    nan
    """
    import pandas as pd

    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else rows
    sums: dict[str, list[float]] = {"wall_seconds": [], "cpu_seconds": [], "cost": []}
    n = 0
    for row in records:
        n += 1
        for key, known in sums.items():
            value = _number(row.get(key))
            if math.isfinite(value):
                known.append(value)
    result: dict[str, float] = {"trials": n}
    for key, known in sums.items():
        result[key] = math.fsum(known) if known or (n == 0 and key != "cost") else _NAN
    return result
