"""Training BlazingText-style word vectors with gensim, in the SageMaker container."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..errors import W2VEvalError
from ._corpus import CorpusError, CorpusStats, open_lines

__all__ = [
    "Corpus",
    "CorpusError",
    "TrainingError",
    "atomic_path",
    "train_model",
    "train_vectors",
    "write_vectors",
]


class TrainingError(W2VEvalError, ValueError):
    """The corpus cannot train a model (empty, or no word reaches ``min_count``)."""


class Corpus:
    """Every non-hidden file under a channel folder (or one file), one sentence per line, streamed.

    Like BlazingText, the text is expected already tokenised: tokens are split on
    white space and used as they are. The local tuner (:mod:`w2veval.tune`) passes a file.
    Files are read by :func:`~._corpus.open_lines`: gzip/bzip2/xz decompressed, UTF-16/32
    with a byte-order mark decoded, invalid UTF-8 lines counted into :attr:`stats`
    (the counts of the last complete pass).
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.stats: CorpusStats | None = None  # set by each complete pass
        if self.folder.is_file():
            self.files = [self.folder]
            return
        if not self.folder.is_dir():
            raise TrainingError(f"the train channel {self.folder} is not a folder")
        self.files = sorted(
            p
            for p in self.folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(self.folder).parts)
        )
        if not self.files:
            raise TrainingError(f"the train channel {self.folder} holds no files")

    def __iter__(self):
        stats = CorpusStats()
        for path in self.files:
            for line in open_lines(path, stats):
                tokens = line.split()
                if tokens:
                    yield tokens
        self.stats = stats

    def is_empty(self) -> bool:
        return next(iter(self), None) is None


def train_model(
    corpus: Corpus, hyperparameters, *, workers: int | None = None, seed: int = 1, log=None, on_epoch=None
):
    """Train gensim ``Word2Vec`` (``FastText`` when ``subwords``) and return the model.

    Parameters
    ----------
    corpus : Corpus
    hyperparameters : Hyperparameters
    workers : int, optional
        gensim worker threads (default: every CPU).
    seed : int, default 1
    log : callable, optional
        ``log(message)`` is told how the corpus was read (decompressed, decoded,
        invalid UTF-8 below the threshold) and when training starts.
    on_epoch : callable, optional
        ``on_epoch(epoch, wv)`` after every epoch (1-based), with the model's current
        word vectors (for FastText, recomposed from the current n-gram vectors).

    Raises
    ------
    TrainingError
        An empty corpus, or no word reaching ``min_count``.
    CorpusError
        A corpus file that is not text, or more invalid UTF-8 than allowed
        (checked after the vocabulary scan, before training).
    """
    from gensim.models import FastText, Word2Vec

    if corpus.is_empty():
        raise TrainingError(
            f"the corpus in {corpus.folder} is empty (no tokens in {len(corpus.files)} file(s))"
        )
    model_class = FastText if hyperparameters.subwords else Word2Vec
    model = model_class(workers=workers or os.cpu_count() or 1, seed=seed, **hyperparameters.gensim_options())
    model.build_vocab(corpus)  # a full pass: corpus.stats now counts its lines
    _check_corpus(corpus, log)
    if len(model.wv) == 0:
        raise TrainingError(
            f"no word occurs at least min_count={hyperparameters.min_count} times "
            f"in the corpus; lower min_count"
        )
    if log is not None:
        log(
            f"training {model.epochs} epochs on {model.corpus_count:,} sentences, "
            f"{len(model.wv):,} words in the vocabulary"
        )
    callbacks = [_epoch_callback(on_epoch)] if on_epoch is not None else []
    model.train(corpus, total_examples=model.corpus_count, epochs=model.epochs, callbacks=callbacks)
    return model


def train_vectors(
    corpus: Corpus, hyperparameters, *, workers: int | None = None, seed: int = 1, log=None, on_epoch=None
):
    """Train as :func:`train_model` does and return the model's KeyedVectors."""
    return train_model(corpus, hyperparameters, workers=workers, seed=seed, log=log, on_epoch=on_epoch).wv


