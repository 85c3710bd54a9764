"""evaluate_analogies against gensim's evaluate_word_analogies (exact counts), against
per-question references built on gensim's most_similar / most_similar_cosmul, and the
analogy evaluator plug-in."""

from __future__ import annotations

import json
import math
import os
import warnings

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from w2veval import WordVectors
from w2veval.errors import W2VEvalError
from w2veval.goldsets import GoldSet, entry
from w2veval.goldsets._analogy import AnalogySet, read_google
from w2veval.goldsets._readers import read_entry
from w2veval.matching import MatchRules
from w2veval.scoring import Evaluator
from w2veval.scoring._analogies import TOTAL, AnalogyEvaluator, evaluate_analogies

GOOGLE = datapath("questions-words.txt")
ignore_init_sims = pytest.mark.filterwarnings(  # gensim's most_similar_cosmul calls it
    "ignore:Call to deprecated `init_sims`:DeprecationWarning"
)


@pytest.fixture(scope="module")
def google():
    return read_google(GOOGLE, name="google-analogy")


def _catalogued(name, shared_goldsets):
    item = entry(name)
    return read_entry(item, {f.path: shared_goldsets / f.path for f in item.files})


def _wv(kv) -> WordVectors:
    return WordVectors(kv.index_to_key, kv.vectors)


def _keyed(words, vectors) -> KeyedVectors:
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), np.asarray(vectors, dtype=np.float32))
    return kv


