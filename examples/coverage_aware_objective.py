"""Why tune on a coverage-aware objective: a larger min_count can buy a better score.

Two real word2vec models, trained with gensim on gensim's Lee corpus (about 58,000
tokens of news text) with everything equal but ``min_count``, are scored on
WS-353 and SimLex-999 (the copies gensim ships, so nothing is downloaded):

- with ``oov="drop"`` (gensim's and BlazingText's rule) a pair with an unknown word is
  left out, so the model that knows fewer words is judged on fewer, easier pairs;
- with ``oov="coverage"`` each score is ``coverage × rho`` over the scored pairs, so
  leaving pairs out costs what it should.

Nothing is hard-coded: the numbers and the rankings printed are recomputed on each
run (a second or two per seed)::

    python examples/coverage_aware_objective.py [SEED ...]
"""

from __future__ import annotations

import warnings

from w2veval.objective import Objective

MIN_COUNTS = (1, 20)
"""The two vocabularies compared: every word, or the words seen at least 20 times."""
SETTINGS = {"vector_size": 32, "window": 2, "sg": 0, "sample": 0, "epochs": 10, "workers": 1}
"""Everything else, equal for both models (CBOW; one worker thread, so a seed fixes the model)."""
SEED = 1
GOLDSETS = ("ws353", "simlex999")
POLICIES = ("drop", "coverage")


def lee_sentences() -> list[list[str]]:
    """gensim's Lee background corpus, one tokenised document per line."""
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
        return [simple_preprocess(line) for line in fh]


def train(min_count: int, sentences, seed: int = SEED):
    from gensim.models import Word2Vec

    return Word2Vec(sentences, min_count=min_count, seed=seed, **SETTINGS)


def compare(min_counts=MIN_COUNTS, goldsets=GOLDSETS, seed: int = SEED, sentences=None) -> list[dict]:
    """One row per (min_count, OOV policy, gold set): vocabulary, pairs scored, score.

    Each gold set is a term of an :class:`~w2veval.objective.Objective` with that
    policy; the rows ``"objective (mean)"`` hold the objective's value (equal weights).
    """
    sentences = lee_sentences() if sentences is None else sentences
    rows = []
    for min_count in min_counts:
        vectors = train(min_count, sentences, seed).wv
        for oov in POLICIES:
            objective = Objective(terms=[(1.0, name) for name in goldsets], oov=oov)
            with warnings.catch_warnings():  # low coverage is the subject here, not news
                warnings.simplefilter("ignore")
                result = objective.evaluate(vectors)
            for row in result.rows:
                rows.append(
                    {
                        "min_count": min_count,
                        "vocabulary": len(vectors),
                        "oov": oov,
                        "goldset": row["goldset"],
                        "n_pairs": row["n_pairs"],
                        "n_scored": row["n_scored"],
                        "coverage": row["coverage"],
                        "spearman": row["spearman"],
                    }
                )
            rows.append(
                {
                    "min_count": min_count,
                    "vocabulary": len(vectors),
                    "oov": oov,
                    "goldset": "objective (mean)",
                    "n_pairs": None,
                    "n_scored": None,
                    "coverage": None,
                    "spearman": result.value,
                }
            )
    return rows


def rankings(rows) -> dict[str, dict[str, list[int]]]:
    """``{policy: {gold set: [min_count, best first]}}``."""
    out: dict[str, dict[str, list[int]]] = {}
    for oov in POLICIES:
        for goldset in dict.fromkeys(r["goldset"] for r in rows):
            scored = [r for r in rows if r["oov"] == oov and r["goldset"] == goldset]
            best_first = sorted(scored, key=lambda r: r["spearman"], reverse=True)
            out.setdefault(oov, {})[goldset] = [r["min_count"] for r in best_first]
    return out


def _cell(value, spec: str) -> str:
    return "" if value is None else format(value, spec)


def main(seeds: list[int]) -> None:
    sentences = lee_sentences()
    for seed in seeds:
        print(
            f"seed {seed}: word2vec CBOW, {SETTINGS['vector_size']} dims, window {SETTINGS['window']}, "
            f"{SETTINGS['epochs']} epochs, no down-sampling, on gensim's Lee corpus"
        )
        report(compare(seed=seed, sentences=sentences))
        print()


def report(rows) -> None:
    print(
        f"{'goldset':<17} {'min_count':>9} {'vocab':>6} {'scored':>11} {'coverage':>8} "
        f"{'drop':>7} {'coverage-aware':>14}"
    )
    by_key = {(r["goldset"], r["min_count"], r["oov"]): r for r in rows}
    for goldset in dict.fromkeys(r["goldset"] for r in rows):
        for min_count in MIN_COUNTS:
            drop, cov = by_key[(goldset, min_count, "drop")], by_key[(goldset, min_count, "coverage")]
            scored = "" if drop["n_scored"] is None else f"{drop['n_scored']}/{drop['n_pairs']}"
            print(
                f"{goldset:<17} {min_count:>9} {drop['vocabulary']:>6} {scored:>11} "
                f"{_cell(drop['coverage'], '.3f'):>8} {drop['spearman']:>+7.3f} {cov['spearman']:>+14.3f}"
            )
    print()
    ranked = rankings(rows)
    for goldset in ranked["drop"]:
        drop, cov = ranked["drop"][goldset], ranked["coverage"][goldset]
        verdict = "DIFFERENT" if drop != cov else "same"
        print(f"best min_count on {goldset:<17} drop: {drop[0]:>2}   coverage: {cov[0]:>2}   ({verdict})")


if __name__ == "__main__":
    import sys

    main([int(seed) for seed in sys.argv[1:]] or [SEED])
