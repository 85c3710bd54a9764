"""Offline import of gold-set files by content, and the cache's install step.

Entries are built here from the real files in ../shared/goldsets with sha256s
computed here with hashlib; copies go to tmp folders (never into the repository).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _catalog_files import BATS_E02, MC30, RG65, entry, files_under, real_file, sha256

from w2veval.errors import ChecksumMismatchError, W2VEvalError
from w2veval.goldsets._cache import describe_bytes, install, installed_path, is_installed, sha256_of
from w2veval.goldsets._catalog import CatalogFile
from w2veval.goldsets._import import MAX_IMPORT_BYTES, ImportReport, import_dir

REPO = Path(__file__).resolve().parents[1]
CATALOG_TOML = REPO / "goldsets" / "catalog.toml"

SIMLEX = "simlex999/SimLex-999.txt"
WS_SIM = "ws353/wordsim_similarity_goldstandard.txt"
WS_REL = "ws353/wordsim_relatedness_goldstandard.txt"


def data_files_under(folder: Path) -> list[str]:
    return [f for f in files_under(folder) if not f.endswith(".lock")]


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "w2veval-home"
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    return home


@pytest.fixture
def handful(shared_goldsets):
    f = lambda path: real_file(shared_goldsets, path)  # noqa: E731
    return [
        entry("rg65", f(RG65)),
        entry("mc30", f(MC30)),
        entry("simlex999", f(SIMLEX)),
        entry("ws353-sim-rel", f(WS_SIM), f(WS_REL)),
        entry("bats-e02", f(BATS_E02)),
    ]


def assert_installed(shared: Path, home: Path, path: str) -> None:
    installed = home / "goldsets" / path
    assert installed.is_file(), path
    assert sha256(installed.read_bytes()) == sha256((shared / path).read_bytes())


# -- import from the shared folder -------------------------------------------------------------


def test_import_a_handful_of_real_sets_from_the_shared_folder(shared_goldsets, home, handful):
    report = import_dir(shared_goldsets, handful)

    assert isinstance(report, ImportReport) and report.ok
    assert report.complete == ["rg65", "mc30", "simlex999", "ws353-sim-rel", "bats-e02"]
    assert report.missing == {}
    assert set(report.installed) == {RG65, MC30, SIMLEX, WS_SIM, WS_REL, BATS_E02}
    assert report.installed[BATS_E02] == str(shared_goldsets.resolve() / BATS_E02)
    for path in report.installed:
        assert_installed(shared_goldsets, home, path)
    assert all(is_installed(e) for e in handful)
    assert data_files_under(home) == sorted(str(Path("goldsets", p)) for p in report.installed)


def test_a_second_import_finds_everything_present_and_reads_nothing(shared_goldsets, home, handful):
    import_dir(shared_goldsets, handful)
    again = import_dir(shared_goldsets, handful)
    assert again.installed == {} and again.n_scanned == 0
    assert sorted(again.present) == sorted({f.path for e in handful for f in e.files})
    assert again.ok


@pytest.mark.skipif(
    not CATALOG_TOML.exists(),
    reason="goldsets/catalog.toml is not written yet; this test imports the whole catalog "
    "from ../shared/goldsets once it exists",
)
def test_import_of_the_shared_folder_installs_every_catalogued_set(shared_goldsets, shared_tasks, home):
    from w2veval import goldsets

    tasks = {n for n, e in goldsets.catalog().items() if e.kind == "classification"}  # in ../shared/tasks
    report = goldsets.import_dir(shared_goldsets)
    assert set(report.missing) == tasks, f"catalogued files not found by content in {shared_goldsets}"
    shipped = {n for n, e in goldsets.catalog().items() if e.illustrative}  # inside the wheel
    assert sorted(report.complete) == sorted(set(goldsets.names()) - shipped - tasks)
    report = goldsets.import_dir(shared_tasks)
    assert report.missing == {} and sorted(report.installed) == sorted(
        f.path for n in tasks for f in goldsets.entry(n).files
    )
    assert goldsets.installed_names() == goldsets.names()
    for e in goldsets.catalog().values():
        if e.name not in shipped:
            assert is_installed(e)
            for f in e.files:
                assert sha256(installed_path(f).read_bytes()) == f.sha256


# -- content, not names ------------------------------------------------------------------------


def test_renamed_and_moved_copies_are_found_by_content(shared_goldsets, home, handful, tmp_path):
    usb = tmp_path / "usb stick"
    for i, path in enumerate([RG65, MC30, SIMLEX, WS_SIM, WS_REL, BATS_E02]):
        target = usb / f"level{i}" / "deeper" / f"copy {i}.dat"
        target.parent.mkdir(parents=True)
        shutil.copyfile(shared_goldsets / path, target)
    (usb / "unrelated.txt").write_text("not a gold set\n")

    report = import_dir(usb, handful)

    assert report.ok and len(report.complete) == 5
    assert report.installed[BATS_E02] == str(usb.resolve() / "level5" / "deeper" / "copy 5.dat")
    for path in report.installed:
        assert_installed(shared_goldsets, home, path)


def test_a_corrupted_copy_is_not_installed(shared_goldsets, home, tmp_path):
    data = (shared_goldsets / RG65).read_bytes()
    tree = tmp_path / "copies"
    tree.mkdir()
    (tree / "EN-RG-65.txt").write_bytes(data[:-10] + b"0123456789")  # same size, other bytes
    (tree / "EN-RG-65-truncated.txt").write_bytes(data[:100])
    rg65 = entry("rg65", real_file(shared_goldsets, RG65))

    report = import_dir(tree, [rg65])
    assert report.installed == {} and report.complete == []
    assert report.missing == {"rg65": [RG65]}
    assert report.n_scanned == 2
    assert files_under(home) == []

    (tree / "sub").mkdir()
    (tree / "sub" / "good.txt").write_bytes(data)  # a correct copy beside the corrupted ones
    report = import_dir(tree, [rg65])
    assert report.installed == {RG65: str(tree.resolve() / "sub" / "good.txt")}
    assert_installed(shared_goldsets, home, RG65)


def test_a_file_used_by_several_entries_is_installed_once(shared_goldsets, home, tmp_path):
    shared_file = real_file(shared_goldsets, WS_SIM)
    entries = [
        entry("ws353-sim", shared_file),
        entry("ws353-both", shared_file, real_file(shared_goldsets, WS_REL)),
    ]
    report = import_dir(shared_goldsets / "ws353", entries)
    assert report.installed == {
        WS_SIM: str((shared_goldsets / WS_SIM).resolve()),
        WS_REL: str((shared_goldsets / WS_REL).resolve()),
    }
    assert report.complete == ["ws353-sim", "ws353-both"]


def test_identical_content_under_two_catalog_paths_installs_both(shared_goldsets, home, tmp_path):
    data = (shared_goldsets / MC30).read_bytes()
    a, b = CatalogFile("one/mc30.txt", sha256(data)), CatalogFile("two/mc30.txt", sha256(data))
    report = import_dir(shared_goldsets / "mc30", [entry("one", a), entry("two", b)])
    assert sorted(report.installed) == ["one/mc30.txt", "two/mc30.txt"] and report.ok


def test_missing_entries_name_their_missing_files(shared_goldsets, home):
    rg65 = real_file(shared_goldsets, RG65)
    absent = CatalogFile("nowhere/none.txt", "2" * 64)
    report = import_dir(shared_goldsets / "rg65", [entry("rg65", rg65), entry("half", rg65, absent)])
    assert report.complete == ["rg65"]
    assert report.missing == {"half": ["nowhere/none.txt"]}
    assert not report.ok
    assert report.to_dict()["missing"] == {"half": ["nowhere/none.txt"]}


# -- what the scan reads and what it skips ----------------------------------------------------


def test_links_out_of_the_folder_are_not_followed(shared_goldsets, home, tmp_path):
    tree = tmp_path / "tree"
    (tree / "inner").mkdir(parents=True)
    os.symlink(shared_goldsets / RG65, tree / "link-out.txt")
    os.symlink(shared_goldsets / "mc30", tree / "dir-link-out")
    shutil.copyfile(shared_goldsets / SIMLEX, tree / "inner" / "simlex.txt")
    os.symlink(tree / "inner" / "simlex.txt", tree / "link-in.txt")

    entries = [
        entry("rg65", real_file(shared_goldsets, RG65)),
        entry("mc30", real_file(shared_goldsets, MC30)),
        entry("simlex999", real_file(shared_goldsets, SIMLEX)),
    ]
    report = import_dir(tree, entries)

    assert report.complete == ["simlex999"]
    assert report.missing == {"rg65": [RG65], "mc30": [MC30]}
    skipped = dict(report.skipped)
    assert "outside the folder" in skipped[str(tree.resolve() / "link-out.txt")]


def test_fifos_large_and_dangling_files_are_skipped_not_hung_on(shared_goldsets, home, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "a-fifo")
    os.symlink(tree / "gone", tree / "dangling")
    (tree / "big.bin").write_bytes(b"x" * 5000)
    shutil.copyfile(shared_goldsets / MC30, tree / "mc30.txt")

    report = import_dir(tree, [entry("mc30", real_file(shared_goldsets, MC30))], max_bytes=4096)

    skipped = dict(report.skipped)
    root = tree.resolve()
    assert skipped[str(root / "a-fifo")] == "not a regular file"
    assert skipped[str(root / "big.bin")] == "5,000 bytes, larger than 4,096"
    assert "not readable" in skipped[str(root / "dangling")]
    assert report.complete == ["mc30"]
    assert MAX_IMPORT_BYTES == 256 * 1024 * 1024


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads files whatever their mode, so an unreadable file cannot be made",
)
def test_unreadable_files_are_skipped(shared_goldsets, home, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    secret = tree / "secret.txt"
    shutil.copyfile(shared_goldsets / MC30, secret)
    secret.chmod(0)
    try:
        report = import_dir(tree, [entry("mc30", real_file(shared_goldsets, MC30))])
    finally:
        secret.chmod(0o600)
    assert "not readable" in dict(report.skipped)[str(tree.resolve() / "secret.txt")]
    assert report.missing == {"mc30": [MC30]}


def test_importing_from_something_that_is_not_a_folder(shared_goldsets, home):
    with pytest.raises(W2VEvalError, match="not a folder"):
        import_dir(shared_goldsets / RG65, [])


# -- install: the one way into the cache -------------------------------------------------------


def test_install_refuses_wrong_bytes_and_says_what_they_are(home, tmp_path):
    page = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>gone</body></html>"
    source = tmp_path / "EN-RG-65.txt"
    source.write_bytes(page)
    file = CatalogFile(RG65, "a" * 64)
    with pytest.raises(ChecksumMismatchError) as info:
        install(file, source)
    message = str(info.value)
    assert isinstance(info.value, OSError)
    assert RG65 in message and "a" * 64 in message and sha256(page) in message
    assert f"{len(page)} bytes" in message and 'an HTML page titled "404 Not Found"' in message
    assert not home.exists() or files_under(home) == []


def test_install_is_atomic_idempotent_and_clears_stale_temporary_files(shared_goldsets, home):
    file = real_file(shared_goldsets, MC30)
    dest = installed_path(file)
    dest.parent.mkdir(parents=True)
    stale = dest.parent / ".EN-MC-30.txt.x1y2z3.w2veval-part"  # left by a killed process
    stale.write_bytes(b"half a fi")
    other = dest.parent / ".other.txt.abc.w2veval-part"  # another file's: not ours to remove

    other.write_bytes(b"")
    assert install(file, shared_goldsets / MC30) == dest
    assert not stale.exists() and other.exists()
    assert sha256_of(dest) == file.sha256
    mtime = dest.stat().st_mtime_ns
    install(file, shared_goldsets / MC30)  # already there: kept as is
    assert dest.stat().st_mtime_ns == mtime


def test_install_replaces_a_damaged_file_at_the_final_path(shared_goldsets, home):
    file = real_file(shared_goldsets, MC30)
    dest = installed_path(file)
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"damaged")
    install(file, shared_goldsets / MC30)
    assert sha256_of(dest) == file.sha256


def test_describe_bytes():
    assert describe_bytes(b"", 0) == "an empty file"
    assert describe_bytes(b"\n  <html><body>x</body></html>") == "an HTML page"
    assert describe_bytes(b"PK\x03\x04rest") == "a zip archive"
    assert describe_bytes(b"\x1f\x8b\x08\x00") == "gzip-compressed data"
    assert describe_bytes(b"\x00" * 257 + b"ustar\x00") == "a tar archive"
    assert describe_bytes(b"mot\tWort\t1.0\nzweite") == "text starting 'mot\\tWort\\t1.0'"
    assert describe_bytes("Straß".encode()[:-1]) == "text starting 'Stra'"  # head cut inside 'ß': still text
    assert describe_bytes(bytes(range(256))) == "binary data"


# -- several processes at once -----------------------------------------------------------------

_WORKER = """
import json, sys, time
from pathlib import Path
from w2veval.goldsets._catalog import CatalogEntry, CatalogFile
from w2veval.goldsets._cache import install
from w2veval.goldsets._import import import_dir
mode, folder, path, digest, go = sys.argv[1:]
file = CatalogFile(path, digest)
while not Path(go).exists():
    time.sleep(0.005)
