"""Search spaces: ranges, validation, SageMaker's ParameterRanges."""

from __future__ import annotations

import subprocess
import sys

import pytest

from w2veval import W2VEvalError
from w2veval.space import (
    BLAZINGTEXT_RANGES,
    Categorical,
    Continuous,
    Integer,
    SearchSpace,
    SearchSpaceError,
)


def test_blazingtext_ranges_exact():
    assert BLAZINGTEXT_RANGES.to_parameter_ranges() == {
        "IntegerParameterRanges": [
            {"Name": "window_size", "MinValue": "5", "MaxValue": "30", "ScalingType": "Linear"},
            {"Name": "vector_dim", "MinValue": "50", "MaxValue": "100", "ScalingType": "Linear"},
            {"Name": "min_count", "MinValue": "20", "MaxValue": "50", "ScalingType": "Linear"},
            {"Name": "negative_samples", "MinValue": "5", "MaxValue": "25", "ScalingType": "Linear"},
        ],
        "ContinuousParameterRanges": [
            {"Name": "learning_rate", "MinValue": "0.005", "MaxValue": "0.05", "ScalingType": "Logarithmic"},
        ],
        "CategoricalParameterRanges": [{"Name": "mode", "Values": ["batch_skipgram", "cbow"]}],
    }


def test_mapping_interface():
    assert list(BLAZINGTEXT_RANGES) == [
        "mode",
        "learning_rate",
        "window_size",
        "vector_dim",
        "min_count",
        "negative_samples",
    ]
    assert BLAZINGTEXT_RANGES["window_size"] == Integer("window_size", 5, 30)
    assert len(BLAZINGTEXT_RANGES) == 6 and "epochs" not in BLAZINGTEXT_RANGES
    with pytest.raises(TypeError):
        BLAZINGTEXT_RANGES["epochs"] = Integer("epochs", 1, 5)


def test_ranges_are_frozen_and_hashable():
    r = Continuous("learning_rate", 0.005, 0.05, "log")
    with pytest.raises(AttributeError):
        r.low = 1.0
    assert hash(r) == hash(Continuous("learning_rate", 0.005, 0.05, "log"))
    assert Continuous("learning_rate", 0, 1).low == 0.0 and isinstance(
        Continuous("learning_rate", 0, 1).low, float
    )


@pytest.mark.parametrize(
    "scale, api",
    [("auto", "Auto"), ("linear", "Linear"), ("log", "Logarithmic"), ("reverse_log", "ReverseLogarithmic")],
)
def test_scales(scale, api):
    assert Continuous("sampling_threshold", 1e-5, 0.5, scale).to_parameter_range() == {
        "Name": "sampling_threshold",
        "MinValue": "1e-05",
        "MaxValue": "0.5",
        "ScalingType": api,
    }


def test_categorical_values_as_strings():
    assert Categorical("subwords", [True, False]).to_parameter_range() == {
        "Name": "subwords",
        "Values": ["True", "False"],
    }
    assert Categorical("vector_dim", (50, 100)).to_parameter_range()["Values"] == ["50", "100"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Integer("window_size", 30, 5), "low must be below high"),
        (lambda: Integer("window_size", 5, 5), "low must be below high"),
        (lambda: Integer("window_size", 5.5, 30), "must be an integer"),
        (lambda: Integer("window_size", True, 30), "must be an integer"),
        (lambda: Integer("window_size", 0, 30, "log"), "log scale needs low > 0"),
        (lambda: Continuous("learning_rate", -1.0, 0.05, "log"), "log scale needs low > 0"),
        (lambda: Continuous("learning_rate", 0.1, 1.5, "reverse_log"), "high < 1"),
        (lambda: Continuous("learning_rate", 0.0, float("inf")), "finite"),
        (lambda: Continuous("learning_rate", 0.0, 1.0, "logarithmic"), "unknown scale"),
        (lambda: Categorical("mode", []), "at least one value"),
        (lambda: Categorical("mode", "cbow"), "must be a sequence"),
        (lambda: Categorical("mode", ["cbow", "cbow"]), "repeat"),
        (lambda: Integer("", 1, 2), "non-empty"),
    ],
)
def test_range_errors(make, message):
    with pytest.raises(SearchSpaceError, match=message) as info:
        make()
    assert isinstance(info.value, W2VEvalError) and isinstance(info.value, ValueError)


def test_unknown_hyperparameter_suggests():
    with pytest.raises(
        SearchSpaceError, match="unknown hyperparameter 'windowsize'; did you mean 'window_size'"
    ):
        SearchSpace([Integer("windowsize", 5, 30)])


def test_range_type_must_fit_hyperparameter():
    with pytest.raises(SearchSpaceError, match="'learning_rate' is a float hyperparameter"):
        SearchSpace([Integer("learning_rate", 1, 5)])
    with pytest.raises(SearchSpaceError, match="'window_size' is a int hyperparameter"):
        SearchSpace([Continuous("window_size", 1, 5)])


def test_duplicates_and_non_ranges():
    with pytest.raises(SearchSpaceError, match="two ranges"):
        SearchSpace([Integer("window_size", 5, 30), Integer("window_size", 1, 3)])
    with pytest.raises(SearchSpaceError, match="Integer, Continuous or Categorical"):
        SearchSpace([("window_size", 5, 30)])


def test_other_hyperparameters_for_a_local_tuner():
    space = SearchSpace([Integer("dim", 8, 64, "log")], hyperparameters=None)
    assert space.to_parameter_ranges()["IntegerParameterRanges"][0]["ScalingType"] == "Logarithmic"
    assert SearchSpace(space, hyperparameters=None) == space


def test_space_does_not_import_sagemaker_or_boto3():
    code = (
        "import sys, w2veval.space; "
        "bad = [m for m in ('boto3', 'botocore', 'sagemaker', 'w2veval.sagemaker') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