def _check_corpus(corpus: Corpus, log) -> None:
    stats = corpus.stats
    if stats is None:
        return
    warning = stats.check()  # raises CorpusError above the threshold
    if log is not None:
        if stats.notes:
            log("read " + "; ".join(stats.notes[:5]) + (" ..." if len(stats.notes) > 5 else ""))
        if warning:
            log(f"warning: {warning}")


def _epoch_callback(on_epoch):
    """A gensim callback calling ``on_epoch(epoch, wv)`` after each epoch, the vectors made current.

    Built here so that importing this module does not import gensim.
    """
    from gensim.models.callbacks import CallbackAny2Vec

    class EpochCallback(CallbackAny2Vec):
        def __init__(self):
            self.epoch = 0

        def on_epoch_end(self, model):
            self.epoch += 1
            if hasattr(model.wv, "adjust_vectors"):
                model.wv.adjust_vectors()  # FastText: word vectors from the current n-gram vectors
            on_epoch(self.epoch, model.wv)

    return EpochCallback()


def write_vectors(model, folder: str | os.PathLike) -> dict[str, Path]:
    """Write ``vectors.txt`` (word2vec text) and ``vectors.bin`` (fastText binary), as BlazingText does.

    ``vectors.bin`` is written by gensim's ``save_facebook_model``: with ``subwords`` the
    trained FastText model with its n-gram buckets (out-of-vocabulary words get n-gram
    vectors); without, a FastText model with no n-grams (``bucket`` 0, ``maxn`` 0)
    holding the Word2Vec word vectors and output layer unchanged. Each file is written
    beside its final name and renamed into place when complete.

    Parameters
    ----------
    model : gensim Word2Vec or FastText model
    folder : path
    """
    from gensim.models.fasttext import save_facebook_model

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"text": folder / "vectors.txt", "binary": folder / "vectors.bin"}
    with atomic_path(paths["text"]) as part:
        model.wv.save_word2vec_format(os.fspath(part), binary=False)
    with atomic_path(paths["binary"]) as part:
        save_facebook_model(_as_fasttext(model), os.fspath(part))
    return paths


def _as_fasttext(model):
    """``model`` itself if it is a FastText model, else a FastText model without n-grams
    holding the Word2Vec model's vocabulary, counts, word vectors and output layer."""
    import numpy as np
    from gensim.models import FastText
    from gensim.models.fasttext import FastTextKeyedVectors

    if isinstance(model, FastText):
        return model
    source = model.wv
    fasttext = FastText(
        vector_size=model.vector_size,
        window=model.window,
        min_count=model.min_count,
        sample=model.sample,
        sg=model.sg,
        hs=model.hs,
        negative=model.negative,
        epochs=model.epochs,
        alpha=model.alpha,
        min_n=1,
        max_n=0,
        bucket=0,
    )
    wv = FastTextKeyedVectors(model.vector_size, 1, 0, 0)
    wv.index_to_key = list(source.index_to_key)
    wv.key_to_index = dict(source.key_to_index)
    wv.expandos = {name: np.array(values) for name, values in source.expandos.items()}
    wv.vectors_vocab = np.array(source.vectors, dtype=np.float32)
    wv.vectors_ngrams = np.zeros((0, model.vector_size), dtype=np.float32)
    wv.buckets_word = [np.zeros(0, dtype=np.uint32) for _ in wv.index_to_key]
    wv.adjust_vectors()
    fasttext.wv = wv
    fasttext.corpus_total_words = model.corpus_total_words
    if model.hs:
        fasttext.syn1 = model.syn1
    if model.negative:
        fasttext.syn1neg = model.syn1neg
    return fasttext


@contextlib.contextmanager
def atomic_path(path: Path):
    """A temporary path beside ``path``, renamed to it if the block completes, else removed."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")  # no .gz: gensim must not compress
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
