"""SageMaker metric definitions, metric lines and the tuning-job request."""

from __future__ import annotations

import io
import math
import re

import botocore.session
import botocore.validate
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from w2veval import Objective, W2VEvalError
from w2veval.objective import ObjectiveError
from w2veval.sagemaker import (
    MEAN_RHO_METRIC,
    OBJECTIVE_METRIC,
    SageMakerConfigError,
    emit_metrics,
    format_value,
    metric_definitions,
    tuning_job_request,
)
from w2veval.space import Categorical, Integer, SearchSpace


def _tuner_reads(definitions, log: str) -> dict:
    """What the tuner reads: per metric, the first group of the last match in the log."""
    values = {}
    for definition in definitions:
        matches = list(re.finditer(definition["Regex"], log))
        if matches:
            values[definition["Name"]] = float(matches[-1].group(1))
    return values


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _emitted(values, objective_value, **kwargs) -> str:
    buffer = io.StringIO()
    emit_metrics(values, objective_value, file=buffer, **kwargs)
    return buffer.getvalue()


# --- naming ---------------------------------------------------------------------------


def test_names_objective_first_then_mean_rho_then_each_goldset():
    names = [d["Name"] for d in metric_definitions("0.7*jobs-domain+0.3*ws353-sim;oov=zero")]
    assert names == ["w2veval:objective", "train:mean_rho", "w2veval:jobs-domain", "w2veval:ws353-sim"]
    names = [d["Name"] for d in metric_definitions("0.7*jobs-domain+0.3*ws353-sim;oov=zero", mean_rho=False)]
    assert names == ["w2veval:objective", "w2veval:jobs-domain", "w2veval:ws353-sim"]


def test_train_mean_rho_reads_the_jobs_mean_rho_line_beside_another_objective():
    definitions = metric_definitions("1*jobs-domain")
    log = _emitted({"jobs-domain": 0.25}, 0.25, mean_rho=0.5)
    assert log.splitlines()[-1] == "#mean_rho: 0.5"
    assert _tuner_reads(definitions, log) == {
        OBJECTIVE_METRIC: 0.25,
        MEAN_RHO_METRIC: 0.5,
        "w2veval:jobs-domain": 0.25,
    }


def test_mean_rho_flag_is_keyword_only():
    with pytest.raises(TypeError):
        metric_definitions("1*ws353", False)


def test_mean_rho_is_blazingtexts_metric():
    for objective in ("mean_rho", Objective.predefined("mean_rho")):
        for flag in (True, False):  # the objective's metric is train:mean_rho already: never twice
            definitions = metric_definitions(objective, mean_rho=flag)
            assert [d["Name"] for d in definitions] == [
                "train:mean_rho",
                "w2veval:ws353",
                "w2veval:ws353-rel",
                "w2veval:ws353-sim",
            ]
    # BlazingText's own log line is read by our train:mean_rho regex.
    assert _tuner_reads(definitions, "#mean_rho: 0.6912\n")[MEAN_RHO_METRIC] == 0.6912


def test_same_goldsets_with_other_weights_is_not_mean_rho():
    names = [d["Name"] for d in metric_definitions("1*ws353+2*ws353-rel+1*ws353-sim", mean_rho=False)]
    assert names[0] == OBJECTIVE_METRIC and MEAN_RHO_METRIC not in names


def test_emitted_lines_exact():
    text = _emitted({"ws353": -0.25, "jobs.domain-v2": 0.125}, 1e-05)
    assert text == "#w2veval:ws353: -0.25\n#w2veval:jobs.domain-v2: 0.125\n#w2veval:objective: 1e-05\n"
    text = _emitted({"ws353": 0.5}, 0.5, objective="mean_rho")
    assert text.splitlines()[-1] == "#mean_rho: 0.5"


