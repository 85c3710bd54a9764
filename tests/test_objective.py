"""Objectives: the string and JSON forms, evaluation, BlazingText's mean_rho, NaN behaviour."""

import json
import math
import shutil
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import w2veval
from w2veval import W2VEvalError
from w2veval.goldsets import import_dir
from w2veval.objective import Objective, ObjectiveError, Term, predefined_names
from w2veval.scoring._pairs import OOV_POLICIES, UnreliableScoreWarning

SPLITS = ("EN-WS-353-ALL.txt", "EN-WS-353-REL.txt", "EN-WS-353-SIM.txt")


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableScoreWarning)  # the Lee corpus covers little
        yield


# --- text and JSON forms ---------------------------------------------------------------


def test_parse_the_documented_example():
    objective = Objective.parse("0.7*jobs-domain+0.3*ws353-sim;oov=zero")
    assert objective.terms == (Term(0.7, "jobs-domain"), Term(0.3, "ws353-sim"))
    assert (objective.oov, objective.metric) == ("zero", "spearman")
    assert objective.name == str(objective) == "0.7*jobs-domain+0.3*ws353-sim;oov=zero"
    assert objective.maximize is True and objective.direction == "maximize"


def test_white_space_paths_exponents_and_options():
    objective = Objective.parse(" 2 * my gold/set.tsv + 1e-3*ws353 ; metric = pearson ; oov=coverage ")
    assert objective.terms == (Term(2.0, "my gold/set.tsv"), Term(0.001, "ws353"))
    assert (objective.oov, objective.metric) == ("coverage", "pearson")
    assert str(objective) == "2*my gold/set.tsv+0.001*ws353;oov=coverage;metric=pearson"
    assert Objective.parse("1e+16*a").terms[0].weight == 1e16
    assert Objective.parse(str(Objective.parse("1e+16*a"))) == Objective.parse("1e+16*a")


def test_json_form():
    objective = Objective.parse("0.7*jobs-domain+0.3*ws353-sim;oov=zero")
    data = json.loads(objective.to_json())
    assert data == {
        "name": "0.7*jobs-domain+0.3*ws353-sim;oov=zero",
        "terms": [{"weight": 0.7, "goldset": "jobs-domain"}, {"weight": 0.3, "goldset": "ws353-sim"}],
        "oov": "zero",
        "metric": "spearman",
    }
    named = Objective.parse('{"terms": [{"weight": 1, "goldset": "ws353"}], "name": "mine"}')
    assert (named.name, named.oov, named.metric, str(named)) == ("mine", "drop", "spearman", "1*ws353")
    assert Objective.parse(named.to_json()) == named
    assert Objective.parse(named.to_dict()) == named == Objective.from_dict(named.to_dict())


names = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="+;*"), min_size=1, max_size=20
    )
    .map(str.strip)
    .filter(lambda s: s and not s.startswith(("lang:", "kind:")))
)
weights = st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False)


@st.composite
def objectives(draw, named=False):
    goldsets = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    terms = [Term(draw(weights), g) for g in goldsets]
    return Objective(
        terms=terms,
        oov=draw(st.sampled_from(OOV_POLICIES)),
        metric=draw(st.sampled_from(("spearman", "pearson"))),
        name=draw(st.text(min_size=1, max_size=20)) if named else None,
    )


@settings(max_examples=100, deadline=None)
@given(objectives())
def test_string_form_round_trips(objective):
    assert Objective.parse(str(objective)) == objective
    assert str(Objective.parse(str(objective))) == str(objective)


@settings(max_examples=100, deadline=None)
@given(objectives(named=True))
def test_json_form_round_trips(objective):
    assert Objective.parse(objective.to_json()) == objective
    assert Objective.parse(objective.to_json(indent=2)) == objective


