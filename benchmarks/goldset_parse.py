"""How long reading a gold-set file takes: ``GoldSet.from_file`` on the largest real sets.

Each file of ``../shared/goldsets`` named below is parsed once to warm up, then
``--repeat`` times (default 20); the table gives the median wall and CPU milliseconds in
this process (imports excluded). Run::

    .venv/bin/python benchmarks/goldset_parse.py [--repeat N] [--shared DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from w2veval.goldsets import GoldSet

#: (file under the mirror, GoldSet.from_file options)
CASES = [
    ("simverb3500/SimVerb-3500.txt", {"columns": (0, 1, 3), "duplicates": "keep"}),
    ("men/MEN_dataset_natural_form_full", {"duplicates": "keep"}),
    ("rw/rw.txt", {"duplicates": "keep"}),
    ("simlex999/SimLex-999.txt", {"columns": (0, 1, 3), "duplicates": "keep"}),
]


def _time(path: Path, options: dict, repeat: int) -> tuple[float, float, int]:
    GoldSet.from_file(path, **options)
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        pairs = len(GoldSet.from_file(path, **options))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "goldsets"
    )
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, repeats: {args.repeat}")
    print("| file | pairs | wall ms (median) | CPU ms (median) |")
    print("|---|---:|---:|---:|")
    for name, options in CASES:
        wall, cpu, pairs = _time(args.shared / name, options, args.repeat)
        print(f"| {name} | {pairs} | {wall:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
