"""Language-aware matching: NFC, casefold, gensim's upper(), accents, phrases."""

import unicodedata
import warnings

import numpy as np
import pytest

from w2veval import GoldSet, evaluate, load_vectors
from w2veval.matching import MatchRules, token_matcher
from w2veval.scoring import UnreliableScoreWarning


@pytest.mark.parametrize(
    "word, key",
    [
        ("Straße", "strasse"),  # casefold, where lower() keeps ß
        ("ΟΔΟΣ", "οδοσ"),  # Greek capital sigma folds to σ, like final ς
        ("οδος", "οδοσ"),
        ("İstanbul", "i̇stanbul"),  # Turkish dotted capital I keeps its dot
        ("ﬁsh", "fish"),  # ligature
    ],
)
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
    assert rules.key("kızı") == rules.key("kizi") == "KIZI"  # dotless ı upper-cases to I
    assert MatchRules().key("kızı") != MatchRules().key("kizi")  # casefold keeps them apart


def test_accent_insensitive_matching():
    words = ["cafe", "tea", "cake"]
    matrix = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8]])
    gold = GoldSet.from_pairs([("café", "tea", 8), ("café", "cake", 5), ("tea", "cake", 2)], name="accents")
    with pytest.warns(UnreliableScoreWarning, match="only 1 of 3 pairs"):
        assert evaluate((words, matrix), gold).loc[0, "n_scored"] == 1
    assert evaluate((words, matrix), gold, accents=False).loc[0, "n_scored"] == 3


def test_phrases_match_underscore_tokens_by_default():
    words = ["ice_cream", "dessert", "car"]
    matrix = np.array([[1.0, 0.1], [0.9, 0.2], [0.0, 1.0]])
    gold = GoldSet.from_pairs(
        [("ice cream", "dessert", 9), ("ice cream", "car", 1), ("dessert", "car", 2)], name="phrases"
    )
    table = evaluate((words, matrix), gold)
    assert table.loc[0, "n_scored"] == 3 and table.loc[0, "matching"] == "nfc+casefold+phrases"
    with pytest.warns(UnreliableScoreWarning, match="only 1 of 3 pairs"):
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


# --- which vector a word gets: the exact form first, then the case-folded form ------------

LEVIANT = "multilingual/leviant_reichart_2015"
SEMEVAL_DE = "multilingual/semeval2017_task2/SemEval17-Task2/test/subtask1-monolingual/data/de.test.data.txt"


def _pair_lines(path):
    text = path.read_text(encoding="utf-8").replace("\r", "\n")
    return [line.split("\t")[:2] for line in text.splitlines() if line.count("\t") >= 1]


@pytest.fixture(scope="module")
def two_spellings(tmp_path_factory, shared_goldsets):
    """Word2Vec trained with gensim on German word pairs in two spellings: SemEval-2017's
    Swiss "Strasse" and "Fuss" (the frequent ones) beside Leviant & Reichart's "straße",
    "Straße" and "fuß", and the raw SimLex ratings' capitalised nouns ("Abend" beside "abend")."""
    from gensim.models import Word2Vec

    standard = _pair_lines(shared_goldsets / LEVIANT / "simlex-german.txt")[1:]
    standard += _pair_lines(shared_goldsets / LEVIANT / "ws-353/wordsim353-german.txt")[1:]
    raw = shared_goldsets / LEVIANT / "raw_ratings/MSimLex999_German.txt"
    nouns = [line.split(",")[:2] for line in raw.read_text(encoding="utf-8").splitlines()[1:]]
    swiss = _pair_lines(shared_goldsets / SEMEVAL_DE)
    sentences = standard * 10 + nouns * 20 + swiss * 40
    model = Word2Vec(sentences, vector_size=16, window=2, min_count=1, epochs=3, seed=5, workers=1)
    path = tmp_path_factory.mktemp("two-spellings") / "de.txt"
    model.wv.save_word2vec_format(path)
    return path, model.wv