def test_nan_lines_are_left_out_and_said_why():
    out, log = io.StringIO(), io.StringIO()
    left_out = emit_metrics(
        {"ws353": -0.25, "jobs.domain-v2": float("nan")},
        float("nan"),
        mean_rho=float("nan"),
        file=out,
        log=log,
    )
    assert out.getvalue() == "#w2veval:ws353: -0.25\n"
    assert left_out == ["w2veval:jobs.domain-v2", OBJECTIVE_METRIC, MEAN_RHO_METRIC]
    lines = log.getvalue().splitlines()
    assert len(lines) == 3 and all("left out: its value is NaN" in line for line in lines)
    assert "w2veval:jobs.domain-v2" in lines[0]


def test_emit_flushes_each_line():
    class Recorder(io.StringIO):
        flushes = 0

        def flush(self):
            Recorder.flushes += 1
            super().flush()

    emit_metrics({"a": 1.0, "b": 2.0}, 3.0, file=Recorder())
    assert Recorder.flushes == 3


def test_emit_defaults_to_stdout(capsys):
    emit_metrics({"ws353": 0.5}, 0.5)
    assert capsys.readouterr().out == "#w2veval:ws353: 0.5\n#w2veval:objective: 0.5\n"


@pytest.mark.parametrize(
    "value, text",
    [
        (0.1, "0.1"),
        (-2.5e3, "-2500.0"),
        (1e-300, "1e-300"),
        (-1.7976931348623157e308, "-1.7976931348623157e+308"),
        (float("inf"), "inf"),
        (3, "3.0"),
        (-0.0, "-0.0"),
    ],
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_format_value_refuses_nan():
    with pytest.raises(ValueError, match="NaN is not printed"):
        format_value(float("nan"))


# --- the tuner reads back every value -------------------------------------------------

VALUES = [
    0.0,
    -0.0,
    0.6912345678901234,
    -0.25,
    1e-05,
    -2.5e-05,
    5e-324,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    123456789.0,
    1.0,
    -1.0,
]
GOLDSETS = [
    "ws353",
    "ws353-sim",
    "ws353-rel",
    "jobs.domain-v2",
    "simlex-999.en",
    "my data (v1)",
    "a.b$^|{2}[x]?\\c",
]


@pytest.mark.parametrize("value", VALUES)
def test_round_trip_every_value(value):
    goldsets = ["ws353", "ws353-sim", "jobs.domain-v2"]
    objective = Objective(terms=tuple((1, g) for g in goldsets))
    values = dict.fromkeys(goldsets, value)
    read = _tuner_reads(metric_definitions(objective), _emitted(values, value))
    assert set(read) == {OBJECTIVE_METRIC} | {f"w2veval:{g}" for g in goldsets}
    assert all(_same(v, value) for v in read.values())


def test_round_trip_distinct_values_and_last_value_counts():
    goldsets = ["ws353", "ws353-sim", "ws353-rel", "jobs.domain-v2", "simlex-999.en"]
    objective = Objective(terms=tuple((1, g) for g in goldsets))
    definitions = metric_definitions(objective)
    first = dict(zip(goldsets, [0.1, 0.2, 0.3, 0.4, 0.5], strict=True))
    last = dict(zip(goldsets, [-1e-05, float("nan"), -2.5e03, 1e300, 0.7071067811865476], strict=True))
    expected = dict(last, **{"ws353-sim": first["ws353-sim"]})  # a NaN line is left out: the last value stays
    log = "[epoch 1] loss 1.5e-3\n" + _emitted(first, 0.3) + "some other line\n" + _emitted(last, -0.125)
    read = _tuner_reads(definitions, log)
    assert read.pop(OBJECTIVE_METRIC) == -0.125
    assert read.keys() == {f"w2veval:{g}" for g in goldsets}
    for g in goldsets:
        assert _same(read[f"w2veval:{g}"], expected[g])


@pytest.mark.parametrize("text", ["1e-05", "-2.5E+03", "-0.5", "+3", ".5", "7.", "inf"])
def test_regex_accepts_other_spellings(text):
    definitions = metric_definitions("1*ws353")
    read = _tuner_reads(definitions, f"#w2veval:ws353: {text}\n#w2veval:objective: {text}")
    assert all(_same(v, float(text)) for v in read.values()) and len(read) == 2


def test_prefix_collision():
    definitions = metric_definitions("1*ws353-sim+1*ws353+1*a+1*a: 1 x")
    log = "#w2veval:ws353-sim: 0.75\n#w2veval:a: 1 x: 0.5\n"
    read = _tuner_reads(definitions, log)
    assert read == {"w2veval:ws353-sim": 0.75, "w2veval:a: 1 x": 0.5}
    # each regex matches only its own line, also line by line
    for line in log.splitlines():
        assert sum(bool(re.search(d["Regex"], line)) for d in definitions) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(GOLDSETS), st.floats(allow_nan=True), min_size=1),
    st.floats(allow_nan=True),
)
def test_round_trip_property(values, objective_value):
    objective = Objective(terms=tuple((1, g) for g in values))
    read = _tuner_reads(metric_definitions(objective), _emitted(values, objective_value, log=io.StringIO()))
    expected = dict({f"w2veval:{g}": v for g, v in values.items()}, **{OBJECTIVE_METRIC: objective_value})
    assert read == {name: value for name, value in expected.items() if not math.isnan(value)}


