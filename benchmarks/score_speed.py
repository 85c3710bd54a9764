"""Scoring speed and peak memory: ``w2veval score`` against gensim (issue 2).

Each measurement is a whole, fresh process, so interpreter start-up and imports
count:

* w2veval: ``w2veval score FILE -g ws353 -g simlex999 --format json``;
* gensim: ``KeyedVectors.load_word2vec_format(FILE)`` followed by
  ``evaluate_word_pairs`` on gensim's own ``wordsim353.tsv`` and ``simlex999.txt``.

Files: GloVe 6B 50d (400k x 50) as word2vec text and binary, and (unless
``--quick``) a synthetic 1M x 300 text file and its binary twin, all built once
under ``benchmarks/_work/`` (see ``_data.py``). The file is read in full right
before every run so both tools find it in the page cache; the two tools run
alternately ``--repeat`` times and the median wall time and median peak RSS are reported,
beside the targets of issue 2. The Spearman correlations of both tools must agree
within 1e-6.

Run ``make bench`` or ``.venv/bin/python benchmarks/score_speed.py [--quick]
[--repeat N] [--out FILE] [--snapshot]``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import GOLD_FILES, WORK, glove_files, synthetic_files, warm_page_cache
from _measure import Measurement, measure

TOLERANCE = 1e-6
TIMEOUT_S = 3600.0

# The gensim side: ``python -c _GENSIM FILE text|binary GOLD_FILES_JSON``. restrict_vocab is
# the whole vocabulary, as in w2veval (gensim's own default is the first 300,000
# words, which would make the two tools score different words on the big files).
_GENSIM = """
import json, sys
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
path, kind, gold = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
kv = KeyedVectors.load_word2vec_format(path, binary=kind == "binary")
out = {}
for name, filename in gold.items():
    pearson, spearman, oov_percent = kv.evaluate_word_pairs(
        datapath(filename), restrict_vocab=len(kv.index_to_key))
    out[name] = {"spearman": float(spearman[0]), "pearson": float(pearson[0]),
                 "oov_percent": float(oov_percent)}