def _oracle_word(word, vocabulary):
    """By hand: the word itself (NFC) if the vocabulary has it, else the first (most frequent)
    vocabulary word equal to it ignoring case (casefold)."""
    word = unicodedata.normalize("NFC", word)
    if word in vocabulary:
        return word
    folded = [v for v in vocabulary if unicodedata.normalize("NFC", v).casefold() == word.casefold()]
    return folded[0] if folded else None


def _oracle_scores(kv, gold):
    """Spearman and Pearson (scipy) of gensim's cosines of the pairs the oracle matches."""
    from scipy.stats import pearsonr, spearmanr

    vocabulary = kv.index_to_key
    sims, human = [], []
    for a, b, score in zip(gold.word1, gold.word2, gold.scores, strict=True):
        wa, wb = _oracle_word(a, vocabulary), _oracle_word(b, vocabulary)
        if wa is not None and wb is not None:
            sims.append(float(kv.similarity(wa, wb)))
            human.append(score)
    return spearmanr(sims, human).statistic, pearsonr(sims, human).statistic, len(sims)


def test_exact_form_wins_over_a_more_frequent_folded_variant(two_spellings, shared_goldsets):
    from w2veval.matching import VocabularyLookup

    _path, kv = two_spellings
    rank = kv.key_to_index
    assert rank["Strasse"] < rank["straße"] and rank["Fuss"] < rank["fuß"]  # the fixture is what it says
    default, gensim = (
        VocabularyLookup(kv.index_to_key),
        VocabularyLookup(kv.index_to_key, MatchRules(case="gensim")),
    )
    for word in ("straße", "Straße", "fuß", "Fuss", "STRASSE", "abend", "Abend", "ABEND"):
        assert default.word(word) == _oracle_word(word, kv.index_to_key), word
    assert (default.word("straße"), gensim.word("straße")) == ("straße", "Strasse")
    assert (default.word("fuß"), gensim.word("fuß")) == ("fuß", "Fuss")
    assert default.word("STRASSE") == gensim.word("STRASSE") == "Strasse"  # no exact form: the most frequent


@pytest.mark.parametrize("name", ["simlex-german.txt", "ws-353/wordsim353-german.txt"])
def test_default_rule_scores_as_the_hand_written_oracle_and_gensim_rule_as_gensim(
    two_spellings, shared_goldsets, name
):
    path, kv = two_spellings
    gold_file = shared_goldsets / LEVIANT / name
    gold = GoldSet.from_file(gold_file, duplicates="keep")
    spearman, pearson, n = _oracle_scores(kv, gold)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours = evaluate(path, gold).iloc[0]
        theirs = evaluate(path, gold, case="gensim").iloc[0]
    assert ours["n_scored"] == n
    assert ours["spearman"] == pytest.approx(spearman, abs=1e-9)
    assert ours["pearson"] == pytest.approx(pearson, abs=1e-9)
    (g_pearson, _), g_spearman, _ = kv.evaluate_word_pairs(str(gold_file), case_insensitive=True)
    assert theirs["spearman"] == pytest.approx(g_spearman.statistic, abs=1e-9)
    assert theirs["pearson"] == pytest.approx(g_pearson, abs=1e-9)
    assert abs(ours["spearman"] - theirs["spearman"]) > 1e-3  # the two rules really differ here


