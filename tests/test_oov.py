"""OOV policies on really trained vectors, each checked against an independent computation."""

import gzip
import math
import tarfile
import warnings

import numpy as np
import pytest
from gensim.test.utils import datapath

from w2veval import GoldSet, W2VEvalError, evaluate, load_vectors
from w2veval.goldsets import load
from w2veval.io._mean import mean_vector
from w2veval.scoring._pairs import OOV_POLICIES, UnreliableScoreWarning, WordPairEvaluator

GENSIM_FILES = {"ws353": "wordsim353.tsv", "simlex999": "simlex999.txt"}


@pytest.fixture(autouse=True)
def _quiet():
    """The Lee corpus covers ws353 and simlex999 badly: the coverage warnings are expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableScoreWarning)
        yield


@pytest.fixture(scope="module")
def vector_files(tmp_path_factory, w2v_model):
    folder = tmp_path_factory.mktemp("oov")
    text, binary = folder / "vectors.txt", folder / "vectors.bin"
    w2v_model.wv.save_word2vec_format(text)
    w2v_model.wv.save_word2vec_format(binary, binary=True)
    gz = folder / "vectors.txt.gz"
    gz.write_bytes(gzip.compress(text.read_bytes()))
    archive = folder / "model.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(binary, arcname="vectors.txt")  # BlazingText names its binary vectors.txt too
    return {"text": text, "binary": binary, "gzip": gz, "tar": archive}


def _gensim_pairs(kv, goldset):
    """(human, gensim similarity or None) per pair, words lower-cased as gensim's case_insensitive."""
    out = []
    for a, b, score in goldset.pairs:
        a, b = a.lower(), b.lower()
        known = a in kv.key_to_index and b in kv.key_to_index
        out.append((score, a, b, known))
    return out


# --- zero ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["w2v_model", "cbow_model"])
@pytest.mark.parametrize("goldset", ["ws353", "simlex999"])
def test_zero_equals_gensim_dummy4unknown(request, tmp_path, model, goldset):
    from gensim.models import KeyedVectors

    kv = request.getfixturevalue(model).wv
    path = tmp_path / "vectors.txt"
    kv.save_word2vec_format(path)
    reloaded = KeyedVectors.load_word2vec_format(path)
    (pearson, _), spearman, oov_percent = reloaded.evaluate_word_pairs(
        datapath(GENSIM_FILES[goldset]), dummy4unknown=True
    )
    row = evaluate(path, goldset, oov="zero").iloc[0]
    assert row["spearman"] == pytest.approx(spearman.statistic, abs=1e-9)
    assert row["pearson"] == pytest.approx(pearson, abs=1e-9)
    assert 100 * (1 - row["coverage"]) == pytest.approx(oov_percent, abs=1e-9)


# --- mean --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "binary", "gzip", "tar"])
def test_mean_vector_of_every_file_kind_equals_numpy(vector_files, w2v_model, kind):
    expected = w2v_model.wv.vectors.astype(np.float64).mean(axis=0)
    got = mean_vector(vector_files[kind])
    assert got.dtype == np.float64 and got.shape == (w2v_model.wv.vector_size,)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    # and numpy's own float32 mean, as word-embeddings-benchmarks computes it
    np.testing.assert_allclose(got, np.mean(w2v_model.wv.vectors, axis=0), rtol=0, atol=1e-6)


