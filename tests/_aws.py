"""AWS for tests: moto in server mode on 127.0.0.1, the environment that points boto3 at it,
and BlazingText-layout model archives written from real gensim models."""

from __future__ import annotations

import io
import os
import tarfile
from contextlib import contextmanager
from pathlib import Path

# What a developer's own AWS set-up could leak into a test; removed while boto3 talks to moto.
_FOREIGN = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3")


@contextmanager
def moto_server():
    """A ThreadedMotoServer on a free loopback port; yields its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def aws_environment(endpoint: str, folder) -> dict[str, str]:
    """Variables that send boto3 (and subprocesses) to ``endpoint`` with fake credentials only."""
    folder = Path(folder)
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(folder / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-aws-credentials"),
    }


def use_aws(monkeypatch, folder, endpoint: str) -> dict[str, str]:
    """Set :func:`aws_environment` for one test (and drop the developer's profile); returns it."""
    env = aws_environment(endpoint, folder)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in _FOREIGN:
        monkeypatch.delenv(key, raising=False)
    return env


@contextmanager
def aws_env_vars(env: dict[str, str]):
    """:func:`aws_environment` for a module-scoped fixture (where monkeypatch is not available)."""
    old = {key: os.environ.get(key) for key in (*env, *_FOREIGN)}
    os.environ.update(env)
    for key in _FOREIGN:
        os.environ.pop(key, None)
    try:
        yield env
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def write_blazingtext_archive(folder, keyed_vectors) -> Path:
    """``vectors.txt``, ``vectors.bin`` and ``model.tar.gz`` (with ``eval.json``) as BlazingText
    writes them, from gensim ``KeyedVectors``; returns the folder."""
    folder = Path(folder)
    keyed_vectors.save_word2vec_format(str(folder / "vectors.txt"))
    keyed_vectors.save_word2vec_format(str(folder / "vectors.bin"), binary=True)
    with tarfile.open(folder / "model.tar.gz", "w:gz") as tar:
        for name in ("vectors.txt", "vectors.bin"):
            tar.add(folder / name, arcname=name)
        info = tarfile.TarInfo("eval.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"{}"))
    return folder
