"""Several processes filling one gold-set cache at the same moment.

Real processes (subprocesses of this interpreter) fetch the same catalogued sets from
a local HTTP mirror, or import them from ../shared/goldsets, into one W2VEVAL_HOME.
The mirror holds each response until both processes have asked for the file, so the
downloads really overlap. Afterwards each set must be there exactly once with the
sha256 the catalog records (checked here with hashlib), and no temporary file may be
left. (Four processes installing one large file are in test_import.py.)
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from _http import LocalServer

from w2veval import goldsets
from w2veval.goldsets._catalog import catalog

REPO = Path(__file__).resolve().parents[1]
SETS = ["rg65", "mc30", "men", "simverb3500-dev"]

_FETCH = """
import json, sys, time
from pathlib import Path
from w2veval import goldsets
go, names = sys.argv[1], sys.argv[2:]
while not Path(go).exists():
    time.sleep(0.005)
print(json.dumps(goldsets.fetch(names).to_dict()))
"""

_IMPORT = """
import json, sys, time
from pathlib import Path
from w2veval import goldsets
go, folder = sys.argv[1:]
while not Path(go).exists():
    time.sleep(0.005)
print(json.dumps(goldsets.import_dir(folder).to_dict()))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(home: Path, expected: set[str]) -> list[str]:
    """Files under ``home`` other than the expected ones and the (empty) lock files beside them."""
    found = []
    for path in home.rglob("*"):
        relative = str(path.relative_to(home))
        if path.is_dir() or relative in expected:
            continue
        if relative.endswith(".lock") and relative[: -len(".lock")] in expected and path.stat().st_size == 0:
            continue
        found.append(relative)
    return sorted(found)


def run_together(script: str, args: list[str], home: Path, tmp_path: Path, n: int = 2, **env):
    """Start ``n`` processes that wait for one go-file, release them, collect their JSON reports."""
    go = tmp_path / "go"
    environment = dict(
        os.environ,
        W2VEVAL_HOME=str(home),
        PYTHONPATH=str(REPO),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        **env,
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(go), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(n)
    ]
    go.touch()
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))
    return reports


def barrier_mirror(server: LocalServer, shared: Path, paths: list[str], parties: int, broken: list):
    """Serve each catalog path from ``shared`` once ``parties`` requests for it have arrived."""
    for path in paths:
        data = (shared / path).read_bytes()
        barrier = threading.Barrier(parties, timeout=60)

        def handle(request, data=data, barrier=barrier, path=path):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                broken.append(path)
            request.send_response(200)
            request.send_header("Content-Type", "application/octet-stream")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            for start in range(0, len(data), 4096):  # in pieces: the two downloads interleave
                request.wfile.write(data[start : start + 4096])
                request.wfile.flush()

        server.add("/" + path, handle)


def test_two_processes_fetching_the_same_sets_leave_one_correct_copy(shared_goldsets, tmp_path):
    home = tmp_path / "home"
    files = [f for name in SETS for f in catalog()[name].files]
    broken: list = []
    with LocalServer() as server:
        barrier_mirror(server, shared_goldsets, [f.path for f in files], 2, broken)
        reports = run_together(
            _FETCH, SETS, home, tmp_path, W2VEVAL_MIRROR=server.url, W2VEVAL_MIRROR_ONLY="1"
        )
        hits = {path: server.hits["/" + path] for path in (f.path for f in files)}

    assert broken == []  # both processes were downloading each file at the same time
    assert hits == {f.path: 2 for f in files}
    for report in reports:
        assert report["failed"] == [] and sorted(report["complete"]) == sorted(SETS)
        assert sorted(report["downloaded"]) == sorted(f.path for f in files)
    for file in files:
        assert sha256(home / "goldsets" / file.path) == file.sha256 == sha256(shared_goldsets / file.path)
    assert leftovers(home, {str(Path("goldsets", f.path)) for f in files}) == []


def test_two_processes_importing_the_shared_folder_at_once(shared_goldsets, tmp_path):
    home = tmp_path / "home"
    reports = run_together(_IMPORT, [str(shared_goldsets)], home, tmp_path)

    # What should be installed, found here by hashing the shared folder with hashlib
    shared = {sha256(p) for p in shared_goldsets.rglob("*") if p.is_file()}
    wanted = {
        f.path: f.sha256
        for entry in catalog().values()
        if not goldsets._shipped(entry)
        for f in entry.files
        if f.sha256 in shared
    }
    assert len(wanted) > 50
    installed = {path for report in reports for path in report["installed"]}
    assert installed == set(wanted)  # each file was installed by one process or both
    for path, digest in wanted.items():
        assert sha256(home / "goldsets" / path) == digest
    assert reports[0]["complete"] == reports[1]["complete"]
    assert reports[0]["missing"] == reports[1]["missing"]
    assert leftovers(home, {str(Path("goldsets", p)) for p in wanted}) == []


@pytest.mark.parametrize("first", ["fetch", "import"])
def test_a_fetch_and_an_import_at_once(shared_goldsets, tmp_path, first):
    """One process downloads while another imports the same files: still one copy each."""
    home = tmp_path / "home"
    files = [f for name in SETS for f in catalog()[name].files]
    go = tmp_path / "go"
    environment = dict(
        os.environ,
        W2VEVAL_HOME=str(home),
        PYTHONPATH=str(REPO),
        W2VEVAL_MIRROR_ONLY="1",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    with LocalServer(shared_goldsets) as server:
        environment["W2VEVAL_MIRROR"] = server.url
        commands = {"fetch": [_FETCH, str(go), *SETS], "import": [_IMPORT, str(go), str(shared_goldsets)]}
        order = [first, "import" if first == "fetch" else "fetch"]
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", *commands[kind]],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            )
            for kind in order
        ]
        go.touch()
        results = [w.communicate(timeout=180) for w in workers]
    for worker, (_out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
    fetched = json.loads(results[order.index("fetch")][0])
    assert fetched["failed"] == [] and sorted(fetched["complete"]) == sorted(SETS)
    imported = json.loads(results[order.index("import")][0])
    expected = {str(Path("goldsets", p)) for p in imported["installed"]} | {
        str(Path("goldsets", f.path)) for f in files
    }
    for relative in expected:
        path = relative.split(os.sep, 1)[1]
        assert sha256(home / relative) == sha256(shared_goldsets / path)
    assert leftovers(home, expected) == []