# --- limits -------------------------------------------------------------------------------


def test_eighteen_goldsets_fit_beside_mean_rho_nineteen_without():
    many = "+".join(f"1*g{i}" for i in range(19))
    assert len(metric_definitions("+".join(f"1*g{i}" for i in range(18)))) == 20
    with pytest.raises(SageMakerConfigError, match="leaving 18 for gold sets") as info:
        metric_definitions(many)
    assert "at most 20" in str(info.value) and "mean_rho=False" in str(info.value)
    assert isinstance(info.value, (W2VEvalError, ValueError))
    assert len(metric_definitions(many, mean_rho=False)) == 20
    with pytest.raises(SageMakerConfigError, match="leaving 19 for gold sets"):
        metric_definitions("+".join(f"1*g{i}" for i in range(20)), mean_rho=False)


def test_too_long_name_or_regex():
    with pytest.raises(SageMakerConfigError, match="1 to 255"):
        metric_definitions("1*" + "g" * 250)
    with pytest.raises(SageMakerConfigError, match="1 to 500"):
        metric_definitions("1*" + "(" * 200)


@pytest.mark.parametrize("name", ["x#y", "objective"])
def test_goldset_names_that_cannot_be_metrics(name):
    with pytest.raises(SageMakerConfigError, match="rename"):
        metric_definitions(f"1*{name}")


def test_bad_objective_is_objective_error():
    with pytest.raises(ObjectiveError):
        metric_definitions("0.7*")


# --- the tuning-job request ---------------------------------------------------------------

ARGS = {
    "name": "w2v-tune-1",
    "image_uri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/w2veval:1",
    "role_arn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "train_s3_uri": "s3://bucket/train/",
    "output_s3_uri": "s3://bucket/output/",
}


def _validate(request):
    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model("CreateHyperParameterTuningJob").input_shape
    report = botocore.validate.ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()


@pytest.mark.parametrize("objective", ["0.7*jobs-domain+0.3*ws353-sim;oov=zero", "mean_rho"])
def test_request_valid_against_service_model(objective):
    request = tuning_job_request(
        objective=objective,
        goldsets_s3_uri="s3://bucket/goldsets/",
        static_hyperparameters={"epochs": 10, "subwords": False, "sampling_threshold": 1e-4},
        **ARGS,
    )
    _validate(request)
    config = request["HyperParameterTuningJobConfig"]
    training = request["TrainingJobDefinition"]
    metric = config["HyperParameterTuningJobObjective"]
    assert metric["Type"] == "Maximize"
    assert metric["MetricName"] in [
        d["Name"] for d in training["AlgorithmSpecification"]["MetricDefinitions"]
    ]
    assert [c["ChannelName"] for c in training["InputDataConfig"]] == ["train", "goldsets"]
    assert training["AlgorithmSpecification"]["TrainingInputMode"] == "File"
    static = training["StaticHyperParameters"]
    assert static == {
        "epochs": "10",
        "subwords": "False",
        "sampling_threshold": "0.0001",
        "objective": objective if objective == "mean_rho" else str(Objective.parse(objective)),
    }
    assert Objective.parse(static["objective"]) == Objective.parse(objective)
    assert config["ParameterRanges"]["CategoricalParameterRanges"] == [
        {"Name": "mode", "Values": ["batch_skipgram", "cbow"]}
    ]


