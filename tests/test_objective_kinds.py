"""Objectives whose terms name categorization, outlier and classification sets (catalogued or
user files): the metric per kind and its override, round trips through parse/spec/JSON
(hypothesis), and values checked against the weighted mean computed here from the rows'
independent numbers (scikit-learn on the out-of-fold predictions) on the Lee model."""

from __future__ import annotations

import math
import os
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, f1_score

from w2veval import goldsets
from w2veval.io import load_vectors
from w2veval.matching import MatchRules
from w2veval.objective import KIND_METRICS, Objective, ObjectiveError
from w2veval.scoring._classification import out_of_fold_predictions
from w2veval.scoring._pairs import OOV_POLICIES

KIND_OPTIONS = {
    "task_metric": "classification",
    "categorization_metric": "categorization",
    "outlier_metric": "outlier",
}


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the Lee corpus covers little
        yield


@pytest.fixture(scope="module")
def home(tmp_path_factory, shared_goldsets, shared_tasks):
    """A W2VEVAL_HOME with ../shared/goldsets and ../shared/tasks imported (once per module)."""
    folder = tmp_path_factory.mktemp("home")
    before = os.environ.get("W2VEVAL_HOME")
    os.environ["W2VEVAL_HOME"] = str(folder)
    try:
        goldsets.import_dir(shared_goldsets)
        goldsets.import_dir(shared_tasks)
    finally:
        if before is None:
            del os.environ["W2VEVAL_HOME"]
        else:
            os.environ["W2VEVAL_HOME"] = before
    return folder


@pytest.fixture
def installed(home, monkeypatch):
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    return home


@pytest.fixture(scope="module")
def sg(w2v_model):
    return load_vectors(w2v_model.wv)


# --- text and JSON forms -------------------------------------------------------------------


def test_the_documented_forms_parse_and_keep_their_defaults():
    objective = Objective.parse("0.5*mr-polarity+0.5*ws353-sim")
    assert str(objective) == "0.5*mr-polarity+0.5*ws353-sim"
    assert (objective.task_metric, objective.categorization_metric, objective.outlier_metric) == (
        "macro_f1",
        "purity",
        "accuracy",
    )
    user = Objective.parse("1*task:my-tickets.tsv + 1*ap")
    assert [t.goldset for t in user.terms] == ["task:my-tickets.tsv", "ap"]
    assert user.to_dict() == {
        "name": "1*task:my-tickets.tsv+1*ap",
        "oov": "drop",
        "metric": "spearman",
        "terms": [{"weight": 1.0, "goldset": "task:my-tickets.tsv"}, {"weight": 1.0, "goldset": "ap"}],
    }


def test_metric_for_each_kind():
    objective = Objective.parse(
        "1*ap+1*8-8-8+1*sms-spam+1*ws353;metric=pearson;task_metric=accuracy;"
        "categorization_metric=v_measure;outlier_metric=opp"
    )
    assert [
        objective.metric_for(k)
        for k in ("classification", "categorization", "outlier", "similarity", "mixed", "analogy", None)
    ] == ["accuracy", "v_measure", "opp", "pearson", "pearson", None, "pearson"]
    assert str(objective).endswith(
        ";metric=pearson;task_metric=accuracy;categorization_metric=v_measure;outlier_metric=opp"
    )


@pytest.mark.parametrize(
    "text, position, message",
    [
        ("1*x;task_metric=f1", 16, "unknown task_metric 'f1'; choose one of macro_f1, accuracy"),
        ("1*x;outlier_metric=purity", 19, "unknown outlier_metric 'purity'; choose one of accuracy, opp"),
        ("1*x;task_metric=accuracy;task_metric=macro_f1", 25, "the option 'task_metric' is given twice"),
        ("1*lang:en", 2, "is a tag"),
        ("1*kind:outlier", 2, "is a tag"),
    ],
)
def test_bad_kind_options_and_tags_name_the_position(text, position, message):
    with pytest.raises(ObjectiveError) as info:
        Objective.parse(text)
    assert info.value.position == position
    assert message in str(info.value)


def test_json_refuses_an_unknown_kind_metric():
    with pytest.raises(ObjectiveError, match="unknown categorization_metric 'accuracy'"):
        Objective.parse('{"terms": [{"weight": 1, "goldset": "ap"}], "categorization_metric": "accuracy"}')


