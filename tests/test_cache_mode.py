"""Installed gold-set files honour the umask (an image's cache, filled by root, must be readable
by the job running as another user).

``tempfile.mkstemp`` creates files 0600; the cache used to move such files into place as they
were. Files are fetched from a real HTTP server on 127.0.0.1 or imported by the real CLI, from
the real files in ../shared/goldsets.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from _catalog_files import MC30, RG65, entry, real_file
from _http import LocalServer

from w2veval.goldsets._fetch import fetch

WS353_FILES = (
    "ws353/combined.csv",
    "ws353/wordsim_similarity_goldstandard.txt",
    "ws353/wordsim_relatedness_goldstandard.txt",
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test; the old one is restored afterwards."""
    old = os.umask(0o022)
    os.umask(old)

    def set_to(mask: int) -> None:
        os.umask(mask)

    yield set_to
    os.umask(old)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "w2veval-home"
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    monkeypatch.delenv("W2VEVAL_MIRROR", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return home


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_fetched_files_get_the_mode_open_would_give(
    shared_goldsets, home, umask, monkeypatch, mask, expected
):
    entries = [
        entry("rg65", real_file(shared_goldsets, RG65)),
        entry("mc30", real_file(shared_goldsets, MC30)),
    ]
    with LocalServer(shared_goldsets) as server:
        monkeypatch.setenv("W2VEVAL_MIRROR", server.url + "/")
        umask(mask)
        report = fetch(entries)
    assert report.ok and set(report.downloaded) == {RG65, MC30}
    for path in (RG65, MC30):
        assert mode(home / "goldsets" / path) == expected, path


def test_cli_import_under_umask_022_leaves_world_readable_files(shared_goldsets, tmp_path):
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "w2veval", "goldsets", "import", str(shared_goldsets / "ws353")],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, W2VEVAL_HOME=str(home)),
        preexec_fn=lambda: os.umask(0o022),
    )
    assert done.returncode == 0, done.stderr
    for path in WS353_FILES:
        installed = home / "goldsets" / path
        assert installed.read_bytes() == (shared_goldsets / path).read_bytes()
        assert mode(installed) == 0o644, path
    # the folders too: another user must be able to reach the files
    assert mode(home / "goldsets" / "ws353") == 0o755