def test_request_minimal_and_mean_rho_metric():
    request = tuning_job_request(objective="mean_rho", **ARGS)
    _validate(request)
    assert request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"] == {
        "Type": "Maximize",
        "MetricName": "train:mean_rho",
    }
    assert [c["ChannelName"] for c in request["TrainingJobDefinition"]["InputDataConfig"]] == ["train"]


class _Untouchable(SearchSpace):
    def to_parameter_ranges(self):
        raise AssertionError("the request was being built")


def test_objective_not_among_metric_definitions_refused_before_building():
    space = _Untouchable([Categorical("mode", ["cbow"])])
    definitions = [{"Name": "w2veval:ws353", "Regex": "#w2veval:ws353: (\\S+)"}]
    with pytest.raises(SageMakerConfigError, match="'w2veval:objective' is not among the metric"):
        tuning_job_request(objective="1*ws353", space=space, metric_definitions=definitions, **ARGS)
    with pytest.raises(SageMakerConfigError, match="'train:mean_rho' is not among"):
        tuning_job_request(objective="mean_rho", space=space, metric_definitions=definitions, **ARGS)


def test_request_more_than_twenty_metrics_refused():
    with pytest.raises(SageMakerConfigError, match="at most 20"):
        tuning_job_request(objective="+".join(f"1*g{i}" for i in range(20)), **ARGS)
    many = [{"Name": f"m{i}", "Regex": "(x)"} for i in range(20)] + [
        {"Name": OBJECTIVE_METRIC, "Regex": "(x)"}
    ]
    with pytest.raises(SageMakerConfigError, match="at most 20"):
        tuning_job_request(objective="1*ws353", metric_definitions=many, **ARGS)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": "bad_name!"}, "1 to 32"),
        ({"name": "x" * 33}, "1 to 32"),
        ({"train_s3_uri": "/local/train"}, "s3://"),
        ({"strategy": "Genetic"}, "unknown strategy"),
        ({"max_jobs": 0}, "max_jobs"),
        ({"max_jobs": 2, "max_parallel_jobs": 3}, "exceeds"),
        ({"static_hyperparameters": {"window_size": 5}}, "both searched and static"),
        ({"static_hyperparameters": {"windowsize": 5}}, "unknown static"),
        ({"static_hyperparameters": {"objective": "mean_rho"}}, "objective argument"),
        ({"space": SearchSpace([Integer("window_size", 5, 30)])}, "needs 'mode'"),
    ],
)
def test_request_refusals(change, message):
    with pytest.raises(SageMakerConfigError, match=message):
        tuning_job_request(**{**ARGS, "objective": "1*ws353", **change})


@pytest.mark.parametrize("static", [{"evaluation": False}, {"evaluation": "false"}])
def test_mean_rho_needs_evaluation(static):
    with pytest.raises(SageMakerConfigError, match="only when evaluation is on"):
        tuning_job_request(**{**ARGS, "objective": "mean_rho", "static_hyperparameters": static})
    _validate(tuning_job_request(**{**ARGS, "objective": "1*ws353", "static_hyperparameters": static}))


def test_mode_static_is_enough():
    request = tuning_job_request(
        objective="1*ws353",
        space=SearchSpace([Integer("window_size", 5, 30)]),
        static_hyperparameters={"mode": "skipgram"},
        **ARGS,
    )
    _validate(request)
    assert request["TrainingJobDefinition"]["StaticHyperParameters"]["mode"] == "skipgram"
