"""Score a SageMaker BlazingText model, straight from its ``model.tar.gz``.

BlazingText's training job writes ``model.tar.gz`` (``vectors.txt``, ``vectors.bin``,
``eval.json``) to S3. Download it (``aws s3 cp s3://bucket/job/output/model.tar.gz .``)
or pass the ``s3://`` URL directly, then::

    python examples/score_blazingtext_model.py model.tar.gz [WS353 split folder]

w2veval reads ``vectors.txt`` out of the archive as a stream (nothing is extracted
to disk) and parses only the rows of the words the gold sets use.

Run without arguments, the script first builds a BlazingText-layout archive from a
word2vec model trained with gensim on gensim's small Lee corpus, so that it runs
end to end anywhere.
"""

from __future__ import annotations

import io
import json
import sys
import tarfile
import tempfile
from pathlib import Path

import w2veval


def build_example_archive(folder: Path) -> Path:
    """A model.tar.gz laid out as BlazingText writes it, from a real (small) model."""
    from gensim.models import Word2Vec
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
        sentences = [simple_preprocess(line) for line in fh]
    model = Word2Vec(sentences, vector_size=50, min_count=2, sg=1, epochs=10, seed=1, workers=1)
    model.wv.save_word2vec_format(folder / "vectors.txt")
    model.wv.save_word2vec_format(folder / "vectors.bin", binary=True)
    archive = folder / "model.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder / "vectors.txt", arcname="vectors.txt")
        tar.add(folder / "vectors.bin", arcname="vectors.bin")
        data = json.dumps({"mean_rho": None}).encode()
        info = tarfile.TarInfo("eval.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return archive


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = argv[0] if argv else str(build_example_archive(Path(tmp)))
        table = w2veval.evaluate(archive, ["ws353", "simlex999", "jobs-domain"])
        print(
            table[["goldset", "n_pairs", "n_scored", "coverage", "spearman", "pearson"]].to_string(
                index=False
            )
        )
        if len(argv) > 1:  # the folder holding EN-WS-353-{ALL,REL,SIM}.txt
            splits = [Path(argv[1]) / f"EN-WS-353-{part}.txt" for part in ("ALL", "REL", "SIM")]
            print(f"\nmean_rho (BlazingText's objective): {w2veval.mean_rho(archive, files=splits):.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