print(json.dumps(out))
"""


@dataclass(frozen=True)
class Target:
    """What issue 2 asks of one file; ``None`` where it asks nothing."""

    min_speedup: float | None = None
    aim_speedup: float | None = None
    max_memory_ratio: float | None = None
    aim_memory_ratio: float | None = None
    max_memory_mb: float | None = None

    def speed_text(self) -> str:
        if self.min_speedup is None:
            return "—"
        aim = f" (aim {self.aim_speedup:g}×)" if self.aim_speedup else ""
        return f"≥ {self.min_speedup:g}×{aim}"

    def memory_text(self) -> str:
        parts = []
        if self.max_memory_ratio is not None:
            aim = f" (aim {self.aim_memory_ratio:.0%})" if self.aim_memory_ratio else ""
            parts.append(f"≤ {self.max_memory_ratio:.0%} of gensim{aim}")
        if self.max_memory_mb is not None:
            parts.append(f"< {self.max_memory_mb:g} MB")
        return "; ".join(parts) or "—"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    binary: bool
    target: Target


@dataclass
class CaseResult:
    case: Case
    w2veval: list[Measurement] = field(default_factory=list)
    gensim: list[Measurement] = field(default_factory=list)

    @staticmethod
    def _median(runs: list[Measurement], attr: str) -> float | None:
        ok = [getattr(m, attr) for m in runs if m.ok]
        return statistics.median(ok) if ok and len(ok) == len(runs) else None

    def wall(self, tool: str) -> float | None:
        return self._median(getattr(self, tool), "wall_s")

    def cpu(self, tool: str) -> float | None:
        return self._median(getattr(self, tool), "cpu_s")

    def rss_mb(self, tool: str) -> float | None:
        return self._median(getattr(self, tool), "max_rss_mb")

    def failure(self, tool: str) -> str:
        return next((m.failure() for m in getattr(self, tool) if not m.ok), "")

    def speedup(self) -> float | None:
        w, g = self.wall("w2veval"), self.wall("gensim")
        return g / w if w and g else None

    def cpu_speedup(self) -> float | None:
        w, g = self.cpu("w2veval"), self.cpu("gensim")
        return g / w if w and g else None

    def memory_ratio(self) -> float | None:
        w, g = self.rss_mb("w2veval"), self.rss_mb("gensim")
        return w / g if w and g else None

    def verdict(self) -> str:
        """ "met", "met (aim too)", "MISSED: ...", "not measured", or "—" (no target)."""
        t, speed, ratio, mb = self.case.target, self.speedup(), self.memory_ratio(), self.rss_mb("w2veval")
        if self.failure("w2veval") or self.failure("gensim"):
            return "not measured"
        missed, judged, aimed = [], False, True
        if t.min_speedup is not None:
            judged = True
            if speed < t.min_speedup:
                missed.append(f"speed {speed:.1f}× < {t.min_speedup:g}×")
            aimed &= t.aim_speedup is None or speed >= t.aim_speedup
        if t.max_memory_ratio is not None:
            judged = True
            if ratio > t.max_memory_ratio:
                missed.append(f"memory {ratio:.0%} > {t.max_memory_ratio:.0%}")
            aimed &= t.aim_memory_ratio is None or ratio <= t.aim_memory_ratio
        if t.max_memory_mb is not None:
            judged = True
            if mb >= t.max_memory_mb:
                missed.append(f"memory {mb:.0f} MB ≥ {t.max_memory_mb:g} MB")
        if not judged:
            return "—"
        if missed:
            return "MISSED: " + ", ".join(missed)
        return "met (aim too)" if aimed and (t.aim_speedup or t.aim_memory_ratio) else "met"


def w2veval_command(path: Path) -> list[str]:
    """The contract command, through the installed console script if there is one."""
    script = Path(sys.executable).with_name("w2veval")
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "w2veval"]
    return [*prefix, "score", str(path), "-g", "ws353", "-g", "simlex999", "--format", "json"]


def gensim_command(path: Path, binary: bool) -> list[str]:
    kind = "binary" if binary else "text"
    return [sys.executable, "-c", _GENSIM, str(path), kind, json.dumps(GOLD_FILES)]


def w2veval_spearman(stdout: str) -> dict[str, float]:
    """``gold set -> Spearman rho`` from ``w2veval score --format json``.

    That output is a list of records, one per vectors x gold set, each with
    ``"goldset"`` and ``"spearman"`` (the library's result as a dict).
    """
    try:
        records = json.loads(stdout)
    except json.JSONDecodeError:
        return {}
    return {
        r["goldset"]: r["spearman"]
        for r in records
        if isinstance(r, dict) and "goldset" in r and "spearman" in r
    }


def agreement(result: CaseResult) -> list[tuple[str, float | None, float | None, bool]]:
    """``(gold set, w2veval rho, gensim rho, within tolerance)`` from the first runs."""
    w = next((m for m in result.w2veval if m.ok), None)
    g = next((m for m in result.gensim if m.ok), None)
    w_rhos = w2veval_spearman(w.stdout) if w else {}
    g_json = json.loads(g.stdout) if g else {}
    rows = []
    for name in GOLD_FILES:
        w_rho = w_rhos.get(name)
        g_rho = g_json.get(name, {}).get("spearman")
        ok = w_rho is not None and g_rho is not None and abs(w_rho - g_rho) <= TOLERANCE
        rows.append((name, w_rho, g_rho, ok))
    return rows


def run_case(case: Case, repeat: int, log=print, w2veval_how: dict | None = None) -> CaseResult:
    """Run both tools alternately on ``case.path``, re-reading it before each run.

    ``w2veval_how`` holds extra keyword arguments for measuring w2veval (see
    :func:`snapshot_w2veval`).
    """
    log(f"{case.name}: {case.path.name} ({case.path.stat().st_size / 1e6:,.0f} MB)")
    result = CaseResult(case)
    for i in range(1, repeat + 1):
        for tool, command in (
            ("w2veval", w2veval_command(case.path)),
            ("gensim", gensim_command(case.path, case.binary)),
        ):
            # Again before every run, not once: some hosts page out page-cache
            # pages that sat idle for a minute (DAMON reclaim on this benchmark's VM).
            warm_page_cache(case.path)
            how = (w2veval_how or {}) if tool == "w2veval" else {}
            m = measure(command, timeout=TIMEOUT_S, **how)
            getattr(result, tool).append(m)
            status = "" if m.ok else f"  FAILED ({m.failure()})"
            log(
                f"  run {i}/{repeat} {tool:8s} {m.wall_s:8.2f} s wall {m.cpu_s:8.2f} s CPU "
                f"{m.max_rss_mb:8.1f} MB{status}"
            )
    return result


def w2veval_root() -> Path | None:
    """The folder of the ``w2veval`` package this interpreter imports."""
    spec = importlib.util.find_spec("w2veval")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def w2veval_fingerprint(root: Path | None = None) -> str:
    """A short hash of w2veval's source, to tell which code was measured."""
    root = root or w2veval_root()
    if root is None:
        return "not installed"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_w2veval(dest: Path) -> dict:
    """Copy w2veval's package to ``dest``; return how to run commands that import it.

    For measuring a checkout that others are editing: the copy cannot change (or
    break) half-way through a run. The command stays the installed console script;
    ``PYTHONPATH`` is searched before the editable install's finder, and the
    commands run in ``dest`` so that no checkout in the working directory wins.

    Returns
    -------
    dict
        ``env`` and ``cwd`` keyword arguments for :func:`measure`.
    """
    root = w2veval_root()
    if root is None:
        raise SystemExit("w2veval is not installed in this interpreter; run 'make bench'")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(root, dest / "w2veval", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(dest)}
    # Compile now, so the first timed run does not pay for writing .pyc files.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest)], check=True, env=env)
    where = subprocess.run(
        [sys.executable, "-c", "import w2veval; print(w2veval.__file__)"],
        env=env,
        cwd=dest,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).resolve().is_relative_to(dest.resolve()):
        raise SystemExit(f"the snapshot in {dest} is not what gets imported ({where})")
    return {"env": env, "cwd": dest}


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def machine_info(w2veval_source: Path | None = None) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as f:
            ram = f"{int(f.readline().split()[1]) / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        ram = "?"

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{cpu}, {cpus} CPUs (nproc)",
        "ram": ram,
        "load average at start (1/5/15 min)": _load(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "gensim": version("gensim"),
        "w2veval": f"{version('w2veval')} (source sha256 {w2veval_fingerprint(w2veval_source)})",
    }


def _fmt(value: float | None, spec: str, missing: str = "n/a") -> str:
    return missing if value is None else format(value, spec)


def markdown(results: Sequence[CaseResult], repeat: int, info: dict[str, str]) -> str:
    lines = [
        f"Method: each number is the median of {repeat} runs of a whole fresh process "
        "(interpreter start-up and imports included); peak memory is the process's "
        "max RSS from `wait4`, in MB of 10⁶ bytes. The file was read in full right before "
        "every run, so both tools found it in the page cache; the tools ran alternately.",
        "",
        "Machine: "
        + "; ".join(f"{k} {v}" for k, v in info.items() if k != "date")
        + f". Date: {info['date']}.",
        "",
        "| file | w2veval s | gensim s | speed-up | target | w2veval MB | gensim MB "
        "| memory w2veval/gensim | target | result |",
        "|---|---:|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for r in results:
        w_s = _fmt(r.wall("w2veval"), ".2f", "failed")
        w_mb = _fmt(r.rss_mb("w2veval"), ".0f", "failed")
        lines.append(
            f"| {r.case.name} | {w_s} | {_fmt(r.wall('gensim'), '.2f', 'failed')} "
            f"| {_fmt(r.speedup(), '.1f')}{'×' if r.speedup() else ''} | {r.case.target.speed_text()} "
            f"| {w_mb} | {_fmt(r.rss_mb('gensim'), '.0f', 'failed')} "
            f"| {_fmt(r.memory_ratio(), '.0%')} | {r.case.target.memory_text()} | {r.verdict()} |"
        )
    lines += [
        "",
        "CPU time (user + system, median of the same runs; hardly affected by other "
        "work on the machine, unlike wall time):",
        "",
        "| file | w2veval CPU s | gensim CPU s | speed-up in CPU time |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.case.name} | {_fmt(r.cpu('w2veval'), '.2f', 'failed')} "
            f"| {_fmt(r.cpu('gensim'), '.2f', 'failed')} "
            f"| {_fmt(r.cpu_speedup(), '.1f')}{'×' if r.cpu_speedup() else ''} |"
        )
    failures = [
        f"- {r.case.name}, {tool}: {r.failure(tool)}"
        for r in results
        for tool in ("w2veval", "gensim")
        if r.failure(tool)
    ]
    if failures:
        lines += ["", "Failed runs:", *failures]
    lines += [
        "",
        f"Agreement (Spearman rho, |w2veval − gensim| ≤ {TOLERANCE:g}):",
        "",
        "| file | gold set | w2veval | gensim | difference | agrees |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        for name, w_rho, g_rho, ok in agreement(r):
            diff = abs(w_rho - g_rho) if w_rho is not None and g_rho is not None else None
            lines.append(
                f"| {r.case.name} | {name} | {_fmt(w_rho, '.9f')} "
                f"| {_fmt(g_rho, '.9f')} | {_fmt(diff, '.1e')} | {'yes' if ok else 'NO'} |"
            )
    return "\n".join(lines) + "\n"


def cases(quick: bool, log=print) -> list[Case]:
    glove_text, glove_bin = glove_files()
    out = [
        Case(
            "GloVe 6B 50d, text",
            glove_text,
            False,
            Target(min_speedup=10, aim_speedup=25, max_memory_ratio=0.75, aim_memory_ratio=0.5),
        ),
        Case(
            "GloVe 6B 50d, binary",
            glove_bin,
            True,
            Target(min_speedup=2, max_memory_ratio=0.75, aim_memory_ratio=0.5),
        ),
    ]
    if not quick:
        log("building (or reusing) the synthetic 1M x 300 files ...")
        text, binary = synthetic_files(1_000_000, 300, binary=True)
        out += [
            Case("synthetic 1M×300, text", text, False, Target(min_speedup=20, max_memory_mb=400)),
            Case("synthetic 1M×300, binary", binary, True, Target()),
        ]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the synthetic 1M x 300 files")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="N",
        help="runs per tool and file; the median is reported (default 3)",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="also write the markdown report here")
    parser.add_argument(
        "--snapshot",
        action="store_true",
        help="measure a copy of w2veval's source taken at the start (for a "
        "checkout that is being edited while the benchmark runs)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    how, source = None, None
    if args.snapshot:
        source = WORK / "w2veval_snapshot" / "w2veval"
        how = snapshot_w2veval(source.parent)
        log(f"measuring a snapshot of w2veval's source in {source}")
    info = machine_info(source)
    if source is not None:
        info["w2veval"] += ", run from a copy of its source taken at the start (--snapshot)"
    results = [run_case(case, args.repeat, log, how) for case in cases(args.quick, log)]
    info["load average at end"] = _load()
    report = markdown(results, args.repeat, info)
    if w2veval_fingerprint(source) not in info["w2veval"]:
        report += (
            "\nWARNING: w2veval's source changed while the benchmark ran; "
            "the numbers mix two versions. Run it again.\n"
        )
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")
        log(f"wrote {args.out}")
    disagree = any(not ok for r in results for *_, ok in agreement(r))
    failed = any(r.failure(t) for r in results for t in ("w2veval", "gensim"))
    return 1 if failed or disagree else 0


if __name__ == "__main__":
    sys.exit(main())