def test_loading_gold_words_reads_every_case_variant(two_spellings):
    path, kv = two_spellings
    wv = load_vectors(path, words=["straße", "abend"], rules=MatchRules())  # as evaluate loads them
    assert set(wv.words) == {w for w in kv.index_to_key if w.casefold() in ("strasse", "abend")}
    assert {"Strasse", "Straße", "straße", "Abend", "abend"} <= set(wv.words)
    gold = GoldSet.from_pairs(
        [("straße", "abend", 3), ("Strasse", "Abend", 2), ("fuß", "straße", 1)], name="tiny"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        partial, whole = evaluate(path, gold).iloc[0], evaluate(kv, gold).iloc[0]
    assert (partial["n_scored"], partial["spearman"]) == (whole["n_scored"], whole["spearman"])


def test_sensitive_rule_matches_the_exact_form_only():
    from w2veval.matching import VocabularyLookup

    lookup = VocabularyLookup(["Apple", "apple", "Straße"], MatchRules(case="sensitive"))
    assert [lookup.word(w) for w in ("apple", "APPLE", "Straße", "straße")] == ["apple", None, "Straße", None]


# --- GloVe 6B 50d: a lower-case vocabulary, where the rules differ only by ß ---------------


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    from w2veval import WordVectors

    return WordVectors(*glove_words_matrix, source="glove-6B-50d")


def _catalogued(name, shared_goldsets):
    from w2veval.goldsets import entry
    from w2veval.goldsets._readers import read_entry

    item = entry(name)
    return read_entry(item, {f.path: shared_goldsets / f.path for f in item.files})


@pytest.mark.parametrize("name", ["ws353", "simlex999", "multisimlex-fr"])
def test_on_glove_the_default_and_gensim_rules_give_the_same_numbers(glove, shared_goldsets, name):
    gold = _catalogued(name, shared_goldsets)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours = evaluate(glove, gold).iloc[0]
        theirs = evaluate(glove, gold, case="gensim").iloc[0]
    assert ours["n_scored"] == theirs["n_scored"] > 100
    assert (ours["spearman"], ours["pearson"]) == (theirs["spearman"], theirs["pearson"])


def test_on_glove_german_simlex_the_default_keeps_eszett_words_apart(glove, shared_goldsets, tmp_path):
    """GloVe has "groß" and the more frequent English "gross", "fuß" and "fuss": gensim's rule
    gives "groß" the vector of "gross"; the default gives it its own, as the oracle says."""
    from gensim.models import KeyedVectors

    from w2veval.matching import VocabularyLookup

    gold = _catalogued("simlex999-de", shared_goldsets)
    lookup = VocabularyLookup(glove.words)
    gensim_lookup = VocabularyLookup(glove.words, MatchRules(case="gensim"))
    assert (lookup.word("groß"), gensim_lookup.word("groß")) == ("groß", "gross")
    words = set(gold.word1) | set(gold.word2)
    kv = KeyedVectors(glove.dim)
    needed = sorted({row for w in words for row in (lookup.get(w), gensim_lookup.get(w)) if row is not None})
    kv.add_vectors([glove.words[r] for r in needed], glove.vectors[needed])  # in GloVe's rank order
    spearman, pearson, n = _oracle_scores(kv, gold)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours = evaluate(glove, gold).iloc[0]
        theirs = evaluate(glove, gold, case="gensim").iloc[0]
    assert ours["n_scored"] == n == theirs["n_scored"]
    assert ours["spearman"] == pytest.approx(spearman, abs=1e-9)
    assert ours["pearson"] == pytest.approx(pearson, abs=1e-9)
    assert ours["spearman"] != theirs["spearman"]
    gold_file = tmp_path / "simlex999-de.tsv"
    gold_file.write_text(
        "".join(f"{a}\t{b}\t{s}\n" for a, b, s in zip(gold.word1, gold.word2, gold.scores, strict=True)),
        encoding="utf-8",
    )
    (g_pearson, _), g_spearman, _ = kv.evaluate_word_pairs(str(gold_file), case_insensitive=True)
    assert theirs["spearman"] == pytest.approx(g_spearman.statistic, abs=1e-9)
    assert theirs["pearson"] == pytest.approx(g_pearson, abs=1e-9)


@pytest.mark.parametrize(
    "name, gold_word, default, gensims",
    [
        ("semeval17-de", "Strasse", "strasse", "straße"),
        ("ws353-de", "Fußball", "fußball", "fussball"),
    ],
)
def test_on_glove_a_capitalised_german_word_gets_its_lower_case_form(
    glove, shared_goldsets, name, gold_word, default, gensims
):
    """Between the exact form and the case-folded fallback comes ``lower()``, which keeps
    "ß": GloVe has "fußball" and the more frequent "fussball", "straße" before "strasse"."""
    from w2veval.matching import VocabularyLookup

    gold = _catalogued(name, shared_goldsets)
    assert gold_word in set(gold.word1) | set(gold.word2)
    assert gold_word not in glove.words and default in glove.words
    assert VocabularyLookup(glove.words).word(gold_word) == default
    assert VocabularyLookup(glove.words, MatchRules(case="gensim")).word(gold_word) == gensims