names = st.one_of(
    st.sampled_from(
        [
            "ap",
            "battig",
            "bless-categories",
            "essli-2008",
            "8-8-8",
            "wikisem500",
            "mr-polarity",
            "sms-spam",
            "ws353-sim",
        ]
    ),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(["task:", "categorization:", "outlier:"]),
        st.text(
            st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="+;*"),
            min_size=1,
            max_size=15,
        ),
    ),
)


@st.composite
def objectives(draw, named=False):
    goldsets_ = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    weights = st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False)
    chosen = {option: draw(st.sampled_from(KIND_METRICS[kind])) for option, kind in KIND_OPTIONS.items()}
    return Objective(
        terms=[(draw(weights), g) for g in goldsets_],
        oov=draw(st.sampled_from(OOV_POLICIES)),
        metric=draw(st.sampled_from(("spearman", "pearson"))),
        name=draw(st.text(min_size=1, max_size=20)) if named else None,
        **chosen,
    )


@given(objectives())
def test_string_form_round_trips_every_kind_option(objective):
    back = Objective.parse(str(objective))
    assert back == objective and str(back) == str(objective)
    assert all(getattr(back, o) == getattr(objective, o) for o in KIND_OPTIONS)


@given(objectives(named=True))
def test_json_form_round_trips_every_kind_option(objective):
    back = Objective.parse(objective.to_json())
    assert back == objective and back.name == objective.name
    assert Objective.from_dict(objective.to_dict()) == objective


# --- values -----------------------------------------------------------------------------------


def test_value_mixes_a_task_and_word_pairs_with_each_kinds_metric(installed, sg):
    objective = Objective.parse("0.25*sms-spam+0.75*ws353")
    result = objective.evaluate(sg)
    task_row, pair_row = result.rows
    assert (task_row["kind"], pair_row["kind"]) == ("classification", goldsets.load("ws353").kind)
    y, predicted = out_of_fold_predictions(sg, goldsets.load("sms-spam"), rules=MatchRules())
    macro_f1 = f1_score(y, predicted, average="macro")
    assert result.scores == {"sms-spam": pytest.approx(macro_f1, abs=1e-12), "ws353": pair_row["spearman"]}
    assert result.value == pytest.approx(0.25 * macro_f1 + 0.75 * pair_row["spearman"], abs=1e-12)
    by_accuracy = Objective.parse("0.25*sms-spam+0.75*ws353;task_metric=accuracy").evaluate(sg)
    assert by_accuracy.scores["sms-spam"] == pytest.approx(accuracy_score(y, predicted), abs=1e-12)


def test_value_of_categorization_and_outlier_terms(installed, sg):
    result = Objective.parse("1*ap+3*8-8-8").evaluate(sg)
    ap, eight = result.rows
    assert (ap["kind"], eight["kind"]) == ("categorization", "outlier")
    assert result.scores == {"ap": ap["purity"], "8-8-8": eight["accuracy"]}
    if not math.isnan(ap["purity"]) and not math.isnan(eight["accuracy"]):
        assert result.value == pytest.approx((ap["purity"] + 3 * eight["accuracy"]) / 4, abs=1e-12)
    other = Objective.parse("1*ap+3*8-8-8;categorization_metric=adjusted_rand;outlier_metric=opp").evaluate(
        sg
    )
    assert other.scores == {"ap": ap["adjusted_rand"], "8-8-8": eight["opp"]}


def test_a_users_task_file_is_a_term(installed, sg, tmp_path, shared_tasks):
    raw = (shared_tasks / "sms-spam" / "SMSSpamCollection").read_bytes().decode("utf-8")
    rows = [line.rstrip("\r") for line in raw.split("\n")[1:] if line.strip()][:400]
    path = tmp_path / "my-tickets.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    objective = Objective.parse(f"1*task:{path}+1*ws353")
    result = objective.evaluate(sg)
    assert result.rows[0]["kind"] == "classification" and result.rows[0]["n_pairs"] == 400
    assert result.scores[result.rows[0]["goldset"]] == result.rows[0]["macro_f1"]


def test_a_task_no_text_of_which_is_known_makes_the_objective_nan(installed, sg, tmp_path):
    path = tmp_path / "unknown.tsv"
    lines = [f"{'a' if i % 2 else 'b'}\tqqzzxv{i} wwkkjq{i}" for i in range(40)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with pytest.warns(UserWarning, match=r"is NaN: no defined macro_f1 on .*0 of 40 texts scored"):
            result = Objective.parse(f"1*task:{path}+1*ws353").evaluate(sg)
    assert math.isnan(result.value)