def _gensim(kv, path, **options):
    """gensim's rows as (section, n_correct, n_counted) and its correct questions."""
    _, sections = kv.evaluate_word_analogies(str(path), **options)
    rows = [(s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections]
    return rows, set(sections[-1]["correct"])


def _ours(result, questions, *, dummy4unknown=False):
    rows = [(r.section, r.n_correct, r.n_questions if dummy4unknown else r.n_answered) for r in result.rows]
    right = {tuple(w.upper() for w in q) for q, ok in zip(questions, result.correct, strict=True) if ok}
    return rows, right


def _write_questions(path, analogy_set, keep=lambda i: True):
    """A gensim-readable questions file with the questions ``keep`` selects."""
    lines, current = [], None
    for i, (question, section) in enumerate(
        zip(analogy_set.questions, analogy_set.question_sections, strict=True)
    ):
        if keep(i):
            if section != current:
                lines.append(f": {analogy_set.sections[section]}")
                current = section
            lines.append(" ".join(question))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_google(path, name=analogy_set.name)


# --- parity with evaluate_word_analogies --------------------------------------------------


@pytest.mark.parametrize("model", ["w2v_model", "cbow_model"])
@pytest.mark.parametrize("restrict_vocab", [600, 2500, 300000])
def test_google_parity_per_section_and_total(request, google, model, restrict_vocab):
    kv = request.getfixturevalue(model).wv
    expected_rows, expected_right = _gensim(kv, GOOGLE, restrict_vocab=restrict_vocab)
    result = evaluate_analogies(_wv(kv), google, restrict_vocab=restrict_vocab)
    assert _ours(result, google.questions) == (expected_rows, expected_right)
    assert result.rows[-1].section == TOTAL
    assert result.n_answered > 0


def test_catalogued_google_file_is_gensims_copy(google, shared_goldsets, w2v_model):
    catalogued = _catalogued("google-analogy", shared_goldsets)
    assert catalogued.questions == google.questions and catalogued.sections == google.sections
    result = evaluate_analogies(_wv(w2v_model.wv), catalogued)
    assert _ours(result, google.questions) == _gensim(w2v_model.wv, GOOGLE)


@pytest.fixture(scope="module")
def mixed_case(w2v_model):
    """The skip-gram vectors with case variants: Title-case keys, and upper-case twins
    (near copies) both above and below the original in frequency."""
    kv = w2v_model.wv
    rng = np.random.default_rng(11)
    words = [w.title() if i % 3 == 0 else w for i, w in enumerate(kv.index_to_key)]
    vectors = kv.vectors.copy()
    early = [w.upper() for w in kv.index_to_key[1:400:9]]  # more frequent than their lower-case twin
    late = [w.upper() for w in kv.index_to_key[2:1500:4] if w.upper() not in early]
    late_vectors = [kv[w.lower()] + 0.05 * rng.standard_normal(kv.vector_size) for w in late]
    all_words = early + words + late
    all_vectors = np.vstack([rng.standard_normal((len(early), kv.vector_size)), vectors, late_vectors])
    assert len(set(all_words)) == len(all_words)
    return all_words, all_vectors.astype(np.float32)


@pytest.mark.parametrize("restrict_vocab", [1200, None])
@pytest.mark.parametrize("case_insensitive", [True, False])
def test_parity_with_case_variants(google, mixed_case, restrict_vocab, case_insensitive):
    words, vectors = mixed_case
    kv = _keyed(words, vectors)
    options = {"restrict_vocab": restrict_vocab, "case_insensitive": case_insensitive}
    expected = _gensim(kv, GOOGLE, **options)
    result = evaluate_analogies(WordVectors(words, vectors), google, **options)
    rows, right = _ours(result, google.questions)
    if not case_insensitive:
        right = {q for q, ok in zip(google.questions, result.correct, strict=True) if ok}
    assert (rows, right) == expected
    assert result.n_answered > 0


def test_parity_with_exact_ties(google, w2v_model):
    """Duplicated vectors give equal scores; gensim's argpartition order decides, and so do we."""
    kv = w2v_model.wv
    vectors = kv.vectors.copy()
    vectors[1:3000:5] = vectors[0:2999:5]
    tied = _keyed(kv.index_to_key, vectors)
    result = evaluate_analogies(WordVectors(kv.index_to_key, vectors), google)
    assert _ours(result, google.questions) == _gensim(tied, GOOGLE)


def test_question_word_variants_crowding_gensims_top_five(tmp_path):
    """gensim looks at 5 words only: when all are case variants of question words, it keeps
    the fifth (and scores the question right if that variant is the expected word)."""
    rng = np.random.default_rng(5)
    a, b, c = rng.standard_normal((3, 8))
    words, vectors = ["ab", "cd", "ef"], [a, b, c]
    for i, variant in enumerate(["AB", "Ab", "aB", "CD", "Cd", "cD", "EF", "Ef", "eF"]):
        words.append(variant)
        vectors.append(b - a + c + 0.01 * (i + 1) * rng.standard_normal(8))
    words.append("gh")
    vectors.append(b - a + c + 0.5 * rng.standard_normal(8))
    words += [f"filler{i}" for i in range(20)]
    vectors += list(rng.standard_normal((20, 8)))
    vectors = np.array(vectors, dtype=np.float32)
    path = tmp_path / "q.txt"
    path.write_text(": s\nab cd ef gh\nab cd ef cd\nab cd ef ab\nab cd ef ef\n")
    expected = _gensim(_keyed(words, vectors), path)
    assert expected[1] == {("AB", "CD", "EF", "AB")}  # the quirk this test is about
    questions = read_google(path, name="crowd")
    result = evaluate_analogies(WordVectors(words, vectors), questions)
    assert _ours(result, questions.questions) == expected
    assert set(result.predictions) == {"aB"}


@pytest.mark.parametrize("dummy4unknown", [False, True])
def test_oov_questions_skipped_or_counted_wrong_as_gensim(tmp_path, w2v_model, dummy4unknown):
    kv = w2v_model.wv
    path = tmp_path / "oov.txt"
    path.write_text(
        ": known\nman woman he she\nsaid told says tells\nfire fires police polices\n"
        ": unknown\nzzqx man woman he\nman zzqx he she\n: mixed\nman woman he qqzz\n"
        "he she man woman\n",
        encoding="utf-8",
    )
    questions = read_google(path, name="oov")
    result = evaluate_analogies(_wv(kv), questions, dummy4unknown=dummy4unknown)
    assert _ours(result, questions.questions, dummy4unknown=dummy4unknown) == _gensim(
        kv, path, dummy4unknown=dummy4unknown
    )
    unknown = result.rows[1]
    assert (unknown.n_questions, unknown.n_answered) == (2, 0)
    if dummy4unknown:
        assert unknown.accuracy == 0.0
    else:
        assert math.isnan(unknown.accuracy)  # gensim says 0.0 for "nothing answered"
    assert result.predictions[3:5] == (None, None) and result.predictions[5] is None
    assert result.coverage == pytest.approx(result.n_answered / 7)


def test_restrict_vocab_turns_rare_words_unknown(google, w2v_model):
    kv = w2v_model.wv
    full = evaluate_analogies(_wv(kv), google, restrict_vocab=None)
    small = evaluate_analogies(_wv(kv), google, restrict_vocab=300)
    assert small.n_answered < full.n_answered and small.n_candidates == 300
    assert full.n_candidates == len(kv)


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_vocabulary_scanned_in_chunks_gives_the_same_answers(monkeypatch, google, w2v_model, method):
    from w2veval.scoring import _analogies

    whole = evaluate_analogies(_wv(w2v_model.wv), google, method=method)
    monkeypatch.setattr(_analogies, "_BLOCK_CELLS", 128 * 97)  # 97 words a chunk, the last one short
    chunked = evaluate_analogies(_wv(w2v_model.wv), google, method=method)
    assert chunked.predictions == whole.predictions and chunked.rows == whole.rows


def test_rows_in_any_order_are_searched_by_rank(google, w2v_model):
    """A loader may keep rows out of file order; ``ranks`` decides frequency and restriction."""
    kv = w2v_model.wv
    order = np.random.default_rng(3).permutation(len(kv))
    shuffled = WordVectors([kv.index_to_key[i] for i in order], kv.vectors[order], ranks=order)
    expected = evaluate_analogies(_wv(kv), google, restrict_vocab=2500)
    result = evaluate_analogies(shuffled, google, restrict_vocab=2500)
    assert result.rows == expected.rows and result.predictions == expected.predictions


# --- GloVe 6B 50d: the real thing, on a sample of the Google questions -------------------


@pytest.fixture(scope="module")
def glove(glove_words_matrix):
    return glove_words_matrix


@pytest.fixture(scope="module")
def glove_sample(glove, google, tmp_path_factory):
    """Every 40th Google question, GloVe restricted to 30,000 words on gensim's side
    (the same answers as the whole 400,000 with restrict_vocab=30000, and quicker)."""
    path = tmp_path_factory.mktemp("glove") / "sample.txt"
    sample = _write_questions(path, google, keep=lambda i: i % 40 == 0)
    words, matrix = glove
    return path, sample, _keyed(words[:30000], matrix[:30000]), WordVectors(words, matrix)


def test_glove_parity_restrict_30000(glove_sample):
    path, sample, kv, wv = glove_sample
    result = evaluate_analogies(wv, sample, restrict_vocab=30000)
    assert _ours(result, sample.questions) == _gensim(kv, path, restrict_vocab=30000)
    assert result.n_correct > 150  # a real model answers about half of them


@ignore_init_sims
def test_glove_3cosmul_matches_most_similar_cosmul(glove_sample):
    _, sample, kv, wv = glove_sample
    result = evaluate_analogies(wv, sample, method="3cosmul", restrict_vocab=30000)
    checked = 0
    for (a, b, c, _), guess in list(zip(sample.questions, result.predictions, strict=True))[::2]:
        if guess is not None:
            expected = kv.most_similar_cosmul(positive=[b.lower(), c.lower()], negative=[a.lower()], topn=1)
            assert guess == expected[0][0], (a, b, c)
            checked += 1
    assert checked > 150


# --- independent per-question references ------------------------------------------------


def _reference(kv, analogy_set, *, restrict_vocab=None, cosmul=False):
    """The prediction for each question, one most_similar call at a time."""
    keys = kv.index_to_key[:restrict_vocab] if restrict_vocab else kv.index_to_key
    first = {}
    for word in keys:
        first.setdefault(word.upper(), word)
    answers = analogy_set.alternatives or [(q[3],) for q in analogy_set.questions]
    predictions, correct = [], 0
    for question, accepted in zip(analogy_set.questions, answers, strict=True):
        a, b, c, d = (w.upper() for w in question)
        if not all(w in first for w in (a, b, c, d)):
            predictions.append(None)
            continue
        if cosmul:
            ranked = kv.most_similar_cosmul(positive=[first[b], first[c]], negative=[first[a]], topn=20)
        else:
            ranked = kv.most_similar(
                positive=[first[b], first[c]], negative=[first[a]], topn=20, restrict_vocab=restrict_vocab
            )
        guess = next(w for w, _ in ranked if w.upper() not in {a, b, c})
        predictions.append(guess)
        correct += guess.upper() in {w.upper() for w in accepted}
    return predictions, correct


@pytest.mark.parametrize("name", ["bats", "msr-analogy"])
def test_bats_and_msr_against_most_similar_reference(name, shared_goldsets, w2v_model):
    analogy_set = _catalogued(name, shared_goldsets)
    predictions, n_correct = _reference(w2v_model.wv, analogy_set)
    result = evaluate_analogies(_wv(w2v_model.wv), analogy_set, restrict_vocab=None)
    assert result.predictions == tuple(predictions)
    assert result.n_correct == n_correct
    assert result.n_answered == sum(p is not None for p in predictions) > 1000


def test_bats_accepts_any_listed_answer(w2v_model):
    kv = w2v_model.wv
    pairs = [("man", ("woman",)), ("he", ("she",)), ("said", ("told",))]
    questions = [
        (a, bs[0], c, ds[0]) for i, (c, ds) in enumerate(pairs) for j, (a, bs) in enumerate(pairs) if i != j
    ]
    first_only = AnalogySet(name="one", questions=questions, sections=["s"], question_sections=[0] * 6)
    guessed = evaluate_analogies(_wv(kv), first_only).predictions
    # accept exactly what was guessed as a second answer: every question becomes right
    alternatives = [(q[3], g) for q, g in zip(questions, guessed, strict=True)]
    lenient = AnalogySet(
        name="two", questions=questions, sections=["s"], question_sections=[0] * 6, alternatives=alternatives
    )
    result = evaluate_analogies(_wv(kv), lenient)
    assert result.n_correct == result.n_answered == 6
    assert result.predictions == guessed


@ignore_init_sims
def test_3cosmul_matches_most_similar_cosmul_on_trained_model(google, w2v_model):
    kv = w2v_model.wv
    result = evaluate_analogies(_wv(kv), google, method="3cosmul", restrict_vocab=None)
    predictions, n_correct = _reference(kv, google, cosmul=True)
    assert result.predictions == tuple(predictions)
    assert result.n_correct == n_correct
    assert result.method == "3cosmul"


# --- result object and inputs -------------------------------------------------------------


def test_result_frame_and_dict(google, w2v_model):
    result = evaluate_analogies(_wv(w2v_model.wv), google, restrict_vocab=2500)
    frame = result.to_frame()
    assert list(frame.columns) == ["section", "n_questions", "n_answered", "n_correct", "accuracy"]
    assert len(frame) == len(google.sections) + 1 and frame.iloc[-1]["section"] == TOTAL
    assert frame.iloc[-1]["n_questions"] == 19544 == frame.iloc[:-1]["n_questions"].sum()
    info = result.to_dict()
    assert info["restrict_vocab"] == 2500 and info["matching"] == "upper" and info["method"] == "3cosadd"
    assert info["goldset"] == "google-analogy" and len(info["goldset_sha256"]) == 64
    assert info["rows"][-1]["n_correct"] == result.n_correct


def test_keyedvectors_input_is_loaded(google, w2v_model):
    from_kv = evaluate_analogies(w2v_model.wv, google, restrict_vocab=2500)
    from_wv = evaluate_analogies(_wv(w2v_model.wv), google, restrict_vocab=2500)
    assert from_kv.rows == from_wv.rows


def test_errors_name_the_problem(google, w2v_model):
    with pytest.raises(W2VEvalError, match="unknown analogy method '3cosavg'"):
        evaluate_analogies(_wv(w2v_model.wv), google, method="3cosavg")
    pairs = GoldSet.from_pairs([("a", "b", 1.0), ("c", "d", 2.0)], name="pairs")
    with pytest.raises(W2VEvalError, match="not an analogy set"):
        evaluate_analogies(_wv(w2v_model.wv), pairs)


def test_partially_loaded_vocabulary_warns(google, w2v_model):
    kv = w2v_model.wv
    keep = sorted(
        {kv.key_to_index[w.lower()] for q in google.questions[:50] for w in q if w.lower() in kv.key_to_index}
    )
    partial = WordVectors(
        [kv.index_to_key[i] for i in keep], kv.vectors[keep], ranks=keep, vocab_size=len(kv)
    )
    with pytest.warns(UserWarning, match=r"only \d+ of the \d+ words ranked below restrict_vocab"):
        evaluate_analogies(partial, google)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluate_analogies(_wv(kv), google, restrict_vocab=1000)


# --- the evaluator plug-in ----------------------------------------------------------------


def test_evaluator_protocol(google, w2v_model):
    evaluator = AnalogyEvaluator()
    assert isinstance(evaluator, Evaluator) and evaluator.name == "analogy"
    assert evaluator.accepts(google)
    assert not evaluator.accepts(GoldSet.from_pairs([("a", "b", 1.0), ("c", "d", 2.0)], name="pairs"))
    scores = evaluator.evaluate(
        _wv(w2v_model.wv), google, oov="drop", case_sensitive=False, restrict_vocab=None, pvalues=False
    )
    add = evaluate_analogies(_wv(w2v_model.wv), google, restrict_vocab=None, matching=MatchRules())
    mul = evaluate_analogies(
        _wv(w2v_model.wv), google, restrict_vocab=None, matching=MatchRules(), method="3cosmul"
    )
    assert scores["n_pairs"] == 19544 and scores["n_scored"] == add.n_answered
    assert scores["coverage"] == pytest.approx(add.n_answered / 19544)
    assert scores["accuracy"] == add.accuracy and scores["accuracy_3cosmul"] == mul.accuracy
    assert all(math.isnan(scores[k]) for k in ("spearman", "pearson", "kendall"))


def test_evaluator_oov_zero_charges_unknown_questions(google, w2v_model):
    scores = AnalogyEvaluator().evaluate(_wv(w2v_model.wv), google, oov="zero")
    assert scores["accuracy"] == pytest.approx(scores["n_correct"] / 19544)
    with pytest.raises(W2VEvalError, match="unknown OOV policy 'skip'"):
        AnalogyEvaluator().evaluate(_wv(w2v_model.wv), google, oov="skip")


def test_evaluator_matching_rules_and_restrict_vocab():
    wv = WordVectors(
        ["Paris", "France", "Rome", "Italy", "apple"], [[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [1, 1, 1]]
    )
    questions = AnalogySet(
        name="caps",
        questions=[("paris", "france", "rome", "italy")],
        sections=["capitals"],
        question_sections=[0],
    )
    evaluator = AnalogyEvaluator()
    assert evaluator.evaluate(wv, questions)["n_correct"] == 1  # casefold by default
    assert evaluator.evaluate(wv, questions, case_sensitive=True)["n_scored"] == 0
    assert evaluator.evaluate(wv, questions, restrict_vocab=3)["n_scored"] == 0


def test_evaluate_scores_analogy_sets_beside_word_pairs(tmp_path, w2v_model):
    """Through w2veval.evaluate: the registered evaluator, the whole vocabulary loaded."""
    from gensim.test.utils import datapath

    import w2veval

    path = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(path)
    from w2veval.goldsets._analogy import read_google

    analogies = read_google(datapath("questions-words.txt"), name="google-analogy")
    table = w2veval.evaluate(path, [analogies, "ws353"])
    expected = w2v_model.wv.evaluate_word_analogies(datapath("questions-words.txt"))[1][-1]
    row = table.iloc[0]
    assert row["evaluator"] == "analogy" and row["n_pairs"] == 19544
    assert row["n_correct"] == len(expected["correct"])
    assert row["n_scored"] == len(expected["correct"]) + len(expected["incorrect"])
    assert table.iloc[1]["evaluator"] == "word-pairs"


def test_cli_analogies_per_section_equals_gensim(tmp_path, w2v_model, w2veval_cli, monkeypatch):
    import json

    from gensim.test.utils import datapath

    path = tmp_path / "v.txt"
    w2v_model.wv.save_word2vec_format(path)
    monkeypatch.setenv("W2VEVAL_HOME", str(tmp_path / "home"))  # nothing installed
    mirror = tmp_path / "mirror" / "analogy" / "google"
    mirror.mkdir(parents=True)
    (mirror / "questions-words.txt").write_bytes(open(datapath("questions-words.txt"), "rb").read())
    assert w2veval_cli("goldsets", "import", tmp_path / "mirror").returncode == 0
    done = w2veval_cli(
        "analogies", path, "-g", "google-analogy", "--format", "json", "--restrict-vocab", "5000"
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    _, sections = w2v_model.wv.evaluate_word_analogies(datapath("questions-words.txt"), restrict_vocab=5000)
    assert [r["n_correct"] for r in rows] == [len(s["correct"]) for s in sections]
    assert rows[-1]["section"] == "Total accuracy"


# --- one default: w2veval.evaluate and `w2veval analogies` agree ------------------------------


@pytest.fixture(scope="module")
def analogy_home(tmp_path_factory, shared_goldsets):
    """A W2VEVAL_HOME with the Google sets (words and phrases) imported from the shared copies."""
    import shutil
    import subprocess
    import sys

    home = tmp_path_factory.mktemp("home")
    mirror = tmp_path_factory.mktemp("mirror") / "analogy"
    shutil.copytree(shared_goldsets / "analogy" / "google", mirror / "google")
    done = subprocess.run(
        [sys.executable, "-m", "w2veval", "goldsets", "import", str(mirror)],
        capture_output=True,
        text=True,
        env={**os.environ, "W2VEVAL_HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    return home


def _write_text(path, words, matrix):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{len(words)} {matrix.shape[1]}\n")
        for word, row in zip(words, matrix, strict=True):
            fh.write(word + " " + " ".join(repr(float(x)) for x in row) + "\n")
    return path


def _cli_total(w2veval_cli, path, name, *options):
    done = w2veval_cli("analogies", path, "-g", name, "--format", "json", "--no-progress", *options)
    assert done.returncode == 0, done.stderr
    total = json.loads(done.stdout)[-1]
    assert total["section"] == TOTAL
    return total


def _oracle_exact_first(words, matrix, questions):
    """By hand: each question word gets its exact form if the vocabulary has it, else its first
    case variant (casefold); the answer is the nearest word to b - a + c (unit vectors) that
    is no case variant of a, b or c; right when it is a case variant of d."""
    first, index = {}, {}
    for pos, word in enumerate(words):
        first.setdefault(word.casefold(), pos)
        index.setdefault(word, pos)
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    folded = np.array([first[w.casefold()] for w in words])
    n_answered = n_correct = 0
    for question in questions:
        pos = [index.get(w, first.get(w.casefold())) for w in question]
        if None in pos:
            continue
        n_answered += 1
        a, b, c, d = pos
        scores = unit @ (unit[b] - unit[a] + unit[c])
        scores[np.isin(folded, [folded[a], folded[b], folded[c]])] = -np.inf
        n_correct += folded[int(np.argmax(scores))] == folded[d]
    return n_answered, n_correct


@pytest.fixture(scope="module")
def cased_glove(glove):
    """GloVe's first 30,000 words with a capitalised twin (a noisy copy, as a cased corpus
    learns from sentence starts) of every 4th of the first 8,000, ranked before them all."""
    words, matrix = glove
    rng = np.random.default_rng(5)
    twins = [i for i in range(0, 8000, 4) if words[i].isalpha()]
    noise = 0.6 * rng.standard_normal((len(twins), matrix.shape[1])).astype(np.float32)
    cased_words = [words[i].title() for i in twins] + list(words[:30000])
    cased = np.vstack([matrix[twins] + noise, matrix[:30000]]).astype(np.float32)
    assert len(set(cased_words)) == len(cased_words)
    return cased_words, cased


def test_exact_form_first_for_question_words_against_a_hand_written_oracle(google, cased_glove):
    words, vectors = cased_glove
    sample = [q for i, q in enumerate(google.questions) if i % 20 == 0]
    subset = AnalogySet(
        name="sample", questions=sample, sections=["all"], question_sections=[0] * len(sample)
    )
    ours = evaluate_analogies(WordVectors(words, vectors), subset, restrict_vocab=None, matching=MatchRules())
    gensim_rule = evaluate_analogies(WordVectors(words, vectors), subset, restrict_vocab=None)
    assert (ours.n_answered, ours.n_correct) == _oracle_exact_first(words, vectors, sample)
    assert ours.n_correct > 250
    assert ours.n_correct > gensim_rule.n_correct  # "boy" keeps its vector, not its noisy twin "Boy"'s


def test_evaluate_and_cli_agree_on_a_cased_vocabulary(
    mixed_case, analogy_home, monkeypatch, tmp_path, w2veval_cli
):
    """Both match words by the same rule (exact form first); --case gensim is gensim's."""
    import w2veval

    monkeypatch.setenv("W2VEVAL_HOME", str(analogy_home))
    words, vectors = mixed_case
    path = _write_text(tmp_path / "cased.txt", words, vectors)
    row = w2veval.evaluate(path, "google-analogy").iloc[0]
    total = _cli_total(w2veval_cli, path, "google-analogy")
    assert (total["n_correct"], total["n_answered"], total["accuracy"]) == (
        row["n_correct"],
        row["n_scored"],
        row["accuracy"],
    )
    assert row["restrict_vocab"] == 300000 and row["matching"] == "nfc+casefold+phrases"
    gensim_total = _cli_total(w2veval_cli, path, "google-analogy", "--case", "gensim")
    expected = _keyed(words, vectors).evaluate_word_analogies(GOOGLE)[1][-1]
    assert gensim_total["n_correct"] == len(expected["correct"]) != total["n_correct"]
    assert (
        w2veval.evaluate(path, "google-analogy", case="gensim").iloc[0]["n_correct"]
        == gensim_total["n_correct"]
    )


@pytest.fixture(scope="module")
def glove_file(glove, tmp_path_factory):
    """GloVe 6B 50d, all 400,000 words, as a word2vec binary file."""
    words, matrix = glove
    kv = _keyed(words, matrix)
    path = tmp_path_factory.mktemp("glove-file") / "glove.6B.50d.bin"
    kv.save_word2vec_format(str(path), binary=True)
    return path


def test_evaluate_and_cli_agree_on_glove_by_default(glove_file, analogy_home, monkeypatch, w2veval_cli):
    """Google's phrase questions on the whole GloVe 6B 50d (a set small enough for a test, of
    which GloVe knows 56 questions' words): both search the first 300,000 words by default."""
    import w2veval

    monkeypatch.setenv("W2VEVAL_HOME", str(analogy_home))
    row = w2veval.evaluate(glove_file, "google-analogy-phrases").iloc[0]
    total = _cli_total(w2veval_cli, glove_file, "google-analogy-phrases")
    assert (total["n_correct"], total["n_answered"], total["accuracy"]) == (
        row["n_correct"],
        row["n_scored"],
        row["accuracy"],
    )
    assert row["restrict_vocab"] == 300000 and row["n_scored"] > 50 and row["n_correct"] > 10