def test_mean_vector_in_memory_and_limited(vector_files, w2v_model):
    kv = w2v_model.wv
    np.testing.assert_allclose(mean_vector(kv), kv.vectors.astype(np.float64).mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(mean_vector(w2v_model), mean_vector(kv), atol=0)
    np.testing.assert_allclose(mean_vector((kv.index_to_key, kv.vectors)), mean_vector(kv), atol=0)
    first = kv.vectors[:100].astype(np.float64).mean(axis=0)
    for source in (vector_files["text"], vector_files["binary"], kv):
        np.testing.assert_allclose(mean_vector(source, limit=100), first, atol=1e-12)


def test_mean_vector_streams_the_file(tmp_path, monkeypatch):
    """Peak memory stays near one chunk, far below the file's matrix."""
    import tracemalloc

    import w2veval.io._mean as mean_module

    n, dim = 20000, 30
    matrix = np.random.default_rng(0).integers(-9, 10, size=(n, dim)).astype(np.float32)  # short as text
    words = [f"w{i:05d}" for i in range(n)]
    text, binary = tmp_path / "big.txt", tmp_path / "big.bin"
    lines = (" ".join(map(str, row)) for row in matrix.astype(int).tolist())
    text.write_text(f"{n} {dim}\n" + "".join(f"{w} {line}\n" for w, line in zip(words, lines, strict=True)))
    rows = np.zeros(n, dtype=[("word", "S6"), ("space", "S1"), ("vector", "<f4", (dim,))])
    rows["word"], rows["space"], rows["vector"] = [w.encode() for w in words], b" ", matrix
    binary.write_bytes(f"{n} {dim}\n".encode() + rows.tobytes())
    for name in ("BINARY_CHUNK_BYTES", "_SUM_EVERY_BYTES"):
        monkeypatch.setattr(mean_module, name, 1 << 13)
    monkeypatch.setattr("w2veval.io._text.CHUNK_BYTES", 1 << 13)  # the text scan the mean shares
    monkeypatch.setattr("w2veval.io._binary.CHUNK_BYTES", 1 << 13)  # its check for rows past the end
    expected = matrix.astype(np.float64).mean(axis=0)
    for path in (text, binary):
        mean_vector(path)  # first call: lazy imports, which tracemalloc would count
        tracemalloc.start()
        got = mean_vector(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        np.testing.assert_array_equal(got, expected)
        assert peak < matrix.nbytes / 5, (path.name, peak, matrix.nbytes)


def test_mean_vector_reports_bad_rows(tmp_path):
    from w2veval import VectorFormatError

    path = tmp_path / "bad.txt"
    path.write_text("3 2\ncat 1 0\ndog 1 x\ncar 0 1\n")
    with pytest.raises(VectorFormatError, match=r"bad.txt:3: non-numeric value 'x'"):
        mean_vector(path)
    path.write_text("3 2\ncat 1 0\ndog 1\ncar 0 1\n")
    with pytest.raises(VectorFormatError, match=r"bad.txt:3: .*has 1 values, expected 2"):
        mean_vector(path)
    path.write_text("3 2\ncat 1 0\n")
    with pytest.raises(VectorFormatError, match="declares 3 rows but the file has 1"):
        mean_vector(path)
    path.write_bytes(b"2 2\ncat " + np.array([1, 0], "<f4").tobytes() + b"dog " + b"\0\0")
    with pytest.raises(VectorFormatError, match="row 2 of the 2 the header declares is truncated"):
        mean_vector(path, format="binary")


def _independent_mean_policy(kv, goldset):
    """word-embeddings-benchmarks' rule with gensim's cosine: unknown word -> mean of all vectors,
    except that a pair of two unknown words has similarity 0 (w2veval's definition).

    The mean is taken in float64 over gensim's whole matrix; cosines use gensim's own
    arithmetic (``matutils.unitvec``, float32 dot), so near-equal similarities tie exactly
    as in w2veval.
    """
    from gensim import matutils
    from scipy.stats import spearmanr

    mean = kv.vectors.astype(np.float64).mean(axis=0).astype(np.float32)
    human, model = [], []
    for score, a, b, _ in _gensim_pairs(kv, goldset):
        human.append(score)
        if a not in kv.key_to_index and b not in kv.key_to_index:
            model.append(0.0)
            continue
        va = kv[a] if a in kv.key_to_index else mean
        vb = kv[b] if b in kv.key_to_index else mean
        model.append(float(np.dot(matutils.unitvec(va), matutils.unitvec(vb))))
    return spearmanr(human, model).statistic


@pytest.mark.parametrize("goldset", ["ws353", "simlex999"])
def test_mean_policy_equals_numpy_on_the_full_matrix(vector_files, w2v_model, goldset):
    gold = load(goldset)
    path = vector_files["text"]
    vectors = load_vectors(path, words=gold.words, case_sensitive=False)
    assert len(vectors) < len(w2v_model.wv)  # only the needed rows are loaded ...
    row = WordPairEvaluator().evaluate(vectors, gold, oov="mean", mean_vector=mean_vector(path))
    # ... yet the mean is that of every row of the file
    assert row["spearman"] == pytest.approx(_independent_mean_policy(w2v_model.wv, gold), abs=1e-12)
    drop = WordPairEvaluator().evaluate(vectors, gold)
    assert row["n_scored"] == drop["n_scored"] and row["coverage"] == drop["coverage"]


def test_mean_policy_gives_a_pair_of_two_unknown_words_similarity_zero(shared_goldsets, w2v_model):
    """SimLex-999 in Italian on an English model: hundreds of pairs of two unknown words.

    Before issue 11 each got cosine 1 (the mean vector with itself), a block of "most similar"
    pairs above every real one. Oracle by hand: 0 for two unknown words, the cosine with the
    mean for one, the cosine for none, and scipy's Spearman.
    """
    from scipy.stats import pearsonr, spearmanr

    kv = w2v_model.wv
    gold = GoldSet.from_file(
        shared_goldsets / "multilingual/leviant_reichart_2015/simlex-italian.txt", language="it"
    )
    mean = kv.vectors.astype(np.float64).mean(axis=0)

    def unit(v):
        v = np.asarray(v, dtype=np.float64)
        return v / np.linalg.norm(v)

    human, model, both_unknown = [], [], 0
    for a, b, score in gold.pairs:
        a, b = a.casefold(), b.casefold()
        known_a, known_b = a in kv.key_to_index, b in kv.key_to_index
        human.append(score)
        if not known_a and not known_b:
            both_unknown += 1
            model.append(0.0)
        else:
            model.append(float(unit(kv[a] if known_a else mean) @ unit(kv[b] if known_b else mean)))
    assert both_unknown > 500  # the block the old rule made is really there
    assert len(set(model) - {0.0}) > 10  # and pairs with a known word still rank
    row = WordPairEvaluator().evaluate(load_vectors(kv), gold, oov="mean", mean_vector=mean_vector(kv))
    assert row["spearman"] == pytest.approx(spearmanr(human, model).statistic, abs=1e-6)
    assert row["pearson"] == pytest.approx(pearsonr(human, model).statistic, abs=1e-5)


def test_mean_policy_needs_the_mean():
    wv = load_vectors({"cat": [1.0, 0.0], "dog": [0.0, 1.0]})
    gold = GoldSet.from_pairs([("cat", "dog", 1), ("cat", "gnu", 2), ("dog", "gnu", 3)], name="pets")
    with pytest.raises(W2VEvalError, match=r"pets: oov='mean' needs the mean .* mean_vector="):
        WordPairEvaluator().evaluate(wv, gold, oov="mean")
    with pytest.raises(W2VEvalError, match="mean_vector must be 2 finite numbers"):
        WordPairEvaluator().evaluate(wv, gold, oov="mean", mean_vector=np.zeros(3))


def test_evaluate_supplies_the_mean_for_files(vector_files, w2v_model):
    row = evaluate(vector_files["binary"], "ws353", oov="mean").iloc[0]
    assert row["spearman"] == pytest.approx(_independent_mean_policy(w2v_model.wv, load("ws353")), abs=1e-12)


# --- subword ----------------------------------------------------------------------------


def _independent_subword(kv, goldset):
    """gensim's FastText vectors for every word, known or not: kv.similarity does the n-grams."""
    from scipy.stats import spearmanr

    human, model = [], []
    for score, a, b, _ in _gensim_pairs(kv, goldset):
        human.append(score)
        model.append(float(kv.similarity(a, b)))
    return spearmanr(human, model).statistic, float(np.corrcoef(human, model)[0, 1])


@pytest.mark.parametrize("goldset", ["ws353", "simlex999"])
def test_subword_equals_gensim_fasttext_oov_vectors(fasttext_model, goldset):
    kv = fasttext_model.wv
    gold = load(goldset)
    unknown = sum(not known for *_, known in _gensim_pairs(kv, gold))
    assert unknown > 50  # the policy really is exercised
    spearman, pearson = _independent_subword(kv, gold)
    row = evaluate(kv, goldset, oov="subword").iloc[0]
    assert row["spearman"] == pytest.approx(spearman, abs=1e-9)
    assert row["pearson"] == pytest.approx(pearson, abs=1e-6)
    assert row["n_scored"] == len(gold) - unknown  # coverage still counts the vocabulary's pairs


def test_subword_from_a_fasttext_bin_file(fasttext_model, tmp_path):
    from gensim.models.fasttext import save_facebook_model

    path = tmp_path / "model.bin"
    save_facebook_model(fasttext_model, str(path))
    from_file = evaluate(path, "ws353", oov="subword").iloc[0]
    in_memory = evaluate(fasttext_model.wv, "ws353", oov="subword").iloc[0]
    assert from_file["spearman"] == pytest.approx(in_memory["spearman"], abs=1e-6)
    assert from_file["n_scored"] == in_memory["n_scored"]


def test_subword_without_ngrams_drops_and_says_so(w2v_model):
    with pytest.warns(UserWarning, match=r"ws353: oov='subword' but .* has no subword .* dropped"):
        row = evaluate(w2v_model.wv, "ws353", oov="subword").iloc[0]
    drop = evaluate(w2v_model.wv, "ws353").iloc[0]
    assert row["spearman"] == drop["spearman"] and row["n_scored"] == drop["n_scored"]


# --- coverage ---------------------------------------------------------------------------


@pytest.mark.parametrize("goldset", ["ws353", "simlex999"])
def test_coverage_is_coverage_times_rho_over_the_scored_pairs(cbow_model, goldset):
    drop = evaluate(cbow_model.wv, goldset).iloc[0]
    cov = evaluate(cbow_model.wv, goldset, oov="coverage").iloc[0]
    assert 0 < cov["coverage"] < 1
    for metric in ("spearman", "pearson", "kendall"):
        assert cov[metric] == cov["coverage"] * drop[metric]
    assert cov["n_scored"] == drop["n_scored"] and cov["oov"] == "coverage"


def test_coverage_is_nan_with_fewer_than_two_scored_pairs(w2v_model):
    gold = GoldSet.from_pairs(
        [("government", "minister", 8), ("zzqx", "qqzx", 1), ("xxqz", "zzxq", 2)], name="almost-unknown"
    )
    (warning,) = _caught(lambda: evaluate(w2v_model.wv, gold, oov="coverage"))
    assert warning.message.kind == "undefined" and warning.message.goldset == "almost-unknown"
    assert "only 1 of 3 pairs have both words" in str(warning.message)
    row = evaluate(w2v_model.wv, gold, oov="coverage").iloc[0]
    assert math.isnan(row["spearman"]) and math.isnan(row["pearson"]) and row["n_scored"] == 1


@pytest.mark.parametrize("oov", OOV_POLICIES)
def test_a_set_with_no_known_word_is_nan_under_every_policy(w2v_model, fasttext_model, oov):
    """Before issue 11, zero, mean and coverage gave 0.0000 here: a number for a model that knows nothing."""
    gold = GoldSet.from_pairs(
        [("zzqx", "qqzx", 1.0), ("xxqz", "zzxq", 2.0), ("qzqz", "xzxz", 3.0)], name="unknown-words"
    )
    model = fasttext_model if oov == "subword" else w2v_model  # subword: n-grams do give vectors
    vectors = load_vectors(model.wv)
    evaluate_ = lambda: WordPairEvaluator().evaluate(  # noqa: E731
        vectors, gold, oov=oov, mean_vector=mean_vector(model.wv), ci=0.95, n_resamples=200
    )
    (warning,) = _caught(evaluate_)
    assert warning.message.kind == "undefined"
    assert "0 of 3 pairs have both words in the vocabulary, and no OOV policy" in str(warning.message)
    row = evaluate_()
    assert row["n_scored"] == 0 and row["coverage"] == 0.0
    for column in ("spearman", "pearson", "kendall", "spearman_lo", "spearman_hi"):
        assert math.isnan(row[column]), column


def test_coverage_keeps_a_bigger_vocabulary_from_losing_to_a_pruned_one():
    """The point of the policy: pruning the hard pairs away cannot raise the score."""
    full = _grid_vectors(41)  # cosine with w0 falls with the index
    hard = np.random.default_rng(1).permutation(30) + 1.0
    # The 10 easy pairs are ranked right by the model; the 30 hard ones it ranks at random.
    gold = GoldSet.from_pairs(
        [("w0", f"w{i}", 100.0 - i) for i in range(1, 11)]
        + [("w0", f"w{i}", hard[i - 11]) for i in range(11, 41)],
        name="easy-hard",
    )
    pruned = {w: v for w, v in full.items() if int(w[1:]) <= 10}  # a min_count that keeps the easy words
    scores = {}
    for oov in ("drop", "coverage"):
        table = evaluate({"full": load_vectors(full), "pruned": load_vectors(pruned)}, gold, oov=oov)
        scores[oov] = dict(zip(table["vectors"], table["spearman"], strict=True))
    assert scores["drop"]["pruned"] == pytest.approx(1.0)
    assert scores["drop"]["pruned"] > scores["drop"]["full"]
    assert scores["coverage"]["pruned"] == pytest.approx(0.25)
    assert scores["coverage"]["full"] == scores["drop"]["full"] > 0.25


def test_coverage_aware_example_ranks_differently(lee_sentences):
    """The example of docs/objectives.md: drop and coverage rank its two real models differently."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "coverage_aware_objective.py"
    spec = importlib.util.spec_from_file_location("coverage_example", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    rows = example.compare(goldsets=("simlex999",), sentences=lee_sentences)
    low, high = example.MIN_COUNTS
    by = {(r["min_count"], r["oov"]): r for r in rows if r["goldset"] == "simlex999"}
    assert by[(low, "drop")]["n_scored"] > by[(high, "drop")]["n_scored"]
    assert by[(low, "drop")]["spearman"] < by[(high, "drop")]["spearman"]  # pruning "wins" ...
    assert by[(low, "coverage")]["spearman"] > by[(high, "coverage")]["spearman"]  # ... until charged
    ranked = example.rankings(rows)
    assert ranked["drop"]["simlex999"] == [high, low] and ranked["coverage"]["simlex999"] == [low, high]


# --- every policy -----------------------------------------------------------------------


@pytest.mark.parametrize("oov", OOV_POLICIES)
def test_n_scored_is_the_vocabulary_s_pairs_whatever_the_policy(fasttext_model, oov):
    drop = evaluate(fasttext_model.wv, "simlex999").iloc[0]
    if oov == "mean":
        vectors = load_vectors(fasttext_model.wv)
        row = WordPairEvaluator().evaluate(
            vectors, load("simlex999"), oov=oov, mean_vector=mean_vector(fasttext_model.wv)
        )
    else:
        row = evaluate(fasttext_model.wv, "simlex999", oov=oov).iloc[0]
    assert (row["n_pairs"], row["n_scored"], row["coverage"]) == (
        drop["n_pairs"],
        drop["n_scored"],
        drop["coverage"],
    )
    assert not math.isnan(row["spearman"])


def test_unknown_policy_lists_the_policies(w2v_model):
    with pytest.raises(
        W2VEvalError, match="unknown OOV policy 'ignore'; choose one of drop, zero, mean, subword, coverage"
    ):
        evaluate(w2v_model.wv, "ws353", oov="ignore")


# --- warnings ---------------------------------------------------------------------------


def _caught(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [w for w in caught if issubclass(w.category, UnreliableScoreWarning)]


def _grid_vectors(n_words):
    """Vectors for w0..w{n-1} whose pair cosines decrease with the index (a model that ranks well)."""
    angles = np.linspace(0, np.pi / 2, n_words)
    return {f"w{i}": np.array([np.cos(a), np.sin(a)]) for i, a in enumerate(angles)}


def test_no_warning_for_a_sound_evaluation():
    vectors = _grid_vectors(41)
    gold = GoldSet.from_pairs([("w0", f"w{i}", float(41 - i)) for i in range(1, 41)], name="sound")
    assert _caught(lambda: evaluate(vectors, gold)) == []


def test_warning_for_low_coverage_names_the_set_and_numbers():
    vectors = _grid_vectors(41)
    gold = GoldSet.from_pairs(
        [("w0", f"w{i}", float(41 - i)) for i in range(1, 41)]
        + [("w0", f"x{i}", float(i)) for i in range(11)],
        name="patchy",
    )
    (warning,) = _caught(lambda: evaluate(vectors, gold))
    assert (warning.message.kind, warning.message.goldset, warning.message.detail) == (
        "low_coverage",
        "patchy",
        "0.78",
    )
    assert "coverage 0.78 is below 0.8 (40 of 51 pairs" in str(warning.message)
    # at the ranking rule's threshold exactly (40 of 50): no warning
    at_rule = GoldSet.from_pairs(list(gold.pairs)[:50], name="at-rule")
    assert _caught(lambda: evaluate(vectors, at_rule)) == []


def test_warning_for_few_scored_pairs():
    vectors = _grid_vectors(11)
    gold = GoldSet.from_pairs([("w0", f"w{i}", float(11 - i)) for i in range(1, 11)], name="small")
    (warning,) = _caught(lambda: evaluate(vectors, gold))
    assert warning.message.kind == "few_pairs" and warning.message.detail == "10 of 10 pairs"
    text = str(warning.message)
    assert "small" in text and "only 10 pairs are scored (fewer than 30)" in text


def test_tied_human_scores_are_no_reason_to_warn():
    """Spearman uses tie-averaged ranks: a set of two distinct scores is scored without a warning."""
    vectors = _grid_vectors(41)
    gold = GoldSet.from_pairs([("w0", f"w{i}", float(i % 3 == 0)) for i in range(1, 41)], name="coarse")
    assert _caught(lambda: evaluate(vectors, gold)) == []


def test_one_warning_per_kind_with_its_goldset_and_vectors():
    vectors = _grid_vectors(13)
    gold = GoldSet.from_pairs(
        [("w0", f"w{i}", float(i > 6)) for i in range(1, 13)]
        + [(f"w{i}", "unknown", float(i % 2)) for i in range(4)],
        name="everything-wrong",
    )
    caught = _caught(lambda: evaluate(vectors, gold))
    assert sorted(w.message.kind for w in caught) == ["few_pairs", "low_coverage"]
    assert all(str(w.message).startswith("everything-wrong on ") for w in caught)
    small = GoldSet.from_pairs([("w0", f"w{i}", float(6 - i)) for i in range(1, 6)], name="small")
    both = _caught(lambda: evaluate({"a": load_vectors(vectors), "b": load_vectors(vectors)}, [gold, small]))
    assert sorted((w.message.goldset, w.message.kind) for w in both) == sorted(
        [("everything-wrong", "few_pairs"), ("everything-wrong", "low_coverage")] * 2
        + [("small", "few_pairs")] * 2
    )
