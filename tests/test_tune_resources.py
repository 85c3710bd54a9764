"""What a trial cost (w2veval.tune._resources): CPU seconds, peak memory, words/s, money.

Every expected value is read here independently: CPU time from ``resource.getrusage``,
memory from ``/proc/self/status``, money by hand. Nothing asserts how long anything took.
"""

from __future__ import annotations

import builtins
import math
import resource
import sys
import threading

import numpy as np
import pytest

from w2veval.tune import TuneError, _resources
from w2veval.tune._resources import check_price, cost, measure, totals, words_per_second

MIB = 2**20
LINUX = sys.platform.startswith("linux")


def _rusage_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mib(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} in /proc/self/status")


def _numpy_work(rounds: int) -> None:
    """Element-wise maths in two threads (numpy releases the GIL in its loops; no BLAS,
    whose idle threads spin and would blur the count)."""
    x = np.random.default_rng(0).random(1_000_000)

    def work():
        y = np.empty_like(x)
        for _ in range(rounds):
            np.sin(x, out=y)
            np.exp(y, out=y)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _cpu_of(rounds: int) -> tuple[float, float]:
    """(CPU seconds measured by ``measure``, CPU seconds by getrusage) of the work."""
    before = _rusage_cpu()
    with measure() as m:
        _numpy_work(rounds)
    return m.result()["cpu_seconds"], _rusage_cpu() - before


def test_cpu_seconds_count_the_work_of_every_thread():
    small, small_rusage = _cpu_of(10)
    large, large_rusage = _cpu_of(40)
    # process_time and getrusage read the same counters at different resolutions
    assert small == pytest.approx(small_rusage, rel=0.1, abs=0.05)
    assert large == pytest.approx(large_rusage, rel=0.1, abs=0.05)
    assert large > 2 * small > 0


@pytest.mark.skipif(not LINUX, reason="the per-block peak needs Linux's /proc")
def test_peak_memory_is_the_blocks_own_peak():
    baseline = _rss_mib()
    with measure() as m:
        block = np.ones(300_000_000 // 8)  # 300 MB, every page written
        assert block[-1] == 1.0
        del block
    first = m.result()
    assert first["peak_memory_scope"] == "trial"
    assert first["peak_memory_mb"] >= baseline + 280
    with measure() as m:
        _ = np.ones(1000).sum()
    second = m.result()
    # the high-water mark was reset: the 300 MB of the first block are not counted again
    assert second["peak_memory_scope"] == "trial"
    assert second["peak_memory_mb"] < _rss_mib() + 50
    assert second["peak_memory_mb"] < first["peak_memory_mb"] - 200


def test_without_a_resettable_mark_the_peak_is_the_process_lifetime_peak(monkeypatch):
    real_open = builtins.open

    def no_clear_refs(path, *args, **kwargs):
        if str(path) == "/proc/self/clear_refs":
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(_resources, "open", no_clear_refs, raising=False)
    with measure() as m:
        _ = np.ones(1000).sum()
    got = m.result()
    assert got["peak_memory_scope"] == "process"
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    expected = maxrss / MIB if sys.platform == "darwin" else maxrss / 1024
    assert got["peak_memory_mb"] == pytest.approx(expected, rel=0.01)


def test_the_result_waits_for_the_end_of_the_block():
    with measure() as m:
        with pytest.raises(TuneError, match="once the with block has ended"):
            m.result()
    assert set(m.result()) == {"wall_seconds", "cpu_seconds", "peak_memory_mb", "peak_memory_scope"}


def test_words_per_second_of_a_real_gensim_training():
    from gensim.models import Word2Vec
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
        sentences = [simple_preprocess(line) for line in fh]
    model = Word2Vec(vector_size=20, min_count=2, workers=2, seed=1)
    model.build_vocab(sentences)
    with measure() as m:
        _, raw_words = model.train(sentences, total_examples=len(sentences), epochs=2)
    got = m.result()
    assert raw_words == 2 * sum(len(s) for s in sentences)  # every corpus word, each epoch
    assert words_per_second(raw_words, got["wall_seconds"]) == raw_words / got["wall_seconds"]
    assert got["cpu_seconds"] > 0 and got["peak_memory_mb"] > 0


def test_words_per_second_is_nan_when_unknown():
    assert words_per_second(1_000, 4) == 250.0
    for words, seconds in (
        (1_000, 0),
        (1_000, 0.0),
        (None, 4.0),
        (float("nan"), 4.0),
        (1_000, float("nan")),
        (1_000, None),
    ):
        assert math.isnan(words_per_second(words, seconds))


def test_cost_is_hours_times_price():
    assert cost(3600, 0.23) == pytest.approx(0.23)
    assert cost(90, 4.0) == pytest.approx(90 * 4.0 / 3600)
    assert cost(0.0, 1.5) == 0.0
    assert cost(90, 0) == 0.0
    assert math.isnan(cost(90, None))
    assert math.isnan(cost(float("nan"), 1.5))
    assert math.isnan(cost(None, 1.5))


@pytest.mark.parametrize("price", [-0.01, float("nan"), float("inf"), "0.23", True])
def test_a_bad_price_is_refused(price):
    with pytest.raises(TuneError, match=r"price per hour must be a finite number >= 0.*got"):
        cost(60, price)
    with pytest.raises(TuneError):
        check_price(price)


def test_totals_sum_what_is_known():
    nan = float("nan")
    rows = [
        {"wall_seconds": 61.5, "cpu_seconds": 120.25, "cost": cost(61.5, 0.9)},
        {"wall_seconds": 30.0, "cpu_seconds": nan, "cost": cost(30.0, 0.9)},
        {"wall_seconds": nan, "cpu_seconds": 7.0, "cost": nan},
        {"wall_seconds": None, "cpu_seconds": None},
    ]
    got = totals(rows)
    assert got["trials"] == 4
    assert got["wall_seconds"] == pytest.approx(91.5)
    assert got["cpu_seconds"] == pytest.approx(127.25)
    assert got["cost"] == pytest.approx(91.5 / 3600 * 0.9)

    pandas = pytest.importorskip("pandas")
    assert totals(pandas.DataFrame(rows)) == pytest.approx(got, nan_ok=True)

    unpriced = totals([{"wall_seconds": 10.0, "cpu_seconds": 12.0}])
    assert unpriced["wall_seconds"] == 10.0 and math.isnan(unpriced["cost"])
    unknown = totals([{"wall_seconds": nan, "cpu_seconds": nan}])
    assert math.isnan(unknown["wall_seconds"]) and math.isnan(unknown["cpu_seconds"])
    empty = totals([])
    assert empty["trials"] == 0 and empty["wall_seconds"] == 0.0 and math.isnan(empty["cost"])
