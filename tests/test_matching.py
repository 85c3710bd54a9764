"""Language-aware matching: NFC, casefold, gensim's upper(), accents, phrases."""

import unicodedata

import numpy as np
import pytest

from w2veval import GoldSet, evaluate, load_vectors
from w2veval.matching import MatchRules, token_matcher


@pytest.mark.parametrize("word, key", [
    ("Straße", "strasse"),          # casefold, where lower() keeps ß
    ("ΟΔΟΣ", "οδοσ"),               # Greek capital sigma folds to σ, like final ς
    ("οδος", "οδοσ"),
    ("İstanbul", "i̇stanbul"),       # Turkish dotted capital I keeps its dot
    ("ﬁsh", "fish"),                # ligature
])
def test_casefold_keys(word, key):
    assert MatchRules().key(word) == key


def test_nfc_makes_composed_and_decomposed_equal():
    composed, decomposed = "café", unicodedata.normalize("NFD", "café")
    assert composed != decomposed
    assert MatchRules(case="sensitive").key(decomposed) == composed
    wv = load_vectors({decomposed: [1.0, 0.0], "tea": [0.0, 1.0]}, words=[composed], case_sensitive=True)
    assert wv.words == [decomposed]


def test_gensim_mode_reproduces_upper_and_its_turkish_pitfall():
    rules = MatchRules(case="gensim")
    assert rules.key("kızı") == rules.key("kizi") == "KIZI"       # dotless ı upper-cases to I
    assert MatchRules().key("kızı") != MatchRules().key("kizi")    # casefold keeps them apart


def test_accent_insensitive_matching():
    words = ["cafe", "tea", "cake"]
    matrix = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8]])
    gold = GoldSet.from_pairs([("café", "tea", 8), ("café", "cake", 5), ("tea", "cake", 2)], name="accents")
    with pytest.warns(UserWarning):
        assert evaluate((words, matrix), gold).loc[0, "n_scored"] == 1
    assert evaluate((words, matrix), gold, accents=False).loc[0, "n_scored"] == 3


def test_phrases_match_underscore_tokens_by_default():
    words = ["ice_cream", "dessert", "car"]
    matrix = np.array([[1.0, 0.1], [0.9, 0.2], [0.0, 1.0]])
    gold = GoldSet.from_pairs([("ice cream", "dessert", 9), ("ice cream", "car", 1), ("dessert", "car", 2)],
                              name="phrases")
    table = evaluate((words, matrix), gold)
    assert table.loc[0, "n_scored"] == 3 and table.loc[0, "matching"] == "nfc+casefold+phrases"
    with pytest.warns(UserWarning):
        assert evaluate((words, matrix), gold, phrases=False).loc[0, "n_scored"] == 1


def test_token_matcher_reads_phrase_tokens_from_a_file(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("3 2\nice_cream 1 0\nIce_Cream 0 1\nplain 1 1\n", encoding="utf-8")
    wv = load_vectors(path, words=["ice cream"], case_sensitive=False)
    assert wv.words == ["ice_cream", "Ice_Cream"]
    assert token_matcher(["ice cream"])(b"ICE_CREAM") == "ice_cream"


@pytest.fixture(scope="module")
def german_vectors(tmp_path_factory, shared_goldsets):
    """Word2Vec trained with gensim on text built from the German gold sets' own word
    pairs, with the capitalised nouns of the raw German SimLex ratings file."""
    from gensim.models import Word2Vec

    sentences = []
    raw = shared_goldsets / "multilingual/leviant_reichart_2015/raw_ratings/MSimLex999_German.txt"
    for line in raw.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split(",")
        sentences.append([cells[0], cells[1]])
    lv = shared_goldsets / "multilingual/leviant_reichart_2015"
    for name in ("simlex-german.txt", "ws-353/wordsim353-german.txt"):
        for line in (lv / name).read_text(encoding="utf-8").replace("\r", "\n").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) == 3:
                sentences.append(parts[:2])
    model = Word2Vec(sentences * 20, vector_size=16, window=2, min_count=1, epochs=3, seed=5, workers=1)
    path = tmp_path_factory.mktemp("de") / "de.txt"
    model.wv.save_word2vec_format(path)
    return path


def test_gensim_mode_equals_gensim_on_a_german_set(german_vectors, shared_goldsets):
    from gensim.models import KeyedVectors

    gold_file = shared_goldsets / "multilingual/leviant_reichart_2015/ws-353/wordsim353-german.txt"
    kv = KeyedVectors.load_word2vec_format(german_vectors)
    (pearson, _), spearman, oov = kv.evaluate_word_pairs(str(gold_file), case_insensitive=True)
    gold = GoldSet.from_file(gold_file, duplicates="keep")
    row = evaluate(german_vectors, gold, case="gensim").iloc[0]
    assert row["spearman"] == pytest.approx(spearman.statistic, abs=1e-9)
    assert row["pearson"] == pytest.approx(pearson, abs=1e-9)
    assert 100 * (row["n_pairs"] - row["n_scored"]) / row["n_pairs"] == pytest.approx(oov)