@pytest.mark.parametrize(
    "text, position, message",
    [
        ("0.7*jobs-domain+", 16, "expected a weight (a positive number such as 0.5), found the end"),
        ("0.7*x++0.3*y", 6, "expected a weight (a positive number such as 0.5), found '+'"),
        ("ws353", 0, "found 'w' (write '1*ws353' for weight 1)"),
        ("1*ws353+simlex999", 8, "(write '1*simlex999' for weight 1)"),
        ("-1*x", 0, "weights must be positive"),
        ("0*x", 0, "a weight must be positive and finite, got 0"),
        ("1e999*x", 0, "a weight must be positive and finite, got 1e999"),
        ("1 x", 2, "expected '*' after the weight 1, found 'x'"),
        ("1*", 2, "expected a gold-set name after '*', found the end"),
        ("1*  +2*y", 4, "expected a gold-set name after '*', found '+'"),
        ("1*x*2", 3, "a gold-set name cannot contain '*'"),
        ("1*x+2*x", 6, "the gold set 'x' is already weighted at char 2"),
        ("1*lang:de", 2, "is a tag, which selects several gold sets"),
        (
            "1*x;",
            4,
            "expected an option KEY=VALUE (oov, metric, task_metric, categorization_metric, "
            "outlier_metric) after ';', found the end",
        ),
        (
            "1*x;oov",
            4,
            "expected an option KEY=VALUE (oov, metric, task_metric, categorization_metric, "
            "outlier_metric) after ';', found 'oov'",
        ),
        (
            "1*x; colour=red",
            5,
            "unknown option 'colour'; the options are oov, metric, task_metric, "
            "categorization_metric, outlier_metric",
        ),
        (
            "1*x;oov=ignore",
            8,
            "unknown OOV policy 'ignore'; choose one of drop, zero, mean, subword, coverage",
        ),
        ("1*x;metric=kendall", 11, "unknown metric 'kendall'; choose one of spearman, pearson"),
        ("1*x;oov=zero;oov=drop", 13, "the option 'oov' is given twice"),
        ('{"terms": [}', 11, "cannot parse objective JSON at char 11"),
    ],
)
def test_malformed_strings_name_the_position(text, position, message):
    with pytest.raises(ObjectiveError) as info:
        Objective.parse(text)
    assert info.value.position == position
    assert message in str(info.value)
    assert f"at char {position}" in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, W2VEvalError)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"terms": []}, "needs at least one weighted gold set"),
        ({"terms": [{"weight": 1, "goldset": "a"}], "colour": 1}, "unknown key(s) ['colour']"),
        ({"terms": "1*a"}, 'needs "terms": a list'),
        (
            {"terms": [{"weight": 1}]},
            'term 0 of the objective JSON must be {"weight": number, "goldset": name}',
        ),
        ({"terms": [{"weight": True, "goldset": "a"}]}, "a weight must be a positive number, got True"),
        ({"terms": [{"weight": -2, "goldset": "a"}]}, "positive finite number, got -2"),
        ({"terms": [{"weight": 1, "goldset": "a+b"}]}, "contains one of + ; *"),
        ({"terms": [{"weight": 1, "goldset": " a"}]}, "starts or ends with white space"),
        ({"terms": [{"weight": 1, "goldset": "a"}], "oov": "ignore"}, "unknown OOV policy 'ignore'"),
        ({"terms": [{"weight": 1, "goldset": "a"}], "name": ""}, "name must be a non-empty string"),
    ],
)
def test_malformed_json_says_what_is_wrong(data, message):
    with pytest.raises(ObjectiveError, match=None) as info:
        Objective.parse(json.dumps(data))
    assert message in str(info.value)


def test_predefined():
    objective = Objective.predefined("mean_rho")
    assert objective.terms == (Term(1, "ws353"), Term(1, "ws353-rel"), Term(1, "ws353-sim"))
    assert (objective.oov, objective.metric, objective.name) == ("drop", "spearman", "mean_rho")
    assert Objective.parse("mean_rho") == objective and "mean_rho" in predefined_names()
    with pytest.raises(ObjectiveError, match="no predefined objective 'mean-rho'; did you mean 'mean_rho'"):
        Objective.predefined("mean-rho")


# --- evaluation -----------------------------------------------------------------------------


@pytest.fixture
def ws353_installed(shared_goldsets, tmp_path, monkeypatch):
    """A temporary W2VEVAL_HOME with the real WS-353 files (all, relatedness, similarity) imported."""
    monkeypatch.setenv("W2VEVAL_HOME", str(tmp_path / "home"))
    shutil.copytree(shared_goldsets / "ws353", tmp_path / "import" / "ws353")
    import_dir(tmp_path / "import")
    return shared_goldsets


@pytest.mark.parametrize("model", ["w2v_model", "cbow_model"])
def test_mean_rho_objective_equals_blazingtext_mean_rho(request, ws353_installed, tmp_path, model):
    kv = request.getfixturevalue(model).wv
    path = tmp_path / "vectors.bin"
    kv.save_word2vec_format(path, binary=True)
    result = Objective.predefined("mean_rho").evaluate(path)
    assert result.value == w2veval.mean_rho(path)  # exactly: the same rows, the same arithmetic
    assert [row["goldset"] for row in result.rows] == ["ws353", "ws353-rel", "ws353-sim"]
    # and the wordvectors.org copies BlazingText's evaluator reads hold the same pairs
    splits = [ws353_installed / "wordvectors_org" / name for name in SPLITS]
    assert result.value == pytest.approx(w2veval.mean_rho(kv, files=splits), abs=1e-12)


