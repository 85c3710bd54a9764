"""The training job's corpus check: compressed, UTF-16/32 and invalid UTF-8 corpora (issue 12, 3).

Every file is a real corpus (gensim's Lee corpus) written the way users hand them over:
compressed by Python's own gzip/bz2/xz, encoded by Python's codecs.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import zipfile
from pathlib import Path

import pytest
from test_sagemaker_job import FAST, METRIC, _job, _tree

from w2veval.sagemaker._corpus import MAX_INVALID_FRACTION, CorpusError, open_lines
from w2veval.sagemaker._train import Corpus, TrainingError


@pytest.fixture(scope="module")
def lee_text() -> str:
    from gensim.test.utils import datapath

    text = Path(datapath("lee_background.cor")).read_text(encoding="utf-8")
    return text if text.endswith("\n") else text + "\n"  # 300 lines, each ending in a newline


def _tokens(text: str) -> list[list[str]]:
    """The oracle: the text's lines split on white space, empty lines dropped."""
    return [line.split() for line in text.splitlines() if line.split()]


def _german(lee_text: str) -> str:
    """The Lee corpus with a German sentence every tenth line: non-ASCII text."""
    lines = lee_text.splitlines()
    for i in range(0, len(lines), 10):
        lines[i] += " die straße in münchen ist größer"
    return "\n".join(lines) + "\n"


# --- in process: how files are read ---------------------------------------------------------


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_corpus_reads_as_its_text_whatever_its_name(tmp_path, lee_text, compress):
    path = tmp_path / "lee.txt"  # no .gz/.bz2/.xz: told by the magic bytes
    path.write_bytes(compress(lee_text.encode("utf-8")))
    corpus = Corpus(path)
    assert list(corpus) == _tokens(lee_text)
    assert corpus.stats.invalid == 0 and corpus.stats.lines == lee_text.count("\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_byte_order_mark_decides_the_encoding(tmp_path, lee_text, encoding):
    text = _german(lee_text)
    data = text.encode(encoding)
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }.get(encoding, b"")
    (tmp_path / "c.txt").write_bytes(bom + data)
    corpus = Corpus(tmp_path)
    assert list(corpus) == _tokens(text)  # no '\ufeff' glued to the first word
    assert corpus.stats.invalid == 0
    assert corpus.stats.check() is None


def test_gzip_of_utf16_is_decompressed_then_decoded(tmp_path, lee_text):
    text = _german(lee_text)
    (tmp_path / "c").write_bytes(gzip.compress(text.encode("utf-16")))
    corpus = Corpus(tmp_path)
    assert list(corpus) == _tokens(text)
    assert corpus.stats.notes == ["c: gzip utf-16"]


def test_latin1_corpus_fails_naming_file_and_first_bad_line(tmp_path, lee_text):
    path = tmp_path / "german.txt"
    path.write_bytes(_german(lee_text).encode("latin-1"))
    corpus = Corpus(tmp_path)
    tokens = list(corpus)
    assert "stra\ufffde" in tokens[0]  # what used to train silently
    with pytest.raises(CorpusError) as info:
        corpus.stats.check()
    message = str(info.value)
    assert f"{path}, line 1" in message
    assert f"30 of {lee_text.count(chr(10))} lines" in message and "iconv" in message


def test_one_bad_line_among_many_is_a_warning_with_the_count(tmp_path, lee_text):
    lines = (lee_text * 4).splitlines(keepends=True)
    assert len(lines) > 1 / MAX_INVALID_FRACTION
    data = [line.encode() for line in lines]
    data[777] = data[777].replace(b" the ", b" th\xe9 ", 1)  # one Latin-1 byte
    (tmp_path / "c.txt").write_bytes(b"".join(data))
    corpus = Corpus(tmp_path)
    list(corpus)
    warning = corpus.stats.check()
    assert warning.startswith(f"1 of {len(lines):,} lines (0.08%) of the corpus are invalid UTF-8")
    assert "c.txt, line 778" in warning


