"""Downloads of catalogued gold-set files, against real HTTP servers on 127.0.0.1.

The entries are built here from the real files in ../shared/goldsets, with sha256s
computed here with hashlib (not by the code under test).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pooch
import pytest
from _catalog_files import BATS_E02, MC30, RG65, WS353, entry, files_under, real_file, sha256
from _http import (
    LocalServer,
    fail_then_serve,
    html_error_page,
    refused_url,
    serve_bytes,
    status,
    tar_of,
    truncated,
    wrong_bytes,
    zip_of,
)

from w2veval.errors import W2VEvalError
from w2veval.goldsets._cache import cache_dir, installed_path, is_installed
from w2veval.goldsets._catalog import CatalogFile
from w2veval.goldsets._fetch import DownloadError, FetchReport, candidate_urls, fetch


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "w2veval-home"
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    monkeypatch.delenv("W2VEVAL_MIRROR", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # a CI proxy must not see our server
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return home


@pytest.fixture
def mirror(home, shared_goldsets, monkeypatch):
    """A local server serving ../shared/goldsets, set as W2VEVAL_MIRROR."""
    with LocalServer(shared_goldsets) as server:
        monkeypatch.setenv("W2VEVAL_MIRROR", server.url + "/")  # a trailing slash is fine
        yield server


@pytest.fixture
def server(home):
    """A local server with no folder: only registered paths answer."""
    with LocalServer() as server:
        yield server


def assert_installed(shared: Path, home: Path, path: str) -> None:
    installed = home / "goldsets" / path
    assert installed.is_file()
    assert sha256(installed.read_bytes()) == sha256((shared / path).read_bytes())


# -- cache location and URLs -------------------------------------------------------------------


def test_cache_dir_is_w2veval_home_when_set(home):
    assert cache_dir() == home
    assert installed_path(CatalogFile("a/b c.txt", "0" * 64)) == home / "goldsets" / "a" / "b c.txt"


def test_cache_dir_defaults_to_the_platform_cache(monkeypatch):
    import platformdirs

    monkeypatch.delenv("W2VEVAL_HOME", raising=False)
    assert cache_dir() == Path(platformdirs.user_cache_dir("w2veval"))


def test_installed_path_refuses_paths_that_leave_the_cache(home):
    for bad in ("../x.txt", "/etc/passwd", "a//b.txt"):
        with pytest.raises(ValueError, match="relative"):
            installed_path(CatalogFile(bad, "0" * 64))


def test_candidate_urls_mirror_first_then_catalog_urls(monkeypatch):
    file = CatalogFile(BATS_E02, "0" * 64, urls=("https://example.org/bats.zip",) * 2, member="x")
    monkeypatch.delenv("W2VEVAL_MIRROR", raising=False)
    assert candidate_urls(file) == ["https://example.org/bats.zip"]
    monkeypatch.setenv("W2VEVAL_MIRROR", "http://mirror.internal/goldsets//")
    assert candidate_urls(file) == [
        "http://mirror.internal/goldsets/analogy/bats_3.0/3_Encyclopedic_semantics/"
        "E02%20%5Bcountry%20-%20language%5D.txt",
        "https://example.org/bats.zip",
    ]
    monkeypatch.setenv("W2VEVAL_MIRROR_ONLY", "1")
    assert candidate_urls(file) == [
        "http://mirror.internal/goldsets/analogy/bats_3.0/3_Encyclopedic_semantics/"
        "E02%20%5Bcountry%20-%20language%5D.txt"
    ]


# -- downloads that work -----------------------------------------------------------------------


def test_fetch_from_the_mirror_installs_the_real_files(shared_goldsets, home, mirror):
    entries = [
        entry("rg65", real_file(shared_goldsets, RG65)),
        entry("mc30", real_file(shared_goldsets, MC30)),
        entry("bats-e02", real_file(shared_goldsets, BATS_E02)),
    ]
    report = fetch(entries)

    assert isinstance(report, FetchReport) and report.ok
    assert set(report.downloaded) == {RG65, MC30, BATS_E02}
    assert report.downloaded[MC30] == f"{mirror.url}/{MC30}"
    assert report.present == [] and report.failed == []
    assert report.complete == ["rg65", "mc30", "bats-e02"] and report.incomplete == []
    for path in (RG65, MC30, BATS_E02):
        assert_installed(shared_goldsets, home, path)
        assert mirror.hits["/" + path] == 1
    assert all(is_installed(e) for e in entries)
    # nothing but the files (and their lock files) is left in the cache
    assert [f for f in files_under(home) if not f.endswith(".lock")] == sorted(
        str(Path("goldsets", p)) for p in (RG65, MC30, BATS_E02)
    )


def test_installed_files_are_not_downloaded_again(shared_goldsets, home, mirror):
    entries = [
        entry("rg65", real_file(shared_goldsets, RG65)),
        entry("mc30", real_file(shared_goldsets, MC30)),
    ]
    fetch(entries[:1])
    assert mirror.hits["/" + RG65] == 1

    report = fetch(entries)
    assert report.present == [RG65]
    assert list(report.downloaded) == [MC30]
    assert mirror.hits["/" + RG65] == 1 and mirror.hits["/" + MC30] == 1

    again = fetch(entries)
    assert again.downloaded == {} and again.present == [RG65, MC30]
    assert sum(mirror.hits.values()) == 2


def test_a_file_shared_by_two_entries_is_downloaded_once(shared_goldsets, home, mirror):
    shared_file = real_file(shared_goldsets, WS353)
    report = fetch([entry("ws353", shared_file), entry("ws353-copy", shared_file)])
    assert list(report.downloaded) == [WS353]
    assert report.complete == ["ws353", "ws353-copy"]
    assert mirror.hits["/" + WS353] == 1


@pytest.mark.parametrize("kind", ["zip", "tar.gz", "tar"])
def test_404_on_the_mirror_then_the_archive_url_with_its_member(
    shared_goldsets, home, server, monkeypatch, kind
):
    data = (shared_goldsets / WS353).read_bytes()
    members = {
        "wordsim353/README.txt": b"read me\n",
        "wordsim353/combined.csv": data,
        "wordsim353/combined.csv.bak": b"an older copy\n",
    }
    archive = zip_of(members) if kind == "zip" else tar_of(members, mode="w:gz" if kind == "tar.gz" else "w")
    url = server.add(f"/downloads/wordsim353.{kind}", serve_bytes(archive))
    server.add("/mirror/" + WS353, status(404))
    monkeypatch.setenv("W2VEVAL_MIRROR", server.url + "/mirror")
    file = real_file(shared_goldsets, WS353, urls=(url,), member="wordsim353/combined.csv")

    report = fetch(entry("ws353", file), retries=2)

    assert report.downloaded == {WS353: url}
    assert_installed(shared_goldsets, home, WS353)
    assert server.hits["/mirror/" + WS353] == 1  # a 404 is not retried
    assert server.hits[f"/downloads/wordsim353.{kind}"] == 1
    assert [f for f in files_under(home) if not f.endswith(".lock")] == [str(Path("goldsets", WS353))]


def test_an_html_page_from_the_mirror_falls_through_to_the_next_url(
    shared_goldsets, home, server, monkeypatch
):
    server.add("/mirror/" + RG65, html_error_page())
    good = server.add("/origin/EN-RG-65.txt", serve_bytes((shared_goldsets / RG65).read_bytes()))
    monkeypatch.setenv("W2VEVAL_MIRROR", server.url + "/mirror")
    report = fetch(entry("rg65", real_file(shared_goldsets, RG65, urls=(good,))))
    assert report.downloaded == {RG65: good}
    assert_installed(shared_goldsets, home, RG65)


def test_500_then_success_through_poochs_retry(shared_goldsets, home, server):
    flaky = fail_then_serve((shared_goldsets / MC30).read_bytes(), failures=1, code=500)
    url = server.add("/flaky/EN-MC-30.txt", flaky)
    report = fetch(entry("mc30", real_file(shared_goldsets, MC30, urls=(url,))), retries=1)
    assert report.downloaded == {MC30: url}
    assert flaky.calls == 2
    assert_installed(shared_goldsets, home, MC30)


# -- downloads that fail -----------------------------------------------------------------------


def fetch_error(entries, **options) -> DownloadError:
    with pytest.raises(DownloadError) as info:
        fetch(entries, **options)
    error = info.value
    assert isinstance(error, W2VEvalError) and isinstance(error, OSError)
    assert "w2veval.goldsets.import_dir(DIR)" in str(error) and "W2VEVAL_MIRROR" in str(error)
    return error


def test_wrong_checksum_names_file_expected_hash_and_what_arrived(shared_goldsets, home, server, monkeypatch):
    file = real_file(shared_goldsets, RG65)
    wrong = b"gem\tjewel\t3.94\nthis is another version of the file\n"
    server.add("/" + RG65, wrong_bytes(wrong))
    monkeypatch.setenv("W2VEVAL_MIRROR", server.url)

    error = fetch_error(entry("rg65", file))
    message = str(error)
    assert "'rg65'" in message and RG65 in message
    assert file.sha256 in message and sha256(wrong) in message
    assert "arrived" in message and f"{len(wrong)} bytes" in message
    assert "text starting 'gem\\tjewel\\t3.94'" in message
    assert f"{server.url}/{RG65}" in message
    assert files_under(home) == []


def test_an_html_page_with_status_200_is_named_as_such(shared_goldsets, home, server):
    url = server.add("/portal/EN-RG-65.txt", html_error_page())
    message = str(fetch_error(entry("rg65", real_file(shared_goldsets, RG65, urls=(url,)))))
    assert 'an HTML page titled "Sign in - Corporate Proxy"' in message
    assert "arrived" in message
    assert files_under(home) == []


def test_a_truncated_body_is_reported_and_not_installed(shared_goldsets, home, server):
    data = (shared_goldsets / MC30).read_bytes()
    url = server.add("/cut/EN-MC-30.txt", truncated(data, sent=100))
    message = str(fetch_error(entry("mc30", real_file(shared_goldsets, MC30, urls=(url,))), retries=0))
    assert "truncated" in message
    assert f"after 100 of the {len(data)} bytes" in message
    assert files_under(home) == []


def test_a_persistent_500_is_retried_then_reported(shared_goldsets, home, server):
    url = server.add("/down/EN-MC-30.txt", status(500))
    message = str(fetch_error(entry("mc30", real_file(shared_goldsets, MC30, urls=(url,))), retries=1))
    assert "HTTP 500 Internal Server Error (2 attempts)" in message
    assert server.hits["/down/EN-MC-30.txt"] == 2
    assert files_under(home) == []


def test_connection_refused_is_a_clear_error(shared_goldsets, home, monkeypatch):
    nowhere = refused_url("")
    monkeypatch.setenv("W2VEVAL_MIRROR", nowhere)
    message = str(fetch_error(entry("rg65", real_file(shared_goldsets, RG65)), retries=0))
    assert f"{nowhere}/{RG65}: could not connect: Connection refused" in message
    assert files_under(home) == []


def test_a_server_that_does_not_answer_times_out(shared_goldsets, home, server):
    import time

    def slow(request):
        time.sleep(2)
        serve_bytes(b"late")(request)

    url = server.add("/slow.txt", slow)
    message = str(
        fetch_error(entry("mc30", real_file(shared_goldsets, MC30, urls=(url,))), retries=0, timeout=0.3)
    )
    assert "no answer within 0.3 s" in message
    assert files_under(home) == []


def test_every_url_tried_is_listed_with_what_it_sent(shared_goldsets, home, server, monkeypatch):
    data = (shared_goldsets / WS353).read_bytes()
    server.add("/mirror/" + WS353, status(404))
    urls = (
        server.add("/a.zip", serve_bytes(zip_of({"other.csv": data}))),
        server.add("/b.zip", html_error_page()),
        refused_url("/c.zip"),
    )
    monkeypatch.setenv("W2VEVAL_MIRROR", server.url + "/mirror")
    file = real_file(shared_goldsets, WS353, urls=urls, member="wordsim353/combined.csv")
    error = fetch_error(entry("ws353", file), retries=0)
    message = str(error)
    assert f"tried 4 URLs: [1] {server.url}/mirror/{WS353}: HTTP 404 Not Found; " in message
    assert (
        f"[2] {urls[0]}: a zip archive arrived with no file member 'wordsim353/combined.csv' "
        "(1 members: 'other.csv')" in message
    )
    assert f"[3] {urls[1]}: " in message and "an HTML page" in message
    assert f"[4] {urls[2]}: could not connect: Connection refused" in message
    failure = error.report.failed[0]
    assert failure.path == WS353 and failure.entries == ("ws353",) and len(failure.attempts) == 4
    assert files_under(home) == []


def test_a_tar_with_a_link_beside_the_member_is_not_extracted(shared_goldsets, home, server, tmp_path):
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        data = (shared_goldsets / MC30).read_bytes()
        info = tarfile.TarInfo("mc/EN-MC-30.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("mc/EN-MC-30.txt.d")  # pooch would extract it too (same prefix)
        link.type, link.linkname = tarfile.SYMTYPE, str(tmp_path / "outside")
        archive.addfile(link)
    url = server.add("/mc.tar.gz", serve_bytes(buffer.getvalue()))
    file = real_file(shared_goldsets, MC30, urls=(url,), member="mc/EN-MC-30.txt")
    message = str(fetch_error(entry("mc30", file)))
    assert "include links or devices; not extracted" in message
    assert files_under(home) == [] and not (tmp_path / "outside").exists()


def test_an_oversized_member_is_not_extracted(shared_goldsets, home, server, monkeypatch):
    from w2veval.goldsets import _fetch

    monkeypatch.setattr(_fetch, "MAX_MEMBER_BYTES", 100)
    url = server.add("/mc.zip", serve_bytes(zip_of({"EN-MC-30.txt": (shared_goldsets / MC30).read_bytes()})))
    file = real_file(shared_goldsets, MC30, urls=(url,), member="EN-MC-30.txt")
    message = str(fetch_error(entry("mc30", file)))
    assert "would unpack to 543 bytes, more than the 100" in message
    assert files_under(home) == []


def test_no_url_at_all(shared_goldsets, home):
    message = str(fetch_error(entry("rg65", real_file(shared_goldsets, RG65))))
    assert "the catalog lists no URL for it and W2VEVAL_MIRROR is not set" in message


def test_other_files_still_download_when_one_fails(shared_goldsets, home, mirror):
    good = entry("rg65", real_file(shared_goldsets, RG65))
    bad = entry("missing", CatalogFile("missing/none.txt", "1" * 64))
    error = fetch_error([good, bad])
    assert "'missing/none.txt'" in str(error) and "HTTP 404" in str(error)
    assert RG65 not in str(error)
    assert error.report.downloaded == {RG65: f"{mirror.url}/{RG65}"}
    assert error.report.complete == ["rg65"] and error.report.incomplete == ["missing"]
    assert_installed(shared_goldsets, home, RG65)

    report = fetch([good, bad], strict=False)
    assert not report.ok and report.present == [RG65]
    assert report.to_dict()["failed"][0]["attempts"][0]["outcome"] == "HTTP 404 File not found"
    assert [f for f in files_under(home) if not f.endswith(".lock")] == [str(Path("goldsets", RG65))]


# -- output ------------------------------------------------------------------------------------


def test_no_stray_output_and_poochs_logger_is_left_as_it_was(shared_goldsets, home, mirror, capfd, caplog):
    logger = pooch.get_logger()
    before = (list(logger.handlers), logger.propagate)
    with caplog.at_level(logging.DEBUG, logger="w2veval"):
        fetch(entry("rg65", real_file(shared_goldsets, RG65)))
    assert capfd.readouterr() == ("", "")
    assert (list(logger.handlers), logger.propagate) == before
    assert any("pooch:" in r.getMessage() for r in caplog.records)  # routed to logging


def test_progress_bar_on_stderr_only(shared_goldsets, home, mirror, capfd):
    fetch(entry("mc30", real_file(shared_goldsets, MC30)), progress=True)
    out, err = capfd.readouterr()
    assert out == ""
    assert MC30 in err


def test_the_cache_is_created_only_when_something_is_downloaded(shared_goldsets, home, mirror):
    file = real_file(shared_goldsets, RG65)
    os.makedirs(installed_path(file).parent)
    installed_path(file).write_bytes((shared_goldsets / RG65).read_bytes())
    report = fetch(entry("rg65", file))
    assert report.present == [RG65] and sum(mirror.hits.values()) == 0
    assert files_under(home) == [str(Path("goldsets", RG65))]  # no temporary folder left
