"""A third-party evaluator: for gold sets named ``toy-*``, reports how many pairs
have both words in the vocabulary, and the share of pairs whose words are equal."""


class OverlapEvaluator:
    name = "toy-overlap"

    def accepts(self, goldset):
        return goldset.name.startswith("toy-")

    def evaluate(self, vectors, goldset, **options):
        known = [a in vectors and b in vectors for a, b in zip(goldset.word1, goldset.word2, strict=True)]
        n_pairs, n_scored = len(known), sum(known)
        return {
            "n_pairs": n_pairs,
            "n_scored": n_scored,
            "coverage": n_scored / n_pairs,
            "toy_identical_share": sum(a == b for a, b in zip(goldset.word1, goldset.word2, strict=True))
            / n_pairs,
        }