def test_over_the_threshold_fails(tmp_path, lee_text):
    lines = (lee_text * 4).splitlines(keepends=True)
    data = [line.encode() for line in lines]
    for i in (5, 50):  # 2 of 1,200 lines: above 0.1%
        data[i] = b"\xff" + data[i]
    (tmp_path / "c.txt").write_bytes(b"".join(data))
    corpus = Corpus(tmp_path)
    list(corpus)
    with pytest.raises(CorpusError, match="line 6"):
        corpus.stats.check()


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda text, path: path.write_bytes(text.encode("utf-16-le")), "NUL byte"),  # no mark
        (lambda text, path: zipfile.ZipFile(path, "w").writestr("lee.txt", text), "zip archive"),
        (lambda text, path: path.write_bytes(gzip.compress(text.encode())[:300]), "is damaged gzip"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, lee_text, make, reason):
    path = tmp_path / "c.txt"
    make(lee_text, path)
    with pytest.raises(CorpusError, match=reason) as info:
        list(open_lines(path))
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_training_checks_the_corpus_before_training(tmp_path, lee_text):
    from w2veval.sagemaker._hyperparameters import Hyperparameters
    from w2veval.sagemaker._train import train_model

    (tmp_path / "c.txt").write_bytes(_german(lee_text).encode("latin-1"))
    said = []
    hp = Hyperparameters.from_strings(dict(FAST, epochs="1"))
    with pytest.raises(CorpusError, match="not UTF-8 text"):
        train_model(
            Corpus(tmp_path),
            hp,
            workers=1,
            log=said.append,
            on_epoch=lambda *a: pytest.fail("training started"),
        )
    assert not any("training" in line for line in said)
    assert issubclass(CorpusError, ValueError) and not issubclass(CorpusError, TrainingError)


# --- the job, as SageMaker runs it ------------------------------------------------------------


def _corpus_job(goldsets_home, tmp_path, files: dict[str, bytes]):
    root = _tree(tmp_path / "ml", dict(FAST, evaluation="false", objective="1*ws353"), corpus=False)
    train = root / "input" / "data" / "train"
    train.mkdir(parents=True)
    for name, data in files.items():
        (train / name).write_bytes(data)
    return root, _job(root, goldsets_home, env={"W2VEVAL_WORKERS": "1"})


def test_job_on_a_latin1_corpus_fails_before_training(goldsets_home, tmp_path, lee_text):
    root, proc = _corpus_job(goldsets_home, tmp_path, {"german.txt": _german(lee_text).encode("latin-1")})
    assert proc.returncode == 2
    failure = (root / "output" / "failure").read_text()
    assert "not UTF-8 text" in failure and "german.txt, line 1" in failure
    assert "training 2 epochs" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert not (root / "model").exists()  # the job made it and took it back


def test_job_on_gzip_trains_what_the_plain_corpus_trains(goldsets_home, tmp_path, lee_text):
    plain_root, plain = _corpus_job(goldsets_home, tmp_path / "plain", {"lee.txt": lee_text.encode()})
    root, proc = _corpus_job(goldsets_home, tmp_path / "gz", {"lee.txt.gz": gzip.compress(lee_text.encode())})
    assert plain.returncode == 0 and proc.returncode == 0, proc.stderr
    assert "read lee.txt.gz: gzip utf-8" in proc.stderr
    # one worker: the same vectors, so the same metric lines
    assert METRIC.findall(proc.stdout) == METRIC.findall(plain.stdout)
    assert (root / "model" / "vectors.txt").read_bytes() == (
        plain_root / "model" / "vectors.txt"
    ).read_bytes()


def test_job_warns_about_one_bad_line_and_trains(goldsets_home, tmp_path, lee_text):
    data = (lee_text * 4).encode()
    at = data.index(b" the ", 100_000)
    data = data[:at] + b" th\xe9 " + data[at + 5 :]
    bad_line = data[:at].count(b"\n") + 1
    root, proc = _corpus_job(goldsets_home, tmp_path, {"lee.txt": data})
    assert proc.returncode == 0, proc.stderr
    assert "warning: 1 of 1,200 lines (0.08%) of the corpus are invalid UTF-8 (the first in " in proc.stderr
    assert f"lee.txt, line {bad_line})" in proc.stderr
    assert (root / "model" / "vectors.bin").exists()
