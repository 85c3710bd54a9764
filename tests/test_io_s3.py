"""``s3://`` sources against a real local S3 endpoint: moto in server mode, over HTTP.

boto3 finds the endpoint the normal way (``AWS_ENDPOINT_URL``); nothing is mocked
in-process.
"""

from __future__ import annotations

import socket
import uuid

import boto3
import numpy as np
import pytest
from _aws import use_aws, write_blazingtext_archive
from gensim.models import KeyedVectors

from w2veval.errors import VectorSourceError
from w2veval.io import load_vectors


@pytest.fixture(scope="module")
def written(tmp_path_factory, w2v_model):
    """vectors.txt, vectors.bin and a BlazingText model.tar.gz, written from the model."""
    return write_blazingtext_archive(tmp_path_factory.mktemp("s3files"), w2v_model.wv)


def assert_rows_match(wv, kv, words=None):
    expected = [k for k in kv.index_to_key if words is None or k in set(words)]
    assert wv.words == expected
    assert wv.ranks.tolist() == [kv.key_to_index[k] for k in expected]
    for word, vector in zip(wv.words, wv.vectors, strict=True):
        np.testing.assert_array_equal(vector, kv[word])


@pytest.mark.parametrize(
    ("key", "local"),
    [
        ("vectors/vectors.txt", "vectors.txt"),
        ("vectors/vectors.bin", "vectors.bin"),
        ("output/job-1/output/model.tar.gz", "model.tar.gz"),
    ],
)
def test_load_from_s3(bucket, written, key, local):
    client, name = bucket
    client.upload_file(str(written / local), name, key)
    kv = KeyedVectors.load_word2vec_format(str(written / "vectors.txt"))
    wv = load_vectors(f"s3://{name}/{key}")
    assert_rows_match(wv, kv)
    expected_source = f"s3://{name}/{key}" + ("[vectors.txt]" if local.endswith(".tar.gz") else "")
    assert wv.source == expected_source
    words = [*kv.index_to_key[200:205], "notaword"]
    assert_rows_match(load_vectors(f"s3://{name}/{key}", words=words), kv, words=words)


def test_fasttext_bin_from_s3(bucket, tmp_path, fasttext_model):
    from gensim.models.fasttext import load_facebook_vectors, save_facebook_model

    client, name = bucket
    save_facebook_model(fasttext_model, str(tmp_path / "ft.bin"))
    client.upload_file(str(tmp_path / "ft.bin"), name, "ft.bin")
    kv = load_facebook_vectors(str(tmp_path / "ft.bin"))
    wv = load_vectors(f"s3://{name}/ft.bin")
    assert_rows_match(wv, kv)
    np.testing.assert_array_equal(wv["unseenword"], kv["unseenword"])


def test_missing_key(bucket):
    _, name = bucket
    url = f"s3://{name}/no/such/vectors.txt"
    with pytest.raises(VectorSourceError, match="no such key") as info:
        load_vectors(url)
    assert str(info.value).startswith(url)


def test_missing_bucket(bucket):
    url = f"s3://w2veval-missing-{uuid.uuid4().hex[:12]}/vectors.txt"
    with pytest.raises(VectorSourceError, match="no such bucket") as info:
        load_vectors(url)
    assert str(info.value).startswith(url)


def test_connection_refused(monkeypatch, tmp_path):
    with socket.socket() as sock:  # a port that nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    use_aws(monkeypatch, tmp_path, f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    url = "s3://somebucket/vectors.txt"
    with pytest.raises(VectorSourceError, match="cannot reach S3") as info:
        load_vectors(url)
    assert str(info.value).startswith(url)


@pytest.mark.parametrize("url", ["s3://", "s3://bucket-only", "s3://bucket-only/"])
def test_url_needs_bucket_and_key(url):
    with pytest.raises(VectorSourceError, match="bucket and a key"):
        load_vectors(url)


@pytest.fixture
def locked_object(moto_endpoint, monkeypatch, tmp_path, written):
    """An object, and credentials of an IAM user with no permissions, auth enforced."""
    import urllib.request

    def set_auth(count: str) -> None:
        request = urllib.request.Request(
            f"{moto_endpoint}/moto-api/reset-auth",
            data=count.encode(),
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        urllib.request.urlopen(request).close()

    use_aws(monkeypatch, tmp_path, moto_endpoint)
    set_auth("4")  # the four set-up calls below run before authorisation starts
    try:
        name = f"w2veval-{uuid.uuid4().hex[:12]}"
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=name)
        s3.upload_file(str(written / "vectors.txt"), name, "vectors.txt")
        iam = boto3.client("iam")
        user = f"nobody-{uuid.uuid4().hex[:8]}"
        iam.create_user(UserName=user)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        yield f"s3://{name}/vectors.txt"
    finally:
        set_auth("inf")


def test_access_denied(locked_object):
    with pytest.raises(VectorSourceError, match="access denied") as info:
        load_vectors(locked_object)
    assert str(info.value).startswith(locked_object)


def test_rejected_credentials(locked_object, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIANOSUCHKEY0000000")
    with pytest.raises(VectorSourceError, match="rejected the AWS credentials") as info:
        load_vectors(locked_object)
    assert str(info.value).startswith(locked_object)