def test_value_is_the_weighted_mean(cbow_model):
    objective = Objective.parse("0.7*ws353+0.2*simlex999+0.1*jobs-domain;oov=zero;metric=pearson")
    result = objective.evaluate(cbow_model.wv)
    scores = [row["pearson"] for row in result.rows]
    expected = (0.7 * scores[0] + 0.2 * scores[1] + 0.1 * scores[2]) / (0.7 + 0.2 + 0.1)
    assert result.value == pytest.approx(expected, abs=1e-15)
    assert result.scores == dict(zip(["ws353", "simlex999", "jobs-domain"], scores, strict=True))
    assert all(row["oov"] == "zero" for row in result.rows)
    assert math.isnan(result.rows[0]["spearman_p"])  # no p-values unless asked
    assert result.to_dict()["objective"]["name"] == str(objective) and result.to_dict()["maximize"] is True


def test_weights_need_not_sum_to_one(cbow_model):
    a = Objective.parse("3*ws353+1*simlex999").evaluate(cbow_model.wv).value
    b = Objective.parse("0.75*ws353+0.25*simlex999").evaluate(cbow_model.wv).value
    assert a == pytest.approx(b, abs=1e-15)


def test_options_pass_through_but_not_the_policy(cbow_model):
    objective = Objective.parse("1*ws353")
    restricted = objective.evaluate(cbow_model.wv, restrict_vocab=500).rows[0]
    assert restricted["restrict_vocab"] == 500
    with pytest.raises(TypeError, match="oov is part of the objective"):
        objective.evaluate(cbow_model.wv, oov="zero")
    with pytest.raises(ObjectiveError, match="one vectors source at a time"):
        objective.evaluate([cbow_model.wv, cbow_model.wv])


@pytest.mark.parametrize("oov", ["drop", "zero", "coverage"])
def test_zero_scored_pairs_make_the_objective_nan_under_every_policy(w2v_model, tmp_path, oov):
    """Before issue 11, zero and coverage scored a set of unknown words 0.0 and the objective was a number."""
    unknown = tmp_path / "unknown-words.tsv"
    unknown.write_text("zzqx\tqqzx\t1\nxxqz\tzzxq\t2\nqzqz\txzxz\t3\n")
    objective = Objective(terms=[(1.0, str(unknown)), (1.0, "ws353")], oov=oov)
    with pytest.warns(
        UserWarning,
        match=rf"is NaN: no defined spearman on unknown-words \(0 of 3 pairs "
        rf"scored\) with oov={oov}; the vectors know too few words",
    ):
        result = objective.evaluate(w2v_model.wv)
    assert math.isnan(result.value) and math.isnan(result.rows[0]["spearman"])
    assert not math.isnan(result.rows[1]["spearman"])  # ws353 itself is defined


def test_coverage_objective_is_coverage_weighted(cbow_model):
    drop = Objective.parse("1*ws353+1*simlex999").evaluate(cbow_model.wv)
    cov = Objective.parse("1*ws353+1*simlex999;oov=coverage").evaluate(cbow_model.wv)
    expected = sum(r["coverage"] * r["spearman"] for r in drop.rows) / 2
    assert cov.value == pytest.approx(expected, abs=1e-15)
    assert abs(cov.value) < abs(drop.value)


def test_a_tuning_trial_on_an_undefined_objective_is_nan_not_zero(w2v_model, tmp_path):
    """Tuning scores a trial with Scorer: a coverage objective on a set of unknown words used to be
    0.0 (a number a tuner could prefer); it is NaN, which run_trial turns into a failed trial."""
    from w2veval.tune._trial import Scorer

    unknown = tmp_path / "unknown-words.tsv"
    unknown.write_text("zzqx\tqqzx\t1\nxxqz\tzzxq\t2\nqzqz\txzxz\t3\n")
    objective = Objective(terms=[(1.0, str(unknown)), (1.0, "ws353")], oov="coverage")
    outcome = Scorer(objective).score(w2v_model.wv)
    assert math.isnan(outcome["objective"]) and math.isnan(outcome["scores"]["unknown-words"])
    assert any("unknown-words" in w and "undefined (NaN)" in w for w in outcome["warnings"])