if mode == "import":
    report = import_dir(folder, [CatalogEntry("big", "big", "en", "similarity", None, 1, (file,), "c", "l")])
    print(json.dumps(report.to_dict()))
else:
    print(json.dumps({"installed": str(install(file, Path(folder) / "big.txt"))}))
"""


@pytest.mark.parametrize("mode", ["import", "install"])
def test_concurrent_processes_leave_one_correct_file(home, tmp_path, mode):
    tree = tmp_path / "tree"
    tree.mkdir()
    lines = (f"word{i}\tword{i * 7 % 1000}\t{i % 11}.{i % 7}\n" for i in range(600_000))
    data = "".join(lines).encode()  # about 12 MB: copies take long enough to overlap
    (tree / "big.txt").write_bytes(data)
    digest = sha256(data)
    go = tmp_path / "go"
    env = dict(os.environ, W2VEVAL_HOME=str(home), PYTHONPATH=str(REPO))
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, mode, str(tree), "big/big.txt", digest, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    go.touch()
    results = [w.communicate(timeout=120) for w in workers]

    for worker, (out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        if mode == "import":
            report = json.loads(out)
            assert report["complete"] == ["big"] and report["missing"] == {}
    installed = home / "goldsets" / "big" / "big.txt"
    assert sha256(installed.read_bytes()) == digest
    assert data_files_under(home) == [str(Path("goldsets", "big", "big.txt"))]  # no temporary files left
