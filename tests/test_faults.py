"""Faults: S3 through a fault-injecting proxy, a download killed midway, SIGTERM to the job.

S3 runs on a real moto server; :mod:`_faulty_proxy` sits between boto3
(``AWS_ENDPOINT_URL``) and moto and refuses, stalls, answers 500 or cuts bodies short.
Each fault must end either in the right vectors (checked against gensim's own reader)
after a retry or resume, or in a :class:`VectorSourceError` that names the ``s3://``
URL and says what to do. Gold-set download faults over HTTP (refused, timeout, 500,
truncated, wrong checksum) are in test_fetch.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import numpy as np
import pytest
from _aws import use_aws, write_blazingtext_archive
from _faulty_proxy import FaultyProxy, closed_port_url
from gensim.models import KeyedVectors

from w2veval.errors import VectorSourceError, W2VEvalError
from w2veval.io import load_vectors
from w2veval.io._s3 import S3_RESUMES

REPO = Path(__file__).resolve().parents[1]


# -- S3 ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory, w2v_model):
    """vectors.txt, vectors.bin and a BlazingText model.tar.gz from the trained model."""
    return write_blazingtext_archive(tmp_path_factory.mktemp("vectors"), w2v_model.wv)


@pytest.fixture(scope="module")
def oracle(written) -> KeyedVectors:
    return KeyedVectors.load_word2vec_format(str(written / "vectors.txt"))


def aws_env(monkeypatch, tmp_path, endpoint: str) -> None:
    use_aws(monkeypatch, tmp_path, endpoint)
    monkeypatch.setenv("W2VEVAL_S3_TIMEOUT", "0.5")  # no test waits long for a stalled server
    for name in ("AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def s3(moto_endpoint, written, monkeypatch, tmp_path):
    """A bucket on moto holding the vectors, and boto3 pointed at a faulty proxy in front of it."""
    aws_env(monkeypatch, tmp_path, moto_endpoint)
    bucket = f"w2veval-{uuid.uuid4().hex[:12]}"
    direct = boto3.client("s3", endpoint_url=moto_endpoint)
    direct.create_bucket(Bucket=bucket)
    for name in ("vectors.txt", "vectors.bin", "model.tar.gz"):
        direct.upload_file(str(written / name), bucket, name)
    with FaultyProxy(moto_endpoint) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        proxy.bucket, proxy.direct = bucket, direct
        yield proxy


def assert_same_vectors(wv, kv: KeyedVectors) -> None:
    assert wv.words == kv.index_to_key
    np.testing.assert_array_equal(wv.vectors, kv.vectors)


def s3_error(url: str) -> str:
    with pytest.raises(VectorSourceError) as info:
        load_vectors(url)
    error = info.value
    assert isinstance(error, W2VEvalError) and isinstance(error, OSError)
    message = str(error)
    assert message.startswith(url + ": ")
    assert "\n" not in message
    return message


def test_s3_500_once_is_retried_by_botocore(s3, oracle):
    s3.inject("500")
    assert_same_vectors(load_vectors(f"s3://{s3.bucket}/vectors.txt"), oracle)
    assert s3.faults == ["500"] and s3.count()[f"/{s3.bucket}/vectors.txt"] == 2


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_s3_500_every_time_ends_in_an_error_that_says_to_retry_later(s3, monkeypatch, mode):
    monkeypatch.setenv("AWS_RETRY_MODE", mode)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    s3.inject("500", times=None)
    message = s3_error(f"s3://{s3.bucket}/vectors.txt")
    assert "S3 answered InternalError" in message and "(2 attempts)" in message
    assert "try again later" in message and "AWS_MAX_ATTEMPTS" in message
    assert s3.count()[f"/{s3.bucket}/vectors.txt"] == 2


def test_s3_connection_refused_says_what_to_check(s3, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed_port_url())
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    message = s3_error(f"s3://{s3.bucket}/vectors.txt")
    assert "cannot reach S3: Could not connect to the endpoint URL" in message
    assert "AWS_ENDPOINT_URL" in message and "try again" in message


def test_s3_no_answer_times_out_after_botocores_retries(s3, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("W2VEVAL_S3_TIMEOUT", "0.3")
    s3.inject("stall", times=None)
    message = s3_error(f"s3://{s3.bucket}/vectors.txt")
    assert "no answer within 0.3 s" in message and "W2VEVAL_S3_TIMEOUT=<seconds>" in message
    assert s3.faults == ["stall", "stall"]


def test_s3_no_answer_once_then_success(s3, oracle):
    s3.inject("stall")
    assert_same_vectors(load_vectors(f"s3://{s3.bucket}/vectors.txt"), oracle)
    assert s3.faults == ["stall"] and s3.count()[f"/{s3.bucket}/vectors.txt"] == 2


@pytest.mark.parametrize("key", ["vectors.txt", "vectors.bin", "model.tar.gz"])
@pytest.mark.parametrize(("fault", "delivered"), [("cut", 5000), ("stall-body", 0)])
def test_s3_body_that_breaks_off_is_resumed_where_it_stopped(s3, oracle, key, fault, delivered):
    s3.inject(fault, keep=5000)
    assert_same_vectors(load_vectors(f"s3://{s3.bucket}/{key}"), oracle)
    first, second = s3.requests
    assert (first.fault, first.range) == (fault, None)
    # A cut body hands over the 5000 bytes before the close; a stalled read times out with
    # them still in urllib3's buffer, so the resume starts at the last byte w2veval got.
    assert (second.fault, second.range) == (None, f"bytes={delivered}-")


def test_s3_body_cut_every_time_ends_in_an_error(s3, written):
    s3.inject("cut", times=None, keep=3000)
    url = f"s3://{s3.bucket}/vectors.txt"
    message = s3_error(url)
    size = (written / "vectors.txt").stat().st_size
    assert f"the connection broke after {3000 * (S3_RESUMES + 1):,} of {size:,} bytes" in message
    assert f"{S3_RESUMES} resumed requests did not finish it" in message and "try again later" in message
    assert [r.range for r in s3.requests] == [None] + [f"bytes={3000 * i}-" for i in range(1, S3_RESUMES + 1)]


@pytest.mark.parametrize("key", ["vectors.txt", "vectors.bin"])
def test_s3_bytes_damaged_on_the_way_fail_the_objects_checksum(s3, key):
    head = s3.direct.head_object(Bucket=s3.bucket, Key=key, ChecksumMode="ENABLED")
    assert head.get("ChecksumCRC32")  # boto3 stored a CRC32 with the upload
    s3.inject("corrupt", keep=3000)
    message = s3_error(f"s3://{s3.bucket}/{key}")
    assert "the bytes received do not match the object's checksum" in message
    assert "damaged on the way; load it again" in message
    assert s3.faults == ["corrupt"]


def test_s3_object_replaced_while_resuming_is_not_mixed(s3, written):
    def replace():
        s3.direct.put_object(Bucket=s3.bucket, Key="vectors.txt", Body=b"1 2\nnew 0.5 0.5\n")

    s3.inject("cut", keep=4000, then=replace)
    message = s3_error(f"s3://{s3.bucket}/vectors.txt")
    assert "the object changed while it was being read" in message and "load it again" in message


def test_s3_without_credentials_says_where_boto3_looks(s3, monkeypatch):
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance role lookup off this machine
    message = s3_error(f"s3://{s3.bucket}/vectors.txt")
    assert "no AWS credentials found" in message and "AWS_ACCESS_KEY_ID" in message
    assert s3.requests == []


def test_s3_bad_timeout_setting_is_named(s3, monkeypatch):
    monkeypatch.setenv("W2VEVAL_S3_TIMEOUT", "soon")
    message = s3_error(f"s3://{s3.bucket}/vectors.txt")
    assert "W2VEVAL_S3_TIMEOUT='soon' is not a positive number of seconds" in message


def test_s3_fault_on_the_command_line_is_one_line_and_exit_2(s3, w2veval_cli):
    s3.inject("500", times=None)
    url = f"s3://{s3.bucket}/vectors.txt"
    done = w2veval_cli("score", url, "-g", "ws353", "--no-progress", env={"AWS_MAX_ATTEMPTS": "1"})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"w2veval: error: {url}: S3 answered InternalError")


# -- SIGTERM to the SageMaker job ----------------------------------------------------------------


def test_sigterm_stops_training_within_seconds_and_leaves_a_reason(tmp_path):
    """StopTrainingJob sends SIGTERM (SIGKILL follows): the job must stop, saying why."""
    import threading

    from gensim.test.utils import datapath

    root = tmp_path / "ml"
    (root / "input" / "config").mkdir(parents=True)
    hyperparameters = {
        "mode": "skipgram",
        "vector_dim": "50",
        "epochs": "100000",
        "min_count": "2",
        "evaluation": "false",
        "objective": "1*ws353",
    }  # hours of training if not stopped
    (root / "input" / "config" / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    train = root / "input" / "data" / "train"
    train.mkdir(parents=True)
    (train / "lee.txt").write_text(
        Path(datapath("lee_background.cor")).read_text(encoding="utf-8") * 3, encoding="utf-8"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "w2veval.sagemaker.job", "train", "--ml-root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, W2VEVAL_HOME=str(tmp_path / "home")),
    )
    guard = threading.Timer(300, proc.kill)  # never hang the suite, whatever happens
    guard.start()
    try:
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if line.startswith("w2veval: training 100000 epochs"):
                break
        else:
            pytest.fail(f"the job ended before training started: {''.join(seen)}")
        time.sleep(0.5)  # well inside gensim's training loop (not an assertion on speed)
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("the job was still running 20 s after SIGTERM")
    finally:
        guard.cancel()

    assert proc.returncode == 128 + signal.SIGTERM
    failure = (root / "output" / "failure").read_text(encoding="utf-8")
    assert failure.count("\n") == 1
    assert failure.startswith("stopped by SIGTERM while training (StopTrainingJob")
    # Epochs that finished before the signal print their metric lines (a fast machine gets one in).
    said = [line for line in err.splitlines() if not line.startswith("w2veval: epoch ")]
    assert "Traceback" not in err and said == [f"w2veval: error: {failure.strip()}"]
    model = root / "model"
    assert not model.exists() or sorted(p.name for p in model.iterdir()) == []


def _write_half_then_stop(atomic_path, target):
    with atomic_path(target) as part:
        part.write_text('{"half": ')
        raise KeyboardInterrupt  # what a stop in mid-write looks like to the writer


def test_artifacts_appear_only_complete(tmp_path, w2v_model):
    from w2veval.sagemaker._train import atomic_path, write_vectors

    target = tmp_path / "eval.json"
    with pytest.raises(KeyboardInterrupt):
        _write_half_then_stop(atomic_path, target)
    assert list(tmp_path.iterdir()) == []

    paths = write_vectors(w2v_model, tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["vectors.bin", "vectors.txt"]
    from gensim.models.fasttext import load_facebook_vectors  # vectors.bin is fastText's, as BlazingText's

    for kv in (
        KeyedVectors.load_word2vec_format(str(paths["text"])),
        load_facebook_vectors(str(paths["binary"])),
    ):
        assert kv.index_to_key == w2v_model.wv.index_to_key


# -- a gold-set download killed midway -----------------------------------------------------------

_FETCH_MEN = "from w2veval import goldsets; goldsets.fetch(['men'])"


def test_a_download_killed_midway_leaves_nothing_at_the_final_path_and_is_cleared(
    shared_goldsets, tmp_path, monkeypatch
):
    import threading

    from _http import LocalServer

    from w2veval import goldsets
    from w2veval.goldsets._cache import installed_path

    home = tmp_path / "home"
    file = goldsets.entry("men").files[0]
    data = (shared_goldsets / file.path).read_bytes()  # about 70 kB: enough to reach the disk
    release = threading.Event()

    def half_then_hang(request):
        request.send_response(200)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data[: len(data) // 2])
        request.wfile.flush()
        release.wait(120)

    env = dict(
        os.environ,
        W2VEVAL_HOME=str(home),
        W2VEVAL_MIRROR_ONLY="1",
        NO_PROXY="127.0.0.1",
        no_proxy="127.0.0.1",
    )
    with LocalServer() as server:
        server.add("/" + file.path, half_then_hang)
        worker = subprocess.Popen(
            [sys.executable, "-c", _FETCH_MEN],
            env=dict(env, W2VEVAL_MIRROR=server.url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            partial = []
            for _ in range(2400):  # until the half that was sent sits in the cache (at most 2 min)
                partial = [p for p in home.glob(".fetch-*/**/*") if p.is_file() and p.stat().st_size > 0]
                if partial or worker.poll() is not None:
                    break
                time.sleep(0.05)
            assert partial, "the download never reached the cache"
        finally:
            worker.kill()  # kill -9: no clean-up of its own
            worker.wait()
            release.set()

    # Nothing half-written in place (the cache folder itself is made when fetch checks it can write).
    assert not [p for p in (home / "goldsets").rglob("*") if not p.is_dir()]
    assert any(p.is_dir() for p in home.glob(".fetch-*"))  # what the killed process left behind

    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    monkeypatch.setenv("W2VEVAL_MIRROR_ONLY", "1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with LocalServer(shared_goldsets) as mirror:
        monkeypatch.setenv("W2VEVAL_MIRROR", mirror.url)
        report = goldsets.fetch(["men"])
    assert report.downloaded == {file.path: f"{mirror.url}/{file.path}"}
    assert installed_path(file).read_bytes() == data
    assert sorted(p.name for p in home.iterdir()) == ["goldsets"]  # the dead download is gone
