"""Training BlazingText-style word vectors with gensim, in the SageMaker container."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..errors import W2VEvalError

__all__ = ["TrainingError", "Corpus", "train_vectors", "write_vectors", "atomic_path"]


class TrainingError(W2VEvalError, ValueError):
    """The corpus cannot train a model (empty, or no word reaches ``min_count``)."""


class Corpus:
    """Every non-hidden file under a channel folder (or one file), one sentence per line, streamed.

    Like BlazingText, the text is expected already tokenised: tokens are split on
    white space and used as they are. The local tuner (:mod:`w2veval.tune`) passes a file.
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        if self.folder.is_file():
            self.files = [self.folder]
            return
        if not self.folder.is_dir():
            raise TrainingError(f"the train channel {self.folder} is not a folder")
        self.files = sorted(p for p in self.folder.rglob("*")
                            if p.is_file() and not any(part.startswith(".")
                                                       for part in p.relative_to(self.folder).parts))
        if not self.files:
            raise TrainingError(f"the train channel {self.folder} holds no files")

    def __iter__(self):
        for path in self.files:
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    tokens = line.split()
                    if tokens:
                        yield tokens

    def is_empty(self) -> bool:
        return next(iter(self), None) is None


def train_vectors(corpus: Corpus, hyperparameters, *, workers: int | None = None, seed: int = 1,
                  log=None):
    """Train gensim ``Word2Vec`` (``FastText`` when ``subwords``) and return its KeyedVectors.

    ``log(message)``, when given, is told when the vocabulary is built and training starts.
    """
    from gensim.models import FastText, Word2Vec

    if corpus.is_empty():
        raise TrainingError(f"the corpus in {corpus.folder} is empty (no tokens in "
                            f"{len(corpus.files)} file(s))")
    model_class = FastText if hyperparameters.subwords else Word2Vec
    model = model_class(workers=workers or os.cpu_count() or 1, seed=seed,
                        **hyperparameters.gensim_options())
    model.build_vocab(corpus)
    if len(model.wv) == 0:
        raise TrainingError(f"no word occurs at least min_count={hyperparameters.min_count} times "
                            f"in the corpus; lower min_count")
    if log is not None:
        log(f"training {model.epochs} epochs on {model.corpus_count:,} sentences, "
            f"{len(model.wv):,} words in the vocabulary")
    model.train(corpus, total_examples=model.corpus_count, epochs=model.epochs)
    return model.wv


def write_vectors(wv, folder: str | os.PathLike) -> dict[str, Path]:
    """Write ``vectors.txt`` (word2vec text) and ``vectors.bin`` (word2vec binary).

    Each file is written beside its final name and renamed into place when complete,
    so a job stopped midway (SIGTERM) never leaves a half-written artifact.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"text": folder / "vectors.txt", "binary": folder / "vectors.bin"}
    for kind, path in paths.items():
        with atomic_path(path) as part:
            wv.save_word2vec_format(os.fspath(part), binary=kind == "binary")
    return paths


@contextlib.contextmanager
def atomic_path(path: Path):
    """A temporary path beside ``path``, renamed to it if the block completes, else removed."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")  # no .gz: gensim must not compress
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
