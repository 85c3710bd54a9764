"""Peak memory of ``w2veval score`` on hostile vectors files, against a normal one (issue 10).

Each measurement is a whole, fresh ``python -m w2veval score FILE -g ws353 -g simlex999``
process (see ``_measure.py``: peak RSS from ``wait4``). Files, built once under
``benchmarks/_work/``:

* ``single_line.txt``: 200 MB without a newline (a word, then ``0.25`` repeated), which
  used to take 3.9 GB; now refused at line 1 by the line limit.
* ``ragged_row.txt``: a ``<count> <dim>`` header, a normal row, then a 200 MB row of
  numbers (0.9 to 4 GB before); refused at line 3.
* GloVe 6B 50d as word2vec text (171 MB, 400k rows): the normal case, which loads.
* ``huge_goldset.tsv``: a gold set of 1 GB given by path (one row, then a sparse
  gigabyte), scored against the small committed ``tests/corpus/clean.txt``; a gold-set
  line of 1 GB used 4 to 6 GB; now refused by the gold-set size limit before it is read.

Run ``.venv/bin/python benchmarks/hostile_memory.py [--out FILE]``; it prints a Markdown
table (the one in docs/performance.md, "Hostile input").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import WORK, glove_files, warm_page_cache
from _measure import measure

HOSTILE_BYTES = 200 * 10**6
BUDGET_MB = 200


def _write_once(path: Path, write) -> Path:
    if path.exists() and path.stat().st_size >= HOSTILE_BYTES:
        return path
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        write(f)
    tmp.replace(path)
    return path


def single_line(work: Path = WORK) -> Path:
    """200 MB, no newline: ``plane 0.25 0.25 ...``."""
    block = b" 0.25" * (1 << 18)

    def write(f):
        f.write(b"plane")
        written = 5
        while written < HOSTILE_BYTES:
            f.write(block)
            written += len(block)

    return _write_once(work / "hostile_single_line.txt", write)


def ragged_row(work: Path = WORK) -> Path:
    """A header, a normal row, then a 200 MB row of numbers for a wanted word."""
    block = b" 0.5" * (1 << 18)

    def write(f):
        f.write(b"3 2\nplane 0.1 0.2\ncar")
        written = 0
        while written < HOSTILE_BYTES:
            f.write(block)
            written += len(block)
        f.write(b"\ncoast 0.3 0.4\n")

    return _write_once(work / "hostile_ragged_row.txt", write)


def huge_goldset(work: Path = WORK) -> Path:
    """A 1 GB gold-set file: one valid row, then a sparse hole (no disk used)."""
    path = work / "hostile_huge_goldset.tsv"
    if not path.exists() or path.stat().st_size != 1 << 30:
        with open(path, "wb") as f:
            f.write(b"plane\tcar\t7.5\n")
            f.truncate(1 << 30)
    return path


def run(
    path: Path, label: str, goldsets: tuple[str, ...] = ("ws353", "simlex999"), measured: Path | None = None
) -> dict:
    if measured is None:
        warm_page_cache(path)
    flags = [arg for name in goldsets for arg in ("-g", name)]
    m = measure([sys.executable, "-m", "w2veval", "score", str(path), *flags, "--no-progress"], timeout=600)
    message = m.stderr.strip().splitlines()[-1] if m.returncode else "scored"
    return {
        "file": label,
        "size_mb": (measured or path).stat().st_size / 1e6,
        "exit": m.returncode,
        "wall_s": m.wall_s,
        "peak_mb": m.max_rss_mb,
        "outcome": message,
    }


def table(results: list[dict]) -> str:
    lines = [
        "| file | size | exit status | wall time | peak RSS | outcome |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        outcome = r["outcome"].replace(str(WORK) + "/", "")
        if len(outcome) > 110:
            outcome = outcome[:107] + "..."
        lines.append(
            f"| {r['file']} | {r['size_mb']:.0f} MB | {r['exit']} | {r['wall_s']:.2f} s | "
            f"{r['peak_mb']:.0f} MB | {outcome} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    glove_text, _ = glove_files()
    results = [
        run(single_line(), "200 MB single line"),
        run(ragged_row(), "200 MB ragged row"),
        run(glove_text, "GloVe 6B 50d (word2vec text)"),
    ]
    gold = huge_goldset()
    clean = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "clean.txt"
    results.append(run(clean, "1 GB gold set by path", goldsets=(str(gold),), measured=gold))
    text = table(results)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    over = [r["file"] for r in results if r["peak_mb"] > BUDGET_MB]
    if over:
        print(f"over the {BUDGET_MB} MB budget: {', '.join(over)}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
